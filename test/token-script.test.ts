import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { developmentIssuer, developmentKey, tokenVerifier } from '../gateway/features/authentication/tokens';

/**
 * `npm run token` (issue 19, item 6; issue 18, item 8): it signs with the key the gateway made under
 * DATA_DIR, or stops and says where it looked; it never makes a key of its own, whose tokens the
 * gateway would refuse as "not valid". Its tokens last no longer than AUTH_MAX_TOKEN_AGE.
 */
const root = path.resolve(__dirname, '..');

function token(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', 'scripts/token.ts', ...args], {
    cwd: root,
    // The defaults, whatever this shell has set.
    env: { ...process.env, DATA_DIR: dataDir, AUTH_MAX_TOKEN_AGE: '' },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('npm run token', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dmx-token-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('stops, naming where it looked, when DATA_DIR holds no gateway key, and makes none', () => {
    const dir = freshDir();
    const result = token(dir, '--agency', 'police');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`No gateway development key at ${path.join(dir, 'keys', 'dev-token-key.json')}`);
    expect(existsSync(path.join(dir, 'keys'))).toBe(false);
  });

  it("signs with the gateway's key, so that the gateway accepts the token", async () => {
    const dir = freshDir();
    // The gateway makes its key on its first start (verifierFor in gateway/config.ts).
    const key = await developmentKey(dir);
    const result = token(dir, '--agency', 'border-service', '--subject', 'officer-3');
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(await tokenVerifier([developmentIssuer(key)]).verify(result.stdout)).toMatchObject({ agency: 'border-service', subject: 'officer-3' });
  });

  it('refuses a lifetime beyond AUTH_MAX_TOKEN_AGE, naming it', async () => {
    const dir = freshDir();
    await developmentKey(dir);
    const result = token(dir, '--agency', 'police', '--ttl', '86400');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--ttl must be 60 to 43200 seconds .*AUTH_MAX_TOKEN_AGE, 12 h/);
  });
});
