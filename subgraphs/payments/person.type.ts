import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The persons registry's Person as this registry refers to it: the key only. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A foreigner or stateless person known to the State Migration Service (persons registry).' })
export class Person {
  @Field(() => ID, { description: 'Stable registry identifier (UUID).' })
  id: string;
}
