import { startGraph, type RunningGraph } from './harness';

/** One request, four registries: the person's full picture through the gateway. */
const PERSON_PICTURE = /* GraphQL */ `
  query PersonPicture($id: ID!) {
    person(id: $id) {
      id
      givenName
      surname
      citizenship
      stateless
      travelDocuments { kind number issuingCountry expiresOn }
      stayPeriods { entryDate exitDate days open }
      permits { kind number validFrom validUntil status }
      outstandingFines { offence amount { amount currency } paymentCode }
      applications { number type status dueOn payments { code status amount { amount currency } } permit { number } }
    }
  }
`;

describe('the federated graph, end to end', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph({ persons: 60 });
  });
  afterAll(() => graph.stop());

  it('answers one person with data from all four registries', async () => {
    const page = await graph.query('{ persons(first: 60) { nodes { id } } }');
    expect(page.body.errors).toBeUndefined();
    const ids: string[] = page.body.data.persons.nodes.map((node: { id: string }) => node.id);
    let seen = { permits: false, fines: false, applications: false, stays: false };
    for (const id of ids) {
      const response = await graph.query(PERSON_PICTURE, { id });
      expect(response.body.errors).toBeUndefined();
      const person = response.body.data.person;
      expect(person.id).toBe(id);
      seen = {
        permits: seen.permits || person.permits.length > 0,
        fines: seen.fines || person.outstandingFines.length > 0,
        applications: seen.applications || person.applications.length > 0,
        stays: seen.stays || person.stayPeriods.length > 0,
      };
    }
    expect(seen).toEqual({ permits: true, fines: true, applications: true, stays: true });
  });
});
