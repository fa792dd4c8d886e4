import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ValueTransformer } from "typeorm";

/**
 * Encryption at rest of the most sensitive columns (issue 9, item 4): the BSN and the free texts
 * of the handover outcome, risk conclusions, meeting minutes and signals.
 *
 * - AES-256-GCM (node:crypto), a random 96-bit IV per value, a 128-bit auth tag; the additional
 *   authenticated data binds the value to its key id and column (`enc:v1:<keyId>:<table.column>`),
 *   so a ciphertext moved to another column or relabelled with another key id fails to decrypt.
 * - Stored as a self-describing text envelope in the existing text columns:
 *   `enc:v1:<keyId>:<base64url(iv ‖ tag ‖ ciphertext)>`.
 * - A key ring: every key decrypts, the current one encrypts. Rotation = a new current key id,
 *   then `npm run rotate-keys` rewrites old values under it, then the old key can go.
 * - The BSN is found through `bsn_hash` = HMAC-SHA256(BSN_HASH_KEY, bsn) (hex), which carries the
 *   unique index; the hash key is separate from the encryption keys and does not rotate with them.
 *
 * One key ring per process (TypeORM's column transformers are static): `installKeyRing` at
 * start-up (server/app.ts, scripts, the test set-up) before any read or write.
 * Errors never carry a value (plain or encrypted): only a stable code and the key id.
 */

export const ENVELOPE_PREFIX = "enc:v1:";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type FieldCryptoCode = "KEY_UNAVAILABLE" | "DECRYPTION_FAILED" | "ENCRYPTION_NOT_CONFIGURED";

/** A value cannot be decrypted (unknown key id, tampered or malformed envelope). Never holds the value. */
export class FieldCryptoError extends Error {
  override name = "FieldCryptoError";
  constructor(
    readonly code: FieldCryptoCode,
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
  }
}

export interface KeyRing {
  /** Key id new values are encrypted under. */
  currentId: string;
  keys: ReadonlyMap<string, KeyObject>;
  /** HMAC key of bsn_hash. */
  bsnHashKey: KeyObject;
}

/** Every encrypted column (the persistence layer's contract; raw SQL readers and the rotation job use it). */
export const ENCRYPTED_COLUMNS = [
  { table: "family_member", column: "bsn" },
  { table: "handover", column: "outcome" },
  { table: "risk_assessment", column: "conclusion" },
  { table: "meeting", column: "minutes" },
  { table: "signal", column: "description" },
  { table: "signal", column: "acknowledgement_note" },
] as const;

const ENCRYPTED_BY_TABLE = new Map<string, string[]>();
for (const { table, column } of ENCRYPTED_COLUMNS) ENCRYPTED_BY_TABLE.set(table, [...(ENCRYPTED_BY_TABLE.get(table) ?? []), column]);

// ------------------------------------------------------------------------------------------
// the key ring

function decodeKey(text: string, what: string, min = 32, max = 32): Buffer {
  const raw = Buffer.from(text.trim(), /[-_]/.test(text) ? "base64url" : "base64");
  if (raw.length < min || raw.length > max) throw new Error(`${what} must be ${min === max ? min : `${min}–${max}`} bytes, base64`);
  return raw;
}

/**
 * Builds a ring from configuration text: `keys` = "id:base64,id:base64" (32-byte AES-256 keys),
 * `currentId` (default: the only key), `bsnHashKey` base64 (32–64 bytes). Messages name the
 * variable, never a key.
 */
