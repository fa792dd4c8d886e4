import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { ownDatabase, type OwnDatabase } from "./support/own-database.js";
import { CASE_TABLES } from "../server/modules/privacy/data-map.js";
import { retentionTerms } from "../server/modules/privacy/retention.js";

/**
 * Retention erases across the whole database, and prunes the start of the access log: so this
 * file runs against its OWN database (on the run's PostgreSQL server) with the demo network,
 * and cannot disturb the other test files.
 */
let t: TestHub;
let pool: pg.Pool;
let own: OwnDatabase;
const ids: Record<string, { caseId: string; familyId: string }> = {};
const TABLES = [...CASE_TABLES.map((x) => x.table), "change_event", "emergency_access"];

/** Rows per table of one case, and the household's members. */
async function snapshot(key: string): Promise<Record<string, number>> {
  const { caseId, familyId } = ids[key];
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = (await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE case_id = $1`, [caseId])).rows[0].n;
  out.case_file = (await pool.query(`SELECT count(*)::int AS n FROM case_file WHERE id = $1`, [caseId])).rows[0].n;
  out.family_member = (await pool.query(`SELECT count(*)::int AS n FROM family_member WHERE family_id = $1`, [familyId])).rows[0].n;
  out.family = (await pool.query(`SELECT count(*)::int AS n FROM family WHERE id = $1`, [familyId])).rows[0].n;
  out.minutes = (await pool.query(`SELECT count(*)::int AS n FROM meeting WHERE case_id = $1 AND minutes IS NOT NULL`, [caseId])).rows[0].n;
  return out;
}
const total = (s: Record<string, number>) => Object.entries(s).filter(([k]) => k !== "minutes").reduce((n, [, v]) => n + v, 0);

const RUN = `mutation($dry: Boolean!) { runRetention(dryRun: $dry) { runId trigger dryRun skipped lines { category termYears cutoff cases rowsErased } } }`;
const line = (run: any, category: string) => run.lines.find((l: any) => l.category === category);

let before: Record<string, Record<string, number>>;
let logBefore: number;

beforeAll(async () => {
  own = await ownDatabase("ketenhub_retention");
  pool = own.pool;
  const url = own.url;
  // signals are shortened to 10 years: a per-category term
  t = await startTestHub({ DATABASE_URL: url, SEED_DEMO: "auto", RETENTION_TERMS: JSON.stringify({ signals: 10 }), RETENTION_ACCESS_LOG_YEARS: "5" });
  for (const name of ["De Boer", "Yilmaz", "Verbeek", "Hendriks"]) {
    const r = await pool.query(`SELECT c.id AS case_id, c.family_id FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = $1`, [name]);
    ids[name] = { caseId: r.rows[0].case_id, familyId: r.rows[0].family_id };
  }
  // the start of the access log: three entries 6 years old, two 4 years old (the log of this database is empty so far)
  const fg = (await pool.query(`SELECT id, organisation_id FROM professional WHERE email = $1`, [USERS.fg])).rows[0];
  expect((await pool.query(`SELECT count(*)::int AS n FROM access_log`)).rows[0].n).toBe(0);
  for (const years of [6, 6, 6, 4, 4]) {
    await pool.query(
      `INSERT INTO access_log (at, professional_id, email, organisation_id, role, case_id, family_id, categories, action, operation, purpose)
       VALUES (now() - make_interval(years => $1), $2, $3, $4, 'PRIVACY_OFFICER', NULL, $5, '{accessLog}', 'READ', 'fixture', 'fixture')`,
      [years, fg.id, USERS.fg, fg.organisation_id, ids.Hendriks.familyId],
    );
  }
  // closed 21 years ago: everything due; closed 19 years ago: only signals (10 years) due;
  // closed one day short of 20 years: only signals due; open (however old): never touched
  await pool.query(`UPDATE case_file SET closed_at = now() - interval '21 years' WHERE id = $1`, [ids.Hendriks.caseId]);
  await pool.query(`UPDATE case_file SET status = 'CLOSED', close_reason = 'GOALS_MET', closed_at = now() - interval '19 years' WHERE id = $1`, [ids["De Boer"].caseId]);
  await pool.query(`UPDATE case_file SET status = 'CLOSED', close_reason = 'GOALS_MET', closed_at = now() - interval '20 years' + interval '1 day' WHERE id = $1`, [ids.Verbeek.caseId]);
  await pool.query(`UPDATE case_file SET opened_at = now() - interval '30 years', created_at = now() - interval '30 years' WHERE id = $1`, [ids.Yilmaz.caseId]);
  const mulder = (await pool.query(`SELECT id, organisation_id FROM professional WHERE email = $1`, [USERS.mulder])).rows[0];
  for (const key of ["Verbeek", "Hendriks", "Yilmaz"]) {
    await pool.query(
      `INSERT INTO signal (case_id, reporting_organisation_id, reported_by, observed_on, description) VALUES ($1, $2, $3, current_date - 7000, 'Zorgen')`,
      [ids[key].caseId, mulder.organisation_id, mulder.id],
    );
  }
  // some traffic in the present, and outbox events on the old case
  await t.ok(USERS.jansen, `{ cases(first: 10) { edges { node { id family { name } } } } }`);
  await pool.query(`INSERT INTO change_event (id, case_id, kind, entity, entity_id) SELECT last_id + 1, $1, 'CASE_CLOSED', 'Case', $1 FROM feed_head`, [ids.Hendriks.caseId]);
  await pool.query(`UPDATE feed_head SET last_id = last_id + 1`);
  before = {};
  for (const k of Object.keys(ids)) before[k] = await snapshot(k);
  logBefore = (await pool.query(`SELECT count(*)::int AS n FROM access_log`)).rows[0].n;
});

afterAll(async () => {
  await t?.stop();
  await own?.drop();
});

describe("retention", () => {
  it("has the legal defaults and refuses incoherent terms", () => {
    const terms = retentionTerms({ RETENTION_TERMS: {} });
    expect(Object.values(terms).every((y) => y === 20)).toBe(true);
    expect(() => retentionTerms({ RETENTION_TERMS: { signals: 30 } })).toThrow(/longest/);
    expect(() => retentionTerms({ RETENTION_TERMS: { consent: 5 } })).toThrow(/consent/);
    expect(() => retentionTerms({ RETENTION_TERMS: { bogus: 5 } })).toThrow(/unknown category/);
  });

  it("is the privacy officer's to run", async () => {
    const r = await t.gql(USERS.jansen, RUN, { dry: true });
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect((await t.gql(USERS.beleid, `{ retentionRuns { runId } }`)).errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("a dry run counts exactly what is due and erases nothing", async () => {
    const run = (await t.ok(USERS.fg, RUN, { dry: true })).runRetention;
    expect(run).toMatchObject({ dryRun: true, skipped: false, trigger: "MANUAL" });
    const h = before.Hendriks;
    expect(line(run, "case")).toMatchObject({ termYears: 20, cases: 1 });
    expect(line(run, "signals")).toMatchObject({ termYears: 10, cases: 3, rowsErased: h.signal + before["De Boer"].signal + before.Verbeek.signal });
    expect(line(run, "risk")).toMatchObject({ cases: 1, rowsErased: h.risk_assessment });
    expect(line(run, "identity")).toMatchObject({ rowsErased: h.family_member + 1 });
    expect(line(run, "accessLog")).toMatchObject({ termYears: 5, rowsErased: 3 });
    for (const k of Object.keys(ids)) expect(await snapshot(k)).toEqual(before[k]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM access_log`)).rows[0].n).toBeGreaterThanOrEqual(logBefore);
  });

  it("erases exactly what is due — nothing earlier — and keeps the access log verifiable", async () => {
    expect(before.Hendriks.case_file).toBe(1);
    expect(before.Hendriks.risk_assessment).toBeGreaterThan(0);
    expect(before.Hendriks.evaluation).toBeGreaterThan(0);
    expect(before["De Boer"].signal).toBeGreaterThan(0);
    expect(before["De Boer"].meeting).toBeGreaterThan(0);
    const firstKept = (await pool.query(`SELECT seq FROM access_log ORDER BY seq OFFSET 3 LIMIT 1`)).rows[0].seq;

    const run = (await t.ok(USERS.fg, RUN, { dry: false })).runRetention;
    expect(run.dryRun).toBe(false);
    // closed 21 years ago: the whole file and the household are gone
    const h = await snapshot("Hendriks");
    expect(total(h)).toBe(0);
    expect(line(run, "case").rowsErased).toBeGreaterThanOrEqual(before.Hendriks.case_file + before.Hendriks.involvement + before.Hendriks.change_event);
    // closed 19 years ago and 20 years less a day: only the signals (10-year term) are gone
    for (const k of ["De Boer", "Verbeek"]) expect(await snapshot(k), k).toEqual({ ...before[k], signal: 0 });
    // open for 30 years: untouched
    expect(await snapshot("Yilmaz")).toEqual(before.Yilmaz);
    // the other households and their members remain
    expect(before["De Boer"].family_member).toBeGreaterThan(0);

    // the access log: the three old entries are gone, the chain still verifies from the anchor
    const log = await pool.query(`SELECT min(seq)::text AS first, count(*)::int AS n FROM access_log`);
    expect(log.rows[0].first).toBe(String(firstKept));
    expect(line(run, "accessLog").rowsErased).toBe(3);
    const v = (await t.ok(USERS.fg, `{ verifyAccessLog { intact firstBrokenSeq } }`)).verifyAccessLog;
    expect(v).toEqual({ intact: true, firstBrokenSeq: null });
    const anchor = await pool.query(`SELECT seq::text, removed::int FROM access_log_anchor`);
    expect(anchor.rows).toEqual([{ seq: String(Number(firstKept) - 1), removed: 3 }]);

    // a record of the run, with counts and no personal data
    const runs = (await t.ok(USERS.fg, `{ retentionRuns { runId dryRun lines { category cases rowsErased } } }`)).retentionRuns;
    expect(runs[0]).toMatchObject({ runId: run.runId, dryRun: false });
    expect(runs[0].lines.find((l: any) => l.category === "signals").rowsErased).toBe(line(run, "signals").rowsErased);
    const cols = await pool.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'retention_run' ORDER BY ordinal_position`);
    expect(cols.rows.map((r) => r.column_name)).toEqual(["id", "run_id", "started_at", "trigger", "dry_run", "category", "term_years", "cutoff", "cases", "rows_erased"]);
  });

  it("a second run finds nothing more to do", async () => {
    const run = (await t.ok(USERS.fg, RUN, { dry: false })).runRetention;
    expect(run.lines.every((l: any) => l.rowsErased === 0)).toBe(true);
  });

  it("runs on one instance at a time (advisory lock)", async () => {
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("SELECT pg_advisory_xact_lock(hashtext('ketenhub:retention'))");
      const run = (await t.ok(USERS.fg, RUN, { dry: false })).runRetention;
      expect(run).toMatchObject({ skipped: true, lines: [] });
      await c.query("ROLLBACK");
    } finally {
      c.release();
    }
    expect((await t.ok(USERS.fg, RUN, { dry: true })).runRetention.skipped).toBe(false);
  });

  it("keeps the log append-only outside the pruning path, and pruning never hides tampering", async () => {
    const first = (await pool.query(`SELECT min(seq)::text AS s FROM access_log`)).rows[0].s;
    await expect(pool.query(`DELETE FROM access_log WHERE seq = $1`, [first])).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM access_log_anchor`)).rejects.toThrow(/append-only/);
    // removing the first entry behind the function's back breaks the chain at the next one
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("ALTER TABLE access_log DISABLE TRIGGER tr_access_log_no_update");
      await c.query("DELETE FROM access_log WHERE seq = $1", [first]);
      await c.query("ALTER TABLE access_log ENABLE TRIGGER tr_access_log_no_update");
      await c.query("COMMIT");
    } finally {
      c.release();
    }
    const v = (await t.ok(USERS.fg, `{ verifyAccessLog { intact firstBrokenSeq } }`)).verifyAccessLog;
    expect(v).toEqual({ intact: false, firstBrokenSeq: String(Number(first) + 1) });
    // and a retention run now refuses to prune a broken chain (nothing is erased, the run fails)
    const r = await t.gql(USERS.fg, RUN, { dry: false });
    expect(r.errors?.[0].extensions?.code).toBe("CONFLICT");
    expect(r.errors?.[0].message).toMatch(/hash chain is broken/);
  });
});
