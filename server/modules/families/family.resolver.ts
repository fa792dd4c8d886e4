import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import { andThen } from "../../common/loaders.js";
import { caseRelation, partialColumns } from "../../common/prefetch.js";
import { inCase, type InCase } from "../../common/source.js";
import type { Ctx } from "../../context.js";
import { OrganisationEntity } from "../directory/directory.entity.js";
import { Organisation } from "../directory/directory.type.js";
import { FamilyEntity, FamilyMemberEntity } from "./family.entity.js";
import { AddFamilyMemberInput, UpdateFamilyMemberInput } from "./family.input.js";
import { addFamilyMember, casesByBsn, updateFamilyMember } from "./family.service.js";
import { Case } from "../cases/case.type.js";
import { Family, FamilyMember } from "./family.type.js";

// the members of a page's families, in the page statement (common/prefetch.ts)
caseRelation("family.members", { kind: "manyByCase", entity: FamilyMemberEntity, column: "familyId", orderBy: ["createdAt"], caseColumn: "family_id" });
// what a page's prefetched families and members may leave out (column → the fields that read
// it); not kind, schoolId, gpId (the access policy), nor birthDate (members' order)
partialColumns(FamilyEntity, { name: ["name"], createdAt: ["createdAt"], createdBy: ["createdBy"], updatedAt: ["updatedAt"], updatedBy: [] });
partialColumns(FamilyMemberEntity, { bsn: ["bsn"], bsnHash: [], createdAt: ["createdAt"], createdBy: ["createdBy"], updatedAt: ["updatedAt"], updatedBy: [] });

@Resolver(() => Family)
export class FamilyResolver {
  @FieldResolver(() => [FamilyMember], { description: "Adults first, then children by birth date" })
  @Cat("Family", CATEGORIES.CASE)
  members(@Root() f: InCase<FamilyEntity>, @GqlCtx() ctx: Ctx) {
    return andThen(ctx.loaders.loadNow(ctx.loaders.manyBy(FamilyMemberEntity, "familyId", ["createdAt"]), f.id), (all) =>
      [...all]
        .sort((a, b) => (a.kind === b.kind ? (a.birthDate ?? "").localeCompare(b.birthDate ?? "") : a.kind === "ADULT" ? -1 : 1))
        .map((m) => inCase(m, f.caseId)),
    );
  }
}

@Resolver(() => FamilyMember)
export class FamilyMemberResolver {
  @Query(() => [Case], {
    description:
      "Zoeken op BSN: the cases of the household of the person with this BSN (9 digits, 11-proef) that the viewer sees and may read the BSN in " +
      "(REGISSEUR of the regie organisation, VEILIG_THUIS for cases it handed over), newest first; empty when none. Found through a keyed hash: the BSN is encrypted at rest",
  })
  @Cat("Query", CATEGORIES.BSN)
  casesByBsn(@Arg("bsn", () => String) bsn: string, @GqlCtx() ctx: Ctx) {
    return casesByBsn(ctx, bsn);
  }

  @Mutation(() => FamilyMember, { description: "Add a member to the household of a case; REGISSEUR. No BSN here: Veilig Thuis records it at handover" })
  @Cat("Mutation", CATEGORIES.IDENTITY)
  addFamilyMember(@Arg("input", () => AddFamilyMemberInput) input: AddFamilyMemberInput, @GqlCtx() ctx: Ctx) {
    return addFamilyMember(ctx, input);
  }

  @Mutation(() => FamilyMember, { description: "Change a household member (names, birth date, school, GP) through the family's open case; REGISSEUR; versioned" })
  @Cat("Mutation", CATEGORIES.IDENTITY)
  updateFamilyMember(@Arg("input", () => UpdateFamilyMemberInput) input: UpdateFamilyMemberInput, @GqlCtx() ctx: Ctx) {
    return updateFamilyMember(ctx, input);
  }

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
