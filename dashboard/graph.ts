/** How the page asks the graph: a committed operation by its hash (Apollo's APQ extension), as a partner's Apollo Client does. */

export interface GraphError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; registry?: string; [key: string]: unknown };
}

export interface GraphAnswer<T> {
  status: number;
  data: T | null;
  errors: GraphError[];
}

export interface Caller {
  token: string | null;
  purpose: string;
}

/** Sends one committed operation by hash; an answer that is not GraphQL (a proxy's page, a network failure) becomes one error. */
export async function sendOperation<T>(operationName: string, hash: string, variables: Record<string, unknown>, caller: Caller): Promise<GraphAnswer<T>> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-dmx-purpose': caller.purpose,
        ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
      },
      body: JSON.stringify({ operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
  } catch {
    return { status: 0, data: null, errors: [{ message: 'The gateway did not answer (network).', extensions: { code: 'NETWORK' } }] };
  }
  const body = (await response.json().catch(() => null)) as { data?: T | null; errors?: GraphError[] } | null;
  if (!body) return { status: response.status, data: null, errors: [{ message: `The gateway answered ${response.status} without a GraphQL body.`, extensions: { code: 'HTTP_' + response.status } }] };
  return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
}

/** Why a part of an answer is missing, in words for the page: the errors at that root field, or else the request's own. */
export function reasonsFor(answer: GraphAnswer<unknown>, rootField: string): string[] {
  const own = answer.errors.filter((error) => error.path?.[0] === rootField);
  const general = answer.errors.filter((error) => !error.path || error.path.length === 0);
  return (own.length > 0 ? own : general.length > 0 ? general : answer.errors).map(describeError);
}

export function describeError(error: GraphError): string {
  const code = error.extensions?.code;
  if (code === 'SUBGRAPH_UNAVAILABLE') return `the ${error.extensions?.registry ?? 'a'} registry is unavailable (SUBGRAPH_UNAVAILABLE)`;
  // The message is a sentence of its own; the code goes inside it, before its full stop.
  const message = error.message.replace(/\.\s*$/, '');
  return code ? `${message} (${code})` : message;
}
