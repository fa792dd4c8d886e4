import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptValue } from "../server/crypto/field-crypto.js";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, type FixtureCase } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";

let t: TestHub;
let org: Record<"swt" | "vlinder" | "anker" | "hap" | "jgz", string>;
/** The seeded De Boer case and its members (DOMAIN.md §7). */
let deBoer: { caseId: string; members: Record<"Peter" | "Sandra" | "Daan" | "Sara", string> };

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const day = (offset: number) => iso(new Date(Date.now() + offset * 86_400_000));
const wrongId = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  t = await startTestHub();
  org = {
    swt: await orgId(ORGS.swt),
    vlinder: await orgId(ORGS.vlinder),
    anker: await orgId(ORGS.anker),
    hap: await orgId(ORGS.hap),
    jgz: await orgId(ORGS.jgz),
  };
  const c = await db().query<{ id: string; family_id: string }>(
    "SELECT c.id, c.family_id FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = 'De Boer' AND f.created_at < now() - interval '1 day'",
  );
  const m = await db().query<{ id: string; given_name: string }>("SELECT id, given_name FROM family_member WHERE family_id = $1", [c.rows[0].family_id]);
  deBoer = { caseId: c.rows[0].id, members: Object.fromEntries(m.rows.map((r) => [r.given_name, r.id])) as typeof deBoer.members };
});
afterAll(() => t?.stop());

const SIGNAL_FIELDS = `id observedOn urgency description createdAt acknowledgedAt acknowledgementNote
  member { id givenName kind } reportingOrganisation { id name } reportedBy { email } acknowledgedBy { email }`;
const REPORT = `mutation($input: ReportSignalInput!) { reportSignal(input: $input) { ${SIGNAL_FIELDS} } }`;
const ACK = `mutation($input: AcknowledgeSignalInput!) { acknowledgeSignal(input: $input) { ${SIGNAL_FIELDS} } }`;
const SIGNALS = `query($id: ID!) { case(id: $id) { signals { ${SIGNAL_FIELDS} } } }`;
const RAISED = `subscription { signalRaised { id kind entityId caseId subject { ... on Signal { ${SIGNAL_FIELDS} } } } }`;

function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
const input = (caseId: string, over: Record<string, unknown> = {}) => ({
  caseId,
  observedOn: day(-1),
  description: "Kind kwam drie keer te laat en was stil in de klas",
  ...over,
});
async function events(kind: string, entityId: string) {
  return (await db().query("SELECT case_id, organisation_ids FROM change_event WHERE kind = $1 AND entity_id = $2 ORDER BY id", [kind, entityId])).rows;
}
/** What is stored for a case: signals and change events (to prove nothing was half-written). */
async function written(caseId: string) {
  const s = await db().query("SELECT count(*)::int AS n FROM signal WHERE case_id = $1", [caseId]);
  const e = await db().query("SELECT count(*)::int AS n FROM change_event WHERE case_id = $1 AND kind LIKE 'SIGNAL_%'", [caseId]);
  const a = await db().query("SELECT count(*)::int AS n FROM signal WHERE case_id = $1 AND acknowledged_at IS NOT NULL", [caseId]);
  return { signals: s.rows[0].n, events: e.rows[0].n, acknowledged: a.rows[0].n };
}

