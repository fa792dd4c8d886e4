import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/** Kernbeslissing: an immutable record of a key decision — what, who decided, who was consulted, on what information. */
@Entity("key_decision")
export class KeyDecisionEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text" }) decision!: string;
  /** "YYYY-MM-DD" */
  @Column({ type: "date" }) decidedOn!: string;
  @Column({ type: "uuid" }) decidedBy!: string;
  @Column({ type: "text" }) consulted!: string;
  @Column({ type: "uuid", nullable: true }) behaviouralScientistId!: string | null;
  @Column({ type: "text" }) informationBasis!: string;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
}
