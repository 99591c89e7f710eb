/**
 * Inputs that mean the same in every subgraph, declared once: a person to email (a delegate, a
 * clinic attendee, a school's SENDCO) and a place to go (an event's venue, a clinic's location).
 * Identical input types in several subgraphs compose into one in the supergraph.
 */
import { IsEmail, IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType({ description: 'A person: name and email.' })
export class ContactInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field()
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 320)
  email!: string;
}

@InputType()
export class VenueInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 500)
  address?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(5, 8, { message: 'postcode must be a UK postcode' })
  postcode?: string;
}
