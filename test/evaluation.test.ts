import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;
let fx: FixtureCase; // De Brug and the GP involved; GGZ involved before (ended)
let other: FixtureCase;
let org: Record<"brug" | "hap" | "ggz" | "anker", string>;
let goals: string[]; // three goals of fx
let otherGoal: string;
let riskStart: string; // 2024-01-10, HIGH
let riskNow: string; // 2024-06-10, LOW
let otherRisk: string;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const today = iso(new Date());
const tomorrow = iso(new Date(Date.now() + 86_400_000));
const wrongId = "00000000-0000-4000-8000-000000000000";

async function insertGoal(caseId: string, title: string): Promise<string> {
  return (await db().query("INSERT INTO goal (case_id, title) VALUES ($1, $2) RETURNING id", [caseId, title])).rows[0].id;
}
async function insertRisk(caseId: string, on: string, level: string): Promise<string> {
  const r = await db().query(
    "INSERT INTO risk_assessment (case_id, instrument, assessed_on, level, conclusion, assessor_id) VALUES ($1, 'LIRIK', $2, $3, 'Gewogen conclusie', $4) RETURNING id",
    [caseId, on, level, await professionalId(USERS.smit)],
  );
  return r.rows[0].id;
}

beforeAll(async () => {
  t = await startTestHub();
  fx = await createCase({ involve: ["brug", "hap"], regisseur: USERS.jansen });
  other = await createCase({ regisseur: USERS.jansen });
  org = { brug: await orgId(ORGS.brug), hap: await orgId(ORGS.hap), ggz: await orgId(ORGS.ggz), anker: await orgId(ORGS.anker) };
  await db().query("INSERT INTO involvement (case_id, organisation_id, role, started_at, ended_at) VALUES ($1, $2, 'ggz', now() - interval '90 days', now() - interval '30 days')", [
    fx.caseId,
    org.ggz,
  ]);
  goals = [await insertGoal(fx.caseId, "Schulden stabiel"), await insertGoal(fx.caseId, "Kind gaat naar school"), await insertGoal(fx.caseId, "Geen geweld")];
  otherGoal = await insertGoal(other.caseId, "Ander doel");
  riskStart = await insertRisk(fx.caseId, "2024-01-10", "HIGH");
  riskNow = await insertRisk(fx.caseId, "2024-06-10", "LOW");
  otherRisk = await insertRisk(other.caseId, "2024-06-10", "LOW");
});
afterAll(() => t?.stop());

const RECORD = `mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) {
  id evaluatedOn withFamily goalsSummary clientExperience outcome createdAt
  participants { id } goalResults { goalId result }
  riskAtStartId riskNowId riskAtStartLevel riskNowLevel createdBy { email } } }`;
const CLOSE = `mutation($input: CloseCaseInput!) { closeCase(input: $input) { id status closedAt closeReason closeNote version } }`;
const VERSION = `query($id: ID!) { case(id: $id) { version status } }`;

const evalInput = (over: Record<string, unknown> = {}) => ({
  caseId: fx.caseId,
  evaluatedOn: today,
  withFamily: true,
  participantOrganisationIds: [org.brug, org.ggz],
  goalsSummary: "Twee van de drie doelen gehaald",
  goalResults: [
    { goalId: goals[0], result: "ACHIEVED" },
    { goalId: goals[1], result: "PARTIALLY_ACHIEVED" },
  ],
  riskAtStartId: riskStart,
  riskNowId: riskNow,
  clientExperience: "Moeder: 'Er is eindelijk rust in huis.'",
  outcome: "SCALE_DOWN",
  ...over,
});

function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field).toBe(field);
}
const count = async (sql: string, args: unknown[]) => (await db().query(sql, args)).rows[0].n as number;

