import { CALLING_AGENCIES } from '../gateway/features/authorization/agencies';
import {
  AGENCY_MIX,
  agencyRequest,
  coldConnections,
  coldTurnShare,
  coldInputs,
  coldSharesAmong,
  COLD_SHARES,
  CROSSING_READ,
  disjointSlices,
  distinctRequests,
  expectedIn,
  fixedRates,
  isRightAnswer,
  mixRequest,
  readAfterWrite,
  variablesFor,
  warmupRequests,
  workloadRequest,
  type PopulationRecord,
  type UnpaidPayment,
  type WorkloadInputs,
} from './workloads';

describe('what the benchmark counts as a right answer', () => {
  const inputs: WorkloadInputs = {
    personIds: ['p-1', 'p-2'],
    cursors: [null, 'c-1', 'c-2'],
    documents: [{ country: 'TUR', number: 'U1', holder: 'p-2' }],
  };

  it('expects the person asked for, the holder of the document asked for, and the end cursor of a page of 50', () => {
    expect(expectedIn('picture', inputs, 3)).toBe('"id":"p-2"');
    expect(expectedIn('document', inputs, 0)).toBe('"id":"p-2"');
    expect(variablesFor('document', inputs, 0)).toEqual({ country: 'TUR', number: 'U1' });
    expect(expectedIn('page', inputs, 0)).toBe('"endCursor":"c-1"');
    expect(expectedIn('page', inputs, 1)).toBe('"endCursor":"c-2"');
    // The last page's end cursor, and any page of another size, are not known.
    expect(expectedIn('page', inputs, 2)).toBeNull();
    expect(expectedIn('page', inputs, 0, 10)).toBeNull();
  });

  it('takes data with the expected text and refuses errors, another record and no data', () => {
    const answer = '{"data":{"person":{"id":"p-2","givenName":"Aysel"}}}';
    expect(isRightAnswer(answer, '"id":"p-2"')).toBe(true);
    expect(isRightAnswer(answer, null)).toBe(true);
    expect(isRightAnswer(answer, '"id":"p-1"')).toBe(false);
    expect(isRightAnswer('{"data":{"person":null},"errors":[{"message":"x"}]}', null)).toBe(false);
    expect(isRightAnswer('{"errors":[{"message":"Refused"}]}', null)).toBe(false);
    expect(isRightAnswer('{"data":null}', null)).toBe(false);
  });
});

