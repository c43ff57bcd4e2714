import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSchema } from 'graphql';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { accessPolicy } from '../gateway/features/authorization/policy';
import { accessOf, contractChanges, contractOf, releaseRefusals, type ContractChange, type ContractFiles } from './contract-changes';

const ROOT = path.resolve(__dirname, '..');
/** The partner contract as last released: the API schema, and access and profiles as JSON. */
export const RELEASED_DIR = 'schema/contract';

export interface ReleasedAccess extends Omit<ContractFiles['access'], 'released'> {
  released: string;
  /** Breaking changes released by agreement with the partners, each with the reason given. */
  agreed?: { day: string; reason: string; changes: string[] }[];
}

/** The released contract's files; null before the first release. */
export function releasedFiles(root = ROOT): { sdl: string; access: ReleasedAccess } | null {
  const dir = path.join(root, RELEASED_DIR);
  if (!existsSync(path.join(dir, 'access.json'))) return null;
  return {
    sdl: readFileSync(path.join(dir, 'api.graphql'), 'utf8'),
    access: JSON.parse(readFileSync(path.join(dir, 'access.json'), 'utf8')) as ReleasedAccess,
  };
}

/** The contract as the code has it now: schema/api.graphql, the supergraph's access directives, the partners' profiles. */
export function currentFiles(day: string, root = ROOT): ContractFiles {
  const sdl = readFileSync(path.join(root, 'schema/api.graphql'), 'utf8');
  const agencies = Object.fromEntries(
    Object.entries(AGENCIES)
      .filter(([, profile]) => !profile.internal)
      .map(([agency, profile]) => [agency, { scopes: [...profile.scopes], purposes: [...profile.purposes] }]),
  );
  const policy = accessPolicy(readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
  return { sdl, access: { released: day, ...accessOf(buildSchema(sdl), policy, agencies) } };
}

/** One line per field and per profile, so that a release's diff shows what changed. */
export function accessJson(access: ReleasedAccess): string {
  const entries = (record: Readonly<Record<string, unknown>>) =>
    Object.entries(record)
      .map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`)
      .join(',\n');
  const parts = [
    `  "released": ${JSON.stringify(access.released)}`,
    `  "fields": {\n${entries(access.fields)}\n  }`,
    `  "agencies": {\n${entries(access.agencies)}\n  }`,
    ...(access.agreed ? [`  "agreed": ${JSON.stringify(access.agreed, null, 2).replace(/\n/g, '\n  ')}`] : []),
  ];
  return `{\n${parts.join(',\n')}\n}\n`;
}

/** The changes since the released contract; null before the first release. */
export function changesSinceRelease(day: string, root = ROOT): ContractChange[] | null {
  const released = releasedFiles(root);
  return released ? contractChanges(contractOf(released), contractOf(currentFiles(day, root))) : null;
}

/**
 * Makes the current contract the released one as of `day`, unless a breaking change stands in the
 * way (releaseRefusals); with `agreed` (who agreed with the partners, and why) those are released
 * too, and kept on record in access.json. Returns the refusals; nothing is written when any stands.
 */
export function releaseContract(day: string, options: { agreed?: string; root?: string } = {}): string[] {
  const root = options.root ?? ROOT;
  const released = releasedFiles(root);
  const current = currentFiles(day, root);
  const refusals = released ? releaseRefusals(contractChanges(contractOf(released), contractOf(current)), day) : [];
  if (refusals.length > 0 && !options.agreed) return refusals;
  const agreed = [...(released?.access.agreed ?? []), ...(refusals.length > 0 ? [{ day, reason: options.agreed!, changes: refusals }] : [])];
  mkdirSync(path.join(root, RELEASED_DIR), { recursive: true });
  writeFileSync(path.join(root, RELEASED_DIR, 'api.graphql'), current.sdl);
  writeFileSync(path.join(root, RELEASED_DIR, 'access.json'), accessJson({ ...current.access, ...(agreed.length > 0 ? { agreed } : {}) }));
  return [];
}

/**
 * `npm run contract`: the changes to the partner contract since its release (exit 1 when one is
 * breaking). `-- --release`: makes the current contract the released one (releaseContract);
 * `--agreed "<reason>"` releases breaking changes too, on record.
 */
function main(): void {
  const { values } = parseArgs({
    options: { release: { type: 'boolean', default: false }, day: { type: 'string' }, agreed: { type: 'string' } },
  });
  const day = values.day ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`--day ${day}: a day is YYYY-MM-DD`);
  const changes = changesSinceRelease(day);
  if (changes === null) console.log(`No contract released yet: \`npm run contract -- --release\` makes the current one the first (${RELEASED_DIR}/).`);
  else if (changes.length === 0) console.log('No change to the partner contract since its release.');
  for (const change of changes ?? []) console.log(`${change.kind.padEnd(10)} ${change.description}${change.deprecatedSince ? ` (deprecated since ${change.deprecatedSince})` : ''}`);
  if (!values.release) {
    process.exitCode = changes?.some((change) => change.kind === 'breaking') ? 1 : 0;
    return;
  }
  const refusals = releaseContract(day, { agreed: values.agreed });
  if (refusals.length > 0) {
    console.error(`\nNot released: ${refusals.length} breaking change(s).`);
    for (const refusal of refusals) console.error(`- ${refusal}`);
    console.error('Released anyway only by agreement with the partners: --agreed "<who agreed, and why>".');
    process.exitCode = 1;
    return;
  }
  console.log(`\nReleased as of ${day}: ${RELEASED_DIR}/. Say what changed in CHANGELOG.md.`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
