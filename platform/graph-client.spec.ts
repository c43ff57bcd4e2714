import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PURPOSE_HEADER } from '../protocol/headers';
import { REGISTRY_PURPOSE } from '../protocol/registry-token';
import { newSigningKeyPair } from '../protocol/request-signing';
import { GraphClientError, httpGraphClient } from './graph-client';

describe("a registry's client of the graph", () => {
  it('calls as the registry with its purpose, asks for an answer not compressed, and gives the data', async () => {
    let seen: IncomingHttpHeaders = {};
    const server = createServer((req, res) => {
      seen = req.headers;
      req.resume().on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { ok: true } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = httpGraphClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { registry: 'permits', key: newSigningKeyPair().privateKey });
      await expect(client.query('{ ok }', {}, 'request-1')).resolves.toEqual({ ok: true });
      expect(seen).toMatchObject({ authorization: expect.stringMatching(/^Bearer /), [PURPOSE_HEADER]: REGISTRY_PURPOSE, 'x-request-id': 'request-1', 'accept-encoding': 'identity' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('says why when the graph cannot answer', async () => {
    const client = httpGraphClient('http://127.0.0.1:9/', { registry: 'permits', key: newSigningKeyPair().privateKey }, 1000);
    await expect(client.query('{ ok }', {}, 'request-2')).rejects.toBeInstanceOf(GraphClientError);
  });
});
