import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, setBsn, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";

let t: TestHub;
let c: FixtureCase; // SWT (regie: r.jansen) and De Brug involved; the GP practice is NOT
const REASON = "Kind meldt zich met letsel op de huisartsenpost; acute zorg over de veiligheid thuis";
beforeAll(async () => {
  t = await startTestHub({ EMERGENCY_ACCESS_MINUTES: "30" });
  c = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
  await setBsn(c.adultIds[0], "123456782");
  await db().query(
    `INSERT INTO safety_plan (case_id, signals_to_watch, whom_to_call, made_with_client) VALUES ($1, 'Blauwe plekken', 'Regisseur R. Jansen 06-10000001', true)`,
    [c.caseId],
  );
  await db().query(`INSERT INTO risk_assessment (case_id, instrument, assessed_on, level, conclusion, assessor_id)
    VALUES ($1, 'LIRIK', current_date, 'HIGH', 'Hoog risico', $2)`, [c.caseId, await professionalId(USERS.jansen)]);
});
afterAll(() => t?.stop());

const CASE_Q = `query($id: ID!) { case(id: $id) { id status family { members { id givenName bsn } } safetyPlan { whomToCall } latestRiskAssessment { level } } }`;
const OPEN = `mutation($caseId: ID!, $reason: String!) { openEmergencyAccess(input: { caseId: $caseId, reason: $reason }) { id caseId reason categories expiresAt active professional { email } organisation { name } } }`;
const REPORT = `query($caseId: ID) { emergencyAccesses(caseId: $caseId) { id caseId familyId professionalEmail organisationName role reason status uses categoriesRead openedAt expiresAt lastUsedAt involvementFollowed } }`;

