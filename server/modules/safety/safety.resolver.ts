import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx as GqlCtx, FieldResolver, Info, Mutation, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import type { CaseAccess } from "../../access/case-access.js";
import { decideReadOnce } from "../../access/decide.js";
import { ruleFor } from "../../access/policy.js";
import type { Viewer } from "../../auth/viewer.js";
import { Acknowledgement, Cat } from "../../access/field.js";
import { andThen } from "../../common/loaders.js";
import { caseRelation, partialColumns } from "../../common/prefetch.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { OrganisationEntity, ProfessionalEntity } from "../directory/directory.entity.js";
import { Organisation, Professional } from "../directory/directory.type.js";
import { SafetyAgreementEntity, SafetyPlanEntity } from "./safety.entity.js";
import {
  AddSafetyAgreementInput,
  CreateSafetyPlanInput,
  MarkSafetyAgreementSeenInput,
  ShareSafetyAgreementInput,
  UnshareSafetyAgreementInput,
  UpdateSafetyAgreementInput,
  UpdateSafetyPlanInput,
} from "./safety.input.js";
import {
  addSafetyAgreement,
  createSafetyPlan,
  markSafetyAgreementSeen,
  notSeenByIds,
  seenByOf,
  shareSafetyAgreement,
  type SeenRecord,
  sharedWithIds,
  unshareSafetyAgreement,
  updateSafetyAgreement,
  updateSafetyPlan,
} from "./safety.service.js";
import { AgreementSeen, SafetyAgreement, SafetyPlan } from "./safety.type.js";

/** SQL twin of SCOPES.sharedWithOrganisation.SafetyAgreement (access/decide.ts), on alias `t`. */
const sharedWithOrganisationFilter = (organisationId: string) => ({
  key: `shared:${organisationId}`,
  sql: `t.responsible_organisation_id = $2::uuid OR t.report_to_organisation_id = $2::uuid
    OR EXISTS (SELECT 1 FROM safety_agreement_share s WHERE s.agreement_id = t.id AND s.organisation_id = $2::uuid)`,
  params: [organisationId],
});

/** The agreements filter SafetyPlan.agreements loads with for this viewer and case (none: all). */
const agreementsFilter = (viewer: Viewer, access: CaseAccess | undefined) =>
  access && decideReadOnce(viewer, access, CATEGORIES.SAFETY).scope === "sharedWithOrganisation" ? sharedWithOrganisationFilter(viewer.organisationId) : undefined;

caseRelation("safetyPlan", { kind: "manyByCase", entity: SafetyPlanEntity, column: "caseId", orderBy: [] });
// a page's agreements in the page statement: filtered as for a viewer whose role reads only
// the agreements shared with its organisation; a case decided otherwise is loaded by its resolver
caseRelation("safetyPlan.agreements", {
  kind: "manyByCase",
  entity: SafetyAgreementEntity,
  column: "caseId",
  orderBy: ["priority", "createdAt"],
  pageFilter: (viewer) => (ruleFor(viewer.role, CATEGORIES.SAFETY).scope === "sharedWithOrganisation" ? sharedWithOrganisationFilter(viewer.organisationId) : undefined),
  filter: agreementsFilter,
});
// what a page's prefetched plans and agreements may leave out (column → the fields that read
// it); not an agreement's responsible or reporting organisation (the access policy)
partialColumns(SafetyPlanEntity, { signalsToWatch: ["signalsToWatch"], whomToCall: ["whomToCall"], madeWithClient: ["madeWithClient"], createdAt: ["createdAt"], createdBy: ["createdBy"], updatedAt: ["updatedAt"], updatedBy: [] });
partialColumns(SafetyAgreementEntity, {
  responsibleProfessionalId: ["responsibleProfessional"],
  responsibleNetworkMemberId: ["responsibleNetworkMemberId"],
  responsibleDescription: ["responsibleDescription"],
  createdAt: ["createdAt"], createdBy: ["createdBy"], updatedAt: ["updatedAt"], updatedBy: [],
});

