import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { OrganisationEntity } from "../directory/directory.entity.js";
import { Organisation } from "../directory/directory.type.js";
import { HandoverEntity } from "./handover.entity.js";
import { HandOverCaseInput, UpdateHandoverInput } from "./handover.input.js";
import { handOverCase, updateHandover } from "./handover.service.js";
import { Handover } from "./handover.type.js";

@Resolver(() => Case)
export class CaseHandoverResolver {
  @Mutation(() => Case, {
    description:
      "Overdracht: Veilig Thuis hands a family over to a Sociaal Wijkteam or Regieteam and the case opens (family, involvements, handover, first monitoring check in one go); VEILIG_THUIS",
  })
  @Cat("Mutation", CATEGORIES.HANDOVER)
  handOverCase(@Arg("input", () => HandOverCaseInput) input: HandOverCaseInput, @GqlCtx() ctx: Ctx) {
    return handOverCase(ctx, input);
  }

  @FieldResolver(() => Handover, { nullable: true, description: "Overdracht van Veilig Thuis" })
  @Cat("Case", CATEGORIES.HANDOVER)
  async handover(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    const [h] = await ctx.loaders.manyBy(HandoverEntity, "caseId").load(c.id);
    return h ?? null;
  }
}

@Resolver(() => Handover)
export class HandoverResolver {
  @Mutation(() => Handover, { description: "Change the handover, e.g. record that the warm handover took place; VEILIG_THUIS; versioned" })
  @Cat("Mutation", CATEGORIES.HANDOVER)
  updateHandover(@Arg("input", () => UpdateHandoverInput) input: UpdateHandoverInput, @GqlCtx() ctx: Ctx) {
    return updateHandover(ctx, input);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The Veilig Thuis organisation that handed the case over" })
  @Cat("Handover", CATEGORIES.HANDOVER)
  fromOrganisation(@Root() h: HandoverEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(h.fromOrganisationId);
  }
}
