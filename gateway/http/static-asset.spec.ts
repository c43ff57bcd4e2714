import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { rawRequest } from '../../platform/testing/raw-http';
import { serveStaticAsset, StaticAsset } from './static-asset';

const large = new StaticAsset('text/javascript; charset=utf-8', Buffer.from('console.log("the IDE");\n'.repeat(2_000)));
const small = new StaticAsset('text/css; charset=utf-8', Buffer.from('body { margin: 0 }\n'));

describe('serving a file from memory', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      void serveStaticAsset(req, res, req.url === '/small' ? small : large, { cacheControl: 'public, max-age=60', headers: { 'x-content-type-options': 'nosniff' } });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => rawRequest(`http://127.0.0.1:${port}${path}`, { method, headers });

  it('sends the bytes as they are to a client that names no coding, with its tag, type and caching', async () => {
    const answer = await get('/');
    expect(answer.status).toBe(200);
    expect(answer.body.equals(large.body)).toBe(true);
    expect(answer.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'content-length': String(large.body.length),
      'cache-control': 'public, max-age=60',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
      etag: `"${large.hash}"`,
    });
    expect(answer.headers['content-encoding']).toBeUndefined();
  });

  it('compresses in the coding the client prefers, brotli first when it takes both', async () => {
    const both = await get('/', { 'accept-encoding': 'gzip, deflate, br' });
    expect(both.headers['content-encoding']).toBe('br');
    expect(both.body.length).toBeLessThan(large.body.length / 10);
    expect(brotliDecompressSync(both.body).equals(large.body)).toBe(true);
    expect(both.headers.etag).toBe(`"${large.hash}-br"`);

    const gzipFirst = await get('/', { 'accept-encoding': 'br;q=0.5, gzip' });
    expect(gzipFirst.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipFirst.body).equals(large.body)).toBe(true);
    expect(gzipFirst.headers.etag).toBe(`"${large.hash}-gzip"`);

    expect((await get('/', { 'accept-encoding': 'deflate' })).headers['content-encoding']).toBeUndefined();
  });

  it('compresses each coding once and keeps it', async () => {
    const asset = new StaticAsset('text/plain', Buffer.alloc(4096, 'a'));
    expect(asset.bytes('gzip')).toBe(asset.bytes('gzip'));
    expect(gunzipSync(await asset.bytes('gzip')).equals(asset.body)).toBe(true);
  });

  it('does not compress a small file', async () => {
    const answer = await get('/small', { 'accept-encoding': 'br, gzip' });
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body.equals(small.body)).toBe(true);
  });

  it('sends the bytes as they are when every coding it has is refused', async () => {
    const answer = await get('/small', { 'accept-encoding': 'gzip, identity;q=0' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body.equals(small.body)).toBe(true);
  });

  it('answers 304 when the client holds the copy it would get (its tag, weak or strong, among several)', async () => {
    for (const held of [`"${large.hash}-br"`, `W/"${large.hash}-br"`, `"other", "${large.hash}-br"`, '*']) {
      const answer = await get('/', { 'accept-encoding': 'br', 'if-none-match': held });
      expect({ held, status: answer.status }).toEqual({ held, status: 304 });
      expect(answer.body.length).toBe(0);
      expect(answer.headers.etag).toBe(`"${large.hash}-br"`);
      expect(answer.headers['cache-control']).toBe('public, max-age=60');
    }
    // Another coding's copy, or another build: the file again.
    for (const held of [`"${large.hash}"`, `"${large.hash}-gzip"`, '"another build"']) {
      expect((await get('/', { 'accept-encoding': 'br', 'if-none-match': held })).status).toBe(200);
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const answer = await get('/', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(Number(answer.headers['content-length'])).toBe((await large.bytes('gzip')).length);
    expect(answer.body.length).toBe(0);
  });
});
