import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The directory's School, referenced by URN; pathways adds `pathwayApplications` to it. */
@Directive('@key(fields: "urn")')
@ObjectType()
export class School {
  @Field(() => ID)
  urn!: string;
}
