import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';
import { dashboardBench } from './dashboard.bench';
import { benchCredentials } from './gateways.bench';
import { addEnvSetting, BASE_ENV, openSupergraph, REGISTRY_NODE_FLAGS, registryEnv, benchTrust, startOurGateway } from './environments';
import { cpuMs, freePort, startServer, stopAll, waitUntil, type Server } from './processes';
import { WORKLOAD_QUERIES } from './workloads';
import { cpuProfileFlags } from './profile-share';

/**
 * What a page of fifty full pictures costs the registries (issue 24), through our gateway with
 * READ_CACHE=off and through stock @apollo/gateway on the same registries: per page, the subgraph
 * fetches and SQL statements each registry served and the CPU each spent, one page at a time and
 * with several pages at once. Each gateway reads its own pages, never read before by either (cold).
 *
 *   npx ts-node --transpile-only bench/page-cost.ts --data data/bench-2000 --persons 2000 --pages 8 --concurrency 4 [--ours-env RESULT_SHAPING=apollo]
 *
 * The data folder is used as given (seeded on first use); copy a seeded one, this run adds to its audit log.
 */
type Key = 'oursUncached' | 'stock';

interface Options {
  data: string;
  persons: number;
  pages: number;
  concurrency: number;
  profileDir?: string;
  /** Read every page of the run once through both gateways first, so the registries' own caches are warm. */
  warm: boolean;
  /** Turns per gateway and mode, the order of the gateways alternating. */
  rounds: number;
  /** Reads of the first page through each gateway before anything is measured. */
  warmup: number;
  /** One gateway only (for a profile of the registries under its requests alone). */
  only?: Key;
  /** Settings of our gateway besides READ_CACHE=off (`--ours-env NAME=value`, repeated), e.g. RESULT_SHAPING=apollo. */
  oursEnv: Record<string, string>;
  /** Node flags of the four registries instead of REGISTRY_NODE_FLAGS (`--registry-flags "--max-semi-space-size=32"`). */
  registryFlags?: string[];
}

function parseOptions(argv: string[]): Options {
  const options: Options = { data: 'data/bench-2000', persons: 2000, pages: 8, concurrency: 4, warm: false, rounds: 2, warmup: 20, oursEnv: {} };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--warm') {
      options.warm = true;
      continue;
    }
    i += 1;
    if (flag === '--data') options.data = value;
    else if (flag === '--persons') options.persons = Number(value);
    else if (flag === '--pages') options.pages = Number(value);
    else if (flag === '--concurrency') options.concurrency = Number(value);
    else if (flag === '--profile') options.profileDir = path.resolve(value);
    else if (flag === '--rounds') options.rounds = Number(value);
    else if (flag === '--warmup') options.warmup = Number(value);
    else if (flag === '--only' && (value === 'oursUncached' || value === 'stock')) options.only = value;
    else if (flag === '--ours-env' && addEnvSetting(options.oursEnv, value)) continue;
    else if (flag === '--registry-flags' && value !== undefined) options.registryFlags = value.split(' ').filter(Boolean);
    else throw new Error(`unknown option ${flag}; known: --data --persons --pages --concurrency --rounds --warmup --only --profile --warm --ours-env NAME=value --registry-flags "<node flags>"`);
  }
  return options;
}

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const TITLES: Record<Key, string> = { oursUncached: "(a') ours, READ_CACHE=off", stock: '(b) stock @apollo/gateway' };

