import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, type FixtureCase } from "./support/fixtures.js";
import { sentStatements } from "./support/statements.js";

let t: TestHub;
let org: Record<"vt" | "swt" | "vlinder" | "hap" | "jgz" | "brug" | "ggz", string>;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const day = (offset: number) => iso(new Date(Date.now() + offset * 86_400_000));
const wrongId = "00000000-0000-4000-8000-000000000000";

const DOMAINS = [
  "FINANCES",
  "WORK_EDUCATION",
  "TIME_USE",
  "HOUSING",
  "DOMESTIC_RELATIONS",
  "MENTAL_HEALTH",
  "PHYSICAL_HEALTH",
  "SUBSTANCE_USE",
  "BASIC_ADL",
  "INSTRUMENTAL_ADL",
  "SOCIAL_NETWORK",
  "SOCIAL_PARTICIPATION",
  "JUSTICE",
];
const HEALTH = ["MENTAL_HEALTH", "PHYSICAL_HEALTH", "SUBSTANCE_USE"];

beforeAll(async () => {
  t = await startTestHub();
  org = {
    vt: await orgId(ORGS.vt),
    swt: await orgId(ORGS.swt),
    vlinder: await orgId(ORGS.vlinder),
    hap: await orgId(ORGS.hap),
    jgz: await orgId(ORGS.jgz),
    brug: await orgId(ORGS.brug),
    ggz: await orgId(ORGS.ggz),
  };
});
afterAll(() => t?.stop());

const PLAN_FIELDS = `id problemAnalysis helpQuestion familyWords childrenWords childrenHeard version createdAt updatedAt`;
const GOAL_FIELDS = `id title description domain isSafetyGoal priority targetMeasure dueOn status version
  member { id } responsibleOrganisation { id } partialPlan { id }`;
const PP_FIELDS = `id title summary status version organisation { id name } goals { id }`;
const NM_FIELDS = `id name relation phone contribution version`;
const SCORE_FIELDS = `id domain score assessedOn note assessedBy { email }`;

const CREATE = `mutation($input: CreatePlanInput!) { createPlan(input: $input) { ${PLAN_FIELDS} } }`;
const UPDATE = `mutation($input: UpdatePlanInput!) { updatePlan(input: $input) { ${PLAN_FIELDS} } }`;
const SCORE = `mutation($input: RecordLifeDomainScoresInput!) { recordLifeDomainScores(input: $input) { ${SCORE_FIELDS} } }`;
const ADD_PP = `mutation($input: AddPartialPlanInput!) { addPartialPlan(input: $input) { ${PP_FIELDS} } }`;
const UPDATE_PP = `mutation($input: UpdatePartialPlanInput!) { updatePartialPlan(input: $input) { ${PP_FIELDS} } }`;
const ADD_GOAL = `mutation($input: AddGoalInput!) { addGoal(input: $input) { ${GOAL_FIELDS} } }`;
const UPDATE_GOAL = `mutation($input: UpdateGoalInput!) { updateGoal(input: $input) { ${GOAL_FIELDS} } }`;
const ADD_NM = `mutation($input: AddNetworkMemberInput!) { addNetworkMember(input: $input) { ${NM_FIELDS} } }`;
const UPDATE_NM = `mutation($input: UpdateNetworkMemberInput!) { updateNetworkMember(input: $input) { ${NM_FIELDS} } }`;
const PLAN_Q = `query($id: ID!) { case(id: $id) { plan { ${PLAN_FIELDS}
  goals { ${GOAL_FIELDS} } partialPlans { ${PP_FIELDS} } networkMembers { ${NM_FIELDS} } lifeDomainScores { ${SCORE_FIELDS} } } } }`;
