import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { OrganisationEntity } from "../directory/directory.entity.js";
import { Organisation } from "../directory/directory.type.js";
import { SafetyAgreementEntity } from "../safety/safety.entity.js";
import { SafetyAgreement } from "../safety/safety.type.js";
import { MeetingDecisionEntity, MeetingEntity } from "./meeting.entity.js";
import { CancelMeetingInput, RecordMeetingOutcomeInput, ScheduleMeetingInput, UpdateMeetingInput } from "./meeting.input.js";
import { cancelMeeting, recordMeetingOutcome, scheduleMeeting, updateMeeting } from "./meeting.service.js";
import { Meeting, MeetingDecision } from "./meeting.type.js";

/** The case's meetings by scheduled moment (one SQL statement per batch of cases). */
const meetingsOf = (ctx: Ctx, caseId: string) => ctx.loaders.manyBy(MeetingEntity, "caseId", ["scheduledAt", "createdAt"]).load(caseId);

/** Ids per meeting from a link table, in the given order (one SQL statement per batch of meetings). */
function linked(ctx: Ctx, key: string, sql: string, meetingId: string): Promise<string[]> {
  return ctx.loaders
    .custom<string, string[]>(key, async (ids) => {
      const rows = (await ctx.ds.query(sql, [[...ids]])) as { meeting_id: string; id: string }[];
      const by = new Map<string, string[]>(ids.map((id) => [id, []]));
      for (const r of rows) by.get(r.meeting_id)?.push(r.id);
      return ids.map((id) => by.get(id) ?? []);
    })
    .load(meetingId);
}

@Resolver(() => Case)
export class CaseMeetingsResolver {
  @FieldResolver(() => [Meeting], { nullable: true, description: "MDO's and other meetings, by scheduled moment (earliest first)" })
  @Cat("Case", CATEGORIES.MEETING)
  meetings(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return meetingsOf(ctx, c.id);
  }

  @FieldResolver(() => Meeting, { nullable: true, description: "The first planned meeting from now on; null when none" })
  @Cat("Case", CATEGORIES.MEETING)
  async nextMeeting(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    const now = Date.now();
    return (await meetingsOf(ctx, c.id)).find((m) => m.status === "PLANNED" && m.scheduledAt.getTime() >= now) ?? null;
  }
}

@Resolver(() => Meeting)
export class MeetingResolver {
  @Mutation(() => Meeting, { description: "Schedule an MDO or other meeting with involved organisations; REGISSEUR" })
  @Cat("Mutation", CATEGORIES.MEETING)
  scheduleMeeting(@Arg("input", () => ScheduleMeetingInput) input: ScheduleMeetingInput, @GqlCtx() ctx: Ctx) {
    return scheduleMeeting(ctx, input);
  }

  @Mutation(() => Meeting, { description: "Change a planned meeting (moment, place, agenda, invitees); REGISSEUR; versioned" })
  @Cat("Mutation", CATEGORIES.MEETING)
  updateMeeting(@Arg("input", () => UpdateMeetingInput) input: UpdateMeetingInput, @GqlCtx() ctx: Ctx) {
    return updateMeeting(ctx, input);
  }

  @Mutation(() => Meeting, { description: "Cancel a planned meeting; REGISSEUR; versioned" })
  @Cat("Mutation", CATEGORIES.MEETING)
  cancelMeeting(@Arg("input", () => CancelMeetingInput) input: CancelMeetingInput, @GqlCtx() ctx: Ctx) {
    return cancelMeeting(ctx, input);
  }

  @Mutation(() => Meeting, {
    description: "Record a planned meeting as held: minutes, decisions and the safety agreements it changed, in one transaction; REGISSEUR; versioned",
  })
  @Cat("Mutation", CATEGORIES.MEETING_MINUTES)
  recordMeetingOutcome(@Arg("input", () => RecordMeetingOutcomeInput) input: RecordMeetingOutcomeInput, @GqlCtx() ctx: Ctx) {
    return recordMeetingOutcome(ctx, input);
  }

  @FieldResolver(() => [Organisation], { nullable: true, description: "Uitgenodigde organisaties, by name" })
  @Cat("Meeting", CATEGORIES.MEETING)
  async invitees(@Root() m: MeetingEntity, @GqlCtx() ctx: Ctx) {
    const ids = await linked(
      ctx,
      "meetings.invitees",
      `SELECT i.meeting_id, i.organisation_id AS id FROM meeting_invitee i JOIN organisation o ON o.id = i.organisation_id
        WHERE i.meeting_id = ANY($1::uuid[]) ORDER BY o.name, o.id`,
      m.id,
    );
    const orgs = await ctx.loaders.byId(OrganisationEntity).loadMany(ids);
    return orgs.filter((o): o is OrganisationEntity => o instanceof OrganisationEntity);
  }

  @FieldResolver(() => [MeetingDecision], { nullable: true, description: "Besluiten, in the order recorded" })
  @Cat("Meeting", CATEGORIES.MEETING_MINUTES)
  decisions(@Root() m: MeetingEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(MeetingDecisionEntity, "meetingId", ["createdAt"]).load(m.id);
  }

  @FieldResolver(() => [SafetyAgreement], { nullable: true, description: "Veiligheidsafspraken changed in this meeting, by priority (only those the viewer may see)" })
  @Cat("Meeting", CATEGORIES.SAFETY)
  async changedAgreements(@Root() m: MeetingEntity, @GqlCtx() ctx: Ctx) {
    const ids = await linked(
      ctx,
      "meetings.changedAgreements",
      `SELECT x.meeting_id, x.agreement_id AS id FROM meeting_changed_agreement x JOIN safety_agreement a ON a.id = x.agreement_id
        WHERE x.meeting_id = ANY($1::uuid[]) ORDER BY a.priority, a.created_at, a.id`,
      m.id,
    );
    const items = await ctx.loaders.byId(SafetyAgreementEntity).loadMany(ids);
    return items.filter((a): a is SafetyAgreementEntity => a instanceof SafetyAgreementEntity);
  }
}
