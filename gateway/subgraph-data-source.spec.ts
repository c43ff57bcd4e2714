import { SubgraphResponse, type SubgraphAnswer } from './subgraph-data-source';

describe('SubgraphResponse: what the gateway reads of a subgraph answer', () => {
  const answer: SubgraphAnswer = {
    url: 'http://127.0.0.1:1/graphql',
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', vary: ['a', 'b'] },
    text: '{"data":{"n":1}}',
  };

  it('gives headers by any case of their name, the status and its text', () => {
    const response = new SubgraphResponse(answer);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('vary')).toBe('a, b');
    expect(response.headers.get('cache-control')).toBeNull();
    expect([response.ok, response.status, response.statusText, response.url]).toEqual([true, 200, 'OK', answer.url]);
    const refused = new SubgraphResponse({ ...answer, status: 401 });
    expect([refused.ok, refused.statusText]).toEqual([false, 'Unauthorized']);
  });

  it('lets its body be read once, as fetch does, and lets go of it then', async () => {
    const response = new SubgraphResponse(answer);
    expect(await response.json()).toEqual({ data: { n: 1 } });
    await expect(response.text()).rejects.toThrow(/already read/);
  });

  it('gives requests sharing one answer objects of their own', async () => {
    const first = (await new SubgraphResponse(answer).json()) as { data: { n: number } };
    first.data.n = 2;
    expect(await new SubgraphResponse(answer).json()).toEqual({ data: { n: 1 } });
  });
});
