import 'reflect-metadata';
import { printSchema } from 'graphql';
import { validate } from 'class-validator';
import { Arg, buildSchema, Field, InputType, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { FormAnswer, FormAnswerInput, FormQuestion, FormQuestionInput, FormQuestionType } from './index';

// Two subgraphs in one process, as the schema printer and the tests build them: one uses the
// engine's types as they are, the other subclasses them under the names its schema already has.
const LegacyType = { ...FormQuestionType };
registerEnumType(LegacyType, { name: 'BookingQuestionType' });

@ObjectType('BookingQuestion')
class BookingQuestion extends FormQuestion {
  @Field(() => LegacyType)
  declare type: FormQuestionType;
}

@InputType('BookingQuestionInput')
class BookingQuestionInput extends FormQuestionInput {
  @Field(() => LegacyType, { defaultValue: LegacyType.SHORT_TEXT })
  declare type: FormQuestionType;
}

@ObjectType('ClinicAnswer')
class ClinicAnswer extends FormAnswer {}

@InputType('ClinicAnswerInput')
class ClinicAnswerInput extends FormAnswerInput {}

@Resolver()
class LegacyResolver {
  @Query(() => [BookingQuestion])
  form(@Arg('questions', () => [BookingQuestionInput]) questions: BookingQuestionInput[]): BookingQuestion[] {
    return questions;
  }

  @Query(() => [ClinicAnswer])
  answers(@Arg('answers', () => [ClinicAnswerInput]) answers: ClinicAnswerInput[]): ClinicAnswer[] {
    return answers.map((a) => ({ ...a, label: a.key }));
  }
}

@Resolver()
class EngineResolver {
  @Query(() => [FormQuestion])
  form(@Arg('questions', () => [FormQuestionInput]) questions: FormQuestionInput[]): FormQuestion[] {
    return questions;
  }

  @Query(() => [FormAnswer])
  answers(@Arg('answers', () => [FormAnswerInput]) answers: FormAnswerInput[]): FormAnswer[] {
    return answers.map((a) => ({ ...a, label: a.key }));
  }
}

const typeNames = (sdl: string) => [...sdl.matchAll(/^(?:type|input|enum) (\w+)/gm)].map((m) => m[1]).sort();
const block = (sdl: string, name: string) => sdl.slice(sdl.indexOf(name)).split('\n}')[0];

describe('the form GraphQL types in two schemas built in one process', () => {
  let engine: string;
  let legacy: string;
  beforeAll(async () => {
    engine = printSchema(await buildSchema({ resolvers: [EngineResolver], validate: false }));
    legacy = printSchema(await buildSchema({ resolvers: [LegacyResolver], validate: false }));
  });

  it('gives each schema the types its resolvers reach, and none of the other one', () => {
    expect(typeNames(engine)).toEqual(['FormAnswer', 'FormAnswerInput', 'FormQuestion', 'FormQuestionInput', 'FormQuestionType', 'Query']);
    expect(typeNames(legacy)).toEqual(['BookingQuestion', 'BookingQuestionInput', 'BookingQuestionType', 'ClinicAnswer', 'ClinicAnswerInput', 'Query']);
  });

  it('gives the subclasses every field of the engine, the question type under its own enum', () => {
    for (const [sdl, question, input, type] of [
      [engine, 'type FormQuestion {', 'input FormQuestionInput {', 'FormQuestionType'],
      [legacy, 'type BookingQuestion {', 'input BookingQuestionInput {', 'BookingQuestionType'],
    ]) {
      const fields = (name: string) => [...block(sdl, name).matchAll(/^  (\w+):\s*([^\n]+)$/gm)].map((m) => `${m[1]}: ${m[2]}`);
      expect(fields(question)).toEqual([
        'key: String!', 'label: String!', 'required: Boolean!', `type: ${type}!`, 'choices: [String!]',
        'min: Float', 'max: Float', 'integer: Boolean', 'minDate: String', 'maxDate: String',
      ]);
      expect(fields(input)).toEqual([
        'key: String!', 'label: String!', 'required: Boolean! = false', `type: ${type}! = SHORT_TEXT`, 'choices: [String!]',
        'min: Float', 'max: Float', 'integer: Boolean', 'minDate: String', 'maxDate: String',
      ]);
      expect(block(sdl, `enum ${type} {`).split('\n').slice(1).map((l) => l.trim())).toEqual(['SHORT_TEXT', 'LONG_TEXT', 'YES_NO', 'CHOICE', 'NUMBER', 'DATE']);
    }
  });

  it('keeps the engine input validation on a subclass', async () => {
    const bad = Object.assign(new BookingQuestionInput(), { key: 'k'.repeat(41), label: '', required: false, type: 'PUZZLE', min: Number.NaN });
    const errors = await validate(bad);
    expect(errors.map((e) => e.property).sort()).toEqual(['key', 'label', 'min', 'type']);
    const answer = Object.assign(new ClinicAnswerInput(), { key: '', value: 'x'.repeat(5001) });
    expect((await validate(answer)).map((e) => e.property).sort()).toEqual(['key', 'value']);
  });
});
