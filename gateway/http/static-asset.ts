import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CODINGS, compressKept, MIN_COMPRESSED_BYTES, preferredCoding, type Coding } from './compression';

/**
 * A file the gateway serves from memory (the IDE's scripts, the dashboard's): its bytes, a strong
 * entity tag from their SHA-256, and each compressed copy made on zlib's threads when first asked
 * for, then kept.
 */
export class StaticAsset {
  /** The first 16 characters of the SHA-256 (base64url): names the content, for addresses that change with it. */
  readonly hash: string;
  private readonly copies = new Map<Coding, Promise<Buffer>>();

  constructor(
    readonly type: string,
    readonly body: Buffer,
  ) {
    this.hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
    this.copies.set('identity', Promise.resolve(body));
  }

  /** Each coding is another representation, so another strong tag (RFC 9110, 8.8.3). */
  etag(coding: Coding): string {
    return coding === 'identity' ? `"${this.hash}"` : `"${this.hash}-${coding}"`;
  }

  /** The codings this asset is offered in. */
  get codings(): readonly Coding[] {
    return this.body.length < MIN_COMPRESSED_BYTES ? ['identity'] : CODINGS;
  }

  bytes(coding: Coding): Promise<Buffer> {
    let copy = this.copies.get(coding);
    if (!copy) {
      copy = compressKept(this.body, coding as Exclude<Coding, 'identity'>);
      this.copies.set(coding, copy);
      // A failed compression is not kept: the next request tries again.
      copy.catch(() => this.copies.delete(coding));
    }
    return copy;
  }
}

export interface StaticAnswer {
  /** `Cache-Control`: `immutable` for an address naming the content, `no-cache` for one that stays. */
  cacheControl: string;
  /** Headers every answer of this kind carries (a content security policy, for one). */
  headers?: Record<string, string>;
}

/**
 * Answers a GET or HEAD of a static asset: in the coding the client prefers among those it accepts
 * (`Accept-Encoding`, q-values honoured), `304 Not Modified` when `If-None-Match` names the tag of
 * the copy it would get.
 */
export async function serveStaticAsset(req: IncomingMessage, res: ServerResponse, asset: StaticAsset, answer: StaticAnswer): Promise<void> {
  // Where every coding is refused, the bytes as they are: a file is worth more than a 406.
  const coding = preferredCoding(req, asset.codings) ?? 'identity';
  const common: Record<string, string> = { ...answer.headers, 'cache-control': answer.cacheControl, vary: 'Accept-Encoding' };
  const etag = asset.etag(coding);
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, { ...common, etag });
    res.end();
    return;
  }
  const body = await asset.bytes(coding);
  res.writeHead(200, {
    ...common,
    'content-type': asset.type,
    'content-length': String(body.length),
    etag,
    ...(coding === 'identity' ? {} : { 'content-encoding': coding }),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * `If-None-Match` is compared weakly (`W/"x"` matches `"x"`; `*` matches any) with the tag of the
 * representation this request would get: a cache holding another coding's copy must not be told it is current.
 */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A small answer written whole (a refusal, a page's config), with its length; no body for HEAD. */
export function answerWhole(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(req.method === 'HEAD' ? undefined : body);
}
