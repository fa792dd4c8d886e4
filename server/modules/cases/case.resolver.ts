import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { andThen } from "../../common/loaders.js";
import { caseRelation, selectedCaseRelations, selectedFieldNames } from "../../common/prefetch.js";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import { requireVisibleCase } from "../../access/rows.js";
import { PageArgs } from "../../common/connection.js";
import { inCase } from "../../common/source.js";
import type { Ctx } from "../../context.js";
import { OrganisationEntity } from "../directory/directory.entity.js";
import { Organisation } from "../directory/directory.type.js";
import { FamilyEntity } from "../families/family.entity.js";
import { Family } from "../families/family.type.js";
import { CaseEntity, InvolvementEntity, type CaseStatus } from "./case.entity.js";
import { listCases } from "./case.service.js";
import { Case, CaseConnection, CaseStatusEnum, Involvement } from "./case.type.js";
import { EndInvolvementInput, InvolveOrganisationInput } from "./involvement.input.js";
import { endInvolvement, involveOrganisation } from "./involvement.service.js";

caseRelation("family", { kind: "byId", entity: FamilyEntity, caseColumn: "family_id" });

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => CaseConnection, { description: "The cases the viewer's organisation is involved in" })
  @Cat("Query", CATEGORIES.CASE)
  cases(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("status", () => CaseStatusEnum, { nullable: true }) status: CaseStatus | undefined,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listCases(ctx, { ...page, status }, selectedCaseRelations(info), selectedFieldNames(info));
  }

  @Query(() => Case, { description: "One case; NOT_FOUND when it does not exist or is not visible to the viewer" })
  @Cat("Query", CATEGORIES.CASE)
  case(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return requireVisibleCase(ctx, id, "id");
  }

  @FieldResolver(() => Family)
  @Cat("Case", CATEGORIES.CASE)
  family(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return andThen(ctx.loaders.loadNow(ctx.loaders.byId(FamilyEntity), c.familyId), (f) => f && inCase(f, c.id));
  }

  @FieldResolver(() => [Involvement], { description: "Organisations involved, current first; ended involvements are kept as history" })
  @Cat("Case", CATEGORIES.CASE)
  async involvements(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    const all = await ctx.loaders.manyBy(InvolvementEntity, "caseId", ["startedAt"]).load(c.id);
    return [...all].sort((a, b) => Number(a.endedAt !== null) - Number(b.endedAt !== null));
  }
}

@Resolver(() => Involvement)
export class InvolvementResolver {
  @Mutation(() => Involvement, { description: "Involve an organisation in the case (betrokken organisatie); REGISSEUR; CONFLICT when already involved" })
  @Cat("Mutation", CATEGORIES.CASE)
  involveOrganisation(@Arg("input", () => InvolveOrganisationInput) input: InvolveOrganisationInput, @GqlCtx() ctx: Ctx) {
    return involveOrganisation(ctx, input);
  }

  @Mutation(() => Involvement, { description: "End an organisation's involvement (kept as history); REGISSEUR; CONFLICT when already ended or while it holds regie" })
  @Cat("Mutation", CATEGORIES.CASE)
  endInvolvement(@Arg("input", () => EndInvolvementInput) input: EndInvolvementInput, @GqlCtx() ctx: Ctx) {
    return endInvolvement(ctx, input);
  }

  @FieldResolver(() => Organisation)
  @Cat("Involvement", CATEGORIES.CASE)
  organisation(@Root() i: InvolvementEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(i.organisationId);
  }
}
