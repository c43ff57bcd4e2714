import { Headers as NodeFetchHeaders } from 'node-fetch';
import { callerClaims, headersKey, REQUEST_IDS } from './fetch-batching';
import { forEachHeader, plainHeaders, type SubgraphHeaders } from './headers';

/** A subgraph request's headers as @apollo/gateway builds them (node-fetch's class), names in mixed case. */
function apolloHeaders(requestId: string, claims = 'border'): NodeFetchHeaders {
  const headers = new NodeFetchHeaders({ 'apollo-federation-include-trace': 'ftv1' });
  headers.set('Content-Type', 'application/json');
  headers.set('x-request-id', requestId);
  headers.set('X-DMX-Claims', claims);
  return headers;
}

const pairs = (headers: SubgraphHeaders) => {
  const read: [string, string][] = [];
  forEachHeader(headers, (name, value) => read.push([name, value]));
  return read;
};
const sorted = (entries: [string, string][]) => [...entries].sort(([a], [b]) => a.localeCompare(b));

describe('forEachHeader and plainHeaders: a request headers read without copying', () => {
  it("reads node-fetch's headers as its iterator gives them: lower-case names, several values joined", () => {
    const headers = apolloHeaders('r1');
    headers.append('Accept', 'application/json');
    headers.append('accept', 'text/plain');
    headers.set('content-type', 'application/graphql-response+json');
    expect(sorted(pairs(headers))).toEqual(sorted([...headers]));
    expect(pairs(headers)).toContainEqual(['accept', 'application/json, text/plain']);
    expect(pairs(headers)).toContainEqual(['content-type', 'application/graphql-response+json']);
    expect(plainHeaders(headers)).toEqual(Object.fromEntries(headers));
  });

  it('iterates any other Headers', () => {
    const headers = new Headers({ 'Content-Type': 'application/json', 'x-request-id': 'r1' });
    expect(pairs(headers)).toEqual([...headers]);
    expect(plainHeaders(headers)).toEqual({ 'content-type': 'application/json', 'x-request-id': 'r1' });
  });
});

describe("headersKey over node-fetch's headers", () => {
  const joined = { 'x-request-id': REQUEST_IDS, 'x-dmx-claims': callerClaims() };

  it('is the same for requests alike but for their request ids, each id among the joined values', () => {
    const first = headersKey(apolloHeaders('r1'), joined);
    const second = headersKey(apolloHeaders('r2'), joined);
    expect(second.key).toBe(first.key);
    expect(first.joined.map(({ name, value }) => [name, value])).toEqual([
      ['x-request-id', 'r1'],
      ['x-dmx-claims', 'border'],
    ]);
  });

  it('differs when another header differs or is added', () => {
    const base = headersKey(apolloHeaders('r1'), joined).key;
    const other = apolloHeaders('r1');
    other.set('content-type', 'text/plain');
    expect(headersKey(other, joined).key).not.toBe(base);
    const more = apolloHeaders('r1');
    more.set('X-Extra', '1');
    expect(headersKey(more, joined).key).not.toBe(base);
  });
});
