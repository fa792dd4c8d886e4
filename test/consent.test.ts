import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;
let fx: FixtureCase; // children aged 10, 14 and 17; De Vlinder, the GP and De Brug involved
let other: FixtureCase; // another family, for members that do not belong to fx
let org: Record<"hap" | "vlinder" | "brug" | "ggz", string>;

const year = new Date().getFullYear();
const bornAged = (age: number) => `${year - age}-01-01`; // exactly `age` on any day of this year
const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const today = iso(new Date());
const tomorrow = iso(new Date(Date.now() + 86_400_000));
const wrongId = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  t = await startTestHub();
  fx = await createCase({
    involve: ["vlinder", "hap", "brug"],
    regisseur: USERS.jansen,
    children: [{ birthDate: bornAged(10), school: "vlinder" }, { birthDate: bornAged(14) }, { birthDate: bornAged(17) }],
  });
  other = await createCase({ regisseur: USERS.jansen });
  org = { hap: await orgId(ORGS.hap), vlinder: await orgId(ORGS.vlinder), brug: await orgId(ORGS.brug), ggz: await orgId(ORGS.ggz) };
});
afterAll(() => t?.stop());

const CONSENT_FIELDS = `id categories purpose consentRule givenOn validUntil active withdrawnAt withdrawalReason createdAt
  organisation { id name } subject { id } givenBy { id } withdrawnBy { email }`;
