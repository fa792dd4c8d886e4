import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

export const RESPONSIBLE_KINDS = ["ORGANISATION", "PROFESSIONAL", "NETWORK_MEMBER", "CLIENT"] as const;
export type ResponsibleKind = (typeof RESPONSIBLE_KINDS)[number];
export const AGREEMENT_STATUSES = ["PROPOSED", "ACTIVE", "MET", "NOT_MET", "CANCELLED"] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** Veiligheidsplan: one per case (uq_safety_plan_case). */
@Entity("safety_plan")
export class SafetyPlanEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text", nullable: true }) signalsToWatch!: string | null;
  @Column({ type: "text", nullable: true }) whomToCall!: string | null;
  @Column({ type: "boolean", default: false }) madeWithClient!: boolean;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}

/**
 * Veiligheidsafspraak: a prioritised, SMART safety agreement of the case's safety plan.
 * `responsibleOrganisationId` is the organisation answerable for it (for kind PROFESSIONAL: the
 * professional's organisation); the "own" write rule is decided on it.
 */
@Entity("safety_agreement")
export class SafetyAgreementEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "uuid" }) safetyPlanId!: string;
  @Column({ type: "int" }) priority!: number;
  @Column({ type: "text" }) what!: string;
  @Column({ type: "text" }) criterion!: string;
  @Column({ type: "text" }) responsibleKind!: ResponsibleKind;
  @Column({ type: "uuid", nullable: true }) responsibleOrganisationId!: string | null;
  @Column({ type: "uuid", nullable: true }) responsibleProfessionalId!: string | null;
  @Column({ type: "uuid", nullable: true }) responsibleNetworkMemberId!: string | null;
  @Column({ type: "text", nullable: true }) responsibleDescription!: string | null;
  /** "YYYY-MM-DD" */
  @Column({ type: "date", nullable: true }) dueOn!: string | null;
  @Column({ type: "uuid", nullable: true }) reportToOrganisationId!: string | null;
  @Column({ type: "text", default: "ACTIVE" }) status!: AgreementStatus;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}

/** With whom a safety agreement is shared (gedeeld met). */
@Entity("safety_agreement_share")
export class SafetyAgreementShareEntity {
  @PrimaryColumn({ type: "uuid" }) agreementId!: string;
  @PrimaryColumn({ type: "uuid" }) organisationId!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "timestamptz", default: () => "now()" }) sharedAt!: Date;
  @Column({ type: "uuid", nullable: true }) sharedBy!: string | null;
}

/** Gezien: an organisation has seen this version of a safety agreement (one row per version). */
@Entity("safety_agreement_seen")
export class SafetyAgreementSeenEntity {
  @PrimaryColumn({ type: "uuid" }) agreementId!: string;
  @PrimaryColumn({ type: "uuid" }) organisationId!: string;
  @PrimaryColumn({ type: "int" }) version!: number;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "timestamptz", default: () => "now()" }) seenAt!: Date;
  @Column({ type: "uuid" }) seenBy!: string;
}
