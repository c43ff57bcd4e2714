import { contractChanges, contractOf, deprecationRecord, NOTICE_DAYS, releaseRefusals, type Contract, type ContractFiles } from './contract-changes';

const SDL = `
  type Query { person(id: ID!): Person, rules: [String!]! }
  type Person { id: ID!, surname: String!, status: Status, fines: [String!]! }
  enum Status { LAWFUL, UNLAWFUL }
`;
const ACCESS: ContractFiles['access'] = {
  released: '2026-06-01',
  fields: { 'Query.person': [['persons:read'], ['status:read']], 'Person.surname': [['persons:read']], 'Person.fines': [] },
  agencies: {
    bank: { scopes: ['payments:read'], purposes: ['PAYMENT_PROCESSING'] },
    police: { scopes: ['persons:read', 'status:read', 'fines:read'], purposes: ['PUBLIC_ORDER'] },
  },
};
const released = contractOf({ sdl: SDL, access: ACCESS });

/** The released contract with the SDL and access changed as given. */
function changed(sdl: (sdl: string) => string, access: (access: ContractFiles['access']) => ContractFiles['access'] = (same) => same): Contract {
  return contractOf({ sdl: sdl(SDL), access: access(structuredClone(ACCESS)) });
}
const summary = (contract: Contract) => contractChanges(released, contract).map(({ kind, description }) => `${kind}: ${description}`);

