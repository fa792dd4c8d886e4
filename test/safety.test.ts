import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;
let org: Record<"vt" | "swt" | "vlinder" | "hap" | "jgz" | "brug" | "ggz", string>;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const day = (offset: number) => iso(new Date(Date.now() + offset * 86_400_000));
const wrongId = "00000000-0000-4000-8000-000000000000";

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

const PLAN_FIELDS = `id signalsToWatch whomToCall madeWithClient version createdAt updatedAt`;
const AGREEMENT_FIELDS = `id priority what criterion responsibleKind responsibleNetworkMemberId responsibleDescription dueOn status version updatedAt
  responsibleOrganisation { id name } responsibleProfessional { email } reportTo { id name } sharedWith { id name }`;
const CREATE_PLAN = `mutation($input: CreateSafetyPlanInput!) { createSafetyPlan(input: $input) { ${PLAN_FIELDS} } }`;
const UPDATE_PLAN = `mutation($input: UpdateSafetyPlanInput!) { updateSafetyPlan(input: $input) { ${PLAN_FIELDS} } }`;
const ADD = `mutation($input: AddSafetyAgreementInput!) { addSafetyAgreement(input: $input) { ${AGREEMENT_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateSafetyAgreementInput!) { updateSafetyAgreement(input: $input) { ${AGREEMENT_FIELDS} } }`;
const SHARE = `mutation($input: ShareSafetyAgreementInput!) { shareSafetyAgreement(input: $input) { ${AGREEMENT_FIELDS} } }`;
const UNSHARE = `mutation($input: UnshareSafetyAgreementInput!) { unshareSafetyAgreement(input: $input) { ${AGREEMENT_FIELDS} } }`;
const SAFETY_PLAN = `query($id: ID!) { case(id: $id) { safetyPlan { ${PLAN_FIELDS} agreements { ${AGREEMENT_FIELDS} } } } }`;

function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
async function events(kind: string, entityId: string) {
  return (await db().query("SELECT entity, case_id, organisation_ids FROM change_event WHERE kind = $1 AND entity_id = $2 ORDER BY id", [kind, entityId])).rows;
}
const sorted = (...ids: string[]) => [...new Set(ids)].sort();
async function close(fx: FixtureCase) {
  await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);
}
async function agreementRow(id: string) {
  const a = (await db().query("SELECT what, status, version, responsible_organisation_id FROM safety_agreement WHERE id = $1", [id])).rows[0];
  const shares = (await db().query("SELECT organisation_id FROM safety_agreement_share WHERE agreement_id = $1 ORDER BY organisation_id", [id])).rows;
  return { ...a, shares: shares.map((s) => s.organisation_id) };
}

/** A fresh case (school, GP, JGZ and De Brug involved; regie r.jansen) with a safety plan. */
async function caseWithPlan(): Promise<FixtureCase & { planId: string }> {
  const fx = await createCase({ involve: ["vlinder", "hap", "jgz", "brug"], regisseur: USERS.jansen });
  const p = await t.ok(USERS.jansen, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: true } });
  return { ...fx, planId: p.createSafetyPlan.id };
}
const agreementInput = (caseId: string, over: Record<string, unknown> = {}) => ({
  caseId,
  priority: 1,
  what: "Vader verlaat de woning bij oplopende spanning",
  criterion: "Geen escalaties in het bijzijn van de kinderen; wekelijks gecheckt",
  responsibleKind: "ORGANISATION",
  responsibleOrganisationId: org.brug,
  reportToOrganisationId: org.swt,
  dueOn: day(30),
  shareWithOrganisationIds: [],
  ...over,
});
async function added(caseId: string, over: Record<string, unknown> = {}) {
  return (await t.ok(USERS.jansen, ADD, { input: agreementInput(caseId, over) })).addSafetyAgreement;
}

