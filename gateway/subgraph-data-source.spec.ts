import { SubgraphResponse } from './subgraph-data-source';

describe('SubgraphResponse: what the gateway reads of a subgraph answer', () => {
  const answer = () => new SubgraphResponse('http://127.0.0.1:1/graphql', 200, { 'content-type': 'application/json; charset=utf-8', vary: ['a', 'b'] }, '{"data":{"n":1}}');

  it('gives headers by any case of their name, the status and its text', () => {
    const response = answer();
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('vary')).toBe('a, b');
    expect(response.headers.get('cache-control')).toBeNull();
    expect([response.ok, response.status, response.statusText]).toEqual([true, 200, 'OK']);
    const refused = new SubgraphResponse('http://127.0.0.1:1/graphql', 401, {}, '{}');
    expect([refused.ok, refused.statusText]).toEqual([false, 'Unauthorized']);
  });

  it('parses the body anew for each reader, so requests sharing one answer never share objects', async () => {
    const response = answer();
    const first = (await response.json()) as { data: { n: number } };
    first.data.n = 2;
    expect(await response.json()).toEqual({ data: { n: 1 } });
    expect(await response.text()).toBe('{"data":{"n":1}}');
  });
});
