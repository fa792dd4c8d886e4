/**
 * `npm run rotate-keys [-- --rehash] [-- --batch 500]`: re-encrypts every value of the encrypted
 * columns that is not under the current key (ENCRYPTION_KEY_ID) — and any plaintext left — in
 * batches, against DATABASE_URL or the embedded PostgreSQL in DATA_DIR (the hub must not be
 * running on the same embedded cluster; against an external database it may, every update is
 * compare-and-set). Idempotent: a second run rewrites nothing. `--rehash` recomputes every
 * bsn_hash (after changing BSN_HASH_KEY). Prints counts per column and the key ids still in
 * use afterwards — never a value. Rotation procedure: README "Encryption at rest".
 */
import "reflect-metadata";
import { loadConfig } from "../server/config.js";
import { installKeyRing, loadKeyRing } from "../server/crypto/field-crypto.js";
import { keyUsage, reencrypt } from "../server/crypto/reencrypt.js";
import { createDataSource, runMigrations } from "../server/db/data-source.js";
import { startEmbeddedPostgres } from "../server/db/embedded.js";

const args = process.argv.slice(2);
const rehash = args.includes("--rehash");
const batchArg = args.indexOf("--batch");
const batchSize = batchArg >= 0 ? Number(args[batchArg + 1]) : 500;
if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error("--batch must be a positive whole number");

const config = loadConfig();
const ring = await loadKeyRing(config);
installKeyRing(ring);
const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT });
const ds = createDataSource(config.DATABASE_URL ?? embedded!.url, 2);
try {
  await ds.initialize();
  await runMigrations(ds);
  const started = Date.now();
  const rewritten = await reencrypt(ds, { rehash, batchSize, ring });
  const usage = await keyUsage(ds);
  process.stdout.write(JSON.stringify({ currentKeyId: ring.currentId, rehash, rewritten, keysInUse: usage, ms: Date.now() - started }, null, 2) + "\n");
} catch (err) {
  // a FieldCryptoError names the column and key id only
  process.stderr.write(`rotate-keys failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await ds.destroy().catch(() => undefined);
  await embedded?.stop();
}
