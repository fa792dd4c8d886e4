import type { Logger } from "../../common/logger.js";
import type { AppDeps } from "../../context.js";
import { writeChanges, type ChangeInput } from "../../realtime/outbox.js";
import { today } from "../consent/dates.js";
import { addDays, evaluateCase, worklistItems } from "./evaluate.js";
import { hasSeenTable, loadFacts } from "./facts.js";

/** Advisory lock key of the worklist job: one instance runs a tick at a time. */
const LOCK = 727275;

/**
 * One run of the worklist job: evaluates every open case (set-based, in chunks) and, for each
 * dated item that has become due — entered its warning window (INDICATOR_WARNING_DAYS before
 * its date) or passed it — records a worklist_notice and a WORKLIST_DUE change event in the same
 * transaction, once per (case, item, due date). Only the instance holding the advisory lock
 * runs; the unique constraint keeps it once even across restarts. Returns the events written.
 * `caseIds` limits the run (tests); `on` is the day to judge on.
 */
export async function runWorklistTick(deps: AppDeps, opts: { caseIds?: string[]; on?: string } = {}): Promise<number> {
  const on = opts.on ?? today();
  const config = deps.config;
  const horizon = addDays(on, config.INDICATOR_WARNING_DAYS);
  const written = await deps.ds.transaction(async (em) => {
    const [{ locked }] = (await em.query("SELECT pg_try_advisory_xact_lock($1) AS locked", [LOCK])) as { locked: boolean }[];
    if (!locked) return [] as ChangeInput[];
    const cases = (await em.query(
      `SELECT id FROM case_file WHERE status = 'OPEN' ${opts.caseIds ? "AND id = ANY($1::uuid[])" : ""} ORDER BY id`,
      opts.caseIds ? [opts.caseIds] : [],
    )) as { id: string }[];
    const changes: ChangeInput[] = [];
    for (let i = 0; i < cases.length; i += 1000) {
      const facts = await loadFacts(deps.ds, cases.slice(i, i + 1000).map((c) => ({ caseId: c.id, ref: on })), em);
      const rows: [string, string, string, string, string, string][] = [];
      const regieOf = new Map<string, string[]>();
      for (const f of facts.values()) {
        regieOf.set(f.caseId, [...new Set(f.regie.map((r) => r.orgId))].sort());
        for (const item of worklistItems(evaluateCase(f, config))) {
          if (item.dueOn && item.dueOn <= horizon) rows.push([f.caseId, item.key, item.kind, item.indicator, item.dueOn, item.text.slice(0, 1000)]);
        }
      }
      if (rows.length === 0) continue;
      const col = (n: number) => rows.map((r) => r[n]);
      const inserted = (await em.query(
        `INSERT INTO worklist_notice (case_id, item_key, kind, indicator, due_on, text)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[])
         ON CONFLICT (case_id, item_key, due_on) DO NOTHING RETURNING id, case_id`,
        [col(0), col(1), col(2), col(3), col(4), col(5)],
      )) as { id: string; case_id: string }[];
      for (const r of inserted) {
        changes.push({ kind: "WORKLIST_DUE", entity: "WorklistNotice", entityId: r.id, caseId: r.case_id, organisationIds: regieOf.get(r.case_id) ?? [] });
      }
    }
    const ids = await writeChanges(em, null, changes);
    return changes.map((c, i) => ({ ...c, id: ids[i] }));
  });
  if (written.length) deps.afterCommit(written);
  return written.length;
}

/** Runs the job every WORKLIST_JOB_INTERVAL_SECONDS (0: never), the first time 5 s after start. Returns a stop function. */
export function startWorklistJob(deps: AppDeps, log: Logger): () => Promise<void> {
  // at start-up (after the migrations): does the safety_agreement_seen table exist? (facts.ts)
  void hasSeenTable(deps.ds).then(
    (present) => log.info({ safetyAgreementSeen: present }, "indicators: safety plan 'known to all' uses " + (present ? "who has seen it" : "who it is shared with")),
    () => undefined,
  );
  const seconds = deps.config.WORKLIST_JOB_INTERVAL_SECONDS;
  if (!seconds) return async () => undefined;
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = runWorklistTick(deps)
      .then((n) => n && log.info({ events: n }, "worklist: items became due"))
      .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, "worklist job failed"))
      .finally(() => (running = undefined));
  };
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, seconds * 1000);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
