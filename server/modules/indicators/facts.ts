import type { DataSource, EntityManager } from "typeorm";

/**
 * Everything the twelve indicators need about one case as it stood on a reference date. The
 * SQL reads each case's history once (one statement for a whole batch of cases: a page of cases,
 * or every case of a period), and `factsAt` cuts it at any date in TypeScript — so the trend of
 * a period costs no extra SQL per month.
 *
 * "As it stood": records count when they existed on the reference date (by their business date —
 * assessed_on, given_on, evaluated_on… — or else created_at). Editable records (plan texts,
 * agreement status) count with their current content: the hub keeps no history of those.
 * A closed case is judged on its closing date.
 */
export interface CaseFacts {
  caseId: string;
  /** the reference date asked for (key) */
  key: string;
  /** the date the case is judged on: min(asked, closing date) */
  ref: string;
  openedOn: string;
  closedOn: string | null;
  hasChildren: boolean;
  handover: {
    id: string;
    written: boolean;
    writtenOn: string | null;
    on: string;
    helpOverview: boolean;
    conditions: number;
    warmOn: string | null;
    intervalMonths: number;
  } | null;
  risks: { id: string; on: string; level: string }[];
  monitoring: { id: string; dueOn: string; contactedOn: string | null; safetyRestored: boolean | null }[];
  safetyPlan: { id: string; madeWithClient: boolean; createdOn: string } | null;
  agreements: { id: string; priority: number; dueOn: string | null; reportTo: boolean; version: number; status: string; networkMemberId: string | null }[];
  involved: { orgId: string; name: string; kind: string }[];
  shares: { agreementId: string; orgId: string }[];
  /** null when the safety_agreement_seen table does not exist (see loadFacts) */
  seen: { agreementId: string; orgId: string; version: number }[] | null;
  regie: { id: string; kind: string; orgId: string; professionalId: string; since: string }[];
  plan: { id: string; problemAnalysis: boolean; helpQuestion: boolean; familyWords: boolean; childrenWords: boolean; childrenHeard: boolean; createdOn: string } | null;
  domains: { domain: string; id: string; on: string }[];
  goals: { id: string; safety: boolean; partialPlanId: string | null }[];
  partialPlans: { id: string; orgId: string; name: string }[];
  network: { id: string; contribution: boolean }[];
  grants: { kind: "Consent" | "SharingDecision"; id: string; orgId: string; on: string; validUntil: string | null }[];
  signals: { id: string; reportedOn: string; ackOn: string | null; urgency: string }[];
  meetings: { id: string; status: string; scheduledOn: string; heldOn: string | null }[];
  keyDecisions: { id: string; on: string }[];
  evaluation: {
    id: string;
    on: string;
    withFamily: boolean;
    participants: string[];
    clientExperience: boolean;
    riskStart: string | null;
    riskNow: string | null;
    evaluatedGoalIds: string[];
  } | null;
}

/**
 * A case's whole indicator-relevant history, with the dates that decide when each record
 * counts; `factsAt` cuts it at a reference date. One row per case: a period's trend needs no
 * extra SQL per month.
 */
export interface CaseHistory {
  caseId: string;
  openedOn: string;
  closedOn: string | null;
  hasChildren: boolean;
  handover: CaseFacts["handover"];
  risks: (CaseFacts["risks"][number] & { createdOn: string })[];
  monitoring: (CaseFacts["monitoring"][number] & { createdOn: string })[];
  safetyPlan: CaseFacts["safetyPlan"];
  agreements: (CaseFacts["agreements"][number] & { createdOn: string })[];
  involved: (CaseFacts["involved"][number] & { from: string; until: string | null })[];
  shares: (CaseFacts["shares"][number] & { on: string })[];
  seen: ({ agreementId: string; orgId: string; version: number; on: string })[] | null;
  regie: (CaseFacts["regie"][number] & { until: string | null })[];
  plan: CaseFacts["plan"];
  domains: { domain: string; id: string; on: string }[];
  goals: (CaseFacts["goals"][number] & { createdOn: string })[];
  partialPlans: (CaseFacts["partialPlans"][number] & { createdOn: string })[];
  network: (CaseFacts["network"][number] & { createdOn: string })[];
  grants: (CaseFacts["grants"][number] & { withdrawnOn: string | null })[];
  signals: { id: string; reportedOn: string; ackOn: string | null; urgency: string }[];
  meetings: (CaseFacts["meetings"][number] & { createdOn: string })[];
  keyDecisions: CaseFacts["keyDecisions"];
  evaluations: NonNullable<CaseFacts["evaluation"]>[];
}

