import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import { inCase } from "../../common/source.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { OrganisationEntity, ProfessionalEntity } from "../directory/directory.entity.js";
import { Organisation, Professional } from "../directory/directory.type.js";
import { FamilyMemberEntity } from "../families/family.entity.js";
import { FamilyMember } from "../families/family.type.js";
import { GoalEntity, LIFE_DOMAINS, LifeDomainScoreEntity, NetworkMemberEntity, PartialPlanEntity, PlanEntity } from "./plan.entity.js";
import {
  AddGoalInput,
  AddNetworkMemberInput,
  AddPartialPlanInput,
  CreatePlanInput,
  RecordLifeDomainScoresInput,
  UpdateGoalInput,
  UpdateNetworkMemberInput,
  UpdatePartialPlanInput,
  UpdatePlanInput,
} from "./plan.input.js";
import {
  addGoal,
  addNetworkMember,
  addPartialPlan,
  createPlan,
  recordLifeDomainScores,
  selectScores,
  updateGoal,
  updateNetworkMember,
  updatePartialPlan,
  updatePlan,
} from "./plan.service.js";
import { Goal, LifeDomainScore, NetworkMember, PartialPlan, Plan } from "./plan.type.js";

// Goals, partial plans, network members and scores hang off the case (one plan per case): each
// list is one SQL statement per request for all cases, filtered in memory.
const goalsOf = (ctx: Ctx, caseId: string) => ctx.loaders.manyBy(GoalEntity, "caseId", ["priority", "createdAt"]).load(caseId);
const scoresOf = (ctx: Ctx, caseId: string) => ctx.loaders.manyBy(LifeDomainScoreEntity, "caseId", ["assessedOn", "createdAt"]).load(caseId);

const LATEST_ONLY = { defaultValue: false, description: "Only the latest score per domain (the current picture) instead of all scores over time" };

@Resolver(() => Case)
export class CasePlanResolver {
  @FieldResolver(() => Plan, { nullable: true, description: "Het integrale plan; null until it is made" })
  @Cat("Case", CATEGORIES.PLAN)
  async plan(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    const [plan] = await ctx.loaders.manyBy(PlanEntity, "caseId").load(c.id);
    return plan ?? null;
  }

  @FieldResolver(() => [LifeDomainScore], {
    nullable: true,
    description: "Zelfredzaamheidsmatrix: life-domain scores over time (by assessment date), also before the plan exists; same as plan.lifeDomainScores",
  })
  @Cat("Case", CATEGORIES.LIFE_DOMAINS)
  async lifeDomainScores(@Root() c: CaseEntity, @Arg("latestOnly", () => Boolean, LATEST_ONLY) latestOnly: boolean, @GqlCtx() ctx: Ctx) {
    return selectScores(await scoresOf(ctx, c.id), latestOnly, LIFE_DOMAINS);
  }
}

@Resolver(() => Plan)
export class PlanResolver {
  @Mutation(() => Plan, { description: "Create the case's integral plan; REGISSEUR; CONFLICT when the case already has one" })
  @Cat("Mutation", CATEGORIES.PLAN)
  createPlan(@Arg("input", () => CreatePlanInput) input: CreatePlanInput, @GqlCtx() ctx: Ctx) {
    return createPlan(ctx, input);
  }

  @Mutation(() => Plan, { description: "Change the plan (problem analysis, help question, the family's and the children's words); REGISSEUR; versioned" })
  @Cat("Mutation", CATEGORIES.PLAN)
  updatePlan(@Arg("input", () => UpdatePlanInput) input: UpdatePlanInput, @GqlCtx() ctx: Ctx) {
    return updatePlan(ctx, input);
  }

  @FieldResolver(() => [Goal], { nullable: true, description: "Doelen: all goals of the plan (partial plans' included), by priority (1 first), then oldest first" })
  @Cat("Plan", CATEGORIES.PLAN)
  goals(@Root() p: PlanEntity, @GqlCtx() ctx: Ctx) {
    return goalsOf(ctx, p.caseId);
  }

  @FieldResolver(() => [PartialPlan], { nullable: true, description: "Deelplannen of the involved organisations, oldest first" })
  @Cat("Plan", CATEGORIES.PLAN)
  partialPlans(@Root() p: PlanEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(PartialPlanEntity, "caseId", ["createdAt"]).load(p.caseId);
  }

  @FieldResolver(() => [NetworkMember], { nullable: true, description: "Sociaal netwerk (eigen kracht), oldest first" })
  @Cat("Plan", CATEGORIES.PLAN)
  networkMembers(@Root() p: PlanEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(NetworkMemberEntity, "caseId", ["createdAt"]).load(p.caseId);
  }

  @FieldResolver(() => [LifeDomainScore], { nullable: true, description: "Zelfredzaamheidsmatrix: life-domain scores over time (by assessment date), or the latest per domain" })
  @Cat("Plan", CATEGORIES.LIFE_DOMAINS)
  async lifeDomainScores(@Root() p: PlanEntity, @Arg("latestOnly", () => Boolean, LATEST_ONLY) latestOnly: boolean, @GqlCtx() ctx: Ctx) {
    return selectScores(await scoresOf(ctx, p.caseId), latestOnly, LIFE_DOMAINS);
  }
}

