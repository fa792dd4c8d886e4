import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

export type EvaluationOutcome = "CLOSE" | "SCALE_DOWN" | "ADJUST" | "CONTINUE";
export type GoalResult = "ACHIEVED" | "PARTIALLY_ACHIEVED" | "NOT_ACHIEVED";

/** Evaluatie op casusniveau: with the family and the involved organisations. */
@Entity("evaluation")
export class EvaluationEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  /** "YYYY-MM-DD" */
  @Column({ type: "date" }) evaluatedOn!: string;
  @Column({ type: "boolean" }) withFamily!: boolean;
  @Column({ type: "uuid", array: true, default: () => "'{}'" }) participantOrganisationIds!: string[];
  @Column({ type: "text", nullable: true }) goalsSummary!: string | null;
  @Column({ type: "uuid", nullable: true }) riskAtStartId!: string | null;
  @Column({ type: "uuid", nullable: true }) riskNowId!: string | null;
  @Column({ type: "text", nullable: true }) clientExperience!: string | null;
  @Column({ type: "text" }) outcome!: EvaluationOutcome;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
}

/** One goal's result in an evaluation. */
@Entity("evaluation_goal")
export class EvaluationGoalEntity {
  @PrimaryColumn({ type: "uuid" }) evaluationId!: string;
  @PrimaryColumn({ type: "uuid" }) goalId!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text" }) result!: GoalResult;
}
