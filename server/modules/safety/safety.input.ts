import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, Length, Matches, Max, Min } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";
import type { AgreementStatus, ResponsibleKind } from "./safety.entity.js";
import { AgreementStatusEnum, ResponsibleKindEnum } from "./safety.type.js";

const NOT_BLANK = { message: "must not be blank" };

@InputType({ description: "Create the case's safety plan (veiligheidsplan); one per case" })
export class CreateSafetyPlanInput {
  @Field(() => ID) caseId!: string;

  @Field(() => String, { nullable: true, description: "Signalen om op te letten" })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  signalsToWatch?: string | null;

  @Field(() => String, { nullable: true, description: "Wie te bellen" })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  whomToCall?: string | null;

  @Field(() => Boolean, { description: "Samen met de cliënt opgesteld" })
  madeWithClient!: boolean;
}

@InputType({ description: "Change the safety plan; omitted fields stay as they are, null clears a text" })
export class UpdateSafetyPlanInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the safety plan since" })
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  signalsToWatch?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  whomToCall?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  madeWithClient?: boolean | null;
}

@InputType({ description: "Add a safety agreement (veiligheidsafspraak) to the case's safety plan" })
export class AddSafetyAgreementInput {
  @Field(() => ID) caseId!: string;

  @Field(() => Int, { description: "Prioriteit, 1 (most important) to 99" })
  @Min(1)
  @Max(99)
  priority!: number;

  @Field(() => String, { description: "Wat: what is agreed" })
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  what!: string;

  @Field(() => String, { description: "Meetbaar criterium" })
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  criterion!: string;

  @Field(() => ResponsibleKindEnum, {
    description:
      "ORGANISATION needs responsibleOrganisationId, PROFESSIONAL responsibleProfessionalId (its organisation becomes the responsible organisation), NETWORK_MEMBER responsibleNetworkMemberId, CLIENT none of them",
  })
  responsibleKind!: ResponsibleKind;

  @Field(() => ID, { nullable: true, description: "An organisation actively involved in the case" })
  @IsOptional()
  @IsUUID()
  responsibleOrganisationId?: string | null;

  @Field(() => ID, { nullable: true, description: "A professional of an organisation actively involved in the case" })
  @IsOptional()
  @IsUUID()
  responsibleProfessionalId?: string | null;

  @Field(() => ID, { nullable: true, description: "A member of this case's social network" })
  @IsOptional()
  @IsUUID()
  responsibleNetworkMemberId?: string | null;

  @Field(() => String, { nullable: true, description: "Free text about the responsible party (e.g. 'moeder')" })
  @IsOptional()
  @Length(1, 500)
  @Matches(/\S/, NOT_BLANK)
  responsibleDescription?: string | null;

  @Field(() => LocalDate, { nullable: true, description: "By when; not in the past" })
  @IsOptional()
  dueOn?: string | null;

  @Field(() => ID, { nullable: true, description: "To whom it is reported: an organisation actively involved in the case" })
  @IsOptional()
  @IsUUID()
  reportToOrganisationId?: string | null;

  @Field(() => AgreementStatusEnum, { nullable: true, description: "Default ACTIVE" })
  @IsOptional()
  status?: AgreementStatus | null;

  @Field(() => [ID], { nullable: true, description: "Share with these organisations (actively involved in the case); needs the regisseur's right to share" })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID("all", { each: true })
  shareWithOrganisationIds?: string[] | null;
}

@InputType({
  description:
    "Change a safety agreement; omitted fields stay as they are, null clears an optional one. Giving responsibleKind or any responsible id replaces the responsible party as a whole",
})
export class UpdateSafetyAgreementInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the agreement since" })
  version!: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(99)
  priority?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  what?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  criterion?: string | null;

  @Field(() => ResponsibleKindEnum, { nullable: true })
  @IsOptional()
  responsibleKind?: ResponsibleKind | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  responsibleOrganisationId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  responsibleProfessionalId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  responsibleNetworkMemberId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 500)
  @Matches(/\S/, NOT_BLANK)
  responsibleDescription?: string | null;

  @Field(() => LocalDate, { nullable: true, description: "Not in the past; null clears it" })
  @IsOptional()
  dueOn?: string | null;

  @Field(() => ID, { nullable: true, description: "null clears it" })
  @IsOptional()
  @IsUUID()
  reportToOrganisationId?: string | null;

  @Field(() => AgreementStatusEnum, { nullable: true })
  @IsOptional()
  status?: AgreementStatus | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the set of organisations it is shared with; needs the regisseur's right to share" })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID("all", { each: true })
  shareWithOrganisationIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: "The MDO (meeting of this case) in which the agreement was changed" })
  @IsOptional()
  @IsUUID()
  meetingId?: string | null;
}

@InputType({ description: "Share a safety agreement with more involved organisations" })
export class ShareSafetyAgreementInput {
  @Field(() => ID) id!: string;

  @Field(() => [ID], { description: "Organisations actively involved in the case" })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID("all", { each: true })
  organisationIds!: string[];
}

@InputType({ description: "Stop sharing a safety agreement with an organisation" })
export class UnshareSafetyAgreementInput {
  @Field(() => ID) id!: string;

  @Field(() => ID)
  @IsUUID()
  organisationId!: string;
}

@InputType({ description: "Mark a safety agreement as seen by the viewer's organisation (gezien)" })
export class MarkSafetyAgreementSeenInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version seen; CONFLICT when it is not the current version" })
  @Min(1)
  version!: number;
}
