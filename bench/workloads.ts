import type { KeyObject } from 'node:crypto';
import { CLAIMS_HEADER } from '../protocol/headers';
import { SIGNATURE_HEADER, signRequest } from '../protocol/request-signing';
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

/** A request as the load generator sends it: its body, what its answer must contain, and headers of its own. */
export interface PlannedRequest {
  body: string;
  expected: string | null;
  headers?: Record<string, string>;
  /** What a write changed, for the read-after-write check (null for a read). */
  write?: WriteDone | null;
}

/** The n-th request of a workload over the given inputs. */
export function workloadRequest(workload: WorkloadKey, inputs: WorkloadInputs, n: number, pageSize = 50): PlannedRequest {
  return { body: JSON.stringify({ query: WORKLOAD_QUERIES[workload], variables: variablesFor(workload, inputs, n, pageSize) }), expected: expectedIn(workload, inputs, n, pageSize) };
}

/** How many requests a workload can send over these inputs before it asks for a record again. */
export function distinctRequests(workload: WorkloadKey, inputs: WorkloadInputs): number {
  return { picture: inputs.personIds.length, page: inputs.cursors.length, document: inputs.documents.length }[workload];
}

// --- Workloads that do not repeat -------------------------------------------------------------

/** A person of the seeded population in the persons registry's order: its edge cursor (the `after` of the page that follows it) and first travel document. */
export interface PopulationRecord {
  id: string;
  cursor: string;
  document: { country: string; number: string } | null;
}

/** Shares of the cold population per workload: a page takes fifty persons a request. */
export const COLD_SHARES: Record<WorkloadKey, number> = { page: 0.5, picture: 0.25, document: 0.25 };

/** The cold population's shares when only `measured` are measured: in COLD_SHARES' proportions, the others none. */
export function coldSharesAmong(measured: readonly WorkloadKey[]): Record<WorkloadKey, number> {
  const whole = measured.reduce((sum, workload) => sum + COLD_SHARES[workload], 0);
  return { page: 0, picture: 0, document: 0, ...Object.fromEntries(measured.map((workload) => [workload, COLD_SHARES[workload] / whole])) };
}

/**
 * Connections for a cold workload: a page of fifty costs about fifty pictures, so fifty pages at once
 * would still be in flight when a turn ends and nothing would be measured. Pages get a tenth of the
 * connections (at least two, at most all), the others all of them.
 */
export function coldConnections(workload: WorkloadKey, connections: number): number {
  return workload === 'page' ? Math.min(connections, Math.max(2, Math.ceil(connections / 10))) : connections;
}

/**
 * A cold turn's warm-up, seconds: enough for the connections to open and the window to start under
 * load. Its requests use up records of the gateway's slice, so a longer one leaves the window nothing.
 */
export const COLD_WARMUP_SECONDS = 0.5;

/**
 * The records of its slice a gateway's cold turn may use: an equal share of what is left over the
 * rounds still to come, so that every round measures something (a fast gateway used its whole slice
 * in the first turn).
 */
export function coldTurnShare(recordsLeft: number, roundsLeft: number): number {
  if (recordsLeft <= 0) return 0;
  return roundsLeft > 1 ? Math.ceil(recordsLeft / roundsLeft) : recordsLeft;
}

/**
 * The most of a turn's request budget (a cold slice's share, `maxRequests`) its warm-up may send: a
 * gateway answering a few hundred requests a second used a small slice up within its warm-up, and
 * the turn measured nothing (cold turns at 2,000 persons, 50 records a gateway).
 */
export const WARMUP_SHARE_OF_BUDGET = 0.2;

/** The requests after which a turn's warm-up ends, whatever its seconds: a share of its budget, when it has one. */
export function warmupRequests(maxRequests: number | undefined): number {
  return maxRequests === undefined ? Infinity : Math.max(1, Math.floor(maxRequests * WARMUP_SHARE_OF_BUDGET));
}

/** `records` cut into `parts` contiguous slices of equal length, in order (the remainder left out). */
export function disjointSlices<T>(records: readonly T[], parts: number): T[][] {
  const length = parts > 0 ? Math.floor(records.length / parts) : 0;
  return Array.from({ length: Math.max(0, parts) }, (_, part) => records.slice(part * length, (part + 1) * length));
}

/**
 * The cold inputs: the population after the first `skip` persons (which the warm workloads read) cut
 * into one region per workload (COLD_SHARES), each region cut into one slice per contestant. No
 * person is in two slices, so no request of one contestant or workload reads a record another has
 * read: every registry answer is about a record nobody asked for before. A page slice holds whole
 * pages of `pageSize`: the cursors are the `after` of each page, the record before its first person.
 * `shares` cuts the regions otherwise (a workload measured alone may have all of it).
 */
