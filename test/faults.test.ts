import { spawn, type ChildProcess } from "node:child_process";
import { installKeyRing, loadKeyRing } from "../server/crypto/field-crypto.js";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "graphql-ws";
import pg from "pg";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDevKeys, signDevToken } from "../server/auth/tokens.js";
import { createDataSource, runMigrations } from "../server/db/data-source.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../server/db/embedded.js";
import { seedDemoIfEmpty } from "../server/db/seed/demo.js";
import { createCase, orgId, ORGS, type FixtureCase } from "./support/fixtures.js";
import { USERS } from "./support/hub.js";
import { freePort } from "./support/ports.js";

/**
 * Faults against a real PostgreSQL this file owns (it stops and starts it) and the hub as users
 * run it (server/main.ts in a child process, DATABASE_URL to that PostgreSQL):
 * 1. PostgreSQL restarted under write and subscription load;
 * 2. SIGTERM under write, read and subscription load (then a new instance on the same port);
 * 3. SIGKILL while a multi-row handOverCase transaction is open.
 * Every loop is bounded; everything listens on 127.0.0.1 and is removed afterwards.
 */
let root: string;
let pgDir: string;
let pgPort: number;
let database: EmbeddedDatabase | undefined;
let url: string;
let admin: pg.Pool;
let port: number;
const hubs: ChildProcess[] = [];
const figures: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ms: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for: ${what}`);
}

interface Hub {
  p: ChildProcess;
  logs: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
async function startHubProcess(): Promise<Hub> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    DATA_DIR: join(root, "hub"),
    HOST: "127.0.0.1",
    PORT: String(port),
    NODE_ENV: "development",
    SEED_DEMO: "never",
    LOG_LEVEL: "info",
    DB_POOL_SIZE: "10",
    RATE_LIMIT_USER: "1000000",
    RATE_LIMIT_ORGANISATION: "1000000",
  };
  delete env.REDIS_URL;
  const p = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  hubs.push(p);
  const logs: string[] = [];
  let partial = "";
  p.stdout!.on("data", (d) => {
    const lines = (partial + String(d)).split("\n");
    partial = lines.pop()!;
    logs.push(...lines);
  });
  p.stderr!.on("data", (d) => logs.push(String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => p.once("exit", (code, signal) => r({ code, signal })));
  await until("hub ready", 150_000, async () => {
    if (p.exitCode !== null) throw new Error(`hub exited early: ${logs.join("\n")}`);
    return ready();
  });
  return { p, logs, exited };
}
const ready = () => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
const readyStatus = () => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);

async function startDatabase(): Promise<void> {
  database = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort });
  url = database.url;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "ketenhub-faults-"));
  await chmod(root, 0o755);
  pgDir = join(root, "db");
  await mkdir(join(root, "hub"), { recursive: true, mode: 0o755 });
  [pgPort, port] = [await freePort(), await freePort()];
  await startDatabase();
  // the seed encrypts under the development key the hub processes load from their DATA_DIR
  installKeyRing(await loadKeyRing({ NODE_ENV: "development", dataDir: join(root, "hub") }));
  const ds = createDataSource(url, 2);
  await ds.initialize();
  await runMigrations(ds);
  await seedDemoIfEmpty(ds);
  await ds.destroy();
  admin = new pg.Pool({ connectionString: url, max: 4 });
  admin.on("error", () => undefined); // its idle connections die with each PostgreSQL restart
}, 120_000);

afterAll(async () => {
  for (const p of hubs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  await admin?.end().catch(() => undefined);
  await database?.stop().catch(() => undefined);
  if (root) await rm(root, { recursive: true, force: true });
  if (figures.length) console.log(`faults:\n  ${figures.join("\n  ")}`);
});

// ---- clients -------------------------------------------------------------------------------

const gqlUrl = () => `http://127.0.0.1:${port}/graphql`;
async function token(email: string) {
  return signDevToken(await loadDevKeys(join(root, "hub")), email);
}
type Attempt = { ok: true; data: any } | { ok: false; code: string; status: number };
async function post(tok: string, query: string, variables: Record<string, unknown>): Promise<Attempt> {
  try {
    const res = await fetch(gqlUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tok}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
    if (body.errors?.length) return { ok: false, code: String(body.errors[0].extensions?.code), status: res.status };
    return { ok: true, data: body.data };
  } catch {
    return { ok: false, code: "NETWORK", status: 0 }; // refused or cut off: not acknowledged
  }
}

