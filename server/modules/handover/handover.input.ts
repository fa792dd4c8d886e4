import { ArrayMaxSize, ArrayUnique, IsOptional, IsUUID, Length, Matches, ValidateNested } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";
import { NewFamilyInput } from "../families/family.input.js";
import type { ClosingLetterRecipient } from "./handover.entity.js";
import { ClosingLetterRecipientEnum } from "./handover.type.js";

const NOT_BLANK = { message: "must not be blank" };

@InputType({ description: "An organisation to involve in the new case, e.g. the children's school or the GP" })
export class HandoverInvolveInput {
  @Field(() => ID)
  @IsUUID()
  organisationId!: string;

  @Field(() => String, { description: "What the organisation does in this case" })
  @Length(1, 200)
  @Matches(/\S/, NOT_BLANK)
  role!: string;
}

@InputType({ description: "Overdracht: Veilig Thuis hands a family over to the local network, which opens the case" })
export class HandOverCaseInput {
  @Field(() => ID, { nullable: true, description: "An existing family (known from an earlier case); it must have no open case. Give this or `family`" })
  @IsOptional()
  @IsUUID()
  familyId?: string | null;

  @Field(() => NewFamilyInput, { nullable: true, description: "A new household with its members. Give this or `familyId`" })
  @IsOptional()
  @ValidateNested()
  family?: NewFamilyInput | null;

  @Field(() => ID, { description: "The receiving Sociaal Wijkteam or Regieteam (kind SOCIAL_TEAM or REGIETEAM)" })
  @IsUUID()
  toOrganisationId!: string;

  @Field(() => [HandoverInvolveInput], { nullable: true, description: "Further organisations to involve (school, GP, care already involved…)" })
  @IsOptional()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  involve?: HandoverInvolveInput[] | null;

  @Field(() => String, { description: "Uitkomst van het onderzoek" })
  @Length(1, 20000)
  @Matches(/\S/, NOT_BLANK)
  outcome!: string;

  @Field(() => String, { nullable: true, description: "Overzicht van de reeds betrokken hulp" })
  @IsOptional()
  @Length(1, 20000)
  helpAlreadyInvolved?: string | null;

  @Field(() => [String], { nullable: true, description: "Veiligheidsvoorwaarden" })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 2000, { each: true })
  safetyConditions?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "Schriftelijke overdracht ontvangen (default false)" })
  @IsOptional()
  writtenHandoverReceived?: boolean | null;

  @Field(() => LocalDate, { nullable: true, description: "Not in the future; only with writtenHandoverReceived" })
  @IsOptional()
  writtenHandoverReceivedOn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: "Warme overdracht held on (not in the future); null = not held yet" })
  @IsOptional()
  warmHandoverOn?: string | null;

  @Field(() => [ClosingLetterRecipientEnum], { nullable: true, description: "Who received the afsluitbrief" })
  @IsOptional()
  @ArrayUnique()
  closingLetterRecipients?: ClosingLetterRecipient[] | null;
}

@InputType({ description: "Change a handover (e.g. record that the warm handover took place); omitted fields stay as they are" })
export class UpdateHandoverInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the handover since" })
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 20000)
  @Matches(/\S/, NOT_BLANK)
  outcome?: string | null;

  @Field(() => String, { nullable: true, description: "null clears it" })
  @IsOptional()
  @Length(1, 20000)
  helpAlreadyInvolved?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 2000, { each: true })
  safetyConditions?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  writtenHandoverReceived?: boolean | null;

  @Field(() => LocalDate, { nullable: true, description: "null clears it" })
  @IsOptional()
  writtenHandoverReceivedOn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: "Warme overdracht held on; null = not held (yet)" })
  @IsOptional()
  warmHandoverOn?: string | null;

  @Field(() => [ClosingLetterRecipientEnum], { nullable: true })
  @IsOptional()
  @ArrayUnique()
  closingLetterRecipients?: ClosingLetterRecipient[] | null;
}
