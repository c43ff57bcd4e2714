/**
 * The V8 flags the gateway process runs with, wherever it runs: `docker-compose.yml` (checked by
 * test/docker-compose.test.ts), `npm start` and the benchmark.
 *
 * The gateway keeps little alive between requests; most of what it allocates is a request's
 * garbage, and much of that lives long enough (a request waits on the registries) to reach the old
 * generation. With Node's default heap limit on a machine of several GiB, V8 lets the old
 * generation grow to about four times what the last full collection kept before it collects again;
 * with a limit below 2 GiB it collects sooner. A limit of 1 GiB, still an order of magnitude above
 * what the gateway keeps under load, cut its peak resident memory by about two fifths in the
 * benchmark, for up to about a tenth more CPU of its own (README, Performance, *heap limit*). The
 * young generation keeps its default size (16 MiB semi-spaces), which the lower limit would
 * otherwise halve: more scavenges, more CPU.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-old-space-size=1024', '--max-semi-space-size=16'];