describe("recordEvaluation", () => {
  it("records goals met, risk at start vs now and the client's experience; lists it on the case; emits EVALUATION_RECORDED", async () => {
    const e = (await t.ok(USERS.jansen, RECORD, { input: evalInput() })).recordEvaluation;
    expect(e).toMatchObject({
      evaluatedOn: today,
      withFamily: true,
      goalsSummary: "Twee van de drie doelen gehaald",
      clientExperience: "Moeder: 'Er is eindelijk rust in huis.'",
      outcome: "SCALE_DOWN",
      riskAtStartId: riskStart,
      riskNowId: riskNow,
      riskAtStartLevel: "HIGH",
      riskNowLevel: "LOW",
      createdBy: { email: USERS.jansen },
    });
    expect(e.participants.map((p: any) => p.id).sort()).toEqual([org.brug, org.ggz].sort());
    expect(e.goalResults).toHaveLength(2);
    expect(e.goalResults).toEqual(
      expect.arrayContaining([
        { goalId: goals[0], result: "ACHIEVED" },
        { goalId: goals[1], result: "PARTIALLY_ACHIEVED" },
      ]),
    );
    const c = await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { evaluations { id goalResults { goalId } } } }`, { id: fx.caseId });
    expect(c.case.evaluations.map((x: any) => x.id)).toContain(e.id);
    const ev = await db().query("SELECT entity, case_id, organisation_ids FROM change_event WHERE kind = 'EVALUATION_RECORDED' AND entity_id = $1", [e.id]);
    expect(ev.rows).toHaveLength(1);
    expect(ev.rows[0]).toMatchObject({ entity: "Evaluation", case_id: fx.caseId });
    expect([...ev.rows[0].organisation_ids].sort()).toEqual([org.brug, org.ggz].sort());
  });

  it("accepts an evaluation without goals or risk assessments", async () => {
    const e = (await t.ok(USERS.jansen, RECORD, { input: evalInput({ goalResults: [], riskAtStartId: null, riskNowId: null, participantOrganisationIds: [] }) }))
      .recordEvaluation;
    expect(e).toMatchObject({ goalResults: [], participants: [], riskAtStartLevel: null, riskNowLevel: null });
  });

  it("writes nothing when one goal is not a goal of this case", async () => {
    const before = await count("SELECT count(*)::int AS n FROM evaluation WHERE case_id = $1", [fx.caseId]);
    const beforeGoals = await count("SELECT count(*)::int AS n FROM evaluation_goal WHERE case_id = $1", [fx.caseId]);
    const r = await t.gql(USERS.jansen, RECORD, {
      input: evalInput({ goalResults: [{ goalId: goals[2], result: "ACHIEVED" }, { goalId: otherGoal, result: "NOT_ACHIEVED" }] }),
    });
    expectError(r, "BAD_USER_INPUT", "goalResults.1.goalId");
    expect(await count("SELECT count(*)::int AS n FROM evaluation WHERE case_id = $1", [fx.caseId])).toBe(before);
    expect(await count("SELECT count(*)::int AS n FROM evaluation_goal WHERE case_id = $1", [fx.caseId])).toBe(beforeGoals);
  });

  it("refuses bad references and dates with the field", async () => {
    expectError(await t.gql(USERS.jansen, RECORD, { input: evalInput({ riskNowId: otherRisk }) }), "BAD_USER_INPUT", "riskNowId");
    expectError(await t.gql(USERS.jansen, RECORD, { input: evalInput({ riskAtStartId: otherRisk }) }), "BAD_USER_INPUT", "riskAtStartId");
    expectError(await t.gql(USERS.jansen, RECORD, { input: evalInput({ riskAtStartId: riskNow, riskNowId: riskStart }) }), "BAD_USER_INPUT", "riskNowId");
    expectError(await t.gql(USERS.jansen, RECORD, { input: evalInput({ participantOrganisationIds: [org.anker] }) }), "BAD_USER_INPUT", "participantOrganisationIds");
    expectError(await t.gql(USERS.jansen, RECORD, { input: evalInput({ evaluatedOn: tomorrow }) }), "BAD_USER_INPUT", "evaluatedOn");
    expectError(
      await t.gql(USERS.jansen, RECORD, { input: evalInput({ goalResults: [{ goalId: goals[0], result: "ACHIEVED" }, { goalId: goals[0], result: "ACHIEVED" }] }) }),
      "BAD_USER_INPUT",
      "goalResults.1.goalId",
    );
    expectError(await t.gql(USERS.jansen, RECORD, { input: evalInput({ goalResults: [{ goalId: "x", result: "ACHIEVED" }] }) }), "BAD_USER_INPUT", "goalResults.0.goalId");
  });

  it("NOT_FOUND for a wrong case and a case the viewer's organisation is not involved in; FORBIDDEN for a care provider", async () => {
    expectError(await t.gql(USERS.jansen, RECORD, { input: evalInput({ caseId: wrongId }) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, RECORD, { input: evalInput() }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.brug, RECORD, { input: evalInput() }), "FORBIDDEN");
  });
});

describe("closeCase", () => {
  it("GOALS_MET needs an evaluation; stale versions and non-regisseurs are refused", async () => {
    const c = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    const { version } = (await t.ok(USERS.jansen, VERSION, { id: c.caseId })).case;
    expectError(await t.gql(USERS.jansen, CLOSE, { input: { caseId: c.caseId, version, reason: "GOALS_MET" } }), "BAD_USER_INPUT", "reason");
    expectError(await t.gql(USERS.jansen, CLOSE, { input: { caseId: c.caseId, version: version + 1, reason: "OTHER" } }), "CONFLICT", "version");
    expectError(await t.gql(USERS.brug, CLOSE, { input: { caseId: c.caseId, version, reason: "OTHER" } }), "FORBIDDEN");
    expectError(await t.gql(USERS.mulder, CLOSE, { input: { caseId: c.caseId, version, reason: "OTHER" } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.jansen, CLOSE, { input: { caseId: wrongId, version, reason: "OTHER" } }), "NOT_FOUND", "caseId");
    expect((await t.ok(USERS.jansen, VERSION, { id: c.caseId })).case).toEqual({ version, status: "OPEN" });
  });

  it("closes after an evaluation: ends regie, keeps involvements, emits CASE_CLOSED; closing twice is a CONFLICT", async () => {
    const c = await createCase({ involve: ["brug", "hap"], regisseur: USERS.jansen });
    await t.ok(USERS.jansen, RECORD, {
      input: evalInput({ caseId: c.caseId, participantOrganisationIds: [org.brug], goalResults: [], riskAtStartId: null, riskNowId: null, outcome: "CLOSE" }),
    });
    const { version } = (await t.ok(USERS.jansen, VERSION, { id: c.caseId })).case;
    const closed = (await t.ok(USERS.jansen, CLOSE, { input: { caseId: c.caseId, version, reason: "GOALS_MET", note: "Doelen behaald" } })).closeCase;
    expect(closed).toMatchObject({ id: c.caseId, status: "CLOSED", closeReason: "GOALS_MET", closeNote: "Doelen behaald", version: version + 1 });
    expect(closed.closedAt).not.toBeNull();
    expect(await count("SELECT count(*)::int AS n FROM regie_assignment WHERE case_id = $1 AND ended_at IS NULL", [c.caseId])).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM regie_assignment WHERE case_id = $1 AND ended_at IS NOT NULL", [c.caseId])).toBe(1);
    expect(await count("SELECT count(*)::int AS n FROM involvement WHERE case_id = $1 AND ended_at IS NULL", [c.caseId])).toBe(4);
    const ev = await db().query("SELECT entity, case_id, organisation_ids FROM change_event WHERE kind = 'CASE_CLOSED' AND entity_id = $1", [c.caseId]);
    expect(ev.rows).toHaveLength(1);
    const involved = [await orgId(ORGS.vt), await orgId(ORGS.swt), org.brug, org.hap].sort();
    expect([...ev.rows[0].organisation_ids].sort()).toEqual(involved);

    expectError(await t.gql(USERS.jansen, CLOSE, { input: { caseId: c.caseId, version: version + 1, reason: "OTHER" } }), "CONFLICT");
    expectError(await t.gql(USERS.jansen, RECORD, { input: evalInput({ caseId: c.caseId, goalResults: [], riskAtStartId: null, riskNowId: null, participantOrganisationIds: [] }) }), "CONFLICT");
    // the involved organisations still see the closed case
    expect((await t.ok(USERS.brug, VERSION, { id: c.caseId })).case.status).toBe("CLOSED");
  });
});