@Resolver(() => Case)
export class CaseSafetyResolver {
  @FieldResolver(() => SafetyPlan, { nullable: true, description: "Veiligheidsplan; null until it is made" })
  @Cat("Case", CATEGORIES.SAFETY)
  safetyPlan(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return andThen(ctx.loaders.loadNow(ctx.loaders.manyBy(SafetyPlanEntity, "caseId"), c.id), ([plan]) => plan ?? null);
  }
}

@Resolver(() => SafetyPlan)
export class SafetyPlanResolver {
  @Mutation(() => SafetyPlan, { description: "Create the case's safety plan (veiligheidsplan); REGISSEUR; CONFLICT when the case already has one" })
  @Cat("Mutation", CATEGORIES.SAFETY)
  createSafetyPlan(@Arg("input", () => CreateSafetyPlanInput) input: CreateSafetyPlanInput, @GqlCtx() ctx: Ctx) {
    return createSafetyPlan(ctx, input);
  }

  @Mutation(() => SafetyPlan, { description: "Change the safety plan (signals to watch, whom to call, made with the client); REGISSEUR; versioned" })
  @Cat("Mutation", CATEGORIES.SAFETY)
  updateSafetyPlan(@Arg("input", () => UpdateSafetyPlanInput) input: UpdateSafetyPlanInput, @GqlCtx() ctx: Ctx) {
    return updateSafetyPlan(ctx, input);
  }

  @FieldResolver(() => [SafetyAgreement], { nullable: true, description: "Veiligheidsafspraken by priority (1 first), then oldest first" })
  @Cat("SafetyPlan", CATEGORIES.SAFETY)
  agreements(@Root() p: SafetyPlanEntity, @GqlCtx() ctx: Ctx) {
    // one plan per case: the case's agreements are the plan's (one SQL statement for all plans).
    // A viewer who reads only the agreements shared with (or involving) its organisation loads
    // only those; the field guard still filters the list (access/enforce.ts).
    const filter = agreementsFilter(ctx.viewer, ctx.access.peek(p.caseId));
    return ctx.loaders.loadNow(ctx.loaders.manyBy(SafetyAgreementEntity, "caseId", ["priority", "createdAt"], filter), p.caseId);
  }
}

@Resolver(() => SafetyAgreement)
export class SafetyAgreementResolver {
  @Mutation(() => SafetyAgreement, {
    description:
      "Add a safety agreement (veiligheidsafspraak) to the case's safety plan; REGISSEUR, or a PROFESSIONAL for an agreement its own organisation is responsible for",
  })
  @Cat("Mutation", CATEGORIES.SAFETY)
  addSafetyAgreement(@Arg("input", () => AddSafetyAgreementInput) input: AddSafetyAgreementInput, @GqlCtx() ctx: Ctx) {
    return addSafetyAgreement(ctx, input);
  }

  @Mutation(() => SafetyAgreement, {
    description:
      "Change a safety agreement (optionally replacing its share set, and recording the MDO it was changed in); versioned; REGISSEUR, or a PROFESSIONAL whose organisation is responsible before and after",
  })
  @Cat("Mutation", CATEGORIES.SAFETY)
  updateSafetyAgreement(@Arg("input", () => UpdateSafetyAgreementInput) input: UpdateSafetyAgreementInput, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return updateSafetyAgreement(ctx, input, info);
  }

  @Mutation(() => SafetyAgreement, { description: "Share a safety agreement with involved organisations (e.g. school, GP, JGZ); REGISSEUR; bumps its version" })
  @Cat("Mutation", CATEGORIES.SAFETY)
  shareSafetyAgreement(@Arg("input", () => ShareSafetyAgreementInput) input: ShareSafetyAgreementInput, @GqlCtx() ctx: Ctx) {
    return shareSafetyAgreement(ctx, input);
  }

  @Mutation(() => SafetyAgreement, { description: "Stop sharing a safety agreement with an organisation; REGISSEUR; bumps its version" })
  @Cat("Mutation", CATEGORIES.SAFETY)
  unshareSafetyAgreement(@Arg("input", () => UnshareSafetyAgreementInput) input: UnshareSafetyAgreementInput, @GqlCtx() ctx: Ctx) {
    return unshareSafetyAgreement(ctx, input);
  }