const RECORD_CONSENT = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`;
const WITHDRAW_CONSENT = `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id active } }`;

type Errors = { errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
function expectError(r: Errors, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
/** A field denied by the policy: null in data, FORBIDDEN at exactly that path. */
function expectForbiddenAt(r: Errors, path: string) {
  expect(
    r.errors?.some((e) => e.extensions?.code === "FORBIDDEN" && e.path?.join(".") === path),
    `FORBIDDEN at ${path}: ${JSON.stringify(r.errors)}`,
  ).toBe(true);
}
async function events(kind: string, entityId: string) {
  return (await db().query("SELECT entity, case_id, organisation_ids FROM change_event WHERE kind = $1 AND entity_id = $2 ORDER BY id", [kind, entityId])).rows;
}
async function count(table: string, caseId: string): Promise<number> {
  return (await db().query(`SELECT count(*)::int AS n FROM ${table} WHERE case_id = $1`, [caseId])).rows[0].n;
}
const sorted = (...ids: string[]) => [...new Set(ids)].sort();
const close = (fx: FixtureCase) => db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);

/** A fresh case (De Vlinder, GP, JGZ, De Brug involved; regie r.jansen), optionally with its plan. */
async function freshCase(opts: { plan?: boolean; children?: NonNullable<Parameters<typeof createCase>[0]>["children"] } = {}) {
  const fx = await createCase({ involve: ["vlinder", "hap", "jgz", "brug"], regisseur: USERS.jansen, children: opts.children });
  let planId = "";
  if (opts.plan !== false) planId = (await t.ok(USERS.jansen, CREATE, { input: { caseId: fx.caseId, problemAnalysis: "Spanningen tussen ouders" } })).createPlan.id;
  return { ...fx, planId };
}
const goalInput = (caseId: string, over: Record<string, unknown> = {}) => ({
  caseId,
  title: "Daan is elke dag op tijd op school",
  domain: "WORK_EDUCATION",
  priority: 2,
  targetMeasure: "Maximaal één keer te laat per maand",
  dueOn: day(60),
  ...over,
});
const addGoal = async (caseId: string, over: Record<string, unknown> = {}, as: string = USERS.jansen) =>
  (await t.ok(as, ADD_GOAL, { input: goalInput(caseId, over) })).addGoal;
const addPartialPlan = async (caseId: string, organisationId: string, as: string = USERS.jansen) =>
  (await t.ok(as, ADD_PP, { input: { caseId, organisationId, title: "Gezinsbehandeling", summary: "Wekelijks, 12 weken" } })).addPartialPlan;
const allScores = (over: Record<string, number> = {}) => DOMAINS.map((domain, i) => ({ domain, score: over[domain] ?? (i % 5) + 1 }));
const consent = async (fx: FixtureCase, organisationId: string, categories: string[]) =>
  (
    await t.ok(USERS.jansen, RECORD_CONSENT, {
      input: { caseId: fx.caseId, organisationId, categories, purpose: "Afstemming met het gezinsplan", givenByMemberIds: fx.adultIds, givenOn: day(0) },
    })
  ).recordConsent.id as string;

// ---------------------------------------------------------------------------------------------

describe("createPlan and Case.plan", () => {
  it("creates the case's one plan with the family's and the children's own words, and emits PLAN_CREATED to all involved organisations", async () => {
    const fx = await freshCase({ plan: false });
    expect((await t.ok(USERS.jansen, PLAN_Q, { id: fx.caseId })).case.plan).toBeNull();
    const input = {
      caseId: fx.caseId,
      problemAnalysis: "Partnergeweld met de kinderen als getuige",
      helpQuestion: "Hoe lossen we ruzies op zonder dat het uit de hand loopt?",
      familyWords: "We willen dat het rustig wordt thuis.",
      childrenWords: "Ik wil dat het gewoon stopt.",
      childrenHeard: true,
    };
    const p = (await t.ok(USERS.jansen, CREATE, { input })).createPlan;
    const { caseId: _c, ...texts } = input;
    expect(p).toMatchObject({ ...texts, version: 1 });
    const d = await t.ok(USERS.jansen, PLAN_Q, { id: fx.caseId });
    expect(d.case.plan).toMatchObject({ id: p.id, ...texts, goals: [], partialPlans: [], networkMembers: [], lifeDomainScores: [] });
    expect(await events("PLAN_CREATED", p.id)).toEqual([
      { entity: "Plan", case_id: fx.caseId, organisation_ids: sorted(org.vt, org.swt, org.vlinder, org.hap, org.jgz, org.brug) },
    ]);
    const row = (await db().query("SELECT created_by, updated_by FROM plan WHERE id = $1", [p.id])).rows[0];
    const jansen = (await db().query("SELECT id FROM professional WHERE email = $1", [USERS.jansen])).rows[0].id;
    expect(row).toEqual({ created_by: jansen, updated_by: jansen });
  });

  it("refuses a second plan: CONFLICT, still one plan", async () => {
    const fx = await freshCase();
    expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: fx.caseId } }), "CONFLICT");
    expect(await count("plan", fx.caseId)).toBe(1);
  });

  it("holds one plan per case under concurrent creation: one wins, the other gets CONFLICT", async () => {
    const fx = await freshCase({ plan: false });
    const rs = await Promise.all([1, 2, 3].map(() => t.gql(USERS.jansen, CREATE, { input: { caseId: fx.caseId } })));
    expect(rs.filter((r) => !r.errors).length).toBe(1);
    for (const r of rs.filter((r) => r.errors)) expectError(r, "CONFLICT");
    expect(await count("plan", fx.caseId)).toBe(1);
  });

  it("NOT_FOUND for a wrong, a malformed and a not-involved case; FORBIDDEN for a care provider and a school; nothing written", async () => {
    const fx = await freshCase({ plan: false });
    expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: wrongId } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: "nope" } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, CREATE, { input: { caseId: fx.caseId } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.brug, CREATE, { input: { caseId: fx.caseId } }), "FORBIDDEN");
    expectError(await t.gql(USERS.vlinder, CREATE, { input: { caseId: fx.caseId } }), "FORBIDDEN");
    expect(await count("plan", fx.caseId)).toBe(0);
  });

  it("records the children's words only when they were heard, and refuses 'heard' for a household without children", async () => {
    const fx = await freshCase({ plan: false });
    const r = await t.gql(USERS.jansen, CREATE, { input: { caseId: fx.caseId, childrenWords: "Ik wil naar oma." } });
    expectError(r, "BAD_USER_INPUT", "childrenHeard");
    expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: fx.caseId, childrenWords: "Ik wil naar oma.", childrenHeard: false } }), "BAD_USER_INPUT", "childrenHeard");
    expect(await count("plan", fx.caseId)).toBe(0);

    const noKids = await freshCase({ plan: false, children: [] });
    expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: noKids.caseId, childrenHeard: true } }), "BAD_USER_INPUT", "childrenHeard");
    expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: noKids.caseId, childrenHeard: true, childrenWords: "x" } }), "BAD_USER_INPUT", "childrenHeard");
    expect(await count("plan", noKids.caseId)).toBe(0);
    // a household without children has a plan all the same
    const p = (await t.ok(USERS.jansen, CREATE, { input: { caseId: noKids.caseId, familyWords: "Wij willen rust." } })).createPlan;
    expect(p).toMatchObject({ familyWords: "Wij willen rust.", childrenHeard: false, childrenWords: null });
  });

  it("refuses blank and over-long texts with the field, and a closed case with CONFLICT", async () => {
    const fx = await freshCase({ plan: false });
    for (const f of ["problemAnalysis", "helpQuestion", "familyWords"]) {
      expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: fx.caseId, [f]: "   " } }), "BAD_USER_INPUT", f);
      expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: fx.caseId, [f]: "" } }), "BAD_USER_INPUT", f);
    }
    expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: fx.caseId, helpQuestion: "x".repeat(5001) } }), "BAD_USER_INPUT", "helpQuestion");
    expect(await count("plan", fx.caseId)).toBe(0);
    await close(fx);
    expectError(await t.gql(USERS.jansen, CREATE, { input: { caseId: fx.caseId } }), "CONFLICT", "caseId");
    expect(await count("plan", fx.caseId)).toBe(0);
  });
});

describe("updatePlan", () => {
  it("changes what is sent, clears with null, bumps the version and emits PLAN_UPDATED; a stale version is a CONFLICT and changes nothing", async () => {
    const fx = await freshCase();
    const u = (
      await t.ok(USERS.jansen, UPDATE, {
        input: { id: fx.planId, version: 1, helpQuestion: "Hoe krijgen we rust?", problemAnalysis: null, childrenHeard: true, childrenWords: "Het is te hard thuis." },
      })
    ).updatePlan;
    expect(u).toMatchObject({ id: fx.planId, helpQuestion: "Hoe krijgen we rust?", problemAnalysis: null, childrenHeard: true, childrenWords: "Het is te hard thuis.", version: 2 });
    expect(await events("PLAN_UPDATED", fx.planId)).toEqual([
      { entity: "Plan", case_id: fx.caseId, organisation_ids: sorted(org.vt, org.swt, org.vlinder, org.hap, org.jgz, org.brug) },
    ]);
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 1, helpQuestion: "Overschreven" } }), "CONFLICT", "version");
    expect((await t.ok(USERS.jansen, PLAN_Q, { id: fx.caseId })).case.plan).toMatchObject({ helpQuestion: "Hoe krijgen we rust?", version: 2 });
    expect(await events("PLAN_UPDATED", fx.planId)).toHaveLength(1);
  });

  it("keeps the children's part consistent: words need 'heard'; 'not heard' with words stays refused; both together are fine", async () => {
    const fx = await freshCase();
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 1, childrenWords: "Ik wil dat het stopt." } }), "BAD_USER_INPUT", "childrenHeard");
    await t.ok(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 1, childrenHeard: true, childrenWords: "Ik wil dat het stopt." } });
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 2, childrenHeard: false } }), "BAD_USER_INPUT", "childrenHeard");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 2, childrenHeard: null } }), "BAD_USER_INPUT", "childrenHeard");
    const u = (await t.ok(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 2, childrenHeard: false, childrenWords: null } })).updatePlan;
    expect(u).toMatchObject({ childrenHeard: false, childrenWords: null, version: 3 });
    const noKids = await freshCase({ children: [] });
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: noKids.planId, version: 1, childrenHeard: true } }), "BAD_USER_INPUT", "childrenHeard");
  });

  it("NOT_FOUND for a wrong id and an invisible case; FORBIDDEN for a care provider and a school; CONFLICT when closed", async () => {
    const fx = await freshCase();
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: wrongId, version: 1 } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: "nope", version: 1 } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, UPDATE, { input: { id: fx.planId, version: 1, helpQuestion: "x" } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.brug, UPDATE, { input: { id: fx.planId, version: 1, helpQuestion: "x" } }), "FORBIDDEN");
    expectError(await t.gql(USERS.vlinder, UPDATE, { input: { id: fx.planId, version: 1, helpQuestion: "x" } }), "FORBIDDEN");
    await close(fx);
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 1, helpQuestion: "x" } }), "CONFLICT", "caseId");
    expect((await db().query("SELECT version, help_question FROM plan WHERE id = $1", [fx.planId])).rows[0]).toEqual({ version: 1, help_question: null });
  });
});

describe("concurrency and the access log", () => {
  it("concurrent updates of the plan and of a goal with the same version: one wins, the others get CONFLICT", async () => {
    const fx = await freshCase();
    const g = await addGoal(fx.caseId);
    const plans = await Promise.all(["a", "b", "c", "d"].map((x) => t.gql(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 1, helpQuestion: `Vraag ${x}` } })));
    const goals = await Promise.all(["OPEN", "ACHIEVED", "CANCELLED"].map((status) => t.gql(USERS.jansen, UPDATE_GOAL, { input: { id: g.id, version: 1, status } })));
    for (const rs of [plans, goals]) {
      expect(rs.filter((r) => !r.errors).length).toBe(1);
      for (const r of rs.filter((r) => r.errors)) expectError(r, "CONFLICT", "version");
    }
    const winner = plans.find((r) => !r.errors)!.data!.updatePlan.helpQuestion;
    expect((await db().query("SELECT version, help_question FROM plan WHERE id = $1", [fx.planId])).rows[0]).toEqual({ version: 2, help_question: winner });
    expect(await events("PLAN_UPDATED", fx.planId)).toHaveLength(1);
    expect(await events("GOAL_UPDATED", g.id)).toHaveLength(1);
  });

  it("logs each plan write (who, organisation, role, categories) for the privacy officer", async () => {
    const fx = await freshCase();
    const pp = await addPartialPlan(fx.caseId, org.brug, USERS.brug);
    await addGoal(fx.caseId, { partialPlanId: pp.id }, USERS.brug);
    await t.ok(USERS.jansen, SCORE, { input: { caseId: fx.caseId, assessedOn: day(0), scores: allScores() } });
    const log = await t.ok(USERS.fg, `query($c: ID) { accessLog(caseId: $c, first: 100) { edges { node { email role organisationName action operation categories familyId } } } }`, {
      c: fx.caseId,
    });
    const writes = log.accessLog.edges.map((e: any) => e.node).filter((n: any) => n.action === "WRITE");
    const ops = (op: string) => writes.filter((w: any) => w.operation === `mutation anonymous {${op}}`);
    expect(ops("createPlan")[0]).toMatchObject({ email: USERS.jansen, role: "REGISSEUR", categories: ["plan"], familyId: fx.familyId });
    expect(ops("addPartialPlan")[0]).toMatchObject({ email: USERS.brug, role: "PROFESSIONAL", organisationName: ORGS.brug, categories: ["plan"] });
    expect(ops("addGoal")[0]).toMatchObject({ email: USERS.brug, categories: ["plan"] });
    expect(ops("recordLifeDomainScores")[0]).toMatchObject({ email: USERS.jansen, categories: ["lifeDomains"] });
  });
});

describe("no query in a loop", () => {
  it("reads a whole plan (goals with member, organisation and partial plan; partial plans with goals; network; scores) in a number of SQL statements that does not grow with 2 or 12 goals (1 or 4 network members, 1 or 26 scores)", async () => {
    // counts every statement the in-process hub sends to PostgreSQL during one request (the
    // realtime dispatcher's background outbox reads after earlier writes are not this request's)
    const measure = async (caseId: string) => {
      const { result: d, statements } = await sentStatements(() => t.ok(USERS.jansen, PLAN_Q, { id: caseId }));
      const own = statements.map((x) => x.text.slice(0, 90));
      return { n: own.length, goals: d.case.plan.goals.length, texts: own };
    };
    const small = await freshCase();
    const sp = await addPartialPlan(small.caseId, org.brug);
    await addGoal(small.caseId, { partialPlanId: sp.id, memberId: small.childIds[0] });
    await addGoal(small.caseId, { responsibleOrganisationId: org.hap });
    await t.ok(USERS.jansen, ADD_NM, { input: { caseId: small.caseId, name: "Oma", relation: "grootmoeder" } });
    await t.ok(USERS.jansen, SCORE, { input: { caseId: small.caseId, assessedOn: day(0), scores: [{ domain: "HOUSING", score: 3 }] } });
    const big = await freshCase();
    const pps = [await addPartialPlan(big.caseId, org.brug), await addPartialPlan(big.caseId, org.hap), await addPartialPlan(big.caseId, org.jgz)];
    for (let i = 0; i < 12; i++) {
      await addGoal(big.caseId, { partialPlanId: pps[i % 3].id, memberId: [...big.adultIds, ...big.childIds][i % 3], responsibleOrganisationId: [org.brug, org.hap, org.jgz][i % 3] });
    }
    for (let i = 0; i < 4; i++) await t.ok(USERS.jansen, ADD_NM, { input: { caseId: big.caseId, name: `Netwerklid ${i}`, relation: "buur" } });
    await t.ok(USERS.jansen, SCORE, { input: { caseId: big.caseId, assessedOn: day(-1), scores: allScores() } });
    await t.ok(USERS.jansen, SCORE, { input: { caseId: big.caseId, assessedOn: day(0), scores: allScores() } });
    await measure(small.caseId); // warm-up (prepared metadata, token cache)
    const a = await measure(small.caseId);
    const b = await measure(big.caseId);
    expect(a.goals).toBe(2);
    expect(b.goals).toBe(12);
    expect(a.n, "the counter sees the hub's statements").toBeGreaterThan(3);
    // one statement per loader and tick: DataLoader batches per tick, so under load a loader
    // may split once across resolution depths; a query per goal would add 12 or more
    const detail = JSON.stringify({ small: a.texts, big: b.texts }, null, 1);
    expect(b.n, detail).toBeLessThanOrEqual(a.n + 2);
    expect(b.n, detail).toBeLessThanOrEqual(15);
    console.log(`plan read: ${a.n} SQL statements for 2 goals, ${b.n} for 12`);
  });
});

describe("an item of a case the viewer may not see answers exactly like a wrong id", () => {
  it("updatePlan, updatePartialPlan, updateGoal and updateNetworkMember: the same NOT_FOUND (message, code, field) for a hidden item and a wrong id", async () => {
    const fx = await freshCase();
    const pp = await addPartialPlan(fx.caseId, org.brug);
    const g = await addGoal(fx.caseId);
    const nm = (await t.ok(USERS.jansen, ADD_NM, { input: { caseId: fx.caseId, name: "Oma", relation: "grootmoeder" } })).addNetworkMember;
    for (const [m, id] of [
      [UPDATE, fx.planId],
      [UPDATE_PP, pp.id],
      [UPDATE_GOAL, g.id],
      [UPDATE_NM, nm.id],
    ] as const) {
      const hidden = await t.gql(USERS.mulder, m, { input: { id, version: 1 } });
      const wrong = await t.gql(USERS.mulder, m, { input: { id: wrongId, version: 1 } });
      expectError(hidden, "NOT_FOUND", "id");
      expect(hidden).toEqual(wrong);
      // control: the item exists for the regisseur
      expect((await t.gql(USERS.jansen, m, { input: { id, version: 99 } })).errors?.[0].extensions?.code).toBe("CONFLICT");
    }
  });
});

describe("recordLifeDomainScores", () => {
  it("records all 13 domains of an assessment, keeps assessments over time, shows the latest per domain, and emits one event per score", async () => {
    const fx = await freshCase({ plan: false }); // scores may come before the plan
    const first = (await t.ok(USERS.jansen, SCORE, { input: { caseId: fx.caseId, assessedOn: day(-30), scores: allScores() } })).recordLifeDomainScores;
    expect(first.map((s: any) => s.domain)).toEqual(DOMAINS);
    expect(first[0]).toMatchObject({ domain: "FINANCES", score: 1, assessedOn: day(-30), note: null, assessedBy: { email: USERS.jansen } });
    const second = (
      await t.ok(USERS.jansen, SCORE, {
        input: { caseId: fx.caseId, assessedOn: day(0), scores: [{ domain: "DOMESTIC_RELATIONS", score: 3, note: "Geen fysiek geweld meer" }, { domain: "FINANCES", score: 2 }] },
      })
    ).recordLifeDomainScores;
    expect(second.map((s: any) => [s.domain, s.score])).toEqual([
      ["DOMESTIC_RELATIONS", 3],
      ["FINANCES", 2],
    ]);
    const q = `query($id: ID!) { case(id: $id) { all: lifeDomainScores { domain score assessedOn } latest: lifeDomainScores(latestOnly: true) { domain score assessedOn note } } }`;
    const d = (await t.ok(USERS.jansen, q, { id: fx.caseId })).case;
    expect(d.all).toHaveLength(15);
    expect(d.all.slice(0, 13).map((s: any) => s.assessedOn)).toEqual(Array(13).fill(day(-30)));
    expect(d.all.slice(13).map((s: any) => s.domain)).toEqual(["FINANCES", "DOMESTIC_RELATIONS"]); // matrix order within a date
    expect(d.latest.map((s: any) => s.domain)).toEqual(DOMAINS);
    expect(d.latest.find((s: any) => s.domain === "DOMESTIC_RELATIONS")).toMatchObject({ score: 3, assessedOn: day(0), note: "Geen fysiek geweld meer" });
    expect(d.latest.find((s: any) => s.domain === "HOUSING")).toMatchObject({ score: 4, assessedOn: day(-30) });
    for (const s of [...first, ...second]) expect(await events("LIFE_DOMAINS_SCORED", s.id)).toEqual([{ entity: "LifeDomainScore", case_id: fx.caseId, organisation_ids: [] }]);
    // once the plan exists it shows the same scores
    await t.ok(USERS.jansen, CREATE, { input: { caseId: fx.caseId } });
    const p = (await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { plan { lifeDomainScores(latestOnly: true) { id domain score } } } }`, { id: fx.caseId })).case.plan;
    expect(p.lifeDomainScores.map((s: any) => s.domain)).toEqual(DOMAINS);
  });

  it("refuses bad scores with the field path inside the input, all or nothing", async () => {
    const fx = await freshCase();
    const input = (over: Record<string, unknown>) => ({ caseId: fx.caseId, assessedOn: day(0), scores: allScores(), ...over });
    const withScore = (i: number, s: Record<string, unknown>) => {
      const scores: Record<string, unknown>[] = allScores();
      scores[i] = { ...scores[i], ...s };
      return input({ scores });
    };
    const cases: [Record<string, unknown>, string][] = [
      [withScore(0, { score: 0 }), "scores.0.score"],
      [withScore(4, { score: 6 }), "scores.4.score"],
      [withScore(12, { score: -1 }), "scores.12.score"],
      [withScore(3, { note: "  " }), "scores.3.note"],
      [withScore(2, { domain: "HAPPINESS" }), "scores.2.domain"],
      [withScore(1, { domain: "FINANCES" }), "scores.1.domain"], // FINANCES twice
      [input({ scores: [] }), "scores"],
      [input({ scores: [...allScores(), { domain: "FINANCES", score: 3 }] }), "scores"],
      [input({ assessedOn: day(1) }), "assessedOn"],
      [input({ assessedOn: "2024-02-30" }), "assessedOn"],
    ];
    for (const [inp, field] of cases) expectError(await t.gql(USERS.jansen, SCORE, { input: inp }), "BAD_USER_INPUT", field);
    // a score that is not an integer is refused by the schema, naming the field
    expectError(await t.gql(USERS.jansen, SCORE, { input: withScore(0, { score: 2.5 }) }), "BAD_USER_INPUT", "scores.0.score");
    expect(await count("life_domain_score", fx.caseId)).toBe(0);
    expect((await db().query("SELECT count(*)::int AS n FROM change_event WHERE case_id = $1 AND kind = 'LIFE_DOMAINS_SCORED'", [fx.caseId])).rows[0].n).toBe(0);
  });

  it("is the regisseur's: FORBIDDEN for a care provider, a school and the GP; NOT_FOUND when not involved; CONFLICT when closed", async () => {
    const fx = await freshCase();
    const input = { caseId: fx.caseId, assessedOn: day(0), scores: allScores() };
    for (const who of [USERS.brug, USERS.vlinder, USERS.gp, USERS.jgz]) expectError(await t.gql(who, SCORE, { input }), "FORBIDDEN");
    expectError(await t.gql(USERS.mulder, SCORE, { input }), "NOT_FOUND", "caseId");
    await close(fx);
    expectError(await t.gql(USERS.jansen, SCORE, { input }), "CONFLICT", "caseId");
    expect(await count("life_domain_score", fx.caseId)).toBe(0);
  });
});