const SEEN_SQL = `(SELECT coalesce(json_agg(json_build_object('agreementId', s.agreement_id, 'orgId', s.organisation_id, 'version', s.version, 'on', s.seen_at::date)), '[]')
   FROM safety_agreement_seen s WHERE s.case_id = c.id)`;

export const historySql = (withSeen: boolean) => `
SELECT c.id AS "caseId", json_build_object(
  'openedOn', c.opened_at::date,
  'closedOn', c.closed_at::date,
  'hasChildren', f.has_children,
  'handover', (SELECT json_build_object('id', h.id, 'written', h.written_handover_received, 'writtenOn', h.written_handover_received_on,
        'on', h.handed_over_at::date, 'helpOverview', coalesce(btrim(h.help_already_involved), '') <> '',
        'conditions', cardinality(h.safety_conditions), 'warmOn', h.warm_handover_on, 'intervalMonths', coalesce(o.monitoring_interval_months, 3))
      FROM handover h JOIN organisation o ON o.id = h.from_organisation_id WHERE h.case_id = c.id),
  'risks', (SELECT coalesce(json_agg(json_build_object('id', r.id, 'on', r.assessed_on, 'level', r.level, 'createdOn', r.created_at::date) ORDER BY r.assessed_on, r.created_at), '[]')
      FROM risk_assessment r WHERE r.case_id = c.id),
  'monitoring', (SELECT coalesce(json_agg(json_build_object('id', m.id, 'dueOn', m.due_on, 'contactedOn', m.contacted_on,
        'safetyRestored', m.safety_restored, 'createdOn', m.created_at::date) ORDER BY m.due_on), '[]')
      FROM monitoring_contact m WHERE m.case_id = c.id),
  'safetyPlan', (SELECT json_build_object('id', p.id, 'madeWithClient', p.made_with_client, 'createdOn', p.created_at::date)
      FROM safety_plan p WHERE p.case_id = c.id),
  'agreements', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'priority', a.priority, 'dueOn', a.due_on,
        'reportTo', a.report_to_organisation_id IS NOT NULL, 'version', a.version, 'status', a.status,
        'networkMemberId', a.responsible_network_member_id, 'createdOn', a.created_at::date) ORDER BY a.priority, a.created_at), '[]')
      FROM safety_agreement a WHERE a.case_id = c.id AND a.status <> 'CANCELLED'),
  'involved', (SELECT coalesce(json_agg(json_build_object('orgId', o.id, 'name', o.name, 'kind', o.kind, 'from', i.started_at::date, 'until', i.ended_at::date) ORDER BY o.name), '[]')
      FROM involvement i JOIN organisation o ON o.id = i.organisation_id WHERE i.case_id = c.id),
  'shares', (SELECT coalesce(json_agg(json_build_object('agreementId', s.agreement_id, 'orgId', s.organisation_id, 'on', s.shared_at::date)), '[]')
      FROM safety_agreement_share s WHERE s.case_id = c.id),
  'seen', ${withSeen ? SEEN_SQL : "NULL"},
  'regie', (SELECT coalesce(json_agg(json_build_object('id', g.id, 'kind', g.kind, 'orgId', g.organisation_id, 'professionalId', g.professional_id,
        'since', g.started_at::date, 'until', g.ended_at::date) ORDER BY g.started_at), '[]')
      FROM regie_assignment g WHERE g.case_id = c.id),
  'plan', (SELECT json_build_object('id', p.id, 'problemAnalysis', coalesce(btrim(p.problem_analysis), '') <> '',
        'helpQuestion', coalesce(btrim(p.help_question), '') <> '', 'familyWords', coalesce(btrim(p.family_words), '') <> '',
        'childrenWords', coalesce(btrim(p.children_words), '') <> '', 'childrenHeard', p.children_heard, 'createdOn', p.created_at::date)
      FROM plan p WHERE p.case_id = c.id),
  'domains', (SELECT coalesce(json_agg(json_build_object('domain', d.domain, 'id', d.id, 'on', d.assessed_on) ORDER BY d.assessed_on DESC, d.id), '[]')
      FROM life_domain_score d WHERE d.case_id = c.id),
  'goals', (SELECT coalesce(json_agg(json_build_object('id', g.id, 'safety', g.is_safety_goal, 'partialPlanId', g.partial_plan_id, 'createdOn', g.created_at::date)), '[]')
      FROM goal g WHERE g.case_id = c.id AND g.status <> 'CANCELLED'),
  'partialPlans', (SELECT coalesce(json_agg(json_build_object('id', pp.id, 'orgId', pp.organisation_id, 'name', o.name, 'createdOn', pp.created_at::date) ORDER BY o.name), '[]')
      FROM partial_plan pp JOIN organisation o ON o.id = pp.organisation_id
     WHERE pp.case_id = c.id AND pp.status IN ('ACTIVE', 'COMPLETED')),
  'network', (SELECT coalesce(json_agg(json_build_object('id', n.id, 'contribution', coalesce(btrim(n.contribution), '') <> '', 'createdOn', n.created_at::date)), '[]')
      FROM network_member n WHERE n.case_id = c.id),
  'grants', (SELECT coalesce(json_agg(x), '[]') FROM (
        SELECT 'Consent' AS kind, k2.id, k2.organisation_id AS "orgId", k2.given_on AS "on", k2.valid_until AS "validUntil", k2.withdrawn_at::date AS "withdrawnOn"
          FROM consent k2 WHERE k2.case_id = c.id
        UNION ALL
        SELECT 'SharingDecision', d.id, d.organisation_id, d.decided_on, d.valid_until, d.withdrawn_at::date
          FROM sharing_decision d WHERE d.case_id = c.id) x),
  'signals', (SELECT coalesce(json_agg(json_build_object('id', s.id, 'reportedOn', s.created_at::date, 'ackOn', s.acknowledged_at::date, 'urgency', s.urgency) ORDER BY s.created_at), '[]')
      FROM signal s WHERE s.case_id = c.id),
  'meetings', (SELECT coalesce(json_agg(json_build_object('id', m.id, 'status', m.status, 'scheduledOn', m.scheduled_at::date,
        'heldOn', CASE WHEN m.status = 'HELD' THEN coalesce(m.held_at, m.scheduled_at)::date END, 'createdOn', m.created_at::date)
        ORDER BY m.scheduled_at), '[]')
      FROM meeting m WHERE m.case_id = c.id AND m.status <> 'CANCELLED'),
  'keyDecisions', (SELECT coalesce(json_agg(json_build_object('id', kd.id, 'on', kd.decided_on) ORDER BY kd.decided_on), '[]')
      FROM key_decision kd WHERE kd.case_id = c.id),
  'evaluations', (SELECT coalesce(json_agg(json_build_object('id', v.id, 'on', v.evaluated_on, 'withFamily', v.with_family,
        'participants', v.participant_organisation_ids, 'clientExperience', coalesce(btrim(v.client_experience), '') <> '',
        'riskStart', v.risk_at_start_id, 'riskNow', v.risk_now_id,
        'evaluatedGoalIds', ARRAY(SELECT eg.goal_id FROM evaluation_goal eg WHERE eg.evaluation_id = v.id)) ORDER BY v.evaluated_on DESC, v.created_at DESC), '[]')
      FROM evaluation v WHERE v.case_id = c.id)
) AS history
FROM case_file c JOIN family f ON f.id = c.family_id
WHERE c.id = ANY($1::uuid[])`;

