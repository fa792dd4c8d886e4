import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptValue } from "../server/crypto/field-crypto.js";
import { buildClientSchema, getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType, isUnionType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema, type IntrospectionQuery, getIntrospectionQuery, type GraphQLType } from "graphql";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase, type OrgKey } from "./support/fixtures.js";
import { collect, wsClient } from "./support/ws.js";
import { runWorklistTick } from "../server/modules/indicators/worklist.job.js";

let t: TestHub;
let org: Record<OrgKey, string>;

const pad = (n: number) => String(n).padStart(2, "0");
const localToday = () => {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const rand = () => Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  t = await startTestHub();
  org = Object.fromEntries(await Promise.all(Object.entries(ORGS).map(async ([k, name]) => [k, await orgId(name)]))) as Record<OrgKey, string>;
});
afterAll(() => t?.stop());

// ---------------------------------------------------------------------------------------------
// Set-up through SQL: a case that meets every indicator, then break one condition at a time.

interface Built extends FixtureCase {
  planId: string;
  safetyPlanId: string;
  agreementIds: string[];
  riskIds: string[];
  evaluationId: string;
  partialPlanId: string;
  goalId: string;
  networkMemberId: string;
  involvedOrgIds: string[];
}

/**
 * A case that meets all twelve indicators on `base` (default today): full handover, two risk
 * assessments, a safety plan with two prioritised agreements shared with every involved
 * partner, the plan with all texts, the required life domains, a partial plan with a linked
 * goal, a network member who contributes, consent for every partner, an acknowledged signal,
 * and an evaluation with the family, every organisation, the client's experience, risk at start
 * vs now, and the partial plan's goal result. Involved: VT, SWT, Het Anker, the GP (+ `extraOrgIds`).
 */
async function fullCase(opts: { base?: string; regisseur?: string; extraOrgIds?: string[]; involve?: OrgKey[]; hasChildren?: boolean } = {}): Promise<Built> {
  const base = opts.base ?? localToday();
  const past = opts.base !== undefined;
  const at = past ? `${base}T12:00:00Z` : new Date().toISOString();
  const fx = await createCase({
    involve: opts.involve ?? ["anker", "hap"],
    regisseur: opts.regisseur ?? USERS.jansen,
    children: opts.hasChildren === false ? [] : [{ birthDate: "2016-03-04", school: "anker" }],
  });
  const q = (sql: string, params: unknown[]) => db().query(sql, params);
  const one = async (sql: string, params: unknown[]) => (await q(sql, params)).rows[0].id as string;
  const c = fx.caseId;
  for (const o of opts.extraOrgIds ?? []) await q("INSERT INTO involvement (case_id, organisation_id, role) VALUES ($1, $2, 'extra')", [c, o]);
  if (past) {
    await q("UPDATE case_file SET opened_at = $2, created_at = $2 WHERE id = $1", [c, at]);
    await q("UPDATE involvement SET started_at = $2 WHERE case_id = $1", [c, at]);
    await q("UPDATE regie_assignment SET started_at = $2 WHERE case_id = $1", [c, at]);
  }
  const smit = await professionalId(USERS.smit);
  await q(
    `UPDATE handover SET written_handover_received = true, written_handover_received_on = $2, warm_handover_on = $2,
       help_already_involved = 'Huisarts en school', safety_conditions = ARRAY['Geen geweld in het bijzijn van de kinderen'], handed_over_at = $3 WHERE case_id = $1`,
    [c, base, at],
  );
  await q("INSERT INTO monitoring_contact (case_id, due_on, created_at) VALUES ($1, $2, $3)", [c, addDays(base, 60), at]);
  const risk1 = await one(
    "INSERT INTO risk_assessment (case_id, instrument, assessed_on, level, conclusion, assessor_id, created_at) VALUES ($1, 'LIRIK', $2, 'HIGH', 'Hoog risico; plan binnen twee weken', $3, $4) RETURNING id",
    [c, addDays(base, -20), smit, at],
  );
  const risk2 = await one(
    "INSERT INTO risk_assessment (case_id, instrument, assessed_on, level, conclusion, assessor_id, created_at) VALUES ($1, 'ARIJ', $2, 'ELEVATED', 'Risico gedaald', $3, $4) RETURNING id",
    [c, addDays(base, -10), smit, at],
  );
  const planId = await one(
    `INSERT INTO plan (case_id, problem_analysis, help_question, family_words, children_words, children_heard, created_at)
     VALUES ($1, 'Spanningen escaleren', 'Hoe houden we het rustig?', 'We willen rust', $2, $3, $4) RETURNING id`,
    [c, opts.hasChildren === false ? null : 'Ik wil dat het stopt', opts.hasChildren !== false, at],
  );
  for (const d of ["FINANCES", "HOUSING", "MENTAL_HEALTH", "BASIC_ADL", "SOCIAL_NETWORK", "DOMESTIC_RELATIONS"]) {
    await q("INSERT INTO life_domain_score (case_id, domain, score, assessed_on, created_at) VALUES ($1, $2, 3, $3, $4)", [c, d, addDays(base, -15), at]);
  }
  const partialPlanId = await one("INSERT INTO partial_plan (case_id, organisation_id, title, created_at) VALUES ($1, $2, 'Deelplan huisarts', $3) RETURNING id", [c, org.hap, at]);
  const goalId = await one(
    "INSERT INTO goal (case_id, partial_plan_id, title, domain, responsible_organisation_id, created_at) VALUES ($1, $2, 'Moeder slaapt beter', 'MENTAL_HEALTH', $3, $4) RETURNING id",
    [c, partialPlanId, org.hap, at],
  );
  const networkMemberId = await one(
    "INSERT INTO network_member (case_id, name, relation, contribution, created_at) VALUES ($1, 'Oma Test', 'grootmoeder', 'Vangt de kinderen op', $2) RETURNING id",
    [c, at],
  );
  const safetyPlanId = await one("INSERT INTO safety_plan (case_id, made_with_client, created_at) VALUES ($1, true, $2) RETURNING id", [c, at]);
  const a1 = await one(
    `INSERT INTO safety_agreement (case_id, safety_plan_id, priority, what, criterion, responsible_kind, responsible_organisation_id, due_on, report_to_organisation_id, created_at)
     VALUES ($1, $2, 1, 'Huisarts ziet moeder elke twee weken', 'Consult gepland', 'ORGANISATION', $3, $4, $5, $6) RETURNING id`,
    [c, safetyPlanId, org.hap, addDays(base, 30), org.swt, at],
  );
  const a2 = await one(
    `INSERT INTO safety_agreement (case_id, safety_plan_id, priority, what, criterion, responsible_kind, responsible_network_member_id, due_on, report_to_organisation_id, created_at)
     VALUES ($1, $2, 2, 'Oma vangt op bij escalatie', 'Bereikbaar', 'NETWORK_MEMBER', $3, $4, $5, $6) RETURNING id`,
    [c, safetyPlanId, networkMemberId, addDays(base, 40), org.swt, at],
  );
  const involved = (await q("SELECT organisation_id FROM involvement WHERE case_id = $1 AND ended_at IS NULL", [c])).rows.map((r) => r.organisation_id as string);
  const regieOrgs = (await q("SELECT organisation_id FROM regie_assignment WHERE case_id = $1 AND ended_at IS NULL", [c])).rows.map((r) => r.organisation_id as string);
  const partners = involved.filter((o) => o !== org.vt && !regieOrgs.includes(o));
  for (const o of partners) {
    for (const a of [a1, a2]) await q("INSERT INTO safety_agreement_share (agreement_id, organisation_id, case_id, shared_at) VALUES ($1, $2, $3, $4)", [a, o, c, at]);
    await q(
      "INSERT INTO consent (case_id, organisation_id, categories, purpose, consent_rule, given_on, created_at) VALUES ($1, $2, ARRAY['plan'], 'Afstemming', 'ADULT', $3, $4)",
      [c, o, addDays(base, -5), at],
    );
  }
  // with the safety_agreement_seen table (another module's), the partners have also seen them
  if ((await q("SELECT to_regclass('safety_agreement_seen') IS NOT NULL AS p", [])).rows[0].p) {
    const by = await professionalId(USERS.jansen);
    for (const o of partners) for (const a of [a1, a2]) {
      await q("INSERT INTO safety_agreement_seen (agreement_id, organisation_id, case_id, version, seen_at, seen_by) VALUES ($1, $2, $3, 1, $4, $5)", [a, o, c, at, by]);
    }
  }
  const gp = await professionalId(USERS.gp);
  await q(
    "INSERT INTO signal (case_id, reporting_organisation_id, reported_by, observed_on, description, created_at, acknowledged_at) VALUES ($1, $2, $3, $4, 'Zorgen', $5, $5)",
    [c, org.hap, gp, base, at],
  );
  const evaluationId = await one(
    `INSERT INTO evaluation (case_id, evaluated_on, with_family, participant_organisation_ids, client_experience, risk_at_start_id, risk_now_id, outcome, created_at)
     VALUES ($1, $2, true, $3::uuid[], 'Het is rustiger thuis', $4, $5, 'CONTINUE', $6) RETURNING id`,
    [c, base, involved.filter((o) => o !== org.vt), risk1, risk2, at],
  );
  await q("INSERT INTO evaluation_goal (evaluation_id, goal_id, case_id, result) VALUES ($1, $2, $3, 'ACHIEVED')", [evaluationId, goalId, c]);
  return { ...fx, planId, safetyPlanId, agreementIds: [a1, a2], riskIds: [risk1, risk2], evaluationId, partialPlanId, goalId, networkMemberId, involvedOrgIds: involved };
}

