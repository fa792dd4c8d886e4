import type { EntityManager } from "typeorm";
import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import type { GraphQLResolveInfo } from "graphql";
import { predictItemReads } from "../../access/predict.js";
import { requireVisibleCase, requireVisibleItem } from "../../access/rows.js";
import { BadInputError, NotFoundError, staleVersion } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import type { Tx } from "../../db/tx.js";
import { assertOpen } from "../cases/case.service.js";
import { today } from "../consent/dates.js";
import { ProfessionalEntity } from "../directory/directory.entity.js";
import { SafetyAgreementEntity, SafetyAgreementSeenEntity, SafetyAgreementShareEntity, SafetyPlanEntity, type ResponsibleKind } from "./safety.entity.js";
import type {
  AddSafetyAgreementInput,
  CreateSafetyPlanInput,
  MarkSafetyAgreementSeenInput,
  ShareSafetyAgreementInput,
  UnshareSafetyAgreementInput,
  UpdateSafetyAgreementInput,
  UpdateSafetyPlanInput,
} from "./safety.input.js";
import { UUID, involvedOrganisations, orgSet } from "../../common/ids.js";

const lower = (id: string) => id.toLowerCase();
const lowerOrNull = (id: string | null | undefined) => (id ? id.toLowerCase() : null);

async function sharesOf(em: EntityManager, agreementId: string): Promise<string[]> {
  const rows = (await em.query("SELECT organisation_id FROM safety_agreement_share WHERE agreement_id = $1", [agreementId])) as {
    organisation_id: string;
  }[];
  return rows.map((r) => r.organisation_id);
}

function assertInvolved(involved: readonly string[], ids: string[], field: string): void {
  if (ids.some((id) => !involved.includes(id))) throw new BadInputError(field, "must be an organisation actively involved in the case");
}

// ---------------------------------------------------------------------------------------------
// Safety plan

/** Veiligheidsplan: creates the case's one safety plan (REGISSEUR); a second is a CONFLICT (uq_safety_plan_case). */
export async function createSafetyPlan(ctx: Ctx, input: CreateSafetyPlanInput): Promise<SafetyPlanEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.SAFETY);
  return ctx.tx(async (tx) => {
    const repo = tx.em.getRepository(SafetyPlanEntity);
    const who = tx.viewer.professionalId;
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        signalsToWatch: input.signalsToWatch ?? null,
        whomToCall: input.whomToCall ?? null,
        madeWithClient: input.madeWithClient,
        createdBy: who,
        updatedBy: who,
      }),
    );
    const involved = await involvedOrganisations(tx.em, c.id);
    tx.emit({ kind: "SAFETY_PLAN_CREATED", entity: "SafetyPlan", entityId: saved.id, caseId: c.id, organisationIds: orgSet(...involved) });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/** Changes the safety plan (REGISSEUR). Versioned. */
