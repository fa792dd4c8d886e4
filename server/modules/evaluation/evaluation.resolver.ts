import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { In } from "typeorm";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { OrganisationEntity, ProfessionalEntity } from "../directory/directory.entity.js";
import { Organisation, Professional } from "../directory/directory.type.js";
import { EvaluationEntity, EvaluationGoalEntity } from "./evaluation.entity.js";
import { CloseCaseInput, RecordEvaluationInput } from "./evaluation.input.js";
import { closeCase, recordEvaluation } from "./evaluation.service.js";
import { Evaluation, EvaluationGoalResult, EvaluationRiskLevelEnum, type EvaluationRiskLevel } from "./evaluation.type.js";

/** Levels of risk_assessment rows by id (owned by the risk module; read here by id only). */
function riskLevel(ctx: Ctx, id: string | null): Promise<EvaluationRiskLevel | null> | null {
  if (!id) return null;
  return ctx.loaders
    .custom<string, EvaluationRiskLevel | null>("evaluation.riskLevel", async (ids) => {
      const rows = (await ctx.ds.query("SELECT id, level FROM risk_assessment WHERE id = ANY($1::uuid[])", [[...ids]])) as {
        id: string;
        level: EvaluationRiskLevel;
      }[];
      const map = new Map(rows.map((r) => [r.id, r.level]));
      return ids.map((i) => map.get(i) ?? null);
    })
    .load(id);
}

@Resolver(() => Case)
export class CaseEvaluationResolver {
  @FieldResolver(() => [Evaluation], { nullable: true, description: "Evaluaties op casusniveau, oldest first" })
  @Cat("Case", CATEGORIES.EVALUATION)
  evaluations(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(EvaluationEntity, "caseId", ["evaluatedOn", "createdAt"]).load(c.id);
  }

  @Mutation(() => Case, { description: "Close the case (afsluiten); REGISSEUR. Ends active regie; GOALS_MET requires an evaluation" })
  @Cat("Mutation", CATEGORIES.CASE)
  closeCase(@Arg("input", () => CloseCaseInput) input: CloseCaseInput, @GqlCtx() ctx: Ctx) {
    return closeCase(ctx, input);
  }
}

@Resolver(() => Evaluation)
export class EvaluationResolver {
  @Mutation(() => Evaluation, { description: "Record a case-level evaluation with its goal results; REGISSEUR" })
  @Cat("Mutation", CATEGORIES.EVALUATION)
  recordEvaluation(@Arg("input", () => RecordEvaluationInput) input: RecordEvaluationInput, @GqlCtx() ctx: Ctx) {
    return recordEvaluation(ctx, input);
  }

  @FieldResolver(() => [Organisation], { nullable: true, description: "Organisations that took part" })
  @Cat("Evaluation", CATEGORIES.EVALUATION)
  async participants(@Root() e: EvaluationEntity, @GqlCtx() ctx: Ctx) {
    const orgs = await ctx.loaders.byId(OrganisationEntity).loadMany(e.participantOrganisationIds);
    return orgs.filter((o): o is OrganisationEntity => o instanceof OrganisationEntity);
  }

  @FieldResolver(() => [EvaluationGoalResult], { nullable: true, description: "Per goal: achieved, partially or not" })
  @Cat("Evaluation", CATEGORIES.EVALUATION)
  goalResults(@Root() e: EvaluationEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders
      .custom<string, EvaluationGoalEntity[]>("evaluation.goalResults", async (ids) => {
        const rows = await ctx.ds.getRepository(EvaluationGoalEntity).find({ where: { evaluationId: In([...ids]) }, order: { goalId: "ASC" } });
        const byEvaluation = new Map<string, EvaluationGoalEntity[]>(ids.map((id) => [id, []]));
        for (const r of rows) byEvaluation.get(r.evaluationId)?.push(r);
        return ids.map((id) => byEvaluation.get(id) ?? []);
      })
      .load(e.id);
  }

  @FieldResolver(() => EvaluationRiskLevelEnum, { nullable: true, description: "Risk level of the assessment at the start" })
  @Cat("Evaluation", CATEGORIES.RISK)
  riskAtStartLevel(@Root() e: EvaluationEntity, @GqlCtx() ctx: Ctx) {
    return riskLevel(ctx, e.riskAtStartId);
  }

  @FieldResolver(() => EvaluationRiskLevelEnum, { nullable: true, description: "Risk level of the assessment now" })
  @Cat("Evaluation", CATEGORIES.RISK)
  riskNowLevel(@Root() e: EvaluationEntity, @GqlCtx() ctx: Ctx) {
    return riskLevel(ctx, e.riskNowId);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Who recorded the evaluation" })
  @Cat("Evaluation", CATEGORIES.EVALUATION)
  createdBy(@Root() e: EvaluationEntity, @GqlCtx() ctx: Ctx) {
    return e.createdBy ? ctx.loaders.byId(ProfessionalEntity).load(e.createdBy) : null;
  }
}