const RECORD = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { ${CONSENT_FIELDS} } }`;
const WITHDRAW = `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { ${CONSENT_FIELDS} } }`;
const DECIDE = `mutation($input: RecordSharingDecisionInput!) { recordSharingDecision(input: $input) {
  id categories legalBasis weighing decidedOn validUntil active withdrawnAt withdrawalReason organisation { id } decidedBy { email } withdrawnBy { email } } }`;
const WITHDRAW_DECISION = `mutation($input: WithdrawSharingDecisionInput!) { withdrawSharingDecision(input: $input) { id active withdrawnAt withdrawalReason withdrawnBy { email } } }`;

const consentInput = (over: Record<string, unknown> = {}) => ({
  caseId: fx.caseId,
  organisationId: org.hap,
  categories: ["PLAN", "LIFE_DOMAINS"],
  purpose: "Afstemming zorg met de huisarts",
  givenByMemberIds: fx.adultIds,
  givenOn: today,
  ...over,
});
const decisionInput = (over: Record<string, unknown> = {}) => ({
  caseId: fx.caseId,
  organisationId: org.brug,
  categories: ["RISK"],
  legalBasis: "Art. 7.3.11 Jeugdwet; meldcode stap 5",
  weighing: "Acute zorgen over de veiligheid van de kinderen wegen zwaarder dan de privacy van de ouders.",
  decidedOn: today,
  ...over,
});

async function events(kind: string, entityId: string) {
  return (await db().query("SELECT kind, entity, case_id, organisation_ids FROM change_event WHERE kind = $1 AND entity_id = $2", [kind, entityId])).rows;
}

function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field).toBe(field);
}

describe("recordConsent", () => {
  it("records the household's consent given by the parents (ADULT), lists it on the case and emits CONSENT_GIVEN", async () => {
    const d = await t.ok(USERS.jansen, RECORD, { input: consentInput() });
    const k = d.recordConsent;
    expect(k).toMatchObject({
      categories: ["PLAN", "LIFE_DOMAINS"],
      consentRule: "ADULT",
      givenOn: today,
      validUntil: null,
      active: true,
      withdrawnAt: null,
      organisation: { id: org.hap, name: ORGS.hap },
      subject: null,
    });
    expect(k.givenBy.map((m: any) => m.id).sort()).toEqual([...fx.adultIds].sort());
    const c = await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { consents { id } } }`, { id: fx.caseId });
    expect(c.case.consents.map((x: any) => x.id)).toContain(k.id);
    const ev = await events("CONSENT_GIVEN", k.id);
    expect(ev).toEqual([{ kind: "CONSENT_GIVEN", entity: "Consent", case_id: fx.caseId, organisation_ids: [org.hap] }]);
    // stored as the policy's category strings, so the access layer matches them
    const row = await db().query("SELECT categories FROM consent WHERE id = $1", [k.id]);
    expect(row.rows[0].categories).toEqual(["plan", "lifeDomains"]);
  });

  it("applies the rule for minors by the subject's age", async () => {
    const [c10, c14, c17] = fx.childIds;
    const a = await t.ok(USERS.jansen, RECORD, { input: consentInput({ subjectMemberId: c10, givenByMemberIds: [fx.adultIds[0]] }) });
    expect(a.recordConsent).toMatchObject({ consentRule: "PARENTS", subject: { id: c10 } });
    const b = await t.ok(USERS.jansen, RECORD, { input: consentInput({ subjectMemberId: c14, givenByMemberIds: [c14, fx.adultIds[1]] }) });
    expect(b.recordConsent.consentRule).toBe("PARENTS_AND_CHILD");
    const c = await t.ok(USERS.jansen, RECORD, { input: consentInput({ subjectMemberId: c17, givenByMemberIds: [c17] }) });
    expect(c.recordConsent.consentRule).toBe("YOUNG_PERSON");
    const d = await t.ok(USERS.jansen, RECORD, { input: consentInput({ subjectMemberId: fx.adultIds[0], givenByMemberIds: [fx.adultIds[0]] }) });
    expect(d.recordConsent.consentRule).toBe("ADULT");
  });

  it("refuses consent given by the wrong people, naming givenByMemberIds", async () => {
    const [c10, c14, c17] = fx.childIds;
    const cases = [
      { subjectMemberId: c10, givenByMemberIds: [c10], msg: /under 12/ }, // a 10-year-old alone
      { subjectMemberId: c14, givenByMemberIds: fx.adultIds, msg: /12 to 15/ }, // a 14-year-old's parents only
      { subjectMemberId: c14, givenByMemberIds: [c14], msg: /12 to 15/ }, // the 14-year-old alone
      { subjectMemberId: c17, givenByMemberIds: [fx.adultIds[0]], msg: /16 or 17/ }, // a 17-year-old's parent only
      { givenByMemberIds: [c17], msg: /adults/ }, // the household by a minor
    ];
    const before = await db().query("SELECT count(*)::int AS n FROM consent WHERE case_id = $1", [fx.caseId]);
    for (const { msg, ...over } of cases) {
      const r = await t.gql(USERS.jansen, RECORD, { input: consentInput(over) });
      expectError(r, "BAD_USER_INPUT", "givenByMemberIds");
      expect(r.errors![0].message).toMatch(msg);
    }
    const after = await db().query("SELECT count(*)::int AS n FROM consent WHERE case_id = $1", [fx.caseId]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it("refuses bad input with the field", async () => {
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ categories: [] }) }), "BAD_USER_INPUT", "categories");
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ givenByMemberIds: [] }) }), "BAD_USER_INPUT", "givenByMemberIds");
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ purpose: "" }) }), "BAD_USER_INPUT", "purpose");
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ organisationId: org.ggz }) }), "BAD_USER_INPUT", "organisationId");
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ givenByMemberIds: [other.adultIds[0]] }) }), "BAD_USER_INPUT", "givenByMemberIds");
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ subjectMemberId: other.childIds[0] }) }), "BAD_USER_INPUT", "subjectMemberId");
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ givenOn: tomorrow }) }), "BAD_USER_INPUT", "givenOn");
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ validUntil: today }) }), "BAD_USER_INPUT", "validUntil");
    // categories outside the enum (not shareable) are refused by the schema
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ categories: ["CASE"] }) }), "BAD_USER_INPUT");
  });

  it("answers a wrong case id and a case the viewer's organisation is not involved in alike: NOT_FOUND", async () => {
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ caseId: wrongId }) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, RECORD, { input: consentInput() }), "NOT_FOUND", "caseId");
  });

  it("is the regisseur's: a school or a care provider may not record consent (FORBIDDEN)", async () => {
    expectError(await t.gql(USERS.vlinder, RECORD, { input: consentInput() }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, RECORD, { input: consentInput() }), "FORBIDDEN");
  });

  it("refuses a closed case: CONFLICT", async () => {
    const closed = await createCase({ involve: ["hap"], regisseur: USERS.jansen });
    await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [closed.caseId]);
    expectError(await t.gql(USERS.jansen, RECORD, { input: consentInput({ caseId: closed.caseId, givenByMemberIds: closed.adultIds }) }), "CONFLICT");
  });

  it("shows an expired consent as not active", async () => {
    const d = await t.ok(USERS.jansen, RECORD, { input: consentInput({ givenOn: "2020-01-01", validUntil: "2021-01-01" }) });
    expect(d.recordConsent.active).toBe(false);
  });
});