describe('workloads that do not repeat', () => {
  // Forty persons p0..p39 in the registry's order, each with a cursor c0..c39; every other one has a document.
  const population: PopulationRecord[] = Array.from({ length: 40 }, (_, index) => ({
    id: `p${index}`,
    cursor: `c${index}`,
    document: index % 2 === 0 ? { country: 'TUR', number: `U${index}` } : null,
  }));

  it('cuts records into disjoint slices of equal length, the remainder left out', () => {
    expect(disjointSlices([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(disjointSlices([1], 2)).toEqual([[], []]);
    expect(disjointSlices([1, 2], 0)).toEqual([]);
  });

  it('gives each contestant and workload its own records, none of the warm ones, none twice', () => {
    const cold = coldInputs(population, 8, ['a', 'b'] as const, 2);
    // 32 cold persons: pages get 16 (8 pages of 2, 4 each), pictures 8 (4 each), documents 8 (4 persons, 2 with documents each).
    expect(cold.page.a.cursors).toEqual(['c7', 'c9', 'c11', 'c13']);
    expect(cold.page.b.cursors).toEqual(['c15', 'c17', 'c19', 'c21']);
    expect(cold.picture.a.personIds).toEqual(['p24', 'p25', 'p26', 'p27']);
    expect(cold.picture.b.personIds).toEqual(['p28', 'p29', 'p30', 'p31']);
    expect(cold.document.a.documents).toEqual([
      { country: 'TUR', number: 'U32', holder: 'p32' },
      { country: 'TUR', number: 'U34', holder: 'p34' },
    ]);
    expect(cold.document.b.documents.map((document) => document.holder)).toEqual(['p36', 'p38']);
    // The persons each slice reads: a page after cN holds persons N+1 and N+2.
    const read = [
      ...[...cold.page.a.cursors, ...cold.page.b.cursors].flatMap((cursor) => {
        const after = Number(cursor!.slice(1));
        return [`p${after + 1}`, `p${after + 2}`];
      }),
      ...cold.picture.a.personIds,
      ...cold.picture.b.personIds,
      ...[...cold.document.a.documents, ...cold.document.b.documents].map((document) => document.holder),
    ];
    expect(new Set(read).size).toBe(read.length);
    expect(read.every((id) => Number(id.slice(1)) >= 8)).toBe(true);
    // Each slice is asked once over: as many requests as records, then it is used up.
    expect(distinctRequests('page', cold.page.a)).toBe(4);
    expect(distinctRequests('document', cold.document.b)).toBe(2);
    // A page's answer must end at the next page's cursor; the slice's last page is not checked (its end is the next slice's).
    expect(workloadRequest('page', cold.page.a, 0, 2).expected).toBeNull();
    expect(workloadRequest('page', cold.page.a, 0).expected).toBe('"endCursor":"c9"');
    expect(workloadRequest('page', cold.page.a, 3).expected).toBeNull();
  });

  it('cuts the regions by the shares given: a workload measured alone has all of the cold population', () => {
    expect(coldSharesAmong(['picture'])).toEqual({ page: 0, picture: 1, document: 0 });
    expect(coldSharesAmong(['picture', 'document'])).toEqual({ page: 0, picture: 0.5, document: 0.5 });
    expect(coldSharesAmong(['page', 'picture', 'document'])).toEqual(COLD_SHARES);
    const cold = coldInputs(population, 8, ['a', 'b'] as const, 2, coldSharesAmong(['picture']));
    expect(cold.picture.a.personIds).toEqual(Array.from({ length: 16 }, (_, n) => `p${8 + n}`));
    expect(cold.picture.b.personIds).toEqual(Array.from({ length: 16 }, (_, n) => `p${24 + n}`));
    expect(cold.page.a.cursors).toEqual([]);
    expect(cold.document.b.documents).toEqual([]);
  });

  it('never takes the first person as a page start without a cursor before it', () => {
    const cold = coldInputs(population.slice(0, 5), 0, ['a'] as const, 2);
    expect(cold.page.a.cursors).toEqual(['c0']);
  });
});

describe('the read/write mix', () => {
  const inputs: WorkloadInputs = {
    personIds: ['p-1', 'p-2'],
    cursors: [null],
    documents: [{ country: 'TUR', number: 'U1', holder: 'p-2' }],
  };
  const payments: UnpaidPayment[] = [{ code: '100000000001', amount: '300.00' }];
  const requests = Array.from({ length: 40 }, (_, n) => mixRequest(inputs, payments, n, `key-${n}`, '2026-12-04'));
  const parsed = requests.map((request) => JSON.parse(request.body) as { query: string; variables: Record<string, any> });

  it('makes one request in ten a write, a crossing and a payment in turn, each with its own key', () => {
    const writes = requests.flatMap((request, n) => (request.write ? [n] : []));
    expect(writes).toEqual([9, 19, 29, 39]);
    expect(requests[9].write).toEqual({ kind: 'crossing', personId: 'p-1', crossingId: 'key-9' });
    expect(parsed[9].variables.input).toEqual({ id: 'key-9', personId: 'p-1', direction: 'EXIT', date: '2026-12-04', checkpoint: 'GYD_HEYDAR_ALIYEV_AIRPORT' });
    expect(requests[19].write).toEqual({ kind: 'payment', code: '100000000001' });
    expect(parsed[19].variables.input).toEqual({ code: '100000000001', channel: 'BANK_BRANCH', amount: '300.00', idempotencyKey: 'key-19' });
    expect(requests[19].expected).toBe('"code":"100000000001"');
    // The payments used up, a crossing instead.
    expect(requests[39].write).toMatchObject({ kind: 'crossing', crossingId: 'key-39' });
  });

  it('reads a picture and a status by document in turn between the writes', () => {
    expect(parsed.slice(0, 4).map((request) => /query (\w+)/.exec(request.query)![1])).toEqual(['BenchPersonPicture', 'BenchStatusByDocument', 'BenchPersonPicture', 'BenchStatusByDocument']);
    expect(requests[0].expected).toBe('"id":"p-1"');
    expect(requests[2].expected).toBe('"id":"p-2"');
    expect(requests.filter((request) => !request.write)).toHaveLength(36);
  });

  it('reads a write back by what it changed', () => {
    expect(readAfterWrite({ kind: 'crossing', personId: 'p-1', crossingId: 'x-1' })).toEqual({
      body: JSON.stringify({ query: CROSSING_READ, variables: { id: 'p-1' } }),
      expected: '"id":"x-1"',
    });
    expect(readAfterWrite({ kind: 'payment', code: '100000000001' }).expected).toBe('"status":"PAID"');
    expect(isRightAnswer('{"data":{"paymentByCode":{"code":"100000000001","status":"UNPAID"}}}', '"status":"PAID"')).toBe(false);
  });
});

describe('every agency at once', () => {
  const inputs: WorkloadInputs = { personIds: ['p-1'], cursors: [null, 'c-1'], documents: [{ country: 'TUR', number: 'U1', holder: 'p-1' }] };
  const documents = Object.fromEntries(AGENCY_MIX.map((part) => [part.operation, `query ${part.operation} { __typename }`]));
  const tokens = Object.fromEntries(AGENCY_MIX.map((part) => [part.agency, [`${part.agency}-0`, `${part.agency}-1`]]));
  const purposes = Object.fromEntries(AGENCY_MIX.map((part) => [part.agency, part.agency === 'police' ? ['PUBLIC_ORDER', 'CRIMINAL_INVESTIGATION'] : ['ONE']]));

  it('sends the seven partner agencies in turn, each its own operation, officers and purposes', () => {
    expect(AGENCY_MIX.map((part) => part.agency).sort()).toEqual([...CALLING_AGENCIES].sort());
    const first = Array.from({ length: AGENCY_MIX.length }, (_, n) => agencyRequest(documents, tokens, purposes, inputs, ['C1', 'C2'], n));
    expect(first.map((request) => request.headers!.authorization)).toEqual(AGENCY_MIX.map((part) => `Bearer ${part.agency}-0`));
    const police = AGENCY_MIX.findIndex((part) => part.agency === 'police');
    const bank = AGENCY_MIX.findIndex((part) => part.agency === 'bank');
    const again = agencyRequest(documents, tokens, purposes, inputs, ['C1', 'C2'], police + AGENCY_MIX.length);
    expect(again.headers).toEqual({ authorization: 'Bearer police-1', 'x-dmx-purpose': 'CRIMINAL_INVESTIGATION' });
    expect(JSON.parse(first[police].body)).toEqual({ query: 'query FinesByDocument { __typename }', variables: { country: 'TUR', number: 'U1' } });
    expect(first[police].expected).toBe('"id":"p-1"');
    expect(agencyRequest(documents, tokens, purposes, inputs, ['C1', 'C2'], bank + AGENCY_MIX.length).expected).toBe('"code":"C2"');
  });
});

describe('fixed arrival rates', () => {
  it('sends at a quarter, half and three quarters of a saturation rate, whole and at least one a second', () => {
    expect(fixedRates(148.9)).toEqual([37, 74, 112]);
    expect(fixedRates(2)).toEqual([1, 1, 2]);
    expect(fixedRates(0)).toEqual([1, 1, 1]);
  });
});

describe('cold connections', () => {
  it('sends cold pages over a tenth of the connections, at least two, and the other cold workloads over all', () => {
    expect(coldConnections('page', 50)).toBe(5);
    expect(coldConnections('page', 8)).toBe(2);
    expect(coldConnections('page', 1)).toBe(1);
    expect(coldConnections('picture', 50)).toBe(50);
    expect(coldConnections('document', 50)).toBe(50);
  });
});

describe('cold turns', () => {
  it('share what is left of a slice equally over the rounds still to come, so every round measures', () => {
    // 4,900 records over three rounds: each turn its share, whatever it used before.
    expect(coldTurnShare(4900, 3)).toBe(1634);
    expect(coldTurnShare(4900 - 1634, 2)).toBe(1633);
    expect(coldTurnShare(4900 - 1634 - 1633, 1)).toBe(1633);
    // A slow gateway that used less keeps the rest for its later turns.
    expect(coldTurnShare(4900 - 300, 2)).toBe(2300);
    expect(coldTurnShare(0, 2)).toBe(0);
    expect(coldTurnShare(-5, 1)).toBe(0);
  });

  it("end a turn's warm-up after a fifth of its share, so that a small slice is measured, not warmed up", () => {
    // 50 records a gateway over three rounds (2,000 persons): 17 a turn, 3 of them warm-up.
    expect(warmupRequests(coldTurnShare(50, 3))).toBe(3);
    expect(warmupRequests(1)).toBe(1);
    // A turn without a budget (warm workloads) warms up for its seconds alone.
    expect(warmupRequests(undefined)).toBe(Infinity);
  });
});
