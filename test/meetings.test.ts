import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptValue } from "../server/crypto/field-crypto.js";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, type FixtureCase } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";

let t: TestHub;
let org: Record<"vt" | "swt" | "vlinder" | "anker" | "hap" | "jgz" | "brug" | "ggz" | "regieteam", string>;
let deBoer: string;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const today = iso(new Date());
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const wrongId = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  t = await startTestHub();
  org = {
    vt: await orgId(ORGS.vt),
    swt: await orgId(ORGS.swt),
    vlinder: await orgId(ORGS.vlinder),
    anker: await orgId(ORGS.anker),
    hap: await orgId(ORGS.hap),
    jgz: await orgId(ORGS.jgz),
    brug: await orgId(ORGS.brug),
    ggz: await orgId(ORGS.ggz),
    regieteam: await orgId(ORGS.regieteam),
  };
  const r = await db().query<{ id: string }>(
    `SELECT c.id FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = 'De Boer' AND f.created_at < now() - interval '1 day'`,
  );
  deBoer = r.rows[0].id;
});
afterAll(() => t?.stop());

const MEETING_FIELDS = `id kind scheduledAt location agenda status familyInvited networkInvited heldAt minutes version createdAt updatedAt
  invitees { id name } decisions { id text createdAt } changedAgreements { id what }`;