const today = new Date().toISOString().slice(0, 10);
const CONSENT = `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`;
const READ = `query($id: ID!) { case(id: $id) { id family { name } } }`;

/**
 * Writers (and optionally readers) against the hub until `stop()`: each item is retried until it
 * is acknowledged (bounded), so a fault costs attempts, never data.
 */
function load(fx: FixtureCase, vlinder: string, opts: { writers: number; readers?: number; label: string }) {
  let running = true;
  const acked: string[] = [];
  const failures: { code: string; status: number }[] = [];
  let readsAcked = 0;
  let n = 0;
  const write = async () => {
    const tok = await token(USERS.jansen);
    while (running) {
      const purpose = `${opts.label} ${n++}`;
      for (let attempt = 0; attempt < 300; attempt++) {
        const r = await post(tok, CONSENT, {
          i: { caseId: fx.caseId, organisationId: vlinder, categories: ["PLAN"], purpose, givenByMemberIds: fx.adultIds, givenOn: today },
        });
        if (r.ok) {
          acked.push(r.data.recordConsent.id);
          break;
        }
        failures.push(r);
        await sleep(100);
      }
    }
  };
  const read = async () => {
    const tok = await token(USERS.jansen);
    while (running) {
      const r = await post(tok, READ, { id: fx.caseId });
      if (r.ok && r.data.case?.id) readsAcked++;
      else await sleep(100);
    }
  };
  const tasks = [...Array.from({ length: opts.writers }, write), ...Array.from({ length: opts.readers ?? 0 }, read)];
  return {
    acked,
    failures,
    get readsAcked() {
      return readsAcked;
    },
    async stop() {
      running = false;
      await Promise.all(tasks);
    },
  };
}

const SUB = `subscription($after: String) { myChanges(after: $after) { id kind subject { ... on Consent { id } } } }`;

/** A partner's subscriber: on any close or error it reconnects (bounded by the test) and resumes from its last feed id. */
function subscriber(tok: string) {
  const consentIds = new Set<string>();
  const closeCodes: number[] = [];
  let cursor: string | undefined;
  let client: Client | undefined;
  let stopped = false;
  let connects = 0;
  const connect = () => {
    if (stopped) return;
    connects++;
    const c = createClient({
      url: gqlUrl().replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${tok}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: { closed: (e) => closeCodes.push((e as { code: number }).code) },
    });
    client = c;
    let again = false;
    const reconnect = () => {
      if (again) return;
      again = true;
      void c.dispose();
      setTimeout(connect, 300);
    };
    c.subscribe<any>(
      { query: SUB, variables: { after: cursor } },
      {
        next: (r) => {
          const change = r.data?.myChanges;
          if (!change) return;
          cursor = change.id;
          if (change.subject?.id) consentIds.add(change.subject.id);
        },
        error: reconnect,
        complete: reconnect,
      },
    );
  };
  connect();
  return {
    consentIds,
    closeCodes,
    get connects() {
      return connects;
    },
    async stop() {
      stopped = true;
      await client?.dispose();
    },
  };
}

const metric = async (name: string) => {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
};
const missing = async (ids: string[]) => {
  const r = await admin.query<{ id: string }>("SELECT id FROM consent WHERE id = ANY($1::uuid[])", [ids]);
  const found = new Set(r.rows.map((x) => x.id));
  return ids.filter((id) => !found.has(id));
};
const accessLogIntact = async () => (await admin.query("SELECT verify_access_log()::text AS broken")).rows[0].broken === null;

// ---- the faults ----------------------------------------------------------------------------

let hub: Hub;
let fx: FixtureCase;
let vlinder: string;