describe("partial plans", () => {
  it("the regisseur adds an involved organisation's partial plan; it is listed on the plan with its organisation and emits PARTIAL_PLAN_ADDED", async () => {
    const fx = await freshCase();
    const pp = await addPartialPlan(fx.caseId, org.brug);
    expect(pp).toMatchObject({ title: "Gezinsbehandeling", summary: "Wekelijks, 12 weken", status: "ACTIVE", version: 1, organisation: { id: org.brug, name: ORGS.brug }, goals: [] });
    const plan = (await t.ok(USERS.jansen, PLAN_Q, { id: fx.caseId })).case.plan;
    expect(plan.partialPlans.map((x: any) => x.id)).toEqual([pp.id]);
    expect(await events("PARTIAL_PLAN_ADDED", pp.id)).toEqual([{ entity: "PartialPlan", case_id: fx.caseId, organisation_ids: [org.brug] }]);
  });

  it("a care provider adds and edits its OWN organisation's partial plan, and no other organisation's (FORBIDDEN, unchanged)", async () => {
    const fx = await freshCase();
    const own = await addPartialPlan(fx.caseId, org.brug, USERS.brug);
    expect(own.organisation.id).toBe(org.brug);
    expectError(await t.gql(USERS.brug, ADD_PP, { input: { caseId: fx.caseId, organisationId: org.hap, title: "Deelplan huisarts" } }), "FORBIDDEN");
    expect(await count("partial_plan", fx.caseId)).toBe(1);
    const gpPlan = await addPartialPlan(fx.caseId, org.hap); // by the regisseur
    const u = (await t.ok(USERS.brug, UPDATE_PP, { input: { id: own.id, version: 1, status: "COMPLETED", summary: null } })).updatePartialPlan;
    expect(u).toMatchObject({ status: "COMPLETED", summary: null, version: 2, title: "Gezinsbehandeling" });
    expect(await events("PARTIAL_PLAN_UPDATED", own.id)).toEqual([{ entity: "PartialPlan", case_id: fx.caseId, organisation_ids: [org.brug] }]);
    expectError(await t.gql(USERS.brug, UPDATE_PP, { input: { id: gpPlan.id, version: 1, title: "Overgenomen" } }), "FORBIDDEN");
    expect((await db().query("SELECT title, version FROM partial_plan WHERE id = $1", [gpPlan.id])).rows[0]).toEqual({ title: "Gezinsbehandeling", version: 1 });
    // the regisseur edits any partial plan
    expect((await t.ok(USERS.jansen, UPDATE_PP, { input: { id: gpPlan.id, version: 1, title: "Huisarts volgt moeder" } })).updatePartialPlan.version).toBe(2);
  });

  it("one per organisation (CONFLICT), only for involved organisations, only after the plan, versioned", async () => {
    const fx = await freshCase();
    const pp = await addPartialPlan(fx.caseId, org.brug);
    expectError(await t.gql(USERS.brug, ADD_PP, { input: { caseId: fx.caseId, organisationId: org.brug, title: "Tweede" } }), "CONFLICT");
    expectError(await t.gql(USERS.jansen, ADD_PP, { input: { caseId: fx.caseId, organisationId: org.ggz, title: "GGZ" } }), "BAD_USER_INPUT", "organisationId");
    expectError(await t.gql(USERS.jansen, ADD_PP, { input: { caseId: fx.caseId, organisationId: "nope", title: "GGZ" } }), "BAD_USER_INPUT", "organisationId");
    expectError(await t.gql(USERS.jansen, ADD_PP, { input: { caseId: fx.caseId, organisationId: org.hap, title: " " } }), "BAD_USER_INPUT", "title");
    expectError(await t.gql(USERS.jansen, ADD_PP, { input: { caseId: fx.caseId, organisationId: org.hap, title: "x".repeat(201) } }), "BAD_USER_INPUT", "title");
    expect(await count("partial_plan", fx.caseId)).toBe(1);
    const noPlan = await freshCase({ plan: false });
    const r = await t.gql(USERS.brug, ADD_PP, { input: { caseId: noPlan.caseId, organisationId: org.brug, title: "Deelplan" } });
    expectError(r, "BAD_USER_INPUT", "caseId");
    expect(r.errors![0].message).toMatch(/create the plan first/);
    // versioned
    await t.ok(USERS.brug, UPDATE_PP, { input: { id: pp.id, version: 1, title: "Nieuw" } });
    expectError(await t.gql(USERS.jansen, UPDATE_PP, { input: { id: pp.id, version: 1, title: "Verouderd" } }), "CONFLICT", "version");
    expectError(await t.gql(USERS.brug, UPDATE_PP, { input: { id: pp.id, version: 2, title: null } }), "BAD_USER_INPUT", "title");
    expectError(await t.gql(USERS.brug, UPDATE_PP, { input: { id: pp.id, version: 2, status: null } }), "BAD_USER_INPUT", "status");
    expectError(await t.gql(USERS.brug, UPDATE_PP, { input: { id: wrongId, version: 2 } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.ggz, UPDATE_PP, { input: { id: pp.id, version: 2, title: "x" } }), "NOT_FOUND", "id");
    expect((await db().query("SELECT title, version FROM partial_plan WHERE id = $1", [pp.id])).rows[0]).toEqual({ title: "Nieuw", version: 2 });
  });
});

describe("goals", () => {
  it("the regisseur adds SMART goals (target measure, due date, domain, member, safety goal); listed by priority; emits GOAL_ADDED", async () => {
    const fx = await freshCase();
    const later = await addGoal(fx.caseId, { priority: 3, title: "Moeder slaapt weer door", domain: "MENTAL_HEALTH", memberId: fx.adultIds[1], responsibleOrganisationId: org.hap });
    const safety = await addGoal(fx.caseId, {
      priority: 1,
      title: "Geen fysiek geweld meer",
      domain: "DOMESTIC_RELATIONS",
      isSafetyGoal: true,
      description: "Uit de veiligheidsvoorwaarden",
      responsibleOrganisationId: org.swt,
    });
    const school = await addGoal(fx.caseId, { memberId: fx.childIds[0], responsibleOrganisationId: org.vlinder });
    expect(safety).toMatchObject({
      title: "Geen fysiek geweld meer",
      description: "Uit de veiligheidsvoorwaarden",
      domain: "DOMESTIC_RELATIONS",
      isSafetyGoal: true,
      priority: 1,
      targetMeasure: "Maximaal één keer te laat per maand",
      dueOn: day(60),
      status: "OPEN",
      version: 1,
      member: null,
      responsibleOrganisation: { id: org.swt },
      partialPlan: null,
    });
    expect(school).toMatchObject({ isSafetyGoal: false, member: { id: fx.childIds[0] }, responsibleOrganisation: { id: org.vlinder } });
    const goals = (await t.ok(USERS.jansen, PLAN_Q, { id: fx.caseId })).case.plan.goals;
    expect(goals.map((g: any) => g.id)).toEqual([safety.id, school.id, later.id]);
    expect(await events("GOAL_ADDED", safety.id)).toEqual([{ entity: "Goal", case_id: fx.caseId, organisation_ids: [org.swt] }]);
    expect(await events("GOAL_ADDED", later.id)).toEqual([{ entity: "Goal", case_id: fx.caseId, organisation_ids: [org.hap] }]);
    // defaults: priority 3, OPEN, not a safety goal, no due date
    const bare = (await t.ok(USERS.jansen, ADD_GOAL, { input: { caseId: fx.caseId, title: "Oma heeft een vaste rol" } })).addGoal;
    expect(bare).toMatchObject({ priority: 3, status: "OPEN", isSafetyGoal: false, dueOn: null, domain: null, responsibleOrganisation: null });
    expect(await events("GOAL_ADDED", bare.id)).toEqual([{ entity: "Goal", case_id: fx.caseId, organisation_ids: [] }]);
  });

  it("refuses bad goals with the field and writes nothing", async () => {
    const fx = await freshCase();
    const other = await freshCase();
    const otherPp = await addPartialPlan(other.caseId, org.brug);
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "" }, "title"],
      [{ title: "  " }, "title"],
      [{ title: "x".repeat(301) }, "title"],
      [{ targetMeasure: " " }, "targetMeasure"],
      [{ dueOn: day(-1) }, "dueOn"],
      [{ dueOn: "2025-13-01" }, "dueOn"],
      [{ priority: 0 }, "priority"],
      [{ priority: 6 }, "priority"],
      [{ domain: "HAPPINESS" }, "domain"],
      [{ status: "DONE" }, "status"],
      [{ memberId: other.childIds[0] }, "memberId"],
      [{ memberId: "nope" }, "memberId"],
      [{ responsibleOrganisationId: org.ggz }, "responsibleOrganisationId"],
      [{ partialPlanId: otherPp.id }, "partialPlanId"],
      [{ partialPlanId: wrongId }, "partialPlanId"],
    ];
    for (const [over, field] of cases) expectError(await t.gql(USERS.jansen, ADD_GOAL, { input: goalInput(fx.caseId, over) }), "BAD_USER_INPUT", field);
    expect(await count("goal", fx.caseId)).toBe(0);
    expect((await db().query("SELECT count(*)::int AS n FROM change_event WHERE case_id = $1 AND kind = 'GOAL_ADDED'", [fx.caseId])).rows[0].n).toBe(0);
    // the due date may be today
    expect((await addGoal(fx.caseId, { dueOn: day(0) })).dueOn).toBe(day(0));
    // needs the plan first
    const noPlan = await freshCase({ plan: false });
    expectError(await t.gql(USERS.jansen, ADD_GOAL, { input: goalInput(noPlan.caseId) }), "BAD_USER_INPUT", "caseId");
  });

  it("updates a goal (status, target, due date), versioned: a stale version is a CONFLICT and changes nothing; emits GOAL_UPDATED", async () => {
    const fx = await freshCase();
    const g = await addGoal(fx.caseId, { responsibleOrganisationId: org.vlinder, memberId: fx.childIds[0] });
    const u = (
      await t.ok(USERS.jansen, UPDATE_GOAL, { input: { id: g.id, version: 1, status: "PARTIALLY_ACHIEVED", targetMeasure: "Nooit te laat", dueOn: null, memberId: null } })
    ).updateGoal;
    expect(u).toMatchObject({ status: "PARTIALLY_ACHIEVED", targetMeasure: "Nooit te laat", dueOn: null, member: null, version: 2, title: g.title });
    expect(await events("GOAL_UPDATED", g.id)).toEqual([{ entity: "Goal", case_id: fx.caseId, organisation_ids: [org.vlinder] }]);
    expectError(await t.gql(USERS.jansen, UPDATE_GOAL, { input: { id: g.id, version: 1, status: "CANCELLED" } }), "CONFLICT", "version");
    expectError(await t.gql(USERS.jansen, UPDATE_GOAL, { input: { id: g.id, version: 2, title: null } }), "BAD_USER_INPUT", "title");
    expectError(await t.gql(USERS.jansen, UPDATE_GOAL, { input: { id: g.id, version: 2, priority: null } }), "BAD_USER_INPUT", "priority");
    expectError(await t.gql(USERS.jansen, UPDATE_GOAL, { input: { id: g.id, version: 2, dueOn: day(-3) } }), "BAD_USER_INPUT", "dueOn");
    expectError(await t.gql(USERS.jansen, UPDATE_GOAL, { input: { id: g.id, version: 2, responsibleOrganisationId: org.ggz } }), "BAD_USER_INPUT", "responsibleOrganisationId");
    expectError(await t.gql(USERS.jansen, UPDATE_GOAL, { input: { id: wrongId, version: 2 } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, UPDATE_GOAL, { input: { id: g.id, version: 2, status: "CANCELLED" } }), "NOT_FOUND", "id");
    expect((await db().query("SELECT status, version FROM goal WHERE id = $1", [g.id])).rows[0]).toEqual({ status: "PARTIALLY_ACHIEVED", version: 2 });
    // a goal whose due date has passed can still be updated without touching the date
    await db().query("UPDATE goal SET due_on = '2020-01-01' WHERE id = $1", [g.id]);
    expect((await t.ok(USERS.jansen, UPDATE_GOAL, { input: { id: g.id, version: 2, status: "ACHIEVED" } })).updateGoal).toMatchObject({ status: "ACHIEVED", dueOn: "2020-01-01" });
  });

  it("a care provider adds and changes goals only in its own organisation's partial plan", async () => {
    const fx = await freshCase();
    const brugPp = await addPartialPlan(fx.caseId, org.brug);
    const gpPp = await addPartialPlan(fx.caseId, org.hap);
    const own = await addGoal(fx.caseId, { partialPlanId: brugPp.id, domain: "DOMESTIC_RELATIONS", title: "Ouders de-escaleren" }, USERS.brug);
    expect(own).toMatchObject({ partialPlan: { id: brugPp.id }, responsibleOrganisation: { id: org.brug } }); // defaults to the partial plan's organisation
    expect(await events("GOAL_ADDED", own.id)).toEqual([{ entity: "Goal", case_id: fx.caseId, organisation_ids: [org.brug] }]);
    expect((await t.ok(USERS.jansen, PLAN_Q, { id: fx.caseId })).case.plan.partialPlans.find((p: any) => p.id === brugPp.id).goals).toEqual([{ id: own.id }]);

    expectError(await t.gql(USERS.brug, ADD_GOAL, { input: goalInput(fx.caseId) }), "FORBIDDEN"); // not in a partial plan
    expectError(await t.gql(USERS.brug, ADD_GOAL, { input: goalInput(fx.caseId, { partialPlanId: gpPp.id }) }), "FORBIDDEN");
    expect(await count("goal", fx.caseId)).toBe(1);

    // nor hands the responsibility for a goal to another organisation
    expectError(await t.gql(USERS.brug, ADD_GOAL, { input: goalInput(fx.caseId, { partialPlanId: brugPp.id, responsibleOrganisationId: org.vlinder }) }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, UPDATE_GOAL, { input: { id: own.id, version: 1, responsibleOrganisationId: org.vlinder } }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, UPDATE_GOAL, { input: { id: own.id, version: 1, responsibleOrganisationId: null } }), "FORBIDDEN");
    expect(await count("goal", fx.caseId)).toBe(1);
    const u = (await t.ok(USERS.brug, UPDATE_GOAL, { input: { id: own.id, version: 1, status: "ACHIEVED", responsibleOrganisationId: org.brug } })).updateGoal;
    expect(u).toMatchObject({ status: "ACHIEVED", version: 2 });
    const regisseurs = await addGoal(fx.caseId, { title: "Regisseur's doel" });
    const gps = await addGoal(fx.caseId, { title: "Doel van de huisarts", partialPlanId: gpPp.id });
    for (const [id, over] of [
      [regisseurs.id, { status: "CANCELLED" }],
      [gps.id, { status: "CANCELLED" }],
      [own.id, { partialPlanId: null }], // out of its own partial plan
      [own.id, { partialPlanId: gpPp.id }], // into another's
    ] as const) {
      const r = await t.gql(USERS.brug, UPDATE_GOAL, { input: { id, version: id === own.id ? 2 : 1, ...over } });
      expectError(r, "FORBIDDEN");
    }
    const rows = (await db().query("SELECT id, status, partial_plan_id, version FROM goal WHERE case_id = $1 ORDER BY created_at", [fx.caseId])).rows;
    expect(rows).toEqual([
      { id: own.id, status: "ACHIEVED", partial_plan_id: brugPp.id, version: 2 },
      { id: regisseurs.id, status: "OPEN", partial_plan_id: null, version: 1 },
      { id: gps.id, status: "OPEN", partial_plan_id: gpPp.id, version: 1 },
    ]);
  });

  it("a school may not edit the plan at all: every plan mutation is FORBIDDEN (involved or not) and nothing changes", async () => {
    const fx = await freshCase();
    const pp = await addPartialPlan(fx.caseId, org.brug);
    const g = await addGoal(fx.caseId, { memberId: fx.childIds[0], responsibleOrganisationId: org.vlinder });
    const nm = (await t.ok(USERS.jansen, ADD_NM, { input: { caseId: fx.caseId, name: "Oma Ria", relation: "grootmoeder" } })).addNetworkMember;
    const notInvolved = await createCase({ regisseur: USERS.jansen });
    const attempts: [string, Record<string, unknown>][] = [
      [UPDATE, { id: fx.planId, version: 1, helpQuestion: "x" }],
      [ADD_GOAL, goalInput(fx.caseId, { responsibleOrganisationId: org.vlinder })],
      [ADD_GOAL, goalInput(notInvolved.caseId)],
      [UPDATE_GOAL, { id: g.id, version: 1, status: "ACHIEVED" }],
      [ADD_PP, { caseId: fx.caseId, organisationId: org.vlinder, title: "Deelplan school" }],
      [UPDATE_PP, { id: pp.id, version: 1, title: "x" }],
      [ADD_NM, { caseId: fx.caseId, name: "Juf", relation: "leerkracht" }],
      [UPDATE_NM, { id: nm.id, version: 1, name: "x" }],
      [SCORE, { caseId: fx.caseId, assessedOn: day(0), scores: allScores() }],
    ];
    for (const [m, input] of attempts) expectError(await t.gql(USERS.vlinder, m, { input }), "FORBIDDEN");
    expect(await count("goal", fx.caseId)).toBe(1);
    expect(await count("partial_plan", fx.caseId)).toBe(1);
    expect(await count("network_member", fx.caseId)).toBe(1);
    expect((await db().query("SELECT version FROM plan WHERE id = $1", [fx.planId])).rows[0].version).toBe(1);
    expect((await db().query("SELECT version FROM goal WHERE id = $1", [g.id])).rows[0].version).toBe(1);
  });
});

