/**
 * `npm run retention [-- --dry-run]`: one retention run now, against DATABASE_URL or the embedded
 * PostgreSQL in DATA_DIR (the hub must not be running on the same embedded cluster). Prints what
 * was erased per category (counts only). The same run as the schedule and `runRetention`.
 */
import "reflect-metadata";
import { loadConfig } from "../server/config.js";
import { createDataSource, runMigrations } from "../server/db/data-source.js";
import { startEmbeddedPostgres } from "../server/db/embedded.js";
import { runRetention } from "../server/modules/privacy/retention.js";

const dryRun = process.argv.includes("--dry-run");
const config = loadConfig();
const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT });
const ds = createDataSource(config.DATABASE_URL ?? embedded!.url, 2);
try {
  await ds.initialize();
  await runMigrations(ds);
  const result = await runRetention(ds, config, { dryRun, trigger: "CLI" });
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
} finally {
  await ds.destroy().catch(() => undefined);
  await embedded?.stop();
}
