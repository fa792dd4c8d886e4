import type { DataSource } from "typeorm";
import type { Viewer } from "../auth/viewer.js";
import type { Ctx } from "../context.js";
import { CATEGORIES } from "../access/categories.js";
import { decideRead, inScope } from "../access/decide.js";
import { inCase } from "../common/source.js";
import { SUBJECTS } from "./subjects.js";

/** One row of the outbox as the feed carries it. `id` is the resumable cursor. */
export interface ChangeRecord {
  id: number;
  caseId: string;
  kind: string;
  entity: string;
  entityId: string;
  organisationIds: string[];
  actorId: string | null;
  occurredAt: Date;
}

interface Row {
  id: string;
  case_id: string;
  kind: string;
  entity: string;
  entity_id: string;
  organisation_ids: string[];
  actor_id: string | null;
  occurred_at: Date;
}

export const toRecord = (r: Row): ChangeRecord => ({
  id: Number(r.id),
  caseId: r.case_id,
  kind: r.kind,
  entity: r.entity,
  entityId: r.entity_id,
  organisationIds: r.organisation_ids,
  actorId: r.actor_id,
  occurredAt: r.occurred_at,
});

/**
 * Events after `after` in cases the viewer's organisation can see now (a first, coarse filter in
 * SQL; `isVisibleChange` decides per event). Ids are in commit order (see realtime/outbox.ts).
 */
export async function readFeed(ds: DataSource, viewer: Viewer, after: number, limit: number, caseId?: string): Promise<ChangeRecord[]> {
  const rows = (await ds.query(
    `SELECT e.* FROM change_event e
      WHERE e.id > $1
        AND (EXISTS (SELECT 1 FROM involvement vi WHERE vi.case_id = e.case_id AND vi.organisation_id = $2 AND vi.ended_at IS NULL)
             OR EXISTS (SELECT 1 FROM handover vh WHERE vh.case_id = e.case_id AND vh.from_organisation_id = $2))
        ${caseId ? "AND e.case_id = $4" : ""}
      ORDER BY e.id LIMIT $3`,
    caseId ? [after, viewer.organisationId, limit, caseId] : [after, viewer.organisationId, limit],
  )) as Row[];
  return rows.map(toRecord);
}

/** The newest feed position (where a live subscription without a cursor starts). */
export async function feedHead(ds: DataSource): Promise<number> {
  const [r] = (await ds.query("SELECT last_id FROM feed_head WHERE id = 1")) as { last_id: string }[];
  return Number(r.last_id);
}

/**
 * Is this change in the viewer's feed right now? Exactly when the viewer could query its subject
 * at this moment: the case is visible, the subject's category readable (role, consent or sharing
 * decision) and the subject within the item scope (e.g. shared with the school). The subject is
 * loaded through the request's loaders, so the payload resolves from the same objects.
 */
export async function isVisibleChange(ctx: Ctx, change: ChangeRecord): Promise<boolean> {
  const found = await ctx.access.load(change.caseId);
  if (!found) return false;
  const subject = SUBJECTS[change.entity];
  const category = subject?.category ?? CATEGORIES.CASE;
  const d = decideRead(ctx.viewer, found.access, category);
  if (!d.allowed) return false;
  if (!d.scope || d.scope === "all" || !subject) return true;
  const item = await loadSubject(ctx, change);
  return item !== undefined && inScope(d.scope, change.entity, item as Record<string, unknown>, "", ctx.viewer, found.access);
}

export async function loadSubject(ctx: Ctx, change: ChangeRecord): Promise<object | undefined> {
  const subject = SUBJECTS[change.entity];
  if (!subject) return undefined;
  const e = await ctx.loaders.byId(subject.entity).load(change.entityId);
  if (!e) return undefined;
  return subject.wrapWithCase ? inCase(e, change.caseId) : e;
}
