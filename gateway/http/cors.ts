import cors from 'cors';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PURPOSE_HEADER } from '../../protocol/headers';

/**
 * CORS by an allow-list of origins, with the `cors` package (the one Apollo Server's own middleware
 * uses): an allowed origin may send the headers a partner's client needs and read the request id
 * and Retry-After; tokens travel in the Authorization header, never in cookies, so no credentials
 * mode. Resolves true when it has answered the request itself (a preflight).
 */
export function crossOrigin(origins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const middleware = cors({
    origin: [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', PURPOSE_HEADER, 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  return (req, res) =>
    new Promise<boolean>((resolve, reject) => {
      middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve(false)));
      // A preflight ends here, without calling on.
      if (res.writableEnded) resolve(true);
    });
}
