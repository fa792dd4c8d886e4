import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../server/db/embedded.js";
import { createDataSource, runMigrations } from "../../server/db/data-source.js";
import { freePort } from "./ports.js";

export interface BenchDatabase {
  url: string;
  /** a scratch directory (dev signing key, logs) removed at the end */
  dir: string;
  drop(): Promise<void>;
}

/**
 * The benchmark's own database, migrated with the project's migrations: with DATABASE_URL a
 * throwaway database on that server (dropped afterwards), else an embedded PostgreSQL in a
 * temporary directory (removed afterwards). 127.0.0.1 only.
 */
export async function createBenchDatabase(log: (m: string) => void): Promise<BenchDatabase> {
  const dir = await mkdtemp(join(tmpdir(), "ketenhub-bench-"));
  await chmod(dir, 0o755); // the embedded cluster runs as the postgres user when we are root
  let url: string;
  let stop: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const name = `ketenhub_bench_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    log(`database: throwaway ${name} on DATABASE_URL's server`);
    stop = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const port = await freePort();
    // BENCH_PG_LOG=<file>: the embedded server's log lines go there (a developer's knob, e.g.
    // with BENCH_PG_SETTINGS="log_min_duration_statement=50;log_lock_waits=on;deadlock_timeout=20ms")
    const pgLog = process.env.BENCH_PG_LOG;
    const embedded = await startEmbeddedPostgres({ dataDir: join(dir, "db"), port, onLog: pgLog ? (m) => appendFileSync(pgLog, m.endsWith("\n") ? m : m + "\n") : undefined });
    url = embedded.url;
    for (const setting of process.env.BENCH_PG_SETTINGS?.split(";").filter(Boolean) ?? []) {
      const eq = setting.indexOf("=");
      const [name, value] = [setting.slice(0, eq), setting.slice(eq + 1)];
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`ALTER SYSTEM SET ${pg.escapeIdentifier(name.trim())} = ${pg.escapeLiteral(value.trim())}`);
      await c.query("SELECT pg_reload_conf()");
      await c.end();
    }
    log(`database: embedded PostgreSQL on 127.0.0.1:${port} in ${dir}`);
    stop = () => embedded.stop();
  }
  const ds = createDataSource(url, 2);
  await ds.initialize();
  await runMigrations(ds);
  await ds.destroy();
  let dropped: Promise<void> | undefined;
  return {
    url,
    dir,
    drop: () =>
      (dropped ??= (async () => {
        await stop().catch((e: unknown) => log(`database stop failed: ${(e as Error).message}`));
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
