import { mkdtemp, rm } from "node:fs/promises";
import { createServer, Socket as NetSocket, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HubClient } from "../client-examples/lib/hub.js";
import { loadPortal, renderPortal } from "../client-examples/portal.js";
import { readCursor, startLiveFeed, type LiveFeed } from "../client-examples/live-feed.js";
import { coordinateMdo, pickCase } from "../client-examples/mdo.js";
import { gpSignal, GP, REGISSEUR } from "../client-examples/gp-signal.js";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { caseWithSharedAgreement, schemaHas, updateAgreementWhat } from "./support/partner-fixtures.js";
import { sleep } from "./support/ws.js";

let t: TestHub;
let dir: string;
const client = async (email: string, url = t.url) => new HubClient(url, await t.token(email));

beforeAll(async () => {
  t = await startTestHub();
  dir = await mkdtemp(join(tmpdir(), "ketenhub-feed-"));
});
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("partner portal example", () => {
  it("shows a school its cases, the agreements shared with it and how to reach the regisseur", async () => {
    const fx = await caseWithSharedAgreement(t, { what: "Oma brengt de kinderen naar school" });
    const portal = await loadPortal(await client(USERS.vlinder));
    expect(portal.me.organisation.name).toBe("Basisschool De Vlinder");
    const mine = portal.cases.find((c) => c.case.id === fx.caseId);
    expect(mine?.case.safetyPlan?.agreements?.map((a) => a.what)).toEqual(["Oma brengt de kinderen naar school"]);
    expect(mine?.case.regisseur?.professional).toMatchObject({ name: "Roos Jansen", phone: "06-10000001", email: USERS.jansen });
    const text = renderPortal(portal).join("\n");
    expect(text).toContain(`Gezin ${fx.familyName}`);
    expect(text).toContain("Regisseur: Roos Jansen, Sociaal Wijkteam Waalbeek-Noord — tel. 06-10000001");
    expect(text).toContain("Oma brengt de kinderen naar school");
    expect(text).toMatch(/Volgend MDO: /);
    // De Boer is the school's demo case; the families it is not involved in never appear.
    const families = portal.cases.map((c) => c.case.family.name);
    expect(families).toContain("De Boer");
    for (const other of ["Yilmaz", "Verbeek", "Hendriks"]) expect(families).not.toContain(other);
    const regisseurSees = (await loadPortal(await client(USERS.mulder))).cases.map((c) => c.case.family.name);
    expect(regisseurSees).toContain("Verbeek"); // the hidden case exists
  });

  it("an agreement not shared with the school is not in its portal, while the GP it is shared with sees it", async () => {
    const fx = await caseWithSharedAgreement(t, { shareWith: ["hap"], what: "Alleen voor de huisarts" });
    const school = (await loadPortal(await client(USERS.vlinder))).cases.find((c) => c.case.id === fx.caseId);
    expect(school).toBeDefined();
    expect(school?.case.safetyPlan?.agreements ?? []).toEqual([]);
    const gp = (await loadPortal(await client(USERS.gp))).cases.find((c) => c.case.id === fx.caseId);
    expect(gp?.case.safetyPlan?.agreements?.map((a) => a.what)).toEqual(["Alleen voor de huisarts"]);
  });
});

/** A TCP proxy in front of the hub whose connections the test can cut. */
function proxy(targetPort: number): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = new NetSocket();
    outbound.connect(targetPort, "127.0.0.1");
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on("close", () => outbound.destroy());
    outbound.on("close", () => inbound.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        url: `http://127.0.0.1:${port}/graphql`,
        cut: () => sockets.forEach((s) => s.destroy()),
        close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
      });
    }),
  );
}

