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
import { ConsentEntity, SharingDecisionEntity } from "./consent.entity.js";
import { RecordConsentInput, RecordSharingDecisionInput, WithdrawConsentInput, WithdrawSharingDecisionInput } from "./consent.input.js";
import { recordConsent, recordSharingDecision, withdrawConsent, withdrawSharingDecision } from "./consent.service.js";
import { Consent, SharingDecision } from "./consent.type.js";
import { isActive } from "./dates.js";

@Resolver(() => Case)
export class CaseConsentResolver {
  @FieldResolver(() => [Consent], { nullable: true, description: "Toestemmingen, oldest first (withdrawn and expired ones kept as history)" })
  @Cat("Case", CATEGORIES.CONSENT)
  consents(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(ConsentEntity, "caseId", ["createdAt"]).load(c.id);
  }

  @FieldResolver(() => [SharingDecision], { nullable: true, description: "Besluiten tot delen zonder toestemming, oldest first" })
  @Cat("Case", CATEGORIES.CONSENT)
  sharingDecisions(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(SharingDecisionEntity, "caseId", ["createdAt"]).load(c.id);
  }
}

@Resolver(() => Consent)
export class ConsentResolver {
  @Mutation(() => Consent, { description: "Record a client's consent (toestemming); REGISSEUR. The rule for minors is derived from the subject's age" })
  @Cat("Mutation", CATEGORIES.CONSENT)
  recordConsent(@Arg("input", () => RecordConsentInput) input: RecordConsentInput, @GqlCtx() ctx: Ctx) {
    return recordConsent(ctx, input);
  }

  @Mutation(() => Consent, { description: "Withdraw a consent, effective at once; CONFLICT when already withdrawn" })
  @Cat("Mutation", CATEGORIES.CONSENT)
  withdrawConsent(@Arg("input", () => WithdrawConsentInput) input: WithdrawConsentInput, @GqlCtx() ctx: Ctx) {
    return withdrawConsent(ctx, input);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation the data may be shared with" })
  @Cat("Consent", CATEGORIES.CONSENT)
  organisation(@Root() k: ConsentEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(k.organisationId);
  }

  @FieldResolver(() => FamilyMember, { nullable: true, description: "Whose data; null = the whole household" })
  @Cat("Consent", CATEGORIES.CONSENT)
  async subject(@Root() k: ConsentEntity, @GqlCtx() ctx: Ctx) {
    if (!k.subjectMemberId) return null;
    const m = await ctx.loaders.byId(FamilyMemberEntity).load(k.subjectMemberId);
    return m ? inCase(m, k.caseId) : null;
  }

  @FieldResolver(() => [FamilyMember], { nullable: true, description: "The family members who gave the consent" })
  @Cat("Consent", CATEGORIES.CONSENT)
  async givenBy(@Root() k: ConsentEntity, @GqlCtx() ctx: Ctx) {
    const members = await ctx.loaders.byId(FamilyMemberEntity).loadMany(k.givenByMemberIds);
    return members.filter((m): m is FamilyMemberEntity => m instanceof FamilyMemberEntity).map((m) => inCase(m, k.caseId));
  }

  @FieldResolver(() => Professional, { nullable: true })
  @Cat("Consent", CATEGORIES.CONSENT)
  withdrawnBy(@Root() k: ConsentEntity, @GqlCtx() ctx: Ctx) {
    return k.withdrawnBy ? ctx.loaders.byId(ProfessionalEntity).load(k.withdrawnBy) : null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: "Not withdrawn and not past validUntil" })
  @Cat("Consent", CATEGORIES.CONSENT)
  active(@Root() k: ConsentEntity): boolean {
    return isActive(k);
  }
}

@Resolver(() => SharingDecision)
export class SharingDecisionResolver {
  @Mutation(() => SharingDecision, { description: "Record a decision to share without consent, with legal basis and weighing; REGISSEUR" })
  @Cat("Mutation", CATEGORIES.CONSENT)
  recordSharingDecision(@Arg("input", () => RecordSharingDecisionInput) input: RecordSharingDecisionInput, @GqlCtx() ctx: Ctx) {
    return recordSharingDecision(ctx, input);
  }

  @Mutation(() => SharingDecision, { description: "Withdraw a sharing decision, effective at once; CONFLICT when already withdrawn" })
  @Cat("Mutation", CATEGORIES.CONSENT)
  withdrawSharingDecision(@Arg("input", () => WithdrawSharingDecisionInput) input: WithdrawSharingDecisionInput, @GqlCtx() ctx: Ctx) {
    return withdrawSharingDecision(ctx, input);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation the data may be shared with" })
  @Cat("SharingDecision", CATEGORIES.CONSENT)
  organisation(@Root() d: SharingDecisionEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(d.organisationId);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Who decided" })
  @Cat("SharingDecision", CATEGORIES.CONSENT)
  decidedBy(@Root() d: SharingDecisionEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(ProfessionalEntity).load(d.decidedBy);
  }

  @FieldResolver(() => Professional, { nullable: true })
  @Cat("SharingDecision", CATEGORIES.CONSENT)
  withdrawnBy(@Root() d: SharingDecisionEntity, @GqlCtx() ctx: Ctx) {
    return d.withdrawnBy ? ctx.loaders.byId(ProfessionalEntity).load(d.withdrawnBy) : null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: "Not withdrawn and not past validUntil" })
  @Cat("SharingDecision", CATEGORIES.CONSENT)
  active(@Root() d: SharingDecisionEntity): boolean {
    return isActive(d);
  }
}
