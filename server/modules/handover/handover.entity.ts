import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { encryptedColumn } from "../../crypto/field-crypto.js";

export const CLOSING_LETTER_RECIPIENTS = ["CLIENT", "ORGANISATIONS", "SCHOOL", "GP"] as const;
export type ClosingLetterRecipient = (typeof CLOSING_LETTER_RECIPIENTS)[number];

/** Overdracht: what Veilig Thuis handed over to the local network when the case was opened (one per case). */
@Entity("handover")
export class HandoverEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "uuid" }) fromOrganisationId!: string;
  /** Encrypted at rest (server/crypto). */
  @Column({ type: "text", transformer: encryptedColumn("handover.outcome") }) outcome!: string;
  @Column({ type: "text", nullable: true }) helpAlreadyInvolved!: string | null;
  @Column({ type: "text", array: true, default: () => "'{}'" }) safetyConditions!: string[];
  @Column({ type: "boolean", default: false }) writtenHandoverReceived!: boolean;
  /** "YYYY-MM-DD" */
  @Column({ type: "date", nullable: true }) writtenHandoverReceivedOn!: string | null;
  /** "YYYY-MM-DD"; null = the warm handover has not been held (yet) */
  @Column({ type: "date", nullable: true }) warmHandoverOn!: string | null;
  @Column({ type: "text", array: true, default: () => "'{}'" }) closingLetterRecipients!: ClosingLetterRecipient[];
  @Column({ type: "timestamptz", default: () => "now()" }) handedOverAt!: Date;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}
