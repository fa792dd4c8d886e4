import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;
let vtOrg: string;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const day = (offset: number) => iso(new Date(Date.now() + offset * 86_400_000));
const today = day(0);
const wrongId = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  t = await startTestHub();
  vtOrg = await orgId(ORGS.vt);
});
afterAll(() => t?.stop());

const CONTACT_FIELDS = `id dueOn contactedOn safetyRestored outcome nextCheckOn version contactedBy { email }`;
const SCHEDULE = `mutation($input: ScheduleMonitoringContactInput!) { scheduleMonitoringContact(input: $input) { ${CONTACT_FIELDS} } }`;
const RECORD = `mutation($input: RecordMonitoringContactInput!) { recordMonitoringContact(input: $input) { ${CONTACT_FIELDS} } }`;
const CONTACTS = `query($id: ID!) { case(id: $id) { monitoringContacts { ${CONTACT_FIELDS} } } }`;

async function events(kind: string, caseId: string) {
  return (await db().query("SELECT entity, entity_id, organisation_ids FROM change_event WHERE kind = $1 AND case_id = $2 ORDER BY id", [kind, caseId])).rows;
}
function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
async function close(fx: FixtureCase) {
  await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);
}
async function scheduled(fx: FixtureCase, dueOn = today): Promise<{ id: string; version: number }> {
  return (await t.ok(USERS.vt, SCHEDULE, { input: { caseId: fx.caseId, dueOn } })).scheduleMonitoringContact;
}
const record = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  version: 1,
  contactedOn: today,
  safetyRestored: false,
  outcome: "Moeder telefonisch gesproken; nog zorgen over escalaties in het weekend.",
  ...over,
});
const countContacts = async (caseId: string) => (await db().query("SELECT count(*)::int AS n FROM monitoring_contact WHERE case_id = $1", [caseId])).rows[0].n;

