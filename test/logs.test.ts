import { demoRules } from '../demo/demo-rules';
import { demoHistory } from '../demo/world';
import { ANONYMOUS, REFERENCE_DATE, startGraph, type RunningGraph } from './harness';

/**
 * Issue 22, item 4: the services log JSON lines, each naming its service, and never personal data.
 * Every service of a graph logs at debug level into one buffer while the graph serves what a day brings
 * (reads of whole pictures, a search by document, writes, refusals, bad input, a failed validation with
 * a document number written into the query); then the buffer is searched for every name and document
 * number of the demo world.
 */
const SEED = 'logs-test';
const PERSONS = 12;

describe('the logs of a whole run (issue 22)', () => {
  let graph: RunningGraph;
  const lines: string[] = [];
  beforeAll(async () => {
    graph = await startGraph({ persons: PERSONS, seed: SEED, logs: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => graph.stop());

  const histories = Array.from({ length: PERSONS }, (_, index) => demoHistory(SEED, index, REFERENCE_DATE, demoRules));

  it('carries no name and no document number of anyone, whatever was asked, answered or refused', async () => {
    const police = await graph.caller('police', 'PUBLIC_ORDER');
    const border = await graph.caller('border-service', 'BORDER_CONTROL');
    for (const { person, documents } of histories) {
      const document = documents[0];
      await graph.query(
        `query Picture($id: ID!) { person(id: $id) { givenName surname travelDocuments { number } stayPeriods { entryDate } legalStatus { outcome } permits { number } outstandingFines { amount { amount } } applications { number } } }`,
        { id: person.id },
      );
      // By document, as the border does; and a field the border may not read (FORBIDDEN).
      await graph.query(`query($c: CountryCode!, $n: String!) { personByDocument(country: $c, number: $n) { surname outstandingFines { id } } }`, { c: document.issuingCountry, n: document.number }, border);
      // A document number written into the query text, in a query that fails validation.
      await graph.query(`{ personByDocument(country: ${document.issuingCountry}, number: "${document.number}") { surname nosuchfield } }`, {}, police);
      // Bad input on a write: a crossing for the person on an impossible day.
      await graph.query(`mutation($input: BorderCrossingInput!) { recordBorderCrossing(input: $input) { id } }`, {
        input: { personId: person.id, direction: 'ENTRY', date: '1800-01-01', checkpoint: 'SAMUR' },
      });
      // No token, a personal field: FORBIDDEN.
      await graph.query(`query($id: ID!) { person(id: $id) { surname } }`, { id: person.id }, ANONYMOUS);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(lines.length).toBeGreaterThan(0);
    const services = new Set(lines.map((line) => (JSON.parse(line) as { service?: string; subgraph?: string }).service ?? (JSON.parse(line) as { subgraph?: string }).subgraph));
    expect(services.size).toBeGreaterThan(1);
    // Each request is on record at debug level, by the gateway and by the registries it called.
    expect(lines.filter((line) => line.includes('"request answered"')).length).toBeGreaterThanOrEqual(PERSONS * 5);
    const text = lines.join('\n');
    const leaks: string[] = [];
    for (const { person, documents } of histories) {
      for (const value of [person.givenName, person.surname, ...documents.map((document) => document.number)]) {
        if (value.length >= 4 && text.includes(value)) leaks.push(value);
      }
    }
    expect(leaks).toEqual([]);
  });
});
