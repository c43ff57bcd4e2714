import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The applications registry's Application as this registry refers to it: the key only. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An application to the State Migration Service, tracked by its public number.' })
export class Application {
  @Field(() => ID, { description: 'Registry identifier (UUID).' })
  id: string;
}
