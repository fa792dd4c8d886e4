import type { EntityManager } from "typeorm";
import { bsnHash, decryptRow } from "../../crypto/field-crypto.js";
import { CATEGORIES } from "../../access/categories.js";
import { appendAccessLog } from "../../audit/access-log.js";
import { BadInputError, NotFoundError } from "../../common/errors.js";
import { isValidBsn } from "../families/family.input.js";
import type { Ctx } from "../../context.js";
import { toAccessLogEntry, type AccessLogRow } from "../access/access-log.type.js";
import { CASE_CATEGORIES, CASE_TABLES } from "./data-map.js";
import { UUID } from "../../common/ids.js";


interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface OverviewEntry {
  seq: string;
  at: Date;
  professionalId: string;
  email: string;
  organisationId: string;
  organisationName: string;
  role: string;
  caseId: string | null;
  familyId: string | null;
  categories: string[];
  action: string;
  operation: string;
  purpose: string;
  requestId: string | null;
}

export interface OverviewGroup {
  organisationName: string;
  role: string;
  category: string;
  action: string;
  /** calendar month, YYYY-MM (UTC) */
  period: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  purposes: string[];
}

export interface Overview {
  memberId: string;
  familyId: string;
  subjectName: string;
  familyName: string;
  caseIds: string[];
  generatedAt: Date;
  entries: OverviewEntry[];
  groups: OverviewGroup[];
}

interface Member {
  id: string;
  family_id: string;
  given_name: string;
  family_name: string;
  household: string;
}

async function loadMember(db: Queryable, memberId: string): Promise<Member> {
  if (!UUID.test(memberId)) throw new NotFoundError("FamilyMember", "memberId");
  const [m] = (await db.query(
    `SELECT m.id, m.family_id, m.given_name, m.family_name, f.name AS household FROM family_member m JOIN family f ON f.id = m.family_id WHERE m.id = $1`,
    [memberId],
  )) as Member[];
  if (!m) throw new NotFoundError("FamilyMember", "memberId");
  return m;
}

/** Who a request is about: a member id, or the BSN on the requester's identity document. */
export interface Subject {
  memberId?: string | null;
  bsn?: string | null;
}

/**
 * The member a privacy request is about. The privacy officer identifies the requester by the
 * BSN on their identity document, so a BSN finds the person through the keyed hash (the BSN
 * itself is never shown, logged or echoed; an error names the field only). Exactly one of the two.
 */
export async function subjectMemberId(db: Queryable, subject: Subject): Promise<string> {
  const { memberId, bsn } = subject;
  if ((memberId == null) === (bsn == null)) throw new BadInputError(memberId == null ? "memberId" : "bsn", "give either memberId or bsn");
  if (memberId != null) return memberId;
  if (!isValidBsn(bsn)) throw new BadInputError("bsn", "must be a valid BSN (9 digits, 11-proef)");
  const rows = (await db.query(`SELECT id FROM family_member WHERE bsn_hash = $1`, [bsnHash(bsn!)])) as { id: string }[];
  if (rows.length === 0) throw new NotFoundError("FamilyMember", "bsn");
  return rows[0].id; // unique: uq_member_bsn is on bsn_hash
}

/**
 * "Wie heeft ons dossier gezien?" for one person. The access log records reads and writes per
 * case and household (family), by category — not per family member, because a case is the
 * household's. So a person's overview is every entry about their household: entries on the
 * household itself and on each of its cases. It errs on the side of completeness: an entry
 * that read only a sibling's details is listed too. Rows (oldest first) are exactly the log's;
 * groups summarise them per organisation, role, category, action and month.
 * The lookup itself is logged (READ of accessLog and identity on the household).
 */
export async function privacyOverview(ctx: Ctx, memberId: string): Promise<Overview> {
  const m = await loadMember(ctx.ds, memberId);
  const cases = (await ctx.ds.query(`SELECT id FROM case_file WHERE family_id = $1 ORDER BY opened_at, id`, [m.family_id])) as { id: string }[];
  const caseIds = cases.map((c) => c.id);
  const entries = await logEntriesFor(ctx.ds, m.family_id, caseIds);
  await appendAccessLog(ctx.ds, { ...ctx.logContext, operation: ctx.operation === "unknown" ? "privacyOverview" : ctx.operation }, "READ", [
    { caseId: null, familyId: m.family_id, categories: new Set([CATEGORIES.ACCESS_LOG, CATEGORIES.IDENTITY]) },
  ]);
  return {
    memberId: m.id,
    familyId: m.family_id,
    subjectName: `${m.given_name} ${m.family_name}`,
    familyName: m.household,
    caseIds,
    generatedAt: new Date(),
    entries,
    groups: groupEntries(entries),
  };
}

async function logEntriesFor(db: Queryable, familyId: string, caseIds: string[]): Promise<OverviewEntry[]> {
  const rows = (await db.query(
    `SELECT l.seq, l.at, l.professional_id, l.email, l.organisation_id, o.name AS organisation_name, l.role, l.case_id, l.family_id,
            l.categories, l.action, l.operation, l.purpose, l.request_id
       FROM access_log l JOIN organisation o ON o.id = l.organisation_id
      WHERE l.family_id = $1 OR l.case_id = ANY($2::uuid[])
      ORDER BY l.seq`,
    [familyId, caseIds],
  )) as AccessLogRow[];
  return rows.map(toAccessLogEntry);
}

