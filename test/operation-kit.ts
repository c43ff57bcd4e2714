import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { AGENCIES, CALLING_AGENCIES } from '../gateway/features/authorization/agencies';
import { WELL_KNOWN } from '../demo/well-known';

/**
 * The committed operations (test/operations/*.graphql) as a partner's kit. Each operation names the
 * agency profile it is for in the comment right above it, `# profile: <agency>` (an agency of
 * gateway/features/authorization/agencies.ts, sent with its first purpose), or `# profile: public` for a caller without
 * a token; it selects only what that profile may read. `test/operation-kit.test.ts` runs each as its
 * profile on the well-known demo records, with the variables below.
 */
export const PUBLIC_PROFILE = 'public';

export interface KitOperation {
  name: string;
  kind: 'query' | 'mutation' | 'subscription';
  /** An agency profile, or `public`. */
  profile: string;
  file: string;
  /** The operation with the fragments it uses, as a client sends it. */
  text: string;
}

const OPERATIONS_DIR = path.resolve(__dirname, 'operations');
const PROFILE_LINE = /^#\s*profile:\s*(\S+)\s*$/;

export function operationKit(dir = OPERATIONS_DIR): KitOperation[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.graphql')).sort();
  const sources = files.map((file) => ({ file, source: readFileSync(path.join(dir, file), 'utf8') }));
  const definitions = sources.flatMap(({ file, source }) => parse(source).definitions.map((definition) => ({ file, source, definition })));
  const fragments = new Map(
    definitions.flatMap(({ definition }) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  return definitions.flatMap(({ file, source, definition }) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
    const name = definition.name?.value;
    if (!name) throw new Error(`${file}: a committed operation needs a name`);
    const profile = profileAbove(source, definition);
    if (!profile) throw new Error(`${file}: operation ${name} declares no profile (a "# profile: <agency>" line in the comment above it)`);
    if (profile !== PUBLIC_PROFILE && !CALLING_AGENCIES.includes(profile)) {
      throw new Error(`${file}: operation ${name} is for profile ${profile}, which is no partner agency of gateway/features/authorization/agencies.ts`);
    }
    const used = fragmentsUsed(definition, fragments);
    return [{ name, kind: definition.operation, profile, file, text: print({ kind: Kind.DOCUMENT, definitions: [definition, ...used] }) }];
  });
}

/** The `# profile:` line of the comment block right above a definition (comments are not in the AST: read from the source). */
function profileAbove(source: string, definition: DefinitionNode): string | null {
  const lines = source.slice(0, definition.loc!.start).split('\n').slice(0, -1).reverse();
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('#')) break;
    const match = PROFILE_LINE.exec(trimmed);
    if (match) return match[1];
  }
  return null;
}

function fragmentsUsed(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`Operation ${operation.name?.value} uses fragment ${name}, which no committed file defines`);
        if (used.has(name)) return;
        used.set(name, fragment);
        walk(fragment);
      },
    });
  walk(operation);
  return [...used.values()];
}

/** The variables each committed operation runs with: the well-known demo records (well-known.ts). */
export const KIT_VARIABLES: Readonly<Record<string, Record<string, unknown>>> = {
  StatusByDocument: { ...WELL_KNOWN.travelDocument },
  BorderCheck: { ...WELL_KNOWN.travelDocument },
  PersonByDocument: { ...WELL_KNOWN.travelDocument },
  FinesByDocument: { ...WELL_KNOWN.travelDocument },
  WorkAuthorizationByDocument: { ...WELL_KNOWN.travelDocument },
  IssueFine: {
    input: { personId: WELL_KNOWN.personId, offence: 'BREACH_OF_PURPOSE', legalArticle: 'İXM 575.2', amount: '300.00', idempotencyKey: 'kit-issue-fine-0001' },
  },
  PaymentByCode: { code: WELL_KNOWN.payments.stateDuty.code },
  RecordPayment: {
    input: { code: WELL_KNOWN.payments.fine.code, channel: 'BANK_BRANCH', amount: WELL_KNOWN.payments.fine.amount, idempotencyKey: 'kit-record-payment-0001' },
  },
  TrackApplication: { number: WELL_KNOWN.applicationNumber },
  ApplicationByNumber: { number: WELL_KNOWN.applicationNumber },
  PersonPicture: { id: WELL_KNOWN.personId },
  PersonsWithRelations: { first: 3 },
  Dashboard: {},
  DashboardApplications: { from: '2026-05-04', to: '2026-11-01', bucket: 'WEEK' },
  DashboardPermits: {},
  DashboardPayments: { from: '2025-11-01', to: '2026-10-31', bucket: 'MONTH' },
  DashboardPresence: {},
  PersonCount: {},
};

/** The purpose an operation of the kit is sent with: its profile's first (none for `public`). */
export function kitPurpose(profile: string): string | undefined {
  return profile === PUBLIC_PROFILE ? undefined : AGENCIES[profile].purposes[0];
}
