import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { request } from 'undici';
import { openDatabase } from '../platform/db/database';
import { migrate } from '../platform/db/migrate';
import { newSigningKeyPair, signRequest, SIGNATURE_HEADER, type SigningKeyPair } from '../protocol/request-signing';
import type { AuditEntry } from '../protocol/audit-entry';
import { auditMigrations } from '../subgraphs/audit/audit-log';
import { registryEnv } from './environments';
import { cpuMs, freePort, startServer, stopAll, stopServer, waitUntil, type Server } from './processes';

/**
 * What the audit service spends per record (issue 24): the audit process started as the benchmark
 * starts it (bench/servers/registry.ts, run through ts-node, so that another checkout needs no build),
 * fed signed POSTs of records shaped as the gateway makes them
 * (use-audit.ts) at a few batch sizes and concurrencies, on a log already holding some records. For
 * each, the audit process's CPU (/proc/<pid>/stat) per record and per POST, and the audit.append
 * statements per POST. `--checkout` runs another checkout's audit service (an older commit), so two
 * versions are measured side by side on the same machine in one run.
 *
 *   npx ts-node --transpile-only bench/audit-cost.ts --levels 0,100000,500000 --seconds 4
 *   npx ts-node --transpile-only bench/audit-cost.ts --checkout /tmp/audit-before --checkout . --levels 100000 --shapes 1x1,1x32,8x8
 *   npx ts-node --transpile-only bench/audit-cost.ts --postgres postgres://dmx_ci:dmx_ci@127.0.0.1:5432/postgres
 *
 * The logs at each level are made once under the cache folder (records written in SQL, with hashes
 * that are not a chain: the service only extends the chain's head) and copied for every run. Bounded:
 * per checkout and level, its start, 2 s of warming and `--seconds` per shape.
 */
interface Options {
  checkouts: string[];
  levels: number[];
  /** [entries per POST, POSTs at once]. */
  shapes: [number, number][];
  seconds: number;
  persons: number;
  cache: string;
  postgres?: string;
  profileDir?: string;
}

const root = path.resolve(__dirname, '..');

function parseOptions(argv: string[]): Options {
  const options: Options = {
    checkouts: [],
    levels: [0, 100_000],
    shapes: [
      [1, 1],
      [1, 32],
      [8, 8],
      [32, 8],
    ],
    seconds: 4,
    persons: 100_000,
    cache: path.join(os.tmpdir(), 'dmx-audit-cost'),
  };
  for (let index = 0; index < argv.length; index += 1) {
    const value = argv[index + 1];
    switch (argv[index]) {
      case '--checkout':
        options.checkouts.push(path.resolve(value));
        break;
      case '--levels':
        options.levels = value.split(',').map(Number);
        break;
      case '--shapes':
        options.shapes = value.split(',').map((shape) => shape.split('x').map(Number) as [number, number]);
        break;
      case '--seconds':
        options.seconds = Number(value);
        break;
      case '--cache':
        options.cache = path.resolve(value);
        break;
      case '--postgres':
        options.postgres = value;
        break;
      case '--profile':
        options.profileDir = path.resolve(value);
        break;
      default:
        throw new Error(`unknown option ${argv[index]}`);
    }
    index += 1;
  }
  if (options.checkouts.length === 0) options.checkouts.push(root);
  return options;
}

/** The fields the gateway serves for the document workload, as authorization plans them. */
const FIELDS = ['Person.id', 'Person.legalStatus', 'LegalStatus.outcome', 'LegalStatus.basis', 'LegalStatus.lawfulUntil', 'LegalStatus.overstayDays', 'LegalStatus.registration'];

function personId(n: number): string {
  const hex = (n * 2654435761).toString(16).padStart(12, '0').slice(-12);
  return `6b1f0c3e-4a2d-4c8e-9f10-${hex}`;
}

