import { RequiresScopes } from '../../platform/requires-scopes';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { CountryCodeScalar, DateScalar } from '../../platform/scalars';

export enum Sex {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
}

registerEnumType(Sex, { name: 'Sex', description: 'Sex as recorded in the travel document.' });

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A foreigner or stateless person known to the State Migration Service (persons registry).' })
export class Person {
  @Field(() => ID, { description: 'Stable registry identifier (UUID).' })
  id: string;

  @RequiresScopes('persons:read')
  @Field(() => String, {
    nullable: true,
    description: 'Personal identification number (FİN, 7 characters) once one has been issued in Azerbaijan.',
  })
  fin: string | null;

  @RequiresScopes('persons:read')
  @Field(() => String, { description: 'Given name(s) as in the travel document, Latin script.' })
  givenName: string;

  @RequiresScopes('persons:read')
  @Field(() => String, { description: 'Surname as in the travel document, Latin script.' })
  surname: string;

  @RequiresScopes('persons:read')
  @Field(() => String, { nullable: true, description: "Father's name, where the person's documents carry one." })
  patronymic: string | null;

  @RequiresScopes('persons:read')
  @Field(() => DateScalar, { description: 'Date of birth.' })
  birthDate: string;

  @RequiresScopes('persons:read')
  @Field(() => Sex, { description: 'Sex as recorded in the travel document.' })
  sex: Sex;

  @RequiresScopes('persons:read', 'status:read', 'applications:read')
  @Field(() => CountryCodeScalar, {
    nullable: true,
    description: 'Citizenship as an ISO 3166-1 alpha-3 code; null for a stateless person (see `stateless`).',
  })
  citizenship: string | null;

  @RequiresScopes('persons:read')
  @Field(() => Boolean, { description: 'True when the person has no citizenship (a stateless person).' })
  stateless: boolean;
}

@ObjectType({ description: 'Where a page of a list ends and whether more follows.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when another page follows this one.' })
  hasNextPage: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` to get the next page; null on an empty page. Opaque and sealed: a cursor changed or made up is refused.',
  })
  endCursor: string | null;
}

@ObjectType({ description: 'One person in a page of persons, with the cursor that points at it.' })
export class PersonEdge {
  @Field(() => String, { description: 'Opaque position of this person in the list.' })
  cursor: string;

  @Field(() => Person, { description: 'The person.' })
  node: Person;
}

@ObjectType({
  description:
    'A page of persons, in a stable order (by id), with cursors for the next page. A caller with aggregates:read alone gets `totalCount` and `suppressedBelow` only.',
})
export class PersonConnection {
  @RequiresScopes('persons:read')
  @Field(() => [PersonEdge], { description: 'The persons of this page with their cursors.' })
  edges: PersonEdge[];

  @RequiresScopes('persons:read')
  @Field(() => [Person], { description: 'The persons of this page, without cursors.' })
  nodes: Person[];

  // Where a page ends points at a person: a caller who may only count gets no position in the list (issue 18, item 1).
  @RequiresScopes('persons:read')
  @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursor of the next one.' })
  pageInfo: PageInfo;

  /** Not in the schema: what `totalCount` counts, so the count runs only when it is asked for. */
  filter: PersonFilter;
}

@InputType({ description: 'Narrows a list of persons; all given conditions must hold.' })
export class PersonFilter {
  @Field(() => CountryCodeScalar, { nullable: true, description: 'Only citizens of this country.' })
  citizenship?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only stateless persons (true) or only citizens of a country (false).' })
  stateless?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'Surname starts with this text (case-insensitive, at least 2 characters). Needs persons:read: refused to a caller who may only count.',
  })
  surnamePrefix?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Born on or after this date. A caller who may only count gives whole years: a 1 January.' })
  bornFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Born on or before this date. A caller who may only count gives whole years: a 31 December.' })
  bornTo?: string | null;
}