describe("scheduleMonitoringContact and Case.monitoringContacts", () => {
  it("Veilig Thuis schedules checks; the case lists them by due date; MONITORING_SCHEDULED is emitted", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const later = await scheduled(fx, day(180));
    const sooner = await scheduled(fx, day(90));
    expect(sooner).toMatchObject({ dueOn: day(90), contactedOn: null, safetyRestored: null, outcome: null, nextCheckOn: null, version: 1, contactedBy: null });
    const d = await t.ok(USERS.vt, CONTACTS, { id: fx.caseId });
    expect(d.case.monitoringContacts.map((m: any) => m.id)).toEqual([sooner.id, later.id]);
    expect(await events("MONITORING_SCHEDULED", fx.caseId)).toEqual([
      { entity: "MonitoringContact", entity_id: later.id, organisation_ids: [vtOrg] },
      { entity: "MonitoringContact", entity_id: sooner.id, organisation_ids: [vtOrg] },
    ]);
    // the regisseur reads VT's monitoring; a school does not
    expect((await t.ok(USERS.jansen, CONTACTS, { id: fx.caseId })).case.monitoringContacts).toHaveLength(2);
    const school = await createCase({ involve: ["vlinder"] });
    await scheduled(school);
    const r = await t.gql(USERS.vlinder, `query($id: ID!) { case(id: $id) { id monitoringContacts { id } } }`, { id: school.caseId });
    expect(r.data!.case).toEqual({ id: school.caseId, monitoringContacts: null });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("refuses a due date in the past, wrong or invisible cases, other roles and closed cases", async () => {
    const fx = await createCase({ regisseur: USERS.jansen, involve: ["brug"] });
    expectError(await t.gql(USERS.vt, SCHEDULE, { input: { caseId: fx.caseId, dueOn: day(-1) } }), "BAD_USER_INPUT", "dueOn");
    expectError(await t.gql(USERS.vt, SCHEDULE, { input: { caseId: fx.caseId, dueOn: "2025-02-30" } }), "BAD_USER_INPUT");
    expectError(await t.gql(USERS.vt, SCHEDULE, { input: { caseId: wrongId, dueOn: today } }), "NOT_FOUND", "caseId");
    // a case Veilig Thuis did not hand over and is not involved in
    const other = await createCase({ regisseur: USERS.jansen });
    await db().query("DELETE FROM involvement WHERE case_id = $1 AND organisation_id = $2", [other.caseId, vtOrg]);
    await db().query("DELETE FROM handover WHERE case_id = $1", [other.caseId]);
    expectError(await t.gql(USERS.vt, SCHEDULE, { input: { caseId: other.caseId, dueOn: today } }), "NOT_FOUND", "caseId");
    for (const who of [USERS.jansen, USERS.brug]) expectError(await t.gql(who, SCHEDULE, { input: { caseId: fx.caseId, dueOn: today } }), "FORBIDDEN");
    await close(fx);
    expectError(await t.gql(USERS.vt, SCHEDULE, { input: { caseId: fx.caseId, dueOn: today } }), "CONFLICT");
    expect(await countContacts(fx.caseId)).toBe(0);
    expect(await countContacts(other.caseId)).toBe(0);
  });
});

describe("recordMonitoringContact", () => {
  it("records the contact and who held it, schedules the next check in the same transaction, and emits both events", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const first = await scheduled(fx);
    const d = await t.ok(USERS.vt, RECORD, { input: record(first.id, { nextCheckOn: day(90) }) });
    expect(d.recordMonitoringContact).toMatchObject({
      id: first.id,
      contactedOn: today,
      safetyRestored: false,
      outcome: record(first.id).outcome,
      nextCheckOn: day(90),
      version: 2,
      contactedBy: { email: USERS.vt },
    });
    const list = (await t.ok(USERS.vt, CONTACTS, { id: fx.caseId })).case.monitoringContacts;
    expect(list).toHaveLength(2);
    expect(list[1]).toMatchObject({ dueOn: day(90), contactedOn: null, version: 1 });
    expect(await events("MONITORING_RECORDED", fx.caseId)).toEqual([{ entity: "MonitoringContact", entity_id: first.id, organisation_ids: [vtOrg] }]);
    expect((await events("MONITORING_SCHEDULED", fx.caseId)).map((e) => e.entity_id)).toEqual([first.id, list[1].id]);
    const row = await db().query("SELECT updated_by FROM monitoring_contact WHERE id = $1", [first.id]);
    expect(row.rows[0].updated_by).toBe(await professionalId(USERS.vt));

    // monitoring goes on: the next check is recorded as restored, without a further check
    const second = await t.ok(USERS.vt, RECORD, { input: record(list[1].id, { safetyRestored: true, outcome: "Veiligheid hersteld" }) });
    expect(second.recordMonitoringContact).toMatchObject({ safetyRestored: true, nextCheckOn: null, version: 2 });
    expect(await countContacts(fx.caseId)).toBe(2);
  });

  it("a stale version or a second recording is a CONFLICT; nothing changes and no next check is scheduled", async () => {
    const fx = await createCase();
    const c = await scheduled(fx);
    await t.ok(USERS.vt, RECORD, { input: record(c.id) });
    expectError(await t.gql(USERS.vt, RECORD, { input: record(c.id, { nextCheckOn: day(30), outcome: "Overschreven" }) }), "CONFLICT", "version");
    expectError(await t.gql(USERS.vt, RECORD, { input: record(c.id, { version: 2, nextCheckOn: day(30), outcome: "Overschreven" }) }), "CONFLICT", "id");
    expect(await countContacts(fx.caseId)).toBe(1);
    expect((await db().query("SELECT outcome, version FROM monitoring_contact WHERE id = $1", [c.id])).rows[0]).toEqual({ outcome: record(c.id).outcome, version: 2 });
  });

  it("refuses bad input with the field", async () => {
    const fx = await createCase();
    const c = await scheduled(fx);
    const bad: [Record<string, unknown>, string][] = [
      [{ contactedOn: day(1) }, "contactedOn"],
      [{ contactedOn: day(-3) }, "contactedOn"], // before the case was opened
      [{ nextCheckOn: today }, "nextCheckOn"], // not after contactedOn
      [{ outcome: "" }, "outcome"],
      [{ outcome: "x".repeat(5001) }, "outcome"],
    ];
    for (const [over, field] of bad) expectError(await t.gql(USERS.vt, RECORD, { input: record(c.id, over) }), "BAD_USER_INPUT", field);
    expectError(await t.gql(USERS.vt, RECORD, { input: record(c.id, { safetyRestored: null }) }), "BAD_USER_INPUT");
    expect((await db().query("SELECT version, contacted_on FROM monitoring_contact WHERE id = $1", [c.id])).rows[0]).toEqual({ version: 1, contacted_on: null });
  });

  it("NOT_FOUND for a wrong id and a contact of a case the viewer cannot see; FORBIDDEN for the regisseur", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const c = await scheduled(fx);
    expectError(await t.gql(USERS.vt, RECORD, { input: record(wrongId) }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.vt, RECORD, { input: record("nope") }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, RECORD, { input: record(c.id) }), "FORBIDDEN"); // a regisseur's role cannot write monitoring at all
    expectError(await t.gql(USERS.jansen, RECORD, { input: record(c.id) }), "FORBIDDEN");
    // once Veilig Thuis neither handed over nor is involved, its contacts are not found
    await db().query("DELETE FROM involvement WHERE case_id = $1 AND organisation_id = $2", [fx.caseId, vtOrg]);
    await db().query("DELETE FROM handover WHERE case_id = $1", [fx.caseId]);
    expectError(await t.gql(USERS.vt, RECORD, { input: record(c.id) }), "NOT_FOUND", "id");
  });

  it("a check that was due may still be recorded after the case closed, but no next check is scheduled on a closed case", async () => {
    const fx = await createCase();
    const a = await scheduled(fx);
    await close(fx);
    expectError(await t.gql(USERS.vt, RECORD, { input: record(a.id, { nextCheckOn: day(90) }) }), "CONFLICT");
    expect(await countContacts(fx.caseId)).toBe(1);
    const d = await t.ok(USERS.vt, RECORD, { input: record(a.id, { safetyRestored: true }) });
    expect(d.recordMonitoringContact).toMatchObject({ contactedOn: today, safetyRestored: true, version: 2 });
    expect(await countContacts(fx.caseId)).toBe(1);
  });
});
