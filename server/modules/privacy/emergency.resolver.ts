import { Arg, Ctx as GqlCtx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import type { ChangeRecord } from "../../realtime/feed.js";
import { parseCursor } from "../../realtime/stream.js";
import { BadInputError } from "../../common/errors.js";
import { OrganisationEntity, ProfessionalEntity } from "../directory/directory.entity.js";
import { Organisation, Professional } from "../directory/directory.type.js";
import { EmergencyAccessEntity } from "./emergency.entity.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { OpenEmergencyAccessInput } from "./emergency.input.js";
import { closeEmergencyAccess, emergencyReport, emergencyReportById, emergencyStream, openEmergencyAccess } from "./emergency.service.js";
import { EmergencyAccess, EmergencyAccessReport } from "./emergency.type.js";

const STATUSES = new Set(["ACTIVE", "EXPIRED", "CLOSED"]);

@Resolver(() => EmergencyAccess)
export class EmergencyAccessResolver {
  @Mutation(() => EmergencyAccess, {
    description:
      "Noodtoegang (break the glass): open a case your organisation is not involved in, in an acute safety situation. Read-only, limited in time (EMERGENCY_ACCESS_MINUTES) and to the categories case, identity and safety; every use is logged as EMERGENCY; the regisseur and the privacy officer are told live.",
  })
  @Cat("Mutation", CATEGORIES.EMERGENCY_ACCESS)
  openEmergencyAccess(@Arg("input", () => OpenEmergencyAccessInput) input: OpenEmergencyAccessInput, @GqlCtx() ctx: Ctx): Promise<EmergencyAccessEntity> {
    return openEmergencyAccess(ctx, input);
  }

  @Mutation(() => Boolean, { description: "Ends your own emergency access before it expires; false when it was not open" })
  @Cat("Mutation", CATEGORIES.EMERGENCY_ACCESS)
  closeEmergencyAccess(@Arg("id", () => ID) id: string, @GqlCtx() ctx: Ctx): Promise<boolean> {
    return closeEmergencyAccess(ctx, id);
  }

  @FieldResolver(() => Boolean, { description: "Still open: not closed and not expired" })
  @Cat("EmergencyAccess", CATEGORIES.EMERGENCY_ACCESS)
  active(@Root() e: EmergencyAccessEntity): boolean {
    return e.closedAt === null && e.expiresAt.getTime() > Date.now();
  }

  @FieldResolver(() => Professional, { nullable: true })
  @Cat("EmergencyAccess", CATEGORIES.DIRECTORY)
  professional(@Root() e: EmergencyAccessEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(ProfessionalEntity).load(e.professionalId);
  }

  @FieldResolver(() => Organisation, { nullable: true })
  @Cat("EmergencyAccess", CATEGORIES.DIRECTORY)
  organisation(@Root() e: EmergencyAccessEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(OrganisationEntity).load(e.organisationId);
  }
}

@Resolver(() => Case)
export class CaseEmergencyAccessResolver {
  @FieldResolver(() => [EmergencyAccess], {
    nullable: true,
    description: "Noodtoegang in this case, newest first (the regie organisation sees all; who opened one, only their organisation's)",
  })
  @Cat("Case", CATEGORIES.EMERGENCY_ACCESS)
  emergencyAccesses(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx): Promise<EmergencyAccessEntity[]> {
    return ctx.loaders
      .manyBy(EmergencyAccessEntity, "caseId", ["openedAt"])
      .load(c.id)
      .then((list) => [...list].reverse());
  }
}

@Resolver(() => EmergencyAccessReport)
export class EmergencyAccessReportResolver {
  @Query(() => [EmergencyAccessReport], {
    description:
      "Privacy officer: every emergency access, newest first — who, when, why, which categories were read, whether it is still active, and whether involvement followed (misuse shows here)",
  })
  @Cat("Query", CATEGORIES.ACCESS_LOG)
  emergencyAccesses(
    @Arg("status", () => String, { nullable: true, description: "ACTIVE, EXPIRED or CLOSED" }) status: string | undefined,
    @Arg("caseId", () => ID, { nullable: true }) caseId: string | undefined,
    @Arg("first", () => Int, { nullable: true, description: "At most this many (1–500, default 100)" }) first: number | undefined,
    @GqlCtx() ctx: Ctx,
  ): Promise<EmergencyAccessReport[]> {
    if (status !== undefined && status !== null && !STATUSES.has(status)) throw new BadInputError("status", "must be ACTIVE, EXPIRED or CLOSED");
    if (first !== undefined && first !== null && (first < 1 || first > 500)) throw new BadInputError("first", "must be between 1 and 500");
    return emergencyReport(ctx, { status: status ?? undefined, caseId: caseId ?? undefined, first: first ?? undefined });
  }

  @Subscription(() => EmergencyAccessReport, {
    description: "Privacy officer: every emergency access as it is opened, live (with `after`, a change id, replays what was missed first)",
    subscribe: ({ args, context }) => emergencyStream(context as Ctx, parseCursor(args.after as string | undefined)),
  })
  @Cat("Subscription", CATEGORIES.ACCESS_LOG)
  async emergencyAccessOpened(
    @Root() change: ChangeRecord,
    @GqlCtx() ctx: Ctx,
    @Arg("after", () => String, { nullable: true }) _after?: string,
  ): Promise<EmergencyAccessReport | undefined> {
    return emergencyReportById(ctx, change.entityId);
  }
}