describe("social network (eigen kracht)", () => {
  it("the regisseur adds and changes network members, versioned; listed on the plan; events emitted", async () => {
    const fx = await freshCase();
    const a = (
      await t.ok(USERS.jansen, ADD_NM, { input: { caseId: fx.caseId, name: "Ria Hermsen", relation: "grootmoeder", phone: "06-20000001", contribution: "Vangt de kinderen op" } })
    ).addNetworkMember;
    expect(a).toMatchObject({ name: "Ria Hermsen", relation: "grootmoeder", phone: "06-20000001", contribution: "Vangt de kinderen op", version: 1 });
    const b = (await t.ok(USERS.jansen, ADD_NM, { input: { caseId: fx.caseId, name: "Henk", relation: "buurman" } })).addNetworkMember;
    expect((await t.ok(USERS.jansen, PLAN_Q, { id: fx.caseId })).case.plan.networkMembers.map((m: any) => m.id)).toEqual([a.id, b.id]);
    expect(await events("NETWORK_MEMBER_ADDED", a.id)).toEqual([{ entity: "NetworkMember", case_id: fx.caseId, organisation_ids: [] }]);
    const u = (await t.ok(USERS.jansen, UPDATE_NM, { input: { id: a.id, version: 1, phone: null, contribution: "Haalt Sara op woensdag" } })).updateNetworkMember;
    expect(u).toMatchObject({ phone: null, contribution: "Haalt Sara op woensdag", name: "Ria Hermsen", version: 2 });
    expect(await events("NETWORK_MEMBER_UPDATED", a.id)).toHaveLength(1);
    expectError(await t.gql(USERS.jansen, UPDATE_NM, { input: { id: a.id, version: 1, name: "Oud" } }), "CONFLICT", "version");
    expectError(await t.gql(USERS.jansen, UPDATE_NM, { input: { id: a.id, version: 2, name: null } }), "BAD_USER_INPUT", "name");
    expect((await db().query("SELECT name, version FROM network_member WHERE id = $1", [a.id])).rows[0]).toEqual({ name: "Ria Hermsen", version: 2 });
  });

  it("refuses bad input with the field; FORBIDDEN for a care provider; NOT_FOUND when not involved; needs the plan", async () => {
    const fx = await freshCase();
    const input = (over: Record<string, unknown>) => ({ caseId: fx.caseId, name: "Ria", relation: "grootmoeder", ...over });
    expectError(await t.gql(USERS.jansen, ADD_NM, { input: input({ name: " " }) }), "BAD_USER_INPUT", "name");
    expectError(await t.gql(USERS.jansen, ADD_NM, { input: input({ relation: "" }) }), "BAD_USER_INPUT", "relation");
    expectError(await t.gql(USERS.jansen, ADD_NM, { input: input({ phone: "bel me" }) }), "BAD_USER_INPUT", "phone");
    expectError(await t.gql(USERS.jansen, ADD_NM, { input: input({ contribution: "x".repeat(2001) }) }), "BAD_USER_INPUT", "contribution");
    expectError(await t.gql(USERS.brug, ADD_NM, { input: input({}) }), "FORBIDDEN");
    expectError(await t.gql(USERS.mulder, ADD_NM, { input: input({}) }), "NOT_FOUND", "caseId");
    expect(await count("network_member", fx.caseId)).toBe(0);
    const noPlan = await freshCase({ plan: false });
    expectError(await t.gql(USERS.jansen, ADD_NM, { input: input({ caseId: noPlan.caseId }) }), "BAD_USER_INPUT", "caseId");
  });
});

