import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, orgId, ORGS, type FixtureCase } from "./support/fixtures.js";
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
});
