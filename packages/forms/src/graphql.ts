/**
 * The form engine's GraphQL types, one set for every subgraph (type-graphql). type-graphql keeps
 * one global metadata storage, but each schema build emits only the types its resolvers reach
 * (or its orphanedTypes), so a subgraph that uses these classes gets them and one that does not
 * never shows them. A subgraph whose published schema already names these types differently
 * (clinics: BookingQuestion, ClinicAnswer, ...) subclasses them under its own names
 * (`@ObjectType('BookingQuestion') class BookingQuestion extends FormQuestion {}`); the fields and
 * their validation are inherited, never copied.
 */
import { IsBoolean, IsEnum, IsNumber, IsOptional, IsString, Length } from 'class-validator';
import { Field, Float, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { FORM_QUESTION_TYPE_DESCRIPTION, FormQuestionType, type FormAnswerValue, type FormQuestionDefinition, type RecordedFormAnswer } from './form';

registerEnumType(FormQuestionType, { name: 'FormQuestionType', description: FORM_QUESTION_TYPE_DESCRIPTION });

@ObjectType({ description: 'A question on a form.' })
export class FormQuestion implements FormQuestionDefinition {
  @Field({ description: 'Names the answer (its key) and, in errors, the field: answers.<key>.' })
  key!: string;

  @Field()
  label!: string;

  @Field()
  required!: boolean;

  @Field(() => FormQuestionType)
  type!: FormQuestionType;

  @Field(() => [String], { nullable: true, description: 'The allowed answers of a CHOICE question.' })
  choices?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'NUMBER: the smallest allowed answer.' })
  min?: number | null;

  @Field(() => Float, { nullable: true, description: 'NUMBER: the largest allowed answer.' })
  max?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'NUMBER: true when the answer must be a whole number.' })
  integer?: boolean | null;

  @Field(() => String, { nullable: true, description: 'DATE: the earliest allowed answer (yyyy-mm-dd).' })
  minDate?: string | null;

  @Field(() => String, { nullable: true, description: 'DATE: the latest allowed answer (yyyy-mm-dd).' })
  maxDate?: string | null;
}

@InputType({ description: 'A question on a form.' })
export class FormQuestionInput implements FormQuestionDefinition {
  @Field({ description: 'Letters, digits and _, starting with a letter; unique on the form.' })
  @Length(1, 40)
  key!: string;

  @Field()
  @Length(1, 300)
  label!: string;

  @Field({ defaultValue: false })
  required!: boolean;

  @Field(() => FormQuestionType, { defaultValue: FormQuestionType.SHORT_TEXT })
  @IsEnum(FormQuestionType)
  type!: FormQuestionType;

  @Field(() => [String], { nullable: true, description: 'For a CHOICE question: 2 to 30 allowed answers.' })
  @IsOptional()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  choices?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'For a NUMBER question: the smallest allowed answer.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  min?: number | null;

  @Field(() => Float, { nullable: true, description: 'For a NUMBER question: the largest allowed answer.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  max?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'For a NUMBER question: true when the answer must be a whole number.' })
  @IsOptional()
  @IsBoolean()
  integer?: boolean | null;

  @Field(() => String, { nullable: true, description: 'For a DATE question: the earliest allowed answer (yyyy-mm-dd).' })
  @IsOptional()
  @Length(1, 10)
  minDate?: string | null;

  @Field(() => String, { nullable: true, description: 'For a DATE question: the latest allowed answer (yyyy-mm-dd).' })
  @IsOptional()
  @Length(1, 10)
  maxDate?: string | null;
}

@InputType({ description: 'An answer to the form question with this key (types: see FormQuestionType).' })
export class FormAnswerInput implements FormAnswerValue {
  @Field()
  @Length(1, 40)
  key!: string;

  @Field()
  @Length(0, 5000)
  value!: string;
}

@ObjectType({ description: 'An answer to a form question, with the question as it was asked.' })
export class FormAnswer implements RecordedFormAnswer {
  @Field()
  key!: string;

  @Field()
  label!: string;

  @Field()
  value!: string;
}