  @Mutation(() => SafetyAgreement, {
    description:
      "Gezien: record that the viewer's organisation has seen this version of the agreement; anyone who may read the agreement; CONFLICT when the version is not the current one; idempotent",
  })
  @Cat("Mutation", CATEGORIES.SAFETY)
  @Acknowledgement()
  markSafetyAgreementSeen(@Arg("input", () => MarkSafetyAgreementSeenInput) input: MarkSafetyAgreementSeenInput, @GqlCtx() ctx: Ctx) {
    return markSafetyAgreementSeen(ctx, input);
  }

  @FieldResolver(() => [AgreementSeen], {
    nullable: true,
    description: "Gezien door: each organisation's latest sighting, earliest first; `current` tells whether it saw the current version",
  })
  @Cat("SafetyAgreement", CATEGORIES.SAFETY)
  seenBy(@Root() a: SafetyAgreementEntity, @GqlCtx() ctx: Ctx) {
    return seenByOf(ctx, a.id);
  }

  @FieldResolver(() => [Organisation], {
    nullable: true,
    description:
      "Nog niet gezien: the organisations it is shared with, responsible for it or reported to, actively involved, that have not seen the current version (the regie organisation not counted); by name",
  })
  @Cat("SafetyAgreement", CATEGORIES.SAFETY)
  async notSeenBy(@Root() a: SafetyAgreementEntity, @GqlCtx() ctx: Ctx) {
    const orgs = await ctx.loaders.byId(OrganisationEntity).loadMany(await notSeenByIds(ctx, a.id));
    return orgs.filter((o): o is OrganisationEntity => o instanceof OrganisationEntity);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Verantwoordelijke organisatie (for kind PROFESSIONAL: the professional's)" })
  @Cat("SafetyAgreement", CATEGORIES.SAFETY)
  responsibleOrganisation(@Root() a: SafetyAgreementEntity, @GqlCtx() ctx: Ctx) {
    return a.responsibleOrganisationId ? ctx.loaders.byId(OrganisationEntity).load(a.responsibleOrganisationId) : null;
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Verantwoordelijke professional when responsibleKind is PROFESSIONAL" })
  @Cat("SafetyAgreement", CATEGORIES.SAFETY)
  responsibleProfessional(@Root() a: SafetyAgreementEntity, @GqlCtx() ctx: Ctx) {
    return a.responsibleProfessionalId ? ctx.loaders.byId(ProfessionalEntity).load(a.responsibleProfessionalId) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Aan wie gerapporteerd wordt: to whom it is reported" })
  @Cat("SafetyAgreement", CATEGORIES.SAFETY)
  reportTo(@Root() a: SafetyAgreementEntity, @GqlCtx() ctx: Ctx) {
    return a.reportToOrganisationId ? ctx.loaders.byId(OrganisationEntity).load(a.reportToOrganisationId) : null;
  }

  @FieldResolver(() => [Organisation], { nullable: true, description: "Gedeeld met: the organisations it is shared with" })
  @Cat("SafetyAgreement", CATEGORIES.SAFETY)
  async sharedWith(@Root() a: SafetyAgreementEntity, @GqlCtx() ctx: Ctx) {
    const orgs = await ctx.loaders.byId(OrganisationEntity).loadMany(await sharedWithIds(ctx, a.id));
    return orgs.filter((o): o is OrganisationEntity => o instanceof OrganisationEntity);
  }
}

@Resolver(() => AgreementSeen)
export class AgreementSeenResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation that saw it" })
  @Cat("AgreementSeen", CATEGORIES.SAFETY)
  organisation(@Root() s: SeenRecord, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(s.organisationId);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Who marked it seen" })
  @Cat("AgreementSeen", CATEGORIES.SAFETY)
  seenBy(@Root() s: SeenRecord, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(ProfessionalEntity).load(s.professionalId);
  }
}
