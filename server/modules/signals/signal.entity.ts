import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

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
  @Column({ type: "text" }) description!: string;
  @Column({ type: "timestamptz", nullable: true }) acknowledgedAt!: Date | null;
  @Column({ type: "uuid", nullable: true }) acknowledgedBy!: string | null;
  @Column({ type: "text", nullable: true }) acknowledgementNote!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
}