export function parseKeyRing(keys: string, currentId: string | undefined, bsnHashKey: string): KeyRing {
  const map = new Map<string, KeyObject>();
  for (const part of keys.split(",").map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(":");
    const id = i > 0 ? part.slice(0, i) : "";
    if (!KEY_ID.test(id)) throw new Error("ENCRYPTION_KEYS: each entry is <keyId>:<base64 key>, keyId of letters, digits, - or _ (1–32)");
    if (map.has(id)) throw new Error(`ENCRYPTION_KEYS: key id ${id} appears twice`);
    map.set(id, createSecretKey(decodeKey(part.slice(i + 1), `ENCRYPTION_KEYS: key ${id}`)));
  }
  if (map.size === 0) throw new Error("ENCRYPTION_KEYS: no key");
  const current = currentId ?? (map.size === 1 ? [...map.keys()][0] : undefined);
  if (!current) throw new Error("ENCRYPTION_KEY_ID is required when ENCRYPTION_KEYS holds more than one key");
  if (!map.has(current)) throw new Error(`ENCRYPTION_KEY_ID ${current} is not in ENCRYPTION_KEYS`);
  return { currentId: current, keys: map, bsnHashKey: createSecretKey(decodeKey(bsnHashKey, "BSN_HASH_KEY", 32, 64)) };
}

export interface KeyConfig {
  NODE_ENV: string;
  dataDir: string;
  ENCRYPTION_KEYS?: string;
  ENCRYPTION_KEY_ID?: string;
  BSN_HASH_KEY?: string;
}

export const DEV_KEY_FILE = "dev-field-keys.json";

/**
 * The ring from configuration; without ENCRYPTION_KEYS (development and tests only — config.ts
 * refuses production without it) a key generated once into `<DATA_DIR>/dev-field-keys.json`
 * (mode 0600, never committed, like the development signing key), so data survives restarts.
 */
