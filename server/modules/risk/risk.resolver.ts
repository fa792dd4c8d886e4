import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { ProfessionalEntity } from "../directory/directory.entity.js";
import { Professional } from "../directory/directory.type.js";
import { RiskAssessmentEntity } from "./risk.entity.js";
import { RecordRiskAssessmentInput } from "./risk.input.js";
import { recordRiskAssessment } from "./risk.service.js";
import { RiskAssessment } from "./risk.type.js";

/** The case's assessments, oldest first (by date, then by when recorded); one SQL statement per batch of cases. */
const assessmentsOf = (ctx: Ctx, caseId: string) => ctx.loaders.manyBy(RiskAssessmentEntity, "caseId", ["assessedOn", "createdAt"]).load(caseId);

@Resolver(() => Case)
export class CaseRiskResolver {
  @FieldResolver(() => [RiskAssessment], { nullable: true, description: "Risicotaxaties, oldest first" })
  @Cat("Case", CATEGORIES.RISK)
  riskAssessments(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return assessmentsOf(ctx, c.id);
  }

  @FieldResolver(() => RiskAssessment, { nullable: true, description: "De meest recente risicotaxatie; null when none" })
  @Cat("Case", CATEGORIES.RISK)
  async latestRiskAssessment(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    const all = await assessmentsOf(ctx, c.id);
    return all.at(-1) ?? null;
  }
}

@Resolver(() => RiskAssessment)
export class RiskAssessmentResolver {
  @Mutation(() => RiskAssessment, { description: "Record a risk assessment (risicotaxatie); REGISSEUR or BEHAVIOURAL_SCIENTIST; a reassessment is a new record" })
  @Cat("Mutation", CATEGORIES.RISK)
  recordRiskAssessment(@Arg("input", () => RecordRiskAssessmentInput) input: RecordRiskAssessmentInput, @GqlCtx() ctx: Ctx) {
    return recordRiskAssessment(ctx, input);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Wie taxeerde: the assessor" })
  @Cat("RiskAssessment", CATEGORIES.RISK)
  assessor(@Root() r: RiskAssessmentEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(ProfessionalEntity).load(r.assessorId);
  }
}
