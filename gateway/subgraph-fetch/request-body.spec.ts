import type { GatewayGraphQLRequest } from '@apollo/server-gateway-interface';
import { bodyOf } from './request-body';

describe('bodyOf: a subgraph request body, written once per request', () => {
  const request = (): GatewayGraphQLRequest => ({
    query: 'query Q($id:ID!){person(id:$id){id}}',
    operationName: 'Q',
    variables: { id: 'p1' },
    http: { method: 'POST', url: 'http://127.0.0.1:1/graphql', headers: new Headers({ 'x-request-id': 'r1' }) as never },
  });

  it('is the JSON of the request without its HTTP part', () => {
    expect(JSON.parse(bodyOf(request()))).toEqual({ query: 'query Q($id:ID!){person(id:$id){id}}', operationName: 'Q', variables: { id: 'p1' } });
  });

  it('is written once for a request object; another request asking the same has the same body', () => {
    let written = 0;
    const one = request();
    one.variables = { id: 'p1', toJSON: () => ((written += 1), { id: 'p1' }) } as never;
    const body = bodyOf(one);
    // Its headers change on its way (the request id, the state asked), which are not in its body.
    one.http!.headers.set('x-request-id', 'r2');
    expect(bodyOf(one)).toBe(body);
    expect(written).toBe(1);
    expect(bodyOf(request())).toBe(body);
  });
});
