import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, Length, Matches, Max, Min, ValidateNested } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";
import type { GoalStatus, LifeDomain, PartialPlanStatus } from "./plan.entity.js";
import { GoalStatusEnum, LifeDomainEnum, PartialPlanStatusEnum } from "./plan.type.js";

const NOT_BLANK = { message: "must not be blank" };
const PHONE = /^[0-9+() .-]{3,30}$/;

// ---------------------------------------------------------------------------------------------
// Plan

@InputType({ description: "Create the case's one integral plan" })
export class CreatePlanInput {
  @Field(() => ID) caseId!: string;

  @Field(() => String, { nullable: true, description: "Probleemanalyse" })
  @IsOptional()
  @Length(1, 20000)
  @Matches(/\S/, NOT_BLANK)
  problemAnalysis?: string | null;

  @Field(() => String, { nullable: true, description: "Hulpvraag, formulated with the family" })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  helpQuestion?: string | null;

  @Field(() => String, { nullable: true, description: "The family's own words" })
  @IsOptional()
  @Length(1, 10000)
  @Matches(/\S/, NOT_BLANK)
  familyWords?: string | null;

  @Field(() => String, { nullable: true, description: "The children's own words; needs childrenHeard" })
  @IsOptional()
  @Length(1, 10000)
  @Matches(/\S/, NOT_BLANK)
  childrenWords?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Were the children heard? Default false; only for a household with children" })
  @IsOptional()
  childrenHeard?: boolean | null;
}

@InputType({ description: "Change the plan; omitted fields stay as they are, null clears a text" })
export class UpdatePlanInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the plan since" })
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 20000)
  @Matches(/\S/, NOT_BLANK)
  problemAnalysis?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  helpQuestion?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 10000)
  @Matches(/\S/, NOT_BLANK)
  familyWords?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 10000)
  @Matches(/\S/, NOT_BLANK)
  childrenWords?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  childrenHeard?: boolean | null;
}

// ---------------------------------------------------------------------------------------------
// Life-domain scores

@InputType({ description: "One life domain's score in an assessment" })
export class LifeDomainScoreInput {
  @Field(() => LifeDomainEnum) domain!: LifeDomain;

  @Field(() => Int, { description: "1 (acute problems) to 5 (fully self-reliant)" })
  @Min(1)
  @Max(5)
  score!: number;

  @Field(() => String, { nullable: true, description: "Toelichting" })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  note?: string | null;
}

@InputType({ description: "Record an assessment of life domains (zelfredzaamheidsmatrix): each domain at most once" })
export class RecordLifeDomainScoresInput {
  @Field(() => ID) caseId!: string;

  @Field(() => LocalDate, { description: "Date of the assessment; not in the future" })
  assessedOn!: string;

  @Field(() => [LifeDomainScoreInput], { description: "1 to 13 scores, each domain at most once" })
  @ArrayMinSize(1)
  @ArrayMaxSize(13)
  @ValidateNested({ each: true })
  scores!: LifeDomainScoreInput[];
}

// ---------------------------------------------------------------------------------------------
// Partial plans

@InputType({ description: "Add an involved organisation's partial plan (deelplan); one per organisation" })
export class AddPartialPlanInput {
  @Field(() => ID) caseId!: string;

  @Field(() => ID, { description: "An organisation actively involved in the case" })
  @IsUUID()
  organisationId!: string;

  @Field(() => String)
  @Length(1, 200)
  @Matches(/\S/, NOT_BLANK)
  title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 10000)
  @Matches(/\S/, NOT_BLANK)
  summary?: string | null;

  @Field(() => PartialPlanStatusEnum, { nullable: true, description: "Default ACTIVE" })
  @IsOptional()
  status?: PartialPlanStatus | null;
}