export function coldInputs<K extends string>(population: readonly PopulationRecord[], skip: number, contestants: readonly K[], pageSize = 50, shares: Record<WorkloadKey, number> = COLD_SHARES): Record<WorkloadKey, Record<K, WorkloadInputs>> {
  const start = Math.max(1, skip);
  const cold = population.slice(start);
  const regionLength = (workload: WorkloadKey) => Math.floor(cold.length * shares[workload]);
  const regions: Record<WorkloadKey, { from: number; records: readonly PopulationRecord[] }> = {} as never;
  let from = start;
  for (const workload of ['page', 'picture', 'document'] as const) {
    regions[workload] = { from, records: population.slice(from, from + regionLength(workload)) };
    from += regionLength(workload);
  }
  const empty = (): WorkloadInputs => ({ personIds: [], cursors: [], documents: [] });
  const result = { page: {}, picture: {}, document: {} } as Record<WorkloadKey, Record<K, WorkloadInputs>>;
  const pageRegion = regions.page;
  const pagesEach = contestants.length ? Math.floor(Math.floor(pageRegion.records.length / pageSize) / contestants.length) : 0;
  contestants.forEach((key, index) => {
    const pages = empty();
    for (let page = 0; page < pagesEach; page += 1) {
      // The person before the page's first: its cursor is the page's `after`.
      const first = pageRegion.from + (index * pagesEach + page) * pageSize;
      pages.cursors.push(population[first - 1].cursor);
    }
    result.page[key] = pages;
  });
  const pictures = disjointSlices(regions.picture.records, contestants.length);
  const documents = disjointSlices(regions.document.records, contestants.length);
  contestants.forEach((key, index) => {
    result.picture[key] = { ...empty(), personIds: pictures[index].map((record) => record.id) };
    result.document[key] = {
      ...empty(),
      documents: documents[index].flatMap((record) => (record.document ? [{ ...record.document, holder: record.id }] : [])),
    };
  });
  return result;
}

// --- Reads with writes ------------------------------------------------------------------------

export const CROSSING_MUTATION = `mutation BenchCrossing($input: BorderCrossingInput!) { recordBorderCrossing(input: $input) { id date } }`;
export const CROSSING_READ = `query BenchCrossingsOf($id: ID!) { person(id: $id) { id borderCrossings { id } } }`;
export const PAYMENT_READ = `query BenchPaymentStatus($code: String!) { paymentByCode(code: $code) { code status } }`;

/** A payment the mix may make: an unpaid fine's code and exact amount. */
export interface UnpaidPayment {
  code: string;
  amount: string;
}

/** What a write of the mix changed: the crossing recorded for a person, or the payment made. */
export type WriteDone = { kind: 'crossing'; personId: string; crossingId: string } | { kind: 'payment'; code: string };

/** One in `WRITE_EVERY` requests of the mix is a write: about 10 %. */
export const WRITE_EVERY = 10;

/**
 * The n-th request of the read/write mix: nine reads in ten (a person's picture and a status by
 * document in turn, over the warm inputs), every tenth a write, a border crossing and a payment in
 * turn, each with its own idempotency key (`key`, fresh per request). A payment pays the next of this
 * contestant's unpaid fines; when they are used up the write is a crossing.
 */
export function mixRequest(inputs: WorkloadInputs, payments: readonly UnpaidPayment[], n: number, key: string, today: string): PlannedRequest {
  if (n % WRITE_EVERY !== WRITE_EVERY - 1) {
    const read = Math.floor(n / WRITE_EVERY) * (WRITE_EVERY - 1) + (n % WRITE_EVERY);
    return workloadRequest(read % 2 === 0 ? 'picture' : 'document', inputs, Math.floor(read / 2));
  }
  const write = Math.floor(n / WRITE_EVERY);
  const payment = write % 2 === 1 ? payments[Math.floor(write / 2)] : undefined;
  if (payment) {
    return {
      body: JSON.stringify({ query: PAYMENT_MUTATION, variables: { input: { code: payment.code, channel: 'BANK_BRANCH', amount: payment.amount, idempotencyKey: key } } }),
      expected: `"code":"${payment.code}"`,
      write: { kind: 'payment', code: payment.code },
    };
  }
  const personId = inputs.personIds[write % inputs.personIds.length];
  const input = { id: key, personId, direction: write % 4 < 2 ? 'EXIT' : 'ENTRY', date: today, checkpoint: 'GYD_HEYDAR_ALIYEV_AIRPORT' };
  return { body: JSON.stringify({ query: CROSSING_MUTATION, variables: { input } }), expected: `"id":"${key}"`, write: { kind: 'crossing', personId, crossingId: key } };
}

export const PAYMENT_MUTATION = `mutation BenchPayment($input: RecordPaymentInput!) { recordPayment(input: $input) { code status } }`;

