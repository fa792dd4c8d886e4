import { ArrayMaxSize, IsOptional, IsUUID, Length, Matches } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import type { MeetingKind } from "./meeting.entity.js";
import { MeetingKindEnum } from "./meeting.type.js";

const NOT_BLANK = { message: "must not be blank" };
const NOT_BLANK_EACH = { message: "must not be blank", each: true };

@InputType({ description: "Schedule an MDO or other meeting of a case (REGISSEUR)" })
export class ScheduleMeetingInput {
  @Field(() => ID) caseId!: string;

  @Field(() => MeetingKindEnum, { defaultValue: "MDO" })
  kind!: MeetingKind;

  @Field(() => Date, { description: "When; not in the past and at most two years ahead" })
  scheduledAt!: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 500)
  @Matches(/\S/, NOT_BLANK)
  location?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  agenda?: string | null;

  @Field(() => [ID], { description: "Invited organisations: each actively involved in the case" })
  @ArrayMaxSize(50)
  @IsUUID("all", { each: true })
  inviteeOrganisationIds!: string[];

  @Field(() => Boolean, { nullable: true, description: "Default false" })
  @IsOptional()
  familyInvited?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Default false" })
  @IsOptional()
  networkInvited?: boolean | null;
}

@InputType({ description: "Change a planned meeting; omitted fields stay as they are, null clears location or agenda" })
export class UpdateMeetingInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the meeting since" })
  version!: number;

  @Field(() => Date, { nullable: true, description: "Not in the past and at most two years ahead" })
  @IsOptional()
  scheduledAt?: Date | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 500)
  @Matches(/\S/, NOT_BLANK)
  location?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  agenda?: string | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the invitees: each actively involved in the case" })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID("all", { each: true })
  inviteeOrganisationIds?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  familyInvited?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  networkInvited?: boolean | null;
}

@InputType({ description: "Cancel a planned meeting" })
export class CancelMeetingInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the meeting since" })
  version!: number;
}

@InputType({ description: "Record that a planned meeting was held: minutes, decisions and the safety agreements it changed, at once" })
export class RecordMeetingOutcomeInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the meeting since" })
  version!: number;

  @Field(() => Date, { nullable: true, description: "When it was held (default now); not in the future" })
  @IsOptional()
  heldAt?: Date | null;

  @Field(() => String, { description: "Verslag: the minutes" })
  @Length(1, 50000)
  @Matches(/\S/, NOT_BLANK)
  minutes!: string;

  @Field(() => [String], { description: "Besluiten, in order; each 1–5000 characters" })
  @ArrayMaxSize(100)
  @Length(1, 5000, { each: true })
  @Matches(/\S/, NOT_BLANK_EACH)
  decisions!: string[];

  @Field(() => [ID], { description: "Safety agreements of this case changed in the meeting" })
  @ArrayMaxSize(100)
  @IsUUID("all", { each: true })
  changedAgreementIds!: string[];
}
