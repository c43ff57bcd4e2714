import type { RequestContext } from '../../platform/context';
import type { ApplicationsServices } from './app';

/** `_entities` for Application, batched through the request's loader. */
export const applicationReference = {
  __resolveReference(reference: { id: string }, ctx: RequestContext<ApplicationsServices>) {
    return ctx.services.applications.byReference(reference.id);
  },
};
