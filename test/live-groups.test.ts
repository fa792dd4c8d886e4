import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, emitEvent, orgId, ORGS, type FixtureCase } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";
import { sentStatements } from "./support/statements.js";

/**
 * Live events are re-authorised for all their recipients in one statement and decided and
 * resolved once per group — subscribers of the same organisation and role with the same
 * document and variables (server/realtime/live-groups.ts). These tests hold the grouping to
 * what the decision depends on: members of one organisation and role whose own state differs
 * (role changed, deactivated, token expired) get different answers, and members with different
 * selection sets each get their own shape.
 */
let t: TestHub;
let fx: FixtureCase; // De Vlinder involved; child 0 at De Vlinder, child 1 at no school
let vlinder: string;

const FULL = `subscription { myChanges { id kind entityId subject { ... on FamilyMember { id givenName } } } }`;
const SHORT = `subscription { myChanges { id kind } }`;

beforeAll(async () => {
  t = await startTestHub();
  fx = await createCase({ involve: ["vlinder"], children: [{ birthDate: "2016-03-04", school: "vlinder" }, { birthDate: "2014-05-06" }] });
  vlinder = await orgId(ORGS.vlinder);
});
afterAll(() => t?.stop());

/** A new SCHOOL user of De Vlinder (the same organisation and role as USERS.vlinder). */
async function schoolUser(): Promise<string> {
  const email = `ib-${Math.random().toString(36).slice(2, 8)}@devlinder.example`;
  await db().query("INSERT INTO professional (organisation_id, email, name, role) VALUES ($1, $2, 'Test IB', 'SCHOOL')", [vlinder, email]);
  return email;
}

async function subscribe(email: string, query: string, ttl?: string) {
  let closedWith = 0;
  const client = wsClient(t.url, await t.token(email, ttl), { onClose: (code) => (closedWith = code) });
  const sub = collect(client, query);
  return {
    sub,
    get closedWith() {
      return closedWith;
    },
    ids: () => sub.received.map((r) => Number(r.data?.myChanges.id)),
    done: async () => (sub.stop(), await client.dispose()),
  };
}

const pupilEvent = () => emitEvent({ caseId: fx.caseId, kind: "FAMILY_MEMBER_UPDATED", entity: "FamilyMember", entityId: fx.childIds[0] });

/** Counts the hub's viewer look-ups and case-access statements while `work` runs. */
async function counting<T>(work: () => Promise<T>): Promise<{ result: T; viewers: number; caseAccess: number }> {
  const { result, statements } = await sentStatements(work, { background: true });
  const viewers = statements.filter((x) => /FROM professional p JOIN organisation o/.test(x.text)).length;
  const caseAccess = statements.filter((x) => /acc_involved/.test(x.text)).length;
  return { result, viewers, caseAccess };
}

describe("live delivery shared by a group of subscribers", () => {
  it("resolves once per group and selection set, and gives each member its own shape and access-log row", async () => {
    const [b, c] = [await schoolUser(), await schoolUser()];
    const A = await subscribe(USERS.vlinder, FULL);
    const B = await subscribe(b, FULL);
    const C = await subscribe(c, SHORT);
    await sleep(400); // connected and live
    const { result: e, viewers, caseAccess } = await counting(async () => {
      const id = await pupilEvent();
      await Promise.all([A, B, C].map((s) => s.sub.until(1, 3000)));
      return id;
    });
    for (const s of [A, B, C]) expect(s.ids()).toEqual([e]);
    // A and B: the same document, the same payload; C: its own selection set, nothing more
    const full = { id: String(e), kind: "FAMILY_MEMBER_UPDATED", entityId: fx.childIds[0], subject: { id: fx.childIds[0], givenName: "Kind1" } };
    expect(A.sub.received[0].data.myChanges).toEqual(full);
    expect(B.sub.received[0].data.myChanges).toEqual(full);
    expect(C.sub.received[0].data.myChanges).toEqual({ id: String(e), kind: "FAMILY_MEMBER_UPDATED" });
    // one look-up of the three users; the access facts once per group (FULL and SHORT)
    expect(viewers).toBe(1);
    expect(caseAccess).toBe(2);
    // every member has its own access-log row for the delivery, under its own name, with what
    // its own selection set read (C selected no subject: no identity)
    for (const [email, read] of [[USERS.vlinder, true], [b, true], [c, false]] as const) {
      const log = await db().query("SELECT operation, categories FROM access_log WHERE case_id = $1 AND email = $2 ORDER BY seq DESC", [fx.caseId, email]);
      expect(log.rows, email).toHaveLength(1);
      expect(log.rows[0].operation).toMatch(/^subscription/);
      expect(log.rows[0].categories.includes("identity"), email).toBe(read);
      expect(log.rows[0].categories).toContain("case");
    }

    // a child that is not De Vlinder's pupil: the group decides "not visible" for all of them
    const hidden = await emitEvent({ caseId: fx.caseId, kind: "FAMILY_MEMBER_UPDATED", entity: "FamilyMember", entityId: fx.childIds[1] });
    const next = await pupilEvent();
    await Promise.all([A, B, C].map((s) => s.sub.until(2, 3000)));
    for (const s of [A, B, C]) expect(s.ids()).toEqual([e, next]);
    expect(hidden).toBeLessThan(next);
    await Promise.all([A, B, C].map((s) => s.done()));
  });

  it("decides per person within a group: a changed role, a deactivated user and an expired token", async () => {
    const [b, d] = [await schoolUser(), await schoolUser()];
    const A = await subscribe(USERS.vlinder, FULL);
    const B = await subscribe(b, FULL);
    const D = await subscribe(d, FULL, "3s");
    await sleep(400);
    const first = await pupilEvent();
    await Promise.all([A, B, D].map((s) => s.sub.until(1, 3000)));
    for (const s of [A, B, D]) expect(s.ids()).toEqual([first]);

    // B becomes an auditor (reads no identity): same organisation, now another answer
    await db().query("UPDATE professional SET role = 'AUDITOR' WHERE email = $1", [b]);
    const second = await pupilEvent();
    await Promise.all([A, D].map((s) => s.sub.until(2, 3000)));
    await sleep(200);
    expect(A.ids()).toEqual([first, second]);
    expect(D.ids()).toEqual([first, second]);
    expect(B.ids()).toEqual([first]);

    // B deactivated: its stream ends (4401); the others go on
    await db().query("UPDATE professional SET role = 'SCHOOL', active = false WHERE email = $1", [b]);
    const third = await pupilEvent();
    await A.sub.until(3, 3000);
    await sleep(200);
    expect(B.closedWith).toBe(4401);
    expect(B.ids()).toEqual([first]);
    expect(A.ids()).toEqual([first, second, third]);

    // D's token expires: its connection ends; A, of the same group, still receives
    await sleep(3200);
    const fourth = await pupilEvent();
    await A.sub.until(4, 3000);
    await sleep(200);
    expect(D.closedWith).toBe(4401);
    expect(D.ids()).not.toContain(fourth);
    expect(A.ids()).toEqual([first, second, third, fourth]);
    await Promise.all([A, B, D].map((s) => s.done()));
  });
});
