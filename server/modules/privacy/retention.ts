import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { CATEGORIES, type Category } from "../../access/categories.js";
import { ConflictError } from "../../common/errors.js";
import type { Config } from "../../config.js";
import { CASE_CATEGORIES, CASE_COMPANIONS, CASE_TABLES } from "./data-map.js";

/**
 * Retention (issue 9). Terms in whole years, counted from the END OF HELP: the moment the case
 * was closed (an open case is never touched, whatever its age).
 * - Default for every category of a case file: 20 years (Jeugdwet art. 7.3.8: the youth-care
 *   file is kept 20 years; we count from the end of help rather than from each record's
 *   creation, so nothing goes before the law allows). Categories can be shortened per
 *   category with RETENTION_TERMS (e.g. a municipality's policy for signals), never made
 *   shorter than 1 year.
 * - `case` (the case record, involvements, regie history, the outbox events and emergency grants
 *   of the case) and `identity` (the household and its members, BSN included) go last: their
 *   term must be the longest, so no erased record leaves data behind that points at nothing.
 *   A household is erased once its last case has been erased.
 * - Consent and sharing decisions keep as long as the data they cover: their default is the
 *   case term, and a shorter one is refused.
 * - Meeting minutes (a column of the meeting) are erased by clearing the column.
 * - The access log has its own term (RETENTION_ACCESS_LOG_YEARS, default 5 years after each
 *   entry: NEN 7513 practice), pruned from the start of the hash chain by prune_access_log
 *   (migration 0008), which keeps the remaining chain verifiable.
 * Records pointing into an erased category from another one are unlinked (nullable reference)
 * or removed with it (a link row), found from the database's own foreign keys.
 */
export const DEFAULT_TERM_YEARS = 20;

export type Terms = Record<Category, number>;

const CONFIGURABLE: readonly Category[] = [...CASE_CATEGORIES, CATEGORIES.IDENTITY];

export function retentionTerms(config: Pick<Config, "RETENTION_TERMS">): Terms {
  const overrides = config.RETENTION_TERMS ?? {};
  for (const key of Object.keys(overrides)) {
    if (!CONFIGURABLE.includes(key as Category)) throw new Error(`RETENTION_TERMS: unknown category ${key.slice(0, 40)}`);
  }
  const terms = Object.fromEntries(CONFIGURABLE.map((c) => [c, overrides[c] ?? DEFAULT_TERM_YEARS])) as Terms;
  const longest = Math.max(...Object.values(terms));
  if (terms.case !== longest || terms.identity !== longest) throw new Error("RETENTION_TERMS: case and identity must have the longest term");
  if (terms.consent !== terms.case) throw new Error("RETENTION_TERMS: consent is kept as long as the data it covers (the case term)");
  return terms;
}

export interface RetentionLine {
  category: string;
  termYears: number;
  cutoff: Date;
  cases: number;
  rowsErased: number;
}

export interface RetentionResult {
  runId: string;
  startedAt: Date;
  trigger: "SCHEDULE" | "MANUAL" | "CLI";
  dryRun: boolean;
  /** another instance was running retention: nothing done */
  skipped: boolean;
  lines: RetentionLine[];
}

const LOCK_KEY = "ketenhub:retention";

interface Fk {
  from_table: string;
  from_col: string;
  to_table: string;
  to_col: string;
  nullable: boolean;
}

/**
 * One retention run, in one transaction under an advisory lock (one instance at a time; a
 * concurrent run is skipped). A dry run counts what is due and erases nothing. Either way a
 * record per category goes to retention_run: when, term, cutoff, counts — no personal data.
 */
