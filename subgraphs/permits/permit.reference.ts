import type { RequestContext } from '../../platform/context';
import type { PermitsServices } from './app';

/** `_entities` for Permit, batched through the request's loader. */
export const permitReference = {
  __resolveReference: (reference: { id: string }, ctx: RequestContext<PermitsServices>) =>
    ctx.services.permits.byReference(reference.id),
};