const sql = (text: string, params: unknown[] = []) => db().query(text, params);

const INDICATORS_Q = `query($id: ID!) { case(id: $id) { indicators { number code status evaluatedOn missing evidence { recordType recordId date note } due { kind dueOn overdue dueSoon text } } } }`;

interface Ind {
  number: number;
  code: string;
  status: string;
  missing: string[];
  evidence: { recordType: string; recordId: string; date: string | null; note: string | null }[];
  due: { kind: string; dueOn: string | null; overdue: boolean; dueSoon: boolean; text: string }[];
}

async function indicators(caseId: string, as: string = USERS.jansen): Promise<Ind[]> {
  return (await t.ok(as, INDICATORS_Q, { id: caseId })).case.indicators;
}
const statuses = (list: Ind[]) => Object.fromEntries(list.map((i) => [i.number, i.status]));
const allMet = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i + 1, "MET"]));

/** Exactly the indicators in `expected` differ from MET (with those statuses), and `n`'s missing texts contain `text`. */
async function expectOnly(caseId: string, expected: Record<number, string>, text?: { n: number; contains: string }) {
  const list = await indicators(caseId);
  expect(statuses(list)).toEqual({ ...allMet, ...expected });
  if (text) expect(list[text.n - 1].missing.join(" | ")).toContain(text.contains);
  return list;
}

