import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

export type CaseStatus = "OPEN" | "CLOSED";
export type CloseReason = "GOALS_MET" | "SCALED_DOWN" | "TRANSFERRED" | "OTHER";

@Entity("case_file")
export class CaseEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) familyId!: string;
  @Column({ type: "text", default: "OPEN" }) status!: CaseStatus;
  @Column({ type: "timestamptz", default: () => "now()" }) openedAt!: Date;
  @Column({ type: "timestamptz", nullable: true }) closedAt!: Date | null;
  @Column({ type: "text", nullable: true }) closeReason!: CloseReason | null;
  @Column({ type: "text", nullable: true }) closeNote!: string | null;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}

@Entity("involvement")
export class InvolvementEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "uuid" }) organisationId!: string;
  @Column({ type: "text" }) role!: string;
  @Column({ type: "timestamptz", default: () => "now()" }) startedAt!: Date;
  @Column({ type: "timestamptz", nullable: true }) endedAt!: Date | null;
  @Column({ type: "text", nullable: true }) endReason!: string | null;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "uuid", nullable: true }) endedBy!: string | null;
}