describe("without emergency access", () => {
  it("a professional whose organisation is not involved gets NOT_FOUND, like a wrong id", async () => {
    const r = await t.gql(USERS.gp, CASE_Q, { id: c.caseId });
    expect(r.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect(r.data ?? null).toBeNull();
    // control: the regisseur sees the case and its safety plan
    const reg = await t.ok(USERS.jansen, CASE_Q, { id: c.caseId });
    expect(reg.case.safetyPlan.whomToCall).toMatch(/Jansen/);
  });

  it("refuses a short reason, a role that may not break the glass, an involved organisation and an unknown case", async () => {
    const short = await t.gql(USERS.gp, OPEN, { caseId: c.caseId, reason: "spoed" });
    expect(short.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const whitespace = await t.gql(USERS.gp, OPEN, { caseId: c.caseId, reason: " ".repeat(30) + "x" });
    expect(whitespace.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const manager = await t.gql(USERS.visser, OPEN, { caseId: c.caseId, reason: REASON });
    expect(manager.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const fg = await t.gql(USERS.fg, OPEN, { caseId: c.caseId, reason: REASON });
    expect(fg.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const involved = await t.gql(USERS.brug, OPEN, { caseId: c.caseId, reason: REASON });
    expect(involved.errors?.[0].extensions?.code).toBe("CONFLICT");
    const unknown = await t.gql(USERS.gp, OPEN, { caseId: "00000000-0000-4000-8000-000000000000", reason: REASON });
    expect(unknown.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    // nothing was granted by any of these
    const n = await db().query("SELECT count(*)::int AS n FROM emergency_access WHERE case_id = $1", [c.caseId]);
    expect(n.rows[0].n).toBe(0);
    expect((await t.gql(USERS.gp, CASE_Q, { id: c.caseId })).errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });
});

describe("breaking the glass", () => {
  let grantId: string;

  it("opens the case for that professional, tells the regisseur and the privacy officer live, and not other partners", async () => {
    const regClient = wsClient(t.url, await t.token(USERS.jansen));
    const regSub = collect(regClient, `subscription { myChanges { kind caseId entity subject { ... on EmergencyAccess { id reason role professional { email } expiresAt } } } }`);
    const fgClient = wsClient(t.url, await t.token(USERS.fg));
    const fgSub = collect(fgClient, `subscription { emergencyAccessOpened { id caseId professionalEmail organisationName reason status } }`);
    await sleep(400);
    const [{ n: headBefore }] = (await db().query("SELECT last_id::int AS n FROM feed_head")).rows;

    const opened = (await t.ok(USERS.gp, OPEN, { caseId: c.caseId, reason: REASON })).openEmergencyAccess;
    grantId = opened.id;
    expect(opened).toMatchObject({ caseId: c.caseId, reason: REASON, categories: ["case", "identity", "safety"], active: true });
    expect(opened.professional.email).toBe(USERS.gp);
    const minutes = (new Date(opened.expiresAt).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(28);
    expect(minutes).toBeLessThanOrEqual(30);

    const reg = await regSub.until(1, 4000);
    expect(reg[0].data.myChanges).toMatchObject({ kind: "EMERGENCY_ACCESS_OPENED", caseId: c.caseId, entity: "EmergencyAccess" });
    expect(reg[0].data.myChanges.subject).toMatchObject({ id: grantId, reason: REASON, role: "HUISARTS", professional: { email: USERS.gp } });
    const fg = await fgSub.until(1, 4000);
    expect(fg[0].data.emergencyAccessOpened).toMatchObject({ id: grantId, caseId: c.caseId, professionalEmail: USERS.gp, reason: REASON, status: "ACTIVE" });
    // De Brug is involved but holds no regie: the change is not in its feed (the regisseur's is the control above)
    const brug = await t.ok(USERS.brug, `query($a: String) { changes(after: $a) { edges { node { kind } } } }`, { a: String(headBefore) });
    expect(brug.changes.edges.map((e: any) => e.node.kind)).not.toContain("EMERGENCY_ACCESS_OPENED");
    // the privacy officer's organisation and the regie organisation are the addressees of the event
    const ev = await db().query("SELECT organisation_ids FROM change_event WHERE entity_id = $1", [grantId]);
    expect(ev.rows[0].organisation_ids.sort()).toEqual([await orgId(ORGS.gemeente), await orgId(ORGS.swt)].sort());
    regSub.stop();
    fgSub.stop();
    await regClient.dispose();
    await fgClient.dispose();
  });

  it("shows the emergency categories only, read-only, and logs every use as EMERGENCY", async () => {
    const r = await t.gql(USERS.gp, CASE_Q, { id: c.caseId });
    expect(r.data!.case.id).toBe(c.caseId);
    expect(r.data!.case.family.members).toHaveLength(3);
    expect(r.data!.case.safetyPlan.whomToCall).toMatch(/Jansen/);
    // outside the emergency scope: BSN and risk stay closed
    expect(r.data!.case.family.members.every((m: any) => m.bsn === null)).toBe(true);
    const denied = new Set(r.errors?.filter((e) => e.extensions?.code === "FORBIDDEN").map((e) => e.extensions?.category));
    expect(denied).toEqual(new Set(["bsn", "risk"]));
    // control: the regisseur reads the BSN
    const reg = await t.ok(USERS.jansen, CASE_Q, { id: c.caseId });
    expect(reg.case.family.members.find((m: any) => m.id === c.adultIds[0]).bsn).toBe("123456782");
    expect(reg.case.latestRiskAssessment.level).toBe("HIGH");

    // the case is listed for the GP while the access lasts, with the basis shown
    const listed: string[] = [];
    for (let after: string | null = null, i = 0; i < 100; i++) {
      const page: any = await t.ok(USERS.gp, `query($a: String) { cases(first: 100, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { a: after });
      listed.push(...page.cases.edges.map((e: any) => e.node.id));
      if (!page.cases.pageInfo.hasNextPage) break;
      after = page.cases.pageInfo.endCursor;
    }
    expect(listed).toContain(c.caseId);
    const why = await t.ok(USERS.gp, `query($id: ID!) { myAccess(caseId: $id) { categories { category canRead canWrite basis { kind id } } } }`, { id: c.caseId });
    const safety = why.myAccess.categories.find((x: any) => x.category === "safety");
    expect(safety).toMatchObject({ canRead: true, canWrite: false });
    expect(safety.basis).toContainEqual({ kind: "EMERGENCY", id: grantId });
    expect(why.myAccess.categories.find((x: any) => x.category === "signals")).toMatchObject({ canRead: false, canWrite: false });

    const log = await t.ok(USERS.fg, `query($c: ID) { accessLog(caseId: $c, first: 100) { edges { node { email action categories purpose } } } }`, { c: c.caseId });
    const gp = log.accessLog.edges.map((e: any) => e.node).filter((e: any) => e.email === USERS.gp);
    expect(gp.length).toBeGreaterThanOrEqual(4); // the opening, the case read, the list, myAccess
    expect(gp.every((e: any) => e.action === "EMERGENCY")).toBe(true);
    expect(gp.every((e: any) => e.purpose.startsWith(`noodtoegang ${grantId}:`))).toBe(true);
    expect(gp.some((e: any) => e.categories.includes("safety") && e.categories.includes("identity"))).toBe(true);
  });

  it("is listed on the case for the regie organisation, not for other partners", async () => {
    const q = `query($id: ID!) { case(id: $id) { emergencyAccesses { id reason active } } }`;
    const reg = (await t.ok(USERS.jansen, q, { id: c.caseId })).case.emergencyAccesses;
    expect(reg).toEqual([{ id: grantId, reason: REASON, active: true }]);
    const brug = (await t.ok(USERS.brug, q, { id: c.caseId })).case.emergencyAccesses;
    expect(brug).toEqual([]);
    // the GP sees its own grant through the access itself
    const gp = (await t.ok(USERS.gp, q, { id: c.caseId })).case.emergencyAccesses;
    expect(gp.map((e: any) => e.id)).toEqual([grantId]);
  });

  it("is in the privacy officer's report: who, why, what was read, active", async () => {
    const rep = (await t.ok(USERS.fg, REPORT, { caseId: c.caseId })).emergencyAccesses;
    expect(rep).toHaveLength(1);
    expect(rep[0]).toMatchObject({
      id: grantId,
      familyId: c.familyId,
      professionalEmail: USERS.gp,
      organisationName: ORGS.hap,
      role: "HUISARTS",
      reason: REASON,
      status: "ACTIVE",
      involvementFollowed: false,
    });
    expect(rep[0].categoriesRead).toEqual(["case", "identity", "safety"]);
    const entries = await db().query("SELECT count(*)::int AS n FROM access_log WHERE case_id = $1 AND action = 'EMERGENCY'", [c.caseId]);
    expect(rep[0].uses).toBe(entries.rows[0].n);
    // the report is the privacy officer's only
    const reg = await t.gql(USERS.jansen, REPORT, { caseId: c.caseId });
    expect(reg.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("expires at once: the next request is NOT_FOUND, and the report says EXPIRED", async () => {
    await db().query("UPDATE emergency_access SET opened_at = now() - interval '5 hours', expires_at = now() - interval '1 second' WHERE id = $1", [grantId]);
    const r = await t.gql(USERS.gp, CASE_Q, { id: c.caseId });
    expect(r.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    const list = await t.ok(USERS.gp, `{ cases(first: 100) { edges { node { id } } } }`);
    expect(list.cases.edges.map((e: any) => e.node.id)).not.toContain(c.caseId);
    const rep = (await t.ok(USERS.fg, REPORT, { caseId: c.caseId })).emergencyAccesses;
    expect(rep[0]).toMatchObject({ id: grantId, status: "EXPIRED", involvementFollowed: false });
    const expired = (await t.ok(USERS.fg, `{ emergencyAccesses(status: "EXPIRED") { id } }`)).emergencyAccesses;
    expect(expired.map((e: any) => e.id)).toContain(grantId);
    // involvement afterwards shows in the report
    await db().query("INSERT INTO involvement (case_id, organisation_id, role) VALUES ($1, $2, 'huisarts')", [c.caseId, await orgId(ORGS.hap)]);
    const after = (await t.ok(USERS.fg, REPORT, { caseId: c.caseId })).emergencyAccesses;
    expect(after[0].involvementFollowed).toBe(true);
    await db().query("UPDATE involvement SET ended_at = now() WHERE case_id = $1 AND organisation_id = $2", [c.caseId, await orgId(ORGS.hap)]);
  });

  it("can be closed early by the professional who opened it", async () => {
    const again = (await t.ok(USERS.jgz, OPEN, { caseId: c.caseId, reason: REASON })).openEmergencyAccess;
    expect((await t.ok(USERS.jgz, CASE_Q.replace("latestRiskAssessment { level }", "").replace(" bsn", ""), { id: c.caseId })).case.id).toBe(c.caseId);
    // someone else cannot close it
    expect((await t.ok(USERS.gp, `mutation($id: ID!) { closeEmergencyAccess(id: $id) }`, { id: again.id })).closeEmergencyAccess).toBe(false);
    expect((await t.ok(USERS.jgz, `mutation($id: ID!) { closeEmergencyAccess(id: $id) }`, { id: again.id })).closeEmergencyAccess).toBe(true);
    expect((await t.gql(USERS.jgz, CASE_Q, { id: c.caseId })).errors?.[0].extensions?.code).toBe("NOT_FOUND");
    const rep = (await t.ok(USERS.fg, REPORT, { caseId: c.caseId })).emergencyAccesses;
    expect(rep.find((e: any) => e.id === again.id).status).toBe("CLOSED");
  });
});