// ---------------------------------------------------------------------------------------------
// Who reads what of the plan (DOMAIN.md §4): each deny paired with a control by the regisseur

/** A fresh case with a full plan: goals in several domains, about children and adults, scores, network, a partial plan. */
async function richCase() {
  const fx = await freshCase({ children: [{ birthDate: "2016-03-04", school: "vlinder" }, { birthDate: "2019-06-01", school: "anker" }] });
  await t.ok(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 1, familyWords: "We willen rust.", childrenHeard: true, childrenWords: "Ik wil naar oma." } });
  const pp = await addPartialPlan(fx.caseId, org.brug);
  const goals = {
    education: await addGoal(fx.caseId, { title: "Daan op tijd op school", domain: "WORK_EDUCATION", memberId: fx.childIds[0], responsibleOrganisationId: org.vlinder }),
    educationAdult: await addGoal(fx.caseId, { title: "Vader vindt werk", domain: "WORK_EDUCATION", memberId: fx.adultIds[0] }),
    educationOtherSchool: await addGoal(fx.caseId, { title: "Sara went aan Het Anker", domain: "WORK_EDUCATION", memberId: fx.childIds[1] }),
    educationNoMember: await addGoal(fx.caseId, { title: "Ouders vinden een baan", domain: "WORK_EDUCATION" }),
    health: await addGoal(fx.caseId, { title: "Moeder slaapt door", domain: "MENTAL_HEALTH", memberId: fx.adultIds[1], responsibleOrganisationId: org.hap }),
    substance: await addGoal(fx.caseId, { title: "Vader drinkt niet bij spanning", domain: "SUBSTANCE_USE" }),
    childSafety: await addGoal(fx.caseId, { title: "Sara weet wie ze kan bellen", domain: "DOMESTIC_RELATIONS", memberId: fx.childIds[1], isSafetyGoal: true, partialPlanId: pp.id }),
    finances: await addGoal(fx.caseId, { title: "Schulden in beeld", domain: "FINANCES" }),
  };
  await t.ok(USERS.jansen, SCORE, { input: { caseId: fx.caseId, assessedOn: day(-1), scores: allScores() } });
  await t.ok(USERS.jansen, ADD_NM, { input: { caseId: fx.caseId, name: "Oma Ria", relation: "grootmoeder" } });
  return { ...fx, pp, goals };
}