describe("a signal from the GP on De Boer, live to the regisseur, acknowledged", () => {
  it("GP reports; r.jansen receives it on signalRaised over WebSocket and acknowledges; the GP sees the acknowledgement", async () => {
    const regisseur = wsClient(t.url, await t.token(USERS.jansen));
    const school = wsClient(t.url, await t.token(USERS.vlinder));
    const regSub = collect(regisseur, RAISED);
    const schoolSub = collect(school, RAISED);
    await sleep(300); // both subscribed and live

    const reported = (
      await t.ok(USERS.gp, REPORT, {
        input: input(deBoer.caseId, { memberId: deBoer.members.Sandra, urgency: "HIGH", description: "Moeder meldt dat vader weer meer drinkt" }),
      })
    ).reportSignal;
    expect(reported).toMatchObject({
      urgency: "HIGH",
      observedOn: day(-1),
      acknowledgedAt: null,
      acknowledgedBy: null,
      member: { id: deBoer.members.Sandra, givenName: "Sandra" },
      reportingOrganisation: { id: org.hap },
      reportedBy: { email: USERS.gp },
    });
    // the school's own signal: proves the school's stream is alive while it does not get the GP's
    const own = (await t.ok(USERS.vlinder, REPORT, { input: input(deBoer.caseId, { memberId: deBoer.members.Daan }) })).reportSignal;

    // other test files may raise signals in their own cases meanwhile: look at De Boer's only
    const ofDeBoer = () => regSub.received.filter((r) => r.data?.signalRaised.caseId === deBoer.caseId);
    for (let i = 0; i < 50 && ofDeBoer().length < 2; i++) await sleep(100);
    const got = ofDeBoer();
    expect(got.map((r) => r.data?.signalRaised.entityId)).toEqual([reported.id, own.id]);
    expect(got[0].data.signalRaised).toMatchObject({
      kind: "SIGNAL_RAISED",
      caseId: deBoer.caseId,
      subject: { id: reported.id, urgency: "HIGH", description: "Moeder meldt dat vader weer meer drinkt", member: { givenName: "Sandra" }, reportingOrganisation: { name: ORGS.hap } },
    });
    await schoolSub.until(1, 3000);
    await sleep(300);
    expect(schoolSub.received.filter((r) => r.data?.signalRaised.caseId === deBoer.caseId).map((r) => r.data?.signalRaised.entityId)).toEqual([own.id]);
    expect(await events("SIGNAL_RAISED", reported.id)).toEqual([{ case_id: deBoer.caseId, organisation_ids: [org.hap, org.swt].sort() }]);

    const gpClient = wsClient(t.url, await t.token(USERS.gp));
    const gpSub = collect(gpClient, `subscription { myChanges { kind entityId subject { ... on Signal { id acknowledgedBy { email } acknowledgementNote } } } }`);
    await sleep(300);
    const ack = (await t.ok(USERS.jansen, ACK, { input: { id: reported.id, note: "Besproken met ouders; op de agenda van het MDO" } })).acknowledgeSignal;
    expect(ack.acknowledgedAt).not.toBeNull();
    expect(ack).toMatchObject({ acknowledgedBy: { email: USERS.jansen }, acknowledgementNote: "Besproken met ouders; op de agenda van het MDO" });
    expect(await events("SIGNAL_ACKNOWLEDGED", reported.id)).toEqual([{ case_id: deBoer.caseId, organisation_ids: [org.hap] }]);

    // the GP is told live, with the acknowledgement as it may read it
    const acked = () => gpSub.received.filter((r) => r.data?.myChanges.kind === "SIGNAL_ACKNOWLEDGED" && r.data?.myChanges.entityId === reported.id);
    for (let i = 0; i < 50 && acked().length < 1; i++) await sleep(100);
    expect(acked().map((r) => r.data.myChanges.subject)).toEqual([
      { id: reported.id, acknowledgedBy: { email: USERS.jansen }, acknowledgementNote: "Besproken met ouders; op de agenda van het MDO" },
    ]);
    gpSub.stop();
    await gpClient.dispose();

    const gpView = (await t.ok(USERS.gp, SIGNALS, { id: deBoer.caseId })).case.signals;
    expect(gpView.find((s: any) => s.id === reported.id)).toMatchObject({
      acknowledgedAt: ack.acknowledgedAt,
      acknowledgedBy: { email: USERS.jansen },
      acknowledgementNote: "Besproken met ouders; op de agenda van het MDO",
    });
    // the GP reads its own signals only (the school's, just reported, is not among them)
    expect(gpView.every((s: any) => s.reportingOrganisation.id === org.hap)).toBe(true);
    expect(gpView.map((s: any) => s.id)).not.toContain(own.id);

    regSub.stop();
    schoolSub.stop();
    await regisseur.dispose();
    await school.dispose();
  });
});

