import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/** The 13 domains of the zelfredzaamheidsmatrix (leefgebieden), in the matrix's order. */
export const LIFE_DOMAINS = [
  "FINANCES",
  "WORK_EDUCATION",
  "TIME_USE",
  "HOUSING",
  "DOMESTIC_RELATIONS",
  "MENTAL_HEALTH",
  "PHYSICAL_HEALTH",
  "SUBSTANCE_USE",
  "BASIC_ADL",
  "INSTRUMENTAL_ADL",
  "SOCIAL_NETWORK",
  "SOCIAL_PARTICIPATION",
  "JUSTICE",
] as const;
export type LifeDomain = (typeof LIFE_DOMAINS)[number];

export const GOAL_STATUSES = ["OPEN", "ACHIEVED", "PARTIALLY_ACHIEVED", "NOT_ACHIEVED", "CANCELLED"] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const PARTIAL_PLAN_STATUSES = ["DRAFT", "ACTIVE", "COMPLETED", "STOPPED"] as const;
export type PartialPlanStatus = (typeof PARTIAL_PLAN_STATUSES)[number];

/** Het integrale plan: one per case (uq_plan_case). Goals, partial plans and the network hang off the case. */
@Entity("plan")
export class PlanEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text", nullable: true }) problemAnalysis!: string | null;
  @Column({ type: "text", nullable: true }) helpQuestion!: string | null;
  @Column({ type: "text", nullable: true }) familyWords!: string | null;
  @Column({ type: "text", nullable: true }) childrenWords!: string | null;
  @Column({ type: "boolean", default: false }) childrenHeard!: boolean;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}

/** One domain's score (1–5) in one assessment; assessments are kept over time, never changed. */
@Entity("life_domain_score")
export class LifeDomainScoreEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text" }) domain!: LifeDomain;
  @Column({ type: "int" }) score!: number;
  /** "YYYY-MM-DD" */
  @Column({ type: "date" }) assessedOn!: string;
  @Column({ type: "text", nullable: true }) note!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
}

/** Deelplan of one involved organisation (uq_partial_plan_org: one per organisation and case). */
@Entity("partial_plan")
export class PartialPlanEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "uuid" }) organisationId!: string;
  @Column({ type: "text" }) title!: string;
  @Column({ type: "text", nullable: true }) summary!: string | null;
  @Column({ type: "text", default: "ACTIVE" }) status!: PartialPlanStatus;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}

/**
 * Doel of the plan, optionally part of a partial plan (then that plan's organisation may change
 * it) and optionally about one family member (usually a child).
 */
@Entity("goal")
export class GoalEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "uuid", nullable: true }) partialPlanId!: string | null;
  @Column({ type: "text" }) title!: string;
  @Column({ type: "text", nullable: true }) description!: string | null;
  @Column({ type: "text", nullable: true }) domain!: LifeDomain | null;
  @Column({ type: "uuid", nullable: true }) memberId!: string | null;
  @Column({ type: "boolean", default: false }) isSafetyGoal!: boolean;
  @Column({ type: "int", default: 3 }) priority!: number;
  @Column({ type: "text", nullable: true }) targetMeasure!: string | null;
  /** "YYYY-MM-DD" */
  @Column({ type: "date", nullable: true }) dueOn!: string | null;
  @Column({ type: "uuid", nullable: true }) responsibleOrganisationId!: string | null;
  @Column({ type: "text", default: "OPEN" }) status!: GoalStatus;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}

/** Eigen kracht: a person from the family's own social network and what they contribute. */
@Entity("network_member")
export class NetworkMemberEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text" }) name!: string;
  @Column({ type: "text" }) relation!: string;
  @Column({ type: "text", nullable: true }) phone!: string | null;
  @Column({ type: "text", nullable: true }) contribution!: string | null;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}
