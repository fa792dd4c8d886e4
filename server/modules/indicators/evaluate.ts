import type { Config } from "../../config.js";
import { addMonths } from "../monitoring/dates.js";
import { INDICATORS, LIFE_DOMAIN_NL, type IndicatorCode, type IndicatorStatus, type WorklistKind } from "./definitions.js";
import type { CaseFacts } from "./facts.js";

/** The record an indicator's outcome rests on. */
export interface Evidence {
  recordType: string;
  recordId: string;
  date: string | null;
  note: string | null;
}

/** Something to do by a date (or now, when undated): the worklist is made of these. */
export interface DueItem {
  /** stable per case: the worklist job notifies once per (case, key, dueOn) */
  key: string;
  kind: WorklistKind;
  indicator: IndicatorCode;
  dueOn: string | null;
  text: string;
}

/** Why an indicator is not met: a reason code (countable across cases) and the case's own text. */
export interface Missing {
  reason: string;
  text: string;
}

export interface IndicatorResult {
  number: number;
  code: IndicatorCode;
  status: IndicatorStatus;
  evidence: Evidence[];
  missing: Missing[];
  due: DueItem[];
}

export type Thresholds = Pick<
  Config,
  | "INDICATOR_RISK_MAX_AGE_DAYS"
  | "INDICATOR_RISK_FIRST_DAYS"
  | "INDICATOR_SAFETY_PLAN_DAYS"
  | "INDICATOR_SIGNAL_ACK_DAYS"
  | "INDICATOR_MEETING_MAX_AGE_DAYS"
  | "INDICATOR_EVALUATION_DUE_DAYS"
  | "INDICATOR_WARNING_DAYS"
>;

/**
 * Reasons an indicator is not met, as generic Dutch labels (no names, no case data): the network
 * report counts cases per reason ("wat kan beter").
 */
export const REASONS: Record<string, string> = {
  NO_WRITTEN_HANDOVER: "geen schriftelijke overdracht ontvangen",
  NO_HELP_OVERVIEW: "geen overzicht van betrokken hulpverlening bij de overdracht",
  NO_SAFETY_CONDITIONS: "geen veiligheidsvoorwaarden (veiligheidsplan) bij de overdracht",
  NO_RISK: "geen risicotaxatie vastgelegd",
  RISK_OUTDATED: "geen recente risicotaxatie",
  NO_MEASURE_AFTER_HIGH_RISK: "geen maatregel (MDO of kernbeslissing) na hoog risico",
  NO_MONITORING_PLANNED: "geen VT-monitoring gepland",
  MONITORING_OVERDUE: "VT-monitoring niet op tijd uitgevoerd",
  NO_SAFETY_PLAN: "geen veiligheidsplan",
  PLAN_NOT_WITH_CLIENT: "veiligheidsplan niet samen met de cliënt gemaakt",
  NO_AGREEMENTS: "geen veiligheidsafspraken",
  NO_REPORT_TO: "niet vastgelegd aan wie over een afspraak gerapporteerd wordt",
  NOT_SHARED: "veiligheidsplan niet gedeeld met alle betrokken organisaties",
  NOT_SEEN: "veiligheidsplan niet gezien door alle betrokken organisaties",
  NOT_PRIORITISED: "veiligheidsafspraken niet geprioriteerd",
  NO_TERM: "veiligheidsafspraak zonder termijn",
  NO_REGISSEUR: "geen casusregisseur",
  DOMAIN_MISSING: "leefgebied niet in kaart gebracht",
  NO_PLAN: "geen gezamenlijk plan",
  NO_HELP_QUESTION: "hulpvraag niet vastgelegd",
  NO_FAMILY_WORDS: "eigen woorden van het gezin niet vastgelegd",
  CHILDREN_NOT_HEARD: "kinderen niet gehoord",
  NO_CHILDREN_WORDS: "eigen woorden van de kinderen niet vastgelegd",
  NO_PROBLEM_ANALYSIS: "geen gedeelde probleemanalyse",
  PARTIAL_PLAN_NOT_LINKED: "deelplan niet afgestemd op het plan",
  NO_NETWORK: "sociaal netwerk niet in kaart gebracht",
  NETWORK_NOT_USED: "sociaal netwerk niet ingezet",
  NO_CONSENT: "geen toestemming of vastgelegde afweging voor het delen van informatie",
  SIGNAL_NOT_ACKNOWLEDGED: "signaal van een ketenpartner niet op tijd opgepakt",
  NO_RECENT_MDO: "geen recent MDO",
  NO_EVALUATION: "geen evaluatie op casusniveau",
  EVALUATION_OUTDATED: "geen recente evaluatie",
  EVALUATION_WITHOUT_FAMILY: "evaluatie niet samen met het gezin",
  EVALUATION_WITHOUT_ORGANISATIONS: "evaluatie zonder andere betrokken organisaties",
  NO_CLIENT_EXPERIENCE: "ervaring van de cliënt niet gebruikt",
  RISK_NOT_COMPARED: "risico bij de start niet vergeleken met het risico nu",
  PARTIAL_PLAN_NOT_EVALUATED: "resultaten van een deelplan niet geëvalueerd",
  ORGANISATION_NOT_IN_EVALUATION: "niet alle betrokken organisaties namen deel aan de evaluatie",
};