export async function updateSafetyPlan(ctx: Ctx, input: UpdateSafetyPlanInput): Promise<SafetyPlanEntity> {
  const item = UUID.test(input.id) ? await ctx.ds.getRepository(SafetyPlanEntity).findOneBy({ id: lower(input.id) }) : null;
  if (!item) throw new NotFoundError("SafetyPlan", "id");
  const c = await requireVisibleCase(ctx, item.caseId, "id", "SafetyPlan");
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.SAFETY);
  if (input.madeWithClient === null) throw new BadInputError("madeWithClient", "must not be null");
  if (item.version !== input.version) throw staleVersion("SafetyPlan");
  const patch: Partial<SafetyPlanEntity> = {};
  if (input.signalsToWatch !== undefined) patch.signalsToWatch = input.signalsToWatch;
  if (input.whomToCall !== undefined) patch.whomToCall = input.whomToCall;
  if (input.madeWithClient != null) patch.madeWithClient = input.madeWithClient;
  return ctx.tx(async (tx) => {
    const updated = await tx.updateVersioned(SafetyPlanEntity, "SafetyPlan", item.id, input.version, patch);
    const involved = await involvedOrganisations(tx.em, item.caseId);
    tx.emit({ kind: "SAFETY_PLAN_UPDATED", entity: "SafetyPlan", entityId: item.id, caseId: item.caseId, organisationIds: orgSet(...involved) });
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Safety agreements

interface ResponsibleInput {
  kind: ResponsibleKind;
  organisationId: string | null;
  professionalId: string | null;
  networkMemberId: string | null;
}

/** Who is responsible, resolved: for PROFESSIONAL the organisation is the professional's. */
interface Responsible extends ResponsibleInput {
  professionalOrganisationId: string | null;
}

const ID_FIELD = {
  ORGANISATION: "responsibleOrganisationId",
  PROFESSIONAL: "responsibleProfessionalId",
  NETWORK_MEMBER: "responsibleNetworkMemberId",
} as const;

/**
 * One unambiguous responsible party per agreement: the id the kind needs is required, ids of
 * other kinds are refused (PROFESSIONAL may repeat its own organisation). Resolves the
 * professional's organisation, which becomes the responsible organisation.
 */
async function resolveResponsible(ctx: Ctx, r: ResponsibleInput): Promise<Responsible> {
  const given = { ORGANISATION: r.organisationId, PROFESSIONAL: r.professionalId, NETWORK_MEMBER: r.networkMemberId };
  if (r.kind !== "CLIENT" && !given[r.kind]) throw new BadInputError(ID_FIELD[r.kind], `is required when responsibleKind is ${r.kind}`);
  for (const k of ["ORGANISATION", "PROFESSIONAL", "NETWORK_MEMBER"] as const) {
    if (k === r.kind || !given[k]) continue;
    if (k === "ORGANISATION" && r.kind === "PROFESSIONAL") continue;
    throw new BadInputError(ID_FIELD[k], `only with responsibleKind ${k}`);
  }
  if (r.kind !== "PROFESSIONAL") return { ...r, professionalOrganisationId: null };
  const p = await ctx.loaders.byId(ProfessionalEntity).load(r.professionalId!);
  if (!p || !p.active) throw new BadInputError("responsibleProfessionalId", "no such (active) professional");
  if (r.organisationId && r.organisationId !== p.organisationId) {
    throw new BadInputError("responsibleOrganisationId", "must be the responsible professional's organisation");
  }
  return { ...r, organisationId: p.organisationId, professionalOrganisationId: p.organisationId };
}

/** References of a responsible party must be parties in this case. */
async function checkResponsible(em: EntityManager, caseId: string, r: Responsible, involved: readonly string[]): Promise<void> {
  if (r.kind === "ORGANISATION") assertInvolved(involved, [r.organisationId!], "responsibleOrganisationId");
  if (r.kind === "PROFESSIONAL" && !involved.includes(r.professionalOrganisationId!)) {
    throw new BadInputError("responsibleProfessionalId", "must be a professional of an organisation actively involved in the case");
  }
  if (r.kind === "NETWORK_MEMBER") {
    const rows = (await em.query("SELECT 1 FROM network_member WHERE id = $1 AND case_id = $2", [r.networkMemberId, caseId])) as unknown[];
    if (rows.length === 0) throw new BadInputError("responsibleNetworkMemberId", "is not a member of this case's social network");
  }
}

function assertDueOn(dueOn: string | null | undefined): void {
  if (dueOn && dueOn < today()) throw new BadInputError("dueOn", "must not be in the past");
}

async function addShares(tx: Tx, agreement: { id: string; caseId: string }, organisationIds: string[]): Promise<void> {
  if (organisationIds.length === 0) return;
  await tx.em
    .createQueryBuilder()
    .insert()
    .into(SafetyAgreementShareEntity)
    .values(organisationIds.map((organisationId) => ({ agreementId: agreement.id, organisationId, caseId: agreement.caseId, sharedBy: tx.viewer.professionalId })))
    .orIgnore()
    .execute();
}

/** Share operations change what the agreement is: bump its version (and lock it against concurrent edits). */
async function touch(tx: Tx, id: string): Promise<void> {
  await tx.em.query("UPDATE safety_agreement SET version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1", [
    id,
    tx.viewer.professionalId,
  ]);
}

async function loadAgreement(ctx: Ctx, id: string): Promise<SafetyAgreementEntity> {
  const item = UUID.test(id) ? await ctx.ds.getRepository(SafetyAgreementEntity).findOneBy({ id: lower(id) }) : null;
  if (!item) throw new NotFoundError("SafetyAgreement", "id");
  return item;
}

/**
 * Veiligheidsafspraak: adds an agreement to the case's safety plan. REGISSEUR; a PROFESSIONAL
 * only for agreements its own organisation is responsible for. Sharing it right away needs the
 * full SAFETY write (the regisseur's), as shareSafetyAgreement does.
 */
export async function addSafetyAgreement(ctx: Ctx, input: AddSafetyAgreementInput): Promise<SafetyAgreementEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  const responsible = await resolveResponsible(ctx, {
    kind: input.responsibleKind,
    organisationId: lowerOrNull(input.responsibleOrganisationId),
    professionalId: lowerOrNull(input.responsibleProfessionalId),
    networkMemberId: lowerOrNull(input.responsibleNetworkMemberId),
  });
  assertCanWrite(ctx, CATEGORIES.SAFETY, { ownerOrganisationId: responsible.organisationId });
  const shares = [...new Set((input.shareWithOrganisationIds ?? []).map(lower))];
  if (shares.length > 0) assertCanWrite(ctx, CATEGORIES.SAFETY);
  assertDueOn(input.dueOn);
  const reportTo = lowerOrNull(input.reportToOrganisationId);

  return ctx.tx(async (tx) => {
    const plan = await tx.em.getRepository(SafetyPlanEntity).findOneBy({ caseId: c.id });
    if (!plan) throw new BadInputError("caseId", "the case has no safety plan: create the safety plan first");
    const involved = await involvedOrganisations(tx.em, c.id);
    await checkResponsible(tx.em, c.id, responsible, involved);
    if (reportTo) assertInvolved(involved, [reportTo], "reportToOrganisationId");
    assertInvolved(involved, shares, "shareWithOrganisationIds");

    const repo = tx.em.getRepository(SafetyAgreementEntity);
    const who = tx.viewer.professionalId;
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        safetyPlanId: plan.id,
        priority: input.priority,
        what: input.what,
        criterion: input.criterion,
        responsibleKind: responsible.kind,
        responsibleOrganisationId: responsible.organisationId,
        responsibleProfessionalId: responsible.professionalId,
        responsibleNetworkMemberId: responsible.networkMemberId,
        responsibleDescription: input.responsibleDescription ?? null,
        dueOn: input.dueOn ?? null,
        reportToOrganisationId: reportTo,
        status: input.status ?? "ACTIVE",
        createdBy: who,
        updatedBy: who,
      }),
    );
    await addShares(tx, saved, shares);
    tx.emit({
      kind: "SAFETY_AGREEMENT_ADDED",
      entity: "SafetyAgreement",
      entityId: saved.id,
      caseId: c.id,
      organisationIds: orgSet(...shares, responsible.organisationId, reportTo),
    });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/**
 * Changes an agreement. Versioned; the share set (when given) is replaced in the same
 * transaction, and `meetingId` records the MDO in which it was changed. REGISSEUR; a
 * PROFESSIONAL only when its organisation is responsible both before and after the change.
 */
export async function updateSafetyAgreement(ctx: Ctx, input: UpdateSafetyAgreementInput, info?: GraphQLResolveInfo): Promise<SafetyAgreementEntity> {
  // the agreement, its case and the viewer's access to it in one statement
  const { item, case: c } = await requireVisibleItem(ctx, SafetyAgreementEntity, input.id, "SafetyAgreement");
  assertOpen(c);
  for (const name of ["priority", "what", "criterion", "responsibleKind", "status", "shareWithOrganisationIds"] as const) {
    if (input[name] === null) throw new BadInputError(name, "must not be null");
  }
  const replacesResponsible =
    input.responsibleKind !== undefined ||
    input.responsibleOrganisationId !== undefined ||
    input.responsibleProfessionalId !== undefined ||
    input.responsibleNetworkMemberId !== undefined;
  const responsible = replacesResponsible
    ? await resolveResponsible(ctx, {
        kind: input.responsibleKind ?? item.responsibleKind,
        organisationId: lowerOrNull(input.responsibleOrganisationId),
        professionalId: lowerOrNull(input.responsibleProfessionalId),
        networkMemberId: lowerOrNull(input.responsibleNetworkMemberId),
      })
    : undefined;
  assertCanWrite(ctx, CATEGORIES.SAFETY, { ownerOrganisationId: item.responsibleOrganisationId });
  if (responsible) assertCanWrite(ctx, CATEGORIES.SAFETY, { ownerOrganisationId: responsible.organisationId });
  if (item.version !== input.version) throw staleVersion("SafetyAgreement");
  assertDueOn(input.dueOn);
  const reportTo = lowerOrNull(input.reportToOrganisationId);
  const shares = input.shareWithOrganisationIds ? [...new Set(input.shareWithOrganisationIds.map(lower))] : undefined;
  const meetingId = lowerOrNull(input.meetingId);

  const patch: Partial<SafetyAgreementEntity> = {};
  if (input.priority != null) patch.priority = input.priority;
  if (input.what != null) patch.what = input.what;
  if (input.criterion != null) patch.criterion = input.criterion;
  if (input.status != null) patch.status = input.status;
  if (input.responsibleDescription !== undefined) patch.responsibleDescription = input.responsibleDescription;
  if (input.dueOn !== undefined) patch.dueOn = input.dueOn;
  if (input.reportToOrganisationId !== undefined) patch.reportToOrganisationId = reportTo;
  if (responsible) {
    patch.responsibleKind = responsible.kind;
    patch.responsibleOrganisationId = responsible.organisationId;
    patch.responsibleProfessionalId = responsible.professionalId;
    patch.responsibleNetworkMemberId = responsible.networkMemberId;
  }

  if (!responsible && input.reportToOrganisationId === undefined && !shares && !meetingId) {
    // a change of the agreement's own fields only (W1): one statement, no transaction round trips;
    // the response's read of the agreement, when known now, is logged in it too (predictItemReads)
    const access = ctx.access.peek(item.caseId);
    const read = info && access ? predictItemReads(info, ctx, "SafetyAgreement", item as unknown as Record<string, unknown>, access) : undefined;
    const { row } = await ctx.updateAlone<SafetyAgreementEntity, null>({
      entity: SafetyAgreementEntity,
      what: "SafetyAgreement",
      id: item.id,
      expectedVersion: input.version,
      patch,
      extra: "NULL",
      change: {
        kind: "SAFETY_AGREEMENT_UPDATED",
        entity: "SafetyAgreement",
        entityId: item.id,
        caseId: item.caseId,
        // as orgSet(shares, responsible, reportTo) below: none of them changes here
        organisationIdsSql: `ARRAY(SELECT DISTINCT o FROM unnest(ARRAY(SELECT s.organisation_id FROM safety_agreement_share s WHERE s.agreement_id = t.id)
          || ARRAY[t.responsible_organisation_id, t.report_to_organisation_id]) o WHERE o IS NOT NULL ORDER BY o)`,
      },
      alsoLog: read ? [{ log: ctx.logContext, action: ctx.auditAction, uses: [read] }] : undefined,
    });
    if (read) ctx.access.preLogged.set(read.caseId, read);
    return row;
  }

  return ctx.tx(async (tx) => {
    if (responsible || reportTo || shares) {
      const involved = await involvedOrganisations(tx.em, item.caseId);
      if (responsible) await checkResponsible(tx.em, item.caseId, responsible, involved);
      if (reportTo) assertInvolved(involved, [reportTo], "reportToOrganisationId");
      if (shares) assertInvolved(involved, shares, "shareWithOrganisationIds");
    }
    if (meetingId) {
      const rows = (await tx.em.query("SELECT 1 FROM meeting WHERE id = $1 AND case_id = $2", [meetingId, item.caseId])) as unknown[];
      if (rows.length === 0) throw new BadInputError("meetingId", "is not a meeting of this case");
    }

    // holds the row lock from here: concurrent updates and share changes wait, then see a new version
    // the shares are read in the same statement, under the row lock
    const { row: updated, extra: shared } = await tx.updateVersionedWith<SafetyAgreementEntity, string[]>(
      SafetyAgreementEntity,
      "SafetyAgreement",
      item.id,
      input.version,
      patch,
      "ARRAY(SELECT s.organisation_id::text FROM safety_agreement_share s WHERE s.agreement_id = t.id)",
    );
    const before = shared;
    let after = before;
    if (shares) {
      const changed = shares.length !== before.length || shares.some((id) => !before.includes(id));
      if (changed) {
        assertCanWrite(ctx, CATEGORIES.SAFETY); // changing with whom it is shared is the regisseur's
        await tx.em.query("DELETE FROM safety_agreement_share WHERE agreement_id = $1 AND NOT (organisation_id = ANY($2::uuid[]))", [item.id, shares]);
        await addShares(tx, item, shares.filter((id) => !before.includes(id)));
        after = shares;
      }
    }
    if (meetingId) {
      await tx.em.query(
        "INSERT INTO meeting_changed_agreement (meeting_id, agreement_id, case_id) VALUES ($1, $2, $3) ON CONFLICT (meeting_id, agreement_id) DO NOTHING",
        [meetingId, item.id, item.caseId],
      );
    }
    tx.emit({
      kind: "SAFETY_AGREEMENT_UPDATED",
      entity: "SafetyAgreement",
      entityId: item.id,
      caseId: item.caseId,
      organisationIds: orgSet(
        ...before,
        ...after,
        item.responsibleOrganisationId,
        updated.responsibleOrganisationId,
        item.reportToOrganisationId,
        updated.reportToOrganisationId,
      ),
    });
    return updated;
  }, { accessUnchanged: !shares }); // only the share set is an access fact (SCOPES.sharedWithOrganisation)
}

/** Shares an agreement with more involved organisations (REGISSEUR); already shared ones stay as they are. */
export async function shareSafetyAgreement(ctx: Ctx, input: ShareSafetyAgreementInput): Promise<SafetyAgreementEntity> {
  const item = await loadAgreement(ctx, input.id);
  const c = await requireVisibleCase(ctx, item.caseId, "id", "SafetyAgreement");
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.SAFETY);
  const ids = [...new Set(input.organisationIds.map(lower))];
  return ctx.tx(async (tx) => {
    assertInvolved(await involvedOrganisations(tx.em, item.caseId), ids, "organisationIds");
    await touch(tx, item.id);
    await addShares(tx, item, ids);
    const fresh = await tx.em.getRepository(SafetyAgreementEntity).findOneByOrFail({ id: item.id });
    tx.emit({
      kind: "SAFETY_AGREEMENT_SHARED",
      entity: "SafetyAgreement",
      entityId: item.id,
      caseId: item.caseId,
      organisationIds: orgSet(...(await sharesOf(tx.em, item.id)), fresh.responsibleOrganisationId, fresh.reportToOrganisationId),
    });
    return fresh;
  });
}

