import type { DataSource } from "typeorm";
import { CATEGORIES } from "../../access/categories.js";
import { decideRead } from "../../access/decide.js";
import { mayViewIndicators, type IndicatorView } from "../../access/policy.js";
import { VISIBLE_CASE_SQL } from "../../access/rows.js";
import { BadInputError, ForbiddenError } from "../../common/errors.js";
import type { Config } from "../../config.js";
import type { Ctx } from "../../context.js";
import { today } from "../consent/dates.js";
import { INDICATORS, type IndicatorCode } from "./definitions.js";
import { addDays, evaluateCase, REASONS, worklistItems, type DueItem, type IndicatorResult } from "./evaluate.js";
import { factsAt, loadHistories, type CaseFacts } from "./facts.js";
import type {
  CaseIndicator,
  IndicatorCount,
  NetworkIndicatorFigure,
  NetworkIndicators,
  OrganisationIndicatorFigure,
  OrganisationIndicators,
  WorklistEntry,
  WorklistItem,
} from "./indicators.type.js";

const DEF = new Map(INDICATORS.map((d) => [d.code, d]));

function assertView(ctx: Ctx, view: IndicatorView): void {
  if (!mayViewIndicators(ctx.viewer.role, view)) throw new ForbiddenError(`Your role may not read ${view} indicators`, { category: "indicators" });
}

export function toItem(d: DueItem, on: string, warningDays: number): WorklistItem {
  return {
    kind: d.kind,
    indicator: d.indicator,
    dueOn: d.dueOn,
    overdue: d.dueOn !== null && d.dueOn < on,
    dueSoon: d.dueOn === null || d.dueOn <= addDays(on, warningDays),
    text: d.text,
  };
}

/**
 * Evaluates many (case, date) pairs: each case's history read once (one statement per 1,000
 * cases), cut at each date and judged by the pure rules.
 */