describe("withdrawConsent", () => {
  it("withdraws at once, records who and why, emits CONSENT_WITHDRAWN; a second withdrawal is a CONFLICT", async () => {
    const k = (await t.ok(USERS.jansen, RECORD, { input: consentInput() })).recordConsent;
    const d = await t.ok(USERS.jansen, WITHDRAW, { input: { id: k.id, reason: "Cliënt trekt toestemming in" } });
    expect(d.withdrawConsent).toMatchObject({ id: k.id, active: false, withdrawalReason: "Cliënt trekt toestemming in", withdrawnBy: { email: USERS.jansen } });
    expect(d.withdrawConsent.withdrawnAt).not.toBeNull();
    expect(await events("CONSENT_WITHDRAWN", k.id)).toEqual([{ kind: "CONSENT_WITHDRAWN", entity: "Consent", case_id: fx.caseId, organisation_ids: [org.hap] }]);
    expectError(await t.gql(USERS.jansen, WITHDRAW, { input: { id: k.id } }), "CONFLICT", "id");
  });

  it("NOT_FOUND for a wrong id, a malformed id and a viewer not involved; FORBIDDEN for a care provider", async () => {
    const k = (await t.ok(USERS.jansen, RECORD, { input: consentInput() })).recordConsent;
    expectError(await t.gql(USERS.jansen, WITHDRAW, { input: { id: wrongId } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.jansen, WITHDRAW, { input: { id: "nope" } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, WITHDRAW, { input: { id: k.id } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.brug, WITHDRAW, { input: { id: k.id } }), "FORBIDDEN");
    expect((await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { consents { id active } } }`, { id: fx.caseId })).case.consents).toContainEqual({
      id: k.id,
      active: true,
    });
  });
});

describe("what others see", () => {
  it("a school sees only the consents for its own organisation", async () => {
    const mine = (await t.ok(USERS.jansen, RECORD, { input: consentInput({ organisationId: org.vlinder, categories: ["PLAN"] }) })).recordConsent;
    const d = await t.ok(USERS.vlinder, `query($id: ID!) { case(id: $id) { consents { id purpose organisation { id } } } }`, { id: fx.caseId });
    expect(d.case.consents.map((k: any) => k.id)).toEqual([mine.id]);
  });

  it("a consent lets a care provider read the consented category, and its withdrawal stops that at once", async () => {
    const c = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    const risk = await db().query(
      "INSERT INTO risk_assessment (case_id, instrument, assessed_on, level, conclusion, assessor_id) VALUES ($1, 'LIRIK', '2024-01-01', 'HIGH', 'Zorgen', $2) RETURNING id",
      [c.caseId, await professionalId(USERS.smit)],
    );
    await db().query("INSERT INTO evaluation (case_id, evaluated_on, with_family, outcome, risk_now_id) VALUES ($1, '2024-02-01', true, 'CONTINUE', $2)", [
      c.caseId,
      risk.rows[0].id,
    ]);
    const q = `query($id: ID!) { case(id: $id) { evaluations { riskNowLevel } } }`;
    const denied = await t.gql(USERS.brug, q, { id: c.caseId });
    expect(denied.data!.case.evaluations[0].riskNowLevel).toBeNull();
    expect(denied.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const k = (await t.ok(USERS.jansen, RECORD, { input: consentInput({ caseId: c.caseId, organisationId: org.brug, categories: ["RISK"], givenByMemberIds: c.adultIds }) }))
      .recordConsent;
    expect((await t.ok(USERS.brug, q, { id: c.caseId })).case.evaluations[0].riskNowLevel).toBe("HIGH");
    await t.ok(USERS.jansen, WITHDRAW, { input: { id: k.id } });
    expect((await t.gql(USERS.brug, q, { id: c.caseId })).data!.case.evaluations[0].riskNowLevel).toBeNull();
  });
});

describe("sharing decisions without consent", () => {
  it("records the legal basis, the weighing and who decided; emits SHARING_DECIDED", async () => {
    const d = (await t.ok(USERS.jansen, DECIDE, { input: decisionInput() })).recordSharingDecision;
    expect(d).toMatchObject({
      categories: ["RISK"],
      legalBasis: decisionInput().legalBasis,
      weighing: decisionInput().weighing,
      decidedOn: today,
      active: true,
      organisation: { id: org.brug },
      decidedBy: { email: USERS.jansen },
    });
    const c = await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { sharingDecisions { id } } }`, { id: fx.caseId });
    expect(c.case.sharingDecisions.map((x: any) => x.id)).toContain(d.id);
    expect(await events("SHARING_DECIDED", d.id)).toEqual([{ kind: "SHARING_DECIDED", entity: "SharingDecision", case_id: fx.caseId, organisation_ids: [org.brug] }]);
  });

  it("requires the weighing, categories and an involved organisation", async () => {
    expectError(await t.gql(USERS.jansen, DECIDE, { input: decisionInput({ weighing: "" }) }), "BAD_USER_INPUT", "weighing");
    expectError(await t.gql(USERS.jansen, DECIDE, { input: decisionInput({ weighing: "   " }) }), "BAD_USER_INPUT", "weighing");
    expectError(await t.gql(USERS.jansen, DECIDE, { input: decisionInput({ legalBasis: "" }) }), "BAD_USER_INPUT", "legalBasis");
    expectError(await t.gql(USERS.jansen, DECIDE, { input: decisionInput({ categories: [] }) }), "BAD_USER_INPUT", "categories");
    expectError(await t.gql(USERS.jansen, DECIDE, { input: decisionInput({ organisationId: org.ggz }) }), "BAD_USER_INPUT", "organisationId");
    expectError(await t.gql(USERS.jansen, DECIDE, { input: decisionInput({ decidedOn: tomorrow }) }), "BAD_USER_INPUT", "decidedOn");
  });

  it("NOT_FOUND for a wrong or invisible case; FORBIDDEN for a school", async () => {
    expectError(await t.gql(USERS.jansen, DECIDE, { input: decisionInput({ caseId: wrongId }) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, DECIDE, { input: decisionInput() }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.vlinder, DECIDE, { input: decisionInput() }), "FORBIDDEN");
  });

  it("withdraws at once and emits SHARING_WITHDRAWN; withdrawing twice is a CONFLICT", async () => {
    const d = (await t.ok(USERS.jansen, DECIDE, { input: decisionInput() })).recordSharingDecision;
    const w = (await t.ok(USERS.jansen, WITHDRAW_DECISION, { input: { id: d.id, reason: "Veiligheid hersteld" } })).withdrawSharingDecision;
    expect(w).toMatchObject({ id: d.id, active: false, withdrawalReason: "Veiligheid hersteld", withdrawnBy: { email: USERS.jansen } });
    expect(await events("SHARING_WITHDRAWN", d.id)).toHaveLength(1);
    expectError(await t.gql(USERS.jansen, WITHDRAW_DECISION, { input: { id: d.id } }), "CONFLICT", "id");
    expectError(await t.gql(USERS.jansen, WITHDRAW_DECISION, { input: { id: wrongId } }), "NOT_FOUND", "id");
  });
});
