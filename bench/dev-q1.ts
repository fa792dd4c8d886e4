/**
 * `npx tsx bench/dev-q1.ts [--rebuild]` — a developer's loop for Q1's CPU cost, not part of
 * `npm run bench`: the full tier's network is built once into a database that is kept
 * (DATABASE_URL's server, or an embedded PostgreSQL kept in /tmp; database `ketenhub_devq1`), then the hub
 * runs in its own process with the current code and answers Q1 (50 cases) sequentially and with 8
 * connections; it prints the hub's CPU per request and the rates. BENCH_PROFILE=1 writes a CPU
 * profile of the hub to bench/results/profile/. DEVQ1_FLOOR=1 adds the floor, DEVQ1_PEER=1 PostGraphile
 * (bench/peer, installed by a full `npm run bench`), each with the PostgreSQL CPU it costs.
 * DEVQ1_HEAP=<file>: a sampling allocation profile of the hub's first round at 8 connections
 * (every byte allocated, collected or not; read it with bench/profile-summary.ts).
 */
import "reflect-metadata";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createDataSource, runMigrations } from "../server/db/data-source.js";
import { startEmbeddedPostgres } from "../server/db/embedded.js";
import { buildNetwork } from "./lib/build.js";
import { load } from "./lib/load.js";
import { Child, postgresCpuMs } from "./lib/proc.js";
import { devQ1Request } from "./lib/dev-viewer.js";
import { TIERS } from "./lib/tier.js";

const here = dirname(fileURLToPath(import.meta.url));
const name = "ketenhub_devq1";
const dir = "/tmp/ketenhub-devq1";
mkdirSync(join(dir, "hub"), { recursive: true });
// without DATABASE_URL: an embedded PostgreSQL kept in /tmp/ketenhub-devq1/db (the version the
// benchmark runs on; plans differ between versions)
const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: join(dir, "db"), port: 54329 });
const base = process.env.DATABASE_URL ?? embedded!.url;
const url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();

const admin = new pg.Client({ connectionString: base });
await admin.connect();
const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
if (process.argv.includes("--rebuild") || !exists || !existsSync(join(dir, "built"))) {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const ds = createDataSource(url, 2);
  await ds.initialize();
  await runMigrations(ds);
  await ds.destroy();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await buildNetwork(c, TIERS.full, (m) => console.log(m));
  await c.end();
  (await import("node:fs")).writeFileSync(join(dir, "built"), "");
}
await admin.end();

