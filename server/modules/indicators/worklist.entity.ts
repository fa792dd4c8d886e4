import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/**
 * That a worklist item became due (entered its warning window) and was announced with a
 * WORKLIST_DUE change event: once per (case, item, due date) — the worklist job's memory.
 * Carries no client data: a kind, an indicator code, a date and a generated Dutch text.
 */
@Entity("worklist_notice")
export class WorklistNoticeEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text" }) itemKey!: string;
  @Column({ type: "text" }) kind!: string;
  @Column({ type: "text" }) indicator!: string;
  /** "YYYY-MM-DD" */
  @Column({ type: "date" }) dueOn!: string;
  @Column({ type: "text" }) text!: string;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
}
