import { startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { permitsSubgraph } from './app';
import { permitStatusOn, toPermit } from './permit.service';
import type { PermitRow } from './permit.store';
import { PermitStatus } from './permit.type';

describe('toPermit', () => {
  it('carries every field of a row, the holder and the application as references', () => {
    // Every field of PermitRow, none null: a field the row gains must be listed here, and carried.
    const row: Required<{ [K in keyof PermitRow]: NonNullable<PermitRow[K]> }> = {
      id: '00000000-0000-4000-8000-00000000c001', number: 'TRP000000901', kind: 'TEMPORARY_RESIDENCE_PERMIT', visaType: 'WORK',
      holderId: '00000000-0000-4000-8000-00000000a001', applicationId: '00000000-0000-4000-8000-00000000b001', issuedOn: '2026-01-02',
      validFrom: '2026-01-03', validUntil: '2027-01-02', revokedOn: '2026-06-01', address: 'Bakı, Nizami küç. 1', ground: 'EMPLOYMENT',
      groundArticle: '45.1.3', familyMemberOfSpecialHolder: false,
    };
    const { holderId, applicationId, ...fields } = row;
    expect(toPermit(row)).toEqual({ ...fields, holder: { id: holderId }, application: { id: applicationId } });
    expect(toPermit({ ...row, applicationId: null }).application).toBeNull();
  });
});

describe('permits subgraph', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(permitsSubgraph, 80);
  });
  afterAll(() => subgraph.close());

  it('lists a person’s permits, and those in force on a day', async () => {
    const history = subgraph.histories.find((h) => h.permits.length > 2)!;
    const day = history.permits[0].validFrom;
    const response = await subgraph.client.query(
      `query($r: [_Any!]!, $day: Date!) { _entities(representations: $r) { ... on Person {
         permits { id number kind status validFrom validUntil holder { id } application { id } }
         inForce: permits(inForceOn: $day) { id } } } }`,
      { variables: { r: [{ __typename: 'Person', id: history.person.id }], day } },
    );
    expect(response.errors).toBeUndefined();
    const person = response.data._entities[0];
    expect(person.permits.map((p: { id: string }) => p.id).sort()).toEqual(history.permits.map((p) => p.id).sort());
    for (const permit of person.permits) {
      const source = history.permits.find((p) => p.id === permit.id)!;
      expect(permit).toMatchObject({ status: permitStatusOn(source, TEST_TODAY), holder: { id: history.person.id } });
    }
    const inForce = history.permits.filter((p) => p.validFrom <= day && day <= p.validUntil).map((p) => p.id);
    expect(person.inForce.map((p: { id: string }) => p.id).sort()).toEqual(inForce.sort());
  });

  it('links an application to the permit issued on it', async () => {
    const permit = subgraph.histories.flatMap((h) => h.permits).find((p) => p.applicationId)!;
    const response = await subgraph.client.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Application { id permit { number } } } }`,
      { variables: { r: [{ __typename: 'Application', id: permit.applicationId }] } },
    );
    expect(response.data._entities).toEqual([{ id: permit.applicationId, permit: { number: permit.number } }]);
  });

  it.each([
    ['before validity', '2025-12-31', PermitStatus.NOT_YET_VALID],
    ['first day', '2026-01-01', PermitStatus.VALID],
    ['last day', '2026-12-31', PermitStatus.VALID],
    ['day after', '2027-01-01', PermitStatus.EXPIRED],
  ])('a permit valid through 2026 is %s: %s', (_name, day, status) => {
    expect(permitStatusOn({ validFrom: '2026-01-01', validUntil: '2026-12-31', revokedOn: null }, day)).toBe(status);
  });

  it('a revoked permit is REVOKED from the day of revocation', () => {
    const permit = { validFrom: '2026-01-01', validUntil: '2026-12-31', revokedOn: '2026-06-01' };
    expect(permitStatusOn(permit, '2026-05-31')).toBe(PermitStatus.VALID);
    expect(permitStatusOn(permit, '2026-06-01')).toBe(PermitStatus.REVOKED);
  });
});