@Resolver(() => LifeDomainScore)
export class LifeDomainScoreResolver {
  @Mutation(() => [LifeDomainScore], { description: "Record an assessment of life domains (zelfredzaamheidsmatrix, scores 1–5); REGISSEUR; all or nothing" })
  @Cat("Mutation", CATEGORIES.LIFE_DOMAINS)
  recordLifeDomainScores(@Arg("input", () => RecordLifeDomainScoresInput) input: RecordLifeDomainScoresInput, @GqlCtx() ctx: Ctx) {
    return recordLifeDomainScores(ctx, input);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Who assessed" })
  @Cat("LifeDomainScore", CATEGORIES.LIFE_DOMAINS)
  assessedBy(@Root() s: LifeDomainScoreEntity, @GqlCtx() ctx: Ctx) {
    return s.createdBy ? ctx.loaders.byId(ProfessionalEntity).load(s.createdBy) : null;
  }
}

@Resolver(() => PartialPlan)
export class PartialPlanResolver {
  @Mutation(() => PartialPlan, {
    description: "Add an involved organisation's partial plan (deelplan); REGISSEUR, or a PROFESSIONAL for its own organisation; CONFLICT when the organisation has one",
  })
  @Cat("Mutation", CATEGORIES.PLAN)
  addPartialPlan(@Arg("input", () => AddPartialPlanInput) input: AddPartialPlanInput, @GqlCtx() ctx: Ctx) {
    return addPartialPlan(ctx, input);
  }

  @Mutation(() => PartialPlan, { description: "Change a partial plan; REGISSEUR, or a PROFESSIONAL of its organisation; versioned" })
  @Cat("Mutation", CATEGORIES.PLAN)
  updatePartialPlan(@Arg("input", () => UpdatePartialPlanInput) input: UpdatePartialPlanInput, @GqlCtx() ctx: Ctx) {
    return updatePartialPlan(ctx, input);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation whose partial plan it is" })
  @Cat("PartialPlan", CATEGORIES.PLAN)
  organisation(@Root() pp: PartialPlanEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(pp.organisationId);
  }

  @FieldResolver(() => [Goal], { nullable: true, description: "The goals of this partial plan, by priority" })
  @Cat("PartialPlan", CATEGORIES.PLAN)
  async goals(@Root() pp: PartialPlanEntity, @GqlCtx() ctx: Ctx) {
    return (await goalsOf(ctx, pp.caseId)).filter((g) => g.partialPlanId === pp.id);
  }
}

@Resolver(() => Goal)
export class GoalResolver {
  @Mutation(() => Goal, { description: "Add a goal to the plan; REGISSEUR, or a PROFESSIONAL in its own organisation's partial plan" })
  @Cat("Mutation", CATEGORIES.PLAN)
  addGoal(@Arg("input", () => AddGoalInput) input: AddGoalInput, @GqlCtx() ctx: Ctx) {
    return addGoal(ctx, input);
  }

  @Mutation(() => Goal, { description: "Change a goal (status, target, due date…); REGISSEUR, or a PROFESSIONAL in its own organisation's partial plan; versioned" })
  @Cat("Mutation", CATEGORIES.PLAN)
  updateGoal(@Arg("input", () => UpdateGoalInput) input: UpdateGoalInput, @GqlCtx() ctx: Ctx) {
    return updateGoal(ctx, input);
  }

  @FieldResolver(() => FamilyMember, { nullable: true, description: "The family member the goal is about (usually a child)" })
  @Cat("Goal", CATEGORIES.PLAN)
  async member(@Root() g: GoalEntity, @GqlCtx() ctx: Ctx) {
    const m = g.memberId ? await ctx.loaders.byId(FamilyMemberEntity).load(g.memberId) : undefined;
    return m ? inCase(m, g.caseId) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Verantwoordelijke organisatie" })
  @Cat("Goal", CATEGORIES.PLAN)
  responsibleOrganisation(@Root() g: GoalEntity, @GqlCtx() ctx: Ctx) {
    return g.responsibleOrganisationId ? ctx.loaders.byId(OrganisationEntity).load(g.responsibleOrganisationId) : null;
  }

  @FieldResolver(() => PartialPlan, { nullable: true, description: "The partial plan the goal belongs to, if any" })
  @Cat("Goal", CATEGORIES.PLAN)
  partialPlan(@Root() g: GoalEntity, @GqlCtx() ctx: Ctx) {
    return g.partialPlanId ? ctx.loaders.byId(PartialPlanEntity).load(g.partialPlanId) : null;
  }
}

@Resolver(() => NetworkMember)
export class NetworkMemberResolver {
  @Mutation(() => NetworkMember, { description: "Add someone from the family's own social network (eigen kracht) to the plan; REGISSEUR" })
  @Cat("Mutation", CATEGORIES.PLAN)
  addNetworkMember(@Arg("input", () => AddNetworkMemberInput) input: AddNetworkMemberInput, @GqlCtx() ctx: Ctx) {
    return addNetworkMember(ctx, input);
  }

  @Mutation(() => NetworkMember, { description: "Change a network member; REGISSEUR; versioned" })
  @Cat("Mutation", CATEGORIES.PLAN)
  updateNetworkMember(@Arg("input", () => UpdateNetworkMemberInput) input: UpdateNetworkMemberInput, @GqlCtx() ctx: Ctx) {
    return updateNetworkMember(ctx, input);
  }
}
