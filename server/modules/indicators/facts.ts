import type { DataSource, EntityManager } from "typeorm";

/**
 * Everything the twelve indicators need about one case as it stood on a reference date, read
 * for many (case, date) pairs in ONE SQL statement (per-case views batch all cases of a request;
 * organisation and network figures ask for every case × every month of the period at once).
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

const SEEN_SQL = `(SELECT coalesce(json_agg(json_build_object('agreementId', s.agreement_id, 'orgId', s.organisation_id, 'version', s.version)), '[]')
   FROM (SELECT agreement_id, organisation_id, max(version) AS version FROM safety_agreement_seen
          WHERE case_id = c.id AND seen_at::date <= e.ref GROUP BY agreement_id, organisation_id) s)`;

export const factsSql = (withSeen: boolean) => `
WITH k AS (SELECT DISTINCT k.case_id, k.ref FROM unnest($1::uuid[], $2::date[]) AS k(case_id, ref))
SELECT k.case_id AS "caseId", to_char(k.ref, 'YYYY-MM-DD') AS "key", json_build_object(
  'ref', e.ref,
  'openedOn', c.opened_at::date,
  'closedOn', CASE WHEN c.closed_at::date <= k.ref THEN c.closed_at::date END,
  'hasChildren', f.has_children,
  'handover', (SELECT json_build_object('id', h.id, 'written', h.written_handover_received, 'writtenOn', h.written_handover_received_on,
        'on', h.handed_over_at::date, 'helpOverview', coalesce(btrim(h.help_already_involved), '') <> '',
        'conditions', cardinality(h.safety_conditions), 'warmOn', h.warm_handover_on, 'intervalMonths', coalesce(o.monitoring_interval_months, 3))
      FROM handover h JOIN organisation o ON o.id = h.from_organisation_id WHERE h.case_id = c.id),
  'risks', (SELECT coalesce(json_agg(json_build_object('id', r.id, 'on', r.assessed_on, 'level', r.level) ORDER BY r.assessed_on, r.created_at), '[]')
      FROM risk_assessment r WHERE r.case_id = c.id AND r.assessed_on <= e.ref),
  'monitoring', (SELECT coalesce(json_agg(json_build_object('id', m.id, 'dueOn', m.due_on,
        'contactedOn', CASE WHEN m.contacted_on <= e.ref THEN m.contacted_on END,
        'safetyRestored', CASE WHEN m.contacted_on <= e.ref THEN m.safety_restored END) ORDER BY m.due_on), '[]')
      FROM monitoring_contact m WHERE m.case_id = c.id AND m.created_at::date <= e.ref),
  'safetyPlan', (SELECT json_build_object('id', p.id, 'madeWithClient', p.made_with_client, 'createdOn', p.created_at::date)
      FROM safety_plan p WHERE p.case_id = c.id AND p.created_at::date <= e.ref),
  'agreements', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'priority', a.priority, 'dueOn', a.due_on,
        'reportTo', a.report_to_organisation_id IS NOT NULL, 'version', a.version, 'status', a.status,
        'networkMemberId', a.responsible_network_member_id) ORDER BY a.priority, a.created_at), '[]')
      FROM safety_agreement a WHERE a.case_id = c.id AND a.created_at::date <= e.ref AND a.status <> 'CANCELLED'),
  'involved', (SELECT coalesce(json_agg(json_build_object('orgId', o.id, 'name', o.name, 'kind', o.kind) ORDER BY o.name), '[]')
      FROM involvement i JOIN organisation o ON o.id = i.organisation_id
     WHERE i.case_id = c.id AND i.started_at::date <= e.ref AND (i.ended_at IS NULL OR i.ended_at::date > e.ref)),
  'shares', (SELECT coalesce(json_agg(json_build_object('agreementId', s.agreement_id, 'orgId', s.organisation_id)), '[]')
      FROM safety_agreement_share s WHERE s.case_id = c.id AND s.shared_at::date <= e.ref),
  'seen', ${withSeen ? SEEN_SQL : "NULL"},
  'regie', (SELECT coalesce(json_agg(json_build_object('id', g.id, 'kind', g.kind, 'orgId', g.organisation_id, 'professionalId', g.professional_id,
        'since', g.started_at::date) ORDER BY g.started_at), '[]')
      FROM regie_assignment g WHERE g.case_id = c.id AND g.started_at::date <= e.ref AND (g.ended_at IS NULL OR g.ended_at::date > e.ref)),
  'plan', (SELECT json_build_object('id', p.id, 'problemAnalysis', coalesce(btrim(p.problem_analysis), '') <> '',
        'helpQuestion', coalesce(btrim(p.help_question), '') <> '', 'familyWords', coalesce(btrim(p.family_words), '') <> '',
        'childrenWords', coalesce(btrim(p.children_words), '') <> '', 'childrenHeard', p.children_heard, 'createdOn', p.created_at::date)
      FROM plan p WHERE p.case_id = c.id AND p.created_at::date <= e.ref),
  'domains', (SELECT coalesce(json_agg(json_build_object('domain', d.domain, 'id', d.id, 'on', d.assessed_on)), '[]')
      FROM (SELECT DISTINCT ON (domain) domain, id, assessed_on FROM life_domain_score
             WHERE case_id = c.id AND assessed_on <= e.ref ORDER BY domain, assessed_on DESC, id) d),
  'goals', (SELECT coalesce(json_agg(json_build_object('id', g.id, 'safety', g.is_safety_goal, 'partialPlanId', g.partial_plan_id)), '[]')
      FROM goal g WHERE g.case_id = c.id AND g.created_at::date <= e.ref AND g.status <> 'CANCELLED'),
  'partialPlans', (SELECT coalesce(json_agg(json_build_object('id', pp.id, 'orgId', pp.organisation_id, 'name', o.name) ORDER BY o.name), '[]')
      FROM partial_plan pp JOIN organisation o ON o.id = pp.organisation_id
     WHERE pp.case_id = c.id AND pp.created_at::date <= e.ref AND pp.status IN ('ACTIVE', 'COMPLETED')),
  'network', (SELECT coalesce(json_agg(json_build_object('id', n.id, 'contribution', coalesce(btrim(n.contribution), '') <> '')), '[]')
      FROM network_member n WHERE n.case_id = c.id AND n.created_at::date <= e.ref),
  'grants', (SELECT coalesce(json_agg(x), '[]') FROM (
        SELECT 'Consent' AS kind, k2.id, k2.organisation_id AS "orgId", k2.given_on AS "on", k2.valid_until AS "validUntil" FROM consent k2
         WHERE k2.case_id = c.id AND k2.given_on <= e.ref AND (k2.withdrawn_at IS NULL OR k2.withdrawn_at::date > e.ref)
           AND (k2.valid_until IS NULL OR k2.valid_until >= e.ref)
        UNION ALL
        SELECT 'SharingDecision', d.id, d.organisation_id, d.decided_on, d.valid_until FROM sharing_decision d
         WHERE d.case_id = c.id AND d.decided_on <= e.ref AND (d.withdrawn_at IS NULL OR d.withdrawn_at::date > e.ref)
           AND (d.valid_until IS NULL OR d.valid_until >= e.ref)) x),
  'signals', (SELECT coalesce(json_agg(json_build_object('id', s.id, 'reportedOn', s.created_at::date,
        'ackOn', CASE WHEN s.acknowledged_at::date <= e.ref THEN s.acknowledged_at::date END, 'urgency', s.urgency) ORDER BY s.created_at), '[]')
      FROM signal s WHERE s.case_id = c.id AND s.created_at::date <= e.ref),
  'meetings', (SELECT coalesce(json_agg(json_build_object('id', m.id, 'status', m.status, 'scheduledOn', m.scheduled_at::date,
        'heldOn', CASE WHEN m.status = 'HELD' AND coalesce(m.held_at, m.scheduled_at)::date <= e.ref THEN coalesce(m.held_at, m.scheduled_at)::date END)
        ORDER BY m.scheduled_at), '[]')
      FROM meeting m WHERE m.case_id = c.id AND m.created_at::date <= e.ref AND m.status <> 'CANCELLED'),
  'keyDecisions', (SELECT coalesce(json_agg(json_build_object('id', kd.id, 'on', kd.decided_on) ORDER BY kd.decided_on), '[]')
      FROM key_decision kd WHERE kd.case_id = c.id AND kd.decided_on <= e.ref),
  'evaluation', (SELECT json_build_object('id', v.id, 'on', v.evaluated_on, 'withFamily', v.with_family,
        'participants', v.participant_organisation_ids, 'clientExperience', coalesce(btrim(v.client_experience), '') <> '',
        'riskStart', v.risk_at_start_id, 'riskNow', v.risk_now_id,
        'evaluatedGoalIds', ARRAY(SELECT eg.goal_id FROM evaluation_goal eg WHERE eg.evaluation_id = v.id))
      FROM evaluation v WHERE v.case_id = c.id AND v.evaluated_on <= e.ref ORDER BY v.evaluated_on DESC, v.created_at DESC LIMIT 1)
) AS facts
FROM k JOIN case_file c ON c.id = k.case_id JOIN family f ON f.id = c.family_id
CROSS JOIN LATERAL (SELECT LEAST(k.ref, coalesce(c.closed_at::date, k.ref)) AS ref) e`;

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

/** Facts for each (case, reference date) pair, in one statement; keyed `${caseId}|${date}`. */
export async function loadFacts(ds: DataSource, pairs: { caseId: string; ref: string }[], em?: EntityManager): Promise<Map<string, CaseFacts>> {
  const out = new Map<string, CaseFacts>();
  if (pairs.length === 0) return out;
  const withSeen = await hasSeenTable(ds);
  const rows = (await (em ?? ds).query(factsSql(withSeen), [pairs.map((p) => p.caseId), pairs.map((p) => p.ref)])) as {
    caseId: string;
    key: string;
    facts: Omit<CaseFacts, "caseId" | "key">;
  }[];
  for (const r of rows) out.set(`${r.caseId}|${r.key}`, { ...r.facts, caseId: r.caseId, key: r.key });
  return out;
}