/** The read that must see a write, and the text its answer must contain then. */
export function readAfterWrite(write: WriteDone): { body: string; expected: string } {
  return write.kind === 'crossing'
    ? { body: JSON.stringify({ query: CROSSING_READ, variables: { id: write.personId } }), expected: `"id":"${write.crossingId}"` }
    : { body: JSON.stringify({ query: PAYMENT_READ, variables: { code: write.code } }), expected: '"status":"PAID"' };
}

// --- Every agency at once ---------------------------------------------------------------------

/** One agency's part of the multi-agency mix: its committed operation, with the variables of the n-th request. */
export interface AgencyOperation {
  agency: string;
  operation: string;
  /** Variables of the n-th request of this agency, and the text the answer must contain. */
  request: (inputs: WorkloadInputs, codes: readonly string[], n: number) => { variables: Record<string, unknown>; expected: string | null };
}

const byDocument = (inputs: WorkloadInputs, _codes: readonly string[], n: number) => {
  const { country, number, holder } = inputs.documents[n % inputs.documents.length];
  return { variables: { country, number }, expected: `"id":"${holder}"` };
};

/** Each of the seven partner profiles with the committed operation (test/operations) it sends. */
export const AGENCY_MIX: readonly AgencyOperation[] = [
  { agency: 'border-service', operation: 'StatusByDocument', request: byDocument },
  { agency: 'police', operation: 'FinesByDocument', request: byDocument },
  { agency: 'employers-inspectorate', operation: 'WorkAuthorizationByDocument', request: byDocument },
  {
    agency: 'bank',
    operation: 'PaymentByCode',
    request: (_inputs, codes, n) => ({ variables: { code: codes[n % codes.length] }, expected: `"code":"${codes[n % codes.length]}"` }),
  },
  { agency: 'internal-dashboard', operation: 'Dashboard', request: () => ({ variables: {}, expected: null }) },
  {
    agency: 'migration-officer',
    operation: 'PersonPicture',
    request: (inputs, _codes, n) => ({ variables: { id: inputs.personIds[n % inputs.personIds.length] }, expected: `"id":"${inputs.personIds[n % inputs.personIds.length]}"` }),
  },
  {
    agency: 'administrator',
    operation: 'PersonsWithRelations',
    request: (inputs, _codes, n) => ({ variables: { first: 3, after: inputs.cursors[n % inputs.cursors.length] }, expected: null }),
  },
];

/**
 * The n-th request of the multi-agency mix: the agencies in turn, each request with the token of one
 * of that agency's officers (`tokens[agency]`, in turn) and one of its purposes, in turn.
 */
export function agencyRequest(
  documents: Readonly<Record<string, string>>,
  tokens: Readonly<Record<string, readonly string[]>>,
  purposes: Readonly<Record<string, readonly string[]>>,
  inputs: WorkloadInputs,
  codes: readonly string[],
  n: number,
): PlannedRequest {
  const part = AGENCY_MIX[n % AGENCY_MIX.length];
  const turn = Math.floor(n / AGENCY_MIX.length);
  const { variables, expected } = part.request(inputs, codes, turn);
  const own = tokens[part.agency];
  const purpose = purposes[part.agency];
  return {
    body: JSON.stringify({ query: documents[part.operation], variables }),
    expected,
    headers: { authorization: `Bearer ${own[turn % own.length]}`, 'x-dmx-purpose': purpose[turn % purpose.length] },
  };
}

// --- Fixed arrival rates ----------------------------------------------------------------------

/** Shares of stock's saturation rate at which the open model sends. */
export const FIXED_RATE_SHARES = [0.25, 0.5, 0.75] as const;

/** Requests per second at each share of a saturation rate, whole and at least one. */
export function fixedRates(saturationPerSecond: number, shares: readonly number[] = FIXED_RATE_SHARES): number[] {
  return shares.map((share) => Math.max(1, Math.round(saturationPerSecond * share)));
}

// --- A registry asked directly, signed or not ---------------------------------------------------

/** What the signing phase asks the persons registry: a person with identity and documents, from that registry alone. */
export const REGISTRY_PERSON_QUERY = `query BenchRegistryPerson($id: ID!) { person(id: $id) { id givenName surname citizenship travelDocuments { kind number issuingCountry expiresOn } } }`;

/**
 * The n-th request to the persons registry's /graphql: with the forwarded claims, and signed with
 * `key` as the gateway signs (a fresh nonce each time), or unsigned for the twin (key null).
 */
export function registryRequest(personIds: readonly string[], claims: string, key: KeyObject | null, n: number): PlannedRequest {
  const id = personIds[n % personIds.length];
  const body = JSON.stringify({ query: REGISTRY_PERSON_QUERY, variables: { id } });
  const signature: Record<string, string> = key
    ? { [SIGNATURE_HEADER]: signRequest(key, { audience: 'persons', method: 'POST', path: '/graphql', contentType: 'application/json', claims, body }) }
    : {};
  return { body, expected: `"id":"${id}"`, headers: { [CLAIMS_HEADER]: claims, ...signature } };
}
