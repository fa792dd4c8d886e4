import { Ctx as GqlCtx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import { OrganisationEntity, type ProfessionalEntity } from "./directory.entity.js";
import { Me, Organisation, Professional } from "./directory.type.js";

@Resolver(() => Me)
export class MeResolver {
  @Query(() => Me, { description: "The viewer: e-mail, role and organisation" })
  @Cat("Query", CATEGORIES.DIRECTORY)
  me(@GqlCtx() ctx: Ctx): Me {
    const v = ctx.viewer;
    return { id: v.professionalId, email: v.email, name: v.name, role: v.role, organisationId: v.organisationId } as Me;
  }

  @FieldResolver(() => Organisation)
  @Cat("Me", CATEGORIES.DIRECTORY)
  organisation(@Root() me: { organisationId: string }, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(me.organisationId);
  }
}

@Resolver(() => Professional)
export class ProfessionalResolver {
  @FieldResolver(() => Organisation)
  @Cat("Professional", CATEGORIES.DIRECTORY)
  organisation(@Root() p: ProfessionalEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(p.organisationId);
  }
}
