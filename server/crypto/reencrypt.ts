import type { DataSource } from "typeorm";
import { bsnHash, decryptValue, encryptValue, ENCRYPTED_COLUMNS, ENVELOPE_PREFIX, keyRing, type KeyRing } from "./field-crypto.js";

/**
 * Rewrites stored values of the encrypted columns, in batches, each batch one UPDATE:
 * - `encryptPlaintext`: values without an envelope (rows from before migration 0009, or written
 *   by hand) are encrypted, and bsn_hash is filled where missing. Run at every start-up after
 *   the migrations; idempotent (a second run finds nothing).
 * - `reencrypt` (npm run rotate-keys): additionally every envelope under a key other than the
 *   ring's current one is decrypted and encrypted under the current key, so the old key can be
 *   retired; with `rehash`, bsn_hash is recomputed for every BSN (after changing BSN_HASH_KEY).
 * Each UPDATE only replaces a value that is still the one read (compare-and-set), so a
 * concurrent write by the hub is never overwritten; rows are not versioned or announced (the
 * content does not change). Counts only: never a value in the result, logs or errors.
 */
export interface ReencryptCount {
  table: string;
  column: string;
  rewritten: number;
}

interface Options {
  /** also envelopes under non-current keys (rotation) */
  rotate: boolean;
  /** recompute bsn_hash of every BSN */
  rehash?: boolean;
  batchSize?: number;
  ring?: KeyRing;
}

async function run(ds: DataSource, opts: Options): Promise<ReencryptCount[]> {
  const ring = opts.ring ?? keyRing();
  const batch = opts.batchSize ?? 500;
  const current = `${ENVELOPE_PREFIX}${ring.currentId}:`;
  const out: ReencryptCount[] = [];
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    const field = `${table}.${column}`;
    const isBsn = table === "family_member" && column === "bsn";
    // which rows need work: plaintext; (rotate) other keys; (bsn) a missing hash, or (rehash) every one
    const needs = [
      `${column} NOT LIKE '${ENVELOPE_PREFIX}%'`,
      ...(opts.rotate ? [`${column} NOT LIKE $2`] : []),
      ...(isBsn ? [opts.rehash ? "true" : "bsn_hash IS NULL"] : []),
    ].join(" OR ");
    let rewritten = 0;
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const params: unknown[] = [after, ...(opts.rotate ? [`${current}%`] : [])];
      const rows = (await ds.query(
        `SELECT id, ${column} AS v FROM ${table} WHERE id > $1 AND ${column} IS NOT NULL AND (${needs}) ORDER BY id LIMIT ${batch}`,
        params,
      )) as { id: string; v: string }[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      const ids: string[] = [];
      const olds: string[] = [];
      const news: string[] = [];
      const hashes: string[] = [];
      for (const r of rows) {
        const plain = decryptValue(r.v, field, ring);
        const keep = r.v.startsWith(current);
        ids.push(r.id);
        olds.push(r.v);
        news.push(keep ? r.v : encryptValue(plain, field, ring));
        if (isBsn) hashes.push(bsnHash(plain, ring));
      }
      const res = (await ds.query(
        `UPDATE ${table} t SET ${column} = v.new${isBsn ? ", bsn_hash = v.hash" : ""}
           FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS old, unnest($3::text[]) AS new${isBsn ? ", unnest($4::text[]) AS hash" : ""}) v
          WHERE t.id = v.id AND t.${column} = v.old`,
        isBsn ? [ids, olds, news, hashes] : [ids, olds, news],
      )) as [unknown, number];
      rewritten += res[1];
      if (rows.length < batch) break;
    }
    out.push({ table, column, rewritten });
  }
  return out;
}

/** Encrypts every plaintext value still present and fills missing BSN hashes (start-up; idempotent). */
export function encryptPlaintext(ds: DataSource, ring?: KeyRing): Promise<ReencryptCount[]> {
  return run(ds, { rotate: false, ring });
}

/** Rewrites every value not under the ring's current key (key rotation; idempotent). */
export function reencrypt(ds: DataSource, opts: { rehash?: boolean; batchSize?: number; ring?: KeyRing } = {}): Promise<ReencryptCount[]> {
  return run(ds, { rotate: true, ...opts });
}

/** Values per key id (and plaintext) in every encrypted column: what still needs a key before it is retired. */
export async function keyUsage(ds: DataSource): Promise<{ table: string; column: string; keyId: string | null; values: number }[]> {
  const parts = ENCRYPTED_COLUMNS.map(
    ({ table, column }) =>
      `SELECT '${table}' AS "table", '${column}' AS "column",
              CASE WHEN ${column} LIKE '${ENVELOPE_PREFIX}%' THEN split_part(${column}, ':', 3) END AS "keyId", count(*)::int AS values
         FROM ${table} WHERE ${column} IS NOT NULL GROUP BY 3`,
  );
  return (await ds.query(parts.join(" UNION ALL ") + ` ORDER BY 1, 2, 3`)) as { table: string; column: string; keyId: string | null; values: number }[];
}
