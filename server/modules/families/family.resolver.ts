import { Ctx as GqlCtx, FieldResolver, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import { inCase, type InCase } from "../../common/source.js";
import type { Ctx } from "../../context.js";
import { OrganisationEntity } from "../directory/directory.entity.js";
import { Organisation } from "../directory/directory.type.js";
import { FamilyMemberEntity, type FamilyEntity } from "./family.entity.js";
import { Family, FamilyMember } from "./family.type.js";

@Resolver(() => Family)
export class FamilyResolver {
  @FieldResolver(() => [FamilyMember], { description: "Adults first, then children by birth date" })
  @Cat("Family", CATEGORIES.CASE)
  async members(@Root() f: InCase<FamilyEntity>, @GqlCtx() ctx: Ctx) {
    const all = await ctx.loaders.manyBy(FamilyMemberEntity, "familyId", ["createdAt"]).load(f.id);
    return [...all]
      .sort((a, b) => (a.kind === b.kind ? (a.birthDate ?? "").localeCompare(b.birthDate ?? "") : a.kind === "ADULT" ? -1 : 1))
      .map((m) => inCase(m, f.caseId));
  }
}

@Resolver(() => FamilyMember)
export class FamilyMemberResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: "The child's school" })
  @Cat("FamilyMember", CATEGORIES.IDENTITY)
  school(@Root() m: FamilyMemberEntity, @GqlCtx() ctx: Ctx) {
    return m.schoolId ? ctx.loaders.byId(OrganisationEntity).load(m.schoolId) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The household's GP practice" })
  @Cat("FamilyMember", CATEGORIES.IDENTITY)
  gp(@Root() m: FamilyMemberEntity, @GqlCtx() ctx: Ctx) {
    return m.gpId ? ctx.loaders.byId(OrganisationEntity).load(m.gpId) : null;
  }
}