describe("per case: the twelve indicators, one condition at a time", () => {
  it("a complete case meets all twelve, with evidence naming the deciding records", async () => {
    const b = await fullCase();
    const list = await expectOnly(b.caseId, {});
    expect(list.map((i) => i.code)).toEqual([
      "HANDOVER", "SIGHT_ON_SAFETY", "SAFETY_PLAN", "SAFETY_GOALS_AND_REGIE", "FITTING_HELP", "ONE_PLAN",
      "INFORMATION_SHARING", "SIGNALS_AND_ADJUSTMENT", "CASE_EVALUATION", "RISK_COMPARED", "ORGANISATION_RESULTS", "NETWORK_EVALUATION",
    ]);
    for (const i of list) expect(i.missing).toEqual([]);
    expect(list[1].evidence).toContainEqual(expect.objectContaining({ recordType: "RiskAssessment", recordId: b.riskIds[1], date: addDays(localToday(), -10) }));
    expect(list[2].evidence).toContainEqual(expect.objectContaining({ recordType: "SafetyPlan", recordId: b.safetyPlanId }));
    expect(list[9].evidence.map((e) => e.recordId)).toEqual([b.evaluationId, b.riskIds[0], b.riskIds[1]]);
    // a due item that does not (yet) make anything fail
    expect(list[1].due).toContainEqual(expect.objectContaining({ kind: "MONITORING", dueOn: addDays(localToday(), 60), overdue: false }));
  });

  it("1 handover: not written, no overview of help, no safety conditions; not applicable without a handover", async () => {
    const a = await fullCase();
    await sql("UPDATE handover SET written_handover_received = false, written_handover_received_on = NULL WHERE case_id = $1", [a.caseId]);
    await expectOnly(a.caseId, { 1: "NOT_MET" }, { n: 1, contains: "geen schriftelijke overdracht" });
    const b = await fullCase();
    await sql("UPDATE handover SET help_already_involved = NULL WHERE case_id = $1", [b.caseId]);
    await expectOnly(b.caseId, { 1: "NOT_MET" }, { n: 1, contains: "overzicht van de betrokken hulpverlening" });
    const c = await fullCase();
    await sql("UPDATE handover SET safety_conditions = '{}' WHERE case_id = $1", [c.caseId]);
    await expectOnly(c.caseId, { 1: "NOT_MET" }, { n: 1, contains: "veiligheidsvoorwaarden" });
    const d = await fullCase();
    await sql("DELETE FROM handover WHERE case_id = $1", [d.caseId]);
    await expectOnly(d.caseId, { 1: "NOT_APPLICABLE" });
  });

  it("2 sight on safety: risk assessment older than 90 days; high risk without a measure; overdue VT monitoring; monitoring due in 7 days is only due", async () => {
    const a = await fullCase();
    await sql("UPDATE risk_assessment SET assessed_on = assessed_on - 100 WHERE case_id = $1", [a.caseId]);
    await expectOnly(a.caseId, { 2: "NOT_MET" }, { n: 2, contains: "geen risicotaxatie in de laatste 90 dagen" });

    const b = await fullCase();
    await sql("UPDATE risk_assessment SET level = 'HIGH' WHERE id = $1", [b.riskIds[1]]);
    await expectOnly(b.caseId, { 2: "NOT_MET" }, { n: 2, contains: "geen MDO of kernbeslissing na het hoge risico" });
    const jansen = await professionalId(USERS.jansen);
    await sql(
      "INSERT INTO key_decision (case_id, decision, decided_on, decided_by, consulted, information_basis) VALUES ($1, 'Opschalen', current_date, $2, 'Gedragswetenschapper', 'Risicotaxatie')",
      [b.caseId, jansen],
    );
    const fixed = await expectOnly(b.caseId, {});
    expect(fixed[1].evidence.map((e) => e.recordType)).toContain("KeyDecision");

    const c = await fullCase();
    await sql("UPDATE monitoring_contact SET due_on = current_date - 1 WHERE case_id = $1", [c.caseId]);
    const list = await expectOnly(c.caseId, { 2: "NOT_MET" }, { n: 2, contains: "VT-monitoring niet uitgevoerd" });
    expect(list[1].due).toContainEqual(expect.objectContaining({ kind: "MONITORING", overdue: true }));

    const d = await fullCase();
    await sql("UPDATE monitoring_contact SET due_on = $2 WHERE case_id = $1", [d.caseId, addDays(localToday(), 7)]);
    const soon = await expectOnly(d.caseId, {});
    expect(soon[1].due).toContainEqual(expect.objectContaining({ kind: "MONITORING", dueSoon: true, overdue: false, text: expect.stringContaining("VT-monitoring over 7 dagen") }));

    const e = await fullCase();
    await sql("DELETE FROM monitoring_contact WHERE case_id = $1", [e.caseId]);
    await expectOnly(e.caseId, { 2: "NOT_MET" }, { n: 2, contains: "geen VT-monitoring gepland" });
  });

  it("3 safety plan: not made with the client, not shared with Het Anker, no report-to; no plan at all", async () => {
    const a = await fullCase();
    await sql("UPDATE safety_plan SET made_with_client = false WHERE case_id = $1", [a.caseId]);
    await expectOnly(a.caseId, { 3: "NOT_MET" }, { n: 3, contains: "niet samen met de cliënt" });
    const b = await fullCase();
    await sql("DELETE FROM safety_agreement_share WHERE case_id = $1 AND organisation_id = $2", [b.caseId, org.anker]);
    await expectOnly(b.caseId, { 3: "NOT_MET" }, { n: 3, contains: "veiligheidsplan niet gedeeld met Basisschool Het Anker" });
    const c = await fullCase();
    await sql("UPDATE safety_agreement SET report_to_organisation_id = NULL WHERE id = $1", [c.agreementIds[1]]);
    await expectOnly(c.caseId, { 3: "NOT_MET" }, { n: 3, contains: "afspraak met prioriteit 2: niet vastgelegd aan wie gerapporteerd wordt" });
    const d = await fullCase();
    await sql("UPDATE safety_agreement SET status = 'CANCELLED' WHERE case_id = $1", [d.caseId]);
    // no agreements left: the plan (3) and its prioritised goals (4) fail
    await expectOnly(d.caseId, { 3: "NOT_MET", 4: "NOT_MET" }, { n: 3, contains: "veiligheidsplan zonder afspraken" });
  });

  it("4 safety goals and regie: equal priorities, no term, no casusregisseur", async () => {
    const a = await fullCase();
    await sql("UPDATE safety_agreement SET priority = 1 WHERE case_id = $1", [a.caseId]);
    await expectOnly(a.caseId, { 4: "NOT_MET" }, { n: 4, contains: "2 veiligheidsafspraken met dezelfde prioriteit 1" });
    const b = await fullCase();
    await sql("UPDATE safety_agreement SET due_on = NULL WHERE id = $1", [b.agreementIds[0]]);
    await expectOnly(b.caseId, { 4: "NOT_MET" }, { n: 4, contains: "prioriteit 1 zonder termijn" });
    const c = await fullCase();
    await sql("UPDATE regie_assignment SET ended_at = now() WHERE case_id = $1", [c.caseId]);
    // no regisseur: also "who holds regie" in the one plan (6)
    await expectOnly(c.caseId, { 4: "NOT_MET", 6: "NOT_MET" }, { n: 4, contains: "geen casusregisseur" });
  });

  it("5 fitting help: a life domain missing, children's own words, children not heard; not required without children", async () => {
    const a = await fullCase();
    await sql("DELETE FROM life_domain_score WHERE case_id = $1 AND domain = 'FINANCES'", [a.caseId]);
    await expectOnly(a.caseId, { 5: "NOT_MET" }, { n: 5, contains: "leefgebied Financiën niet in kaart gebracht" });
    const b = await fullCase();
    await sql("UPDATE plan SET children_words = NULL WHERE case_id = $1", [b.caseId]);
    await expectOnly(b.caseId, { 5: "NOT_MET" }, { n: 5, contains: "eigen woorden van de kinderen niet vastgelegd" });
    const c = await fullCase();
    await sql("UPDATE plan SET children_heard = false, help_question = NULL WHERE case_id = $1", [c.caseId]);
    const list = await expectOnly(c.caseId, { 5: "NOT_MET" });
    expect(list[4].missing).toEqual(["hulpvraag niet vastgelegd", "kinderen niet gehoord"]);
    const d = await fullCase({ hasChildren: false });
    await expectOnly(d.caseId, {});
  });

  it("6 one plan: no problem analysis, partial plan not linked, network not used, no network", async () => {
    const a = await fullCase();
    await sql("UPDATE plan SET problem_analysis = NULL WHERE case_id = $1", [a.caseId]);
    await expectOnly(a.caseId, { 6: "NOT_MET" }, { n: 6, contains: "geen gedeelde probleemanalyse" });
    const b = await fullCase();
    await sql("UPDATE goal SET partial_plan_id = NULL WHERE id = $1", [b.goalId]);
    // its goal no longer under the partial plan: also its results are not evaluated (11)
    await expectOnly(b.caseId, { 6: "NOT_MET", 11: "NOT_MET" }, { n: 6, contains: "deelplan van Huisartsenpraktijk Waalbeek-Noord niet gekoppeld" });
    const c = await fullCase();
    await sql("UPDATE network_member SET contribution = NULL WHERE case_id = $1", [c.caseId]);
    await sql("UPDATE safety_agreement SET responsible_kind = 'CLIENT', responsible_network_member_id = NULL WHERE id = $1", [c.agreementIds[1]]);
    await expectOnly(c.caseId, { 6: "NOT_MET" }, { n: 6, contains: "sociaal netwerk in kaart, maar niet ingezet" });
    const d = await fullCase();
    await sql("UPDATE safety_agreement SET responsible_kind = 'CLIENT', responsible_network_member_id = NULL WHERE id = $1", [d.agreementIds[1]]);
    await sql("DELETE FROM network_member WHERE case_id = $1", [d.caseId]);
    await expectOnly(d.caseId, { 6: "NOT_MET" }, { n: 6, contains: "sociaal netwerk niet in kaart gebracht" });
  });

  it("7 information sharing: withdrawn consent fails it, a sharing decision with its weighing fixes it; no partners → not applicable", async () => {
    const a = await fullCase();
    await sql("UPDATE consent SET withdrawn_at = now() - interval '1 day' WHERE case_id = $1 AND organisation_id = $2", [a.caseId, org.hap]);
    await expectOnly(a.caseId, { 7: "NOT_MET" }, { n: 7, contains: "geen toestemming of vastgelegde afweging voor delen met Huisartsenpraktijk Waalbeek-Noord" });
    const jansen = await professionalId(USERS.jansen);
    const d = await db().query(
      "INSERT INTO sharing_decision (case_id, organisation_id, categories, legal_basis, weighing, decided_by, decided_on) VALUES ($1, $2, ARRAY['risk'], 'Meldcode', 'Veiligheid gaat voor', $3, current_date) RETURNING id",
      [a.caseId, org.hap, jansen],
    );
    const fixed = await expectOnly(a.caseId, {});
    expect(fixed[6].evidence).toContainEqual(expect.objectContaining({ recordType: "SharingDecision", recordId: d.rows[0].id }));
    // only the social team (regie) and VT involved: nobody to share with
    const b = await fullCase({ involve: [], hasChildren: false });
    const list = await indicators(b.caseId);
    expect(list[6].status).toBe("NOT_APPLICABLE");
  });

  it("8 signals and adjustment: a signal not acknowledged within 2 days; a fresh one is only due; no MDO in 90 days", async () => {
    const a = await fullCase();
    const gp = await professionalId(USERS.gp);
    await sql("INSERT INTO signal (case_id, reporting_organisation_id, reported_by, observed_on, description, created_at) VALUES ($1, $2, $3, current_date - 3, 'Nieuw', now() - interval '3 days')", [a.caseId, org.hap, gp]);
    const list = await expectOnly(a.caseId, { 8: "NOT_MET" }, { n: 8, contains: "niet binnen 2 dagen bevestigd" });
    expect(list[7].due).toContainEqual(expect.objectContaining({ kind: "SIGNAL", overdue: true }));
    const b = await fullCase();
    await sql("INSERT INTO signal (case_id, reporting_organisation_id, reported_by, observed_on, description) VALUES ($1, $2, $3, current_date, 'Vandaag')", [b.caseId, org.hap, gp]);
    const fresh = await expectOnly(b.caseId, {});
    expect(fresh[7].due).toContainEqual(expect.objectContaining({ kind: "SIGNAL", overdue: false, dueOn: addDays(localToday(), 2) }));
    const c = await fullCase();
    await sql("UPDATE case_file SET opened_at = now() - interval '100 days' WHERE id = $1", [c.caseId]);
    await expectOnly(c.caseId, { 8: "NOT_MET" }, { n: 8, contains: "geen MDO in de laatste 90 dagen" });
    await sql("INSERT INTO meeting (case_id, scheduled_at, status, held_at) VALUES ($1, now() - interval '5 days', 'HELD', now() - interval '5 days')", [c.caseId]);
    await expectOnly(c.caseId, {});
  });

  it("9–12 evaluation: without the family, without the client's experience, risk not compared, partial plan results, an organisation missing", async () => {
    const a = await fullCase();
    await sql("UPDATE evaluation SET with_family = false, client_experience = NULL WHERE case_id = $1", [a.caseId]);
    const list = await expectOnly(a.caseId, { 9: "NOT_MET" });
    expect(list[8].missing).toEqual(["evaluatie niet samen met het gezin", "ervaring van de cliënt niet vastgelegd in de evaluatie"]);
    const b = await fullCase();
    await sql("UPDATE evaluation SET risk_now_id = NULL WHERE case_id = $1", [b.caseId]);
    await expectOnly(b.caseId, { 10: "NOT_MET" }, { n: 10, contains: "vergelijkt het risico bij de start niet" });
    const c = await fullCase();
    await sql("DELETE FROM evaluation_goal WHERE case_id = $1", [c.caseId]);
    await expectOnly(c.caseId, { 11: "NOT_MET" }, { n: 11, contains: "resultaten van het deelplan van Huisartsenpraktijk Waalbeek-Noord niet geëvalueerd" });
    const d = await fullCase();
    await sql("UPDATE evaluation SET participant_organisation_ids = array_remove(participant_organisation_ids, $2::uuid) WHERE case_id = $1", [d.caseId, org.hap]);
    await expectOnly(d.caseId, { 12: "NOT_MET" }, { n: 12, contains: "Huisartsenpraktijk Waalbeek-Noord niet betrokken bij de evaluatie" });
  });

  it("9–12 are not applicable until an evaluation is due; a case closed without one fails them, and has nothing due", async () => {
    const a = await fullCase();
    await sql("DELETE FROM evaluation_goal WHERE case_id = $1", [a.caseId]);
    await sql("DELETE FROM evaluation WHERE case_id = $1", [a.caseId]);
    const list = await expectOnly(a.caseId, { 9: "NOT_APPLICABLE", 10: "NOT_APPLICABLE", 11: "NOT_APPLICABLE", 12: "NOT_APPLICABLE" });
    expect(list[8].due).toContainEqual(expect.objectContaining({ kind: "EVALUATION", dueOn: addDays(localToday(), 180) }));
    await sql("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [a.caseId]);
    const closed = await expectOnly(a.caseId, { 9: "NOT_MET", 10: "NOT_MET", 11: "NOT_MET", 12: "NOT_MET" }, { n: 9, contains: "casus afgesloten zonder evaluatie" });
    expect(closed[0]).toMatchObject({ evaluatedOn: localToday() });
    for (const i of closed) expect(i.due).toEqual([]);
  });
});

describe("who sees a case's indicators", () => {
  it("the regisseur, the behavioural scientist and the team's manager do; partners and the auditor do not", async () => {
    const b = await fullCase({ involve: ["anker", "hap", "brug"] });
    for (const u of [USERS.jansen, USERS.smit, USERS.visser]) expect((await indicators(b.caseId, u)).length).toBe(12);
    for (const u of [USERS.brug, USERS.anker, USERS.gp, USERS.vt]) {
      const r = await t.gql(u, INDICATORS_Q, { id: b.caseId });
      expect(r.data?.case, u).not.toBeNull(); // the case itself is visible…
      expect(r.errors?.[0]?.extensions?.code, u).toBe("FORBIDDEN"); // …its indicators are not
      expect(r.errors?.[0]?.path, u).toEqual(["case", "indicators"]);
    }
    const r = await t.gql(USERS.beleid, INDICATORS_Q, { id: b.caseId });
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(r.errors?.[0]?.extensions?.code);
    expect(r.data?.case ?? null).toBeNull();
  });

  it("a regisseur of an organisation that does not hold regie in the case acts as a professional: no indicators", async () => {
    const b = await fullCase({ involve: ["anker", "hap", "regieteam"] });
    const r = await t.gql(USERS.mulder, INDICATORS_Q, { id: b.caseId });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await indicators(b.caseId, USERS.jansen)).length).toBe(12);
  });
});