describe("faults", () => {
  it("PostgreSQL restarted under write and subscription load: hub stays up, /readyz follows, failures are SERVICE_UNAVAILABLE, retries succeed, nothing acknowledged is lost, subscribers catch up", { timeout: 180_000 }, async () => {
    hub = await startHubProcess();
    fx = await createCase({ involve: ["vlinder"], regisseur: USERS.jansen, pool: admin });
    vlinder = await orgId(ORGS.vlinder, admin);
    const sub = subscriber(await token(USERS.vlinder));
    await sleep(800);
    const busBefore = await metric("ketenhub_bus_connections_total");
    const work = load(fx, vlinder, { writers: 6, label: "Herstart" });
    await until("writes before the fault", 20_000, () => work.acked.length >= 20);

    // the fault: PostgreSQL goes down (fast shutdown: sessions terminated mid-request)
    await database!.stop();
    await until("/readyz not ready", 15_000, async () => (await readyStatus()) === 503);
    await sleep(1_500);
    const failedDuringOutage = work.failures.length;
    await startDatabase();
    await until("/readyz ready again", 30_000, ready);
    const ackedAtRecovery = work.acked.length;
    await until("writes after recovery", 30_000, () => work.acked.length >= ackedAtRecovery + 20);
    await work.stop();

    expect(hub.p.exitCode).toBeNull(); // stayed up
    expect(failedDuringOutage).toBeGreaterThan(0); // the fault really hit requests
    const codes = [...new Set(work.failures.map((f) => f.code))];
    expect(codes, JSON.stringify(codes) + hub.logs.filter((l) => l.includes('"unexpected error"')).slice(0, 2).join("\n")).toEqual(["SERVICE_UNAVAILABLE"]);
    // no stack traces in the log: an outage is one warning per failed request, not an "unexpected error"
    const spew = hub.logs.filter((l) => l.includes('"unexpected error"') || l.includes("    at "));
    expect(spew, spew.slice(0, 3).join("\n")).toEqual([]);
    expect(await missing(work.acked)).toEqual([]);
    // the LISTEN connection noticed the loss and reconnected; the subscriber saw every acknowledged change
    await until("bus reconnected", 15_000, async () => (await metric("ketenhub_bus_connections_total")) > busBefore);
    await until("subscriber caught up", 20_000, () => work.acked.every((id) => sub.consentIds.has(id)));
    await sub.stop();
    figures.push(
      `PostgreSQL restart under load: 1 fault, ${work.acked.length} mutations acknowledged, 0 lost, ${work.failures.length} failed attempts (all SERVICE_UNAVAILABLE) retried successfully, ${work.acked.length} of ${work.acked.length} events delivered to the subscriber, bus reconnected`,
    );
  });

  it("SIGTERM under load: drains, exits 0, tells WebSocket clients to reconnect (1012); nothing acknowledged and no access-log entry is lost", { timeout: 180_000 }, async () => {
    const sub = subscriber(await token(USERS.vlinder));
    await sleep(800);
    const work = load(fx, vlinder, { writers: 6, readers: 4, label: "Stop" });
    await until("load running", 20_000, () => work.acked.length >= 20 && work.readsAcked >= 20);

    const t0 = Date.now();
    hub.p.kill("SIGTERM");
    const exit = await hub.exited;
    const drainMs = Date.now() - t0;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(sub.closeCodes).toContain(1012);

    // a new instance on the same port: clients' retries and the subscriber's resume land there
    hub = await startHubProcess();
    const ackedAtRestart = work.acked.length;
    await until("writes on the new instance", 30_000, () => work.acked.length >= ackedAtRestart + 20);
    await work.stop();

    expect(await missing(work.acked)).toEqual([]);
    const log = (await admin.query(
      "SELECT count(*) FILTER (WHERE action = 'READ')::int AS reads, count(*) FILTER (WHERE action = 'WRITE')::int AS writes FROM access_log WHERE case_id = $1 AND email = $2",
      [fx.caseId, USERS.jansen],
    )).rows[0];
    expect(log.reads).toBeGreaterThanOrEqual(work.readsAcked);
    const ackedHere = work.acked.length;
    expect(await accessLogIntact()).toBe(true);
    await until("subscriber caught up after reconnecting", 20_000, () => work.acked.every((id) => sub.consentIds.has(id)));
    const failureCodes = [...new Set(work.failures.map((f) => f.code))];
    expect(failureCodes.every((c) => c === "NETWORK" || c === "SERVICE_UNAVAILABLE"), JSON.stringify(failureCodes)).toBe(true);
    await sub.stop();
    figures.push(
      `SIGTERM under load: 1 fault, drained in ${drainMs} ms, exit 0, WebSocket closed with 1012, ${ackedHere} mutations and ${work.readsAcked} reads acknowledged, 0 lost, ${log.reads} READ / ${log.writes} WRITE access-log entries, chain intact, subscriber resumed without gaps`,
    );
  });

  it("SIGKILL mid-transaction: a multi-row handOverCase is all or nothing, and the access log chain stays intact", { timeout: 180_000 }, async () => {
    const [swt, school, gp] = [await orgId(ORGS.swt, admin), await orgId(ORGS.vlinder, admin), await orgId(ORGS.hap, admin)];
    const name = `Kill-${Math.random().toString(36).slice(2, 8)}`;
    const input = {
      family: {
        name,
        hasChildren: true,
        members: [
          { kind: "ADULT", givenName: "Sanne", familyName: name, birthDate: "1988-05-06", gpId: gp },
          { kind: "CHILD", givenName: "Noor", familyName: name, birthDate: "2015-09-01", schoolId: school, gpId: gp },
        ],
      },
      toOrganisationId: swt,
      involve: [{ organisationId: school, role: "school" }],
      outcome: "Onderzoek afgerond",
      safetyConditions: ["Geen geweld in bijzijn van de kinderen"],
      writtenHandoverReceived: false,
      closingLetterRecipients: ["CLIENT"],
    };
    const HAND_OVER = `mutation($input: HandOverCaseInput!) { handOverCase(input: $input) { id family { members { id } } involvements { organisation { id } } handover { id } monitoringContacts { id } } }`;
    const rowsOf = async () =>
      (
        await admin.query(
          `SELECT (SELECT count(*)::int FROM family WHERE name = $1) AS families,
                  (SELECT count(*)::int FROM family_member WHERE family_name = $1) AS members,
                  (SELECT count(*)::int FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = $1) AS cases,
                  (SELECT count(*)::int FROM handover h JOIN case_file c ON c.id = h.case_id JOIN family f ON f.id = c.family_id WHERE f.name = $1) AS handovers,
                  (SELECT count(*)::int FROM involvement i JOIN case_file c ON c.id = i.case_id JOIN family f ON f.id = c.family_id WHERE f.name = $1) AS involvements,
                  (SELECT count(*)::int FROM monitoring_contact m JOIN case_file c ON c.id = m.case_id JOIN family f ON f.id = c.family_id WHERE f.name = $1) AS checks,
                  (SELECT count(*)::int FROM change_event e JOIN case_file c ON c.id = e.case_id JOIN family f ON f.id = c.family_id WHERE f.name = $1) AS events`,
          [name],
        )
      ).rows[0];
    const logBefore = (await admin.query("SELECT coalesce(max(seq), 0)::bigint AS seq FROM access_log")).rows[0].seq;

    // Hold the outbox head row: the hub's transaction writes every row, then waits for it (before commit).
    const locker = await admin.connect();
    await locker.query("BEGIN");
    await locker.query("SELECT last_id FROM feed_head WHERE id = 1 FOR UPDATE");
    const vt = await token(USERS.vt);
    const inFlight = post(vt, HAND_OVER, { input });
    let xid: string | undefined;
    await until("the hand-over transaction has written and waits", 20_000, async () => {
      const r = await admin.query(
        "SELECT backend_xid::text AS xid FROM pg_stat_activity WHERE application_name = 'ketenhub' AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL",
      );
      xid = r.rows[0]?.xid;
      return xid !== undefined;
    });

    hub.p.kill("SIGKILL");
    expect((await hub.exited).signal).toBe("SIGKILL");
    expect((await inFlight).ok).toBe(false); // never acknowledged
    await locker.query("ROLLBACK");
    locker.release();
    await until("the killed session is gone", 20_000, async () => {
      const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_xid::text = $1", [xid]);
      return r.rows[0].n === 0;
    });
    expect(await rowsOf()).toEqual({ families: 0, members: 0, cases: 0, handovers: 0, involvements: 0, checks: 0, events: 0 });
    expect(await accessLogIntact()).toBe(true);
    // nothing of the killed request reached the access log (its WRITE entry was in the transaction)
    expect((await admin.query("SELECT email, action, operation FROM access_log WHERE seq > $1 AND email = $2", [logBefore, USERS.vt])).rows).toEqual([]);

    // the client retries on a new instance: all rows at once
    hub = await startHubProcess();
    const retry = await post(vt, HAND_OVER, { input });
    expect(retry.ok, JSON.stringify(retry)).toBe(true);
    const after = await rowsOf();
    expect(after).toMatchObject({ families: 1, members: 2, cases: 1, handovers: 1 });
    expect(after.involvements).toBeGreaterThanOrEqual(2);
    expect(after.events).toBeGreaterThanOrEqual(4);
    expect(await accessLogIntact()).toBe(true);
    hub.p.kill("SIGTERM");
    expect((await hub.exited).code).toBe(0);
    figures.push(
      `SIGKILL mid-transaction: 1 fault, handOverCase (${after.families + after.members + after.cases + after.handovers + after.involvements + after.checks} rows, ${after.events} events) left 0 rows behind; the retry wrote all of them; access-log chain intact`,
    );
  });
});