/** Stops sharing an agreement with an organisation (REGISSEUR); BAD_USER_INPUT when it was not shared with it. */
export async function unshareSafetyAgreement(ctx: Ctx, input: UnshareSafetyAgreementInput): Promise<SafetyAgreementEntity> {
  const item = await loadAgreement(ctx, input.id);
  const c = await requireVisibleCase(ctx, item.caseId, "id", "SafetyAgreement");
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.SAFETY);
  const organisationId = lower(input.organisationId);
  return ctx.tx(async (tx) => {
    await touch(tx, item.id);
    const before = await sharesOf(tx.em, item.id);
    if (!before.includes(organisationId)) throw new BadInputError("organisationId", "the agreement is not shared with this organisation");
    await tx.em.query("DELETE FROM safety_agreement_share WHERE agreement_id = $1 AND organisation_id = $2", [item.id, organisationId]);
    const fresh = await tx.em.getRepository(SafetyAgreementEntity).findOneByOrFail({ id: item.id });
    tx.emit({
      kind: "SAFETY_AGREEMENT_UNSHARED",
      entity: "SafetyAgreement",
      entityId: item.id,
      caseId: item.caseId,
      organisationIds: orgSet(...before, fresh.responsibleOrganisationId, fresh.reportToOrganisationId),
    });
    return fresh;
  });
}

