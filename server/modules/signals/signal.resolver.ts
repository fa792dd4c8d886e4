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
import { SignalEntity } from "./signal.entity.js";
import { AcknowledgeSignalInput, ReportSignalInput } from "./signal.input.js";
import { acknowledgeSignal, reportSignal } from "./signal.service.js";
import { Signal } from "./signal.type.js";

@Resolver(() => Case)
export class CaseSignalResolver {
  @FieldResolver(() => [Signal], { nullable: true, description: "Signalen, newest first (partners see those their own organisation reported)" })
  @Cat("Case", CATEGORIES.SIGNALS)
  async signals(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    const all = await ctx.loaders.manyBy(SignalEntity, "caseId", ["createdAt"]).load(c.id);
    return [...all].reverse();
  }
}

@Resolver(() => Signal)
export class SignalResolver {
  @Mutation(() => Signal, {
    description:
      "Report a signal (signaal) on a case; SCHOOL, HUISARTS or JGZ of an involved organisation (a regisseur acknowledges signals, it does not report them: FORBIDDEN)",
  })
  @Cat("Mutation", CATEGORIES.SIGNALS)
  reportSignal(@Arg("input", () => ReportSignalInput) input: ReportSignalInput, @GqlCtx() ctx: Ctx) {
    return reportSignal(ctx, input);
  }

  @Mutation(() => Signal, { description: "Acknowledge a signal; REGISSEUR of the case's regie organisation; CONFLICT when already acknowledged" })
  @Cat("Mutation", CATEGORIES.SIGNALS)
  acknowledgeSignal(@Arg("input", () => AcknowledgeSignalInput) input: AcknowledgeSignalInput, @GqlCtx() ctx: Ctx) {
    return acknowledgeSignal(ctx, input);
  }

  @FieldResolver(() => FamilyMember, {
    nullable: true,
    description: "The family member it is about (null for the household, or when the viewer may not see that member's identity)",
  })
  @Cat("Signal", CATEGORIES.SIGNALS)
  async member(@Root() s: SignalEntity, @GqlCtx() ctx: Ctx) {
    const m = s.memberId ? await ctx.loaders.byId(FamilyMemberEntity).load(s.memberId) : undefined;
    return m ? inCase(m, s.caseId) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Melder: the organisation that reported it" })
  @Cat("Signal", CATEGORIES.SIGNALS)
  reportingOrganisation(@Root() s: SignalEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(s.reportingOrganisationId);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Who reported it" })
  @Cat("Signal", CATEGORIES.SIGNALS)
  reportedBy(@Root() s: SignalEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(ProfessionalEntity).load(s.reportedBy);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "The regisseur who acknowledged it" })
  @Cat("Signal", CATEGORIES.SIGNALS)
  acknowledgedBy(@Root() s: SignalEntity, @GqlCtx() ctx: Ctx) {
    return s.acknowledgedBy ? ctx.loaders.byId(ProfessionalEntity).load(s.acknowledgedBy) : null;
  }
}
