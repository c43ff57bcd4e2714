import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Key-only stub of the applications registry's Application. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An application to the State Migration Service, tracked by its public number.' })
export class Application {
  @Field(() => ID, { description: 'Registry identifier (UUID).' })
  id: string;
}
