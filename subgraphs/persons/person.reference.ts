import type { RequestContext } from '../../platform/context';
import type { PersonsServices } from './app';

/** `_entities` for Person: other subgraphs' person ids, batched through the request's loader. */
export const personReference = {
  __resolveReference(reference: { id: string }, ctx: RequestContext<PersonsServices>) {
    return ctx.services.persons.byReference(reference.id);
  },
};