export async function loadKeyRing(config: KeyConfig): Promise<KeyRing> {
  if (config.ENCRYPTION_KEYS) return parseKeyRing(config.ENCRYPTION_KEYS, config.ENCRYPTION_KEY_ID, config.BSN_HASH_KEY ?? "");
  if (config.NODE_ENV === "production") throw new Error("production needs ENCRYPTION_KEYS and BSN_HASH_KEY");
  const file = join(config.dataDir, DEV_KEY_FILE);
  if (!existsSync(file)) {
    await mkdir(config.dataDir, { recursive: true });
    // a key id of its own (dev-<random>): an instance started with another DATA_DIR against the
    // same database reads the first one's values as KEY_UNAVAILABLE, not as tampered data
    const id = `dev-${randomBytes(4).toString("hex")}`;
    const content = { keys: `${id}:${randomBytes(32).toString("base64")}`, currentId: id, bsnHashKey: randomBytes(32).toString("base64") };
    try {
      await writeFile(file, JSON.stringify(content), { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err; // another process won the race
    }
  }
  const f = JSON.parse(await readFile(file, "utf8")) as { keys: string; currentId: string; bsnHashKey: string };
  return parseKeyRing(f.keys, config.ENCRYPTION_KEY_ID ?? f.currentId, f.bsnHashKey);
}

let installed: KeyRing | undefined;

/** Makes `ring` the process's key ring (the column transformers and raw-SQL helpers use it). */
export function installKeyRing(ring: KeyRing): void {
  installed = ring;
}

export function hasKeyRing(): boolean {
  return installed !== undefined;
}

export function keyRing(): KeyRing {
  if (!installed) throw new FieldCryptoError("ENCRYPTION_NOT_CONFIGURED", "field encryption has no key ring (installKeyRing was not called)");
  return installed;
}

// ------------------------------------------------------------------------------------------
// values

const aadCache = new Map<string, Buffer>();
function aad(keyId: string, field: string): Buffer {
  const k = `${keyId}:${field}`;
  let b = aadCache.get(k);
  if (!b) aadCache.set(k, (b = Buffer.from(`${ENVELOPE_PREFIX}${k}`, "utf8")));
  return b;
}

/** True when `v` is stored as an envelope (any key id). */
export function isEnvelope(v: unknown): v is string {
  return typeof v === "string" && v.startsWith(ENVELOPE_PREFIX);
}

/** The key id of an envelope (undefined for anything else). */
export function envelopeKeyId(v: unknown): string | undefined {
  if (!isEnvelope(v)) return undefined;
  const rest = v.slice(ENVELOPE_PREFIX.length);
  const i = rest.indexOf(":");
  return i > 0 ? rest.slice(0, i) : undefined;
}

/** Encrypts `plain` for column `field` ("table.column") under the ring's current key. */
export function encryptValue(plain: string, field: string, ring: KeyRing = keyRing()): string {
  const keyId = ring.currentId;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ring.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(keyId, field));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${ENVELOPE_PREFIX}${keyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

/**
 * Decrypts a stored value of column `field`. A value without the envelope prefix is returned as
 * it is: plaintext written before encryption existed (or by hand); start-up encrypts those
 * (`encryptPlaintext`), so none remains once the hub serves. An envelope whose key is not in the
 * ring → KEY_UNAVAILABLE; a tampered or malformed one → DECRYPTION_FAILED.
 */
export function decryptValue(stored: string, field: string, ring: KeyRing = keyRing()): string {
  if (!isEnvelope(stored)) return stored;
  const rest = stored.slice(ENVELOPE_PREFIX.length);
  const i = rest.indexOf(":");
  const keyId = i > 0 ? rest.slice(0, i) : "";
  if (!KEY_ID.test(keyId)) throw new FieldCryptoError("DECRYPTION_FAILED", `a stored value of ${field} is malformed`);
  const key = ring.keys.get(keyId);
  if (!key) throw new FieldCryptoError("KEY_UNAVAILABLE", `a stored value of ${field} is encrypted under key ${keyId}, which is not configured`, keyId);
  const raw = Buffer.from(rest.slice(i + 1), "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new FieldCryptoError("DECRYPTION_FAILED", `a stored value of ${field} is malformed`, keyId);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(keyId, field));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new FieldCryptoError("DECRYPTION_FAILED", `a stored value of ${field} failed authentication (tampered, or another key under the same id)`, keyId);
  }
}

/** The lookup hash of a BSN: HMAC-SHA256 under the ring's BSN hash key, hex. */
export function bsnHash(bsn: string, ring: KeyRing = keyRing()): string {
  return createHmac("sha256", ring.bsnHashKey).update(bsn, "utf8").digest("hex");
}

/**
 * The TypeORM column transformer of an encrypted text column (`field` = "table.column"):
 * encrypts on every write (INSERT, save, QueryBuilder UPDATE), decrypts on every entity read.
 * Raw SQL bypasses it: use encryptRow / decryptRow there.
 */
export function encryptedColumn(field: `${string}.${string}`): ValueTransformer {
  return {
    to: (v: unknown) => (typeof v === "string" ? encryptValue(v, field) : v),
    from: (v: unknown) => (typeof v === "string" ? decryptValue(v, field) : v),
  };
}

/** A row for raw INSERT/UPDATE of `table` (snake_case keys) with its encrypted columns encrypted, and bsn_hash set. */
export function encryptRow<T extends Record<string, unknown>>(table: string, row: T): T & { bsn_hash?: string } {
  const cols = ENCRYPTED_BY_TABLE.get(table);
  if (!cols) return row;
  const out: Record<string, unknown> = { ...row };
  for (const c of cols) if (typeof out[c] === "string" && !isEnvelope(out[c])) out[c] = encryptValue(out[c] as string, `${table}.${c}`);
  if (table === "family_member" && typeof row.bsn === "string" && !isEnvelope(row.bsn)) out.bsn_hash = bsnHash(row.bsn);
  return out as T;
}

/** A row read with raw SQL from `table` (snake_case keys) with its encrypted columns decrypted. */
export function decryptRow<T extends Record<string, unknown>>(table: string, row: T): T {
  const cols = ENCRYPTED_BY_TABLE.get(table);
  if (!cols) return row;
  const out: Record<string, unknown> = { ...row };
  for (const c of cols) if (typeof out[c] === "string") out[c] = decryptValue(out[c] as string, `${table}.${c}`);
  return out as T;
}
