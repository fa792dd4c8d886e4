import { ID, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { LocalDate } from "../../common/scalars.js";
import type { EvaluationOutcome, GoalResult } from "./evaluation.entity.js";

export const GoalResultEnum = stringEnum(["ACHIEVED", "PARTIALLY_ACHIEVED", "NOT_ACHIEVED"] as const, "GoalResult", "Whether a goal was met at the evaluation");
export const EvaluationOutcomeEnum = stringEnum(
  ["CLOSE", "SCALE_DOWN", "ADJUST", "CONTINUE"] as const,
  "EvaluationOutcome",
  "What the evaluation decided: afsluiten, afschalen, bijstellen or voortzetten",
);
export const EvaluationRiskLevelEnum = stringEnum(["LOW", "ELEVATED", "HIGH", "ACUTE"] as const, "EvaluationRiskLevel", "Risk level of a referenced risk assessment");
export type EvaluationRiskLevel = keyof typeof EvaluationRiskLevelEnum;

@ObjectType({ description: "Doelrealisatie: one goal's result in an evaluation" })
export class EvaluationGoalResult {
  @CField(CATEGORIES.EVALUATION, () => ID, { nullable: true, description: "The goal (of the case's plan)" }) goalId!: string;
  @CField(CATEGORIES.EVALUATION, () => GoalResultEnum, { nullable: true }) result!: GoalResult;
}

@ObjectType({ description: "Evaluatie op casusniveau: goals met, risk at start vs now, the client's own experience" })
export class Evaluation {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.EVALUATION, () => LocalDate, { nullable: true }) evaluatedOn!: string;
  @CField(CATEGORIES.EVALUATION, () => Boolean, { nullable: true, description: "Held with the family" }) withFamily!: boolean;
  @CField(CATEGORIES.EVALUATION, () => String, { nullable: true, description: "Summary of the goals met" }) goalsSummary!: string | null;
  @CField(CATEGORIES.RISK, () => ID, { nullable: true, description: "Risicotaxatie at the start" }) riskAtStartId!: string | null;
  @CField(CATEGORIES.RISK, () => ID, { nullable: true, description: "Risicotaxatie now" }) riskNowId!: string | null;
  @CField(CATEGORIES.EVALUATION, () => String, { nullable: true, description: "Cliëntervaring: the client's own experience" })
  clientExperience!: string | null;
  @CField(CATEGORIES.EVALUATION, () => EvaluationOutcomeEnum, { nullable: true }) outcome!: EvaluationOutcome;
  @CField(CATEGORIES.EVALUATION, () => Date, { nullable: true }) createdAt!: Date;
  // participants, goalResults, riskAtStartLevel, riskNowLevel, createdBy: evaluation.resolver.ts
}
