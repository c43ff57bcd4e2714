import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Key-only stub of the persons registry's Person: this registry holds only the id. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A foreigner or stateless person known to the State Migration Service (persons registry).' })
export class Person {
  @Field(() => ID, { description: 'Stable registry identifier (UUID).' })
  id: string;
}