/** Organisation ids each agreement is shared with, oldest share first (one SQL statement per batch). */
export function sharedWithIds(ctx: Ctx, agreementId: string): Promise<string[]> {
  return ctx.loaders
    .custom<string, string[]>("safety.sharedWith", async (ids) => {
      // in the statement of the other loads of this depth (ReadBatcher)
      const rows = await ctx.loaders.batcher.read<{ agreement_id: string; organisation_id: string }[]>(
        `(SELECT coalesce(json_agg(json_build_object('agreement_id', s.agreement_id, 'organisation_id', s.organisation_id) ORDER BY s.shared_at, s.organisation_id), '[]'::json)
            FROM safety_agreement_share s WHERE s.agreement_id = ANY($1::uuid[]))`,
        [ids.filter((id) => UUID.test(id))],
      );
      const byAgreement = new Map<string, string[]>(ids.map((id) => [id, []]));
      for (const r of rows) byAgreement.get(r.agreement_id)?.push(r.organisation_id);
      return ids.map((id) => byAgreement.get(id) ?? []);
    })
    .load(agreementId);
}

// ---------------------------------------------------------------------------------------------
// Gezien: who has seen which version

/**
 * Records that the viewer's organisation has seen this version of the agreement. Anyone who may
 * read the agreement may (a school: only one shared with it or that it is responsible for or
 * reported to); for anyone else it does not exist — NOT_FOUND, as for a wrong id, so the answer
 * does not confirm that a hidden agreement exists. A version other than the current one is a
 * CONFLICT (the viewer saw an older text); the same version twice is idempotent (the first
 * sighting is kept, no second event). Emits SAFETY_AGREEMENT_SEEN to the regie organisation(s).
 */