const SCHEDULE = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { ${MEETING_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateMeetingInput!) { updateMeeting(input: $input) { ${MEETING_FIELDS} } }`;
const CANCEL = `mutation($input: CancelMeetingInput!) { cancelMeeting(input: $input) { ${MEETING_FIELDS} } }`;
const RECORD = `mutation($input: RecordMeetingOutcomeInput!) { recordMeetingOutcome(input: $input) { ${MEETING_FIELDS} } }`;
const MEETINGS = `query($id: ID!) { case(id: $id) { meetings { ${MEETING_FIELDS} } nextMeeting { id scheduledAt status } } }`;
/** What partners read: the meeting data, and the minutes separately (they may be FORBIDDEN at their path). */
const PARTNER_VIEW = `query($id: ID!) { case(id: $id) { meetings { id scheduledAt status location agenda invitees { name } minutes decisions { text } changedAgreements { id } } nextMeeting { id } } }`;

type Errors = { errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
function expectError(r: Errors, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
/** The fields (last path element) that came back FORBIDDEN. */
const forbiddenFields = (r: Errors) =>
  [...new Set((r.errors ?? []).filter((e) => e.extensions?.code === "FORBIDDEN").map((e) => String(e.path?.at(-1))))].sort();
const sorted = (...ids: string[]) => [...new Set(ids)].sort();
async function events(kind: string, entityId: string) {
  return (await db().query("SELECT entity, case_id, organisation_ids FROM change_event WHERE kind = $1 AND entity_id = $2 ORDER BY id", [kind, entityId])).rows;
}
async function meetingRow(id: string) {
  const m = (await db().query("SELECT status, version, minutes, held_at, location, scheduled_at FROM meeting WHERE id = $1", [id])).rows[0];
  const inv = (await db().query("SELECT organisation_id FROM meeting_invitee WHERE meeting_id = $1 ORDER BY organisation_id", [id])).rows;
  const dec = (await db().query("SELECT count(*)::int AS n FROM meeting_decision WHERE meeting_id = $1", [id])).rows[0].n;
  const chg = (await db().query("SELECT count(*)::int AS n FROM meeting_changed_agreement WHERE meeting_id = $1", [id])).rows[0].n;
  // minutes are encrypted at rest: compared as plaintext (each write has a fresh IV)
  return { ...m, minutes: m.minutes === null ? null : decryptValue(m.minutes, "meeting.minutes"), invitees: inv.map((r) => r.organisation_id), decisions: dec, changed: chg };
}
async function meetingCount(caseId: string) {
  return (await db().query("SELECT count(*)::int AS n FROM meeting WHERE case_id = $1", [caseId])).rows[0].n;
}
async function close(fx: FixtureCase) {
  await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);
}

const scheduleInput = (caseId: string, over: Record<string, unknown> = {}) => ({
  caseId,
  scheduledAt: inDays(7),
  location: "Wijkcentrum De Ster",
  agenda: "1. Veiligheid\n2. Voortgang",
  inviteeOrganisationIds: [org.vlinder, org.brug],
  familyInvited: true,
  ...over,
});
async function scheduled(caseId: string, over: Record<string, unknown> = {}) {
  return (await t.ok(USERS.jansen, SCHEDULE, { input: scheduleInput(caseId, over) })).scheduleMeeting;
}
/** A fresh case (school, GP, JGZ, De Brug involved; regie r.jansen) with a safety plan and two agreements, one shared with the school. */
async function caseWithAgreements() {
  const fx = await createCase({ involve: ["vlinder", "hap", "jgz", "brug"], regisseur: USERS.jansen });
  await t.ok(USERS.jansen, `mutation($input: CreateSafetyPlanInput!) { createSafetyPlan(input: $input) { id } }`, { input: { caseId: fx.caseId, madeWithClient: true } });
  const add = async (priority: number, what: string, share: string[]) =>
    (
      await t.ok(USERS.jansen, `mutation($input: AddSafetyAgreementInput!) { addSafetyAgreement(input: $input) { id } }`, {
        input: { caseId: fx.caseId, priority, what, criterion: "Wekelijks gecheckt", responsibleKind: "CLIENT", shareWithOrganisationIds: share },
      })
    ).addSafetyAgreement.id as string;
  // opened a month ago, so meetings can have been held before today
  await db().query("UPDATE case_file SET opened_at = now() - interval '30 days' WHERE id = $1", [fx.caseId]);
  const forSchool = await add(1, "School meldt verzuim dezelfde dag", [org.vlinder]);
  const notForSchool = await add(2, "Vader neemt een time-out bij spanning", [org.hap]);
  return { ...fx, forSchool, notForSchool };
}

describe("De Boer's seeded meetings", () => {
  it("the regisseur reads both MDOs in order, the held one with minutes, decisions and the changed agreement, and the planned one as next", async () => {
    const d = (await t.ok(USERS.jansen, MEETINGS, { id: deBoer })).case;
    expect(d.meetings.map((m: any) => m.status)).toEqual(["HELD", "PLANNED"]);
    const [held, planned] = d.meetings;
    expect(held).toMatchObject({ kind: "MDO", familyInvited: true, networkInvited: true, version: 2 });
    expect(held.minutes).toMatch(/^Aanwezig: Roos Jansen/);
    expect(held.heldAt).toBe(held.scheduledAt);
    expect(held.decisions).toHaveLength(2);
    expect(held.decisions.map((x: any) => x.text).join(" ")).toMatch(/time-out-afspraak wordt aangescherpt/);
    expect(held.changedAgreements).toHaveLength(1);
    expect(held.changedAgreements[0].what).toMatch(/^Bij oplopende spanning gaat Peter direct de deur uit/);
    expect(held.invitees.map((o: any) => o.name).sort()).toEqual([ORGS.vlinder, ORGS.hap, ORGS.jgz, ORGS.brug, ORGS.swt].sort());
    expect(planned).toMatchObject({ minutes: null, heldAt: null, decisions: [], changedAgreements: [] });
    expect(d.nextMeeting).toEqual({ id: planned.id, scheduledAt: planned.scheduledAt, status: "PLANNED" });
  });

  it("De Vlinder reads date, invitees and (with the parents' consent for meetingMinutes) the minutes; the agreement changed but not shared with it stays hidden", async () => {
    const consent = (await db().query("SELECT categories FROM consent WHERE case_id = $1 AND organisation_id = $2 AND withdrawn_at IS NULL", [deBoer, org.vlinder])).rows;
    expect(consent.flatMap((c) => c.categories)).toContain("meetingMinutes");
    const r = await t.gql(USERS.vlinder, PARTNER_VIEW, { id: deBoer });
    expect(r.errors).toBeUndefined();
    const [held, planned] = r.data!.case.meetings;
    expect(held.minutes).toMatch(/^Aanwezig/);
    expect(held.decisions).toHaveLength(2);
    expect(held.invitees).toHaveLength(5);
    expect(held.changedAgreements).toEqual([]); // the time-out agreement is shared with the GP and JGZ, not with the school
    expect(r.data!.case.nextMeeting.id).toBe(planned.id);
    // control: the regisseur sees the changed agreement
    expect((await t.ok(USERS.jansen, PARTNER_VIEW, { id: deBoer })).case.meetings[0].changedAgreements).toHaveLength(1);
  });

  it("JGZ (no consent for meetingMinutes) reads date, invitees and the agreement shared with it, but not minutes or decisions", async () => {
    const r = await t.gql(USERS.jgz, PARTNER_VIEW, { id: deBoer });
    expect(forbiddenFields(r)).toEqual(["decisions", "minutes"]);
    const [held] = r.data!.case.meetings;
    expect(held).toMatchObject({ status: "HELD", minutes: null, decisions: null, location: "Wijkcentrum De Ster, Waalbeek-Noord" });
    expect(held.scheduledAt).toBeTruthy();
    expect(held.invitees).toHaveLength(5);
    expect(held.changedAgreements).toHaveLength(1);
  });

  it("an organisation not involved in De Boer gets NOT_FOUND; a manager of an involved organisation reads no meeting data", async () => {
    expectError(await t.gql(USERS.anker, PARTNER_VIEW, { id: deBoer }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.ggz, PARTNER_VIEW, { id: deBoer }), "NOT_FOUND", "id");
    const m = await t.gql(USERS.visser, `query($id: ID!) { case(id: $id) { id meetings { id } nextMeeting { id } } }`, { id: deBoer });
    expect(m.data!.case).toEqual({ id: deBoer, meetings: null, nextMeeting: null });
    expect(forbiddenFields(m)).toEqual(["meetings", "nextMeeting"]);
  });
});

describe("scheduleMeeting", () => {
  it("plans an MDO with involved organisations, shows it as next meeting, and emits MEETING_SCHEDULED to the invitees", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug", "hap"], regisseur: USERS.jansen });
    expect((await t.ok(USERS.jansen, MEETINGS, { id: fx.caseId })).case).toEqual({ meetings: [], nextMeeting: null });
    const at = inDays(10);
    const m = await scheduled(fx.caseId, { scheduledAt: at, inviteeOrganisationIds: [org.vlinder, org.brug, org.vlinder.toUpperCase()] });
    expect(m).toMatchObject({
      kind: "MDO",
      scheduledAt: at,
      location: "Wijkcentrum De Ster",
      agenda: "1. Veiligheid\n2. Voortgang",
      status: "PLANNED",
      familyInvited: true,
      networkInvited: false,
      heldAt: null,
      minutes: null,
      version: 1,
      decisions: [],
      changedAgreements: [],
    });
    expect(m.invitees.map((o: any) => o.id)).toEqual([org.vlinder, org.brug]); // by name: Basisschool…, Jeugdhulp…
    const family = await scheduled(fx.caseId, { kind: "FAMILY_MEETING", scheduledAt: inDays(3), inviteeOrganisationIds: [], location: null, agenda: null });
    expect(family).toMatchObject({ kind: "FAMILY_MEETING", invitees: [], location: null, agenda: null });

    const d = (await t.ok(USERS.jansen, MEETINGS, { id: fx.caseId })).case;
    expect(d.meetings.map((x: any) => x.id)).toEqual([family.id, m.id]);
    expect(d.nextMeeting.id).toBe(family.id);
    expect(await events("MEETING_SCHEDULED", m.id)).toEqual([{ entity: "Meeting", case_id: fx.caseId, organisation_ids: sorted(org.vlinder, org.brug) }]);
    expect(await events("MEETING_SCHEDULED", family.id)).toEqual([{ entity: "Meeting", case_id: fx.caseId, organisation_ids: [] }]);
    // the invited school reads it
    const school = (await t.ok(USERS.vlinder, `query($id: ID!) { case(id: $id) { nextMeeting { id scheduledAt invitees { id } } } }`, { id: fx.caseId })).case;
    expect(school.nextMeeting.id).toBe(family.id);
  });

  it("invitees must be actively involved: BAD_USER_INPUT with the field, nothing written", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug"], regisseur: USERS.jansen });
    await db().query("UPDATE involvement SET ended_at = now(), end_reason = 'klaar' WHERE case_id = $1 AND organisation_id = $2", [fx.caseId, org.brug]);
    for (const ids of [[org.vlinder, org.ggz], [org.brug], [wrongId], ["nope"]]) {
      expectError(await t.gql(USERS.jansen, SCHEDULE, { input: scheduleInput(fx.caseId, { inviteeOrganisationIds: ids }) }), "BAD_USER_INPUT", "inviteeOrganisationIds");
    }
    expect(await meetingCount(fx.caseId)).toBe(0);
    expect((await db().query("SELECT count(*)::int AS n FROM change_event WHERE case_id = $1", [fx.caseId])).rows[0].n).toBe(0);
  });

  it("validates the moment, the texts and the kind (BAD_USER_INPUT with the field)", async () => {
    const fx = await createCase({ involve: ["vlinder"], regisseur: USERS.jansen });
    const bad: [Record<string, unknown>, string][] = [
      [{ scheduledAt: inDays(-1) }, "scheduledAt"],
      [{ scheduledAt: inDays(800) }, "scheduledAt"],
      [{ scheduledAt: "morgen" }, "scheduledAt"],
      [{ scheduledAt: "2026-13-01T10:00:00Z" }, "scheduledAt"],
      [{ location: "" }, "location"],
      [{ location: "x".repeat(501) }, "location"],
      [{ agenda: "   " }, "agenda"],
      [{ agenda: "x".repeat(5001) }, "agenda"],
      [{ kind: "BORREL" }, "kind"],
      [{ familyInvited: "ja" }, "familyInvited"],
    ];
    for (const [over, field] of bad) {
      expectError(await t.gql(USERS.jansen, SCHEDULE, { input: scheduleInput(fx.caseId, { inviteeOrganisationIds: [org.vlinder], ...over }) }), "BAD_USER_INPUT", field);
    }
    expect(await meetingCount(fx.caseId)).toBe(0);
  });

  it("is the regisseur's: school and care provider get FORBIDDEN, a regisseur of another organisation too; NOT_FOUND for invisible cases; CONFLICT when closed", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug", "regieteam"], regisseur: USERS.jansen });
    expectError(await t.gql(USERS.vlinder, SCHEDULE, { input: scheduleInput(fx.caseId) }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, SCHEDULE, { input: scheduleInput(fx.caseId) }), "FORBIDDEN");
    expectError(await t.gql(USERS.mulder, SCHEDULE, { input: scheduleInput(fx.caseId) }), "FORBIDDEN"); // Regieteam involved, regie is SWT's
    expectError(await t.gql(USERS.gp, SCHEDULE, { input: scheduleInput(fx.caseId) }), "FORBIDDEN"); // GP role never writes meetings
    expect(await meetingCount(fx.caseId)).toBe(0);
    // a colleague regisseur of the regie organisation may
    expect((await t.ok(USERS.bakker, SCHEDULE, { input: scheduleInput(fx.caseId) })).scheduleMeeting.status).toBe("PLANNED");

    const other = await createCase({ involve: ["regieteam"], regisseur: USERS.mulder });
    await db().query("UPDATE involvement SET ended_at = now(), end_reason = 'overgedragen' WHERE case_id = $1 AND organisation_id = $2", [other.caseId, org.swt]);
    expectError(await t.gql(USERS.jansen, SCHEDULE, { input: scheduleInput(wrongId) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.jansen, SCHEDULE, { input: scheduleInput(other.caseId, { inviteeOrganisationIds: [] }) }), "NOT_FOUND", "caseId");
    await close(fx);
    expectError(await t.gql(USERS.jansen, SCHEDULE, { input: scheduleInput(fx.caseId) }), "CONFLICT", "caseId");
    expect(await meetingCount(fx.caseId)).toBe(1);
  });
});

describe("updateMeeting and cancelMeeting", () => {
  it("changes a planned meeting, replaces its invitees, bumps the version and emits MEETING_UPDATED to old and new invitees", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug", "hap", "jgz"], regisseur: USERS.jansen });
    const m = await scheduled(fx.caseId);
    const at = inDays(14);
    const u = (
      await t.ok(USERS.jansen, UPDATE, { input: { id: m.id, version: 1, scheduledAt: at, location: null, inviteeOrganisationIds: [org.brug, org.hap, org.jgz], networkInvited: true } })
    ).updateMeeting;
    expect(u).toMatchObject({ id: m.id, version: 2, scheduledAt: at, location: null, agenda: m.agenda, familyInvited: true, networkInvited: true, status: "PLANNED" });
    expect(u.invitees.map((o: any) => o.id).sort()).toEqual(sorted(org.brug, org.hap, org.jgz));
    expect(await events("MEETING_UPDATED", m.id)).toEqual([
      { entity: "Meeting", case_id: fx.caseId, organisation_ids: sorted(org.vlinder, org.brug, org.hap, org.jgz) },
    ]);
    // omitted fields stay as they are
    const v3 = (await t.ok(USERS.jansen, UPDATE, { input: { id: m.id, version: 2, agenda: "Alleen veiligheid" } })).updateMeeting;
    expect(v3).toMatchObject({ version: 3, agenda: "Alleen veiligheid", scheduledAt: at });
    expect(v3.invitees).toHaveLength(3);
  });

  it("a stale version is a CONFLICT and changes nothing (also the invitees); of two concurrent updates exactly one wins", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug", "hap"], regisseur: USERS.jansen });
    const m = await scheduled(fx.caseId);
    await t.ok(USERS.jansen, UPDATE, { input: { id: m.id, version: 1, agenda: "Eerste" } });
    const before = await meetingRow(m.id);
    const r = await t.gql(USERS.jansen, UPDATE, { input: { id: m.id, version: 1, agenda: "Overschreven", inviteeOrganisationIds: [org.hap] } });
    expectError(r, "CONFLICT", "version");
    expect(await meetingRow(m.id)).toEqual(before);
    expectError(await t.gql(USERS.jansen, CANCEL, { input: { id: m.id, version: 1 } }), "CONFLICT", "version");
    expect((await meetingRow(m.id)).status).toBe("PLANNED");

    const results = await Promise.all(
      [org.vlinder, org.hap].map((id) => t.gql(USERS.jansen, UPDATE, { input: { id: m.id, version: 2, inviteeOrganisationIds: [id] } })),
    );
    const codes = results.map((x) => x.errors?.[0]?.extensions?.code ?? "OK").sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    const winner = results.find((x) => !x.errors)!.data!.updateMeeting;
    const after = await meetingRow(m.id);
    expect(after.version).toBe(3);
    expect(after.invitees).toEqual(winner.invitees.map((o: any) => o.id));
    expect(after.invitees).toHaveLength(1);
  });

  it("cancels a planned meeting (MEETING_CANCELLED); it is no longer next, and cannot be changed, cancelled again or recorded (CONFLICT)", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug"], regisseur: USERS.jansen });
    const m = await scheduled(fx.caseId);
    const c = (await t.ok(USERS.jansen, CANCEL, { input: { id: m.id, version: 1 } })).cancelMeeting;
    expect(c).toMatchObject({ status: "CANCELLED", version: 2 });
    expect(await events("MEETING_CANCELLED", m.id)).toEqual([{ entity: "Meeting", case_id: fx.caseId, organisation_ids: sorted(org.vlinder, org.brug) }]);
    const d = (await t.ok(USERS.jansen, MEETINGS, { id: fx.caseId })).case;
    expect(d.meetings.map((x: any) => x.status)).toEqual(["CANCELLED"]);
    expect(d.nextMeeting).toBeNull();
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: m.id, version: 2, agenda: "x" } }), "CONFLICT", "id");
    expectError(await t.gql(USERS.jansen, CANCEL, { input: { id: m.id, version: 2 } }), "CONFLICT", "id");
    expectError(await t.gql(USERS.jansen, RECORD, { input: { id: m.id, version: 2, minutes: "x", decisions: [], changedAgreementIds: [] } }), "CONFLICT", "id");
    expect(await meetingRow(m.id)).toMatchObject({ status: "CANCELLED", version: 2, minutes: null, decisions: 0 });
  });

  it("refuses bad input, other roles, invisible meetings and closed cases", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug"], regisseur: USERS.jansen });
    const m = await scheduled(fx.caseId);
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: m.id, version: 1, scheduledAt: null } }), "BAD_USER_INPUT", "scheduledAt");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: m.id, version: 1, scheduledAt: inDays(-2) } }), "BAD_USER_INPUT", "scheduledAt");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: m.id, version: 1, inviteeOrganisationIds: null } }), "BAD_USER_INPUT", "inviteeOrganisationIds");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: m.id, version: 1, inviteeOrganisationIds: [org.ggz] } }), "BAD_USER_INPUT", "inviteeOrganisationIds");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: m.id, version: 1, familyInvited: null } }), "BAD_USER_INPUT", "familyInvited");
    expectError(await t.gql(USERS.vlinder, UPDATE, { input: { id: m.id, version: 1, agenda: "x" } }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, CANCEL, { input: { id: m.id, version: 1 } }), "FORBIDDEN");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: wrongId, version: 1 } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.jansen, CANCEL, { input: { id: "nope", version: 1 } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, UPDATE, { input: { id: m.id, version: 1, agenda: "x" } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, CANCEL, { input: { id: m.id, version: 1 } }), "NOT_FOUND", "id");
    expect(await meetingRow(m.id)).toMatchObject({ status: "PLANNED", version: 1, invitees: sorted(org.vlinder, org.brug) });
    await close(fx);
    expectError(await t.gql(USERS.jansen, CANCEL, { input: { id: m.id, version: 1 } }), "CONFLICT", "caseId");
    expect((await meetingRow(m.id)).status).toBe("PLANNED");
  });
});

describe("recordMeetingOutcome", () => {
  it("records minutes, decisions in order and the changed agreements at once; status HELD; emits MEETING_HELD to the invitees", async () => {
    const fx = await caseWithAgreements();
    const m = await scheduled(fx.caseId, { scheduledAt: inDays(0), inviteeOrganisationIds: [org.vlinder, org.hap, org.jgz] });
    const heldAt = new Date(Date.now() - 3_600_000).toISOString();
    const decisions = ["Eerste besluit: aanmelding schuldhulp", "Tweede besluit: time-out aangescherpt", "Derde besluit: volgend MDO over zes weken"];
    const r = (
      await t.ok(USERS.jansen, RECORD, {
        input: { id: m.id, version: 1, heldAt, minutes: "Aanwezig: allen. Besproken: veiligheid.", decisions, changedAgreementIds: [fx.notForSchool, fx.forSchool] },
      })
    ).recordMeetingOutcome;
    expect(r).toMatchObject({ status: "HELD", heldAt, minutes: "Aanwezig: allen. Besproken: veiligheid.", version: 2 });
    expect(r.decisions.map((x: any) => x.text)).toEqual(decisions);
    expect(r.changedAgreements.map((x: any) => x.id)).toEqual([fx.forSchool, fx.notForSchool]); // by priority
    expect(await events("MEETING_HELD", m.id)).toEqual([{ entity: "Meeting", case_id: fx.caseId, organisation_ids: sorted(org.vlinder, org.hap, org.jgz) }]);
    const d = (await t.ok(USERS.jansen, MEETINGS, { id: fx.caseId })).case;
    expect(d.meetings[0].decisions.map((x: any) => x.text)).toEqual(decisions);
    expect(d.nextMeeting).toBeNull();
    // recorded once: a second time is a CONFLICT
    expectError(await t.gql(USERS.jansen, RECORD, { input: { id: m.id, version: 2, minutes: "Nogmaals", decisions: ["x"], changedAgreementIds: [] } }), "CONFLICT", "id");
    expect(await meetingRow(m.id)).toMatchObject({ minutes: "Aanwezig: allen. Besproken: veiligheid.", decisions: 3, changed: 2 });
  });

  it("defaults heldAt to now and accepts no decisions and no changed agreements", async () => {
    const fx = await createCase({ involve: ["vlinder"], regisseur: USERS.jansen });
    const m = await scheduled(fx.caseId, { inviteeOrganisationIds: [org.vlinder] });
    const before = Date.now();
    const r = (await t.ok(USERS.jansen, RECORD, { input: { id: m.id, version: 1, minutes: "Kort overleg.", decisions: [], changedAgreementIds: [] } })).recordMeetingOutcome;
    expect(r).toMatchObject({ status: "HELD", decisions: [], changedAgreements: [] });
    expect(new Date(r.heldAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(r.heldAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("writes nothing on any error: foreign agreement, bad decisions, heldAt in the future, stale version, wrong role", async () => {
    const fx = await caseWithAgreements();
    const other = await caseWithAgreements();
    const m = await scheduled(fx.caseId);
    const input = (over: Record<string, unknown> = {}) => ({
      id: m.id,
      version: 1,
      minutes: "Verslag",
      decisions: ["Besluit één", "Besluit twee"],
      changedAgreementIds: [fx.forSchool],
      ...over,
    });
    const bad: [Record<string, unknown>, string, string][] = [
      [{ changedAgreementIds: [fx.forSchool, other.forSchool] }, "BAD_USER_INPUT", "changedAgreementIds"],
      [{ changedAgreementIds: [wrongId] }, "BAD_USER_INPUT", "changedAgreementIds"],
      [{ changedAgreementIds: ["nope"] }, "BAD_USER_INPUT", "changedAgreementIds"],
      [{ decisions: ["Goed", "x".repeat(5001)] }, "BAD_USER_INPUT", "decisions"],
      [{ decisions: ["Goed", ""] }, "BAD_USER_INPUT", "decisions"],
      [{ decisions: ["Goed", "   "] }, "BAD_USER_INPUT", "decisions"],
      [{ decisions: null }, "BAD_USER_INPUT", "decisions"],
      [{ minutes: "" }, "BAD_USER_INPUT", "minutes"],
      [{ minutes: "x".repeat(50001) }, "BAD_USER_INPUT", "minutes"],
      [{ heldAt: inDays(1) }, "BAD_USER_INPUT", "heldAt"],
      [{ heldAt: inDays(-31) }, "BAD_USER_INPUT", "heldAt"], // before the case was opened
      [{ heldAt: "gisteren" }, "BAD_USER_INPUT", "heldAt"],
      [{ version: 7 }, "CONFLICT", "version"],
    ];
    for (const [over, code, field] of bad) expectError(await t.gql(USERS.jansen, RECORD, { input: input(over) }), code, field);
    for (const who of [USERS.vlinder, USERS.brug, USERS.gp, USERS.smit]) expectError(await t.gql(who, RECORD, { input: input() }), "FORBIDDEN");
    expectError(await t.gql(USERS.mulder, RECORD, { input: input() }), "NOT_FOUND", "id");
    expect(await meetingRow(m.id)).toMatchObject({ status: "PLANNED", version: 1, minutes: null, held_at: null, decisions: 0, changed: 0 });
    expect((await db().query("SELECT count(*)::int AS n FROM change_event WHERE entity_id = $1 AND kind = 'MEETING_HELD'", [m.id])).rows[0].n).toBe(0);
    // and then it works
    expect((await t.ok(USERS.jansen, RECORD, { input: input() })).recordMeetingOutcome.status).toBe("HELD");
  });
});

describe("who reads meetings and minutes of a fresh case", () => {
  it("the school reads date and invitees; the minutes only while a consent covers meetingMinutes (the regisseur always)", async () => {
    const fx = await caseWithAgreements();
    const m = await scheduled(fx.caseId, { scheduledAt: inDays(0), inviteeOrganisationIds: [org.vlinder, org.brug] });
    await t.ok(USERS.jansen, RECORD, {
      input: { id: m.id, version: 1, minutes: "Besproken: verzuim", decisions: ["School belt bij verzuim"], changedAgreementIds: [fx.forSchool, fx.notForSchool] },
    });

    const without = await t.gql(USERS.vlinder, PARTNER_VIEW, { id: fx.caseId });
    expect(forbiddenFields(without)).toEqual(["decisions", "minutes"]);
    const [seen] = without.data!.case.meetings;
    expect(seen).toMatchObject({ id: m.id, status: "HELD", minutes: null, decisions: null, location: "Wijkcentrum De Ster" });
    expect(seen.invitees.map((o: any) => o.name)).toEqual([ORGS.vlinder, ORGS.brug]);
    expect(seen.changedAgreements.map((a: any) => a.id)).toEqual([fx.forSchool]);
    // control: the regisseur reads them
    const reg = (await t.ok(USERS.jansen, PARTNER_VIEW, { id: fx.caseId })).case.meetings[0];
    expect(reg).toMatchObject({ minutes: "Besproken: verzuim", decisions: [{ text: "School belt bij verzuim" }] });
    expect(reg.changedAgreements).toHaveLength(2);
    // De Brug (PROFESSIONAL) reads minutes without consent (policy R)
    expect((await t.ok(USERS.brug, PARTNER_VIEW, { id: fx.caseId })).case.meetings[0].minutes).toBe("Besproken: verzuim");

    const consent = (
      await t.ok(USERS.jansen, `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`, {
        input: { caseId: fx.caseId, organisationId: org.vlinder, categories: ["MEETING_MINUTES"], purpose: "Afstemming op school", givenByMemberIds: fx.adultIds, givenOn: today },
      })
    ).recordConsent.id;
    const withConsent = await t.gql(USERS.vlinder, PARTNER_VIEW, { id: fx.caseId });
    expect(withConsent.errors).toBeUndefined();
    expect(withConsent.data!.case.meetings[0]).toMatchObject({ minutes: "Besproken: verzuim", decisions: [{ text: "School belt bij verzuim" }] });

    await t.ok(USERS.jansen, `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }`, { input: { id: consent, reason: "Ouders trekken in" } });
    const withdrawn = await t.gql(USERS.vlinder, PARTNER_VIEW, { id: fx.caseId });
    expect(forbiddenFields(withdrawn)).toEqual(["decisions", "minutes"]);
    expect(withdrawn.data!.case.meetings[0].minutes).toBeNull();
  });

  it("a consent for another category does not open the minutes; a school not involved gets NOT_FOUND", async () => {
    const fx = await createCase({ involve: ["vlinder", "anker"], regisseur: USERS.jansen });
    await db().query(
      "INSERT INTO consent (case_id, organisation_id, categories, purpose, given_by_member_ids, consent_rule, given_on) VALUES ($1, $2, '{plan}', 'Plan', $3, 'ADULT', current_date)",
      [fx.caseId, org.vlinder, fx.adultIds],
    );
    const m = await scheduled(fx.caseId, { scheduledAt: inDays(0), inviteeOrganisationIds: [org.vlinder] });
    await t.ok(USERS.jansen, RECORD, { input: { id: m.id, version: 1, minutes: "Verslag", decisions: [], changedAgreementIds: [] } });
    expect(forbiddenFields(await t.gql(USERS.vlinder, PARTNER_VIEW, { id: fx.caseId }))).toEqual(["decisions", "minutes"]);
    const notInvolved = await createCase({ involve: ["vlinder"], regisseur: USERS.jansen });
    await scheduled(notInvolved.caseId, { inviteeOrganisationIds: [org.vlinder] });
    expectError(await t.gql(USERS.anker, PARTNER_VIEW, { id: notInvolved.caseId }), "NOT_FOUND", "id");
    // control: the involved school sees that meeting
    expect((await t.ok(USERS.vlinder, `query($id: ID!) { case(id: $id) { meetings { id scheduledAt } } }`, { id: notInvolved.caseId })).case.meetings).toHaveLength(1);
  });
});

describe("meeting changes in the feed", () => {
  const CHANGES = `query($a: String) { changes(after: $a, first: 100) { edges { node { kind entity entityId caseId subject { ... on Meeting { id status scheduledAt } } } } pageInfo { hasNextPage endCursor } } }`;
  const head = async () => Number((await db().query("SELECT last_id FROM feed_head WHERE id = 1")).rows[0].last_id);
  /** Every change after `after` the viewer sees (all pages), of one case. */
  async function feed(email: string, after: number, caseId: string) {
    const all: any[] = [];
    let a = String(after);
    for (;;) {
      const c = (await t.ok(email, CHANGES, { a })).changes;
      all.push(...c.edges.map((e: any) => e.node));
      if (!c.pageInfo.hasNextPage) return all.filter((n) => n.caseId === caseId);
      a = c.pageInfo.endCursor;
    }
  }

  it("an invited school sees MEETING_SCHEDULED, _UPDATED, _HELD in `changes`; an organisation not involved sees none", async () => {
    const start = await head();
    const fx = await createCase({ involve: ["vlinder", "brug"], regisseur: USERS.jansen });
    const m = await scheduled(fx.caseId, { scheduledAt: inDays(0), inviteeOrganisationIds: [org.vlinder] });
    await t.ok(USERS.jansen, UPDATE, { input: { id: m.id, version: 1, agenda: "Nieuw" } });
    await t.ok(USERS.jansen, RECORD, { input: { id: m.id, version: 2, minutes: "Verslag", decisions: [], changedAgreementIds: [] } });
    const c2 = await scheduled(fx.caseId);
    await t.ok(USERS.jansen, CANCEL, { input: { id: c2.id, version: 1 } });

    const school = await feed(USERS.vlinder, start, fx.caseId);
    expect(school.map((n: any) => `${n.kind}:${n.entityId}`)).toEqual([
      `MEETING_SCHEDULED:${m.id}`,
      `MEETING_UPDATED:${m.id}`,
      `MEETING_HELD:${m.id}`,
      `MEETING_SCHEDULED:${c2.id}`,
      `MEETING_CANCELLED:${c2.id}`,
    ]);
    expect(school[0]).toMatchObject({ entity: "Meeting", subject: { id: m.id, status: "HELD" } });
    expect(await feed(USERS.anker, start, fx.caseId)).toEqual([]);
    // control: the not-invited but involved care provider sees them too (meeting data is readable for its role)
    expect((await feed(USERS.brug, start, fx.caseId)).map((n) => n.kind)).toContain("MEETING_HELD");
  });

  it("delivers them live over WebSocket to the invited school (caseChanged), with the meeting as the school may see it", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug"], regisseur: USERS.jansen });
    const client = wsClient(t.url, await t.token(USERS.vlinder));
    try {
      const sub = collect(
        client,
        `subscription($c: ID!) { caseChanged(caseId: $c) { kind entityId subject { ... on Meeting { id status scheduledAt invitees { id } } } } }`,
        { c: fx.caseId },
      );
      await sleep(300);
      const m = await scheduled(fx.caseId, { scheduledAt: inDays(0), inviteeOrganisationIds: [org.vlinder] });
      await t.ok(USERS.jansen, RECORD, { input: { id: m.id, version: 1, minutes: "Verslag", decisions: ["Besluit"], changedAgreementIds: [] } });
      const got = await sub.until(2);
      sub.stop();
      expect(got.map((r) => r.errors)).toEqual([undefined, undefined]);
      expect(got.map((r) => [r.data.caseChanged.kind, r.data.caseChanged.entityId])).toEqual([
        ["MEETING_SCHEDULED", m.id],
        ["MEETING_HELD", m.id],
      ]);
      // the subject resolves as it is now (held), with the school's access
      expect(got[1].data.caseChanged.subject).toMatchObject({ id: m.id, status: "HELD", invitees: [{ id: org.vlinder }] });
    } finally {
      await client.dispose();
    }
  });
});
