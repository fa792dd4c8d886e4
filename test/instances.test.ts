import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, type FixtureCase } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";

/**
 * Two hub instances on one database (LISTEN/NOTIFY between them, or Redis with REDIS_URL): a
 * change made on one reaches a subscriber on the other; when an instance stops mid-stream the
 * client resumes on the other from its last cursor and loses nothing.
 */
let a: TestHub;
let b: TestHub;
let fx: FixtureCase;
let vlinder: string;
beforeAll(async () => {
  [a, b] = await Promise.all([startTestHub(), startTestHub()]);
  fx = await createCase({ involve: ["vlinder"], regisseur: USERS.jansen });
  vlinder = await orgId(ORGS.vlinder);
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

const SUB = `subscription($after: String) { myChanges(after: $after) { id kind subject { ... on Consent { purpose organisation { name } } } } }`;
const today = new Date().toISOString().slice(0, 10);
const giveConsent = (hub: TestHub, purpose: string) =>
  hub.ok(USERS.jansen, `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, {
    i: { caseId: fx.caseId, organisationId: vlinder, categories: ["PLAN"], purpose, givenByMemberIds: fx.adultIds, givenOn: today },
  });

describe("several instances", () => {
  it("delivers a change made on one instance to a subscriber on the other, and resumes across instances without loss", async () => {
    let closedWith = 0;
    const onB = wsClient(b.url, await a.token(USERS.vlinder), { onClose: (code) => (closedWith = code) });
    const first = collect(onB, SUB);
    await sleep(300);
    const t0 = Date.now();
    await giveConsent(a, "Zorgoverleg 1");
    const got = await first.until(1, 5000);
    expect(got[0].data.myChanges).toMatchObject({ kind: "CONSENT_GIVEN", subject: { purpose: "Zorgoverleg 1", organisation: { name: ORGS.vlinder } } });
    expect(Date.now() - t0).toBeLessThan(2000);
    const cursor = got[0].data.myChanges.id as string;

    // instance B goes away (graceful: clients are told to reconnect), changes keep happening on A
    await b.stop();
    await sleep(100);
    expect(closedWith).toBe(1012); // service restart: reconnect
    await giveConsent(a, "Zorgoverleg 2");
    await giveConsent(a, "Zorgoverleg 3");

    // the client reconnects to A with its last cursor: exactly what it missed, then live
    const onA = wsClient(a.url, await a.token(USERS.vlinder));
    const resumed = collect(onA, SUB, { after: cursor });
    await resumed.until(2, 5000);
    await giveConsent(a, "Zorgoverleg 4");
    await resumed.until(3, 5000);
    await sleep(200);
    expect(resumed.received.map((r) => r.data.myChanges.subject.purpose)).toEqual(["Zorgoverleg 2", "Zorgoverleg 3", "Zorgoverleg 4"]);
    await onA.dispose();
    await onB.dispose();
  });

  it("wakes the other instance for a single-statement write (its NOTIFY sent in the write's own statement, once)", async () => {
    // De Boer's agreement that is shared with De Vlinder (seeded); the regisseur changes it on A
    const agreement = (
      await db().query<{ id: string; version: number }>(
        `SELECT a.id, a.version FROM safety_agreement a JOIN case_file c ON c.id = a.case_id JOIN family f ON f.id = c.family_id
          WHERE f.name = 'De Boer' AND f.created_at < now() - interval '1 day' AND EXISTS (SELECT 1 FROM safety_agreement_share s WHERE s.agreement_id = a.id AND s.organisation_id = $1) LIMIT 1`,
        [vlinder],
      )
    ).rows[0];
    expect(agreement).toBeDefined();
    const listen = await db().connect();
    const payloads: string[] = [];
    listen.on("notification", (n) => n.channel === "ketenhub_feed" && payloads.push(n.payload ?? ""));
    await listen.query("LISTEN ketenhub_feed");
    const other = await startTestHub(); // B was stopped above
    const onC = wsClient(other.url, await a.token(USERS.vlinder));
    const sub = collect(onC, `subscription { myChanges { id kind subject { ... on SafetyAgreement { id what } } } }`);
    await sleep(300);
    try {
      const t0 = Date.now();
      await a.ok(USERS.jansen, `mutation($input: UpdateSafetyAgreementInput!) { updateSafetyAgreement(input: $input) { id version } }`, {
        input: { id: agreement.id, version: agreement.version, what: "Dagelijks contact met school over aanwezigheid" },
      });
      const got = await sub.until(1, 5000);
      expect(got[0].data.myChanges).toMatchObject({ kind: "SAFETY_AGREEMENT_UPDATED", subject: { id: agreement.id, what: "Dagelijks contact met school over aanwezigheid" } });
      expect(Date.now() - t0).toBeLessThan(2000);
      const eventId = (await db().query<{ id: string }>("SELECT id FROM change_event WHERE entity_id = $1 ORDER BY id DESC LIMIT 1", [agreement.id])).rows[0].id;
      await sleep(200);
      // with the PostgreSQL bus the write's own statement notified, and nothing published it again;
      // with Redis (REDIS_URL) the bus publishes on Redis and PostgreSQL carries no notification
      // (its payload "<id>/<instance>": the writing instance ignores its own, realtime/bus.ts)
      expect(payloads.filter((p) => p.split("/")[0] === eventId)).toHaveLength(process.env.REDIS_URL ? 0 : 1);
      if (!process.env.REDIS_URL) expect(payloads.find((p) => p.split("/")[0] === eventId)).toMatch(/^[0-9]+\/[0-9a-f]{8}$/);
    } finally {
      await onC.dispose();
      await other.stop();
      await listen.query("UNLISTEN ketenhub_feed");
      listen.release();
    }
  });
});