/** The case as it stood on `asked` (or on its closing date, when earlier): see CaseFacts. */
export function factsAt(h: CaseHistory, asked: string): CaseFacts {
  const ref = h.closedOn && h.closedOn < asked ? h.closedOn : asked;
  const by = (d: string | null | undefined) => d != null && d <= ref;
  const live = (from: string, until: string | null) => from <= ref && (until === null || until > ref);
  const latestDomain = new Map<string, { domain: string; id: string; on: string }>();
  for (const d of h.domains) if (by(d.on) && !latestDomain.has(d.domain)) latestDomain.set(d.domain, d);
  let seen: CaseFacts["seen"] = null;
  if (h.seen) {
    const max = new Map<string, { agreementId: string; orgId: string; version: number }>();
    for (const v of h.seen) {
      if (!by(v.on)) continue;
      const k = `${v.agreementId}|${v.orgId}`;
      const cur = max.get(k);
      if (!cur || cur.version < v.version) max.set(k, { agreementId: v.agreementId, orgId: v.orgId, version: v.version });
    }
    seen = [...max.values()];
  }
  const evaluation = h.evaluations.find((e) => by(e.on)) ?? null;
  // (records keep their extra date fields: harmless, and cheaper than copying them away)
  return {
    caseId: h.caseId,
    key: asked,
    ref,
    openedOn: h.openedOn,
    closedOn: by(h.closedOn) ? h.closedOn : null,
    hasChildren: h.hasChildren,
    handover: h.handover,
    risks: h.risks.filter((r) => by(r.on)),
    monitoring: h.monitoring
      .filter((m) => by(m.createdOn))
      .map((m) => ({ id: m.id, dueOn: m.dueOn, contactedOn: by(m.contactedOn) ? m.contactedOn : null, safetyRestored: by(m.contactedOn) ? m.safetyRestored : null })),
    safetyPlan: h.safetyPlan && by(h.safetyPlan.createdOn) ? h.safetyPlan : null,
    agreements: h.agreements.filter((a) => by(a.createdOn)),
    involved: h.involved.filter((i) => live(i.from, i.until)),
    shares: h.shares.filter((s) => by(s.on)),
    seen,
    regie: h.regie.filter((r) => live(r.since, r.until)),
    plan: h.plan && by(h.plan.createdOn) ? h.plan : null,
    domains: [...latestDomain.values()],
    goals: h.goals.filter((g) => by(g.createdOn)),
    partialPlans: h.partialPlans.filter((p) => by(p.createdOn)),
    network: h.network.filter((n) => by(n.createdOn)),
    grants: h.grants.filter((g) => by(g.on) && (g.withdrawnOn === null || g.withdrawnOn > ref) && (g.validUntil === null || g.validUntil >= ref)),
    signals: h.signals.filter((s) => by(s.reportedOn)).map((s) => ({ ...s, ackOn: by(s.ackOn) ? s.ackOn : null })),
    meetings: h.meetings.filter((m) => by(m.createdOn)).map((m) => ({ id: m.id, status: m.status, scheduledOn: m.scheduledOn, heldOn: by(m.heldOn) ? m.heldOn : null })),
    keyDecisions: h.keyDecisions.filter((k) => by(k.on)),
    evaluation,
  };
}

