import type { RequestContext } from '../../platform/context';
import type { PaymentsServices } from './app';

type Context = RequestContext<PaymentsServices>;

/** `_entities` for Payment and Fine, batched through the request's loaders. */
export const paymentReference = {
  __resolveReference: (reference: { id: string }, ctx: Context) => ctx.services.payments.paymentByReference(reference.id),
};

export const fineReference = {
  __resolveReference: (reference: { id: string }, ctx: Context) => ctx.services.payments.fineByReference(reference.id),
};