export async function runRetention(ds: DataSource, config: Config, opts: { dryRun: boolean; trigger: RetentionResult["trigger"] }): Promise<RetentionResult> {
  const terms = retentionTerms(config);
  const runId = randomUUID();
  return ds.transaction(async (em) => {
    const [{ locked, now }] = (await em.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked, now() AS now`, [LOCK_KEY])) as { locked: boolean; now: Date }[];
    const result: RetentionResult = { runId, startedAt: now, trigger: opts.trigger, dryRun: opts.dryRun, skipped: !locked, lines: [] };
    if (!locked) return result;
    const [{ broken }] = (await em.query(`SELECT verify_access_log() AS broken`)) as { broken: string | null }[];
    if (broken !== null) throw new ConflictError("The access log's hash chain is broken (see verifyAccessLog): retention stopped, nothing erased");
    const fks = (await em.query(`
      SELECT c.conrelid::regclass::text AS from_table, a.attname AS from_col, c.confrelid::regclass::text AS to_table, r.attname AS to_col,
             NOT a.attnotnull AS nullable
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
       WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1`)) as Fk[];

    const cutoffOf = async (years: number) =>
      ((await em.query(`SELECT now() - make_interval(years => $1::int) AS t`, [years])) as { t: Date }[])[0].t;
    const dueCases = async (cutoff: Date) =>
      ((await em.query(`SELECT id, family_id FROM case_file WHERE status = 'CLOSED' AND closed_at < $1 ORDER BY id`, [cutoff])) as { id: string; family_id: string }[]);

    /** Unlinks or removes rows of other tables that point at the rows of `table` selected by `where`. */
    const clearReferences = async (table: string, where: string, params: unknown[]): Promise<number> => {
      let n = 0;
      for (const fk of fks.filter((f) => f.to_table === table && f.from_table !== table)) {
        const sql = fk.nullable
          ? `UPDATE ${fk.from_table} SET ${fk.from_col} = NULL WHERE ${fk.from_col} IN (SELECT ${fk.to_col} FROM ${table} WHERE ${where})`
          : `DELETE FROM ${fk.from_table} WHERE ${fk.from_col} IN (SELECT ${fk.to_col} FROM ${table} WHERE ${where})`;
        n += await affected(em, sql, params);
      }
      return n;
    };
    const count = async (sql: string, params: unknown[]) => ((await em.query(`SELECT count(*)::int AS n FROM ${sql}`, params)) as { n: number }[])[0].n;

    // every category of the case file except the case itself, then the case, then the household
    for (const category of CASE_CATEGORIES.filter((c) => c !== CATEGORIES.CASE)) {
      const cutoff = await cutoffOf(terms[category]);
      const ids = (await dueCases(cutoff)).map((c) => c.id);
      let rows = 0;
      if (category === CATEGORIES.MEETING_MINUTES) {
        rows = opts.dryRun
          ? await count(`meeting WHERE case_id = ANY($1::uuid[]) AND minutes IS NOT NULL`, [ids])
          : await affected(em, `UPDATE meeting SET minutes = NULL WHERE case_id = ANY($1::uuid[]) AND minutes IS NOT NULL`, [ids]);
      } else {
        for (const { table } of CASE_TABLES.filter((t) => t.category === category)) {
          if (opts.dryRun) {
            rows += await count(`${table} WHERE case_id = ANY($1::uuid[])`, [ids]);
            continue;
          }
          rows += await clearReferences(table, "case_id = ANY($1::uuid[])", [ids]);
          rows += await affected(em, `DELETE FROM ${table} WHERE case_id = ANY($1::uuid[])`, [ids]);
        }
      }
      result.lines.push({ category, termYears: terms[category], cutoff, cases: ids.length, rowsErased: rows });
    }

    // the case record with what remains of it (involvements, regie, outbox events, emergency grants)
    const caseCutoff = await cutoffOf(terms.case);
    const due = await dueCases(caseCutoff);
    const ids = due.map((c) => c.id);
    let caseRows = 0;
    const rest = [...CASE_TABLES.map((t) => t.table), ...CASE_COMPANIONS];
    for (const table of rest) {
      if (opts.dryRun) {
        if (CASE_TABLES.some((t) => t.table === table && t.category === CATEGORIES.CASE) || CASE_COMPANIONS.includes(table))
          caseRows += await count(`${table} WHERE case_id = ANY($1::uuid[])`, [ids]);
        continue;
      }
      caseRows += await clearReferences(table, "case_id = ANY($1::uuid[])", [ids]);
      caseRows += await affected(em, `DELETE FROM ${table} WHERE case_id = ANY($1::uuid[])`, [ids]);
    }
    if (opts.dryRun) caseRows += ids.length;
    else {
      caseRows += await clearReferences("case_file", "id = ANY($1::uuid[])", [ids]);
      caseRows += await affected(em, `DELETE FROM case_file WHERE id = ANY($1::uuid[])`, [ids]);
    }
    result.lines.push({ category: CATEGORIES.CASE, termYears: terms.case, cutoff: caseCutoff, cases: ids.length, rowsErased: caseRows });

    // households whose last case is gone (now, or never had one and are older than the term)
    const identityCutoff = await cutoffOf(terms.identity);
    const families = (await em.query(
      `SELECT f.id FROM family f
        WHERE (f.id = ANY($1::uuid[]) OR f.created_at < $2)
          AND NOT EXISTS (SELECT 1 FROM case_file c WHERE c.family_id = f.id AND NOT (c.id = ANY($3::uuid[])))`,
      [[...new Set(due.map((c) => c.family_id))], identityCutoff, ids],
    )) as { id: string }[];
    const fids = families.map((f) => f.id);
    let identityRows = 0;
    if (opts.dryRun) identityRows = (await count(`family_member WHERE family_id = ANY($1::uuid[])`, [fids])) + fids.length;
    else {
      identityRows += await clearReferences("family_member", "family_id = ANY($1::uuid[])", [fids]);
      identityRows += await affected(em, `DELETE FROM family_member WHERE family_id = ANY($1::uuid[])`, [fids]);
      identityRows += await clearReferences("family", "id = ANY($1::uuid[])", [fids]);
      identityRows += await affected(em, `DELETE FROM family WHERE id = ANY($1::uuid[])`, [fids]);
    }
    result.lines.push({ category: CATEGORIES.IDENTITY, termYears: terms.identity, cutoff: identityCutoff, cases: ids.length, rowsErased: identityRows });

    // the access log: a prefix of its chain, with a new anchor (migration 0008)
    const logCutoff = await cutoffOf(config.RETENTION_ACCESS_LOG_YEARS);
    const logRows = opts.dryRun
      ? ((await em.query(
          `SELECT count(*)::int AS n FROM access_log WHERE seq <= coalesce((SELECT min(seq) - 1 FROM access_log WHERE at >= $1), (SELECT max(seq) FROM access_log))`,
          [logCutoff],
        )) as { n: number }[])[0].n
      : Number(((await em.query(`SELECT prune_access_log($1) AS n`, [logCutoff])) as { n: string }[])[0].n);
    result.lines.push({ category: CATEGORIES.ACCESS_LOG, termYears: config.RETENTION_ACCESS_LOG_YEARS, cutoff: logCutoff, cases: 0, rowsErased: logRows });

    for (const l of result.lines) {
      await em.query(
        `INSERT INTO retention_run (run_id, started_at, trigger, dry_run, category, term_years, cutoff, cases, rows_erased) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [runId, now, opts.trigger, opts.dryRun, l.category, l.termYears, l.cutoff, l.cases, l.rowsErased],
      );
    }
    return result;
  });
}