const GOALS_Q = `query($id: ID!) { case(id: $id) { plan { id goals { id title domain member { id } } } } }`;
const PLAN_TEXT_Q = `query($id: ID!) { case(id: $id) { plan { problemAnalysis childrenWords networkMembers { name } partialPlans { title } } } }`;
const SCORES_Q = `query($id: ID!) { case(id: $id) { lifeDomainScores { domain score } plan { lifeDomainScores(latestOnly: true) { domain score } } } }`;
const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

describe("reading the plan: the school", () => {
  it("sees only education goals, only while a consent covers `plan`, and loses them on the next request after withdrawal", async () => {
    const fx = await richCase();
    const denied = await t.gql(USERS.vlinder, GOALS_Q, { id: fx.caseId });
    expect(denied.data!.case.plan).toBeNull();
    expectForbiddenAt(denied, "case.plan");
    const control = (await t.ok(USERS.jansen, GOALS_Q, { id: fx.caseId })).case.plan;
    expect(control.goals).toHaveLength(8);

    // a consent for another category does not open the plan
    await consent(fx, org.vlinder, ["SAFETY"]);
    expect((await t.gql(USERS.vlinder, GOALS_Q, { id: fx.caseId })).data!.case.plan).toBeNull();

    const k = await consent(fx, org.vlinder, ["PLAN"]);
    const school = await t.ok(USERS.vlinder, GOALS_Q, { id: fx.caseId });
    // only education goals about its own pupils: not the father's work, not a child at another school
    expect(school.case.plan.goals).toEqual([{ id: fx.goals.education.id, title: "Daan op tijd op school", domain: "WORK_EDUCATION", member: { id: fx.childIds[0] } }]);
    expect(ids((await t.ok(USERS.jansen, GOALS_Q, { id: fx.caseId })).case.plan.goals)).toEqual(
      expect.arrayContaining(ids([fx.goals.educationAdult, fx.goals.educationOtherSchool])),
    );

    // the rest of the plan stays closed, even with consent
    const rest = await t.gql(USERS.vlinder, PLAN_TEXT_Q, { id: fx.caseId });
    expect(rest.data!.case.plan).toEqual({ problemAnalysis: null, childrenWords: null, networkMembers: null, partialPlans: null });
    for (const f of ["problemAnalysis", "childrenWords", "networkMembers", "partialPlans"]) expectForbiddenAt(rest, `case.plan.${f}`);
    const scores = await t.gql(USERS.vlinder, SCORES_Q, { id: fx.caseId });
    expect(scores.data!.case).toEqual({ lifeDomainScores: null, plan: { lifeDomainScores: null } });
    expectForbiddenAt(scores, "case.lifeDomainScores");
    expectForbiddenAt(scores, "case.plan.lifeDomainScores");
    const ctl = (await t.ok(USERS.jansen, PLAN_TEXT_Q, { id: fx.caseId })).case.plan;
    expect(ctl).toMatchObject({ problemAnalysis: "Spanningen tussen ouders", childrenWords: "Ik wil naar oma.", networkMembers: [{ name: "Oma Ria" }], partialPlans: [{ title: "Gezinsbehandeling" }] });
    expect((await t.ok(USERS.jansen, SCORES_Q, { id: fx.caseId })).case.lifeDomainScores).toHaveLength(13);

    await t.ok(USERS.jansen, WITHDRAW_CONSENT, { input: { id: k } });
    const after = await t.gql(USERS.vlinder, GOALS_Q, { id: fx.caseId });
    expect(after.data!.case.plan).toBeNull();
    expectForbiddenAt(after, "case.plan");
    expect((await t.ok(USERS.jansen, GOALS_Q, { id: fx.caseId })).case.plan.goals).toHaveLength(8);
  });

  it("in De Boer (seeded consent for the school) sees exactly Daan's education goal", async () => {
    const list = await t.ok(USERS.jansen, `{ cases(first: 50) { edges { node { id family { name } } } } }`);
    const deBoer = list.cases.edges.map((e: any) => e.node).find((c: any) => c.family.name === "De Boer").id;
    const school = (await t.ok(USERS.vlinder, GOALS_Q, { id: deBoer })).case.plan.goals;
    expect(school.map((g: any) => g.domain)).toEqual(["WORK_EDUCATION"]);
    const all = (await t.ok(USERS.jansen, GOALS_Q, { id: deBoer })).case.plan.goals;
    expect(all.length).toBe(5);
  });
});

