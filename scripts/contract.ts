import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSchema } from 'graphql';
import { AGENCIES, CALLING_AGENCIES } from '../gateway/features/authorization/agencies';
import { accessPolicy } from '../gateway/features/authorization/policy';
import { dateInBaku } from '../platform/context';
import { accessOf, contractChanges, contractOf, deprecationRecord, releaseRefusals, type Contract, type ContractChange, type ContractFiles } from './contract-changes';

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

/**
 * The contract as the code has it now (schema/api.graphql, the supergraph's access directives, the
 * partners' profiles), as files to release and as the contract they make (the schema built once).
 */
function currentContract(day: string, root: string): { files: ContractFiles; contract: Contract } {
  const sdl = readFileSync(path.join(root, 'schema/api.graphql'), 'utf8');
  const api = buildSchema(sdl);
  const agencies = Object.fromEntries(CALLING_AGENCIES.map((agency) => [agency, { scopes: [...AGENCIES[agency].scopes], purposes: [...AGENCIES[agency].purposes] }]));
  const policy = accessPolicy(readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
  const access = { released: day, ...accessOf(api, policy, agencies) };
  return { files: { sdl, access }, contract: { ...access, deprecated: {}, api } };
}

/** The released contract against the current one: what changed, and what of it stops a release on `day`. */
function compare(day: string, root: string) {
  const releasedAs = releasedFiles(root);
  const released = releasedAs ? contractOf(releasedAs) : null;
  const current = currentContract(day, root);
  const changes = released ? contractChanges(released, current.contract) : [];
  return { releasedAs, released, current, changes, refusals: releaseRefusals(changes, day) };
}

/** One line per field, profile and deprecation, so that a release's diff shows what changed. */
export function accessJson(access: ReleasedAccess): string {
  const entries = (record: Readonly<Record<string, unknown>>) =>
    Object.entries(record)
      .map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`)
      .join(',\n');
  const parts = [
    `  "released": ${JSON.stringify(access.released)}`,
    `  "fields": {\n${entries(access.fields)}\n  }`,
    `  "agencies": {\n${entries(access.agencies)}\n  }`,
    `  "deprecated": {\n${entries(access.deprecated ?? {})}\n  }`,
    ...(access.agreed ? [`  "agreed": ${JSON.stringify(access.agreed, null, 2).replace(/\n/g, '\n  ')}`] : []),
  ];
  return `{\n${parts.join(',\n')}\n}\n`;
}

/** What the current contract changes since the released one (none before the first release), and what of it stops a release on `day`. */
export function sinceRelease(day: string, root = ROOT): { released: boolean; changes: ContractChange[]; refusals: string[] } {
  const { released, changes, refusals } = compare(day, root);
  return { released: released !== null, changes, refusals };
}

/**
 * Makes the current contract the released one as of `day`, unless a breaking change stands in the
 * way (releaseRefusals); with `agreed` (who agreed with the partners, and why) those are released
 * too, and the breaking changes kept on record in access.json. Each deprecation is recorded with the
 * release that first carried it: a removal's notice counts from there. Returns the changes and the
 * refusals; nothing is written while any refusal stands.
 */
export function releaseContract(day: string, options: { agreed?: string; root?: string } = {}): { changes: ContractChange[]; refusals: string[] } {
  const root = options.root ?? ROOT;
  const { releasedAs, released, current, changes, refusals } = compare(day, root);
  if (refusals.length > 0 && !options.agreed) return { changes, refusals };
  const breaking = changes.filter((change) => change.kind === 'breaking').map((change) => change.description);
  const agreed = [...(releasedAs?.access.agreed ?? []), ...(refusals.length > 0 ? [{ day, reason: options.agreed!, changes: breaking }] : [])];
  const deprecated = deprecationRecord(current.contract.api, day, released);
  mkdirSync(path.join(root, RELEASED_DIR), { recursive: true });
  writeFileSync(path.join(root, RELEASED_DIR, 'api.graphql'), current.files.sdl);
  writeFileSync(path.join(root, RELEASED_DIR, 'access.json'), accessJson({ ...current.files.access, deprecated, ...(agreed.length > 0 ? { agreed } : {}) }));
  return { changes, refusals: [] };
}

/**
 * `npm run contract`: the changes to the partner contract since its release (exit 1 when one is
 * breaking). `-- --release`: makes the current contract the released one as of today in Baku
 * (releaseContract); `--agreed "<reason>"` releases breaking changes too, on record.
 */
function main(): void {
  const { values } = parseArgs({ options: { release: { type: 'boolean', default: false }, agreed: { type: 'string' } } });
  const day = dateInBaku(new Date());
  const { released, changes, refusals } = values.release ? { released: true, ...releaseContract(day, { agreed: values.agreed }) } : sinceRelease(day);
  if (!released) console.log(`No contract released yet: \`npm run contract -- --release\` makes the current one the first (${RELEASED_DIR}/).`);
  else if (changes.length === 0) console.log('No change to the partner contract since its release.');
  for (const change of changes) console.log(`${change.kind.padEnd(10)} ${change.description}${change.deprecatedSince ? ` (deprecation released ${change.deprecatedSince})` : ''}`);
  if (!values.release) {
    process.exitCode = changes.some((change) => change.kind === 'breaking') ? 1 : 0;
    return;
  }
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