export async function markSafetyAgreementSeen(ctx: Ctx, input: MarkSafetyAgreementSeenInput): Promise<SafetyAgreementEntity> {
  const item = await loadAgreement(ctx, input.id);
  const c = await requireVisibleCase(ctx, item.caseId, "id");
  ctx.access.assertCanAcknowledge(CATEGORIES.SAFETY, "SafetyAgreement", item);
  assertOpen(c);
  if (item.version !== input.version) throw staleVersion("SafetyAgreement");
  return ctx.tx(async (tx) => {
    // inserted only while `version` is still current: a change committed meanwhile → CONFLICT
    const inserted = (await tx.em.query(
      `INSERT INTO safety_agreement_seen (agreement_id, organisation_id, case_id, version, seen_by)
       SELECT a.id, $2, a.case_id, a.version, $3 FROM safety_agreement a WHERE a.id = $1 AND a.version = $4
       ON CONFLICT (agreement_id, organisation_id, version) DO NOTHING
       RETURNING version`,
      [item.id, tx.viewer.organisationId, tx.viewer.professionalId, input.version],
    )) as unknown[];
    const fresh = await tx.em.getRepository(SafetyAgreementEntity).findOneByOrFail({ id: item.id });
    if (inserted.length === 0 && fresh.version !== input.version) throw staleVersion("SafetyAgreement");
    if (inserted.length === 1) {
      const regie = (await tx.em.query("SELECT DISTINCT organisation_id FROM regie_assignment WHERE case_id = $1 AND ended_at IS NULL", [item.caseId])) as {
        organisation_id: string;
      }[];
      tx.emit({
        kind: "SAFETY_AGREEMENT_SEEN",
        entity: "SafetyAgreement",
        entityId: item.id,
        caseId: item.caseId,
        organisationIds: orgSet(...regie.map((r) => r.organisation_id)),
      });
    }
    return fresh;
  });
}

