import { Field, InputType, Int, ObjectType } from 'type-graphql';

@InputType({ description: 'A Get Information About Schools file (edubasealldata CSV, or an extract with its header row).' })
export class ImportSchoolRegisterInput {
  @Field({ description: 'The file as downloaded, base64-encoded (it may be gzipped first: a whole national file is about 60 MB, 6 MB gzipped). UTF-8 or Windows-1252.' })
  file!: string;

  @Field({ description: "The council's 3-digit local authority code (`LA (code)`, e.g. 931): only its schools are read." })
  laCode!: string;

  @Field({ defaultValue: false, description: 'Report what would change, change nothing.' })
  dryRun!: boolean;
}

@ObjectType()
export class RegisterChangeReport {
  @Field({ description: 'The School field, e.g. phase.' })
  field!: string;

  @Field(() => String, { nullable: true })
  from!: string | null;

  @Field(() => String, { nullable: true })
  to!: string | null;
}

@ObjectType()
export class SchoolChangeReport {
  @Field()
  urn!: string;

  @Field()
  name!: string;

  @Field(() => [RegisterChangeReport])
  changes!: RegisterChangeReport[];
}

@ObjectType()
export class SkippedRegisterRow {
  @Field(() => Int)
  line!: number;

  @Field()
  urn!: string;

  @Field()
  reason!: string;
}

@ObjectType({ description: 'What an import of the register changed (or, on a dry run, would change).' })
export class SchoolRegisterImportReport {
  @Field()
  laCode!: string;

  @Field()
  dryRun!: boolean;

  @Field(() => Int, { description: "Rows of the file for the council's authority." })
  rowsRead!: number;

  @Field(() => Int, { description: 'Rows of other authorities, passed over.' })
  otherAuthorityRows!: number;

  @Field(() => [SchoolChangeReport], { description: 'Open schools added to the directory.' })
  created!: SchoolChangeReport[];

  @Field(() => [SchoolChangeReport], { description: 'Schools whose register details changed (a moved phase, a new name, ...), with each change.' })
  updated!: SchoolChangeReport[];

  @Field(() => [SchoolChangeReport], { description: 'Schools GIAS now lists as closed: marked CLOSED, never deleted.' })
  closed!: SchoolChangeReport[];

  @Field(() => Int)
  unchanged!: number;

  @Field(() => [SkippedRegisterRow], { description: 'Rows not imported, and why (not a school the directory serves; closed before it reached the directory).' })
  skipped!: SkippedRegisterRow[];

  @Field(() => [String], { description: "URNs of the authority's schools that an earlier file had and this one lacks (kept as they are)." })
  notInFile!: string[];
}
