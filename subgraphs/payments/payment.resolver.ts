import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../shared/context';
import type { PaymentsServices } from './app';
import { Application } from './application.type';
import { Person } from './person.type';
import { Fine, Payment } from './payment.type';

type Context = RequestContext<PaymentsServices>;

@Resolver(() => Payment)
export class PaymentResolver {
  @Query(() => Payment, {
    nullable: true,
    description: 'Looks up a state duty or fine by its payment code (PAY-02); null when no payment has that code.',
  })
  paymentByCode(@Arg('code', () => String, { description: 'The 12-digit payment code.' }) code: string, @Ctx() ctx: Context) {
    return ctx.services.payments.byCode(code);
  }

  @FieldResolver(() => Fine, { nullable: true, description: 'The fine this pays, for a fine payment.' })
  fine(@Root() payment: Payment, @Ctx() ctx: Context) {
    return ctx.services.payments.fineOfPayment(payment);
  }
}

@Resolver(() => Person)
export class PersonFinesResolver {
  @FieldResolver(() => [Fine], { description: 'Administrative fines not yet paid (FINE-02), oldest first (payments registry).' })
  outstandingFines(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.services.payments.finesOf(person.id, true);
  }

  @FieldResolver(() => [Fine], { description: 'All administrative fines, paid or not, oldest first (payments registry).' })
  fines(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.services.payments.finesOf(person.id, false);
  }
}

@Resolver(() => Application)
export class ApplicationPaymentsResolver {
  @FieldResolver(() => [Payment], { description: 'State duty payments of the application (payments registry).' })
  payments(@Root() application: Application, @Ctx() ctx: Context) {
    return ctx.services.payments.ofApplication(application.id);
  }
}
