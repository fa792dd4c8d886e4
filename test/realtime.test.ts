import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, emitEvent, type FixtureCase } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";

let t: TestHub;
let c: FixtureCase; // De Vlinder involved; child 0 at De Vlinder
let other: FixtureCase; // De Vlinder not involved
beforeAll(async () => {
  t = await startTestHub();
  c = await createCase({ involve: ["vlinder", "hap"], regisseur: USERS.jansen });
  other = await createCase({ involve: ["anker"] });
});
afterAll(() => t?.stop());

const SUB = `subscription($after: String) { myChanges(after: $after) { id kind caseId entity subject { ... on FamilyMember { id kind givenName } } } }`;
const memberEvent = (fc: FixtureCase, memberId: string) => emitEvent({ caseId: fc.caseId, kind: "FAMILY_MEMBER_UPDATED", entity: "FamilyMember", entityId: memberId });

describe("myChanges over WebSocket", () => {
  it("delivers exactly the changes the school could query, resolved under its access", async () => {
    const client = wsClient(t.url, await t.token(USERS.vlinder));
    const sub = collect(client, SUB);
    await sleep(300); // subscribed and live
    await memberEvent(c, c.adultIds[0]); // an adult: not the school's to see
    await memberEvent(other, other.childIds[0]); // a case De Vlinder is not involved in
    const visible = await memberEvent(c, c.childIds[0]); // its own pupil
    const got = await sub.until(1, 3000);
    await sleep(300);
    expect(got.map((r) => r.data?.myChanges.id)).toEqual([String(visible)]);
    expect(got[0].data.myChanges.subject).toMatchObject({ id: c.childIds[0], kind: "CHILD", givenName: "Kind1" });
    // control: the regisseur sees the adult's change too
    const reg = await t.ok(USERS.jansen, `query($a: String) { changes(after: $a) { edges { node { id entityId } } } }`, { a: String(visible - 3) });
    expect(reg.changes.edges.map((e: any) => e.node.entityId)).toContain(c.adultIds[0]);
    sub.stop();
    await client.dispose();
  });

  it("replays what a client missed from its cursor, then continues live, without gap or duplicate", async () => {
    const start = await memberEvent(c, c.childIds[0]);
    const missed = [await memberEvent(c, c.childIds[0]), await memberEvent(c, c.adultIds[0]), await memberEvent(c, c.childIds[0])];
    const client = wsClient(t.url, await t.token(USERS.vlinder));
    const sub = collect(client, SUB, { after: String(start) });
    const replayed = await sub.until(2, 3000);
    expect(replayed.map((r) => Number(r.data?.myChanges.id))).toEqual([missed[0], missed[2]]);
    const live = await memberEvent(c, c.childIds[0]);
    await sub.until(3, 3000);
    expect(sub.received.map((r) => Number(r.data?.myChanges.id))).toEqual([missed[0], missed[2], live]);
    // the polling query gives the same answer from the same cursor
    const polled = await t.ok(USERS.vlinder, `query($a: String) { changes(after: $a) { edges { node { id } } } }`, { a: String(start) });
    expect(polled.changes.edges.map((e: any) => Number(e.node.id))).toEqual([missed[0], missed[2], live]);
    sub.stop();
    await client.dispose();
  });

  it("stops delivery at once when the organisation's involvement ends", async () => {
    const mine = await createCase({ involve: ["vlinder"] });
    const client = wsClient(t.url, await t.token(USERS.vlinder));
    const sub = collect(client, SUB);
    await sleep(300);
    const before = await memberEvent(mine, mine.childIds[0]);
    await sub.until(1, 3000);
    await db().query("UPDATE involvement SET ended_at = now() WHERE case_id = $1 AND organisation_id = (SELECT id FROM organisation WHERE name = 'Basisschool De Vlinder')", [mine.caseId]);
    await memberEvent(mine, mine.childIds[0]);
    const sentinel = await memberEvent(c, c.childIds[0]); // still involved here: proves the stream is alive
    await sub.until(2, 3000);
    expect(sub.received.map((r) => Number(r.data?.myChanges.id))).toEqual([before, sentinel]);
    sub.stop();
    await client.dispose();
  });

  it("closes the socket with 4401 for a bad token", async () => {
    let code = 0;
    const client = wsClient(t.url, "not-a-token", { onClose: (c) => (code = c) });
    const sub = collect(client, SUB);
    await sub.until(1, 2000);
    expect(code).toBe(4401);
    await client.dispose();
  });

  it("closes the socket with 4401 when the token expires", async () => {
    let code = 0;
    const client = wsClient(t.url, await t.token(USERS.vlinder, Math.floor(Date.now() / 1000) + 2), { onClose: (c) => (code = c) });
    const sub = collect(client, SUB);
    await sleep(3000);
    expect(code).toBe(4401);
    expect(sub.ended).toBeDefined();
    await client.dispose();
  });

  it("logs a subscriber's own purpose, with control characters (a NUL the database refuses) made spaces", async () => {
    const client = wsClient(t.url, await t.token(USERS.gp), { purpose: "huisartsenzorg\u0000 en\nveiligheid" });
    const sub = collect(client, SUB);
    await sleep(300);
    await memberEvent(c, c.adultIds[1]);
    const got = await sub.until(1, 3000);
    expect(got[0]?.errors).toBeUndefined();
    expect(got[0]?.data).toBeDefined();
    const log = await db().query("SELECT purpose FROM access_log WHERE case_id = $1 AND email = $2 ORDER BY seq DESC LIMIT 1", [c.caseId, USERS.gp]);
    expect(log.rows[0].purpose).toBe("huisartsenzorg  en veiligheid");
    sub.stop();
    await client.dispose();
  });

  it("logs each delivered event's reads in the access log", async () => {
    const client = wsClient(t.url, await t.token(USERS.gp));
    const sub = collect(client, SUB);
    await sleep(300);
    await memberEvent(c, c.adultIds[1]);
    await sub.until(1, 3000);
    const log = await db().query("SELECT operation, categories FROM access_log WHERE case_id = $1 AND email = $2 ORDER BY seq DESC LIMIT 1", [c.caseId, USERS.gp]);
    expect(log.rows[0].operation).toMatch(/^subscription/);
    expect(log.rows[0].categories).toContain("identity");
    sub.stop();
    await client.dispose();
  });

  it("measures each live delivery, from the event handed out to its payload sent, in ketenhub_live_delivery_seconds", async () => {
    const metric = async (name: string) => {
      const text = await fetch(new URL("/metrics", t.url)).then((r) => r.text());
      return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
    };
    const before = await metric("ketenhub_live_delivery_seconds_count");
    const sumBefore = await metric("ketenhub_live_delivery_seconds_sum");
    const client = wsClient(t.url, await t.token(USERS.gp));
    const sub = collect(client, SUB);
    await sleep(300);
    await memberEvent(c, c.adultIds[1]);
    await sub.until(1, 3000);
    await sleep(50);
    // at least this subscriber's delivery (other open subscriptions of this hub may see the case too)
    expect(await metric("ketenhub_live_delivery_seconds_count")).toBeGreaterThanOrEqual(before + 1);
    const took = (await metric("ketenhub_live_delivery_seconds_sum")) - sumBefore;
    expect(took).toBeGreaterThan(0);
    expect(took).toBeLessThan(3);
    sub.stop();
    await client.dispose();
  });
});
