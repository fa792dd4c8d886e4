import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { LocalDate } from "../../common/scalars.js";
import { AGREEMENT_STATUSES, RESPONSIBLE_KINDS, type AgreementStatus, type ResponsibleKind } from "./safety.entity.js";

export const ResponsibleKindEnum = stringEnum(
  RESPONSIBLE_KINDS,
  "ResponsibleKind",
  "Who is responsible for a safety agreement: an involved organisation, a professional of one, a member of the social network (eigen kracht), or the client",
);
export const AgreementStatusEnum = stringEnum(AGREEMENT_STATUSES, "AgreementStatus", "Status of a safety agreement");

@ObjectType({ description: "Veiligheidsplan: the case's safety plan — signals to watch, whom to call, and the prioritised safety agreements" })
export class SafetyPlan {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.SAFETY, () => String, { nullable: true, description: "Signalen om op te letten" }) signalsToWatch!: string | null;
  @CField(CATEGORIES.SAFETY, () => String, { nullable: true, description: "Wie te bellen: whom to call when safety slips" }) whomToCall!: string | null;
  @CField(CATEGORIES.SAFETY, () => Boolean, { nullable: true, description: "Samen met de cliënt opgesteld" }) madeWithClient!: boolean;
  @CField(CATEGORIES.SAFETY, () => Date, { nullable: true }) createdAt!: Date;
  @CField(CATEGORIES.SAFETY, () => Date, { nullable: true }) updatedAt!: Date;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // agreements: safety.resolver.ts
}

@ObjectType({ description: "Veiligheidsafspraak: a prioritised, SMART safety agreement — what, measurable criterion, who is responsible, by when, reported to whom, shared with whom" })
export class SafetyAgreement {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.SAFETY, () => Int, { nullable: true, description: "Prioriteit: 1 is the most important" }) priority!: number;
  @CField(CATEGORIES.SAFETY, () => String, { nullable: true, description: "Wat: what is agreed" }) what!: string;
  @CField(CATEGORIES.SAFETY, () => String, { nullable: true, description: "Meetbaar criterium: how to tell the agreement is kept" }) criterion!: string;
  @CField(CATEGORIES.SAFETY, () => ResponsibleKindEnum, { nullable: true, description: "Wie is verantwoordelijk: kind of responsible party" })
  responsibleKind!: ResponsibleKind;
  @CField(CATEGORIES.SAFETY, () => ID, {
    nullable: true,
    description: "Verantwoordelijk netwerklid (NetworkMember id) when responsibleKind is NETWORK_MEMBER",
  })
  responsibleNetworkMemberId!: string | null;
  @CField(CATEGORIES.SAFETY, () => String, { nullable: true, description: "Free-text description of the responsible party (e.g. 'moeder')" })
  responsibleDescription!: string | null;
  @CField(CATEGORIES.SAFETY, () => LocalDate, { nullable: true, description: "Uiterlijk: by when" }) dueOn!: string | null;
  @CField(CATEGORIES.SAFETY, () => AgreementStatusEnum, { nullable: true }) status!: AgreementStatus;
  @CField(CATEGORIES.SAFETY, () => Date, { nullable: true }) createdAt!: Date;
  @CField(CATEGORIES.SAFETY, () => Date, { nullable: true }) updatedAt!: Date;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // responsibleOrganisation, responsibleProfessional, reportTo, sharedWith, seenBy, notSeenBy: safety.resolver.ts
}

@ObjectType({ description: "Gezien: an organisation's latest acknowledgement that it has seen a safety agreement" })
export class AgreementSeen {
  @CField(CATEGORIES.SAFETY, () => Int, { nullable: true, description: "The agreement version it saw" }) version!: number;
  @CField(CATEGORIES.SAFETY, () => Date, { nullable: true }) seenAt!: Date;
  @CField(CATEGORIES.SAFETY, () => Boolean, { nullable: true, description: "It saw the current version (false: the agreement changed since)" })
  current!: boolean;
  // organisation, seenBy: safety.resolver.ts
}
