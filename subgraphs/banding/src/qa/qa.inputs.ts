import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { QaVerdict } from '../pupils/pupil.entity';

export enum QaOutcome {
  APPROVED = 'APPROVED',
  RETURNED = 'RETURNED',
}
registerEnumType(QaOutcome, { name: 'BandingQaOutcome', description: 'APPROVED: final and read-only. RETURNED: back to the school with comments.' });

@InputType()
export class BandingPupilVerdictInput {
  @Field(() => ID)
  pupilId!: string;

  @Field(() => QaVerdict)
  verdict!: QaVerdict;

  @Field(() => Int, { nullable: true, description: 'ADJUSTED: the band the council sets (a band of the matrix, not the suggested one). AGREED: omit.' })
  @IsOptional()
  band?: number | null;

  @Field(() => String, { nullable: true, description: 'ADJUSTED: why (required). AGREED: an optional note.' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string | null;
}

@InputType({ description: 'The council\'s quality assurance of a submitted return.' })
export class BandingQaInput {
  @Field(() => QaOutcome)
  outcome!: QaOutcome;

  @Field(() => String, { nullable: true, description: 'Required when RETURNED: what the school should change. Emailed to the SENDCO.' })
  @IsOptional()
  @MaxLength(5000)
  comments?: string | null;

  @Field(() => [BandingPupilVerdictInput], {
    defaultValue: [],
    description: 'Verdicts on pupils. APPROVED needs a verdict on every pupil (given here, or kept from an earlier round on a pupil the school has not changed since).',
  })
  @ArrayMaxSize(5000)
  pupils!: BandingPupilVerdictInput[];
}
