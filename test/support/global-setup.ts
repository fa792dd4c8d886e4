import "reflect-metadata";
import { mkdtemp, rm, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/db/embedded.js";
import { createDataSource, runMigrations } from "../../server/db/data-source.js";
import { seedDemoIfEmpty } from "../../server/db/seed/demo.js";
import { installKeyRing, loadKeyRing } from "../../server/crypto/field-crypto.js";
import { freePort } from "./ports.js";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    dataDir: string;
    /** The feed position right after the seed: every change event a test causes is above it. */
    seedFeedHead: number;
  }
}

/**
 * One real PostgreSQL for the whole run, migrated and seeded with the demo network once:
 * - with DATABASE_URL: a throwaway database on that server, dropped afterwards;
 * - without: an embedded PostgreSQL in a temporary directory, removed afterwards.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), "ketenhub-test-"));
  await chmod(dataDir, 0o755); // the embedded cluster runs as the postgres user when we are root
  let embedded: EmbeddedDatabase | undefined;
  let url: string;
  let dropDb: (() => Promise<void>) | undefined;

  if (process.env.DATABASE_URL) {
    const name = `ketenhub_test_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, "db"), port: await freePort() });
    url = embedded.url;
  }

  // the seed encrypts under the run's development key (kept in dataDir; every test hub loads it)
  installKeyRing(await loadKeyRing({ NODE_ENV: "test", dataDir }));
  const ds = createDataSource(url, 2);
  await ds.initialize();
  await runMigrations(ds);
  await seedDemoIfEmpty(ds);
  const [head] = (await ds.query("SELECT last_id FROM feed_head WHERE id = 1")) as { last_id: string }[];
  await ds.destroy();

  project.provide("databaseUrl", url);
  project.provide("seedFeedHead", Number(head.last_id));
  project.provide("dataDir", dataDir);

  return async () => {
    await dropDb?.();
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
