import type { EntityManager } from "typeorm";
import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError, ConflictError, NotFoundError, staleVersion } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import type { Tx } from "../../db/tx.js";
import { assertOpen } from "../cases/case.service.js";
import { MeetingEntity, type MeetingStatus } from "./meeting.entity.js";
import type { CancelMeetingInput, RecordMeetingOutcomeInput, ScheduleMeetingInput, UpdateMeetingInput } from "./meeting.input.js";
import { UUID, orgSet } from "../../common/ids.js";

const lower = (id: string) => id.toLowerCase();
const distinct = (ids: string[]) => [...new Set(ids.map(lower))];
/** Clock skew and a meeting that is just starting: "now" may be this far behind. */
const PAST_TOLERANCE_MS = 5 * 60_000;
const MAX_AHEAD_MS = 2 * 366 * 86_400_000;

function assertScheduledAt(at: Date): void {
  const t = at.getTime();
  if (Number.isNaN(t)) throw new BadInputError("scheduledAt", "is not a valid moment");
  const now = Date.now();
  if (t < now - PAST_TOLERANCE_MS) throw new BadInputError("scheduledAt", "must not be in the past");
  if (t > now + MAX_AHEAD_MS) throw new BadInputError("scheduledAt", "must be at most two years ahead");
}

async function assertInvolved(em: EntityManager, caseId: string, ids: string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const rows = (await em.query(
    "SELECT organisation_id FROM involvement WHERE case_id = $1 AND ended_at IS NULL AND organisation_id = ANY($2::uuid[])",
    [caseId, ids],
  )) as unknown[];
  if (new Set((rows as { organisation_id: string }[]).map((r) => r.organisation_id)).size !== ids.length) {
    throw new BadInputError(field, "must be organisations actively involved in the case");
  }
}

async function inviteesOf(em: EntityManager, meetingId: string): Promise<string[]> {
  const rows = (await em.query("SELECT organisation_id FROM meeting_invitee WHERE meeting_id = $1", [meetingId])) as { organisation_id: string }[];
  return rows.map((r) => r.organisation_id);
}

async function addInvitees(tx: Tx, meetingId: string, caseId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.em.query(
    "INSERT INTO meeting_invitee (meeting_id, organisation_id, case_id) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING",
    [meetingId, ids, caseId],
  );
}

async function loadMeeting(ctx: Ctx, id: string): Promise<MeetingEntity> {
  const item = UUID.test(id) ? await ctx.ds.getRepository(MeetingEntity).findOneBy({ id: lower(id) }) : null;
  if (!item) throw new NotFoundError("Meeting", "id");
  return item;
}

/**
 * The common guard of changes to an existing meeting: visible and open case, the write right,
 * the version read. Returns the meeting as read (outside the transaction).
 */
async function guarded(ctx: Ctx, input: { id: string; version: number }, category: typeof CATEGORIES.MEETING | typeof CATEGORIES.MEETING_MINUTES) {
  const item = await loadMeeting(ctx, input.id);
  const c = await requireVisibleCase(ctx, item.caseId, "id");
  assertOpen(c);
  assertCanWrite(ctx, category);
  if (item.version !== input.version) throw staleVersion("Meeting");
  return { item, c };
}

/** Inside the transaction: locks the meeting row, then checks version and status again (a concurrent writer may have won). */
async function lockPlanned(tx: Tx, id: string, version: number, action: string): Promise<MeetingEntity> {
  const rows = (await tx.em.query("SELECT version, status FROM meeting WHERE id = $1 FOR UPDATE", [id])) as { version: number; status: MeetingStatus }[];
  if (rows.length === 0) throw new NotFoundError("Meeting", "id");
  if (rows[0].version !== version) throw staleVersion("Meeting");
  if (rows[0].status !== "PLANNED") throw new ConflictError(`only a planned meeting can be ${action}; this one is ${rows[0].status.toLowerCase()}`, { field: "id" });
  return tx.em.getRepository(MeetingEntity).findOneByOrFail({ id });
}

function assertPlanned(item: MeetingEntity, action: string): void {
  if (item.status !== "PLANNED") throw new ConflictError(`only a planned meeting can be ${action}; this one is ${item.status.toLowerCase()}`, { field: "id" });
}

/** Plans a meeting (REGISSEUR) with organisations actively involved in the case. Emits MEETING_SCHEDULED to the invitees. */
export async function scheduleMeeting(ctx: Ctx, input: ScheduleMeetingInput): Promise<MeetingEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.MEETING);
  assertScheduledAt(input.scheduledAt);
  const invitees = distinct(input.inviteeOrganisationIds);
  return ctx.tx(async (tx) => {
    await assertInvolved(tx.em, c.id, invitees, "inviteeOrganisationIds");
    const repo = tx.em.getRepository(MeetingEntity);
    const who = tx.viewer.professionalId;
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        kind: input.kind ?? "MDO",
        scheduledAt: input.scheduledAt,
        location: input.location ?? null,
        agenda: input.agenda ?? null,
        familyInvited: input.familyInvited ?? false,
        networkInvited: input.networkInvited ?? false,
        status: "PLANNED",
        createdBy: who,
        updatedBy: who,
      }),
    );
    await addInvitees(tx, saved.id, c.id, invitees);
    tx.emit({ kind: "MEETING_SCHEDULED", entity: "Meeting", entityId: saved.id, caseId: c.id, organisationIds: orgSet(...invitees) });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/** Changes a planned meeting (REGISSEUR). Versioned; the invitee set, when given, is replaced in the same transaction. */
