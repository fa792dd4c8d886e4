import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export interface OwnDatabase {
  url: string;
  /** a small pool on it, for the test's own SQL */
  pool: pg.Pool;
  /** ends the pool and drops the database (forced: the hub under test may still hold connections) */
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject("databaseUrl") });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A database of the test file's own on the run's PostgreSQL server, for tests that rewrite or
 * alter what every other file shares (key rotation, retention, DDL). The hub started on it runs
 * the migrations.
 */
export async function ownDatabase(prefix: string, poolSize = 3): Promise<OwnDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(inject("databaseUrl"));
  u.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: u.toString(), max: poolSize });
  // pool.end() resolves before its sockets have closed; the forced DROP may then terminate one
  // (57P01): teardown noise, not a test result
  pool.on("error", () => undefined);
  return {
    url: u.toString(),
    pool,
    drop: async () => {
      await pool.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
