/**
 * The V8 flags the gateway process runs with, wherever it runs: `docker-compose.yml` (checked by
 * test/docker-compose.test.ts), `npm start` and the benchmark.
 *
 * Most of what the gateway allocates is a request's garbage, and much of it lives long enough (a
 * request waits on the registries) to reach the old generation; with Node's default heap limit V8
 * lets that generation grow far before collecting. A lower limit, still well above what the gateway
 * keeps under load, makes it collect sooner: less peak memory for a little CPU (docs/performance.md,
 * "heap limit"). The young generation keeps its default size, which the lower limit would otherwise
 * halve.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-old-space-size=1024', '--max-semi-space-size=16'];