// ---------------------------------------------------------------------------------------------
// Aggregates: exact counts need cases no other test touches. New organisations would change the
// demo network (test/demo.test.ts counts its ten), so the cases live in past years instead:
// 2017 and 2018 (organisation figures) and 2019 (network figures). New users are fine.

async function freshUser(organisationId: string, role: string): Promise<string> {
  const email = `${role.toLowerCase()}.${rand()}@test.example`;
  await sql("INSERT INTO professional (organisation_id, email, name, role) VALUES ($1, $2, $3, $4)", [organisationId, email, `Test ${role}`, role]);
  return email;
}

/** A complete case handed over on `base` and closed six weeks later (judged on its closing date). */
async function pastCase(base: string, opts: Parameters<typeof fullCase>[0] = {}): Promise<Built> {
  const b = await fullCase({ ...opts, base });
  await sql("UPDATE case_file SET status = 'CLOSED', closed_at = $2 WHERE id = $1", [b.caseId, `${addDays(base, 45)}T12:00:00Z`]);
  return b;
}

const ORG_Q = `query($from: LocalDate, $to: LocalDate) { organisationIndicators(from: $from, to: $to) {
  organisationId organisationName from to cases
  figures { number code title theme applicable met notMet notApplicable share notMetCases { caseId status missing case { id } } metCases { caseId } }
  trend { month cases figures { number applicable met notMet share } } } }`;
const NET_Q = `query($from: LocalDate, $to: LocalDate) { networkIndicators(from: $from, to: $to) {
  from to minimumCellSize suppressed cases
  figures { number code theme title suppressed applicable met notMet share reasons { reason cases } }
  trend { month suppressed cases figures { number suppressed applicable met notMet share } } } }`;

