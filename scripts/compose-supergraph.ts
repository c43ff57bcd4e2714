import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema } from 'graphql';
import { buildFederatedSchema } from '../platform/federation/build-subgraph-schema';
import { DEFAULT_SUBGRAPH_PORTS } from '../protocol/registries';
import { SUBGRAPHS } from '../subgraphs';
import { accessPolicy } from '../gateway/features/authorization/policy';
import { withAccessNotes } from '../gateway/features/authorization/contract-notes';

export interface ComposedGraph {
  /** Each subgraph's SDL, as the gateway would fetch it from `_service`. */
  subgraphs: { name: string; sdl: string }[];
  /** The supergraph the gateway runs on; subgraph URLs are the local defaults, overridden at run time. */
  supergraphSdl: string;
  /** The schema clients see (no federation machinery), each field saying the scopes it needs: the partners' contract. */
  apiSdl: string;
  hints: string[];
}

/** Composes the supergraph from the subgraphs' code, offline, as `rover supergraph compose` would. */
export async function composeSupergraph(): Promise<ComposedGraph> {
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async (definition) => ({
      name: definition.name,
      sdl: printSubgraphSchema(await buildFederatedSchema(definition)),
      url: `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[definition.name]}/graphql`,
    })),
  );
  const result = composeServices(subgraphs.map(({ name, sdl, url }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return {
    subgraphs: subgraphs.map(({ name, sdl }) => ({ name, sdl })),
    supergraphSdl: result.supergraphSdl,
    // Each field says who may read it, from the same directives the gateway enforces (contract-notes.ts).
    apiSdl: printSchema(withAccessNotes(result.schema.toAPISchema().toGraphQLJSSchema(), accessPolicy(result.supergraphSdl))),
    hints: result.hints.map((hint) => hint.toString()),
  };
}

/** The committed files `npm run compose` writes, relative to the repository root. */
export function schemaFiles(graph: ComposedGraph): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { name, sdl } of graph.subgraphs) files[`schema/${name}.graphql`] = `${sdl.trim()}\n`;
  files['schema/supergraph.graphql'] = `${graph.supergraphSdl.trim()}\n`;
  files['schema/api.graphql'] = `${graph.apiSdl.trim()}\n`;
  return files;
}
