import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;
let deBoer: string;
let smitId: string;
let brugOrg: string;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const day = (offset: number) => iso(new Date(Date.now() + offset * 86_400_000));
const wrongId = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  t = await startTestHub();
  smitId = await professionalId(USERS.smit);
  brugOrg = await orgId(ORGS.brug);
  const r = await db().query<{ id: string }>(
    `SELECT c.id FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = 'De Boer' AND f.created_at < now() - interval '1 day'`,
  );
  deBoer = r.rows[0].id;
});
afterAll(() => t?.stop());

const FIELDS = `id decision decidedOn consulted informationBasis createdAt decidedBy { email } behaviouralScientist { email }`;
const RECORD = `mutation($input: RecordKeyDecisionInput!) { recordKeyDecision(input: $input) { ${FIELDS} } }`;
const DECISIONS = `query($id: ID!) { case(id: $id) { id keyDecisions { ${FIELDS} } } }`;

type Errors = { errors?: { path?: (string | number)[]; extensions?: Record<string, any> }[] };
function expectError(r: Errors, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
/** The read was refused at Case.keyDecisions (null, FORBIDDEN) while the case itself is visible. */
function expectNoKeyDecisions(r: Errors & { data?: any }, caseId: string) {
  expect(r.data?.case).toEqual({ id: caseId, keyDecisions: null });
  expect(r.errors?.map((e) => [e.extensions?.code, e.path?.join(".")])).toEqual([["FORBIDDEN", "case.keyDecisions"]]);
}
const input = (caseId: string, over: Record<string, unknown> = {}) => ({
  caseId,
  decision: "De hulp blijft in vrijwillig kader.",
  decidedOn: day(-1),
  consulted: "Gedragswetenschapper SWT; Veilig Thuis.",
  behaviouralScientistId: smitId,
  informationBasis: "ARIJ-risicotaxatie, voortgangsverslag De Brug, gesprekken met ouders.",
  ...over,
});
const count = async (fx: FixtureCase) => (await db().query("SELECT count(*)::int AS n FROM key_decision WHERE case_id = $1", [fx.caseId])).rows[0].n;

describe("De Boer's seeded key decision", () => {
  it("the regisseur, the behavioural scientist and Veilig Thuis read it; De Brug (no consent) and the school do not", async () => {
    const reg = (await t.ok(USERS.jansen, DECISIONS, { id: deBoer })).case.keyDecisions;
    expect(reg).toHaveLength(1);
    expect(reg[0]).toMatchObject({ decidedBy: { email: USERS.jansen }, behaviouralScientist: { email: USERS.smit } });
    expect(reg[0].decision).toMatch(/^De hulp blijft in vrijwillig kader/);
    expect(reg[0].consulted).toMatch(/Gert Smit/);
    expect((await t.ok(USERS.smit, DECISIONS, { id: deBoer })).case.keyDecisions.map((k: any) => k.id)).toEqual([reg[0].id]);
    expect((await t.ok(USERS.vt, DECISIONS, { id: deBoer })).case.keyDecisions.map((k: any) => k.id)).toEqual([reg[0].id]);
    expectNoKeyDecisions(await t.gql(USERS.brug, DECISIONS, { id: deBoer }), deBoer);
    expectNoKeyDecisions(await t.gql(USERS.vlinder, DECISIONS, { id: deBoer }), deBoer);
    expectNoKeyDecisions(await t.gql(USERS.gp, DECISIONS, { id: deBoer }), deBoer);
    expectError(await t.gql(USERS.mulder, DECISIONS, { id: deBoer }), "NOT_FOUND", "id");
  });
});

describe("recordKeyDecision and Case.keyDecisions", () => {
  it("records a key decision by the regisseur and one by the behavioural scientist, lists them newest first, and emits KEY_DECISION_RECORDED", async () => {
    const fx = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    expect((await t.ok(USERS.jansen, DECISIONS, { id: fx.caseId })).case.keyDecisions).toEqual([]);
    const a = (await t.ok(USERS.jansen, RECORD, { input: input(fx.caseId, { decidedOn: day(-10) }) })).recordKeyDecision;
    expect(a).toMatchObject({
      decision: "De hulp blijft in vrijwillig kader.",
      decidedOn: day(-10),
      consulted: "Gedragswetenschapper SWT; Veilig Thuis.",
      informationBasis: "ARIJ-risicotaxatie, voortgangsverslag De Brug, gesprekken met ouders.",
      decidedBy: { email: USERS.jansen },
      behaviouralScientist: { email: USERS.smit },
    });
    const b = (
      await t.ok(USERS.smit, RECORD, { input: input(fx.caseId, { decision: "Opschalen naar Veilig Thuis bij nieuw incident.", decidedOn: day(0), behaviouralScientistId: null }) })
    ).recordKeyDecision;
    expect(b).toMatchObject({ decidedOn: day(0), decidedBy: { email: USERS.smit }, behaviouralScientist: null });
    // recorded last, decided earliest: ordered by the decision date
    const c = (await t.ok(USERS.bakker, RECORD, { input: input(fx.caseId, { decidedOn: day(-30), behaviouralScientistId: smitId.toUpperCase() }) })).recordKeyDecision;
    expect(c.behaviouralScientist).toEqual({ email: USERS.smit });

    const list = (await t.ok(USERS.jansen, DECISIONS, { id: fx.caseId })).case.keyDecisions;
    expect(list.map((k: any) => k.id)).toEqual([b.id, a.id, c.id]);
    const ev = await db().query("SELECT kind, entity, case_id FROM change_event WHERE entity_id = $1", [a.id]);
    expect(ev.rows).toEqual([{ kind: "KEY_DECISION_RECORDED", entity: "KeyDecision", case_id: fx.caseId }]);
  });

  it("is for the regisseur and the behavioural scientist: school, GP, care provider and Veilig Thuis get FORBIDDEN and nothing is written", async () => {
    const fx = await createCase({ involve: ["vlinder", "hap", "brug", "regieteam"], regisseur: USERS.jansen });
    for (const who of [USERS.vlinder, USERS.gp, USERS.brug, USERS.vt, USERS.visser, USERS.mulder]) {
      expectError(await t.gql(who, RECORD, { input: input(fx.caseId) }), "FORBIDDEN");
    }
    expect(await count(fx)).toBe(0);
    expect((await t.ok(USERS.jansen, RECORD, { input: input(fx.caseId) })).recordKeyDecision.id).toBeTruthy();
  });

  it("refuses bad input with the field, and writes nothing", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const inactive = await db().query(
      "INSERT INTO professional (organisation_id, name, email, role, active) VALUES ($1, 'Oud-collega', $2, 'BEHAVIOURAL_SCIENTIST', false) RETURNING id",
      [await orgId(ORGS.swt), `oud-${Math.random().toString(36).slice(2, 8)}@swt-waalbeek.example`],
    );
    const bad: [Record<string, unknown>, string][] = [
      [{ decidedOn: day(1) }, "decidedOn"],
      [{ decidedOn: "2025-02-30" }, "decidedOn"],
      [{ decidedOn: "gisteren" }, "decidedOn"],
      [{ behaviouralScientistId: await professionalId(USERS.jansen) }, "behaviouralScientistId"], // not a behavioural scientist
      [{ behaviouralScientistId: inactive.rows[0].id }, "behaviouralScientistId"],
      [{ behaviouralScientistId: wrongId }, "behaviouralScientistId"],
      [{ behaviouralScientistId: "nope" }, "behaviouralScientistId"],
      [{ decision: "" }, "decision"],
      [{ decision: "   " }, "decision"],
      [{ decision: "x".repeat(5001) }, "decision"],
      [{ consulted: "x".repeat(2001) }, "consulted"],
      [{ consulted: "\n" }, "consulted"],
      [{ informationBasis: "x".repeat(5001) }, "informationBasis"],
      [{ informationBasis: null }, "informationBasis"],
    ];
    for (const [over, field] of bad) expectError(await t.gql(USERS.jansen, RECORD, { input: input(fx.caseId, over) }), "BAD_USER_INPUT", field);
    expect(await count(fx)).toBe(0);
    expect((await db().query("SELECT count(*)::int AS n FROM change_event WHERE case_id = $1", [fx.caseId])).rows[0].n).toBe(0);
    // the limits themselves are accepted
    const max = (await t.ok(USERS.jansen, RECORD, { input: input(fx.caseId, { decision: "x".repeat(5000), consulted: "y".repeat(2000), informationBasis: "z".repeat(5000), decidedOn: day(0) }) }))
      .recordKeyDecision;
    expect(max.decision).toHaveLength(5000);
  });

  it("NOT_FOUND for a wrong or invisible case; CONFLICT when the case is closed", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    expectError(await t.gql(USERS.jansen, RECORD, { input: input(wrongId) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.jansen, RECORD, { input: input("nope") }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, RECORD, { input: input(fx.caseId) }), "NOT_FOUND", "caseId");
    await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);
    expectError(await t.gql(USERS.jansen, RECORD, { input: input(fx.caseId) }), "CONFLICT", "caseId");
    expect(await count(fx)).toBe(0);
  });
});

