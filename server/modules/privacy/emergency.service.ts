import { CATEGORIES } from "../../access/categories.js";
import { EMERGENCY } from "../../access/policy.js";
import { loadViewer } from "../../auth/authenticate.js";
import { appendAccessLog } from "../../audit/access-log.js";
import { BadInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import { toRecord, type ChangeRecord } from "../../realtime/feed.js";
import { EmergencyAccessEntity } from "./emergency.entity.js";
import type { OpenEmergencyAccessInput } from "./emergency.input.js";
import type { EmergencyAccessReport } from "./emergency.type.js";
import { UUID } from "../../common/ids.js";

export const EMERGENCY_OPENED = "EMERGENCY_ACCESS_OPENED";

/**
 * Breaks the glass (policy.ts EMERGENCY): records the grant with its reason and expiry, logs the
 * opening as EMERGENCY, and tells the regisseur's organisation and the privacy officer's
 * organisation live (a change event addressed to both). The grant makes the case visible to
 * this professional alone, within its categories, until it expires (checked on every request).
 */
export async function openEmergencyAccess(ctx: Ctx, input: OpenEmergencyAccessInput): Promise<EmergencyAccessEntity> {
  const v = ctx.viewer;
  if (!EMERGENCY.roles.includes(v.role)) throw new ForbiddenError("Your role may not open emergency access", { category: CATEGORIES.EMERGENCY_ACCESS });
  const reason = input.reason.trim();
  if (reason.length < EMERGENCY.minReasonLength)
    throw new BadInputError("reason", `state the acute safety situation in at least ${EMERGENCY.minReasonLength} characters`);
  if (!UUID.test(input.caseId)) throw new NotFoundError("Case", "caseId");
  const minutes = ctx.deps.config.EMERGENCY_ACCESS_MINUTES;
  const created = await ctx.tx(async (tx) => {
    const [c] = (await tx.em.query(
      `SELECT c.id, c.family_id,
         EXISTS (SELECT 1 FROM involvement i WHERE i.case_id = c.id AND i.organisation_id = $2 AND i.ended_at IS NULL)
           OR EXISTS (SELECT 1 FROM handover h WHERE h.case_id = c.id AND h.from_organisation_id = $2) AS has_access,
         ARRAY(SELECT r.organisation_id FROM regie_assignment r WHERE r.case_id = c.id AND r.kind = 'CASE' AND r.ended_at IS NULL) AS regie_orgs,
         ARRAY(SELECT h.from_organisation_id FROM handover h WHERE h.case_id = c.id) AS vt_orgs,
         ARRAY(SELECT DISTINCT p.organisation_id FROM professional p WHERE p.role = 'PRIVACY_OFFICER' AND p.active) AS po_orgs
       FROM case_file c WHERE c.id = $1`,
      [input.caseId, v.organisationId],
    )) as { id: string; family_id: string; has_access: boolean; regie_orgs: string[]; vt_orgs: string[]; po_orgs: string[] }[];
    if (!c) throw new NotFoundError("Case", "caseId");
    if (c.has_access) throw new ConflictError("Your organisation is involved in this case: emergency access is not needed", { field: "caseId" });
    const [row] = (await tx.em.query(
      `INSERT INTO emergency_access (case_id, professional_id, organisation_id, role, reason, categories, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::text[], now() + make_interval(mins => $7::int)) RETURNING id`,
      [c.id, v.professionalId, v.organisationId, v.role, reason, [...EMERGENCY.categories], minutes],
    )) as { id: string }[];
    tx.emit({
      kind: EMERGENCY_OPENED,
      entity: "EmergencyAccess",
      entityId: row.id,
      caseId: c.id,
      // the regisseur's organisation (before regie is assigned: Veilig Thuis, which handed the case over) and the privacy officer's
      organisationIds: [...new Set([...(c.regie_orgs.length ? c.regie_orgs : c.vt_orgs), ...c.po_orgs])],
    });
    await appendAccessLog(tx.em, ctx.logContext, "EMERGENCY", [
      { caseId: c.id, familyId: c.family_id, categories: new Set([CATEGORIES.EMERGENCY_ACCESS]), emergencyId: row.id },
    ]);
    return row.id;
  });
  return ctx.ds.getRepository(EmergencyAccessEntity).findOneByOrFail({ id: created });
}

/** Closes the viewer's own emergency access early (it also ends by itself at expiry). */
export async function closeEmergencyAccess(ctx: Ctx, id: string): Promise<boolean> {
  if (!UUID.test(id)) throw new NotFoundError("EmergencyAccess", "id");
  const [r] = (await ctx.ds.query(
    `WITH u AS (UPDATE emergency_access SET closed_at = now()
                 WHERE id = $1 AND professional_id = $2 AND closed_at IS NULL AND expires_at > now() RETURNING id)
     SELECT count(*)::int AS n FROM u`,
    [id, ctx.viewer.professionalId],
  )) as { n: number }[];
  return r.n > 0;
}

interface ReportRow {
  id: string;
  case_id: string;
  family_id: string;
  professional_id: string;
  professional_email: string;
  professional_name: string;
  organisation_id: string;
  organisation_name: string;
  role: string;
  reason: string;
  categories: string[];
  opened_at: Date;
  expires_at: Date;
  status: string;
  uses: number;
  categories_read: string[];
  last_used_at: Date | null;
  involvement_followed: boolean;
}

const REPORT_SQL = `
SELECT e.id, e.case_id, c.family_id, e.professional_id, p.email AS professional_email, p.name AS professional_name,
  e.organisation_id, o.name AS organisation_name, e.role, e.reason, e.categories, e.opened_at, e.expires_at,
  CASE WHEN e.closed_at IS NOT NULL THEN 'CLOSED' WHEN e.expires_at > now() THEN 'ACTIVE' ELSE 'EXPIRED' END AS status,
  (SELECT count(*)::int FROM access_log l WHERE l.case_id = e.case_id AND l.action = 'EMERGENCY' AND l.professional_id = e.professional_id
     AND l.purpose LIKE 'noodtoegang ' || e.id::text || ':%') AS uses,
  ARRAY(SELECT DISTINCT cat FROM access_log l, unnest(l.categories) cat
         WHERE l.case_id = e.case_id AND l.action = 'EMERGENCY' AND l.professional_id = e.professional_id
           AND l.purpose LIKE 'noodtoegang ' || e.id::text || ':%' AND cat <> 'emergencyAccess' ORDER BY cat) AS categories_read,
  (SELECT max(l.at) FROM access_log l WHERE l.case_id = e.case_id AND l.action = 'EMERGENCY' AND l.professional_id = e.professional_id
     AND l.purpose LIKE 'noodtoegang ' || e.id::text || ':%') AS last_used_at,
  EXISTS (SELECT 1 FROM involvement i WHERE i.case_id = e.case_id AND i.organisation_id = e.organisation_id AND i.started_at >= e.opened_at) AS involvement_followed
FROM emergency_access e
JOIN case_file c ON c.id = e.case_id
JOIN professional p ON p.id = e.professional_id
JOIN organisation o ON o.id = e.organisation_id`;

const toReport = (r: ReportRow): EmergencyAccessReport => ({
  id: r.id,
  caseId: r.case_id,
  familyId: r.family_id,
  professionalId: r.professional_id,
  professionalEmail: r.professional_email,
  professionalName: r.professional_name,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  role: r.role as EmergencyAccessReport["role"],
  reason: r.reason,
  categories: r.categories,
  openedAt: r.opened_at,
  expiresAt: r.expires_at,
  status: r.status,
  uses: r.uses,
  categoriesRead: r.categories_read,
  lastUsedAt: r.last_used_at,
  involvementFollowed: r.involvement_followed,
});

/** The privacy officer's report: every emergency access, newest first, optionally one status or case. */
export async function emergencyReport(ctx: Ctx, opts: { status?: string; caseId?: string; first?: number }): Promise<EmergencyAccessReport[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.status) {
    params.push(opts.status);
    where.push(`(CASE WHEN e.closed_at IS NOT NULL THEN 'CLOSED' WHEN e.expires_at > now() THEN 'ACTIVE' ELSE 'EXPIRED' END) = $${params.length}`);
  }
  if (opts.caseId) {
    if (!UUID.test(opts.caseId)) throw new BadInputError("caseId", "is not an id");
    params.push(opts.caseId);
    where.push(`e.case_id = $${params.length}::uuid`);
  }
  params.push(opts.first ?? 100);
  const rows = (await ctx.ds.query(
    `${REPORT_SQL} ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY e.opened_at DESC, e.id LIMIT $${params.length}`,
    params,
  )) as ReportRow[];
  return rows.map(toReport);
}

