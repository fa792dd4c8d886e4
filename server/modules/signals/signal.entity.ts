import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { encryptedColumn } from "../../crypto/field-crypto.js";

export const SIGNAL_URGENCIES = ["LOW", "NORMAL", "HIGH", "ACUTE"] as const;
export type SignalUrgency = (typeof SIGNAL_URGENCIES)[number];

/**
 * Signaal: a new concern a partner (school, GP, JGZ) reports on a case; the regisseur
 * acknowledges it. `reportingOrganisationId` decides the partners' "own items" read scope.
 */
@Entity("signal")
export class SignalEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "uuid" }) reportingOrganisationId!: string;
  @Column({ type: "uuid" }) reportedBy!: string;
  @Column({ type: "uuid", nullable: true }) memberId!: string | null;
  /** "YYYY-MM-DD" */
  @Column({ type: "date" }) observedOn!: string;
  @Column({ type: "text", default: "NORMAL" }) urgency!: SignalUrgency;
  /** Encrypted at rest (server/crypto). */
  @Column({ type: "text", transformer: encryptedColumn("signal.description") }) description!: string;
  @Column({ type: "timestamptz", nullable: true }) acknowledgedAt!: Date | null;
  @Column({ type: "uuid", nullable: true }) acknowledgedBy!: string | null;
  /** Encrypted at rest (server/crypto). */
  @Column({ type: "text", transformer: encryptedColumn("signal.acknowledgement_note"), nullable: true }) acknowledgementNote!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
}
