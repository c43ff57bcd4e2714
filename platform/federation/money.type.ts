import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';

export enum Currency {
  AZN = 'AZN',
  USD = 'USD',
}

registerEnumType(Currency, { name: 'Currency', description: 'ISO 4217 currency of an amount.' });

/** Amounts as exact decimal strings: one definition for every registry that states money. */
@Directive('@shareable')
@ObjectType({ description: 'An amount of money, exact to the qəpik/cent.' })
export class Money {
  @Field(() => String, { description: 'Decimal amount with two digits after the point, e.g. "350.00" (a string, so it stays exact).' })
  amount: string;

  @Field(() => Currency, { description: 'Currency of the amount.' })
  currency: Currency;
}

export function money(amount: number | string, currency: string): Money {
  return { amount: Number(amount).toFixed(2), currency: currency as Currency };
}
