import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { encryptedColumn } from "../../crypto/field-crypto.js";

export const MEETING_KINDS = ["MDO", "FAMILY_MEETING", "OTHER"] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_STATUSES = ["PLANNED", "HELD", "CANCELLED"] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** MDO (multidisciplinair overleg) or another meeting of a case: planned, then held or cancelled. */
@Entity("meeting")
export class MeetingEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text", default: "MDO" }) kind!: MeetingKind;
  @Column({ type: "timestamptz" }) scheduledAt!: Date;
  @Column({ type: "text", nullable: true }) location!: string | null;
  @Column({ type: "text", nullable: true }) agenda!: string | null;
  @Column({ type: "text", default: "PLANNED" }) status!: MeetingStatus;
  /** Encrypted at rest (server/crypto). */
  @Column({ type: "text", transformer: encryptedColumn("meeting.minutes"), nullable: true }) minutes!: string | null;
  @Column({ type: "boolean", default: false }) familyInvited!: boolean;
  @Column({ type: "boolean", default: false }) networkInvited!: boolean;
  @Column({ type: "timestamptz", nullable: true }) heldAt!: Date | null;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}

/** An organisation invited to a meeting. */
@Entity("meeting_invitee")
export class MeetingInviteeEntity {
  @PrimaryColumn({ type: "uuid" }) meetingId!: string;
  @PrimaryColumn({ type: "uuid" }) organisationId!: string;
  @Column({ type: "uuid" }) caseId!: string;
}

/** Besluit: a decision taken in a held meeting (part of its minutes). */
@Entity("meeting_decision")
export class MeetingDecisionEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) meetingId!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text" }) text!: string;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
}

/** A safety agreement changed in (as a result of) a meeting. */
@Entity("meeting_changed_agreement")
export class MeetingChangedAgreementEntity {
  @PrimaryColumn({ type: "uuid" }) meetingId!: string;
  @PrimaryColumn({ type: "uuid" }) agreementId!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "timestamptz", default: () => "now()" }) changedAt!: Date;
}