describe("per organisation (MANAGER): shares, trend and the cases behind each figure", () => {
  it("counts exactly the cases the organisation is involved in, per indicator, with the not-met cases to pick up first", async () => {
    const period = { from: "2018-01-01", to: "2018-12-31" };
    const cases: Built[] = [];
    for (let i = 0; i < 6; i++) cases.push(await pastCase("2018-03-01"));
    for (const c of cases.slice(0, 2)) await sql("UPDATE handover SET written_handover_received = false, written_handover_received_on = NULL WHERE case_id = $1", [c.caseId]);
    await sql("UPDATE handover SET help_already_involved = NULL WHERE case_id = $1", [cases[0].caseId]);
    await sql("DELETE FROM life_domain_score WHERE case_id = $1 AND domain = 'FINANCES'", [cases[2].caseId]);

    const o = (await t.ok(USERS.visser, ORG_Q, period)).organisationIndicators;
    expect(o).toMatchObject({ organisationId: org.swt, organisationName: ORGS.swt, cases: 6, from: "2018-01-01", to: "2018-12-31" });
    const f = (n: number) => o.figures[n - 1];
    expect(f(1)).toMatchObject({ applicable: 6, met: 4, notMet: 2, notApplicable: 0, share: 0.667 });
    // most missing first: case 0 misses two things
    expect(f(1).notMetCases.map((r: any) => r.caseId)).toEqual([cases[0].caseId, cases[1].caseId]);
    expect(f(1).notMetCases[0].missing).toHaveLength(2);
    expect(f(1).notMetCases[0].case).toEqual({ id: cases[0].caseId });
    expect(f(5)).toMatchObject({ applicable: 6, met: 5, notMet: 1 });
    expect(f(5).notMetCases).toEqual([expect.objectContaining({ caseId: cases[2].caseId, missing: ["leefgebied Financiën niet in kaart gebracht"] })]);
    for (const n of [2, 3, 4, 6, 7, 8, 9, 10, 11, 12]) expect(f(n), String(n)).toMatchObject({ applicable: 6, met: 6, notMet: 0, share: 1 });
    expect(new Set(f(3).metCases.map((r: any) => r.caseId))).toEqual(new Set(cases.map((c) => c.caseId)));
    // trend: March and April hold the six cases (judged at month end, April on the closing date)
    const byMonth = Object.fromEntries(o.trend.map((m: any) => [m.month, m]));
    expect(o.trend).toHaveLength(12);
    expect(byMonth["2018-03"]).toMatchObject({ cases: 6 });
    expect(byMonth["2018-03"].figures[0]).toMatchObject({ applicable: 6, met: 4, notMet: 2 });
    expect(byMonth["2018-04"].cases).toBe(6);
    expect(byMonth["2018-06"]).toMatchObject({ cases: 0 });

    // every case behind the figures is in the access log as an indicators read by the manager
    const logged = (await sql("SELECT DISTINCT case_id FROM access_log WHERE email = $1 AND action = 'READ' AND 'indicators' = ANY(categories) AND at > now() - interval '1 minute'", [USERS.visser])).rows.map((r) => r.case_id);
    for (const c of cases) expect(logged).toContain(c.caseId);

    // another organisation's manager sees its own figures, not these
    const other = (await t.ok(await freshUser(org.regieteam, "MANAGER"), ORG_Q, period)).organisationIndicators;
    expect(other).toMatchObject({ organisationId: org.regieteam, cases: 0 });
  });

  it("a case the organisation was involved in during the period counts, but is no longer listed once its involvement ended", async () => {
    const manager = await freshUser(org.regieteam, "MANAGER");
    const period = { from: "2017-01-01", to: "2017-12-31" };
    const b = await pastCase("2017-03-01", { extraOrgIds: [org.regieteam] });
    const before = (await t.ok(manager, ORG_Q, period)).organisationIndicators;
    expect(before.cases).toBe(1);
    expect(before.figures[0].metCases).toEqual([{ caseId: b.caseId }]);
    await sql("UPDATE involvement SET ended_at = now() WHERE case_id = $1 AND organisation_id = $2", [b.caseId, org.regieteam]);
    const after = (await t.ok(manager, ORG_Q, period)).organisationIndicators;
    expect(after.cases).toBe(1);
    expect(after.figures[0]).toMatchObject({ applicable: 1, met: 1, metCases: [], notMetCases: [] });
  });

  it("only managers: the regisseur, the auditor and a school get FORBIDDEN; a bad period is BAD_USER_INPUT", async () => {
    for (const u of [USERS.jansen, USERS.beleid, USERS.vlinder, USERS.smit]) {
      const r = await t.gql(u, ORG_Q);
      expect(r.errors?.[0]?.extensions?.code, u).toBe("FORBIDDEN");
      expect(r.data?.organisationIndicators ?? null).toBeNull();
    }
    const r = await t.gql(USERS.visser, ORG_Q, { from: "2026-05-01", to: "2026-04-01" });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "from" });
    const long = await t.gql(USERS.visser, ORG_Q, { from: "2020-01-01", to: "2024-01-01" });
    expect(long.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

/** Seven cases handed over on 1-3-2019 and closed on 15-4-2019: a period no other test touches. */
async function network2019(): Promise<Built[]> {
  const out: Built[] = [];
  for (let i = 0; i < 7; i++) {
    // four cases without partners that need consent (the Regieteam takes part, but needs none)
    const b = await fullCase({ base: "2019-03-01", involve: i < 3 ? ["anker", "hap"] : ["regieteam"], hasChildren: i < 3 });
    await sql("UPDATE case_file SET status = 'CLOSED', closed_at = '2019-04-15T12:00:00Z' WHERE id = $1", [b.caseId]);
    out.push(b);
  }
  for (const b of out.slice(0, 5)) await sql("UPDATE handover SET written_handover_received = false, written_handover_received_on = NULL WHERE case_id = $1", [b.caseId]);
  return out;
}

describe("per network (AUDITOR): anonymised counts, small figures suppressed, reports", () => {
  let built: Built[];
  const period = { from: "2019-01-01", to: "2019-12-31" };
  beforeAll(async () => {
    built = await network2019();
  });

  it("counts every case of the network in the period, judged on its closing date; fewer than 5 → null and suppressed", async () => {
    const n = (await t.ok(USERS.beleid, NET_Q, period)).networkIndicators;
    expect(n).toMatchObject({ from: "2019-01-01", to: "2019-12-31", minimumCellSize: 5, suppressed: false, cases: 7 });
    const f = (k: number) => n.figures[k - 1];
    expect(f(1)).toMatchObject({ suppressed: false, applicable: 7, met: 2, notMet: 5, share: 0.286 });
    expect(f(1).reasons).toEqual([{ reason: "geen schriftelijke overdracht ontvangen", cases: 5 }]);
    expect(f(3)).toMatchObject({ suppressed: false, applicable: 7, met: 7, notMet: 0, share: 1, reasons: [] });
    // information sharing applies only to the three cases with partners: suppressed
    expect(f(7)).toEqual({ number: 7, code: "INFORMATION_SHARING", theme: expect.any(String), title: "Informatie delen", suppressed: true, applicable: null, met: null, notMet: null, share: null, reasons: [] });
    for (const k of [2, 4, 5, 6, 8, 9, 10, 11, 12]) expect(f(k), String(k)).toMatchObject({ applicable: 7, met: 7 });
    // trend: March and April hold the seven cases; the other months none (suppressed)
    const byMonth = Object.fromEntries(n.trend.map((m: any) => [m.month, m]));
    expect(n.trend).toHaveLength(12);
    expect(byMonth["2019-03"]).toMatchObject({ suppressed: false, cases: 7 });
    expect(byMonth["2019-03"].figures[0]).toMatchObject({ applicable: 7, met: 2, notMet: 5 });
    expect(byMonth["2019-04"]).toMatchObject({ suppressed: false, cases: 7 });
    expect(byMonth["2019-05"]).toMatchObject({ suppressed: true, cases: null });
    expect(byMonth["2019-05"].figures[0]).toMatchObject({ suppressed: true, applicable: null, share: null });
    // nothing of the cases themselves
    const text = JSON.stringify(n);
    for (const b of built) for (const id of [b.caseId, b.familyId, ...b.adultIds, ...b.childIds]) expect(text).not.toContain(id);
    expect(text).not.toMatch(/Testgezin|Anker|Huisarts/);
  });

  it("a managers sees the same network figures; regisseurs, schools and the privacy officer do not", async () => {
    const m = (await t.ok(USERS.visser, NET_Q, period)).networkIndicators;
    expect(m.figures[0]).toMatchObject({ applicable: 7, met: 2 });
    for (const u of [USERS.jansen, USERS.vlinder, USERS.fg, USERS.vt]) {
      const r = await t.gql(u, NET_Q, period);
      expect(r.errors?.[0]?.extensions?.code, u).toBe("FORBIDDEN");
    }
  });

  it("reports: CSV and a printable HTML page laid out like the inspection's, over HTTP with a bearer token", async () => {
    const base = t.url.replace(/\/graphql$/, "");
    const get = async (path: string, email: string | null) =>
      fetch(`${base}${path}`, { headers: email ? { authorization: `Bearer ${await t.token(email)}` } : {} });
    const csv = await get(`/reports/network.csv?from=2019-01-01&to=2019-12-31`, USERS.beleid);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const body = await csv.text();
    const lines = body.trim().split("\r\n");
    expect(lines[0]).toBe("periode_van,periode_tot,maand,nummer,thema,indicator,van_toepassing,voldaan,niet_voldaan,aandeel_voldaan,onderdrukt");
    expect(lines).toContain("2019-01-01,2019-12-31,totaal,1,Maatregelen voor herstel directe veiligheid,Overdracht vanuit Veilig Thuis,7,2,5,0.286,false");
    expect(lines).toContain("2019-01-01,2019-12-31,totaal,7,Passende hulp voor herstel van veiligheid op langere termijn,Informatie delen,,,,,true");
    expect(lines).toHaveLength(1 + 12 + 12 * 12);

    const html = await get(`/reports/network.html?from=2019-01-01&to=2019-12-31`, USERS.visser);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toContain("text/html");
    const page = await html.text();
    for (const s of [
      "Thema: Maatregelen voor herstel directe veiligheid",
      "Thema: Evaluatie van werkzame elementen",
      "Indicator 1: Overdracht vanuit Veilig Thuis",
      "Wat gaat goed:",
      "Wat kan beter:",
      "geen schriftelijke overdracht ontvangen: 5 casussen",
      "Periode: 1-1-2019 t/m 31-12-2019",
    ]) expect(page).toContain(s);
    for (const b of built) expect(page).not.toContain(b.caseId);

    expect((await get(`/reports/network.csv`, null)).status).toBe(401);
    expect((await get(`/reports/network.csv`, USERS.vlinder)).status).toBe(403);
    expect((await get(`/reports/network.html`, USERS.jansen)).status).toBe(403);
    const bad = await get(`/reports/network.csv?from=2019-13-01`, USERS.beleid);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "BAD_USER_INPUT", field: "from" });

    // the same report as GraphQL string fields
    const g = (await t.ok(USERS.beleid, `query($from: LocalDate, $to: LocalDate) { networkIndicators(from: $from, to: $to) { csv html } }`, period)).networkIndicators;
    expect(g.csv).toBe(body);
    expect(g.html).toBe(page);
  });
});

// ---------------------------------------------------------------------------------------------

const WORKLIST_Q = `{ myWorklist { caseId firstDueOn overdueCount notMetCount case { id } items { kind indicator dueOn overdue dueSoon text } } }`;

async function waitFor<T>(probe: () => T | undefined, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("worklist: the regisseur's cases by what needs doing soonest, live on myChanges", () => {
  it("orders cases by their earliest item (overdue first) and lists only the viewer's own regie cases", async () => {
    const regisseur = await freshUser(org.swt, "REGISSEUR");
    const gp = await professionalId(USERS.gp);
    const x = await fullCase({ regisseur });
    await sql("INSERT INTO signal (case_id, reporting_organisation_id, reported_by, observed_on, description, created_at) VALUES ($1, $2, $3, current_date - 3, 'Nieuw', now() - interval '3 days')", [x.caseId, org.hap, gp]);
    const y = await fullCase({ regisseur });
    await sql("UPDATE monitoring_contact SET due_on = $2 WHERE case_id = $1", [y.caseId, addDays(localToday(), 7)]);
    const z = await createCase({ involve: ["anker"], regisseur });

    const list = (await t.ok(regisseur, WORKLIST_Q)).myWorklist;
    expect(list.map((e: any) => e.caseId)).toEqual([x.caseId, y.caseId, z.caseId]);
    expect(list[0]).toMatchObject({ firstDueOn: addDays(localToday(), -1), overdueCount: 1, notMetCount: 1, case: { id: x.caseId } });
    expect(list[0].items[0]).toMatchObject({ kind: "SIGNAL", indicator: "SIGNALS_AND_ADJUSTMENT", overdue: true, dueSoon: true });
    expect(list[1].items[0]).toMatchObject({ kind: "MONITORING", dueOn: addDays(localToday(), 7), overdue: false, dueSoon: true, text: expect.stringContaining("VT-monitoring over 7 dagen") });
    expect(list[2].items.map((i: any) => i.kind)).toEqual(expect.arrayContaining(["RISK_ASSESSMENT", "SAFETY_PLAN", "MISSING"]));
    expect(list[2].firstDueOn).toBe(addDays(localToday(), 14));
    // dated items first, soonest first; undated after
    const dates = list[2].items.map((i: any) => i.dueOn);
    const firstNull = dates.indexOf(null);
    expect(dates.slice(0, firstNull)).toEqual([...dates.slice(0, firstNull)].sort());
    expect(dates.slice(firstNull).every((d: any) => d === null)).toBe(true);

    // others' worklists do not hold these cases; a manager's is empty, the auditor and a school may not ask
    const jansen = (await t.ok(USERS.jansen, WORKLIST_Q)).myWorklist.map((e: any) => e.caseId);
    expect(jansen).not.toContain(x.caseId);
    expect((await t.ok(USERS.visser, WORKLIST_Q)).myWorklist).toEqual([]);
    for (const u of [USERS.vlinder, USERS.beleid]) expect((await t.gql(u, WORKLIST_Q)).errors?.[0]?.extensions?.code, u).toBe("FORBIDDEN");
  });

  it("the job announces each item once when it becomes due (WORKLIST_DUE via the outbox), only to those who may see indicators; work done arrives as its own change", async () => {
    const regisseur = await freshUser(org.swt, "REGISSEUR");
    const gp = await professionalId(USERS.gp);
    const x = await fullCase({ regisseur });
    await sql("INSERT INTO signal (case_id, reporting_organisation_id, reported_by, observed_on, description, created_at) VALUES ($1, $2, $3, current_date - 3, 'Nieuw', now() - interval '3 days')", [x.caseId, org.hap, gp]);
    const y = await fullCase({ regisseur });
    await sql("UPDATE monitoring_contact SET due_on = $2 WHERE case_id = $1", [y.caseId, addDays(localToday(), 7)]);
    const z = await createCase({ involve: ["anker"], regisseur });
    const mine = new Set([x.caseId, y.caseId, z.caseId]);
    const head = Number((await sql("SELECT last_id FROM feed_head")).rows[0].last_id);

    const client = wsClient(t.url, await t.token(regisseur));
    const sub = collect(client, `subscription($after: String) { myChanges(after: $after) { id kind caseId entity subject { __typename ... on WorklistNotice { kind indicator dueOn text caseId } } } }`, { after: String(head) });
    try {
      // two instances' ticks at once: the advisory lock lets one run; a later tick adds nothing
      const [a, b] = await Promise.all([runWorklistTick(t.hub.deps, { caseIds: [...mine] }), runWorklistTick(t.hub.deps, { caseIds: [...mine] })]);
      expect(a + b).toBe(2);
      expect(await runWorklistTick(t.hub.deps, { caseIds: [...mine] })).toBe(0);

      const due = () => sub.received.map((r) => r.data?.myChanges).filter((c: any) => c?.kind === "WORKLIST_DUE" && mine.has(c.caseId));
      const got = await waitFor(() => (due().length >= 2 ? due() : undefined));
      expect(got).toHaveLength(2);
      const byCase = Object.fromEntries(got.map((c: any) => [c.caseId, c.subject]));
      expect(byCase[x.caseId]).toMatchObject({ __typename: "WorklistNotice", kind: "SIGNAL", indicator: "SIGNALS_AND_ADJUSTMENT", dueOn: addDays(localToday(), -1) });
      expect(byCase[y.caseId]).toMatchObject({ kind: "MONITORING", dueOn: addDays(localToday(), 7), text: expect.stringContaining("VT-monitoring over 7 dagen") });

      // the school involved in both cases never gets them; the team's manager may
      const school = (await t.ok(USERS.anker, `query($after: String) { changes(after: $after, first: 500) { edges { node { kind caseId } } } }`, { after: String(head) })).changes.edges;
      expect(school.filter((e: any) => e.node.kind === "WORKLIST_DUE" && mine.has(e.node.caseId))).toEqual([]);
      const manager = (await t.ok(USERS.visser, `query($after: String) { changes(after: $after, first: 500) { edges { node { kind caseId } } } }`, { after: String(head) })).changes.edges;
      expect(manager.filter((e: any) => e.node.kind === "WORKLIST_DUE" && mine.has(e.node.caseId))).toHaveLength(2);

      // done: the safety plan of z is made → its change reaches the regisseur, the item leaves the worklist
      const before = (await t.ok(regisseur, WORKLIST_Q)).myWorklist.find((e: any) => e.caseId === z.caseId);
      expect(before.items.map((i: any) => i.kind)).toContain("SAFETY_PLAN");
      await t.ok(regisseur, `mutation($input: CreateSafetyPlanInput!) { createSafetyPlan(input: $input) { id } }`, { input: { caseId: z.caseId, madeWithClient: true } });
      await waitFor(() => sub.received.find((r) => r.data?.myChanges?.kind === "SAFETY_PLAN_CREATED" && r.data.myChanges.caseId === z.caseId));
      const after = (await t.ok(regisseur, WORKLIST_Q)).myWorklist.find((e: any) => e.caseId === z.caseId);
      expect(after.items.map((i: any) => i.kind)).not.toContain("SAFETY_PLAN");
    } finally {
      sub.stop();
      await client.dispose();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The auditor reaches no personal data by any path

describe("the auditor can reach no personal data by any path", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = buildClientSchema((await t.ok(USERS.beleid, getIntrospectionQuery())) as unknown as IntrospectionQuery);
    await network2019Once();
  });

  let seeded: Promise<Built[]> | undefined;
  const network2019Once = () => (seeded ??= sql("SELECT count(*)::int AS n FROM case_file WHERE opened_at >= '2019-01-01' AND opened_at < '2020-01-01'").then(async (r) => (r.rows[0].n >= 5 ? [] : network2019())));

  /** A selection of every field reachable from `type`, `depth` levels deep (fields with required arguments skipped). */
  function selection(type: GraphQLType, depth: number): string {
    const named = getNamedType(type);
    if (isScalarType(named) || isEnumType(named)) return "";
    if (depth === 0) return "{ __typename }";
    if (isUnionType(named)) return `{ __typename ${named.getTypes().map((m) => `... on ${m.name} ${selection(m, depth - 1)}`).join(" ")} }`;
    if (!isObjectType(named)) return "{ __typename }";
    const fields = Object.values((named as GraphQLObjectType).getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
    return `{ __typename ${fields.map((f) => `${f.name} ${selection(f.type, depth - 1)}`).join(" ")} }`;
  }

  async function personalTokens(): Promise<{ ids: string[]; words: string[]; texts: string[] }> {
    const ids = (await sql(`SELECT id::text FROM case_file UNION ALL SELECT id::text FROM family UNION ALL SELECT id::text FROM family_member
      UNION ALL SELECT id::text FROM risk_assessment UNION ALL SELECT id::text FROM safety_agreement UNION ALL SELECT id::text FROM signal`)).rows.map((r) => r.id);
    // the BSN and the free texts are encrypted at rest: decrypted here through the hub's own key ring
    const words = (await sql(`SELECT name AS w, NULL AS f FROM family UNION SELECT given_name, NULL FROM family_member UNION SELECT family_name, NULL FROM family_member
      UNION SELECT bsn, 'family_member.bsn' FROM family_member WHERE bsn IS NOT NULL UNION SELECT name, NULL FROM network_member`)).rows.map((r) => (r.f ? decryptValue(r.w, r.f) : r.w) as string);
    const texts = (await sql(`SELECT outcome AS t, 'handover.outcome' AS f FROM handover UNION SELECT problem_analysis, NULL FROM plan WHERE problem_analysis IS NOT NULL
      UNION SELECT description, 'signal.description' FROM signal UNION SELECT conclusion, 'risk_assessment.conclusion' FROM risk_assessment UNION SELECT what, NULL FROM safety_agreement`)).rows
      .map((r) => (r.f ? decryptValue(r.t, r.f) : (r.t as string)).slice(0, 40))
      // other test files write one-word texts ("start"…) that the report's own labels contain
      .filter((t) => t.trim().length >= 12);
    return { ids, words, texts };
  }

  function strings(v: unknown, out: string[] = []): string[] {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) for (const x of v) strings(x, out);
    else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x, out);
    return out;
  }

  it("walks every root query field (with a real case id where one is asked): case-bound ones are FORBIDDEN / NOT_FOUND / empty, the rest hold no personal data", async () => {
    const deBoer = (await sql("SELECT c.id FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = 'De Boer'")).rows[0].id as string;
    const tokens = await personalTokens();
    const argValue = (type: GraphQLType): unknown => {
      const n = getNullableType(type);
      if (isListType(n)) return [argValue(n.ofType)];
      const named = getNamedType(type);
      if (isEnumType(named)) return named.getValues()[0].value;
      if (isInputObjectType(named)) return undefined;
      return { ID: deBoer, String: deBoer, Int: 1, Float: 1, Boolean: true, LocalDate: "2019-01-01" }[named.name] ?? deBoer;
    };
    const seen: string[] = [];
    for (const field of Object.values(schema.getQueryType()!.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (field.name.startsWith("__")) continue;
      // every argument filled (required and optional ID/date arguments alike: the most pointed request)
      const args = field.args.map((a) => ({ a, v: argValue(a.type) })).filter((x) => x.v !== undefined);
      if (field.args.some((a) => isNonNullType(a.type) && argValue(a.type) === undefined)) throw new Error(`cannot fill ${field.name}`);
      const defs = args.map(({ a }) => `$${a.name}: ${a.type.toString()}`).join(", ");
      const call = args.length ? `(${args.map(({ a }) => `${a.name}: $${a.name}`).join(", ")})` : "";
      const variables = Object.fromEntries(args.map(({ a, v }) => [a.name, v]));
      let r;
      for (let depth = 5; depth >= 1; depth--) {
        const text = `query${defs ? `(${defs})` : ""} { ${field.name}${call} ${selection(field.type, depth)} }`;
        // (a kept-alive socket the server just closed can reset once: ask again)
        r = await t.gql(USERS.beleid, text, variables).catch(() => t.gql(USERS.beleid, text, variables));
        const rejected = r.errors?.some((e) => e.extensions?.code === "GRAPHQL_VALIDATION_FAILED" || /too (deep|expensive)/i.test(e.message));
        if (!rejected) break;
      }
      expect(r!.errors?.some((e) => e.extensions?.code === "GRAPHQL_VALIDATION_FAILED"), `${field.name}: ${JSON.stringify(r!.errors)}`).toBeFalsy();
      const codes = (r!.errors ?? []).map((e) => e.extensions?.code);
      for (const c of codes) expect(["FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT"], `${field.name}: ${JSON.stringify(r!.errors)}`).toContain(c);
      const found = strings(r!.data);
      for (const s of found) {
        for (const id of tokens.ids) expect(s, `${field.name} returned a record id`).not.toContain(id);
        for (const w of tokens.words) expect(new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i").test(s), `${field.name} returned "${w}"`).toBe(false);
        for (const x of tokens.texts) expect(s, `${field.name} returned free text`).not.toContain(x);
      }
      // case-bound root fields (asked for a case id) give nothing at all
      if (field.args.some((a) => getNamedType(a.type).name === "ID")) {
        const value = r!.data?.[field.name];
        expect(value === null || value === undefined || (Array.isArray(value) && value.length === 0), `${field.name}: ${JSON.stringify(value)}`).toBe(true);
      }
      seen.push(field.name);
    }
    // the walk covered the auditor's own root fields and the case-bound ones
    expect(seen).toEqual(expect.arrayContaining(["me", "cases", "case", "changes", "networkIndicators", "organisationIndicators", "myWorklist"]));
    const network = (await t.ok(USERS.beleid, `query { networkIndicators(from: "2019-01-01", to: "2019-12-31") { cases figures { met } } }`)).networkIndicators;
    expect(network.cases).toBeGreaterThanOrEqual(5); // the walk did read real figures
  });

  it("no type reachable from the network figures can carry an id, a case or a name", () => {
    const reachable = new Set<string>();
    const visit = (type: GraphQLType) => {
      const named = getNamedType(type);
      if (reachable.has(named.name)) return;
      reachable.add(named.name);
      if (isObjectType(named)) for (const f of Object.values(named.getFields())) visit(f.type);
    };
    visit(schema.getQueryType()!.getFields().networkIndicators.type);
    expect(reachable.has("ID")).toBe(false);
    for (const n of reachable) expect(["Case", "Family", "FamilyMember", "Organisation", "Professional"]).not.toContain(n);
    expect([...reachable].sort()).toEqual(["Boolean", "Float", "IndicatorCode", "Int", "LocalDate", "NetworkIndicatorFigure", "NetworkIndicatorMonth", "NetworkIndicators", "NetworkReasonCount", "String"]);
  });

  it("the auditor's change feed and subscription carry nothing", async () => {
    const r = await t.gql(USERS.beleid, `{ changes(first: 500) { edges { node { id caseId } } } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(r.data?.changes ?? null).toBeNull();
    const client = wsClient(t.url, await t.token(USERS.beleid));
    const sub = collect(client, `subscription { myChanges(after: "0") { id caseId } }`);
    try {
      await new Promise((res) => setTimeout(res, 800));
      expect(sub.received.filter((x) => x.data)).toEqual([]);
    } finally {
      sub.stop();
      await client.dispose();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Indicator 3 with the safety_agreement_seen table (added by another module): checked at start-up

describe("known to all parties, when the hub records who has seen the safety plan", () => {
  let t2: TestHub;
  beforeAll(async () => {
    await sql(`CREATE TABLE IF NOT EXISTS safety_agreement_seen (
      agreement_id uuid NOT NULL REFERENCES safety_agreement(id), organisation_id uuid NOT NULL REFERENCES organisation(id),
      case_id uuid NOT NULL REFERENCES case_file(id), version int NOT NULL, seen_at timestamptz NOT NULL DEFAULT now(), seen_by uuid REFERENCES professional(id))`);
    t2 = await startTestHub(); // a new data source: it finds the table (to_regclass)
  });
  afterAll(() => t2?.stop());

  it("requires every involved partner to have seen the current version of what is shared with it", async () => {
    const b = await fullCase();
    await sql("DELETE FROM safety_agreement_seen WHERE case_id = $1", [b.caseId]);
    const ind = async () => (await t2.ok(USERS.jansen, INDICATORS_Q, { id: b.caseId })).case.indicators as Ind[];
    let list = await ind();
    expect(statuses(list)).toEqual({ ...allMet, 3: "NOT_MET" });
    expect(list[2].missing).toEqual(["veiligheidsplan niet gezien door Basisschool Het Anker", "veiligheidsplan niet gezien door Huisartsenpraktijk Waalbeek-Noord"]);
    for (const o of [org.anker, org.hap]) {
      for (const a of b.agreementIds) await sql("INSERT INTO safety_agreement_seen (agreement_id, organisation_id, case_id, version, seen_by) VALUES ($1, $2, $3, 1, $4)", [a, o, b.caseId, await professionalId(USERS.anker)]);
    }
    expect(statuses(await ind())).toEqual(allMet);
    // a new version of an agreement: seen again only once the partners saw it
    await sql("UPDATE safety_agreement SET version = 2 WHERE id = $1", [b.agreementIds[0]]);
    await sql("INSERT INTO safety_agreement_seen (agreement_id, organisation_id, case_id, version, seen_by) VALUES ($1, $2, $3, 2, $4)", [b.agreementIds[0], org.hap, b.caseId, await professionalId(USERS.gp)]);
    list = await ind();
    expect(list[2].missing).toEqual(["veiligheidsplan niet gezien door Basisschool Het Anker"]);
  });
});

describe("set-based: one history statement for many cases", () => {
  it("a page of cases with their indicators, and the network figures over every case × month, each read in one history statement", async () => {
    for (let i = 0; i < 3; i++) await fullCase();
    const ds = t.hub.deps.ds;
    const original = ds.query.bind(ds);
    let facts = 0;
    ds.query = ((q: string, p?: unknown[]) => {
      if (q.includes(") AS history")) facts++;
      return original(q, p);
    }) as typeof ds.query;
    try {
      // (cases where jansen's team does not hold regie answer FORBIDDEN for their indicators)
      const r = await t.gql(USERS.jansen, `{ cases(first: 50) { edges { node { id indicators { code status } } } } }`);
      const withIndicators = r.data!.cases.edges.filter((e: any) => e.node.indicators);
      expect(withIndicators.length).toBeGreaterThanOrEqual(3);
      for (const e of withIndicators) expect(e.node.indicators).toHaveLength(12);
      expect(facts).toBe(1);
      facts = 0;
      const n = (await t.ok(USERS.beleid, `{ networkIndicators { cases trend { month } } }`)).networkIndicators;
      expect(n.trend).toHaveLength(12);
      expect(facts).toBe(1);
    } finally {
      ds.query = original as typeof ds.query;
    }
  });
});
