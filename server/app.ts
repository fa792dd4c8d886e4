import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig, type Config } from "./config.js";
import { createTokenVerifier } from "./auth/tokens.js";
import { createLogger, type Logger } from "./common/logger.js";
import { createDataSource, runMigrations } from "./db/data-source.js";
import { installKeyRing, loadKeyRing } from "./crypto/field-crypto.js";
import { encryptPlaintext } from "./crypto/reencrypt.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./db/embedded.js";
import { usePreparedStatements } from "./db/prepared.js";
import { seedDemoIfEmpty } from "./db/seed/demo.js";
import { createHttpApp } from "./http.js";
import { createSchema } from "./schema.js";
import type { AppDeps } from "./context.js";
import { Dispatcher } from "./realtime/dispatcher.js";
import { createPostgresBus, createRedisBus, type Bus } from "./realtime/bus.js";
import type { AfterCommit } from "./db/tx.js";
import { attachWebSocket } from "./realtime/ws.js";
import { createRateLimiter } from "./security/rate-limit.js";
import { Metrics } from "./ops/metrics.js";
import { scheduleRetention } from "./modules/privacy/retention.js";
import { createTracing } from "./ops/tracing.js";
import { startWorklistJob } from "./modules/indicators/worklist.job.js";

export interface RunningHub {
  url: string;
  port: number;
  server: Server;
  deps: AppDeps;
  log: Logger;
  stop(): Promise<void>;
}

/**
 * config → database (embedded or DATABASE_URL) → migrations → demo seed → schema → HTTP.
 * Used by main.ts and by the tests (in-process, port 0).
 */
export async function startHub(config: Config = loadConfig(), log: Logger = createLogger(config.LOG_LEVEL)): Promise<RunningHub> {
  // the key ring first: every read and write of an encrypted column needs it (one per process)
  installKeyRing(await loadKeyRing(config));
  usePreparedStatements(config.DB_PREPARED_STATEMENTS === "on");
  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    log.info({ dataDir: config.dataDir }, "starting embedded PostgreSQL");
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT });
    url = embedded.url;
  }
  const ds = createDataSource(url, config.DB_POOL_SIZE);
  try {
    await ds.initialize();
    await runMigrations(ds);
    // values written before encryption (migration 0009) or by hand: encrypted before serving
    const encrypted = (await encryptPlaintext(ds)).filter((c) => c.rewritten > 0);
    if (encrypted.length > 0) log.info({ encrypted }, "encrypted plaintext values at rest");
    if (config.SEED_DEMO === "auto") {
      const seeded = await seedDemoIfEmpty(ds);
      if (seeded) log.info("loaded the demo network into the empty database");
    }
  } catch (err) {
    await ds.destroy().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw err;
  }

  // Realtime: after each commit, wake this instance's dispatcher at once and the others via the bus.
  const dispatcher = new Dispatcher(ds, log);
  let bus: Bus | undefined;
  // A write that sent the NOTIFY in its own statement (PostgreSQL bus) passes `notified`.
  const afterCommit: AfterCommit = (changes, opts) => {
    dispatcher.committed(changes);
    const last = changes.at(-1)?.id;
    if (last !== undefined && !opts?.notified) bus?.publish(last);
  };
  const deps: AppDeps = { config, ds, dispatcher, afterCommit };
  deps.rateLimiter = await createRateLimiter({
    perUser: config.RATE_LIMIT_USER,
    perOrganisation: config.RATE_LIMIT_ORGANISATION,
    redisUrl: config.REDIS_URL,
  });
  deps.metrics = new Metrics(ds, dispatcher);
  deps.tracing = createTracing(config);
  await dispatcher.start();
  // this instance on the bus: it ignores its own messages (its commits reach its dispatcher above)
  const source = randomUUID().slice(0, 8);
  bus = config.REDIS_URL
    ? await createRedisBus(config.REDIS_URL, source, (upTo) => dispatcher.wake(upTo), log)
    : await createPostgresBus(url, source, (upTo) => dispatcher.wake(upTo), log);
  deps.metrics.attachBus(bus);
  afterCommit.notifyChannel = bus.notifyChannel;
  afterCommit.notifySource = source;
  const schema = await createSchema();
  const verify = await createTokenVerifier(config);
  const { server, apollo } = await createHttpApp(deps, schema, verify, log);
  const ws = attachWebSocket(server, deps, schema, verify, log);
  const stopWorklistJob = startWorklistJob(deps, log);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject); // EADDRINUSE must fail start-up
    server.listen(config.PORT, config.HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const stopRetention = scheduleRetention(ds, config, (err) => log.error({ err: (err as Error).name }, "scheduled retention run failed"));
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, "ketenhub listening");

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    server,
    deps,
    log,
    stop: () =>
      (stopping ??= (async () => {
        // The shutdown order (each step finishes before the next):
        // 1. not ready (load balancers stop sending), WebSocket clients are told to reconnect
        //    (1012) and resume from their feed id; new sockets are turned away the same way;
        deps.draining = true;
        stopRetention();
        await stopWorklistJob();
        await ws.close();
        dispatcher.stop();
        // 2. stop accepting connections and let in-flight HTTP requests finish (their
        //    transactions and access-log entries commit) — Apollo's drain plugin owns server.close;
        await apollo.stop();
        // 3. then the bus, the rate limiter, the pool, and last the embedded PostgreSQL.
        await bus?.close();
        await deps.rateLimiter?.close();
        await deps.tracing?.shutdown().catch(() => undefined); // flushes the last spans
        await ds.destroy();
        await embedded?.stop();
        log.info("ketenhub stopped");
      })()),
  };
}
