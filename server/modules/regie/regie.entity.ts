import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

export const REGIE_KINDS = ["CASE", "PROCESS"] as const;
export type RegieKind = (typeof REGIE_KINDS)[number];

/**
 * Regie: who directs the case. At most one active (ended_at IS NULL) assignment per case and
 * kind (uq_regie_one_active); handing over ends the active one and starts a new one, so the rows
 * of a case are its regie history.
 */
@Entity("regie_assignment")
export class RegieAssignmentEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text" }) kind!: RegieKind;
  @Column({ type: "uuid" }) professionalId!: string;
  /** the professional's organisation when the assignment started */
  @Column({ type: "uuid" }) organisationId!: string;
  @Column({ type: "text", nullable: true }) reason!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) startedAt!: Date;
  @Column({ type: "timestamptz", nullable: true }) endedAt!: Date | null;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "uuid", nullable: true }) endedBy!: string | null;
}
