import { ArrayMaxSize, IsOptional, IsUUID, Length, ValidateNested } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";
import type { CloseReason } from "../cases/case.entity.js";
import { CloseReasonEnum } from "../cases/case.type.js";
import type { EvaluationOutcome, GoalResult } from "./evaluation.entity.js";
import { EvaluationOutcomeEnum, GoalResultEnum } from "./evaluation.type.js";

@InputType()
export class EvaluationGoalResultInput {
  @Field(() => ID, { description: "A goal of this case" })
  @IsUUID()
  goalId!: string;

  @Field(() => GoalResultEnum) result!: GoalResult;
}

@InputType({ description: "Record a case-level evaluation" })
export class RecordEvaluationInput {
  @Field(() => ID) caseId!: string;

  @Field(() => LocalDate, { description: "Not in the future" })
  evaluatedOn!: string;

  @Field(() => Boolean, { description: "Held with the family" })
  withFamily!: boolean;

  @Field(() => [ID], { description: "Organisations that took part; each involved in the case now or before" })
  @ArrayMaxSize(50)
  @IsUUID("all", { each: true })
  participantOrganisationIds!: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 20000)
  goalsSummary?: string | null;

  @Field(() => [EvaluationGoalResultInput])
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  goalResults!: EvaluationGoalResultInput[];

  @Field(() => ID, { nullable: true, description: "Risicotaxatie at the start (of this case)" })
  @IsOptional()
  @IsUUID()
  riskAtStartId?: string | null;

  @Field(() => ID, { nullable: true, description: "Risicotaxatie now (of this case); not older than riskAtStart" })
  @IsOptional()
  @IsUUID()
  riskNowId?: string | null;

  @Field(() => String, { nullable: true, description: "Cliëntervaring: the client's own experience" })
  @IsOptional()
  @Length(1, 20000)
  clientExperience?: string | null;

  @Field(() => EvaluationOutcomeEnum) outcome!: EvaluationOutcome;
}

@InputType({ description: "Close a case (afsluiten)" })
export class CloseCaseInput {
  @Field(() => ID) caseId!: string;
  @Field(() => Int, { description: "The case's version as read (optimistic concurrency)" }) version!: number;
  @Field(() => CloseReasonEnum, { description: "GOALS_MET requires an evaluation on the case" }) reason!: CloseReason;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  note?: string | null;
}