function entry(persons: number): AuditEntry {
  const id = randomUUID();
  return {
    agency: 'border-service',
    subject: `officer-${Math.floor(Math.random() * 20)}`,
    purpose: 'BORDER_CONTROL',
    operation: 'BenchStatusByDocument',
    fields: FIELDS,
    personIds: [personId(Math.floor(Math.random() * persons))],
    requestId: randomUUID(),
    entryId: `${id}.outcome`,
    outcome: 'SERVED',
  };
}

/** The log as versions 1 and 2 of its schema hold it: an older audit service given the same log migrates it on start. */
const PREFILL_MIGRATIONS = auditMigrations.filter((migration) => migration.version <= 2);

/** Records 1..count in one statement, spread over `persons` persons as the benchmark's reads are. */
function prefillSql(count: number, persons: number): string {
  const hash = (n: string) => `encode(sha256(convert_to((${n})::text, 'UTF8')), 'hex')`;
  return `
    insert into audit_records (seq, at, agency, subject, purpose, operation, fields, person_ids, request_id, outcome, prev_hash, hash, entry_id)
    select g, '2026-12-04T20:00:00.000Z', 'border-service', 'officer-' || (g % 20), 'BORDER_CONTROL', 'BenchStatusByDocument',
           array[${FIELDS.map((field) => `'${field}'`).join(', ')}],
           array['6b1f0c3e-4a2d-4c8e-9f10-' || lpad(to_hex(((g::bigint * 7919) % ${persons})::int), 12, '0')],
           md5(g::text), 'SERVED', case when g = 1 then repeat('0', 64) else ${hash('g - 1')} end, ${hash('g')},
           md5('entry' || g::text) || '.outcome'
    from generate_series(1, ${count}) as g;
    update audit_head set seq = ${count}, hash = ${count === 0 ? "repeat('0', 64)" : hash(String(count))} where id = 1;`;
}

/** A PGlite audit database holding `count` records, made once and kept under the cache folder. */
async function pgliteTemplate(options: Options, count: number): Promise<string> {
  const folder = path.join(options.cache, `pglite-${count}`);
  if (existsSync(path.join(folder, 'done'))) return folder;
  rmSync(folder, { recursive: true, force: true });
  console.log(`making a log of ${count.toLocaleString('en')} records in ${folder} (once)...`);
  const db = await openDatabase({ dataDir: path.join(folder, 'audit') });
  await migrate(db, PREFILL_MIGRATIONS);
  await db.exec('bench.prefill', prefillSql(count, options.persons));
  await db.exec('bench.analyze', 'analyze');
  await db.close();
  mkdirSync(path.join(folder, 'done'));
  return folder;
}

/** A fresh PostgreSQL database holding `count` records; its URL. */
async function postgresDatabase(options: Options, count: number, name: string): Promise<string> {
  const admin = new Client({ connectionString: options.postgres });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(options.postgres!);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  await migrate(db, PREFILL_MIGRATIONS);
  await db.exec('bench.prefill', prefillSql(count, options.persons));
  await db.exec('bench.analyze', 'analyze');
  await db.close();
  return url.toString();
}