describe("who sees which signals", () => {
  it("shows the school only its own signals on De Boer, not the GP's; the regisseur sees both, newest first", async () => {
    const school = await t.gql(USERS.vlinder, SIGNALS, { id: deBoer.caseId });
    expect(school.errors).toBeUndefined();
    const mine = school.data!.case.signals;
    expect(mine.length).toBeGreaterThanOrEqual(1); // the seeded signal about Daan
    expect(mine.every((s: any) => s.reportingOrganisation.id === org.vlinder)).toBe(true);
    expect(mine.find((s: any) => s.member?.givenName === "Daan" && s.acknowledgedBy?.email === USERS.jansen)).toBeDefined();

    const reg = (await t.ok(USERS.jansen, SIGNALS, { id: deBoer.caseId })).case.signals;
    const orgs = new Set(reg.map((s: any) => s.reportingOrganisation.id));
    expect(orgs).toContain(org.vlinder);
    expect(orgs).toContain(org.hap); // the GP's signals exist, and the school does not see them
    const created = reg.map((s: any) => s.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    for (const s of mine) expect(reg.map((x: any) => x.id)).toContain(s.id);

    // nor does the school's change feed carry the GP's signals
    const gpSignalIds = reg.filter((s: any) => s.reportingOrganisation.id === org.hap).map((s: any) => s.id);
    const feed = await t.ok(USERS.vlinder, `query { changes(first: 500) { edges { node { entityId kind } } } }`);
    expect(feed.changes.edges.map((e: any) => e.node.entityId).filter((id: string) => gpSignalIds.includes(id))).toEqual([]);
  });

  it("Signal.member respects identity access: a member the viewer may not see is null, not an id", async () => {
    const fx = await createCase({ involve: ["vlinder", "hap", "jgz", "brug"], regisseur: USERS.jansen });
    const s = (await t.ok(USERS.vlinder, REPORT, { input: input(fx.caseId, { memberId: fx.childIds[0] }) })).reportSignal;
    expect(s.member).toEqual({ id: fx.childIds[0], givenName: "Kind1", kind: "CHILD" });
    // the child moves to another school: no longer De Vlinder's pupil
    await db().query("UPDATE family_member SET school_id = $2 WHERE id = $1", [fx.childIds[0], org.anker]);
    const school = await t.gql(USERS.vlinder, SIGNALS, { id: fx.caseId });
    expect(school.errors).toBeUndefined();
    expect(school.data!.case.signals).toEqual([expect.objectContaining({ id: s.id, member: null, description: s.description })]);
    // control: the regisseur and a care provider still see who it is about
    for (const who of [USERS.jansen, USERS.brug]) {
      const r = (await t.ok(who, SIGNALS, { id: fx.caseId })).case.signals;
      expect(r.find((x: any) => x.id === s.id).member).toEqual({ id: fx.childIds[0], givenName: "Kind1", kind: "CHILD" });
    }
    // JGZ (children only) may name a child but not a parent
    const j = (await t.ok(USERS.jgz, REPORT, { input: input(fx.caseId, { memberId: fx.childIds[0] }) })).reportSignal;
    expect(j.member).toMatchObject({ id: fx.childIds[0] });
    expectError(await t.gql(USERS.jgz, REPORT, { input: input(fx.caseId, { memberId: fx.adultIds[0] }) }), "BAD_USER_INPUT", "memberId");
  });
});

describe("who may report and acknowledge", () => {
  it("refuses a school naming a child that is not its pupil, or a member of another family: BAD_USER_INPUT memberId, nothing written", async () => {
    const fx = await createCase({ involve: ["vlinder"], regisseur: USERS.jansen, children: [{ birthDate: "2016-03-04", school: "vlinder" }, { birthDate: "2014-05-06", school: "anker" }] });
    const other = await createCase({ involve: ["vlinder"] });
    const before = await written(fx.caseId);
    for (const memberId of [fx.childIds[1], fx.adultIds[0], other.childIds[0], wrongId]) {
      expectError(await t.gql(USERS.vlinder, REPORT, { input: input(fx.caseId, { memberId }) }), "BAD_USER_INPUT", "memberId");
    }
    expect(await written(fx.caseId)).toEqual(before);
    // control: its own pupil, and the household as a whole, are fine
    await t.ok(USERS.vlinder, REPORT, { input: input(fx.caseId, { memberId: fx.childIds[0] }) });
    const household = (await t.ok(USERS.vlinder, REPORT, { input: input(fx.caseId) })).reportSignal;
    expect(household).toMatchObject({ member: null, urgency: "NORMAL" });
  });

  it("NOT_FOUND for a school not involved in the case, and for a wrong case id", async () => {
    const before = await written(deBoer.caseId);
    expectError(await t.gql(USERS.anker, REPORT, { input: input(deBoer.caseId) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.vlinder, REPORT, { input: input(wrongId) }), "NOT_FOUND", "caseId");
    expect(await written(deBoer.caseId)).toEqual(before);
    // and the signals of De Boer do not exist for Het Anker
    const r = await t.gql(USERS.anker, SIGNALS, { id: deBoer.caseId });
    expect(r.data?.case ?? null).toBeNull();
  });

  it("FORBIDDEN: a regisseur reports no signals (it acknowledges them), and care providers, VT and partners acknowledge none", async () => {
    const fx = await createCase({ involve: ["vlinder", "hap", "brug"], regisseur: USERS.jansen });
    expectError(await t.gql(USERS.jansen, REPORT, { input: input(fx.caseId) }), "FORBIDDEN");
    expectError(await t.gql(USERS.brug, REPORT, { input: input(fx.caseId) }), "FORBIDDEN");
    expectError(await t.gql(USERS.vt, REPORT, { input: input(fx.caseId) }), "FORBIDDEN");
    const s = (await t.ok(USERS.gp, REPORT, { input: input(fx.caseId) })).reportSignal;
    for (const who of [USERS.gp, USERS.vlinder, USERS.brug, USERS.vt]) {
      expectError(await t.gql(who, ACK, { input: { id: s.id } }), "FORBIDDEN");
    }
    // a regisseur whose organisation has no regie in the case acts as a professional there
    const regieteam = await createCase({ involve: ["hap", "regieteam"], regisseur: USERS.jansen });
    const s2 = (await t.ok(USERS.gp, REPORT, { input: input(regieteam.caseId) })).reportSignal;
    expectError(await t.gql(USERS.mulder, ACK, { input: { id: s2.id } }), "FORBIDDEN");
    // the regisseur of a case its organisation is not involved in: NOT_FOUND
    expectError(await t.gql(USERS.mulder, ACK, { input: { id: s.id } }), "NOT_FOUND", "id");
    expect(await written(fx.caseId)).toEqual({ signals: 1, events: 1, acknowledged: 0 });
    // control: a colleague regisseur of the regie organisation may acknowledge
    expect((await t.ok(USERS.bakker, ACK, { input: { id: s.id } })).acknowledgeSignal.acknowledgedBy.email).toBe(USERS.bakker);
  });

  it("acknowledges once: a second acknowledgement is a CONFLICT, and of two concurrent ones exactly one wins", async () => {
    const fx = await createCase({ involve: ["hap"], regisseur: USERS.jansen });
    const s = (await t.ok(USERS.gp, REPORT, { input: input(fx.caseId) })).reportSignal;
    await t.ok(USERS.jansen, ACK, { input: { id: s.id, note: "Eerste" } });
    expectError(await t.gql(USERS.jansen, ACK, { input: { id: s.id, note: "Tweede" } }), "CONFLICT", "id");
    const row = (await db().query("SELECT acknowledgement_note FROM signal WHERE id = $1", [s.id])).rows[0];
    expect(decryptValue(row.acknowledgement_note, "signal.acknowledgement_note")).toBe("Eerste"); // encrypted at rest
    expect(await events("SIGNAL_ACKNOWLEDGED", s.id)).toHaveLength(1);

    const s2 = (await t.ok(USERS.gp, REPORT, { input: input(fx.caseId) })).reportSignal;
    const results = await Promise.all([
      t.gql(USERS.jansen, ACK, { input: { id: s2.id, note: "Jansen" } }),
      t.gql(USERS.bakker, ACK, { input: { id: s2.id, note: "Bakker" } }),
    ]);
    const ok = results.filter((r) => !r.errors);
    const conflicts = results.filter((r) => r.errors?.[0]?.extensions?.code === "CONFLICT");
    expect([ok.length, conflicts.length]).toEqual([1, 1]);
    const winner = ok[0].data!.acknowledgeSignal;
    const stored = (await db().query("SELECT acknowledgement_note FROM signal WHERE id = $1", [s2.id])).rows[0];
    expect(decryptValue(stored.acknowledgement_note, "signal.acknowledgement_note")).toBe(winner.acknowledgementNote);
    expect(await events("SIGNAL_ACKNOWLEDGED", s2.id)).toHaveLength(1);
  });
});

describe("bad input", () => {
  it("refuses bad input of every kind with its field, and writes nothing", async () => {
    const fx = await createCase({ involve: ["hap"], regisseur: USERS.jansen });
    const before = await written(fx.caseId);
    const cases: [Record<string, unknown>, string][] = [
      [{ observedOn: day(1) }, "observedOn"],
      [{ observedOn: "2024-02-30" }, "observedOn"],
      [{ observedOn: "gisteren" }, "observedOn"],
      [{ description: "" }, "description"],
      [{ description: "   " }, "description"],
      [{ description: "x".repeat(5001) }, "description"],
      [{ urgency: "SOMETIMES" }, "urgency"],
      [{ urgency: null }, "urgency"],
      [{ memberId: "not-a-uuid" }, "memberId"],
    ];
    for (const [over, field] of cases) {
      expectError(await t.gql(USERS.gp, REPORT, { input: input(fx.caseId, over) }), "BAD_USER_INPUT", field);
    }
    expectError(await t.gql(USERS.gp, REPORT, { input: { caseId: fx.caseId, observedOn: day(0) } }), "BAD_USER_INPUT");
    expectError(await t.gql(USERS.gp, REPORT, { input: input("nope") }), "NOT_FOUND", "caseId");
    expect(await written(fx.caseId)).toEqual(before);
    // the longest description is accepted; today is not in the future
    await t.ok(USERS.gp, REPORT, { input: input(fx.caseId, { description: "x".repeat(5000), observedOn: day(0) }) });

    const s = (await t.ok(USERS.gp, REPORT, { input: input(fx.caseId) })).reportSignal;
    for (const [over, field] of [
      [{ note: "" }, "note"],
      [{ note: " " }, "note"],
      [{ note: "x".repeat(5001) }, "note"],
    ] as const) {
      expectError(await t.gql(USERS.jansen, ACK, { input: { id: s.id, ...over } }), "BAD_USER_INPUT", field);
    }
    expectError(await t.gql(USERS.jansen, ACK, { input: { id: wrongId } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.jansen, ACK, { input: { id: "nope" } }), "NOT_FOUND", "id");
    expect((await written(fx.caseId)).acknowledged).toBe(0);
  });

  it("refuses a closed case: CONFLICT, nothing written", async () => {
    const fx = await createCase({ involve: ["hap"], regisseur: USERS.jansen });
    const s = (await t.ok(USERS.gp, REPORT, { input: input(fx.caseId) })).reportSignal;
    await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);
    const before = await written(fx.caseId);
    expectError(await t.gql(USERS.gp, REPORT, { input: input(fx.caseId) }), "CONFLICT");
    expectError(await t.gql(USERS.jansen, ACK, { input: { id: s.id } }), "CONFLICT");
    expect(await written(fx.caseId)).toEqual(before);
  });

  it("logs the report and the acknowledgement as writes of signals in the access log", async () => {
    const fx = await createCase({ involve: ["hap"], regisseur: USERS.jansen });
    const s = (await t.ok(USERS.gp, REPORT, { input: input(fx.caseId) })).reportSignal;
    await t.ok(USERS.jansen, ACK, { input: { id: s.id } });
    const log = await db().query("SELECT email, categories, action FROM access_log WHERE case_id = $1 AND action = 'WRITE' ORDER BY seq", [fx.caseId]);
    expect(log.rows).toEqual([
      { email: USERS.gp, categories: ["signals"], action: "WRITE" },
      { email: USERS.jansen, categories: ["signals"], action: "WRITE" },
    ]);
  });
});
