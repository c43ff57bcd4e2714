import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import Negotiator from 'negotiator';

/** The content codings the gateway sends, the preferred first when a client takes several at the same q. */
export const CODINGS = ['br', 'gzip', 'identity'] as const;
export type Coding = (typeof CODINGS)[number];

/** Below this a compressed copy saves too little to be worth a client's decoding. */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * The coding of `offered` the client prefers (`Accept-Encoding`, q-values honoured; identity unless
 * refused), or null when it refuses them all. Negotiator 1.x breaks ties by the order given as
 * `preferred` (brotli before gzip when a browser takes both); @types/negotiator 0.6 predates that option.
 */
export function preferredCoding(req: IncomingMessage, offered: readonly Coding[]): Coding | null {
  const negotiator = new Negotiator(req) as Negotiator & { encoding(available: readonly string[], options: { preferred: readonly string[] }): string | undefined };
  return (negotiator.encoding(offered, { preferred: offered }) as Coding | undefined) ?? null;
}

/**
 * Compresses on zlib's threads. `once`, for a file kept and sent many times: brotli quality 6 (about
 * four fifths of gzip's size at gzip's cost; 11, the default, takes seconds for GraphiQL's 5 MB), gzip's
 * default level. `each`, for an answer made per request: the fast levels (brotli 1, gzip 1), a page of
 * fifty pictures (126 KB) to 16 and 18 KB for about 0.35 ms of CPU (docs/performance.md).
 */
export function compress(body: Buffer | string, coding: Exclude<Coding, 'identity'>, effort: 'once' | 'each'): Promise<Buffer> {
  if (coding === 'gzip') return gzipAsync(body, { level: effort === 'once' ? constants.Z_DEFAULT_COMPRESSION : 1 });
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: effort === 'once' ? 6 : 1, [constants.BROTLI_PARAM_SIZE_HINT]: size } });
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Ends `res` with an answer made for this request: compressed at the fast levels in the coding the
 * client prefers when it is 1 KiB or more, as it is otherwise (and where every coding is refused:
 * an answer is worth more than a 406). The status and other headers are set before.
 */
export async function endCompressed(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  // The coding depends on Accept-Encoding, whatever this answer's size.
  res.setHeader('vary', [res.getHeader('vary'), 'Accept-Encoding'].filter(Boolean).join(', '));
  const coding = body.length >= MIN_COMPRESSED_BYTES ? preferredCoding(req, CODINGS) : 'identity';
  if (coding === null || coding === 'identity') {
    res.setHeader('content-length', String(Buffer.byteLength(body)));
    res.end(body);
    return;
  }
  const compressed = await compress(body, coding, 'each');
  res.setHeader('content-encoding', coding);
  res.setHeader('content-length', String(compressed.length));
  res.end(compressed);
}