describe("createSafetyPlan and Case.safetyPlan", () => {
  it("creates the one safety plan of a case, shows it on the case, and emits SAFETY_PLAN_CREATED to all involved organisations", async () => {
    const fx = await createCase({ involve: ["vlinder", "hap", "brug"], regisseur: USERS.jansen });
    expect((await t.ok(USERS.jansen, SAFETY_PLAN, { id: fx.caseId })).case.safetyPlan).toBeNull();
    const input = { caseId: fx.caseId, signalsToWatch: "Kinderen komen te laat op school", whomToCall: "Wijkteam: 024-1234567", madeWithClient: true };
    const p = (await t.ok(USERS.jansen, CREATE_PLAN, { input })).createSafetyPlan;
    expect(p).toMatchObject({ signalsToWatch: input.signalsToWatch, whomToCall: input.whomToCall, madeWithClient: true, version: 1 });
    const d = await t.ok(USERS.jansen, SAFETY_PLAN, { id: fx.caseId });
    expect(d.case.safetyPlan).toMatchObject({ id: p.id, agreements: [] });
    expect(await events("SAFETY_PLAN_CREATED", p.id)).toEqual([
      { entity: "SafetyPlan", case_id: fx.caseId, organisation_ids: sorted(org.vt, org.swt, org.vlinder, org.hap, org.brug) },
    ]);
    // the GP reads the safety plan (DOMAIN.md §4)
    expect((await t.ok(USERS.gp, SAFETY_PLAN, { id: fx.caseId })).case.safetyPlan.id).toBe(p.id);
  });

  it("refuses a second safety plan: CONFLICT", async () => {
    const fx = await caseWithPlan();
    const r = await t.gql(USERS.jansen, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: false } });
    expectError(r, "CONFLICT");
    expect((await db().query("SELECT count(*)::int AS n FROM safety_plan WHERE case_id = $1", [fx.caseId])).rows[0].n).toBe(1);
  });

  it("NOT_FOUND for a wrong case id and for a case the viewer's organisation is not involved in", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    expectError(await t.gql(USERS.jansen, CREATE_PLAN, { input: { caseId: wrongId, madeWithClient: true } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.jansen, CREATE_PLAN, { input: { caseId: "nope", madeWithClient: true } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: true } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.brug, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: true } }), "NOT_FOUND", "caseId");
  });

  it("is the regisseur's: a care provider and a school get FORBIDDEN", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug"], regisseur: USERS.jansen });
    expectError(await t.gql(USERS.brug, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: true } }), "FORBIDDEN");
    expectError(await t.gql(USERS.vlinder, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: true } }), "FORBIDDEN");
    expect((await db().query("SELECT count(*)::int AS n FROM safety_plan WHERE case_id = $1", [fx.caseId])).rows[0].n).toBe(0);
  });

  it("refuses blank texts (BAD_USER_INPUT with the field) and a closed case (CONFLICT)", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    expectError(await t.gql(USERS.jansen, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: true, signalsToWatch: "" } }), "BAD_USER_INPUT", "signalsToWatch");
    expectError(await t.gql(USERS.jansen, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: true, whomToCall: "   " } }), "BAD_USER_INPUT", "whomToCall");
    await close(fx);
    expectError(await t.gql(USERS.jansen, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: true } }), "CONFLICT", "caseId");
  });
});

