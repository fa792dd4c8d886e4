import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import { andThen } from "../../common/loaders.js";
import { caseRelation, partialColumns } from "../../common/prefetch.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { OrganisationEntity, ProfessionalEntity } from "../directory/directory.entity.js";
import { Organisation, Professional } from "../directory/directory.type.js";
import { RegieAssignmentEntity } from "./regie.entity.js";
import { AssignRegieInput, EndRegieInput } from "./regie.input.js";
import { assignRegie, endRegie } from "./regie.service.js";
import { RegieAssignment } from "./regie.type.js";

/** All assignments of the case, oldest first (one SQL statement for all cases of a request). */
const historyOf = (ctx: Ctx, caseId: string) => ctx.loaders.loadNow(ctx.loaders.manyBy(RegieAssignmentEntity, "caseId", ["startedAt"]), caseId);
for (const field of ["regisseur", "procesRegisseur", "regieHistory"]) {
  caseRelation(field, { kind: "manyByCase", entity: RegieAssignmentEntity, column: "caseId", orderBy: ["startedAt"] });
  // RegieAssignment.professional of every assignment of the case
  caseRelation(`${field}.professional`, { kind: "byIdVia", entity: ProfessionalEntity, keysSql: "SELECT ra.professional_id FROM regie_assignment ra WHERE ra.case_id = c.id" });
}
// what a page's prefetched regisseurs may leave out (column → the fields that read it)
partialColumns(ProfessionalEntity, { email: ["email"], createdAt: ["createdAt"] });

@Resolver(() => Case)
export class CaseRegieResolver {
  @FieldResolver(() => RegieAssignment, { nullable: true, description: "Casusregisseur: the active casusregie; null before one is assigned and after the case closed" })
  @Cat("Case", CATEGORIES.CASE)
  regisseur(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return andThen(historyOf(ctx, c.id), (all) => all.find((a) => a.kind === "CASE" && a.endedAt === null) ?? null);
  }

  @FieldResolver(() => RegieAssignment, { nullable: true, description: "Procesregisseur: the active procesregie, if any" })
  @Cat("Case", CATEGORIES.CASE)
  procesRegisseur(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return andThen(historyOf(ctx, c.id), (all) => all.find((a) => a.kind === "PROCESS" && a.endedAt === null) ?? null);
  }

  @FieldResolver(() => [RegieAssignment], { description: "Regie history: every casus- and procesregie assignment, oldest first" })
  @Cat("Case", CATEGORIES.CASE)
  regieHistory(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return historyOf(ctx, c.id);
  }
}

@Resolver(() => RegieAssignment)
export class RegieAssignmentResolver {
  @Mutation(() => RegieAssignment, {
    description:
      "Assign regie of a kind or hand it over (the active one ends, history is kept); REGISSEUR. CONFLICT when regie changed meanwhile (expectedCurrentAssignmentId, or a concurrent assignment)",
  })
  @Cat("Mutation", CATEGORIES.CASE)
  assignRegie(@Arg("input", () => AssignRegieInput) input: AssignRegieInput, @GqlCtx() ctx: Ctx) {
    return assignRegie(ctx, input);
  }

  @Mutation(() => RegieAssignment, { description: "End procesregie without a successor; REGISSEUR. Casusregie can only be handed over (BAD_USER_INPUT)" })
  @Cat("Mutation", CATEGORIES.CASE)
  endRegie(@Arg("input", () => EndRegieInput) input: EndRegieInput, @GqlCtx() ctx: Ctx) {
    return endRegie(ctx, input);
  }

  @FieldResolver(() => Professional, { description: "The regisseur" })
  @Cat("RegieAssignment", CATEGORIES.CASE)
  professional(@Root() r: RegieAssignmentEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.loadNow(ctx.loaders.byId(ProfessionalEntity), r.professionalId);
  }

  @FieldResolver(() => Organisation, { description: "The regisseur's organisation, which holds regie" })
  @Cat("RegieAssignment", CATEGORIES.CASE)
  organisation(@Root() r: RegieAssignmentEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(r.organisationId);
  }
}