async function affected(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const [r] = (await em.query(`WITH x AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM x`, params)) as { n: number }[];
  return r.n;
}

/** Past runs (newest first): what the inspector asks to see. */
export async function retentionRuns(ds: DataSource, first: number): Promise<RetentionResult[]> {
  const rows = (await ds.query(
    `SELECT r.* FROM retention_run r WHERE r.run_id IN (SELECT run_id FROM retention_run GROUP BY run_id ORDER BY max(started_at) DESC LIMIT $1)
      ORDER BY r.started_at DESC, r.id`,
    [first],
  )) as { run_id: string; started_at: Date; trigger: RetentionResult["trigger"]; dry_run: boolean; category: string; term_years: number; cutoff: Date; cases: number; rows_erased: number }[];
  const runs = new Map<string, RetentionResult>();
  for (const r of rows) {
    let run = runs.get(r.run_id);
    if (!run) runs.set(r.run_id, (run = { runId: r.run_id, startedAt: r.started_at, trigger: r.trigger, dryRun: r.dry_run, skipped: false, lines: [] }));
    run.lines.push({ category: r.category, termYears: r.term_years, cutoff: r.cutoff, cases: r.cases, rowsErased: r.rows_erased });
  }
  return [...runs.values()];
}

/**
 * The schedule: every RETENTION_INTERVAL_MINUTES (0 = off), on every instance; the advisory
 * lock lets one of them do the work. The first run is one interval after start-up.
 */
export function scheduleRetention(ds: DataSource, config: Config, onError: (err: unknown) => void): () => void {
  retentionTerms(config); // a bad RETENTION_TERMS fails start-up, not the first run
  if (config.RETENTION_INTERVAL_MINUTES === 0) return () => undefined;
  const timer = setInterval(() => {
    runRetention(ds, config, { dryRun: false, trigger: "SCHEDULE" }).catch(onError);
  }, config.RETENTION_INTERVAL_MINUTES * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