describe("updateSafetyPlan", () => {
  it("changes the plan, bumps the version and emits SAFETY_PLAN_UPDATED; a stale version is a CONFLICT and changes nothing", async () => {
    const fx = await caseWithPlan();
    const u = (await t.ok(USERS.jansen, UPDATE_PLAN, { input: { id: fx.planId, version: 1, whomToCall: "Huisarts of 112", madeWithClient: false } })).updateSafetyPlan;
    expect(u).toMatchObject({ id: fx.planId, whomToCall: "Huisarts of 112", madeWithClient: false, signalsToWatch: null, version: 2 });
    expect(await events("SAFETY_PLAN_UPDATED", fx.planId)).toEqual([
      { entity: "SafetyPlan", case_id: fx.caseId, organisation_ids: sorted(org.vt, org.swt, org.vlinder, org.hap, org.jgz, org.brug) },
    ]);
    expectError(await t.gql(USERS.jansen, UPDATE_PLAN, { input: { id: fx.planId, version: 1, whomToCall: "Overschreven" } }), "CONFLICT", "version");
    const d = await t.ok(USERS.jansen, SAFETY_PLAN, { id: fx.caseId });
    expect(d.case.safetyPlan).toMatchObject({ whomToCall: "Huisarts of 112", version: 2 });
  });

  it("NOT_FOUND for a wrong id or an invisible case; FORBIDDEN for a care provider; BAD_USER_INPUT for null madeWithClient; CONFLICT when closed", async () => {
    const fx = await caseWithPlan();
    expectError(await t.gql(USERS.jansen, UPDATE_PLAN, { input: { id: wrongId, version: 1 } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, UPDATE_PLAN, { input: { id: fx.planId, version: 1 } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.brug, UPDATE_PLAN, { input: { id: fx.planId, version: 1, whomToCall: "x" } }), "FORBIDDEN");
    expectError(await t.gql(USERS.jansen, UPDATE_PLAN, { input: { id: fx.planId, version: 1, madeWithClient: null } }), "BAD_USER_INPUT", "madeWithClient");
    await close(fx);
    expectError(await t.gql(USERS.jansen, UPDATE_PLAN, { input: { id: fx.planId, version: 1, whomToCall: "x" } }), "CONFLICT", "caseId");
    expect((await db().query("SELECT version FROM safety_plan WHERE id = $1", [fx.planId])).rows[0].version).toBe(1);
  });
});

describe("addSafetyAgreement and SafetyPlan.agreements", () => {
  it("adds a SMART agreement shared with school, GP and JGZ; lists agreements by priority; emits SAFETY_AGREEMENT_ADDED", async () => {
    const fx = await caseWithPlan();
    const second = await added(fx.caseId, { priority: 2, what: "Moeder belt de huisarts bij zorgen", responsibleKind: "CLIENT", responsibleOrganisationId: null, responsibleDescription: "moeder" });
    const a = await added(fx.caseId, { shareWithOrganisationIds: [org.vlinder, org.hap, org.jgz] });
    expect(a).toMatchObject({
      priority: 1,
      what: agreementInput(fx.caseId).what,
      criterion: agreementInput(fx.caseId).criterion,
      responsibleKind: "ORGANISATION",
      responsibleOrganisation: { id: org.brug, name: ORGS.brug },
      responsibleProfessional: null,
      reportTo: { id: org.swt, name: ORGS.swt },
      dueOn: day(30),
      status: "ACTIVE",
      version: 1,
    });
    expect(a.sharedWith.map((o: any) => o.name).sort()).toEqual([ORGS.hap, ORGS.jgz, ORGS.vlinder].sort());
    expect(second).toMatchObject({ responsibleKind: "CLIENT", responsibleOrganisation: null, responsibleDescription: "moeder", sharedWith: [] });

    const d = await t.ok(USERS.jansen, SAFETY_PLAN, { id: fx.caseId });
    expect(d.case.safetyPlan.agreements.map((x: any) => x.id)).toEqual([a.id, second.id]);
    expect(d.case.safetyPlan.agreements[0].sharedWith).toHaveLength(3);
    expect(await events("SAFETY_AGREEMENT_ADDED", a.id)).toEqual([
      { entity: "SafetyAgreement", case_id: fx.caseId, organisation_ids: sorted(org.vlinder, org.hap, org.jgz, org.brug, org.swt) },
    ]);
    expect(await events("SAFETY_AGREEMENT_ADDED", second.id)).toEqual([{ entity: "SafetyAgreement", case_id: fx.caseId, organisation_ids: [org.swt] }]);

    // the school sees only the agreement shared with it
    const school = await t.ok(USERS.vlinder, `query($id: ID!) { case(id: $id) { safetyPlan { agreements { id what } } } }`, { id: fx.caseId });
    expect(school.case.safetyPlan.agreements.map((x: any) => x.id)).toEqual([a.id]);
  });

  it("accepts a responsible professional (its organisation becomes responsible) and a member of the case's network", async () => {
    const fx = await caseWithPlan();
    const p = await added(fx.caseId, { responsibleKind: "PROFESSIONAL", responsibleOrganisationId: null, responsibleProfessionalId: await professionalId(USERS.brug) });
    expect(p).toMatchObject({ responsibleKind: "PROFESSIONAL", responsibleProfessional: { email: USERS.brug }, responsibleOrganisation: { id: org.brug } });
    const member = await db().query("INSERT INTO network_member (case_id, name, relation) VALUES ($1, 'Oma Jet', 'grootmoeder') RETURNING id", [fx.caseId]);
    const n = await added(fx.caseId, { responsibleKind: "NETWORK_MEMBER", responsibleOrganisationId: null, responsibleNetworkMemberId: member.rows[0].id });
    expect(n).toMatchObject({ responsibleKind: "NETWORK_MEMBER", responsibleNetworkMemberId: member.rows[0].id, responsibleOrganisation: null });
  });

  it("refuses bad input with the field, and writes nothing", async () => {
    const fx = await caseWithPlan();
    const other = await createCase({ regisseur: USERS.jansen });
    const foreignMember = await db().query("INSERT INTO network_member (case_id, name, relation) VALUES ($1, 'Buurman', 'buurman') RETURNING id", [other.caseId]);
    const cases: [Record<string, unknown>, string][] = [
      [{ responsibleOrganisationId: null }, "responsibleOrganisationId"],
      [{ responsibleKind: "PROFESSIONAL", responsibleOrganisationId: null }, "responsibleProfessionalId"],
      [{ responsibleKind: "NETWORK_MEMBER", responsibleOrganisationId: null }, "responsibleNetworkMemberId"],
      [{ responsibleKind: "CLIENT" }, "responsibleOrganisationId"], // an organisation id with kind CLIENT is ambiguous
      [{ responsibleKind: "NETWORK_MEMBER", responsibleOrganisationId: null, responsibleNetworkMemberId: foreignMember.rows[0].id }, "responsibleNetworkMemberId"],
      [{ responsibleKind: "PROFESSIONAL", responsibleOrganisationId: null, responsibleProfessionalId: await professionalId(USERS.ggz) }, "responsibleProfessionalId"],
      [{ responsibleKind: "PROFESSIONAL", responsibleOrganisationId: null, responsibleProfessionalId: wrongId }, "responsibleProfessionalId"],
      [{ responsibleOrganisationId: org.ggz }, "responsibleOrganisationId"],
      [{ reportToOrganisationId: org.ggz }, "reportToOrganisationId"],
      [{ shareWithOrganisationIds: [org.vlinder, org.ggz] }, "shareWithOrganisationIds"],
      [{ shareWithOrganisationIds: ["nope"] }, "shareWithOrganisationIds"],
      [{ dueOn: day(-1) }, "dueOn"],
      [{ priority: 0 }, "priority"],
      [{ priority: 100 }, "priority"],
      [{ criterion: "" }, "criterion"],
      [{ what: "   " }, "what"],
    ];
    for (const [over, field] of cases) {
      expectError(await t.gql(USERS.jansen, ADD, { input: agreementInput(fx.caseId, over) }), "BAD_USER_INPUT", field);
    }
    expect((await db().query("SELECT count(*)::int AS n FROM safety_agreement WHERE case_id = $1", [fx.caseId])).rows[0].n).toBe(0);
    expect((await db().query("SELECT count(*)::int AS n FROM change_event WHERE case_id = $1 AND kind = 'SAFETY_AGREEMENT_ADDED'", [fx.caseId])).rows[0].n).toBe(0);
    // the due date may be today
    expect((await added(fx.caseId, { dueOn: day(0) })).dueOn).toBe(day(0));
  });

  it("needs the safety plan first", async () => {
    const fx = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    const r = await t.gql(USERS.jansen, ADD, { input: agreementInput(fx.caseId) });
    expectError(r, "BAD_USER_INPUT", "caseId");
    expect(r.errors![0].message).toMatch(/create the safety plan first/);
  });

  it("NOT_FOUND for a wrong case id and for a case the viewer's organisation is not involved in", async () => {
    const fx = await caseWithPlan();
    expectError(await t.gql(USERS.jansen, ADD, { input: agreementInput(wrongId) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, ADD, { input: agreementInput(fx.caseId) }), "NOT_FOUND", "caseId");
    const noBrug = await createCase({ regisseur: USERS.jansen });
    expectError(await t.gql(USERS.brug, ADD, { input: agreementInput(noBrug.caseId) }), "NOT_FOUND", "caseId");
  });

  it("a school may not add agreements, involved or not (its role never writes safety data: the same FORBIDDEN, nothing revealed)", async () => {
    const fx = await caseWithPlan();
    const notInvolved = await createCase({ regisseur: USERS.jansen });
    expectError(await t.gql(USERS.vlinder, ADD, { input: agreementInput(fx.caseId) }), "FORBIDDEN");
    expectError(await t.gql(USERS.vlinder, ADD, { input: agreementInput(notInvolved.caseId) }), "FORBIDDEN");
  });

  it("a care provider adds agreements its own organisation is responsible for, and only those", async () => {
    const fx = await caseWithPlan();
    const own = (await t.ok(USERS.brug, ADD, { input: agreementInput(fx.caseId) })).addSafetyAgreement;
    expect(own.responsibleOrganisation.id).toBe(org.brug);
    const asProfessional = (
      await t.ok(USERS.brug, ADD, {
        input: agreementInput(fx.caseId, { responsibleKind: "PROFESSIONAL", responsibleOrganisationId: null, responsibleProfessionalId: await professionalId(USERS.brug) }),
      })
    ).addSafetyAgreement;
    expect(asProfessional.responsibleOrganisation.id).toBe(org.brug);
    expectError(await t.gql(USERS.brug, ADD, { input: agreementInput(fx.caseId, { responsibleOrganisationId: org.hap }) }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, ADD, { input: agreementInput(fx.caseId, { responsibleKind: "CLIENT", responsibleOrganisationId: null }) }), "FORBIDDEN");
    // sharing is the regisseur's
    expectError(await t.gql(USERS.brug, ADD, { input: agreementInput(fx.caseId, { shareWithOrganisationIds: [org.vlinder] }) }), "FORBIDDEN");
    expect((await db().query("SELECT count(*)::int AS n FROM safety_agreement WHERE case_id = $1", [fx.caseId])).rows[0].n).toBe(2);
  });

  it("refuses a closed case: CONFLICT", async () => {
    const fx = await caseWithPlan();
    await close(fx);
    expectError(await t.gql(USERS.jansen, ADD, { input: agreementInput(fx.caseId) }), "CONFLICT", "caseId");
  });
});

describe("updateSafetyAgreement", () => {
  it("logs the change and the response's read once each, whether the read is logged with the write's statement or after it", async () => {
    const fx = await caseWithPlan();
    const a = await added(fx.caseId);
    let version = 1;
    const logOf = async (selection: string) => {
      const mark = Number((await db().query("SELECT max(seq) AS s FROM access_log")).rows[0].s ?? 0);
      const r = await t.ok(USERS.jansen, `mutation($input: UpdateSafetyAgreementInput!) { updateSafetyAgreement(input: $input) ${selection} }`, {
        input: { id: a.id, version, what: `Versie ${version + 1}` },
      });
      version = r.updateSafetyAgreement.version;
      const rows = await db().query(
        "SELECT action, categories, request_id, xmin::text AS tx FROM access_log WHERE seq > $1 AND case_id = $2 AND email = $3 AND operation LIKE '%updateSafetyAgreement%' ORDER BY seq",
        [mark, fx.caseId, USERS.jansen],
      );
      expect(new Set(rows.rows.map((x) => x.request_id)).size).toBe(1);
      // written by one (autocommit) statement, or by two transactions
      oneStatement = new Set(rows.rows.map((x) => x.tx)).size === 1;
      return rows.rows.map(({ action, categories }) => ({ action, categories }));
    };
    let oneStatement = false;
    const expected = [
      { action: "WRITE", categories: ["safety"] },
      { action: "READ", categories: ["case", "safety"] },
    ];
    // leaf fields (known in advance: logged in the write's statement), through a fragment, and
    // with a relation (logged after the response, as any read)
    expect(await logOf("{ id version what status }")).toEqual(expected);
    expect(oneStatement).toBe(true);
    expect(await logOf("{ __typename ...A } } fragment A on SafetyAgreement { id version what")).toEqual(expected);
    expect(oneStatement).toBe(true);
    expect(await logOf("{ id version what responsibleOrganisation { name } }")).toEqual(expected);
    expect(oneStatement).toBe(false);
    expect(version).toBe(4);
  });

  it("changes fields, replaces the share set, links the MDO it was changed in, and emits SAFETY_AGREEMENT_UPDATED", async () => {
    const fx = await caseWithPlan();
    const a = await added(fx.caseId, { shareWithOrganisationIds: [org.vlinder, org.jgz] });
    const meeting = await db().query("INSERT INTO meeting (case_id, scheduled_at, status) VALUES ($1, now(), 'HELD') RETURNING id", [fx.caseId]);
    const u = (
      await t.ok(USERS.jansen, UPDATE, {
        input: { id: a.id, version: 1, status: "MET", what: "Aangepast in het MDO", reportToOrganisationId: org.hap, shareWithOrganisationIds: [org.hap, org.jgz], meetingId: meeting.rows[0].id },
      })
    ).updateSafetyAgreement;
    expect(u).toMatchObject({ id: a.id, status: "MET", what: "Aangepast in het MDO", criterion: a.criterion, reportTo: { id: org.hap }, version: 2 });
    expect(u.sharedWith.map((o: any) => o.id).sort()).toEqual(sorted(org.hap, org.jgz));
    const link = await db().query("SELECT case_id FROM meeting_changed_agreement WHERE meeting_id = $1 AND agreement_id = $2", [meeting.rows[0].id, a.id]);
    expect(link.rows).toEqual([{ case_id: fx.caseId }]);
    expect(await events("SAFETY_AGREEMENT_UPDATED", a.id)).toEqual([
      // shared before (De Vlinder) and after (GP, JGZ), responsible, reported to before (SWT) and after (GP)
      { entity: "SafetyAgreement", case_id: fx.caseId, organisation_ids: sorted(org.vlinder, org.jgz, org.hap, org.brug, org.swt) },
    ]);
    // the school no longer sees it
    const school = await t.ok(USERS.vlinder, `query($id: ID!) { case(id: $id) { safetyPlan { agreements { id } } } }`, { id: fx.caseId });
    expect(school.case.safetyPlan.agreements).toEqual([]);
    // null clears optional fields
    const cleared = (await t.ok(USERS.jansen, UPDATE, { input: { id: a.id, version: 2, dueOn: null, reportToOrganisationId: null } })).updateSafetyAgreement;
    expect(cleared).toMatchObject({ dueOn: null, reportTo: null, version: 3 });
  });

  it("a stale version is a CONFLICT and changes nothing", async () => {
    const fx = await caseWithPlan();
    const a = await added(fx.caseId);
    await t.ok(USERS.jansen, UPDATE, { input: { id: a.id, version: 1, status: "MET" } });
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: a.id, version: 1, status: "NOT_MET" } }), "CONFLICT", "version");
    expect(await agreementRow(a.id)).toMatchObject({ status: "MET", version: 2 });
  });

  it("writes nothing when the share list holds an organisation not involved in the case", async () => {
    const fx = await caseWithPlan();
    const a = await added(fx.caseId, { shareWithOrganisationIds: [org.vlinder] });
    const before = await agreementRow(a.id);
    const r = await t.gql(USERS.jansen, UPDATE, { input: { id: a.id, version: 1, what: "Mag niet blijven staan", status: "CANCELLED", shareWithOrganisationIds: [org.hap, org.ggz] } });
    expectError(r, "BAD_USER_INPUT", "shareWithOrganisationIds");
    expect(await agreementRow(a.id)).toEqual(before);
    expect(before).toMatchObject({ what: agreementInput(fx.caseId).what, status: "ACTIVE", version: 1, shares: [org.vlinder] });
    expect(await events("SAFETY_AGREEMENT_UPDATED", a.id)).toEqual([]);
  });

  it("refuses bad input with the field", async () => {
    const fx = await caseWithPlan();
    const other = await caseWithPlan();
    const a = await added(fx.caseId);
    const otherMeeting = await db().query("INSERT INTO meeting (case_id, scheduled_at) VALUES ($1, now()) RETURNING id", [other.caseId]);
    const cases: [Record<string, unknown>, string][] = [
      [{ dueOn: day(-1) }, "dueOn"],
      [{ priority: 0 }, "priority"],
      [{ criterion: "" }, "criterion"],
      [{ status: null }, "status"],
      [{ responsibleKind: "PROFESSIONAL" }, "responsibleProfessionalId"],
      [{ responsibleOrganisationId: org.ggz }, "responsibleOrganisationId"],
      [{ reportToOrganisationId: org.ggz }, "reportToOrganisationId"],
      [{ meetingId: otherMeeting.rows[0].id }, "meetingId"],
      [{ meetingId: wrongId }, "meetingId"],
    ];
    for (const [over, field] of cases) {
      expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: a.id, version: 1, ...over } }), "BAD_USER_INPUT", field);
    }
    expect((await agreementRow(a.id)).version).toBe(1);
  });

  it("NOT_FOUND for a wrong id and for a viewer not involved in the case; CONFLICT when the case is closed", async () => {
    const fx = await caseWithPlan();
    const a = await added(fx.caseId);
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: wrongId, version: 1, status: "MET" } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, UPDATE, { input: { id: a.id, version: 1, status: "MET" } }), "NOT_FOUND", "id");
    const noBrug = await createCase({ regisseur: USERS.jansen });
    await t.ok(USERS.jansen, CREATE_PLAN, { input: { caseId: noBrug.caseId, madeWithClient: true } });
    const b = await added(noBrug.caseId, { responsibleOrganisationId: org.swt });
    expectError(await t.gql(USERS.brug, UPDATE, { input: { id: b.id, version: 1, status: "MET" } }), "NOT_FOUND", "id");
    await close(fx);
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: a.id, version: 1, status: "MET" } }), "CONFLICT", "caseId");
  });

  it("a care provider changes the agreements De Brug is responsible for, not another organisation's, and cannot hand them to another", async () => {
    const fx = await caseWithPlan();
    const brugs = await added(fx.caseId);
    const gps = await added(fx.caseId, { responsibleOrganisationId: org.hap });
    const u = (await t.ok(USERS.brug, UPDATE, { input: { id: brugs.id, version: 1, status: "MET", criterion: "Twee weken geen incidenten" } })).updateSafetyAgreement;
    expect(u).toMatchObject({ status: "MET", criterion: "Twee weken geen incidenten", version: 2 });
    expectError(await t.gql(USERS.brug, UPDATE, { input: { id: gps.id, version: 1, status: "MET" } }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, UPDATE, { input: { id: brugs.id, version: 2, responsibleOrganisationId: org.hap } }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, UPDATE, { input: { id: brugs.id, version: 2, shareWithOrganisationIds: [org.vlinder] } }), "FORBIDDEN");
    // the same share set is no change of sharing
    expect((await t.ok(USERS.brug, UPDATE, { input: { id: brugs.id, version: 2, shareWithOrganisationIds: [] } })).updateSafetyAgreement.version).toBe(3);
    expect(await agreementRow(gps.id)).toMatchObject({ status: "ACTIVE", version: 1 });
    expect(await agreementRow(brugs.id)).toMatchObject({ responsible_organisation_id: org.brug, shares: [] });
  });

  it("a school may not change agreements: FORBIDDEN", async () => {
    const fx = await caseWithPlan();
    const a = await added(fx.caseId, { shareWithOrganisationIds: [org.vlinder] });
    expectError(await t.gql(USERS.vlinder, UPDATE, { input: { id: a.id, version: 1, status: "MET" } }), "FORBIDDEN");
  });

  it("of two concurrent updates with the same version exactly one succeeds; the other gets CONFLICT", async () => {
    const fx = await caseWithPlan();
    for (let round = 0; round < 3; round++) await raceOnce(fx.caseId);
  });
});