describe("reading the plan: the GP", () => {
  it("sees only health goals with a plan consent, and only health life domains with a lifeDomains consent", async () => {
    const fx = await richCase();
    const denied = await t.gql(USERS.gp, `${SCORES_Q.replace("plan {", "plan { id ")}`, { id: fx.caseId });
    expect(denied.data!.case).toEqual({ lifeDomainScores: null, plan: null });
    expectForbiddenAt(denied, "case.lifeDomainScores");
    expectForbiddenAt(denied, "case.plan");
    expect((await t.ok(USERS.jansen, SCORES_Q, { id: fx.caseId })).case.plan.lifeDomainScores).toHaveLength(13);

    await consent(fx, org.hap, ["PLAN"]);
    const goals = (await t.ok(USERS.gp, GOALS_Q, { id: fx.caseId })).case.plan.goals;
    expect(ids(goals)).toEqual(ids([fx.goals.health, fx.goals.substance]));
    // plan consent alone does not open the scores
    const noScores = await t.gql(USERS.gp, SCORES_Q, { id: fx.caseId });
    expect(noScores.data!.case).toEqual({ lifeDomainScores: null, plan: { lifeDomainScores: null } });
    expectForbiddenAt(noScores, "case.plan.lifeDomainScores");

    await consent(fx, org.hap, ["LIFE_DOMAINS"]);
    const s = (await t.ok(USERS.gp, SCORES_Q, { id: fx.caseId })).case;
    expect(s.lifeDomainScores.map((x: any) => x.domain)).toEqual(HEALTH);
    expect(s.plan.lifeDomainScores.map((x: any) => x.domain)).toEqual(HEALTH);
    const text = await t.gql(USERS.gp, PLAN_TEXT_Q, { id: fx.caseId });
    expectForbiddenAt(text, "case.plan.problemAnalysis");
    expect(text.data!.case.plan.problemAnalysis).toBeNull();
    expect(JSON.stringify(text)).not.toContain("Spanningen tussen ouders");
    expect((await t.ok(USERS.jansen, PLAN_TEXT_Q, { id: fx.caseId })).case.plan.problemAnalysis).toBe("Spanningen tussen ouders");
  });
});

