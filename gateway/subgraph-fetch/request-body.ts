import type { GatewayGraphQLRequest } from '@apollo/server-gateway-interface';

/** Each request's body, by the request object: a request's body is the same wherever it is needed. */
const bodies = new WeakMap<GatewayGraphQLRequest, string>();

/**
 * A subgraph request's body as it is sent (its JSON without the HTTP part), made once per request
 * object: the read cache's key, the batch that joins it, the identical reads in flight and the send
 * all need it, and a page's entity read is a large JSON (its representations) to write again each
 * time. A request is not changed once it is on its way (only its headers, which are not in the body).
 */
export function bodyOf(request: GatewayGraphQLRequest): string {
  let body = bodies.get(request);
  if (body === undefined) {
    const { http: _, ...sent } = request;
    body = JSON.stringify(sent);
    bodies.set(request, body);
  }
  return body;
}