/** Two regisseurs update the same agreement with the same version at once. */
async function raceOnce(caseId: string) {
  const a = await added(caseId);
  const results = await Promise.all([
    t.gql(USERS.jansen, UPDATE, { input: { id: a.id, version: 1, what: "Versie A", shareWithOrganisationIds: [org.vlinder] } }),
    t.gql(USERS.bakker, UPDATE, { input: { id: a.id, version: 1, what: "Versie B", shareWithOrganisationIds: [org.hap] } }),
  ]);
  const ok = results.filter((r) => !r.errors);
  const failed = results.filter((r) => r.errors);
  expect(ok).toHaveLength(1);
  expect(failed).toHaveLength(1);
  expectError(failed[0], "CONFLICT");
  const winner = ok[0].data!.updateSafetyAgreement;
  const row = await agreementRow(a.id);
  expect(row).toMatchObject({ what: winner.what, version: 2 });
  expect(row.shares).toEqual(winner.what === "Versie A" ? [org.vlinder] : [org.hap]);
  expect(await events("SAFETY_AGREEMENT_UPDATED", a.id)).toHaveLength(1);
}

describe("shareSafetyAgreement and unshareSafetyAgreement", () => {
  it("shares with the school (which then sees it) and stops sharing again; emits SHARED and UNSHARED", async () => {
    const fx = await caseWithPlan();
    const a = await added(fx.caseId, { shareWithOrganisationIds: [org.hap] });
    const schoolView = `query($id: ID!) { case(id: $id) { safetyPlan { agreements { id what sharedWith { id } } } } }`;
    expect((await t.ok(USERS.vlinder, schoolView, { id: fx.caseId })).case.safetyPlan.agreements).toEqual([]);

    const s = (await t.ok(USERS.jansen, SHARE, { input: { id: a.id, organisationIds: [org.vlinder, org.jgz, org.hap] } })).shareSafetyAgreement;
    expect(s.sharedWith.map((o: any) => o.id).sort()).toEqual(sorted(org.hap, org.vlinder, org.jgz));
    expect(s.version).toBe(2);
    expect((await t.ok(USERS.vlinder, schoolView, { id: fx.caseId })).case.safetyPlan.agreements.map((x: any) => x.id)).toEqual([a.id]);
    expect(await events("SAFETY_AGREEMENT_SHARED", a.id)).toEqual([
      { entity: "SafetyAgreement", case_id: fx.caseId, organisation_ids: sorted(org.hap, org.vlinder, org.jgz, org.brug, org.swt) },
    ]);

    const u = (await t.ok(USERS.jansen, UNSHARE, { input: { id: a.id, organisationId: org.vlinder } })).unshareSafetyAgreement;
    expect(u.sharedWith.map((o: any) => o.id).sort()).toEqual(sorted(org.hap, org.jgz));
    expect(u.version).toBe(3);
    expect((await t.ok(USERS.vlinder, schoolView, { id: fx.caseId })).case.safetyPlan.agreements).toEqual([]);
    expect(await events("SAFETY_AGREEMENT_UNSHARED", a.id)).toEqual([
      { entity: "SafetyAgreement", case_id: fx.caseId, organisation_ids: sorted(org.hap, org.vlinder, org.jgz, org.brug, org.swt) },
    ]);
  });

  it("refuses an organisation not involved (share) or not shared with (unshare): BAD_USER_INPUT, nothing changed", async () => {
    const fx = await caseWithPlan();
    const a = await added(fx.caseId, { shareWithOrganisationIds: [org.hap] });
    expectError(await t.gql(USERS.jansen, SHARE, { input: { id: a.id, organisationIds: [org.vlinder, org.ggz] } }), "BAD_USER_INPUT", "organisationIds");
    expectError(await t.gql(USERS.jansen, SHARE, { input: { id: a.id, organisationIds: [] } }), "BAD_USER_INPUT", "organisationIds");
    expectError(await t.gql(USERS.jansen, UNSHARE, { input: { id: a.id, organisationId: org.vlinder } }), "BAD_USER_INPUT", "organisationId");
    expect(await agreementRow(a.id)).toMatchObject({ version: 1, shares: [org.hap] });
  });

  it("is the regisseur's: NOT_FOUND for wrong ids and invisible cases, FORBIDDEN for a care provider and a school, CONFLICT when closed", async () => {
    const fx = await caseWithPlan();
    const a = await added(fx.caseId, { shareWithOrganisationIds: [org.hap] });
    expectError(await t.gql(USERS.jansen, SHARE, { input: { id: wrongId, organisationIds: [org.vlinder] } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.jansen, UNSHARE, { input: { id: wrongId, organisationId: org.hap } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, SHARE, { input: { id: a.id, organisationIds: [org.vlinder] } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, UNSHARE, { input: { id: a.id, organisationId: org.hap } }), "NOT_FOUND", "id");
    // De Brug is responsible, but sharing is the regisseur's
    expectError(await t.gql(USERS.brug, SHARE, { input: { id: a.id, organisationIds: [org.vlinder] } }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, UNSHARE, { input: { id: a.id, organisationId: org.hap } }), "FORBIDDEN");
    expectError(await t.gql(USERS.vlinder, SHARE, { input: { id: a.id, organisationIds: [org.vlinder] } }), "FORBIDDEN");
    await close(fx);
    expectError(await t.gql(USERS.jansen, SHARE, { input: { id: a.id, organisationIds: [org.vlinder] } }), "CONFLICT", "caseId");
    expectError(await t.gql(USERS.jansen, UNSHARE, { input: { id: a.id, organisationId: org.hap } }), "CONFLICT", "caseId");
    expect(await agreementRow(a.id)).toMatchObject({ version: 1, shares: [org.hap] });
  });
});