export function groupEntries(entries: OverviewEntry[]): OverviewGroup[] {
  const groups = new Map<string, OverviewGroup & { purposeSet: Set<string> }>();
  for (const e of entries) {
    const period = e.at.toISOString().slice(0, 7);
    for (const category of e.categories) {
      const key = [e.organisationName, e.role, category, e.action, period].join("\u0000");
      let g = groups.get(key);
      if (!g) {
        g = { organisationName: e.organisationName, role: e.role, category, action: e.action, period, count: 0, firstAt: e.at, lastAt: e.at, purposes: [], purposeSet: new Set() };
        groups.set(key, g);
      }
      g.count++;
      if (e.at < g.firstAt) g.firstAt = e.at;
      if (e.at > g.lastAt) g.lastAt = e.at;
      g.purposeSet.add(e.purpose);
    }
  }
  return [...groups.values()]
    .map(({ purposeSet, ...g }) => ({ ...g, purposes: [...purposeSet].sort() }))
    .sort((a, b) => a.period.localeCompare(b.period) || a.organisationName.localeCompare(b.organisationName) || a.role.localeCompare(b.role) || a.category.localeCompare(b.category) || a.action.localeCompare(b.action));
}

/**
 * Right of access (AVG art. 15): everything the hub holds about a person, machine-readable —
 * the person's own record as stored (BSN included), the household and its other members (names
 * and kind only: their own details are theirs to request), every case of the household with
 * all its data per category as stored (every row of every case table), the emergency accesses
 * to those cases and the access log about the household (who saw it). Read in one
 * REPEATABLE READ transaction, which also logs the export as EXPORT: one entry per case with
 * the categories exported, and one for the household.
 */
export async function subjectAccessExport(ctx: Ctx, memberId: string): Promise<Record<string, unknown>> {
  return ctx.ds.transaction("REPEATABLE READ", async (em: EntityManager) => {
    const m = await loadMember(em, memberId);
    // decrypted (server/crypto): the person reads their data, not its ciphertext; the BSN's
    // lookup hash is a technical stand-in of the BSN itself, which is included
    const [stored] = (await em.query(`SELECT * FROM family_member WHERE id = $1`, [m.id])) as Record<string, unknown>[];
    const { bsn_hash: _hash, ...person } = decryptRow("family_member", stored);
    const [family] = (await em.query(`SELECT * FROM family WHERE id = $1`, [m.family_id])) as Record<string, unknown>[];
    const household = (await em.query(
      `SELECT id, kind, given_name, family_name FROM family_member WHERE family_id = $1 AND id <> $2 ORDER BY kind, given_name, id`,
      [m.family_id, m.id],
    )) as Record<string, unknown>[];
    const caseRows = (await em.query(`SELECT * FROM case_file WHERE family_id = $1 ORDER BY opened_at, id`, [m.family_id])) as Record<string, unknown>[];
    const caseIds = caseRows.map((c) => c.id as string);
    const byTable = new Map<string, Record<string, unknown>[]>();
    for (const { table } of CASE_TABLES) {
      const rows = (await em.query(`SELECT * FROM ${table} WHERE case_id = ANY($1::uuid[]) ORDER BY 1`, [caseIds])) as Record<string, unknown>[];
      byTable.set(table, rows.map((r) => decryptRow(table, r)));
    }
    const emergency = (await em.query(`SELECT * FROM emergency_access WHERE case_id = ANY($1::uuid[]) ORDER BY opened_at, id`, [caseIds])) as Record<string, unknown>[];
    const cases = caseRows.map((c) => {
      const data: Record<string, Record<string, unknown[]>> = {};
      const exported = new Set<string>([CATEGORIES.CASE]);
      for (const category of CASE_CATEGORIES) {
        const tables = CASE_TABLES.filter((t) => t.category === category);
        if (tables.length === 0) continue;
        data[category] = {};
        for (const { table } of [...tables].reverse()) {
          const rows = byTable.get(table)!.filter((r) => r.case_id === c.id);
          data[category][table] = rows;
          if (rows.length) exported.add(category);
        }
      }
      if (exported.has(CATEGORIES.MEETING) && byTable.get("meeting")!.some((r) => r.case_id === c.id && r.minutes)) exported.add(CATEGORIES.MEETING_MINUTES);
      return { case: c, data, emergencyAccesses: emergency.filter((e) => e.case_id === c.id), exported };
    });
    const accessLog = await logEntriesFor(em, m.family_id, caseIds);
    await appendAccessLog(em, { ...ctx.logContext, operation: ctx.operation === "unknown" ? "subjectAccessExport" : ctx.operation }, "EXPORT", [
      { caseId: null, familyId: m.family_id, categories: new Set([CATEGORIES.IDENTITY, CATEGORIES.BSN, CATEGORIES.ACCESS_LOG]) },
      ...cases.map((c) => ({ caseId: c.case.id as string, familyId: m.family_id, categories: c.exported })),
    ]);
    return {
      format: "ketenhub/subject-access-export@1",
      generatedAt: new Date().toISOString(),
      generatedBy: { organisationId: ctx.viewer.organisationId, role: ctx.viewer.role },
      note: "Alle gegevens die de ketenhub over deze persoon bewaart, zoals opgeslagen (AVG art. 15). Gegevens per casus staan per datacategorie en tabel.",
      person,
      family,
      household,
      cases: cases.map(({ exported: _e, ...c }) => c),
      accessLog,
    };
  });
}
