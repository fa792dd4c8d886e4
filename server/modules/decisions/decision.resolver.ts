import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { ProfessionalEntity } from "../directory/directory.entity.js";
import { Professional } from "../directory/directory.type.js";
import { KeyDecisionEntity } from "./decision.entity.js";
import { RecordKeyDecisionInput } from "./decision.input.js";
import { recordKeyDecision } from "./decision.service.js";
import { KeyDecision } from "./decision.type.js";

@Resolver(() => Case)
export class CaseKeyDecisionsResolver {
  @FieldResolver(() => [KeyDecision], { nullable: true, description: "Kernbeslissingen, newest first (by decision date, then by when recorded)" })
  @Cat("Case", CATEGORIES.KEY_DECISIONS)
  async keyDecisions(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    const oldestFirst = await ctx.loaders.manyBy(KeyDecisionEntity, "caseId", ["decidedOn", "createdAt"]).load(c.id);
    return [...oldestFirst].reverse();
  }
}

@Resolver(() => KeyDecision)
export class KeyDecisionResolver {
  @Mutation(() => KeyDecision, { description: "Record a key decision (kernbeslissing); REGISSEUR or BEHAVIOURAL_SCIENTIST; the viewer is who decided" })
  @Cat("Mutation", CATEGORIES.KEY_DECISIONS)
  recordKeyDecision(@Arg("input", () => RecordKeyDecisionInput) input: RecordKeyDecisionInput, @GqlCtx() ctx: Ctx) {
    return recordKeyDecision(ctx, input);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Wie besloot" })
  @Cat("KeyDecision", CATEGORIES.KEY_DECISIONS)
  decidedBy(@Root() k: KeyDecisionEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(ProfessionalEntity).load(k.decidedBy);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "De geraadpleegde gedragswetenschapper; null when none" })
  @Cat("KeyDecision", CATEGORIES.KEY_DECISIONS)
  behaviouralScientist(@Root() k: KeyDecisionEntity, @GqlCtx() ctx: Ctx) {
    return k.behaviouralScientistId ? ctx.loaders.byId(ProfessionalEntity).load(k.behaviouralScientistId) : null;
  }
}
