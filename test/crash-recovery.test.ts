import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoRules } from '../demo/demo-rules';
import { demoHistory } from '../demo/world';
import { openDatabase } from '../platform/db/database';
import { freePort } from '../platform/testing/free-port';
import { encodeKey } from '../protocol/request-signing';
import { eventually, payStateDuty, REFERENCE_DATE, startGraph, type RunningGraph } from './harness';

/**
 * Issuing moves an application in the applications database and creates the permit in the permits
 * database. The applications registry runs here as a real process that is killed (SIGKILL) between
 * the two, and restarted on the same embedded database: the permit must appear exactly once.
 */
const root = path.resolve(__dirname, '..');
const PERSONS = 60;
const SEED = 'test-seed';

describe('issuing survives a crash between the two registries (issue 4)', () => {
  let graph: RunningGraph;
  let port: number;
  let dataDir: string;
  let child: ChildProcess | null = null;

  /** Starts the applications registry as its own process on the shared data folder. */
  async function startApplications(crashAt?: string): Promise<ChildProcess> {
    const started = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'test/with-crash-point.ts', 'subgraphs/applications/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        APPLICATIONS_PORT: String(port),
        APPLICATIONS_OPS_PORT: '0',
        DATA_DIR: dataDir,
        DEMO_PERSONS: String(PERSONS),
        DEMO_SEED: SEED,
        DEMO_REFERENCE_DATE: REFERENCE_DATE,
        GATEWAY_URL: graph.gatewayUrl,
        GATEWAY_PUBLIC_KEY: encodeKey(graph.gatewayKeys.publicKey),
        REGISTRY_PRIVATE_KEY: encodeKey(graph.registryKey),
        DMX_CRASH_AT: crashAt ?? '',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 'the applications registry to start', 60_000);
    return started;
  }

  const exited = (process: ChildProcess) =>
    new Promise<NodeJS.Signals | number | null>((resolve) => {
      if (process.exitCode !== null || process.signalCode !== null) resolve(process.signalCode ?? process.exitCode);
      else process.once('exit', (code, signal) => resolve(signal ?? code));
    });

  async function stopApplications(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited(child);
    }
    child = null;
  }

  const permitsOf = async (applicationId: string) =>
    (await graph.subgraphs.permits!.db.query<{ n: number }>('test.count', 'select count(*)::int as n from permits where application_id = $1', [applicationId]))[0].n;

  beforeAll(async () => {
    port = await freePort();
    dataDir = mkdtempSync(path.join(tmpdir(), 'dmx-crash-'));
    graph = await startGraph({ persons: PERSONS, seed: SEED, external: { applications: `http://127.0.0.1:${port}/graphql` } });
  });
  afterEach(() => stopApplications());
  afterAll(async () => {
    await stopApplications();
    await graph?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Demo applications still waiting for review, of kinds that produce a permit.
  const waiting = Array.from({ length: PERSONS }, (_, index) => demoHistory(SEED, index, REFERENCE_DATE, demoRules))
    .flatMap((history) => history.applications)
    .filter((application) => application.status === 'SUBMITTED' && !application.type.startsWith('CITIZENSHIP') && application.type !== 'REGISTRATION_BY_PLACE_OF_STAY');

  const step = async (mutation: string, id: string, extra = '') =>
    graph.query(`mutation($id: ID!) { ${mutation}(id: $id, officer: "Crash Test"${extra}) { status } }`, { id });
  /** Reviews, approves and has the duty paid (PAY-04); the issue is the step the crash is about. */
  const approve = async (id: string) => {
    expect((await step('takeApplicationForReview', id)).body.data).toEqual({ takeApplicationForReview: { status: 'UNDER_REVIEW' } });
    expect((await step('approveApplication', id)).body.data).toEqual({ approveApplication: { status: 'APPROVED' } });
    await payStateDuty(graph, id);
  };
  const issue = (id: string) => step('issueApplication', id, ', validUntil: "2027-12-31"');

  it('has applications to take through', () => {
    expect(waiting.length).toBeGreaterThanOrEqual(2);
  });

  it('killed right after the issue commits: after restart the permit appears, exactly once', async () => {
    const [application] = waiting;
    child = await startApplications('after-issue-commit');
    await approve(application.id);
    const dying = exited(child);
    const response = await issue(application.id);
    // The registry died mid-request: the gateway says which one, not how.
    expect(response.body.errors?.[0].extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', registry: 'applications' });
    expect(await dying).toBe('SIGKILL');
    expect(await permitsOf(application.id)).toBe(0);

    child = await startApplications();
    await eventually(async () => (await permitsOf(application.id)) === 1, 'the permit to be recorded');
    const { body } = await graph.query(`query($id: ID!) { application(id: $id) { status permit { application { id } } } }`, { id: application.id });
    expect(body.data.application).toEqual({ status: 'ISSUED', permit: { application: { id: application.id } } });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await permitsOf(application.id)).toBe(1);
    await stopApplications();
  });

  it('killed after the permit is recorded but before the delivery is noted: sent again, still exactly one', async () => {
    const application = waiting[1];
    child = await startApplications('after-outbox-delivery');
    await approve(application.id);
    const dying = exited(child);
    const response = await issue(application.id);
    expect(response.body.data?.issueApplication).toEqual({ status: 'ISSUED' });
    expect(await dying).toBe('SIGKILL');
    expect(await permitsOf(application.id)).toBe(1);

    child = await startApplications();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await stopApplications();
    expect(await permitsOf(application.id)).toBe(1);
    // The restarted relay sent it again and noted the delivery this time.
    const db = await openDatabase({ dataDir: path.join(dataDir, 'applications') });
    try {
      const [message] = await db.query<{ delivered: boolean }>(
        'test.outbox',
        `select delivered_at is not null as delivered from outbox where application_id = $1 and kind = 'RECORD_ISSUED_PERMIT'`,
        [application.id],
      );
      expect(message).toEqual({ delivered: true });
    } finally {
      await db.close();
    }
  });
});
