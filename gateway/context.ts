import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Per-request state of the gateway. Partner authentication will add verified claims here. */
export interface GatewayContext {
  requestId: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's x-request-id when well-formed (else makes one) and echoes it on the response. */
export async function createGatewayContext({ req, res }: { req: IncomingMessage; res: ServerResponse }): Promise<GatewayContext> {
  const header = req.headers['x-request-id'];
  const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  res.setHeader('x-request-id', requestId);
  return { requestId };
}
