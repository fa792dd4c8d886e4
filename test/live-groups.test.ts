import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planWithAgreement, startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, emitEvent, orgId, ORGS, type FixtureCase } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";
import { sentStatements } from "./support/statements.js";
import { liveObjects } from "../server/realtime/live-groups.js";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

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

/** Counts the hub's viewer look-ups, case-access statements and reads of the subject (family_member) on its own while `work` runs. */
async function counting<T>(work: () => Promise<T>): Promise<{ result: T; viewers: number; caseAccess: number; subjectReads: number }> {
  const { result, statements } = await sentStatements(work, { background: true });
  const viewers = statements.filter((x) => /FROM professional p JOIN organisation o/.test(x.text)).length;
  const caseAccess = statements.filter((x) => /acc_involved/.test(x.text)).length;
  const subjectReads = statements.filter((x) => !/acc_involved/.test(x.text) && /FROM family_member t WHERE/.test(x.text)).length;
  return { result, viewers, caseAccess, subjectReads };
}

describe("live delivery shared by a group of subscribers", () => {
  it("resolves once per group and selection set, and gives each member its own shape and access-log row", async () => {
    const [b, c] = [await schoolUser(), await schoolUser()];
    const A = await subscribe(USERS.vlinder, FULL);
    const B = await subscribe(b, FULL);
    const C = await subscribe(c, SHORT);
    await sleep(400); // connected and live
    const { result: e, viewers, caseAccess, subjectReads } = await counting(async () => {
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
    // one look-up of the three users; the access facts once per group (FULL and SHORT), each
    // with the subject in the same statement (no read of the subject on its own)
    expect(viewers).toBe(1);
    expect(caseAccess).toBe(2);
    expect(subjectReads).toBe(0);
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

  it("a change this instance commits reaches its subscribers without a read of the outbox, and its own notification costs none either", async () => {
    const ids = { vlinder, swt: await orgId(ORGS.swt) };
    const own = await createCase({ involve: ["vlinder"], regisseur: USERS.jansen });
    let a = await planWithAgreement(t, USERS.jansen, {
      caseId: own.caseId,
      priority: 1,
      what: "School belt de regisseur bij signalen",
      criterion: "Dezelfde dag gemeld",
      responsibleKind: "ORGANISATION",
      responsibleOrganisationId: ids.vlinder,
      reportToOrganisationId: ids.swt,
      shareWithOrganisationIds: [ids.vlinder],
    });
    const FIELDS = "id kind caseId entity entityId occurredAt actor { name }";
    const AGREEMENT = `subscription { myChanges { ${FIELDS} subject { ... on SafetyAgreement { id what version } } } }`;
    const A = await subscribe(USERS.vlinder, AGREEMENT);
    await sleep(400);
    const changes = 6;
    const head = async () => Number((await db().query("SELECT last_id FROM feed_head WHERE id = 1")).rows[0].last_id);
    const headBefore = await head();
    const started = Date.now();
    const { statements } = await sentStatements(
      async () => {
        for (let i = 1; i <= changes; i++) {
          a = (await t.ok(USERS.jansen, `mutation($input: UpdateSafetyAgreementInput!) { updateSafetyAgreement(input: $input) { id version } }`, {
            input: { id: a.id, version: a.version, what: `Versie ${i}` },
          })).updateSafetyAgreement;
          await A.sub.until(i, 3000);
        }
      },
      { background: true },
    );
    const seconds = (Date.now() - started) / 1000;
    // other test files' hubs write to the same database meanwhile: their events leave gaps in
    // this hub's feed (read, as they must be) and their notifications wake it
    const foreign = (await head()) - headBefore - changes;
    expect(A.sub.received.map((r) => r.data.myChanges.subject.what)).toEqual(Array.from({ length: changes }, (_, i) => `Versie ${i + 1}`));
    // the write hands its stored event to the dispatcher (it directly follows the last one handed
    // out), and the write's own NOTIFY finds nothing new: only the once-a-second safety poll reads
    // (and, in a full run, others' events: a gap and a notification each at most)
    const outboxReads = statements.filter((x) => /FROM change_event e WHERE e\.id > \$1 ORDER BY e\.id/.test(x.text)).length;
    expect(outboxReads).toBeLessThanOrEqual(Math.ceil(seconds) + 1 + 2 * foreign);
    // and what it handed out is what the outbox holds (what a replay from the feed gives)
    const replay = await t.ok(USERS.vlinder, `query($after: String) { changes(after: $after, first: 100) { edges { node { ${FIELDS} } } } }`, {
      after: String(Number(A.sub.received[0].data.myChanges.id) - 1),
    });
    const live = A.sub.received.map((r) => {
      const { subject: _, ...change } = r.data.myChanges;
      return change;
    });
    expect(live[0]).toMatchObject({ kind: "SAFETY_AGREEMENT_UPDATED", caseId: own.caseId, entity: "SafetyAgreement", entityId: a.id, actor: { name: expect.any(String) } });
    const liveIds = new Set(live.map((c) => c.id));
    expect(replay.changes.edges.map((e: any) => e.node).filter((n: any) => liveIds.has(n.id))).toEqual(live);
    // and the group's decision reads the agreement with the case's access facts, not on its own
    expect(statements.filter((x) => !/acc_involved/.test(x.text) && /FROM safety_agreement t WHERE/.test(x.text))).toEqual([]);
    await A.done();
  });

  it("an idle subscriber keeps nothing of the event it last received (the group's context, loaders and payload are collectable)", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const collected = async () => {
      for (let i = 0; i < 20 && liveObjects.alive > 0; i++) {
        gc();
        await sleep(25); // finalisation callbacks run after the collection, in a later task
      }
      return liveObjects.alive;
    };
    const A = await subscribe(USERS.vlinder, FULL);
    const B = await subscribe(await schoolUser(), FULL);
    await sleep(400);
    expect(await collected()).toBe(0);
    const made = liveObjects.made;
    const e = await pupilEvent();
    await Promise.all([A, B].map((s) => s.sub.until(1, 3000)));
    expect(A.ids()).toEqual([e]);
    // both subscriptions are open and waiting for their next event: the event's share (one for
    // the event) and its group (context, loaders, payload) are no longer reachable from them
    expect(liveObjects.made).toBeGreaterThan(made);
    expect(await collected()).toBe(0);
    // and they still receive the next one
    const next = await pupilEvent();
    await Promise.all([A, B].map((s) => s.sub.until(2, 3000)));
    expect(B.ids()).toEqual([e, next]);
    await Promise.all([A, B].map((s) => s.done()));
  });
});
