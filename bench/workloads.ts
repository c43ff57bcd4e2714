import type { WorkloadKey } from './report';

/**
 * The benchmark's three workloads, as the issue names them. The documents are the benchmark's own
 * (not the tests' operations), so a test change never changes what is measured.
 */

/** Everything the four registries know of a person: the "full picture" of workload 1. */
const PERSON_PICTURE = `
    id givenName surname citizenship stateless
    travelDocuments { kind number issuingCountry expiresOn }
    stayPeriods { entryDate exitDate days open outcome unlawfulDays bases }
    legalStatus {
      outcome basis lawfulUntil overstayDays totalOverstayDays
      registration { required dueOn overdue }
      reasons { ruleId citation message { az en } }
    }
    permits { kind number validFrom validUntil status application { id } }
    outstandingFines { offence amount { amount currency } paymentCode outstanding }
    applications { id number type status dueOn payments { code status } permit { number } }`;

export const WORKLOAD_QUERIES: Record<WorkloadKey, string> = {
  picture: `query BenchPersonPicture($id: ID!) { person(id: $id) { ${PERSON_PICTURE} } }`,
  page: `query BenchPersonsPage($first: Int!, $after: String) { persons(first: $first, after: $after) { pageInfo { endCursor } nodes { ${PERSON_PICTURE} } } }`,
  document: `query BenchStatusByDocument($country: CountryCode!, $number: String!) {
    personByDocument(country: $country, number: $number) { id legalStatus { outcome basis lawfulUntil overstayDays registration { required dueOn overdue } } } }`,
};

export const WORKLOAD_TITLES: Record<WorkloadKey, string> = {
  picture: '1. one person, full picture',
  page: '2. persons(first: 50), same relations',
  document: '3. status by travel document',
};

/** What the workloads rotate through: persons, page cursors and travel documents from the seeded data. */
export interface WorkloadInputs {
  personIds: string[];
  /** `after` cursors of consecutive pages (null: the first page). */
  cursors: (string | null)[];
  /** Travel documents, each with its holder's id. */
  documents: { country: string; number: string; holder: string }[];
}

/** The variables of the n-th request of a workload: each request asks for a different record, in turn. */
export function variablesFor(workload: WorkloadKey, inputs: WorkloadInputs, n: number, pageSize = 50): Record<string, unknown> {
  switch (workload) {
    case 'picture':
      return { id: inputs.personIds[n % inputs.personIds.length] };
    case 'page':
      return { first: pageSize, after: inputs.cursors[n % inputs.cursors.length] };
    case 'document': {
      const { country, number } = inputs.documents[n % inputs.documents.length];
      return { country, number };
    }
  }
}

/**
 * Text that the answer to the n-th request must contain, so that an answer about another record
 * counts as failed: the person asked for, the holder of the document asked for, the page's end cursor
 * (known for pages of 50, the next page's cursor); null when nothing particular is known.
 */
export function expectedIn(workload: WorkloadKey, inputs: WorkloadInputs, n: number, pageSize = 50): string | null {
  switch (workload) {
    case 'picture':
      return `"id":"${inputs.personIds[n % inputs.personIds.length]}"`;
    case 'page': {
      const next = pageSize === 50 ? inputs.cursors[(n % inputs.cursors.length) + 1] : undefined;
      return next ? `"endCursor":"${next}"` : null;
    }
    case 'document':
      return `"id":"${inputs.documents[n % inputs.documents.length].holder}"`;
  }
}

/** An answer that counts: data, no errors, and the text expected of it. */
export function isRightAnswer(body: string, expected: string | null): boolean {
  return body.includes('"data":{') && !body.includes('"errors":') && (expected === null || body.includes(expected));
}