describe('changes to the partner contract', () => {
  it('finds none when nothing changed', () => {
    expect(contractChanges(released, changed((sdl) => sdl))).toEqual([]);
  });

  it('calls a removed field or enum value and a changed type breaking; an enum value added dangerous; fields and types added compatible', () => {
    expect(summary(changed((sdl) => sdl.replace(', status: Status', '').replace('surname: String!', 'surname: Int!')))).toEqual([
      'breaking: Person.status was removed.',
      'breaking: Person.surname changed type from String! to Int!.',
    ]);
    expect(summary(changed((sdl) => sdl.replace('LAWFUL, UNLAWFUL', 'LAWFUL, UNLAWFUL, UNDETERMINED').replace('fines: [String!]!', 'fines: [String!]!, permits: [Permit!]!') + 'type Permit { number: String! }'))).toEqual([
      'dangerous: UNDETERMINED was added to enum type Status.',
      'compatible: Person.permits was added.',
      'compatible: Permit was added.',
    ]);
  });

  it('calls a field added compatible whatever it asks, and an output field made non-null dangerous', () => {
    const withFines = changed(
      (sdl) => sdl.replace('fines: [String!]!', 'fines: [String!]!, permits: [String!]!'),
      (before) => ({ ...before, fields: { ...before.fields, 'Person.permits': [['permits:read']] } }),
    );
    expect(summary(withFines)).toEqual(['compatible: Person.permits was added.']);
    expect(summary(changed((sdl) => sdl.replace('status: Status', 'status: Status!')))).toEqual([
      'dangerous: Person.status changed type from Status to Status!: where it cannot be served, its parent is null now.',
    ]);
  });

  it('lists a deprecation as news, not as a change that breaks', () => {
    expect(summary(changed((sdl) => sdl.replace('status: Status', 'status: Status @deprecated(reason: "Use legalStatus.")')))).toEqual([
      'compatible: Person.status is deprecated: Use legalStatus.',
    ]);
  });

  it('calls access tightened breaking and access widened compatible', () => {
    const access = (fields: ContractFiles['access']['fields']) => changed((sdl) => sdl, (before) => ({ ...before, fields: { ...before.fields, ...fields } }));
    // A public field asking for a scope; a scope added to a set; any token → a scope; one of two sets dropped.
    expect(summary(access({ 'Query.rules': [['rules:read']] }))).toEqual([
      'breaking: Query.rules needs rules:read (it needed public): refused now to a caller with no token, or with a token of no scope.',
    ]);
    expect(summary(access({ 'Person.surname': [['persons:read', 'status:read']] }))).toEqual([
      'breaking: Person.surname needs persons:read + status:read (it needed persons:read): refused now to a caller with persons:read.',
    ]);
    expect(summary(access({ 'Person.fines': [['fines:read']] }))).toEqual([
      'breaking: Person.fines needs fines:read (it needed any token): refused now to a caller with persons:read, or with status:read.',
    ]);
    expect(summary(access({ 'Query.person': [['persons:read']] }))).toEqual([
      'breaking: Query.person needs persons:read (it needed persons:read or status:read): refused now to a caller with status:read.',
    ]);
    // Another set beside the one there; a set of fewer scopes; any token.
    expect(summary(access({ 'Person.surname': [['persons:read'], ['aggregates:read']] }))).toEqual(['compatible: Person.surname needs persons:read or aggregates:read (it needed persons:read).']);
    expect(summary(access({ 'Person.surname': [] }))).toEqual(['compatible: Person.surname needs any token (it needed persons:read).']);
    const opened = changed((sdl) => sdl, (before) => ({ ...before, fields: { 'Query.person': before.fields['Query.person']!, 'Person.fines': [] } }));
    expect(summary(opened)).toEqual(['compatible: Person.surname needs public (it needed persons:read).']);
  });

  it('follows the ways to a field: a scope each of them asks already refuses no one', () => {
    const access = (fields: ContractFiles['access']['fields']) => changed((sdl) => sdl, (before) => ({ ...before, fields: { ...before.fields, ...fields } }));
    // Every way to Person asks persons:read or status:read: asking the same of its fines turns no caller away.
    expect(summary(access({ 'Person.fines': [['persons:read'], ['status:read']] }))).toEqual([
      'compatible: Person.fines needs persons:read or status:read (it needed any token); every caller that could read it holds that on each way to it.',
    ]);
    // Only one of the two ways: a caller that came the other way is refused.
    expect(summary(access({ 'Person.fines': [['persons:read']] }))).toEqual([
      'breaking: Person.fines needs persons:read (it needed any token): refused now to a caller with status:read.',
    ]);
  });

  it('counts only the callers a released profile could be: none reach a person without persons:read or status:read', () => {
    const bankOnly = (fields: ContractFiles['access']['fields']): Contract =>
      contractOf({ sdl: SDL, access: { ...structuredClone(ACCESS), agencies: { bank: ACCESS.agencies.bank! }, fields: { ...ACCESS.fields, ...fields } } });
    expect(contractChanges(bankOnly({}), bankOnly({ 'Person.surname': [['persons:read', 'fines:read']] })).map(({ kind }) => kind)).toEqual(['compatible']);
    // The public field still reaches every caller, a token or none.
    expect(contractChanges(bankOnly({}), bankOnly({ 'Query.rules': [['payments:read']] })).map(({ description }) => description)).toEqual([
      'Query.rules needs payments:read (it needed public): refused now to a caller with no token, or with a token of no scope.',
    ]);
  });

  it('reaches the types behind an interface and through a cycle', () => {
    const sdl = `
      type Query { node(id: ID!): Node }
      interface Node { id: ID! }
      type Person implements Node { id: ID!, surname: String!, guardian: Person, fines: [String!]! }
    `;
    const contract = (fields: ContractFiles['access']['fields']): Contract =>
      contractOf({ sdl, access: { ...structuredClone(ACCESS), fields: { 'Query.node': [['status:read']], 'Person.guardian': [['persons:read']], ...fields } } });
    // By the interface, with status:read; by the guardian, with persons:read as well.
    expect(contractChanges(contract({}), contract({ 'Person.fines': [['status:read']] })).map(({ kind }) => kind)).toEqual(['compatible']);
    expect(contractChanges(contract({}), contract({ 'Person.fines': [['persons:read']] })).map(({ description }) => description)).toEqual([
      'Person.fines needs persons:read (it needed public): refused now to a caller with status:read.',
    ]);
  });

  it("calls a profile's scope or purpose taken away, or the profile removed, breaking", () => {
    const profile = (bank: ContractFiles['access']['agencies'][string] | undefined) =>
      changed((sdl) => sdl, (before): ContractFiles['access'] => ({ ...before, agencies: bank ? { ...before.agencies, bank } : { police: before.agencies.police! } }));
    expect(summary(profile({ scopes: [], purposes: ['PAYMENT_PROCESSING', 'AUDIT'] }))).toEqual([
      'breaking: The profile bank no longer holds payments:read.',
      'compatible: The profile bank may declare AUDIT.',
    ]);
    expect(summary(profile({ scopes: ['payments:read'], purposes: [] }))).toEqual(['breaking: The profile bank may no longer declare PAYMENT_PROCESSING.']);
    expect(summary(profile(undefined))).toEqual(['breaking: The agency profile bank was removed.']);
  });
});

