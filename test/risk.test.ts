import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, professionalId, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const day = (offset: number) => iso(new Date(Date.now() + offset * 86_400_000));
const wrongId = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t?.stop());

const FIELDS = `id instrument instrumentOther assessedOn level conclusion createdAt assessor { email }`;
const RECORD = `mutation($input: RecordRiskAssessmentInput!) { recordRiskAssessment(input: $input) { ${FIELDS} } }`;
const RISKS = `query($id: ID!) { case(id: $id) { riskAssessments { ${FIELDS} } latestRiskAssessment { id level } } }`;

function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
const input = (caseId: string, over: Record<string, unknown> = {}) => ({
  caseId,
  instrument: "LIRIK",
  assessedOn: day(-7),
  level: "HIGH",
  conclusion: "Zorgen over huiselijk geweld bevestigd; beschermende factoren beperkt.",
  ...over,
});
const count = async (fx: FixtureCase) => (await db().query("SELECT count(*)::int AS n FROM risk_assessment WHERE case_id = $1", [fx.caseId])).rows[0].n;

describe("recordRiskAssessment, Case.riskAssessments and Case.latestRiskAssessment", () => {
  it("records assessments over time, lists them oldest first with the latest on top, and emits RISK_ASSESSED", async () => {
    const fx = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    const empty = await t.ok(USERS.jansen, RISKS, { id: fx.caseId });
    expect(empty.case).toEqual({ riskAssessments: [], latestRiskAssessment: null });

    const now = (await t.ok(USERS.jansen, RECORD, { input: input(fx.caseId, { assessedOn: day(0), level: "ELEVATED" }) })).recordRiskAssessment;
    expect(now).toMatchObject({ instrument: "LIRIK", instrumentOther: null, assessedOn: day(0), level: "ELEVATED", assessor: { email: USERS.jansen } });
    // recorded later, assessed earlier: ordered by the assessment date
    const start = (await t.ok(USERS.smit, RECORD, { input: input(fx.caseId, { assessedOn: day(-90), level: "ACUTE", instrument: "ARIJ" }) })).recordRiskAssessment;
    expect(start.assessor.email).toBe(USERS.smit);

    const d = await t.ok(USERS.jansen, RISKS, { id: fx.caseId });
    expect(d.case.riskAssessments.map((r: any) => r.id)).toEqual([start.id, now.id]);
    expect(d.case.latestRiskAssessment).toEqual({ id: now.id, level: "ELEVATED" });

    const ev = await db().query("SELECT kind, entity, case_id, organisation_ids FROM change_event WHERE entity_id = $1", [now.id]);
    expect(ev.rows).toEqual([{ kind: "RISK_ASSESSED", entity: "RiskAssessment", case_id: fx.caseId, organisation_ids: [] }]);
  });

  it("records another professional as assessor, and an OTHER instrument by name", async () => {
    const fx = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    const r = (
      await t.ok(USERS.jansen, RECORD, { input: input(fx.caseId, { instrument: "OTHER", instrumentOther: "Eigen checklist", assessorId: await professionalId(USERS.brug) }) })
    ).recordRiskAssessment;
    expect(r).toMatchObject({ instrument: "OTHER", instrumentOther: "Eigen checklist", assessor: { email: USERS.brug } });
  });

  it("refuses bad input with the field, and writes nothing", async () => {
    const fx = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    const cases: [Record<string, unknown>, string][] = [
      [{ instrument: "OTHER" }, "instrumentOther"],
      [{ instrument: "OTHER", instrumentOther: "  " }, "instrumentOther"],
      [{ instrumentOther: "Eigen checklist" }, "instrumentOther"], // only with OTHER
      [{ assessedOn: day(1) }, "assessedOn"],
      [{ conclusion: "" }, "conclusion"],
      [{ assessorId: await professionalId(USERS.ggz) }, "assessorId"], // GGZ Oever is not involved
      [{ assessorId: wrongId }, "assessorId"],
      [{ assessorId: "nope" }, "assessorId"],
    ];
    for (const [over, field] of cases) {
      expectError(await t.gql(USERS.jansen, RECORD, { input: input(fx.caseId, over) }), "BAD_USER_INPUT", field);
    }
    // enums are checked by the schema
    expectError(await t.gql(USERS.jansen, RECORD, { input: input(fx.caseId, { level: "MEDIUM" }) }), "BAD_USER_INPUT");
    expect(await count(fx)).toBe(0);
  });

  it("NOT_FOUND for a wrong case id and for a case the viewer's organisation is not involved in", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    expectError(await t.gql(USERS.jansen, RECORD, { input: input(wrongId) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, RECORD, { input: input(fx.caseId) }), "NOT_FOUND", "caseId");
  });

  it("FORBIDDEN for roles that do not assess risk, and for a regisseur of an organisation without regie in the case", async () => {
    const fx = await createCase({ involve: ["vlinder", "hap", "brug", "regieteam"], regisseur: USERS.jansen });
    for (const who of [USERS.brug, USERS.vlinder, USERS.gp, USERS.vt, USERS.mulder]) {
      expectError(await t.gql(who, RECORD, { input: input(fx.caseId) }), "FORBIDDEN");
    }
    expect(await count(fx)).toBe(0);
  });

  it("refuses a closed case: CONFLICT", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);
    expectError(await t.gql(USERS.jansen, RECORD, { input: input(fx.caseId) }), "CONFLICT", "caseId");
    expect(await count(fx)).toBe(0);
  });

  it("a care provider reads the risk level only with consent", async () => {
    const fx = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    await t.ok(USERS.jansen, RECORD, { input: input(fx.caseId) });
    const r = await t.gql(USERS.brug, RISKS, { id: fx.caseId });
    expect(r.data!.case.riskAssessments).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("assessments are immutable records: the API offers no way to change or delete one", async () => {
    const r = await t.ok(USERS.jansen, `{ __type(name: "Mutation") { fields { name } } }`); // introspection is on outside production
    const names = (r.__type.fields as { name: string }[]).map((f) => f.name).filter((n) => /risk/i.test(n));
    expect(names).toEqual(["recordRiskAssessment"]);
  });
});
