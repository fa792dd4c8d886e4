import { IsOptional, IsUUID, Length, Matches } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";
import type { RiskInstrument, RiskLevel } from "./risk.entity.js";
import { RiskInstrumentEnum, RiskLevelEnum } from "./risk.type.js";

const NOT_BLANK = { message: "must not be blank" };

@InputType({ description: "Record a risk assessment (risicotaxatie); a new assessment is a new record" })
export class RecordRiskAssessmentInput {
  @Field(() => ID) caseId!: string;

  @Field(() => RiskInstrumentEnum)
  instrument!: RiskInstrument;

  @Field(() => String, { nullable: true, description: "Required when instrument is OTHER, and only then" })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, NOT_BLANK)
  instrumentOther?: string | null;

  @Field(() => LocalDate, { description: "Not in the future" })
  assessedOn!: string;

  @Field(() => RiskLevelEnum)
  level!: RiskLevel;

  @Field(() => String, { description: "Gewogen conclusie" })
  @Length(1, 20000)
  @Matches(/\S/, NOT_BLANK)
  conclusion!: string;

  @Field(() => ID, { nullable: true, description: "Who assessed (default: the viewer); a professional of an organisation actively involved in the case" })
  @IsOptional()
  @IsUUID()
  assessorId?: string | null;
}
