import { createServer, type Server } from 'node:http';

/**
 * The benchmark's OTLP/HTTP endpoint: takes trace exports (POST /v1/traces), reads and drops them,
 * and tells how many it took (GET /received). It runs as a process of its own
 * (bench/gateways.bench.ts `startTraceSink`): reading the gateway's exports in the load generator
 * took its CPU from sending requests, only while telemetry was on.
 */
export function createTraceSink(): Server {
  let received = 0;
  return createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/received') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ received }));
      return;
    }
    request.resume();
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') received += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
}

if (require.main === module) {
  const port = Number(process.env.TRACE_SINK_PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('TRACE_SINK_PORT: the port to listen on, on 127.0.0.1');
  const server = createTraceSink();
  server.listen(port, '127.0.0.1', () => console.log(`trace sink at http://127.0.0.1:${port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
