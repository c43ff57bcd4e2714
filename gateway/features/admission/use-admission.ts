import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { isRegistryCall } from '../authorization/agencies';
import type { GatewayFeature } from '../feature';
import type { Admission } from './admission';

/**
 * Waits for an admission slot before anything is planned (503 SERVER_BUSY when too many wait). The
 * registries' own calls, made while one of their requests holds a slot, do not wait for one: they
 * could wait for the very request that made them. Nor do the pages beside GraphQL: files and a small
 * page, little CPU each (their rate budget bounds them), and a slot held while a large file goes to a
 * slow client would keep operations waiting (the dashboard must also load while the gateway is at capacity).
 */
export function useAdmission(options: { admission: Admission }): GatewayFeature {
  return {
    name: 'admission',
    async onRequest({ res, context, besideGraphQL }) {
      if (!besideGraphQL && !isRegistryCall(context.claims)) await waitForSlot(options.admission, res);
    },
  };
}

/** Waits for a slot, which is freed when the answer has gone (or its caller has). */
async function waitForSlot(admission: Admission, res: ServerResponse): Promise<void> {
  const gone = new AbortController();
  const onClose = () => gone.abort(new GraphQLError('The caller closed the connection before it was admitted.', { extensions: { code: 'CLIENT_CLOSED_REQUEST' } }));
  res.once('close', onClose);
  let free: () => void;
  try {
    free = await admission.enter(gone.signal);
  } finally {
    res.off('close', onClose);
  }
  if (res.closed) free();
  else res.once('close', free);
}
