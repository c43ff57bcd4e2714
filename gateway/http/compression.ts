import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import Negotiator from 'negotiator';

/** The content codings the gateway sends, the preferred first when a client takes several at the same q. */
export const CODINGS = ['br', 'gzip', 'identity'] as const;
export type Coding = (typeof CODINGS)[number];

/** Below this a file compressed once and kept saves too little to be worth a client's decoding. */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * Below this an answer made per request goes as it is: compressing costs a fixed 20 to 30 µs of
 * encoder set-up whatever the size (a picture of a person, 2 KB, would save about one KB for a few
 * percent of the CPU the gateway spends on it); above it the cost is mostly per byte (a page of fifty,
 * 155 KB to 23 KB, about 0.5 ms). docs/performance.md, "Smaller levers".
 */
export const MIN_COMPRESSED_ANSWER_BYTES = 8 * 1024;

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
 * Compresses a file kept and sent many times, on zlib's threads: brotli quality 6 (about four fifths of
 * gzip's size at gzip's cost; 11, the default, takes seconds for GraphiQL's 5 MB), gzip's default level.
 */
export function compressKept(body: Buffer | string, coding: Exclude<Coding, 'identity'>): Promise<Buffer> {
  if (coding === 'gzip') return gzipAsync(body, { level: constants.Z_DEFAULT_COMPRESSION });
  return brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: byteLength(body) } });
}

/**
 * Compresses an answer made for one request, at the fast levels (brotli 1, gzip 1), on the calling
 * thread: zlib's threads cost more CPU in all than the work itself for an answer (a page of fifty
 * pictures, 155 KB: brotli 1 about 0.55 ms here against 3 ms through the thread pool, gzip 1 0.86
 * against 1.35; docs/performance.md), and two cores' CPU is what the gateway's throughput is made of.
 * An answer above MAX_ANSWER_COMPRESSED_INLINE goes to zlib's threads all the same: it would hold the
 * event loop for milliseconds.
 */
export async function compressAnswer(body: string, coding: Exclude<Coding, 'identity'>): Promise<Buffer> {
  const fast = { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: byteLength(body) } };
  if (body.length > MAX_ANSWER_COMPRESSED_INLINE) return coding === 'gzip' ? gzipAsync(body, { level: 1 }) : brotliAsync(body, fast);
  return coding === 'gzip' ? gzipSync(body, { level: 1 }) : brotliCompressSync(body, fast);
}

/** About 4 ms of the event loop's time at brotli 1. */
const MAX_ANSWER_COMPRESSED_INLINE = 2 ** 20;

function byteLength(body: Buffer | string): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.length;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Ends `res` with an answer made for this request: compressed at the fast levels in the coding the
 * client prefers when it is MIN_COMPRESSED_ANSWER_BYTES or more, as it is otherwise (and where every
 * coding is refused: an answer is worth more than a 406). The status and other headers are set before.
 */
export async function endCompressed(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  // The coding depends on Accept-Encoding, whatever this answer's size.
  res.setHeader('vary', [res.getHeader('vary'), 'Accept-Encoding'].filter(Boolean).join(', '));
  const coding = body.length >= MIN_COMPRESSED_ANSWER_BYTES ? preferredCoding(req, CODINGS) : 'identity';
  if (coding === null || coding === 'identity') {
    res.setHeader('content-length', String(Buffer.byteLength(body)));
    res.end(body);
    return;
  }
  const compressed = await compressAnswer(body, coding);
  res.setHeader('content-encoding', coding);
  res.setHeader('content-length', String(compressed.length));
  res.end(compressed);
}