// DEVQ1_BASE=<another checkout>: its hub too, in alternating rounds (A B A B), so that the
// machine's noise (CPU figures move by half between runs here) falls on both alike
const hubOptions = (root: string, tag: string): [string, string, { execArgv: string[]; env: NodeJS.ProcessEnv; cwd: string }] =>
  [tag, join(root, "bench/servers/hub.ts"), {
    execArgv: ["--expose-gc", ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${join(here, "results/profile")}`] : [])],
    env: {
      DATABASE_URL: url, DB_POOL_SIZE: "10", PORT: "0", HOST: "127.0.0.1", SEED_DEMO: "never", DATA_DIR: join(dir, "hub"),
      LOG_LEVEL: "warn", NODE_ENV: "production",
      HUB_CONFIG_ENV: "test", REDIS_URL: "", RATE_LIMIT_USER: "1000000000", RATE_LIMIT_ORGANISATION: "1000000000",
    },
    cwd: root,
  }];
const [thisName, thisFile, thisOptions] = hubOptions(join(here, ".."), "this");
// DEVQ1_NODE_FLAGS: extra Node flags for this checkout's hub only (e.g. GC settings)
const hubs = [new Child(thisName, thisFile, { ...thisOptions, execArgv: [...thisOptions.execArgv, ...(process.env.DEVQ1_NODE_FLAGS?.split(" ").filter(Boolean) ?? [])] })];
if (process.env.DEVQ1_BASE) {
  const [n, f, o] = hubOptions(process.env.DEVQ1_BASE, "base");
  hubs.push(new Child(n, f, { ...o, env: { ...o.env, NODE_ENV: process.env.DEVQ1_BASE_NODE_ENV ?? "production" } }));
}
const floor = process.env.DEVQ1_FLOOR ? new Child("floor", join(here, "servers/floor.ts"), { execArgv: ["--expose-gc"], env: { DATABASE_URL: url, DB_POOL_SIZE: "10" } }) : undefined;
const ports = await Promise.all(hubs.map(async (h) => (await h.ready).port as number));
const { email, organisationId, token, body } = await devQ1Request(url, join(dir, "hub"));
const headers: Record<string, string> = { authorization: `Bearer ${token}`, "x-bench-user": email };
const targets = ports.map((port) => ({ url: `http://127.0.0.1:${port}/graphql`, headers, body }));
const answers = await Promise.all(targets.map(async (t) => (await fetch(t.url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body })).text()));
if (answers[0].includes('"errors"')) throw new Error(answers[0].slice(0, 500));
if (answers.some((a) => a !== answers[0])) console.log("the answers differ");
console.log(`answer: ${answers[0].length} bytes`);
for (let i = 0; i < hubs.length; i++) {
  const before = (await hubs[i].call("sql")).statements as number;
  await fetch(targets[i].url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
  const after = await hubs[i].call("sql");
  console.log(`${hubs[i].name}: ${(after.statements as number) - before} statements\n  ${(after.recent as string[]).join("\n  ")}`);
}
if (floor) {
  const fp = (await floor.ready).port as number;
  hubs.push(floor);
  targets.push({ url: `http://127.0.0.1:${fp}/q1`, headers, body: JSON.stringify({ first: Number(process.env.DEVQ1_FIRST ?? 50) }) });
}
// DEVQ1_PEER=1: PostGraphile too (bench/peer, installed by `npm run bench` or `npm ci` there)
if (process.env.DEVQ1_PEER) {
  const peer = new Child("peer", join(here, "peer/server.mjs"), { env: { DATABASE_URL: url, DB_POOL_SIZE: "10", GRAPHILE_ENV: "production" }, cwd: join(here, "peer") });
  const pp = (await peer.ready).port as number;
  const { PEER_Q1 } = await import("./servers/peer-query.js");
  hubs.push(peer);
  targets.push({ url: `http://127.0.0.1:${pp}/graphql`, headers: { "x-bench-org": organisationId }, body: JSON.stringify({ query: PEER_Q1, variables: { first: Number(process.env.DEVQ1_FIRST ?? 50) } }) });
}
for (const t of targets) await load(t, { connections: 4, seconds: 4 });
const cpu: number[][] = targets.map(() => []);
const pgCpu: number[][] = targets.map(() => []);
const rounds = Number(process.env.DEVQ1_ROUNDS ?? 3);
for (let round = 0; round < rounds; round++) {
  for (const c of [1, 8]) {
    for (let i = 0; i < hubs.length; i++) {
      const before = (await hubs[i].call("cpu")).micros as number;
      const pgBefore = postgresCpuMs();
      // DEVQ1_HEAP=<file>: what this checkout's hub allocates in the first round at 8 connections (sampling heap profile)
      const heap = process.env.DEVQ1_HEAP && i === 0 && c === 8 && round === 0;
      if (heap) await hubs[i].call("heapStart");
      const r = await load(targets[i], { connections: c, seconds: 5 });
      if (heap) console.log(`allocation profile of ${r.requests} requests in ${(await hubs[i].call("heapStop", { file: process.env.DEVQ1_HEAP })).file as string}`);
      const after = (await hubs[i].call("cpu")).micros as number;
      const pg = (postgresCpuMs() - pgBefore) / r.requests;
      const ms = (after - before) / 1000 / r.requests;
      cpu[i].push(ms);
      pgCpu[i].push(pg);
      console.log(`${hubs[i].name.padEnd(4)} c=${c}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, CPU ${ms.toFixed(2)} ms/request (PostgreSQL ${pg.toFixed(2)}), failures ${r.failures}`);
    }
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
if (rounds > 0) console.log(hubs.map((h, i) => `${h.name}: median CPU ${med(cpu[i]).toFixed(2)} ms/request, PostgreSQL ${med(pgCpu[i]).toFixed(2)}`).join(", ") + (hubs.length > 1 ? `; this ÷ base ${(med(cpu[0]) / med(cpu[1])).toFixed(2)}` : ""));
await Promise.all(hubs.map((h) => h.stop()));
await embedded?.stop();
