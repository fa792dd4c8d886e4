/**
 * `npm run bench` — builds the synthetic network, then measures every scenario against its floor
 * (and Q1 against PostGraphile) in the same run, in alternating rounds, and writes the table to
 * bench/results/<timestamp>.md, bench/results/latest.md and the README.
 * `npm run bench -- --tier=ci` (or BENCH_TIER=ci): the same scenarios on a small network, in seconds.
 */
import "reflect-metadata";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import pg from "pg";
import { loadDevKeys, signDevToken } from "../server/auth/tokens.js";
import { buildNetwork } from "./lib/build.js";
import { createBenchDatabase, type BenchDatabase } from "./lib/db.js";
import { load, type LoadResult, type Target } from "./lib/load.js";
import { Child, postgresCpuMs } from "./lib/proc.js";
import { Q1, Q2, W1 } from "./lib/queries.js";
import { median, percentile } from "./lib/stats.js";
import { tierFromArgs } from "./lib/tier.js";
import { report, type Results } from "./lib/report.js";

const here = dirname(fileURLToPath(import.meta.url));
const tier = tierFromArgs(process.argv.slice(2), process.env);
const started = Date.now();
const startLoad = loadavg()[0];
const log = (m: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}`);

let db: BenchDatabase | undefined;
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    await Child.stopAll().catch(() => undefined);
    await db?.drop();
  })());
process.on("exit", () => Child.killAllNow());
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    log(`${sig}: stopping children and removing the bench database`);
    void cleanup().finally(() => process.exit(130));
  });
}

interface Gql {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<Gql> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return (await r.json()) as Gql;
}

/**
 * A round, with the CPU time its server process — and PostgreSQL — spent per successful request
 * (machine load does not inflate it).
 */
async function withCpu(child: Child, round: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = (await child.call("cpu")).micros as number;
  const pgBefore = postgresCpuMs();
  const r = await round();
  const after = (await child.call("cpu")).micros as number;
  const pgAfter = postgresCpuMs();
  return { ...r, cpuMs: r.requests > 0 ? (after - before) / 1000 / r.requests : NaN, pgCpuMs: r.requests > 0 ? (pgAfter - pgBefore) / r.requests : NaN };
}

async function main(): Promise<void> {
  log(`tier ${tier.name}: ${tier.families.toLocaleString()} families, ${tier.subscribers.toLocaleString()} subscribers, ${tier.rounds} rounds of ${tier.roundSeconds} s`);
  // BENCH_ONLY=live: only S1/S2 (no SQL counts, Q1, Q2, W1, peer; no report is written)
  const liveOnly = process.env.BENCH_ONLY === "live";
  db = await createBenchDatabase(log);
  const client = new pg.Client({ connectionString: db.url });
  client.on("error", () => undefined); // the database stops at cleanup
  await client.connect();
  log("building the synthetic network");
  const counts = await buildNetwork(client, tier, log);
  log(
    `network: ${counts.organisations} organisations, ${counts.professionals} professionals, ${counts.families} families (${counts.members} members), ` +
      `${counts.involvements} involvements, ${counts.agreements} agreements, ${counts.shares} shares, consents on ${counts.consents} cases`,
  );

  // --- processes: hub, floor, peer -------------------------------------------------------
  const hubDir = join(db.dir, "hub");
  // every process in production mode, as deployed (libraries take their production paths)
  const common = { DATABASE_URL: db.url, DB_POOL_SIZE: "10", NODE_ENV: "production" };
  const hubOptions = {
    // BENCH_PROFILE=1: a CPU profile of the hub process in bench/results/profile/
    // BENCH_HUB_FLAGS: more Node flags for the hub (a developer's knob, e.g. --trace-gc)
    execArgv: [
      "--expose-gc",
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${join(here, "results/profile")}`] : []),
      ...(process.env.BENCH_HUB_FLAGS?.split(" ").filter(Boolean) ?? []),
    ],
    env: {
      ...common,
      PORT: "0",
      HOST: "127.0.0.1",
      SEED_DEMO: "never",
      DATA_DIR: hubDir,
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      HUB_CONFIG_ENV: "test",
      REDIS_URL: "",
      // the limiter stays in the path; its limits are set above what a benchmark sends
      RATE_LIMIT_USER: "1000000000",
      RATE_LIMIT_ORGANISATION: "1000000000",
    },
  };
  const startHubChild = () => new Child("hub", join(here, "servers/hub.ts"), hubOptions);
  const startFloorChild = () => new Child("floor", join(here, "servers/floor.ts"), { execArgv: ["--expose-gc"], env: common });
  let hub = startHubChild();
  let floor = startFloorChild();
  const peerDir = join(here, "peer");
  if (!existsSync(join(peerDir, "node_modules/postgraphile"))) {
    log("installing the peer (PostGraphile) into bench/peer: npm ci");
    const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: peerDir, stdio: "inherit" });
    if (r.status !== 0) log("could not install PostGraphile: the peer is skipped");
  }
  const peerAvailable = !liveOnly && existsSync(join(peerDir, "node_modules/postgraphile"));
  const peer = peerAvailable ? new Child("peer", join(peerDir, "server.mjs"), { env: { ...common, GRAPHILE_ENV: "production" }, cwd: peerDir }) : undefined;
  const hubPort = (await hub.ready).port as number;
  const floorPort = (await floor.ready).port as number;
  let peerPort: number | undefined;
  let peerError: string | undefined;
  try {
    peerPort = peer ? ((await peer.ready).port as number) : undefined;
  } catch (err) {
    peerError = (err as Error).message.split("\n")[0];
    log(`PostGraphile did not start: ${peerError}`);
  }
  log(`hub pid ${hub.pid} on :${hubPort}, floor pid ${floor.pid} on :${floorPort}${peerPort ? `, PostGraphile pid ${peer!.pid} on :${peerPort}` : ""}`);
  const hubUrl = `http://127.0.0.1:${hubPort}/graphql`;
  const floorBase = `http://127.0.0.1:${floorPort}`;
  const peerUrl = peerPort ? `http://127.0.0.1:${peerPort}/graphql` : undefined;

  const keys = await loadDevKeys(hubDir);
  const token = (email: string) => signDevToken(keys, email, { ttl: "6h" });

  // --- who: the school with the most cases; regisseurs with cases of agreements ----------------
  const school = (
    await client.query(
      `SELECT p.email, p.organisation_id, count(*) n FROM professional p JOIN involvement i ON i.organisation_id = p.organisation_id
        WHERE p.role = 'SCHOOL' AND p.email LIKE '%.1@bench.example' GROUP BY p.email, p.organisation_id ORDER BY n DESC, p.email LIMIT 1`,
    )
  ).rows[0] as { email: string; organisation_id: string; n: string };
  log(`Q1 viewer: ${school.email} (${school.n} cases)`);
  const schoolAuth = { authorization: `Bearer ${await token(school.email)}`, "x-bench-user": school.email };

  const q1Hub = (first: number): Target => ({ url: hubUrl, headers: schoolAuth, body: JSON.stringify({ query: Q1, variables: { first } }) });
  const q1Floor = (first: number): Target => ({ url: `${floorBase}/q1`, headers: schoolAuth, body: JSON.stringify({ first }) });

  // Correctness first: the hub, the floor (and the peer) give the same answer.
  const hubAnswer = await post(hubUrl, { query: Q1, variables: { first: 50 } }, schoolAuth);
  if (hubAnswer.errors) throw new Error(`Q1 on the hub failed: ${JSON.stringify(hubAnswer.errors)}`);
  const floorAnswer = (await (await fetch(`${floorBase}/q1`, { method: "POST", headers: schoolAuth, body: JSON.stringify({ first: 50 }) })).json()) as Gql;
  const edges = (hubAnswer.data!.cases as { edges: unknown[] }).edges;
  const expectCases = Math.min(50, Number(school.n));
  if (edges.length !== expectCases) throw new Error(`Q1: expected ${expectCases} cases, the hub returned ${edges.length}`);
  if (!isDeepStrictEqual(hubAnswer.data, floorAnswer.data)) {
    throw new Error(`Q1: the floor's answer differs from the hub's:\nhub:   ${JSON.stringify(hubAnswer.data).slice(0, 600)}\nfloor: ${JSON.stringify(floorAnswer.data).slice(0, 600)}`);
  }
  log(`Q1: hub and floor give the same answer (${expectCases} cases)`);
  let q1Peer: ((first: number) => Target) | undefined;
  if (peerUrl) {
    const { PEER_Q1, fromPeer } = await import("./servers/peer-query.js");
    const peerAnswer = await post(peerUrl, { query: PEER_Q1, variables: { first: 50 } }, { "x-bench-org": school.organisation_id });
    if (peerAnswer.errors) {
      peerError = `Q1 on PostGraphile failed: ${JSON.stringify(peerAnswer.errors).slice(0, 300)}`;
      log(peerError);
      if (process.env.BENCH_STOP_AFTER === "check") {
        const t = await post(peerUrl, { query: "{ __schema { queryType { fields { name } } types { name fields { name } } } }" }, {});
        const types = (t.data as { __schema: { types: { name: string; fields: { name: string }[] | null }[] } }).__schema.types;
        for (const ty of types) if (/SchoolCase|Pupil|SafetyPlan|SharedAgreement|CaseRegisseur|^Query$/.test(ty.name) && ty.fields) log(`${ty.name}: ${ty.fields.map((f) => f.name).join(", ")}`);
      }
    } else if (!isDeepStrictEqual(fromPeer(peerAnswer.data!), hubAnswer.data)) {
      peerError = "PostGraphile's answer differs from the hub's";
      log(`${peerError}:\npeer: ${JSON.stringify(fromPeer(peerAnswer.data!)).slice(0, 600)}`);
    } else {
      log("Q1: PostGraphile gives the same answer");
      q1Peer = (first) => ({ url: peerUrl, headers: { "x-bench-org": school.organisation_id }, body: JSON.stringify({ query: PEER_Q1, variables: { first } }) });
    }
  }

  if (process.env.BENCH_STOP_AFTER === "check") return;
  const liveScenarios = async () => {
    log("S1/S2: restarting the hub and the floor (fresh processes for the memory baseline)");
    await Promise.all([hub.stop(), floor.stop()]);
    hub = startHubChild();
    floor = startFloorChild();
    const liveHubPort = (await hub.ready).port as number;
    const liveFloorPort = (await floor.ready).port as number;
    // Q1's and W1's access-log and outbox writes to disk now (as after the build), not in a
    // checkpoint whose writes and final fsync stall whichever S1 round's commits it falls in
    const t0 = performance.now();
    await client.query("CHECKPOINT").then(
      () => log(`S1/S2: checkpoint after the earlier scenarios' writes (${((performance.now() - t0) / 1000).toFixed(1)} s)`),
      () => log("S1/S2: no CHECKPOINT (the role may not)"),
    );
    const { runSubscriptions } = await import("./lib/subscriptions.js");
    return runSubscriptions({ tier, client, hub, floor, hubPort: liveHubPort, floorPort: liveFloorPort, token, keysDir: hubDir, log, here });
  };
  if (liveOnly) {
    const { s1, s2 } = await liveScenarios();
    const all = (k: "hub" | "floor") => s1[k].map((r) => `p50 ${r.p50} / p99 ${r.p99} ms, ${r.delivered} of ${r.expected}, lost ${r.lost}, dup ${r.duplicated}`).join("; ");
    log(`S1 hub: ${all("hub")}`);
    log(`S1 raw ws: ${all("floor")}`);
    log(`S2 KiB per idle subscription: hub ${(s2.hubBytesPerSocket / 1024).toFixed(1)}, raw ws ${(s2.floorBytesPerSocket / 1024).toFixed(1)}`);
    await client.end();
    return;
  }

  // --- SQL statements per request -----------------------------------------------------------
  const regisseurCase = (
    await client.query(
      `SELECT c.id, p.email FROM case_file c JOIN regie_assignment r ON r.case_id = c.id AND r.kind = 'CASE' AND r.ended_at IS NULL
         JOIN professional p ON p.id = r.professional_id
        WHERE EXISTS (SELECT 1 FROM consent k WHERE k.case_id = c.id) AND EXISTS (SELECT 1 FROM sharing_decision d WHERE d.case_id = c.id)
        ORDER BY c.created_at LIMIT 1`,
    )
  ).rows[0] as { id: string; email: string };
  const regisseurAuth = { authorization: `Bearer ${await token(regisseurCase.email)}` };
  const q2Body = JSON.stringify({ query: Q2, variables: { id: regisseurCase.id } });
  const q2Answer = await post(hubUrl, JSON.parse(q2Body), regisseurAuth);
  if (q2Answer.errors) throw new Error(`Q2 on the hub failed: ${JSON.stringify(q2Answer.errors).slice(0, 500)}`);

  const countSql = async (url: string, body: unknown, headers: Record<string, string>, name: string) => {
    const per: number[] = [];
    let trace: string[] = [];
    for (let i = 0; i < 7; i++) {
      const before = (await hub.call("sql")).statements as number;
      const r = await post(url, body, headers);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      const after = await hub.call("sql");
      per.push((after.statements as number) - before);
      if (per.at(-1) === Math.min(...per)) trace = after.recent as string[];
    }
    if (process.env.BENCH_SQL_TRACE) log(`${name} statements:\n  ${trace.join("\n  ")}`);
    return Math.min(...per); // the dispatcher's 1 s safety poll may land inside one request
  };
  const sql = {
    q1First10: await countSql(hubUrl, { query: Q1, variables: { first: 10 } }, schoolAuth, "Q1 first 10"),
    q1First50: await countSql(hubUrl, { query: Q1, variables: { first: 50 } }, schoolAuth, "Q1 first 50"),
    q2: await countSql(hubUrl, JSON.parse(q2Body), regisseurAuth, "Q2"),
  };
  log(`SQL statements per request: Q1 first 10 → ${sql.q1First10}, first 50 → ${sql.q1First50}; Q2 → ${sql.q2}`);
  if (process.env.BENCH_STOP_AFTER === "sql") return;

  // --- Q1 closed loop: hub / floor / peer alternating ----------------------------------------
  const results: Results = {
    tier,
    counts,
    sql,
    q1: [],
    q1Fixed: undefined,
    q2: [],
    w1: { hub: [], floor: [] },
    s1: undefined,
    s2: undefined,
    peerError,
    started: new Date(started),
    seconds: 0,
    load: { start: startLoad },
  };
  const secs = tier.roundSeconds;
  const warm = async (t: Target) => void (await load(t, { connections: 4, seconds: Math.min(1, secs) }));
  log("Q1: warming up");
  await warm(q1Hub(50));
  await warm(q1Floor(50));
  if (q1Peer) await warm(q1Peer(50));
  for (const c of tier.connections) {
    const row = { connections: c, hub: [] as LoadResult[], floor: [] as LoadResult[], peer: [] as LoadResult[] };
    for (let r = 0; r < tier.rounds; r++) {
      row.hub.push(await withCpu(hub, () => load(q1Hub(50), { connections: c, seconds: secs })));
      row.floor.push(await withCpu(floor, () => load(q1Floor(50), { connections: c, seconds: secs })));
      if (q1Peer) row.peer.push(await withCpu(peer!, () => load(q1Peer(50), { connections: c, seconds: secs })));
      log(
        `Q1 c=${c} round ${r + 1}/${tier.rounds}: hub ${row.hub.at(-1)!.rps.toFixed(0)}/s, floor ${row.floor.at(-1)!.rps.toFixed(0)}/s` +
          (q1Peer ? `, PostGraphile ${row.peer.at(-1)!.rps.toFixed(0)}/s` : "") +
          ` (CPU ms/request: hub ${row.hub.at(-1)!.cpuMs?.toFixed(1)}, floor ${row.floor.at(-1)!.cpuMs?.toFixed(1)}${q1Peer ? `, PostGraphile ${row.peer.at(-1)!.cpuMs?.toFixed(1)}` : ""})` +
          (row.hub.at(-1)!.failures + row.floor.at(-1)!.failures + (row.peer.at(-1)?.failures ?? 0) > 0
            ? ` failures: hub ${row.hub.at(-1)!.failures}, floor ${row.floor.at(-1)!.failures}, peer ${row.peer.at(-1)?.failures ?? 0}`
            : ""),
      );
    }
    results.q1.push(row);
  }
  const floorPeak = Math.max(...results.q1.map((r) => median(r.floor.map((x) => x.rps))));
  const rate = Math.max(1, Math.round(floorPeak * 0.8));
  const fixedConnections = Math.max(...tier.connections);
  const fixed = { rate, connections: fixedConnections, hub: [] as LoadResult[], floor: [] as LoadResult[] };
  for (let r = 0; r < tier.rounds; r++) {
    fixed.hub.push(await load(q1Hub(50), { connections: fixedConnections, seconds: secs, rate }));
    fixed.floor.push(await load(q1Floor(50), { connections: fixedConnections, seconds: secs, rate }));
    log(`Q1 at ${rate}/s round ${r + 1}/${tier.rounds}: p99 hub ${fixed.hub.at(-1)!.p99} ms, floor ${fixed.floor.at(-1)!.p99} ms`);
  }
  results.q1Fixed = fixed;
  if (process.env.BENCH_STOP_AFTER === "q1") return;

  // --- Q2 ------------------------------------------------------------------------------------
  await warm({ url: hubUrl, headers: regisseurAuth, body: q2Body });
  for (let r = 0; r < tier.rounds; r++) {
    results.q2.push(await withCpu(hub, () => load({ url: hubUrl, headers: regisseurAuth, body: q2Body }, { connections: 8, seconds: secs })));
    log(`Q2 round ${r + 1}/${tier.rounds}: ${results.q2.at(-1)!.rps.toFixed(0)}/s`);
  }

  // --- W1: change a shared agreement, hub vs raw pg -------------------------------------------
  // Distinct agreements of many cases (no version conflicts between concurrent writers), each
  // changed by its case's regisseur with the version it last saw.
  const w1Rows = (
    await client.query(
      `SELECT a.id, a.version, p.email FROM safety_agreement a JOIN regie_assignment r ON r.case_id = a.case_id AND r.kind = 'CASE' AND r.ended_at IS NULL
         JOIN professional p ON p.id = r.professional_id
        WHERE a.priority = 1 AND a.case_id IN (SELECT id FROM case_file ORDER BY created_at DESC LIMIT 2000)`,
    )
  ).rows as { id: string; version: number; email: string }[];
  const tokens = new Map<string, string>();
  for (const e of new Set(w1Rows.map((r) => r.email))) tokens.set(e, await token(e));
  const versions = new Map(w1Rows.map((r) => [r.id, r.version]));
  let w1Next = 0;
  let w1Stale = 0;
  const pick = () => w1Rows[w1Next++ % w1Rows.length];
  const onW1 = (status: number, body: string) => {
    const m = /"id":"([0-9a-f-]{36})","version":(\d+)/.exec(body);
    if (m) versions.set(m[1], Number(m[2]));
    else if (status === 409 || body.includes("CONFLICT")) w1Stale++;
  };
  const w1Hub: Target = {
    url: hubUrl,
    headers: {},
    next: () => {
      const a = pick();
      return {
        body: JSON.stringify({ query: W1, variables: { input: { id: a.id, version: versions.get(a.id), what: `W1 ${w1Next}` } } }),
        headers: { authorization: `Bearer ${tokens.get(a.email)}` },
      };
    },
    onResponse: onW1,
  };
  const w1Floor: Target = {
    url: `${floorBase}/w1`,
    headers: {},
    next: () => {
      const a = pick();
      return { body: JSON.stringify({ id: a.id, version: versions.get(a.id), what: `W1 ${w1Next}` }), headers: { "x-bench-user": a.email } };
    },
    onResponse: onW1,
  };
  // A round ends with requests in flight whose answers are never read: re-read the versions
  // after every round, so the next one does not start with stale ones — once those requests
  // have finished on the server (else a version read here is bumped a moment later, and the
  // next round's first write of that agreement is answered CONFLICT).
  const refreshVersions = async () => {
    await new Promise((res) => setTimeout(res, 500));
    const rows = (await client.query("SELECT id, version FROM safety_agreement WHERE id = ANY($1::uuid[])", [w1Rows.map((r) => r.id)])).rows as {
      id: string;
      version: number;
    }[];
    for (const r of rows) versions.set(r.id, r.version);
  };
  // W1's statements per change, all of the hub process's: the request's and, within 150 ms, the
  // realtime side's (bus publish, the dispatcher's outbox read); the least of 5
  {
    const per: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = w1Rows[i];
      const before = (await hub.call("sql")).statements as number;
      const r = await post(hubUrl, { query: W1, variables: { input: { id: a.id, version: versions.get(a.id), what: `W1 count ${i}` } } }, { authorization: `Bearer ${tokens.get(a.email)}` });
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      const mid = (await hub.call("sql")).statements as number;
      await new Promise((res) => setTimeout(res, 150));
      const after = (await hub.call("sql")).statements as number;
      per.push((mid - before) * 1000 + (after - before));
    }
    const least = Math.min(...per);
    log(`W1 SQL statements per change: ${Math.floor(least / 1000)} until the response, ${least % 1000} with the realtime side`);
    await refreshVersions();
  }
  await warm(w1Hub);
  await refreshVersions();
  await warm(w1Floor);
  await refreshVersions();
  for (let r = 0; r < tier.rounds; r++) {
    results.w1.hub.push(await withCpu(hub, () => load(w1Hub, { connections: 8, seconds: secs })));
    await refreshVersions();
    results.w1.floor.push(await withCpu(floor, () => load(w1Floor, { connections: 8, seconds: secs })));
    await refreshVersions();
    log(`W1 round ${r + 1}/${tier.rounds}: hub ${results.w1.hub.at(-1)!.rps.toFixed(0)}/s, floor ${results.w1.floor.at(-1)!.rps.toFixed(0)}/s`);
  }
  if (w1Stale > 0) log(`W1: ${w1Stale} stale-version answers (counted as failures)`);

  // --- S1 / S2: subscribers in their own processes -------------------------------------------
  // S2 measures RSS growth per socket: on fresh processes, so that memory retained from the
  // earlier scenarios does not absorb (or inflate) the sockets' share. S1 runs on them too.
  const live = await liveScenarios();
  results.s1 = live.s1;
  results.s2 = live.s2;

  results.seconds = (Date.now() - started) / 1000;
  await client.end();
  const table = await report(results, join(here, ".."), log);
  console.log("\n" + table);
  // Figures are the reader's to judge; a duplicated delivery is a defect whatever the machine.
  const duplicated = results.s1?.hub.reduce((n, x) => n + x.duplicated, 0) ?? 0;
  if (duplicated > 0) throw new Error(`S1: ${duplicated} duplicated or misdirected deliveries by the hub`);
}

main()
  .then(() => cleanup())
  .then(() => {
    log("done");
    process.exit(0);
  })
  .catch(async (err: unknown) => {
    console.error("bench failed:", err instanceof Error ? err.stack ?? err.message : err);
    await cleanup();
    process.exit(1);
  });

export { percentile };
