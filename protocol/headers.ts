// The headers the gateway and the registries read alike (the signature's is request-signing.ts's, the state's registry-state.ts's).

/** The header a caller declares its purpose of use in (issue 5, item 3). */
export const PURPOSE_HEADER = 'x-dmx-purpose';

const ONE_REQUEST_ID = '[A-Za-z0-9._:-]{1,128}';

/** A caller's x-request-id is kept when it has this shape; otherwise one is made. */
export const REQUEST_ID = new RegExp(`^${ONE_REQUEST_ID}$`);

/** At most this many of the gateway's requests share one subgraph fetch (gateway/subgraph-fetch/fetch-batching.ts). */
export const MAX_BATCHED_REQUESTS = 64;

/**
 * The x-request-id of a subgraph fetch: one request id, or the ids of the requests a batched fetch
 * answers, joined by commas, so that a registry's log line names every request it served.
 */
export const SUBGRAPH_REQUEST_ID = new RegExp(`^${ONE_REQUEST_ID}(?:,${ONE_REQUEST_ID}){0,${MAX_BATCHED_REQUESTS - 1}}$`);

/** The gateway forwards the verified claims to the subgraphs in this header, covered by its signature. */
export const CLAIMS_HEADER = 'x-dmx-claims';