/** One organisation's latest sighting of an agreement, as AgreementSeen resolves it. */
export interface SeenRecord {
  caseId: string;
  agreementId: string;
  organisationId: string;
  professionalId: string;
  version: number;
  seenAt: Date;
  current: boolean;
}

/** Latest sighting per organisation, earliest first (one SQL statement per batch of agreements). */
export function seenByOf(ctx: Ctx, agreementId: string): Promise<SeenRecord[]> {
  return ctx.loaders
    .custom<string, SeenRecord[]>("safety.seenBy", async (ids) => {
      const rows = (await ctx.ds.query(
        `SELECT * FROM (
           SELECT DISTINCT ON (s.agreement_id, s.organisation_id) s.agreement_id, s.organisation_id, s.case_id, s.version, s.seen_at, s.seen_by,
                  s.version = a.version AS current
             FROM safety_agreement_seen s JOIN safety_agreement a ON a.id = s.agreement_id
            WHERE s.agreement_id = ANY($1::uuid[])
            ORDER BY s.agreement_id, s.organisation_id, s.version DESC) latest
         ORDER BY seen_at, organisation_id`,
        [[...ids]],
      )) as { agreement_id: string; organisation_id: string; case_id: string; version: number; seen_at: Date; seen_by: string; current: boolean }[];
      const by = new Map<string, SeenRecord[]>(ids.map((id) => [id, []]));
      for (const r of rows) {
        by.get(r.agreement_id)?.push({
          caseId: r.case_id,
          agreementId: r.agreement_id,
          organisationId: r.organisation_id,
          professionalId: r.seen_by,
          version: r.version,
          seenAt: r.seen_at,
          current: r.current,
        });
      }
      return ids.map((id) => by.get(id) ?? []);
    })
    .load(agreementId);
}