@InputType({ description: "Change a partial plan; omitted fields stay as they are, null clears the summary" })
export class UpdatePartialPlanInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the partial plan since" })
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, NOT_BLANK)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 10000)
  @Matches(/\S/, NOT_BLANK)
  summary?: string | null;

  @Field(() => PartialPlanStatusEnum, { nullable: true })
  @IsOptional()
  status?: PartialPlanStatus | null;
}

// ---------------------------------------------------------------------------------------------
// Goals

@InputType({ description: "Add a goal to the plan, optionally in a partial plan" })
export class AddGoalInput {
  @Field(() => ID) caseId!: string;

  @Field(() => String)
  @Length(1, 300)
  @Matches(/\S/, NOT_BLANK)
  title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  description?: string | null;

  @Field(() => LifeDomainEnum, { nullable: true, description: "Leefgebied" })
  @IsOptional()
  domain?: LifeDomain | null;

  @Field(() => ID, { nullable: true, description: "The family member the goal is about (usually a child): a member of this case's family" })
  @IsOptional()
  @IsUUID()
  memberId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Veiligheidsdoel; default false" })
  @IsOptional()
  isSafetyGoal?: boolean | null;

  @Field(() => Int, { nullable: true, description: "1 (most important) to 5; default 3" })
  @IsOptional()
  @Min(1)
  @Max(5)
  priority?: number | null;

  @Field(() => String, { nullable: true, description: "Meetbaar resultaat" })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  targetMeasure?: string | null;

  @Field(() => LocalDate, { nullable: true, description: "By when; not in the past" })
  @IsOptional()
  dueOn?: string | null;

  @Field(() => ID, { nullable: true, description: "An organisation actively involved in the case; default the partial plan's organisation" })
  @IsOptional()
  @IsUUID()
  responsibleOrganisationId?: string | null;

  @Field(() => ID, { nullable: true, description: "A partial plan of this case; its organisation may then change the goal" })
  @IsOptional()
  @IsUUID()
  partialPlanId?: string | null;

  @Field(() => GoalStatusEnum, { nullable: true, description: "Default OPEN" })
  @IsOptional()
  status?: GoalStatus | null;
}

@InputType({ description: "Change a goal; omitted fields stay as they are, null clears an optional one" })
export class UpdateGoalInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the goal since" })
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300)
  @Matches(/\S/, NOT_BLANK)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  description?: string | null;

  @Field(() => LifeDomainEnum, { nullable: true })
  @IsOptional()
  domain?: LifeDomain | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  memberId?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  isSafetyGoal?: boolean | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(5)
  priority?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  targetMeasure?: string | null;

  @Field(() => LocalDate, { nullable: true, description: "A new due date must not be in the past; null clears it" })
  @IsOptional()
  dueOn?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  responsibleOrganisationId?: string | null;

  @Field(() => ID, { nullable: true, description: "Move the goal to another partial plan of this case; null takes it out of its partial plan" })
  @IsOptional()
  @IsUUID()
  partialPlanId?: string | null;

  @Field(() => GoalStatusEnum, { nullable: true })
  @IsOptional()
  status?: GoalStatus | null;
}

// ---------------------------------------------------------------------------------------------
// Social network

@InputType({ description: "Add someone from the family's own social network (eigen kracht)" })
export class AddNetworkMemberInput {
  @Field(() => ID) caseId!: string;

  @Field(() => String)
  @Length(1, 200)
  @Matches(/\S/, NOT_BLANK)
  name!: string;

  @Field(() => String, { description: "Relation to the family, e.g. 'grootmoeder', 'buurman'" })
  @Length(1, 200)
  @Matches(/\S/, NOT_BLANK)
  relation!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: "must be a phone number" })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: "What they contribute" })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  contribution?: string | null;
}

@InputType({ description: "Change a network member; omitted fields stay as they are, null clears phone or contribution" })
export class UpdateNetworkMemberInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed it since" })
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, NOT_BLANK)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, NOT_BLANK)
  relation?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: "must be a phone number" })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  contribution?: string | null;
}