const seenTable = new WeakMap<object, Promise<boolean>>();

/**
 * Does the `safety_agreement_seen` table exist (agreement_id, organisation_id, case_id, version,
 * seen_at, seen_by — added by another module)? Checked once per data source with to_regclass.
 * With it, indicator 3 requires every involved organisation to have SEEN the current version of
 * the agreements shared with it; without it, being shared with is taken as known.
 */
export function hasSeenTable(ds: DataSource): Promise<boolean> {
  let p = seenTable.get(ds);
  if (!p) {
    p = ds
      .query(`SELECT to_regclass('safety_agreement_seen') IS NOT NULL AS present`)
      .then((rows: { present: boolean }[]) => rows[0]?.present === true);
    seenTable.set(ds, p);
  }
  return p;
}

/** The histories of these cases, in one statement (chunked by the callers). */
export async function loadHistories(ds: DataSource, caseIds: string[], em?: EntityManager): Promise<Map<string, CaseHistory>> {
  const out = new Map<string, CaseHistory>();
  if (caseIds.length === 0) return out;
  const withSeen = await hasSeenTable(ds);
  const rows = (await (em ?? ds).query(historySql(withSeen), [[...new Set(caseIds)]])) as { caseId: string; history: Omit<CaseHistory, "caseId"> }[];
  for (const r of rows) out.set(r.caseId, { ...r.history, caseId: r.caseId });
  return out;
}

/** Facts for each (case, reference date) pair; keyed `${caseId}|${date}`. One statement for all. */
export async function loadFacts(ds: DataSource, pairs: { caseId: string; ref: string }[], em?: EntityManager): Promise<Map<string, CaseFacts>> {
  const histories = await loadHistories(ds, pairs.map((p) => p.caseId), em);
  const out = new Map<string, CaseFacts>();
  for (const p of pairs) {
    const h = histories.get(p.caseId);
    if (h) out.set(`${p.caseId}|${p.ref}`, factsAt(h, p.ref));
  }
  return out;
}