/** "YYYY-MM-DD" arithmetic in UTC (calendar dates have no time zone); memoised: figures judge thousands of cases. */
const dayNumbers = new Map<string, number>();
const dayStrings = new Map<number, string>();
function dayNumber(date: string): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    if (dayNumbers.size > 50_000) dayNumbers.clear();
    n = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    dayNumbers.set(date, n);
  }
  return n;
}
function dayString(n: number): string {
  let s = dayStrings.get(n);
  if (s === undefined) {
    if (dayStrings.size > 50_000) dayStrings.clear();
    s = new Date(n * 86_400_000).toISOString().slice(0, 10);
    dayStrings.set(n, s);
  }
  return s;
}
export function addDays(date: string, days: number): string {
  return dayString(dayNumber(date) + days);
}
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
/** Dutch date: 1-12-2026 */
export const nl = (date: string) => {
  const [y, m, d] = date.split("-");
  return `${Number(d)}-${Number(m)}-${y}`;
};

/** Organisations that run the case (hold regie; before a regisseur is assigned: the receiving team). */
function regieOrgIds(f: CaseFacts): Set<string> {
  const ids = new Set(f.regie.filter((r) => r.kind === "CASE").map((r) => r.orgId));
  if (ids.size === 0) for (const o of f.involved) if (o.kind === "SOCIAL_TEAM" || o.kind === "REGIETEAM") ids.add(o.orgId);
  return ids;
}

/** Partners that need consent (or a recorded decision) to receive the case's information. */
const NO_CONSENT_NEEDED = new Set(["VEILIG_THUIS", "SOCIAL_TEAM", "REGIETEAM", "MUNICIPALITY"]);

class Builder {
  readonly evidence: Evidence[] = [];
  readonly missing: Missing[] = [];
  readonly due: DueItem[] = [];
  notApplicable = false;
  constructor(readonly code: IndicatorCode) {}

  ev(recordType: string, recordId: string, date: string | null, note: string | null = null) {
    this.evidence.push({ recordType, recordId, date, note });
  }
  /** A condition not fulfilled; with `due` it is also a dated worklist item, else an undated one. */
  fail(reason: string, text: string, due?: { key: string; kind: WorklistKind; dueOn: string; text?: string }) {
    this.missing.push({ reason, text });
    if (due) this.todo(due.key, due.kind, due.dueOn, due.text ?? text);
    else this.todo(`${this.code}:${reason}:${text}`, "MISSING", null, text);
  }
  /** Something to do by a date that does not (yet) make the indicator fail. */
  todo(key: string, kind: WorklistKind, dueOn: string | null, text: string) {
    if (!this.due.some((d) => d.key === key)) this.due.push({ key, kind, indicator: this.code, dueOn, text });
  }
  result(number: number): IndicatorResult {
    const status: IndicatorStatus = this.notApplicable ? "NOT_APPLICABLE" : this.missing.length ? "NOT_MET" : "MET";
    return { number, code: this.code, status, evidence: this.evidence, missing: this.notApplicable ? [] : this.missing, due: this.due };
  }
}

