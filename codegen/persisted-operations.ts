import type { CodegenPlugin } from '@graphql-codegen/plugin-helpers';
import { Kind, print, visit, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { MANIFEST_FORMAT, MANIFEST_VERSION, operationHash, type PersistedOperationsManifest } from '../gateway/features/persisted-operations/persisted-operations';

/**
 * A local graphql-codegen plugin (codegen.ts loads it): writes the persisted operations manifest, each
 * operation of the documents under the SHA-256 of its text.
 *
 * The text is what a client sends for the operation's typed document (test/generated/operations.ts,
 * typed-document-node in its default mode): the operation, then the fragments it uses, in the order
 * that plugin puts them, printed by graphql-js. gateway/persisted-operations.spec.ts checks that the two agree.
 */
export const plugin: CodegenPlugin['plugin'] = (_schema, documents) => {
  const manifest = persistedOperationsManifest(documents.flatMap((file) => (file.document ? [file.document] : [])));
  return `${JSON.stringify(manifest, null, 2)}\n`;
};

export function persistedOperationsManifest(documents: readonly DocumentNode[]): PersistedOperationsManifest {
  const definitions = documents.flatMap((document) => document.definitions);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    if (fragments.has(definition.name.value)) throw new Error(`Two fragments are named ${definition.name.value}`);
    fragments.set(definition.name.value, definition);
  }
  const operations = definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const entries = operations.map((operation) => {
    if (!operation.name) throw new Error('A persisted operation needs a name; one in the documents has none');
    const text = print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragmentsOf(operation, fragments)] });
    return { name: operation.name.value, hash: operationHash(text), text };
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].name === entries[i - 1].name) throw new Error(`Two operations are named ${entries[i].name}`);
  }
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, operations: Object.fromEntries(entries.map(({ hash, text }) => [hash, text])) };
}

/**
 * The fragments an operation uses, in typed-document-node's order: for each fragment the operation
 * reaches (in the order met, nested ones right after the fragment that spreads them), first that
 * fragment's own dependencies (deepest first), then the fragments reached, each once.
 */
function fragmentsOf(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const fragment = (name: string) => {
    const found = fragments.get(name);
    if (!found) throw new Error(`Operation ${operation.name?.value} uses fragment ${name}, which no document defines`);
    return found;
  };
  const spreadsIn = (node: OperationDefinitionNode | FragmentDefinitionNode, nested: boolean, into = new Set<string>()) => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (into.has(name)) return;
        into.add(name);
        if (nested) spreadsIn(fragment(name), true, into);
      },
    });
    return into;
  };
  const dependenciesOf = (name: string) => {
    const order: string[] = [];
    const seen = new Set<string>();
    const walk = (current: string, path: readonly string[]) => {
      if (path.includes(current)) throw new Error(`Fragments spread each other in a cycle: ${[...path, current].join(' → ')}`);
      if (seen.has(current)) return;
      for (const child of spreadsIn(fragment(current), false)) walk(child, [...path, current]);
      seen.add(current);
      if (current !== name) order.push(current);
    };
    walk(name, []);
    return order;
  };
  const reached = [...spreadsIn(operation, true)];
  const ordered = new Set<string>();
  for (const name of reached) for (const dependency of dependenciesOf(name)) ordered.add(dependency);
  for (const name of reached) ordered.add(name);
  return [...ordered].map(fragment);
}