interface RegistryStats {
  total: number;
  byName: Record<string, number>;
  graphqlRequests: number;
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return response.json();
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'bench/tsconfig.json')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const temp = mkdtempSync(path.join(os.tmpdir(), 'dmx-page-cost-'));
  const profiling = (name: string) => cpuProfileFlags(options.profileDir, name);

  const { trust: authTrust, tokens: [token] } = await benchCredentials(1);
  const headers = { authorization: `Bearer ${token}`, 'x-dmx-purpose': 'OVERSIGHT' };

  const dashboard = dashboardBench();
  const trust = benchTrust(dashboard);
  const signedPorts = {} as Record<SubgraphName, number>;
  const benchPorts = {} as Record<SubgraphName, number>;
  for (const name of SUBGRAPH_NAMES) {
    signedPorts[name] = await freePort();
    benchPorts[name] = await freePort();
  }
  const port = { oursUncached: await freePort(), stock: await freePort() };
  const openSupergraphPath = path.join(temp, 'supergraph.graphql');
  writeFileSync(openSupergraphPath, openSupergraph(readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'), benchPorts));

  const registries = SUBGRAPH_NAMES.map((name) => ({
    name,
    server: startServer(name, [...profiling(name), ...(options.registryFlags ?? REGISTRY_NODE_FLAGS), path.join(dist, 'bench', 'servers', 'registry.js'), name], {
      quiet: true,
      env: registryEnv({ name, dataDir: path.resolve(options.data), persons: options.persons, signedPort: signedPorts[name], benchPort: benchPorts[name], gatewayUrl: `http://127.0.0.1:${port.oursUncached}/`, trust }),
    }),
  }));
  await Promise.all(registries.map(({ name, server }) => waitUntil(server, async () => (await fetch(`http://127.0.0.1:${benchPorts[name]}/health`)).ok, 10 * 60_000)));

  const gateways: Record<Key, { url: string; server: Server }> = {
    oursUncached: {
      url: `http://127.0.0.1:${port.oursUncached}/`,
      server: startOurGateway('ours', { checkout: root, signedPorts, authTrust, trust }, port.oursUncached, {
        env: { READ_CACHE: 'off', ...options.oursEnv },
        flags: profiling('gateway-ours'),
        quiet: true,
      }),
    },
    stock: {
      url: `http://127.0.0.1:${port.stock}/`,
      server: startServer('stock', [...profiling('gateway-stock'), path.join(dist, 'bench', 'servers', 'stock-gateway.js')], {
        cwd: root,
        quiet: true,
        env: { ...BASE_ENV, NODE_ENV: 'production', PORT: String(port.stock), SUPERGRAPH_PATH: openSupergraphPath },
      }),
    },
  };
  for (const gateway of Object.values(gateways)) {
    await waitUntil(gateway.server, async () => (await post(gateway.url, { query: '{ __typename }' }, headers))?.data?.__typename === 'Query', 120_000);
  }

  // The cursors of the population's pages, asked of the persons registry alone.
  const cursors: (string | null)[] = [];
  let after: string | null = null;
  for (;;) {
    const json = await post(`http://127.0.0.1:${benchPorts.persons}/graphql`, { query: 'query($after: String) { persons(first: 50, after: $after) { pageInfo { endCursor hasNextPage } } }', variables: { after } }, {});
    const info = json.data.persons.pageInfo;
    if (!info.hasNextPage) break;
    cursors.push(info.endCursor);
    after = info.endCursor;
  }
  // Page 0 (the first) for the answers' check and the warm-up, read by both; then disjoint pages per gateway, mode and round.
  const keys: Key[] = options.only ? [options.only] : ['oursUncached', 'stock'];
  const modes = [
    { name: 'one at a time', concurrency: 1 },
    { name: `${options.concurrency} at once`, concurrency: options.concurrency },
  ];
  const needed = 1 + keys.length * modes.length * options.pages * options.rounds;
  if (cursors.length < needed) throw new Error(`${cursors.length} pages in the population, ${needed} needed: fewer --pages or --rounds, or more --persons`);
  const page = (after: string | null) => ({ query: WORKLOAD_QUERIES.page, variables: { first: 50, after } });

  const first = await Promise.all(keys.map((key) => post(gateways[key].url, page(cursors[0]), headers)));
  for (const [index, json] of first.entries()) if (!json.data || json.errors) throw new Error(`${keys[index]} answered ${JSON.stringify(json).slice(0, 600)}`);
  if (keys.length === 2) {
    const same = canonical(first[0].data) === canonical(first[1].data);
    console.log(`answers to the first page: ${same ? 'the same' : 'DIFFERENT'}`);
    if (!same) {
      writeFileSync(path.join(temp, 'ours.json'), JSON.stringify(first[0].data, null, 1));
      writeFileSync(path.join(temp, 'stock.json'), JSON.stringify(first[1].data, null, 1));
      console.log(`  both answers in ${temp}`);
    }
  }
  // The registries' and gateways' code compiled (JIT) before anything is measured: the first page again and again.
  for (let n = 0; n < options.warmup; n += 1) for (const key of keys) await post(gateways[key].url, page(cursors[0]), headers);

  let nextPage = 1;
  const slices = new Map<string, (string | null)[]>();
  for (let round = 0; round < options.rounds; round += 1) {
    for (const mode of modes) for (const key of keys) slices.set(`${round}/${mode.name}/${key}`, cursors.slice(nextPage, (nextPage += options.pages)));
  }
  if (options.warm) {
    for (const key of keys) for (const slice of slices.values()) for (const cursor of slice) await post(gateways[key].url, page(cursor), headers);
  }

  const stats = async (): Promise<Record<string, RegistryStats>> =>
    Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, (await (await fetch(`http://127.0.0.1:${benchPorts[name]}/bench/stats`)).json()) as RegistryStats])));
  const cpu = () => Object.fromEntries(registries.map(({ name, server }) => [name, cpuMs(server.child.pid!) ?? 0]));
  const settle = async () => {
    const pids = [...registries.map(({ server }) => server.child.pid!), ...keys.map((key) => gateways[key].server.child.pid!)];
    const busy = () => pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);
    for (let last = busy(), tries = 0; tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = busy();
      if (now - last < 20) return;
      last = now;
    }
  };
  const outbox = (stats: RegistryStats) => Object.entries(stats.byName).reduce((sum, [statement, count]) => sum + (statement.startsWith('outbox.') ? count : 0), 0);

  interface Totals {
    pages: number;
    seconds: number;
    failed: number;
    gatewayCpu: number;
    byRegistry: Record<string, { statements: number; fetches: number; cpu: number }>;
    statements: Map<string, number>;
  }
  const totals = new Map<string, Totals>();
  for (let round = 0; round < options.rounds; round += 1) {
    for (const mode of modes) {
      for (const key of round % 2 === 0 ? keys : [...keys].reverse()) {
        const slice = slices.get(`${round}/${mode.name}/${key}`)!;
        let total = totals.get(`${mode.name}/${key}`);
        if (!total) {
          total = { pages: 0, seconds: 0, failed: 0, gatewayCpu: 0, byRegistry: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, { statements: 0, fetches: 0, cpu: 0 }])), statements: new Map() };
          totals.set(`${mode.name}/${key}`, total);
        }
        await settle();
        const statsBefore = await stats();
        const cpuBefore = cpu();
        const gatewayCpuBefore = cpuMs(gateways[key].server.child.pid!) ?? 0;
        const started = performance.now();
        let next = 0;
        await Promise.all(
          Array.from({ length: mode.concurrency }, async () => {
            while (next < slice.length) {
              const json = await post(gateways[key].url, page(slice[next++]), headers);
              if (!json.data || json.errors || json.data.persons.nodes.length !== 50) {
                if (total.failed === 0) console.log(`  ${key} failed: ${JSON.stringify(json.errors ?? json).slice(0, 400)}`);
                total.failed += 1;
              }
            }
          }),
        );
        total.seconds += (performance.now() - started) / 1000;
        total.gatewayCpu += (cpuMs(gateways[key].server.child.pid!) ?? 0) - gatewayCpuBefore;
        total.pages += slice.length;
        // What the pages left in flight (the audit records sent after the answer) is theirs too.
        await settle();
        const statsAfter = await stats();
        const cpuAfter = cpu();
        for (const name of SUBGRAPH_NAMES) {
          const row = total.byRegistry[name];
          row.statements += statsAfter[name].total - outbox(statsAfter[name]) - (statsBefore[name].total - outbox(statsBefore[name]));
          row.fetches += statsAfter[name].graphqlRequests - statsBefore[name].graphqlRequests;
          row.cpu += cpuAfter[name] - cpuBefore[name];
          for (const [statement, count] of Object.entries(statsAfter[name].byName)) {
            const added = count - (statsBefore[name].byName[statement] ?? 0);
            if (added > 0 && !statement.startsWith('outbox.')) total.statements.set(`${name}:${statement}`, (total.statements.get(`${name}:${statement}`) ?? 0) + added);
          }
        }
      }
    }
  }

  for (const mode of modes) {
    console.log(`\n${mode.name}, ${options.rounds} rounds of ${options.pages} pages each:`);
    const pagesPerSecond = {} as Record<Key, number>;
    for (const key of keys) {
      const total = totals.get(`${mode.name}/${key}`)!;
      const per = (value: number) => Math.round((value / total.pages) * 10) / 10;
      const sum = (field: 'statements' | 'fetches' | 'cpu') => per(Object.values(total.byRegistry).reduce((all, row) => all + row[field], 0));
      pagesPerSecond[key] = total.pages / total.seconds;
      console.log(`  ${TITLES[key]}${key === 'oursUncached' ? Object.entries(options.oursEnv).map(([name, value]) => ` ${name}=${value}`).join('') : ''}: ${pagesPerSecond[key].toFixed(2)} pages/s, gateway CPU ${per(total.gatewayCpu)} ms, per page: fetches ${sum('fetches')}, SQL ${sum('statements')}, registries CPU ${sum('cpu')} ms${total.failed ? `, FAILED ${total.failed}` : ''}`);
      for (const [name, row] of Object.entries(total.byRegistry)) {
        console.log(`      ${name.padEnd(12)} fetches ${String(per(row.fetches)).padStart(5)}  SQL ${String(per(row.statements)).padStart(5)}  CPU ${String(per(row.cpu)).padStart(6)} ms`);
      }
      console.log(`      statements per page: ${[...total.statements].map(([statement, count]) => `${statement} ${per(count)}`).join(', ')}`);
    }
    if (keys.length === 2) console.log(`  pages/s (a')/(b): ${(pagesPerSecond.oursUncached / pagesPerSecond.stock).toFixed(2)}`);
  }
  await stopAll();
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