/** "over 7 dagen" / "vandaag" / "7 dagen te laat" relative to the reference date. */
function when(dueOn: string, ref: string): string {
  const d = daysBetween(ref, dueOn);
  if (d === 0) return "vandaag";
  if (d > 0) return `over ${d} ${d === 1 ? "dag" : "dagen"} (${nl(dueOn)})`;
  return `${-d} ${d === -1 ? "dag" : "dagen"} te laat (${nl(dueOn)})`;
}

/**
 * Evaluates the twelve indicators for one case as it stood on `facts.ref`: MET / NOT_MET /
 * NOT_APPLICABLE, with the evidence, what is missing (Dutch, never client data or free text:
 * only organisation names, priorities and dates) and what is due when.
 */
export function evaluateCase(f: CaseFacts, t: Thresholds): IndicatorResult[] {
  const ref = f.ref;
  const open = f.closedOn === null;
  const regieOrgs = regieOrgIds(f);
  const caseRegie = f.regie.filter((r) => r.kind === "CASE");
  const b = new Map<IndicatorCode, Builder>(INDICATORS.map((d) => [d.code, new Builder(d.code)]));
  const get = (c: IndicatorCode) => b.get(c)!;

  // 1 — overdracht
  {
    const x = get("HANDOVER");
    const h = f.handover;
    if (!h) x.notApplicable = true;
    else {
      x.ev("Handover", h.id, h.writtenOn ?? h.on, h.warmOn ? `warme overdracht op ${nl(h.warmOn)}` : "geen warme overdracht vastgelegd");
      if (!h.written) x.fail("NO_WRITTEN_HANDOVER", "geen schriftelijke overdracht van Veilig Thuis ontvangen");
      if (!h.helpOverview) x.fail("NO_HELP_OVERVIEW", "overdracht zonder overzicht van de betrokken hulpverlening");
      if (h.conditions === 0) x.fail("NO_SAFETY_CONDITIONS", "overdracht zonder veiligheidsvoorwaarden (veiligheidsplan van Veilig Thuis)");
    }
  }

  // 2 — zicht op veiligheid
  {
    const x = get("SIGHT_ON_SAFETY");
    const latest = f.risks.at(-1);
    if (!latest) {
      const dueOn = addDays(f.openedOn, t.INDICATOR_RISK_FIRST_DAYS);
      x.fail("NO_RISK", "geen risicotaxatie vastgelegd", { key: "RISK_ASSESSMENT", kind: "RISK_ASSESSMENT", dueOn, text: `eerste risicotaxatie ${when(dueOn, ref)}` });
    } else {
      x.ev("RiskAssessment", latest.id, latest.on, `niveau ${latest.level}`);
      const dueOn = addDays(latest.on, t.INDICATOR_RISK_MAX_AGE_DAYS);
      if (dueOn < ref) {
        x.fail("RISK_OUTDATED", `geen risicotaxatie in de laatste ${t.INDICATOR_RISK_MAX_AGE_DAYS} dagen`, {
          key: "RISK_ASSESSMENT",
          kind: "RISK_ASSESSMENT",
          dueOn,
          text: `nieuwe risicotaxatie ${when(dueOn, ref)}`,
        });
      } else if (open) x.todo("RISK_ASSESSMENT", "RISK_ASSESSMENT", dueOn, `nieuwe risicotaxatie ${when(dueOn, ref)}`);
      if (latest.level === "HIGH" || latest.level === "ACUTE") {
        const meeting = f.meetings.find((m) => m.scheduledOn >= latest.on);
        const decision = f.keyDecisions.find((k) => k.on >= latest.on);
        if (meeting) x.ev("Meeting", meeting.id, meeting.heldOn ?? meeting.scheduledOn, "MDO na hoog risico");
        else if (decision) x.ev("KeyDecision", decision.id, decision.on, "kernbeslissing na hoog risico");
        else x.fail("NO_MEASURE_AFTER_HIGH_RISK", `geen MDO of kernbeslissing na het ${latest.level === "ACUTE" ? "acute" : "hoge"} risico van ${nl(latest.on)}`);
      }
    }
    if (f.handover) {
      for (const m of f.monitoring) if (m.contactedOn) x.ev("MonitoringContact", m.id, m.contactedOn, m.safetyRestored === false ? "veiligheid nog niet hersteld" : null);
      if (f.monitoring.length === 0) {
        const dueOn = addMonths(f.handover.on, f.handover.intervalMonths);
        x.fail("NO_MONITORING_PLANNED", "geen VT-monitoring gepland", { key: "MONITORING", kind: "MONITORING", dueOn, text: `VT-monitoring ${when(dueOn, ref)} (niet gepland)` });
      }
      for (const m of f.monitoring) {
        if (m.contactedOn) continue;
        if (m.dueOn < ref) {
          x.fail("MONITORING_OVERDUE", `VT-monitoring niet uitgevoerd (gepland op ${nl(m.dueOn)})`, {
            key: `MONITORING:${m.id}`,
            kind: "MONITORING",
            dueOn: m.dueOn,
            text: `VT-monitoring ${when(m.dueOn, ref)}`,
          });
        } else if (open) x.todo(`MONITORING:${m.id}`, "MONITORING", m.dueOn, `VT-monitoring ${when(m.dueOn, ref)}`);
      }
    }
  }

  // 3 — veiligheidsplan, bekend bij alle betrokkenen
  const agreements = f.agreements;
  {
    const x = get("SAFETY_PLAN");
    const p = f.safetyPlan;
    if (!p) {
      const dueOn = addDays(f.openedOn, t.INDICATOR_SAFETY_PLAN_DAYS);
      x.fail("NO_SAFETY_PLAN", "geen veiligheidsplan", { key: "SAFETY_PLAN", kind: "SAFETY_PLAN", dueOn, text: `veiligheidsplan opstellen ${when(dueOn, ref)}` });
    } else {
      x.ev("SafetyPlan", p.id, p.createdOn, p.madeWithClient ? "samen met de cliënt gemaakt" : null);
      if (!p.madeWithClient) x.fail("PLAN_NOT_WITH_CLIENT", "veiligheidsplan niet samen met de cliënt gemaakt");
      if (agreements.length === 0) x.fail("NO_AGREEMENTS", "veiligheidsplan zonder afspraken");
      for (const a of agreements) if (!a.reportTo) x.fail("NO_REPORT_TO", `afspraak met prioriteit ${a.priority}: niet vastgelegd aan wie gerapporteerd wordt`);
      if (agreements.length) {
        const live = new Map(agreements.map((a) => [a.id, a]));
        // Veilig Thuis set the safety conditions and reads the whole plan: not counted here
        for (const o of f.involved) {
          if (regieOrgs.has(o.orgId) || o.kind === "VEILIG_THUIS") continue;
          const shared = f.shares.filter((s) => s.orgId === o.orgId && live.has(s.agreementId));
          if (shared.length === 0) {
            x.fail("NOT_SHARED", `veiligheidsplan niet gedeeld met ${o.name}`);
            continue;
          }
          if (f.seen) {
            const unseen = shared.filter((s) => !f.seen!.some((v) => v.agreementId === s.agreementId && v.orgId === o.orgId && v.version >= live.get(s.agreementId)!.version));
            if (unseen.length) x.fail("NOT_SEEN", `veiligheidsplan niet gezien door ${o.name}`);
          }
        }
      }
    }
  }

  // 4 — veiligheidsdoelen geprioriteerd en concreet; duidelijk wie regie voert
  {
    const x = get("SAFETY_GOALS_AND_REGIE");
    const live = agreements.filter((a) => a.status === "ACTIVE" || a.status === "PROPOSED");
    if (agreements.length === 0) x.fail("NO_AGREEMENTS", "geen veiligheidsafspraken (doelen in het veiligheidsplan)");
    const seen = new Map<number, number>();
    for (const a of agreements) seen.set(a.priority, (seen.get(a.priority) ?? 0) + 1);
    for (const [prio, n] of seen) if (n > 1) x.fail("NOT_PRIORITISED", `${n} veiligheidsafspraken met dezelfde prioriteit ${prio}`);
    for (const a of live) {
      if (!a.dueOn) x.fail("NO_TERM", `veiligheidsafspraak met prioriteit ${a.priority} zonder termijn`);
      else if (open) x.todo(`AGREEMENT:${a.id}`, "AGREEMENT", a.dueOn, `veiligheidsafspraak (prioriteit ${a.priority}) ${a.dueOn < ref ? "termijn verstreken" : "termijn"}: ${when(a.dueOn, ref)}`);
    }
    if (caseRegie.length === 0) x.fail("NO_REGISSEUR", "geen casusregisseur");
    for (const r of caseRegie) x.ev("RegieAssignment", r.id, r.since, "casusregie");
  }

  // 5 — passende hulp: leefgebieden, zelfredzaamheid, hulpvraag met gezin en kinderen
  {
    const x = get("FITTING_HELP");
    const have = new Map(f.domains.map((d) => [d.domain, d]));
    const required: string[][] = [["FINANCES"], ["HOUSING"], ["MENTAL_HEALTH"], ["BASIC_ADL", "INSTRUMENTAL_ADL", "TIME_USE"], ["SOCIAL_NETWORK"]];
    if (f.hasChildren) required.push(["DOMESTIC_RELATIONS"]);
    for (const alternatives of required) {
      if (!alternatives.some((d) => have.has(d))) {
        x.fail("DOMAIN_MISSING", `leefgebied ${alternatives.map((d) => LIFE_DOMAIN_NL[d]).join(" / ")} niet in kaart gebracht`);
      }
    }
    const last = [...have.values()].sort((a, b) => (a.on < b.on ? 1 : -1))[0];
    if (last) x.ev("LifeDomainScore", last.id, last.on, `${have.size} van 13 leefgebieden gescoord`);
    const p = f.plan;
    if (!p) x.fail("NO_PLAN", "geen plan: hulpvraag niet met het gezin geformuleerd");
    else {
      x.ev("Plan", p.id, p.createdOn);
      if (!p.helpQuestion) x.fail("NO_HELP_QUESTION", "hulpvraag niet vastgelegd");
      if (!p.familyWords) x.fail("NO_FAMILY_WORDS", "eigen woorden van het gezin niet vastgelegd");
      if (f.hasChildren) {
        if (!p.childrenHeard) x.fail("CHILDREN_NOT_HEARD", "kinderen niet gehoord");
        if (!p.childrenWords) x.fail("NO_CHILDREN_WORDS", "eigen woorden van de kinderen niet vastgelegd");
      }
    }
  }

  // 6 — 1 gezin, 1 plan, 1 regisseur; deelplannen afgestemd; eigen kracht
  {
    const x = get("ONE_PLAN");
    const p = f.plan;
    if (!p) x.fail("NO_PLAN", "geen gezamenlijk plan");
    else {
      x.ev("Plan", p.id, p.createdOn);
      if (!p.problemAnalysis) x.fail("NO_PROBLEM_ANALYSIS", "geen gedeelde probleemanalyse in het plan");
    }
    if (caseRegie.length === 0) x.fail("NO_REGISSEUR", "niet vastgelegd wie regie voert (geen casusregisseur)");
    for (const pp of f.partialPlans) {
      if (!f.goals.some((g) => g.partialPlanId === pp.id)) x.fail("PARTIAL_PLAN_NOT_LINKED", `deelplan van ${pp.name} niet gekoppeld aan doelen in het plan`);
      else x.ev("PartialPlan", pp.id, null, pp.name);
    }
    if (f.network.length === 0) x.fail("NO_NETWORK", "sociaal netwerk niet in kaart gebracht");
    else {
      const used = f.network.filter((n) => n.contribution || agreements.some((a) => a.networkMemberId === n.id));
      if (used.length === 0) x.fail("NETWORK_NOT_USED", "sociaal netwerk in kaart, maar niet ingezet");
      else x.ev("NetworkMember", used[0].id, null, `${used.length} netwerklid/-leden ingezet`);
    }
  }

  // 7 — informatie delen met toestemming, of de afweging vastgelegd
  {
    const x = get("INFORMATION_SHARING");
    const partners = f.involved.filter((o) => !NO_CONSENT_NEEDED.has(o.kind) && !regieOrgs.has(o.orgId));
    if (partners.length === 0) x.notApplicable = true;
    for (const o of partners) {
      const grants = f.grants.filter((g) => g.orgId === o.orgId);
      if (grants.length === 0) {
        x.fail("NO_CONSENT", `geen toestemming of vastgelegde afweging voor delen met ${o.name}`);
        continue;
      }
      for (const g of grants) {
        x.ev(g.kind, g.id, g.on, o.name);
        if (open && g.validUntil && daysBetween(ref, g.validUntil) <= t.INDICATOR_WARNING_DAYS) {
          x.todo(`CONSENT:${g.id}`, "CONSENT", g.validUntil, `${g.kind === "Consent" ? "toestemming" : "besluit tot delen"} voor ${o.name} verloopt ${when(g.validUntil, ref)}`);
        }
      }
    }
  }

  // 8 — signaleren en bijsturen
  {
    const x = get("SIGNALS_AND_ADJUSTMENT");
    for (const s of f.signals) {
      const deadline = addDays(s.reportedOn, t.INDICATOR_SIGNAL_ACK_DAYS);
      if (s.ackOn) x.ev("Signal", s.id, s.ackOn, "signaal bevestigd");
      else if (deadline < ref) {
        x.fail("SIGNAL_NOT_ACKNOWLEDGED", `signaal van ${nl(s.reportedOn)} niet binnen ${t.INDICATOR_SIGNAL_ACK_DAYS} dagen bevestigd`, {
          key: `SIGNAL:${s.id}`,
          kind: "SIGNAL",
          dueOn: deadline,
          text: `signaal van ${nl(s.reportedOn)} bevestigen: ${when(deadline, ref)}`,
        });
      } else if (open) x.todo(`SIGNAL:${s.id}`, "SIGNAL", deadline, `signaal van ${nl(s.reportedOn)} bevestigen: ${when(deadline, ref)}`);
    }
    const held = f.meetings.filter((m) => m.heldOn).sort((a, c) => (a.heldOn! < c.heldOn! ? 1 : -1))[0];
    if (held) x.ev("Meeting", held.id, held.heldOn, "laatste MDO");
    const deadline = addDays(held?.heldOn ?? f.openedOn, t.INDICATOR_MEETING_MAX_AGE_DAYS);
    const planned = f.meetings.find((m) => m.status === "PLANNED" && m.scheduledOn >= ref);
    if (deadline < ref) {
      x.fail("NO_RECENT_MDO", `geen MDO in de laatste ${t.INDICATOR_MEETING_MAX_AGE_DAYS} dagen`, planned ? undefined : { key: "MEETING", kind: "MEETING", dueOn: deadline, text: `MDO houden: ${when(deadline, ref)}` });
    } else if (open && !(planned && planned.scheduledOn <= deadline)) x.todo("MEETING", "MEETING", deadline, `MDO houden: ${when(deadline, ref)}`);
  }

  // 9–12 — evaluatie: not applicable until an evaluation is due
  {
    const ev = f.evaluation;
    const evalDue = addDays(ev?.on ?? f.openedOn, t.INDICATOR_EVALUATION_DUE_DAYS);
    const codes: IndicatorCode[] = ["CASE_EVALUATION", "RISK_COMPARED", "ORGANISATION_RESULTS", "NETWORK_EVALUATION"];
    if (!ev) {
      const dueNow = !open || evalDue <= ref;
      for (const c of codes) {
        const x = get(c);
        if (!dueNow) x.notApplicable = true;
        else if (c === "CASE_EVALUATION") {
          x.fail("NO_EVALUATION", open ? "geen evaluatie op casusniveau" : "casus afgesloten zonder evaluatie", open ? { key: "EVALUATION", kind: "EVALUATION", dueOn: evalDue, text: `evaluatie ${when(evalDue, ref)}` } : undefined);
        } else x.fail("NO_EVALUATION", open ? "geen evaluatie op casusniveau" : "casus afgesloten zonder evaluatie");
      }
      if (!dueNow) get("CASE_EVALUATION").todo("EVALUATION", "EVALUATION", evalDue, `evaluatie ${when(evalDue, ref)}`);
    } else {
      const x9 = get("CASE_EVALUATION");
      x9.ev("Evaluation", ev.id, ev.on);
      if (!ev.withFamily) x9.fail("EVALUATION_WITHOUT_FAMILY", "evaluatie niet samen met het gezin");
      if (!ev.participants.some((o) => !regieOrgs.has(o))) x9.fail("EVALUATION_WITHOUT_ORGANISATIONS", "evaluatie zonder andere betrokken organisaties");
      if (!ev.clientExperience) x9.fail("NO_CLIENT_EXPERIENCE", "ervaring van de cliënt niet vastgelegd in de evaluatie");
      if (open) {
        if (evalDue < ref) x9.fail("EVALUATION_OUTDATED", `laatste evaluatie ouder dan ${t.INDICATOR_EVALUATION_DUE_DAYS} dagen`, { key: "EVALUATION", kind: "EVALUATION", dueOn: evalDue, text: `evaluatie ${when(evalDue, ref)}` });
        else x9.todo("EVALUATION", "EVALUATION", evalDue, `volgende evaluatie ${when(evalDue, ref)}`);
      }

      const x10 = get("RISK_COMPARED");
      x10.ev("Evaluation", ev.id, ev.on);
      if (ev.riskStart && ev.riskNow && ev.riskStart !== ev.riskNow) {
        const start = f.risks.find((r) => r.id === ev.riskStart);
        const now = f.risks.find((r) => r.id === ev.riskNow);
        x10.ev("RiskAssessment", ev.riskStart, start?.on ?? null, "risico bij de start");
        x10.ev("RiskAssessment", ev.riskNow, now?.on ?? null, "risico nu");
      } else x10.fail("RISK_NOT_COMPARED", "evaluatie vergelijkt het risico bij de start niet met het risico nu");

      const x11 = get("ORGANISATION_RESULTS");
      if (f.partialPlans.length === 0) x11.notApplicable = true;
      for (const pp of f.partialPlans) {
        const goals = f.goals.filter((g) => g.partialPlanId === pp.id);
        if (goals.length === 0 || goals.some((g) => !ev.evaluatedGoalIds.includes(g.id))) {
          x11.fail("PARTIAL_PLAN_NOT_EVALUATED", `resultaten van het deelplan van ${pp.name} niet geëvalueerd`);
        } else x11.ev("PartialPlan", pp.id, ev.on, `${pp.name}: resultaten geëvalueerd`);
      }

      const x12 = get("NETWORK_EVALUATION");
      x12.ev("Evaluation", ev.id, ev.on, `${ev.participants.length} organisatie(s) namen deel`);
      for (const o of f.involved) {
        if (o.kind === "VEILIG_THUIS" || regieOrgs.has(o.orgId)) continue;
        if (!ev.participants.includes(o.orgId)) x12.fail("ORGANISATION_NOT_IN_EVALUATION", `${o.name} niet betrokken bij de evaluatie`);
      }
    }
  }

  const results = INDICATORS.map((d) => get(d.code).result(d.number));
  // a closed case has nothing left to do: its outcome stands, without due items
  if (!open) for (const r of results) r.due = [];
  return results;
}

/** The worklist items of one evaluated case: dated first (soonest first), then the undated ones. */
export function worklistItems(results: IndicatorResult[]): DueItem[] {
  const all = results.flatMap((r) => r.due);
  return all.sort((a, b) => {
    if (a.dueOn === b.dueOn) return 0;
    if (a.dueOn === null) return 1;
    if (b.dueOn === null) return -1;
    return a.dueOn < b.dueOn ? -1 : 1;
  });
}