export async function emergencyReportById(ctx: Ctx, id: string): Promise<EmergencyAccessReport | undefined> {
  const rows = (await ctx.ds.query(`${REPORT_SQL} WHERE e.id = $1`, [id])) as ReportRow[];
  return rows[0] ? toReport(rows[0]) : undefined;
}

/**
 * The privacy officer's live stream of emergency accesses: change events of kind
 * EMERGENCY_ACCESS_OPENED addressed to the viewer's organisation. The privacy officer is
 * involved in no case, so the ordinary feed (readFeed: involved cases only) never carries them.
 * With `after`, first replays what was missed. The viewer is re-read before every event (a
 * deactivated user or a changed role stops the stream).
 */
export async function* emergencyStream(ctx: Ctx, after: number | undefined): AsyncGenerator<ChangeRecord> {
  const dispatcher = ctx.deps.dispatcher;
  if (!dispatcher) throw new Error("realtime is not running");
  const inbox = dispatcher.open();
  const mine = (e: ChangeRecord) => e.kind === EMERGENCY_OPENED && e.organisationIds.includes(ctx.viewer.organisationId);
  const reauthorise = async () => {
    const exp = ctx.viewer.tokenExpiresAt;
    if (exp !== undefined && exp * 1000 <= Date.now()) throw new UnauthenticatedError("Token expired");
    const viewer = await loadViewer(ctx.ds, ctx.viewer.email);
    if (!viewer || viewer.role !== "PRIVACY_OFFICER") throw new UnauthenticatedError("Unknown or inactive user");
    ctx.renew({ ...viewer, tokenExpiresAt: exp });
  };
  try {
    let cursor: number;
    if (after === undefined) {
      const [h] = (await ctx.ds.query("SELECT last_id FROM feed_head WHERE id = 1")) as { last_id: string }[];
      cursor = Number(h.last_id);
    } else {
      cursor = after;
      const rows = (await ctx.ds.query(
        `SELECT * FROM change_event WHERE id > $1 AND kind = $2 AND $3::uuid = ANY(organisation_ids) ORDER BY id`,
        [after, EMERGENCY_OPENED, ctx.viewer.organisationId],
      )) as Parameters<typeof toRecord>[0][];
      for (const r of rows) {
        const e = toRecord(r);
        cursor = e.id;
        await reauthorise();
        yield e;
      }
    }
    for (;;) {
      const batch = await inbox.take();
      if (!batch) return;
      if (inbox.overflowed) inbox.overflowed = false; // the grants stay in the report; the stream is a notification
      for (const e of batch) {
        if (e.id <= cursor) continue;
        cursor = e.id;
        if (!mine(e)) continue;
        await reauthorise();
        yield e;
      }
    }
  } finally {
    inbox.close();
  }
}