export async function evaluatePairs(ds: DataSource, config: Config, pairs: { caseId: string; ref: string }[]): Promise<Map<string, { facts: CaseFacts; results: IndicatorResult[] }>> {
  const out = new Map<string, { facts: CaseFacts; results: IndicatorResult[] }>();
  const byCase = new Map<string, string[]>();
  for (const p of pairs) byCase.set(p.caseId, [...(byCase.get(p.caseId) ?? []), p.ref]);
  const ids = [...byCase.keys()];
  for (let i = 0; i < ids.length; i += 1000) {
    const histories = await loadHistories(ds, ids.slice(i, i + 1000));
    for (const [id, h] of histories) {
      for (const ref of byCase.get(id)!) {
        const facts = factsAt(h, ref);
        out.set(`${id}|${ref}`, { facts, results: evaluateCase(facts, config) });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Per case

/** Case.indicators, batched per request: all cases of a page in one facts statement. */
export async function caseIndicators(ctx: Ctx, caseId: string): Promise<CaseIndicator[]> {
  const on = today();
  const loader = ctx.loaders.custom<string, CaseIndicator[]>("indicators.case", async (ids) => {
    const evaluated = await evaluatePairs(ctx.ds, ctx.deps.config, ids.map((id) => ({ caseId: id, ref: on })));
    return ids.map((id) => {
      const e = evaluated.get(`${id}|${on}`);
      return e ? toCaseIndicators(e.results, e.facts.ref, on, ctx.deps.config.INDICATOR_WARNING_DAYS) : [];
    });
  });
  return loader.load(caseId);
}

function toCaseIndicators(results: IndicatorResult[], ref: string, on: string, warningDays: number): CaseIndicator[] {
  return results.map((r) => {
    const d = DEF.get(r.code)!;
    return {
      number: r.number,
      code: r.code,
      theme: d.theme,
      title: d.title,
      status: r.status,
      evaluatedOn: ref,
      evidence: r.evidence,
      missing: r.missing.map((m) => m.text),
      due: worklistItems([r]).map((i) => toItem(i, on, warningDays)),
    };
  });
}

/**
 * Of these cases, those whose indicators the viewer may read now (visible, and the policy allows
 * `indicators` for the viewer's effective role there), in order; each is recorded as read for the
 * access log. One access statement for all of them (the request's batched loader).
 */
async function readableCases(ctx: Ctx, caseIds: string[]): Promise<string[]> {
  const found = await Promise.all(caseIds.map((id) => ctx.access.load(id)));
  const out: string[] = [];
  for (const f of found) {
    if (!f || !decideRead(ctx.viewer, f.access, CATEGORIES.INDICATORS).allowed) continue;
    ctx.access.recordRead(f.access, CATEGORIES.INDICATORS);
    out.push(f.access.caseId);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Worklist

/** The open cases the viewer holds casusregie or procesregie in (and can see), most urgent first. */
export async function myWorklist(ctx: Ctx): Promise<WorklistEntry[]> {
  assertView(ctx, "case");
  const on = today();
  const rows = (await ctx.ds.query(
    `SELECT DISTINCT r.case_id FROM regie_assignment r JOIN case_file c ON c.id = r.case_id
      WHERE r.professional_id = $1 AND r.ended_at IS NULL AND c.status = 'OPEN'
        AND ${VISIBLE_CASE_SQL.replaceAll("{case}", "c.id").replaceAll("{org}", "$2")}`,
    [ctx.viewer.professionalId, ctx.viewer.organisationId],
  )) as { case_id: string }[];
  const readable = await readableCases(ctx, rows.map((r) => r.case_id));
  const evaluated = await evaluatePairs(ctx.ds, ctx.deps.config, readable.map((id) => ({ caseId: id, ref: on })));
  const warn = ctx.deps.config.INDICATOR_WARNING_DAYS;
  const entries: WorklistEntry[] = readable.map((caseId) => {
    const e = evaluated.get(`${caseId}|${on}`)!;
    const items = worklistItems(e.results).map((i) => toItem(i, on, warn));
    return {
      caseId,
      firstDueOn: items.find((i) => i.dueOn)?.dueOn ?? null,
      overdueCount: items.filter((i) => i.overdue).length,
      notMetCount: e.results.filter((x) => x.status === "NOT_MET").length,
      items,
    };
  });
  return entries.sort((a, b) => {
    if (a.firstDueOn !== b.firstDueOn) {
      if (a.firstDueOn === null) return 1;
      if (b.firstDueOn === null) return -1;
      return a.firstDueOn < b.firstDueOn ? -1 : 1;
    }
    return b.notMetCount - a.notMetCount || (a.caseId < b.caseId ? -1 : 1);
  });
}

// ---------------------------------------------------------------------------------------------
// Periods

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_MONTHS = 24;

export interface Period {
  from: string;
  to: string;
  /** judged on: min(to, today) */
  ref: string;
  months: { month: string; start: string; end: string }[];
}

/** A period of at most 24 months; default: the last 12 months up to today. */
export function period(from: string | undefined | null, to: string | undefined | null, on = today()): Period {
  for (const [name, v] of [["from", from], ["to", to]] as const) {
    if (v != null && (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)) {
      throw new BadInputError(name, "must be a date YYYY-MM-DD");
    }
  }
  const t = to ?? on;
  const f = from ?? `${addMonthsYm(t.slice(0, 7), -11)}-01`;
  if (f > t) throw new BadInputError("from", "must not be after to");
  if (f > on) throw new BadInputError("from", "must not be in the future");
  const ref = t < on ? t : on;
  const months: Period["months"] = [];
  for (let m = f.slice(0, 7); m <= ref.slice(0, 7); m = addMonthsYm(m, 1)) {
    const start = `${m}-01` < f ? f : `${m}-01`;
    const last = addDays(`${addMonthsYm(m, 1)}-01`, -1);
    months.push({ month: m, start, end: last < ref ? last : ref });
    if (months.length > MAX_MONTHS) throw new BadInputError("from", `the period may span at most ${MAX_MONTHS} months`);
  }
  return { from: f, to: t, ref, months };
}

function addMonthsYm(ym: string, n: number): string {
  const [y, m] = ym.split("-").map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${String(Math.floor(total / 12)).padStart(4, "0")}-${String((total % 12) + 1).padStart(2, "0")}`;
}

interface ScopedCase {
  id: string;
  /** first and last day the case counts in scope (involvement of the organisation, or open at all) */
  since: string;
  until: string | null;
}

/** The cases in scope during the period (all of the network, or those the organisation was involved in). */
async function casesInScope(ds: DataSource, p: Period, organisationId?: string): Promise<ScopedCase[]> {
  const rows = (await ds.query(
    organisationId
      ? `SELECT c.id, to_char(GREATEST(c.opened_at::date, min(i.started_at::date)), 'YYYY-MM-DD') AS since,
                to_char(CASE WHEN bool_or(i.ended_at IS NULL) THEN c.closed_at::date ELSE LEAST(coalesce(c.closed_at::date, 'infinity'), max(i.ended_at::date)) END, 'YYYY-MM-DD') AS until
           FROM case_file c JOIN involvement i ON i.case_id = c.id AND i.organisation_id = $3
          WHERE c.opened_at::date <= $2 AND (c.closed_at IS NULL OR c.closed_at::date >= $1)
            AND i.started_at::date <= $2 AND (i.ended_at IS NULL OR i.ended_at::date >= $1)
          GROUP BY c.id`
      : `SELECT c.id, to_char(c.opened_at::date, 'YYYY-MM-DD') AS since, to_char(c.closed_at::date, 'YYYY-MM-DD') AS until
           FROM case_file c WHERE c.opened_at::date <= $2 AND (c.closed_at IS NULL OR c.closed_at::date >= $1)`,
    organisationId ? [p.from, p.ref, organisationId] : [p.from, p.ref],
  )) as ScopedCase[];
  return rows;
}

interface Evaluated {
  period: { caseId: string; results: IndicatorResult[] }[];
  months: { month: string; cases: { caseId: string; results: IndicatorResult[] }[] }[];
}

/** Every case of the scope at the end of the period and at the end of each month: one history statement per 1,000 cases. */
async function evaluatePeriod(ds: DataSource, config: Config, p: Period, cases: ScopedCase[]): Promise<Evaluated> {
  const active = (c: ScopedCase, start: string, end: string) => c.since <= end && (c.until === null || c.until >= start);
  const pairs: { caseId: string; ref: string }[] = [];
  for (const c of cases) {
    pairs.push({ caseId: c.id, ref: p.ref });
    for (const m of p.months) if (active(c, m.start, m.end)) pairs.push({ caseId: c.id, ref: m.end });
  }
  const evaluated = await evaluatePairs(ds, config, pairs);
  const pick = (id: string, ref: string) => evaluated.get(`${id}|${ref}`)?.results;
  return {
    period: cases.flatMap((c) => {
      const results = pick(c.id, p.ref);
      return results ? [{ caseId: c.id, results }] : [];
    }),
    months: p.months.map((m) => ({
      month: m.month,
      cases: cases.filter((c) => active(c, m.start, m.end)).flatMap((c) => {
        const results = pick(c.id, m.end);
        return results ? [{ caseId: c.id, results }] : [];
      }),
    })),
  };
}

function count(code: IndicatorCode, set: { results: IndicatorResult[] }[]): IndicatorCount {
  const d = DEF.get(code)!;
  let met = 0;
  let notMet = 0;
  let na = 0;
  for (const c of set) {
    const s = c.results[d.number - 1].status;
    if (s === "MET") met++;
    else if (s === "NOT_MET") notMet++;
    else na++;
  }
  const applicable = met + notMet;
  return { number: d.number, code, title: d.title, applicable, met, notMet, notApplicable: na, share: applicable ? Math.round((met / applicable) * 1000) / 1000 : null };
}

// ---------------------------------------------------------------------------------------------
// Organisation (MANAGER)

export async function organisationIndicators(ctx: Ctx, from?: string | null, to?: string | null): Promise<OrganisationIndicators> {
  assertView(ctx, "organisation");
  const p = period(from, to);
  const orgId = ctx.viewer.organisationId;
  const [org] = (await ctx.ds.query("SELECT name FROM organisation WHERE id = $1", [orgId])) as { name: string }[];
  const cases = await casesInScope(ctx.ds, p, orgId);
  const ev = await evaluatePeriod(ctx.ds, ctx.deps.config, p, cases);
  // the figures count every case the organisation was involved in; the cases behind them are
  // only those it can still see (and their reads are logged)
  const listed = new Set(await readableCases(ctx, ev.period.map((c) => c.caseId)));
  const figures: OrganisationIndicatorFigure[] = INDICATORS.map((d) => {
    const refs = ev.period.filter((c) => listed.has(c.caseId)).map((c) => {
      const r = c.results[d.number - 1];
      return { caseId: c.caseId, status: r.status, missing: r.missing.map((m) => m.text) };
    });
    return {
      ...count(d.code, ev.period),
      theme: d.theme,
      notMetCases: refs.filter((r) => r.status === "NOT_MET").sort((a, b) => b.missing.length - a.missing.length || (a.caseId < b.caseId ? -1 : 1)),
      metCases: refs.filter((r) => r.status === "MET"),
    };
  });
  return {
    organisationId: orgId,
    organisationName: org?.name ?? "",
    from: p.from,
    to: p.to,
    cases: ev.period.length,
    figures,
    trend: ev.months.map((m) => ({ month: m.month, cases: m.cases.length, figures: INDICATORS.map((d) => count(d.code, m.cases)) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Network (AUDITOR, MANAGER): anonymised

/** Counts only; a figure over fewer than `min` applicable cases is null and suppressed. */
function networkFigure(code: IndicatorCode, set: { results: IndicatorResult[] }[], min: number, withReasons: boolean): NetworkIndicatorFigure {
  const d = DEF.get(code)!;
  const c = count(code, set);
  const suppressed = c.applicable < min;
  const reasons: { reason: string; cases: number }[] = [];
  if (withReasons && !suppressed) {
    const per = new Map<string, number>();
    for (const x of set) for (const reason of new Set(x.results[d.number - 1].missing.map((m) => m.reason))) per.set(reason, (per.get(reason) ?? 0) + 1);
    for (const [reason, n] of per) if (n >= min) reasons.push({ reason: REASONS[reason] ?? reason, cases: n });
    reasons.sort((a, b) => b.cases - a.cases || (a.reason < b.reason ? -1 : 1));
  }
  return {
    number: d.number,
    code,
    theme: d.theme,
    title: d.title,
    suppressed,
    applicable: suppressed ? null : c.applicable,
    met: suppressed ? null : c.met,
    notMet: suppressed ? null : c.notMet,
    share: suppressed ? null : c.share,
    reasons: reasons.slice(0, 5),
  };
}

export async function networkIndicators(ctx: Ctx, from?: string | null, to?: string | null): Promise<NetworkIndicators> {
  assertView(ctx, "network");
  return computeNetworkIndicators(ctx.ds, ctx.deps.config, from, to);
}

/** Also used by the HTTP reports (after the same access decision). */
export async function computeNetworkIndicators(ds: DataSource, config: Config, from?: string | null, to?: string | null): Promise<NetworkIndicators> {
  const p = period(from, to);
  const min = config.INDICATOR_MIN_CELL;
  const ev = await evaluatePeriod(ds, config, p, await casesInScope(ds, p));
  const total = ev.period.length;
  return {
    from: p.from,
    to: p.to,
    minimumCellSize: min,
    suppressed: total < min,
    cases: total < min ? null : total,
    figures: INDICATORS.map((d) => networkFigure(d.code, ev.period, min, true)),
    trend: ev.months.map((m) => ({
      month: m.month,
      suppressed: m.cases.length < min,
      cases: m.cases.length < min ? null : m.cases.length,
      figures: INDICATORS.map((d) => networkFigure(d.code, m.cases, min, false)),
    })),
  };
}
