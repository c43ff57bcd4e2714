/**
 * Conditional reads between the gateway and a registry. A registry's answer to a read depends on the
 * request (operation, variables, the caller's scopes), on its data and on the day in Baku (the default
 * evaluation date of its rules), and on nothing else: no read asks another registry. The registry's
 * state is the version of its data and the day; an answer worked out under a state is still the answer
 * while the registry is in that state.
 *
 * - A read carrying STATE_HEADER is answered with the state read before the answer was worked out,
 *   in the same header, so that a write committed meanwhile gives a later state, never the one kept.
 * - GET STATE_PATH answers the state now, as `{ "state": "…" }`; signed like every other request.
 * - A registry's bookkeeping (replay nonces, the permits registry's presence status) is written without
 *   a new state. An answer worked out from it, or from anything else the state does not tell (the
 *   persons registry's stay-facts feed depends on the transactions in flight), comes with
 *   `Cache-Control: no-store` and is not kept.
 */
export const STATE_HEADER = 'x-dmx-state';
export const STATE_PATH = '/state';

/** The state as given: the registry's name too, so that no state of one registry is taken for another's. */
export function registryState(registry: string, dataVersion: string, today: string): string {
  return `${registry}:${dataVersion}@${today}`;
}