async function dropPostgresDatabase(options: Options, name: string): Promise<void> {
  const admin = new Client({ connectionString: options.postgres });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

interface Started {
  server: Server;
  signedUrl: string;
  statsUrl: string;
}

async function startAudit(options: Options, checkout: string, dataDir: string, gateway: SigningKeyPair, databaseUrl: string | undefined, label: string): Promise<Started> {
  const signedPort = await freePort();
  const benchPort = await freePort();
  const env = {
    ...registryEnv({
      name: 'audit',
      dataDir,
      persons: options.persons,
      signedPort,
      benchPort,
      gatewayUrl: 'http://127.0.0.1:9/',
      trust: { gateway, applications: gateway, registryEnv: () => ({}), gatewayEnv: {} },
    }),
    AUDIT_KEY: 'audit-cost-harness-chain-key-0123456789abcdef',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=audit-${label}.cpuprofile`] : [];
  const server = startServer(`audit ${label}`, [...profile, '-r', 'ts-node/register/transpile-only', path.join(checkout, 'bench/servers/registry.ts'), 'audit'], {
    cwd: checkout,
    env: { ...env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  await waitUntil(server, async () => (await fetch(`http://127.0.0.1:${benchPort}/health`)).ok, 300_000);
  return { server, signedUrl: `http://127.0.0.1:${signedPort}/audit/records`, statsUrl: `http://127.0.0.1:${benchPort}/bench/stats` };
}

async function post(url: string, gateway: SigningKeyPair, entries: AuditEntry[]): Promise<void> {
  const body = JSON.stringify({ entries });
  const response = await request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signRequest(gateway.privateKey, { audience: 'audit', method: 'POST', path: '/audit/records', contentType: 'application/json', body }),
    },
    body,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`the audit log answered HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
}

interface Measured {
  posts: number;
  records: number;
  cpuMs: number;
  appends: number;
  seconds: number;
}

/** POSTs of `batch` entries, `concurrency` at a time, for `seconds`. */
async function load(started: Started, gateway: SigningKeyPair, options: Options, batch: number, concurrency: number, seconds: number): Promise<Measured> {
  const stats = async () => ((await (await fetch(started.statsUrl)).json()) as { byName: Record<string, number> }).byName['audit.append'] ?? 0;
  const appendsBefore = await stats();
  const cpuBefore = cpuMs(started.server.child.pid!)!;
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  let posts = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await post(started.signedUrl, gateway, Array.from({ length: batch }, () => entry(options.persons)));
        posts += 1;
      }
    }),
  );
  const elapsed = (performance.now() - startedAt) / 1000;
  const cpu = cpuMs(started.server.child.pid!)! - cpuBefore;
  return { posts, records: posts * batch, cpuMs: cpu, appends: (await stats()) - appendsBefore, seconds: elapsed };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const gateway = newSigningKeyPair();
  const rows: string[] = [];
  const header = '| checkout | records before | entries/POST | POSTs at once | POSTs/s | records/s | CPU ms/record | CPU ms/POST | appends/POST |';
  for (const level of options.levels) {
    for (const checkout of options.checkouts) {
      const label = `${path.basename(checkout)}-${level}`;
      const dataDir = path.join(options.cache, 'runs', label);
      rmSync(dataDir, { recursive: true, force: true });
      let databaseUrl: string | undefined;
      const pgName = `dmx_audit_cost_${level}_${options.checkouts.indexOf(checkout)}`;
      if (options.postgres) {
        mkdirSync(dataDir, { recursive: true });
        databaseUrl = await postgresDatabase(options, level, pgName);
      } else {
        cpSync(await pgliteTemplate(options, level), dataDir, { recursive: true });
      }
      const startAt = performance.now();
      const started = await startAudit(options, checkout, dataDir, gateway, databaseUrl, label);
      const readyMs = performance.now() - startAt;
      try {
        // Warm: the statements prepared, the code compiled, before anything is measured.
        await load(started, gateway, options, 8, 8, Math.min(2, options.seconds));
        for (const [batch, concurrency] of options.shapes) {
          const measured = await load(started, gateway, options, batch, concurrency, options.seconds);
          const row = [
            path.relative(process.cwd(), checkout) || '.',
            level.toLocaleString('en'),
            batch,
            concurrency,
            round(measured.posts / measured.seconds, 1),
            round(measured.records / measured.seconds, 1),
            round(measured.cpuMs / measured.records),
            round(measured.cpuMs / measured.posts),
            round(measured.appends / measured.posts, 2),
          ];
          rows.push(`| ${row.join(' | ')} |`);
          console.log(`${header}\n${rows[rows.length - 1]}  (ready in ${Math.round(readyMs)} ms)`);
        }
      } finally {
        await stopServer(started.server);
        rmSync(dataDir, { recursive: true, force: true });
        if (options.postgres) await dropPostgresDatabase(options, pgName);
      }
    }
  }
  console.log(`\n${header}\n${header.replace(/[^|]+/g, ' --- ')}\n${rows.join('\n')}`);
}

main()
  .catch((error: Error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => void stopAll());