/**
 * The parties of an agreement that have not seen its current version: organisations it is
 * shared with, responsible for it or reported to, actively involved in the case — apart from
 * the organisation(s) holding regie, who wrote it and are the ones asking. By name; one SQL
 * statement per batch of agreements.
 */
export function notSeenByIds(ctx: Ctx, agreementId: string): Promise<string[]> {
  return ctx.loaders
    .custom<string, string[]>("safety.notSeenBy", async (ids) => {
      const rows = (await ctx.ds.query(
        `SELECT a.id AS agreement_id, p.organisation_id
           FROM safety_agreement a
           CROSS JOIN LATERAL (
             SELECT s.organisation_id FROM safety_agreement_share s WHERE s.agreement_id = a.id
             UNION SELECT a.responsible_organisation_id WHERE a.responsible_organisation_id IS NOT NULL
             UNION SELECT a.report_to_organisation_id WHERE a.report_to_organisation_id IS NOT NULL) p
           JOIN organisation o ON o.id = p.organisation_id
          WHERE a.id = ANY($1::uuid[])
            AND EXISTS (SELECT 1 FROM involvement i WHERE i.case_id = a.case_id AND i.organisation_id = p.organisation_id AND i.ended_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM regie_assignment r WHERE r.case_id = a.case_id AND r.organisation_id = p.organisation_id AND r.ended_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM safety_agreement_seen x WHERE x.agreement_id = a.id AND x.organisation_id = p.organisation_id AND x.version = a.version)
          ORDER BY o.name`,
        [[...ids]],
      )) as { agreement_id: string; organisation_id: string }[];
      const by = new Map<string, string[]>(ids.map((id) => [id, []]));
      for (const r of rows) by.get(r.agreement_id)?.push(r.organisation_id);
      return ids.map((id) => by.get(id) ?? []);
    })
    .load(agreementId);
}