describe('a release of the partner contract', () => {
  /** The released contract with Person.status deprecated, its deprecation first released on `since`. */
  const deprecatedSince = (since: string) =>
    contractOf({ sdl: SDL.replace('status: Status', 'status: Status @deprecated(reason: "Use legalStatus.")'), access: { ...ACCESS, deprecated: { 'Person.status': since } } });
  const withoutStatus = (sdl: string) => sdl.replace(', status: Status', '');

  it('refuses a breaking change, saying how to make it without breaking anyone', () => {
    const refusals = releaseRefusals(contractChanges(released, changed(withoutStatus)), '2026-12-07');
    expect(refusals).toEqual([expect.stringMatching(/^Person\.status was removed\. Keep what partners use: .*deprecate the old.* 180 days later\.$/)]);
  });

  it(`removes what was deprecated ${NOTICE_DAYS} days after the release that first carried the deprecation`, () => {
    const changes = contractChanges(deprecatedSince('2026-03-01'), changed(withoutStatus));
    expect(changes).toEqual([{ kind: 'breaking', description: 'Person.status was removed.', deprecatedSince: '2026-03-01' }]);
    expect(releaseRefusals(changes, '2026-08-28')).toEqual([]);
    expect(releaseRefusals(changes, '2026-08-27')).toEqual(['Person.status was removed. Its deprecation was released on 2026-03-01, 179 days before 2026-08-27; a removal needs 180.']);
  });

  it('counts a deprecation it has no record of from the release that carried it', () => {
    const unrecorded = contractOf({ sdl: SDL.replace('status: Status', 'status: Status @deprecated(reason: "Use legalStatus.")'), access: ACCESS });
    const changes = contractChanges(unrecorded, changed(withoutStatus));
    expect(changes[0]!.deprecatedSince).toBe(ACCESS.released);
    expect(releaseRefusals(changes, '2026-11-28')).toEqual([]);
    expect(releaseRefusals(changes, '2026-11-27')).toHaveLength(1);
  });

  it('records a deprecation with the release that first carried it, kept through later releases', () => {
    const api = deprecatedSince('2026-03-01').api;
    expect(deprecationRecord(api, '2026-12-07', null)).toEqual({ 'Person.status': '2026-12-07' });
    expect(deprecationRecord(api, '2026-12-07', deprecatedSince('2026-03-01'))).toEqual({ 'Person.status': '2026-03-01' });
    expect(deprecationRecord(api, '2026-12-07', contractOf({ sdl: SDL.replace('status: Status', 'status: Status @deprecated'), access: ACCESS }))).toEqual({ 'Person.status': ACCESS.released });
  });

  it('removes a type with the deprecated fields that held it, when they are due', () => {
    const sdl = SDL.replace('fines: [String!]!', 'fines: [String!]!, visa: Visa @deprecated(reason: "Use permits.")') + 'type Visa { number: String! }';
    const before = contractOf({ sdl, access: { ...ACCESS, deprecated: { 'Person.visa': '2026-01-05' } } });
    const changes = contractChanges(before, changed((same) => same));
    expect(changes.map(({ description, deprecatedSince: since }) => [description, since])).toEqual([
      ['Visa was removed.', '2026-01-05'],
      ['Person.visa was removed.', '2026-01-05'],
    ]);
    expect(releaseRefusals(changes, '2026-12-07')).toEqual([]);
  });

  it('releases dangerous and compatible changes as they are', () => {
    const changes = contractChanges(released, changed((sdl) => sdl.replace('LAWFUL, UNLAWFUL', 'LAWFUL, UNLAWFUL, UNDETERMINED')));
    expect(changes.map((change) => change.kind)).toEqual(['dangerous']);
    expect(releaseRefusals(changes, '2026-12-07')).toEqual([]);
  });
});