export async function updateMeeting(ctx: Ctx, input: UpdateMeetingInput): Promise<MeetingEntity> {
  const { item } = await guarded(ctx, input, CATEGORIES.MEETING);
  assertPlanned(item, "changed");
  for (const name of ["scheduledAt", "inviteeOrganisationIds", "familyInvited", "networkInvited"] as const) {
    if (input[name] === null) throw new BadInputError(name, "must not be null");
  }
  if (input.scheduledAt) assertScheduledAt(input.scheduledAt);
  const invitees = input.inviteeOrganisationIds ? distinct(input.inviteeOrganisationIds) : undefined;
  const patch: Partial<MeetingEntity> = {};
  if (input.scheduledAt) patch.scheduledAt = input.scheduledAt;
  if (input.location !== undefined) patch.location = input.location;
  if (input.agenda !== undefined) patch.agenda = input.agenda;
  if (input.familyInvited != null) patch.familyInvited = input.familyInvited;
  if (input.networkInvited != null) patch.networkInvited = input.networkInvited;

  return ctx.tx(async (tx) => {
    await lockPlanned(tx, item.id, input.version, "changed");
    if (invitees) await assertInvolved(tx.em, item.caseId, invitees, "inviteeOrganisationIds");
    const updated = await tx.updateVersioned(MeetingEntity, "Meeting", item.id, input.version, patch);
    const before = await inviteesOf(tx.em, item.id);
    if (invitees) {
      await tx.em.query("DELETE FROM meeting_invitee WHERE meeting_id = $1 AND NOT (organisation_id = ANY($2::uuid[]))", [item.id, invitees]);
      await addInvitees(tx, item.id, item.caseId, invitees.filter((id) => !before.includes(id)));
    }
    tx.emit({ kind: "MEETING_UPDATED", entity: "Meeting", entityId: item.id, caseId: item.caseId, organisationIds: orgSet(...before, ...(invitees ?? [])) });
    return updated;
  });
}

/** Cancels a planned meeting (REGISSEUR). Versioned. */
export async function cancelMeeting(ctx: Ctx, input: CancelMeetingInput): Promise<MeetingEntity> {
  const { item } = await guarded(ctx, input, CATEGORIES.MEETING);
  assertPlanned(item, "cancelled");
  return ctx.tx(async (tx) => {
    await lockPlanned(tx, item.id, input.version, "cancelled");
    const updated = await tx.updateVersioned(MeetingEntity, "Meeting", item.id, input.version, { status: "CANCELLED" });
    tx.emit({ kind: "MEETING_CANCELLED", entity: "Meeting", entityId: item.id, caseId: item.caseId, organisationIds: orgSet(...(await inviteesOf(tx.em, item.id))) });
    return updated;
  });
}

/**
 * Records a held meeting (REGISSEUR: meetingMinutes write): status HELD, the minutes, the
 * decisions (in the order given) and the links to the safety agreements it changed (of this
 * case), all in one transaction. Versioned; only a planned meeting can be recorded.
 */
export async function recordMeetingOutcome(ctx: Ctx, input: RecordMeetingOutcomeInput): Promise<MeetingEntity> {
  const { item, c } = await guarded(ctx, input, CATEGORIES.MEETING_MINUTES);
  assertPlanned(item, "recorded as held");
  const heldAt = input.heldAt ?? new Date();
  if (Number.isNaN(heldAt.getTime())) throw new BadInputError("heldAt", "is not a valid moment");
  if (heldAt.getTime() > Date.now() + PAST_TOLERANCE_MS) throw new BadInputError("heldAt", "must not be in the future");
  if (heldAt.getTime() < new Date(c.openedAt).getTime()) throw new BadInputError("heldAt", "must not be before the case was opened");
  const agreementIds = distinct(input.changedAgreementIds);

  return ctx.tx(async (tx) => {
    await lockPlanned(tx, item.id, input.version, "recorded as held");
    if (agreementIds.length > 0) {
      const rows = (await tx.em.query("SELECT id FROM safety_agreement WHERE case_id = $1 AND id = ANY($2::uuid[])", [item.caseId, agreementIds])) as unknown[];
      if (rows.length !== agreementIds.length) throw new BadInputError("changedAgreementIds", "must be safety agreements of this case");
    }
    const updated = await tx.updateVersioned(MeetingEntity, "Meeting", item.id, input.version, { status: "HELD", heldAt, minutes: input.minutes });
    if (input.decisions.length > 0) {
      // one statement; created_at steps a microsecond per decision so they list in the order given
      await tx.em.query(
        `INSERT INTO meeting_decision (meeting_id, case_id, text, created_at, created_by)
         SELECT $1, $2, d.text, now() + d.n * interval '1 microsecond', $4 FROM unnest($3::text[]) WITH ORDINALITY AS d(text, n)`,
        [item.id, item.caseId, input.decisions, tx.viewer.professionalId],
      );
    }
    if (agreementIds.length > 0) {
      await tx.em.query(
        "INSERT INTO meeting_changed_agreement (meeting_id, agreement_id, case_id) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING",
        [item.id, agreementIds, item.caseId],
      );
    }
    tx.emit({ kind: "MEETING_HELD", entity: "Meeting", entityId: item.id, caseId: item.caseId, organisationIds: orgSet(...(await inviteesOf(tx.em, item.id))) });
    return updated;
  });
}
