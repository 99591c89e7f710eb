import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The directory's School, referenced by URN; clinics adds `clinicBookings` to it. */
@Directive('@key(fields: "urn")')
@ObjectType()
export class School {
  @Field(() => ID)
  urn!: string;
}