describe("school live feed example", () => {
  const waitFor = async (cond: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error("timed out");
      await sleep(25);
    }
  };

  it("prints changes live, stores its cursor, and after a restart prints exactly what it missed, then continues live", async () => {
    const fx = await caseWithSharedAgreement(t);
    const cursorFile = join(dir, "school.cursor");
    const lines: string[] = [];
    const mine = () => lines.filter((l) => l.includes(fx.caseId));
    let connected = 0;
    const start = () =>
      startLiveFeed({ client: () => client(USERS.vlinder), cursorFile, print: (l) => lines.push(l), onStatus: (s) => s === "connected" && connected++ });

    let feed: LiveFeed = start();
    await waitFor(() => connected === 1);
    await sleep(200); // the subscription is registered
    let v = await updateAgreementWhat(t, fx.agreementId, fx.agreementVersion, "Live 1");
    await waitFor(() => mine().some((l) => l.includes('"Live 1"')));
    await feed.stop();
    const stoppedAt = readCursor(cursorFile);
    expect(stoppedAt).toMatch(/^\d+$/);

    // While the feed is down: two changes.
    v = await updateAgreementWhat(t, fx.agreementId, v, "Gemist 1");
    v = await updateAgreementWhat(t, fx.agreementId, v, "Gemist 2");
    const before = lines.length;
    feed = start();
    await waitFor(() => mine().filter((l) => /Gemist [12]/.test(l)).length === 2);
    v = await updateAgreementWhat(t, fx.agreementId, v, "Live 2");
    await waitFor(() => mine().some((l) => l.includes('"Live 2"')));
    await feed.stop();

    const after = lines.slice(before);
    expect(after[0]).toBe(`hervat na #${stoppedAt}: eerst wat gemist is, daarna live`);
    const ours = after.filter((l) => l.includes(fx.caseId));
    expect(ours).toHaveLength(3);
    // Each replayed event shows the agreement as it is now (resolved at delivery): the two missed
    // updates, then the live one, in feed order and never "Live 1" again.
    expect(ours.every((l) => l.includes("SAFETY_AGREEMENT_UPDATED"))).toBe(true);
    const ids = after.filter((l) => l.startsWith("#")).map((l) => BigInt(l.slice(1, l.indexOf(" "))));
    expect(ids.every((id) => id > BigInt(stoppedAt!))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    expect(readCursor(cursorFile)).toBe(String(ids.at(-1)));
  });

  it("reconnects by itself with backoff after the connection drops, and misses nothing", async () => {
    const fx = await caseWithSharedAgreement(t);
    const p = await proxy(t.hub.port);
    const lines: string[] = [];
    let connected = 0;
    const feed = startLiveFeed({
      client: () => client(USERS.vlinder, p.url),
      cursorFile: join(dir, "reconnect.cursor"),
      print: (l) => lines.push(l),
      onStatus: (s) => s === "connected" && connected++,
      initialBackoffMs: 200,
    });
    try {
      await waitFor(() => connected === 1);
      await sleep(200);
      let v = await updateAgreementWhat(t, fx.agreementId, fx.agreementVersion, "Voor de storing");
      await waitFor(() => lines.some((l) => l.includes(fx.caseId)));
      p.cut();
      v = await updateAgreementWhat(t, fx.agreementId, v, "Tijdens de storing");
      await waitFor(() => connected === 2);
      await waitFor(() => lines.filter((l) => l.includes(fx.caseId)).length === 2);
      expect(lines.some((l) => /^verbinding verbroken.*opnieuw over \d/.test(l))).toBe(true);
      await updateAgreementWhat(t, fx.agreementId, v, "Na de storing");
      await waitFor(() => lines.filter((l) => l.includes(fx.caseId)).length === 3);
      const ids = lines.filter((l) => l.startsWith("#")).map((l) => l.split(" ")[0]);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await feed.stop();
      await p.close();
    }
  });
});

// These two use the meetings, signals and "seen" APIs being merged from other branches; they run
// as soon as schema/schema.graphql has them.
const hasMeetings = await schemaHas(/^type Meeting\b/m);
const hasSignals = await schemaHas(/^\s*reportSignal\(/m);
const hasSeen = await schemaHas(/^\s*markSafetyAgreementSeen\(/m);

describe.skipIf(!(hasMeetings && hasSeen))("regisseur MDO example", () => {
  it("schedules an MDO with the involved organisations, records the outcome and shows who has seen the new version", async () => {
    const fx = await caseWithSharedAgreement(t);
    const regisseur = await client(USERS.jansen);
    const c = await pickCase(regisseur, fx.caseId);
    const r = await coordinateMdo(regisseur, c);
    expect(r.meeting.status).toBe("HELD");
    expect(r.meeting.invitees?.map((o) => o.name)).toEqual(expect.arrayContaining(["Basisschool De Vlinder", "Huisartsenpraktijk Waalbeek-Noord", "JGZ Waalbeek"]));
    expect(r.meeting.decisions).toHaveLength(2);
    expect(r.meeting.changedAgreements?.map((a) => a.id)).toEqual([fx.agreementId]);
    expect(r.lines.join("\n")).toMatch(/nog niet: .*Basisschool De Vlinder/);
  });
});

describe.skipIf(!hasSignals)("GP signal example", () => {
  it("the GP reports a signal and the regisseur's subscription shows it", async () => {
    const fx = await caseWithSharedAgreement(t);
    const lines = await gpSignal(await client(GP), await client(REGISSEUR), fx.caseId);
    expect(lines[1]).toContain("regisseur ziet live: SIGNAL_RAISED van Huisartsenpraktijk Waalbeek-Noord");
    expect(lines[2]).toContain("bevestigd (ja)");
  });
});