describe("reading the plan: JGZ", () => {
  it("sees only the children's goals, only with consent", async () => {
    const fx = await richCase();
    const denied = await t.gql(USERS.jgz, GOALS_Q, { id: fx.caseId });
    expect(denied.data!.case.plan).toBeNull();
    expectForbiddenAt(denied, "case.plan");
    expect((await t.ok(USERS.jansen, GOALS_Q, { id: fx.caseId })).case.plan.goals).toHaveLength(8);

    const k = await consent(fx, org.jgz, ["PLAN", "LIFE_DOMAINS"]);
    const goals = (await t.ok(USERS.jgz, GOALS_Q, { id: fx.caseId })).case.plan.goals;
    expect(ids(goals)).toEqual(ids([fx.goals.education, fx.goals.educationOtherSchool, fx.goals.childSafety]));
    // JGZ's life-domain rule is consent without a narrower scope
    expect((await t.ok(USERS.jgz, SCORES_Q, { id: fx.caseId })).case.lifeDomainScores).toHaveLength(13);
    await t.ok(USERS.jansen, WITHDRAW_CONSENT, { input: { id: k } });
    const after = await t.gql(USERS.jgz, GOALS_Q, { id: fx.caseId });
    expect(after.data!.case.plan).toBeNull();
    expectForbiddenAt(after, "case.plan");
    expect((await t.ok(USERS.jansen, GOALS_Q, { id: fx.caseId })).case.plan.goals).toHaveLength(8);
  });
});

describe("reading the plan: care provider and not involved", () => {
  it("an involved care provider reads the whole plan but life-domain scores only with consent; a not-involved organisation sees no case", async () => {
    const fx = await richCase();
    const d = await t.gql(USERS.brug, `query($id: ID!) { case(id: $id) { plan { problemAnalysis childrenWords goals { id } networkMembers { name } } lifeDomainScores { domain } } }`, { id: fx.caseId });
    expect(d.data!.case.plan).toMatchObject({ problemAnalysis: "Spanningen tussen ouders", childrenWords: "Ik wil naar oma.", networkMembers: [{ name: "Oma Ria" }] });
    expect(d.data!.case.plan.goals).toHaveLength(8);
    expect(d.data!.case.lifeDomainScores).toBeNull();
    expectForbiddenAt(d, "case.lifeDomainScores");
    expect((await t.ok(USERS.jansen, SCORES_Q, { id: fx.caseId })).case.lifeDomainScores).toHaveLength(13);

    const ggz = await t.gql(USERS.ggz, GOALS_Q, { id: fx.caseId });
    const wrong = await t.gql(USERS.ggz, GOALS_Q, { id: wrongId });
    expectError(ggz, "NOT_FOUND");
    expect(ggz).toEqual(wrong);
  });
});

// ---------------------------------------------------------------------------------------------

describe("plan changes in the change feed", () => {
  async function feed(who: string, caseId: string, after: number) {
    const out: { kind: string; entityId: string; subject: any }[] = [];
    let cursor = String(after);
    for (;;) {
      const d = await t.ok(
        who,
        `query($a: String) { changes(after: $a, first: 100) { edges { node { kind entityId caseId subject { __typename ... on Goal { title } ... on LifeDomainScore { domain } } } } pageInfo { hasNextPage endCursor } } }`,
        { a: cursor },
      );
      out.push(...d.changes.edges.map((e: any) => e.node).filter((n: any) => n.caseId === caseId));
      if (!d.changes.pageInfo.hasNextPage) return out;
      cursor = d.changes.pageInfo.endCursor;
    }
  }

  it("each organisation sees exactly the plan changes it may read", async () => {
    const fx = await freshCase();
    await consent(fx, org.vlinder, ["PLAN"]);
    await consent(fx, org.hap, ["PLAN", "LIFE_DOMAINS"]);
    const start = Number((await db().query("SELECT last_id FROM feed_head WHERE id = 1")).rows[0].last_id);

    const plan = (await t.ok(USERS.jansen, UPDATE, { input: { id: fx.planId, version: 1, helpQuestion: "Rust thuis" } })).updatePlan;
    const edu = await addGoal(fx.caseId, { title: "Op tijd op school", domain: "WORK_EDUCATION", memberId: fx.childIds[0] });
    const health = await addGoal(fx.caseId, { title: "Moeder slaapt door", domain: "MENTAL_HEALTH" });
    const pp = await addPartialPlan(fx.caseId, org.brug, USERS.brug);
    const brugGoal = await addGoal(fx.caseId, { title: "De-escalatie", domain: "DOMESTIC_RELATIONS", partialPlanId: pp.id }, USERS.brug);
    const nm = (await t.ok(USERS.jansen, ADD_NM, { input: { caseId: fx.caseId, name: "Oma", relation: "grootmoeder" } })).addNetworkMember;
    const scores = (await t.ok(USERS.jansen, SCORE, { input: { caseId: fx.caseId, assessedOn: day(0), scores: allScores() } })).recordLifeDomainScores;
    const eduUpdated = (await t.ok(USERS.jansen, UPDATE_GOAL, { input: { id: edu.id, version: 1, status: "ACHIEVED" } })).updateGoal;

    const kinds = (list: { kind: string; entityId: string }[]) => list.map((e) => `${e.kind}:${e.entityId}`);
    const scoreEvents = (domains: string[]) => scores.filter((s: any) => domains.includes(s.domain)).map((s: any) => `LIFE_DOMAINS_SCORED:${s.id}`);
    const everything = [
      `PLAN_UPDATED:${plan.id}`,
      `GOAL_ADDED:${edu.id}`,
      `GOAL_ADDED:${health.id}`,
      `PARTIAL_PLAN_ADDED:${pp.id}`,
      `GOAL_ADDED:${brugGoal.id}`,
      `NETWORK_MEMBER_ADDED:${nm.id}`,
      ...scoreEvents(DOMAINS),
      `GOAL_UPDATED:${eduUpdated.id}`,
    ];
    expect(kinds(await feed(USERS.jansen, fx.caseId, start))).toEqual(everything);
    // the care provider: all of the plan, but no scores without a lifeDomains consent
    expect(kinds(await feed(USERS.brug, fx.caseId, start))).toEqual(everything.filter((e) => !e.startsWith("LIFE_DOMAINS_SCORED")));
    // the school: only its education goal (and its update), with the subject resolved
    const school = await feed(USERS.vlinder, fx.caseId, start);
    expect(kinds(school)).toEqual([`GOAL_ADDED:${edu.id}`, `GOAL_UPDATED:${edu.id}`]);
    expect(school[0].subject).toEqual({ __typename: "Goal", title: "Op tijd op school" });
    // the GP: the health goal and the health domains
    expect(kinds(await feed(USERS.gp, fx.caseId, start))).toEqual([`GOAL_ADDED:${health.id}`, ...scoreEvents(HEALTH)]);
    // JGZ without consent: nothing of the plan
    expect(kinds(await feed(USERS.jgz, fx.caseId, start))).toEqual([]);
    // not involved: nothing of this case at all
    expect(await feed(USERS.ggz, fx.caseId, start)).toEqual([]);
  });
});
