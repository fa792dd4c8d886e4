/**
 * The hub under test, in its own process: server/app.ts startHub exactly as main.ts runs it
 * (real tokens, access checks, access log, outbox, live updates), against the bench database.
 * Counts the SQL statements it sends (a wrapper on pg's Client.query) for the per-request figures.
 */
import "reflect-metadata";
import { Session } from "node:inspector/promises";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import pg from "pg";
import { loadConfig } from "../../server/config.js";
import { createLogger } from "../../server/common/logger.js";
import { startHub } from "../../server/app.js";
import { fatal, serve } from "../lib/proc.js";

let statements = 0;
let heap: Session | undefined;
let recent: string[] = [];
const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: unknown, ...args: unknown[]) {
  statements++;
  const q = args[0] as string | { text?: string };
  if (recent.length < 200) {
    const text = (typeof q === "string" ? q : (q?.text ?? "?")).replace(/\s+/g, " ");
    // BENCH_SQL_FULL=1 (a developer's knob): the whole statement and its parameters, for EXPLAIN
    const values = typeof q === "string" ? args[1] : (q as { values?: unknown })?.values;
    recent.push(process.env.BENCH_SQL_FULL ? `${text}\n    -- ${JSON.stringify(values)}` : text.slice(0, 120));
  }
  return original.apply(this, args);
};

try {
  // The process runs with NODE_ENV=production, as a deployed hub does, so the libraries take
  // their production paths (graphql-js skips its development-mode checks on every type test);
  // the hub's own configuration is HUB_CONFIG_ENV (test: development keys, no OIDC issuer).
  const config = loadConfig({ ...process.env, NODE_ENV: process.env.HUB_CONFIG_ENV ?? process.env.NODE_ENV });
  const hub = await startHub(config, createLogger(config.LOG_LEVEL));
  serve({
    sql: () => {
      const out = { statements, recent };
      recent = [];
      return out;
    },
    cpu: () => {
      const u = process.cpuUsage();
      return { micros: u.user + u.system, system: u.system };
    },
    rss: () => {
      (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      return { rss: m.rss, heap: m.heapUsed };
    },
    // BENCH_HEAP_PROFILE: V8's sampling heap profiler over a window (S1's hub rounds), counting
    // what was allocated there whether or not it was collected since: where the GC's work comes from
    heapStart: async () => {
      heap ??= new Session();
      heap.connect();
      await heap.post("HeapProfiler.startSampling", { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    },
    heapStop: async (m) => {
      const { profile } = await heap!.post("HeapProfiler.stopSampling");
      mkdirSync(dirname(String(m.file)), { recursive: true });
      writeFileSync(String(m.file), JSON.stringify(profile));
      heap!.disconnect();
      return { file: m.file };
    },
    subscriptions: () => ({ subscriptions: hub.deps.dispatcher?.subscriptions ?? 0, dispatchedUpTo: hub.deps.dispatcher?.dispatchedUpTo ?? 0 }),
  });
  const stop = () => void hub.stop().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.send?.({ type: "ready", port: hub.port });
} catch (err) {
  fatal(err);
}