describe("who reads key decisions (policy: PROFESSIONAL only with consent)", () => {
  it("a care provider reads them only while a consent covers keyDecisions; the school never", async () => {
    const fx = await createCase({ involve: ["brug", "vlinder"], regisseur: USERS.jansen });
    const k = (await t.ok(USERS.jansen, RECORD, { input: input(fx.caseId) })).recordKeyDecision;
    expectNoKeyDecisions(await t.gql(USERS.brug, DECISIONS, { id: fx.caseId }), fx.caseId);

    const consent = (
      await t.ok(USERS.jansen, `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`, {
        input: { caseId: fx.caseId, organisationId: brugOrg, categories: ["KEY_DECISIONS"], purpose: "Afstemming behandeling", givenByMemberIds: fx.adultIds, givenOn: day(0) },
      })
    ).recordConsent.id;
    const seen = (await t.ok(USERS.brug, DECISIONS, { id: fx.caseId })).case.keyDecisions;
    expect(seen.map((x: any) => x.id)).toEqual([k.id]);
    expect(seen[0]).toMatchObject({ decision: k.decision, decidedBy: { email: USERS.jansen } });
    // a consent for the care provider opens nothing for the school
    expectNoKeyDecisions(await t.gql(USERS.vlinder, DECISIONS, { id: fx.caseId }), fx.caseId);

    await t.ok(USERS.jansen, `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }`, { input: { id: consent } });
    expectNoKeyDecisions(await t.gql(USERS.brug, DECISIONS, { id: fx.caseId }), fx.caseId);
  });

  it("KEY_DECISION_RECORDED is in the feed of those who may read key decisions, not in the school's", async () => {
    const start = Number((await db().query("SELECT last_id FROM feed_head WHERE id = 1")).rows[0].last_id);
    const fx = await createCase({ involve: ["vlinder"], regisseur: USERS.jansen });
    const k = (await t.ok(USERS.smit, RECORD, { input: input(fx.caseId) })).recordKeyDecision;
    const FEED = `query($a: String) { changes(after: $a, first: 100) { edges { node { kind entityId caseId subject { ... on KeyDecision { id decision } } } } pageInfo { hasNextPage endCursor } } }`;
    const feed = async (email: string) => {
      const all: any[] = [];
      let a = String(start);
      for (;;) {
        const c = (await t.ok(email, FEED, { a })).changes;
        all.push(...c.edges.map((e: any) => e.node));
        if (!c.pageInfo.hasNextPage) return all.filter((n) => n.caseId === fx.caseId);
        a = c.pageInfo.endCursor;
      }
    };
    expect(await feed(USERS.jansen)).toEqual([{ kind: "KEY_DECISION_RECORDED", entityId: k.id, caseId: fx.caseId, subject: { id: k.id, decision: k.decision } }]);
    expect(await feed(USERS.vlinder)).toEqual([]);
  });
});
