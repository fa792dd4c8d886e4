import { createHash, createHmac, randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, orgId, ORGS } from "./support/fixtures.js";
import { ownDatabase, type OwnDatabase } from "./support/own-database.js";
import { createLogger } from "../server/common/logger.js";
import { ConfigError, loadConfig } from "../server/config.js";
import { decryptValue, ENCRYPTED_COLUMNS, envelopeKeyId, parseKeyRing } from "../server/crypto/field-crypto.js";
import { encryptPlaintext, keyUsage, reencrypt } from "../server/crypto/reencrypt.js";

/**
 * Issue 9, item 4: encryption at rest of the BSN and the most sensitive free texts, key
 * rotation, lookup by BSN through the keyed hash, and no BSN in logs, errors or metrics.
 * Rotation rewrites every value of the database: so this file runs against its OWN database
 * (on the run's PostgreSQL server), with its own configured keys, and restarts its hub with
 * other key rings.
 */
let own: OwnDatabase;
let url: string;
let pool: pg.Pool;
let t: TestHub;
let logs = "";
const key = () => randomBytes(32).toString("base64");
const KA = key();
const KB = key();
const HASH = key();
const ringA = { ENCRYPTION_KEYS: `a:${KA}`, ENCRYPTION_KEY_ID: "a", BSN_HASH_KEY: HASH };
const ringAB = { ENCRYPTION_KEYS: `a:${KA},b:${KB}`, ENCRYPTION_KEY_ID: "b", BSN_HASH_KEY: HASH };
const ringB = { ENCRYPTION_KEYS: `b:${KB}`, BSN_HASH_KEY: HASH };

/** A random BSN passing the 11-proef. */
function validBsn(): string {
  for (;;) {
    const d = Array.from({ length: 8 }, () => Math.floor(Math.random() * 10));
    if (d[0] === 0) continue;
    const check = d.reduce((s, x, i) => s + x * (9 - i), 0) % 11;
    if (check < 10) return [...d, check].join("");
  }
}

const sink = new Writable({
  write(chunk, _enc, done) {
    logs += String(chunk);
    done();
  },
});
const start = (ring: Record<string, string>) => startTestHub({ DATABASE_URL: url, SEED_DEMO: "auto", LOG_LEVEL: "debug", ...ring }, { log: createLogger("debug", sink) });

const MARK = randomBytes(6).toString("hex"); // makes every free text of this file unique
const TEXT = {
  outcome: `Onderzoek afgerond ${MARK}: partnergeweld vastgesteld, kinderen getuige.`,
  conclusion: `Gewogen conclusie ${MARK}: hoog risico zolang vader thuis woont.`,
  description: `Signaal ${MARK}: kind kwam met blauwe plekken op school.`,
  note: `Opgepakt ${MARK}: besproken met moeder.`,
  minutes: `Verslag ${MARK}: veiligheid besproken, afspraken aangescherpt.`,
};
const BSN = validBsn();
const FAMILY = `Gezin ${randomBytes(3).toString("hex")}`; // names are not encrypted (identity), so not marked
const ids: Record<string, string> = {};

const HAND_OVER = `mutation($input: HandOverCaseInput!) { handOverCase(input: $input) { id family { members { id bsn } } handover { id outcome } } }`;
const CASE_Q = `query($id: ID!) { case(id: $id) { id family { members { id bsn } } handover { outcome }
  riskAssessments { id conclusion } signals { id description acknowledgementNote } meetings { id minutes } } }`;
const REPORT = `mutation($input: ReportSignalInput!) { reportSignal(input: $input) { id description } }`;
const BY_BSN = `query($bsn: String!) { casesByBsn(bsn: $bsn) { id family { members { bsn } } } }`;
const today = new Date().toISOString().slice(0, 10);

function handOver(bsn: string, outcome = TEXT.outcome) {
  return {
    input: {
      family: { name: FAMILY, hasChildren: false, members: [{ kind: "ADULT", givenName: "Eva", familyName: "Test", birthDate: "1990-02-03", bsn }] },
      toOrganisationId: ids.swt,
      outcome,
    },
  };
}

/** Every encrypted value of the database, per column, with its key id. */
async function stored() {
  const out: { field: string; value: string }[] = [];
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    for (const r of (await pool.query(`SELECT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`)).rows) out.push({ field: `${table}.${column}`, value: r.v });
  }
  return out;
}

beforeAll(async () => {
  own = await ownDatabase("ketenhub_enc");
  ({ url, pool } = own);
  t = await start(ringA);
  ids.swt = await orgId(ORGS.swt, pool);
  ids.vlinder = await orgId(ORGS.vlinder, pool);

  // everything through the API: a handover with a BSN, a risk assessment, a signal and its
  // acknowledgement, a held meeting with minutes
  const h = (await t.ok(USERS.vt, HAND_OVER, handOver(BSN))).handOverCase;
  ids.handedOver = h.id;
  const fx = await createCase({ involve: ["vlinder"], regisseur: USERS.jansen, pool });
  ids.case = fx.caseId;
  ids.risk = (
    await t.ok(USERS.jansen, `mutation($input: RecordRiskAssessmentInput!) { recordRiskAssessment(input: $input) { id } }`, {
      input: { caseId: fx.caseId, instrument: "LIRIK", assessedOn: today, level: "HIGH", conclusion: TEXT.conclusion },
    })
  ).recordRiskAssessment.id;
  ids.signal = (await t.ok(USERS.vlinder, REPORT, { input: { caseId: fx.caseId, observedOn: today, description: TEXT.description } })).reportSignal.id;
  await t.ok(USERS.jansen, `mutation($input: AcknowledgeSignalInput!) { acknowledgeSignal(input: $input) { id } }`, { input: { id: ids.signal, note: TEXT.note } });
  const m = (
    await t.ok(USERS.jansen, `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`, {
      input: { caseId: fx.caseId, scheduledAt: new Date(Date.now() + 86_400_000).toISOString(), inviteeOrganisationIds: [ids.vlinder] },
    })
  ).scheduleMeeting;
  ids.meeting = m.id;
  await t.ok(USERS.jansen, `mutation($input: RecordMeetingOutcomeInput!) { recordMeetingOutcome(input: $input) { id } }`, {
    input: { id: m.id, version: 1, minutes: TEXT.minutes, decisions: [], changedAgreementIds: [] },
  });
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await own?.drop();
});

describe("encryption at rest", () => {
  it("stores no plaintext BSN or sensitive free text anywhere in the database (plain SQL over every table)", async () => {
    // the columns themselves: envelopes under the current key, never the text
    const row = async (sql: string, id: string) => (await pool.query(sql, [id])).rows[0];
    const member = await row("SELECT bsn, bsn_hash FROM family_member WHERE id = (SELECT m.id FROM family_member m JOIN case_file c ON c.family_id = m.family_id WHERE c.id = $1)", ids.handedOver);
    expect(member.bsn).toMatch(/^enc:v1:a:[A-Za-z0-9_-]+$/);
    expect(member.bsn_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await row("SELECT outcome FROM handover WHERE case_id = $1", ids.handedOver)).outcome).toMatch(/^enc:v1:a:/);
    expect((await row("SELECT conclusion FROM risk_assessment WHERE id = $1", ids.risk)).conclusion).toMatch(/^enc:v1:a:/);
    const s = await row("SELECT description, acknowledgement_note FROM signal WHERE id = $1", ids.signal);
    expect([envelopeKeyId(s.description), envelopeKeyId(s.acknowledgement_note)]).toEqual(["a", "a"]);
    expect((await row("SELECT minutes FROM meeting WHERE id = $1", ids.meeting)).minutes).toMatch(/^enc:v1:a:/);
    // the seeded demo network too: every value of every encrypted column is an envelope
    const all = await stored();
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((v) => envelopeKeyId(v.value) !== "a")).toEqual([]);
    // and nowhere else: not the outbox, not the access log, not any other table
    const tables = (await pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows.map((r) => r.tablename as string);
    expect(tables.length).toBeGreaterThan(20);
    for (const table of tables) {
      const hits = (await pool.query(`SELECT count(*)::int AS n FROM ${table} x WHERE x::text LIKE '%' || $1 || '%' OR x::text LIKE '%' || $2 || '%'`, [BSN, MARK])).rows[0].n;
      expect(hits, `${table} holds the BSN or a free text in plaintext`).toBe(0);
    }
  });

  it("authorised readers get the plaintext through the API", async () => {
    const h = (await t.ok(USERS.vt, CASE_Q, { id: ids.handedOver })).case;
    expect(h.family.members[0].bsn).toBe(BSN);
    expect(h.handover.outcome).toBe(TEXT.outcome);
    const c = (await t.ok(USERS.jansen, CASE_Q, { id: ids.case })).case;
    expect(c.riskAssessments.map((r: any) => r.conclusion)).toEqual([TEXT.conclusion]);
    expect(c.signals).toEqual([{ id: ids.signal, description: TEXT.description, acknowledgementNote: TEXT.note }]);
    expect(c.meetings).toEqual([{ id: ids.meeting, minutes: TEXT.minutes }]);
  });

  it("binds each value to its column: a ciphertext copied to another column does not decrypt", async () => {
    const { outcome } = (await pool.query("SELECT outcome FROM handover WHERE case_id = $1", [ids.handedOver])).rows[0];
    expect(decryptValue(outcome, "handover.outcome")).toBe(TEXT.outcome);
    expect(() => decryptValue(outcome, "signal.description")).toThrow(expect.objectContaining({ code: "DECRYPTION_FAILED" }));
  });
});

describe("lookup by BSN (keyed hash)", () => {
  it("Veilig Thuis finds the case it handed over; an unknown BSN finds nothing; roles without BSN access are refused", async () => {
    const found = (await t.ok(USERS.vt, BY_BSN, { bsn: BSN })).casesByBsn;
    expect(found).toEqual([{ id: ids.handedOver, family: { members: [{ bsn: BSN }] } }]);
    expect((await t.ok(USERS.vt, BY_BSN, { bsn: validBsn() })).casesByBsn).toEqual([]);
    for (const who of [USERS.vlinder, USERS.gp, USERS.fg, USERS.beleid]) {
      const r = await t.gql(who, BY_BSN, { bsn: BSN });
      expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(JSON.stringify(r)).not.toContain(BSN);
    }
    // a school involved in the case is refused too (above); so is a professional of an organisation that is not involved
    expect((await t.gql(USERS.ggz, BY_BSN, { bsn: BSN })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // the lookup is in the access log as a read of the BSN in that case
    const logged = await pool.query(`SELECT categories FROM access_log WHERE case_id = $1 AND email = $2 AND operation IS NOT NULL AND 'bsn' = ANY(categories)`, [ids.handedOver, USERS.vt]);
    expect(logged.rowCount).toBeGreaterThan(0);
  });

  it("never shows the BSN in errors, logs or metrics: bad 11-proef, malformed, duplicate (unique on the hash)", async () => {
    const bad = BSN.slice(0, 8) + String((Number(BSN[8]) + 1) % 10);
    for (const bsn of [bad, "12345", `${BSN}0`]) {
      const r = await t.gql(USERS.vt, BY_BSN, { bsn });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "bsn" });
      expect(JSON.stringify(r)).not.toContain(bsn);
      const h = await t.gql(USERS.vt, HAND_OVER, handOver(bsn));
      expect(h.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(h)).not.toContain(bsn);
    }
    // the same BSN again: the unique index on bsn_hash holds it, and says so without the number
    const dup = await t.gql(USERS.vt, HAND_OVER, handOver(BSN, "Tweede melding"));
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT" });
    expect(dup.errors?.[0]?.message).toBe("a person with this BSN is already registered");
    expect(JSON.stringify(dup)).not.toContain(BSN);
    // nothing half-written: still the one household of this name
    expect((await pool.query("SELECT count(*)::int AS n FROM family WHERE name = $1", [FAMILY])).rows[0].n).toBe(1);
    // the hub logged at debug level throughout: never the BSN (nor the bad ones), never a free text
    expect(logs).toMatch(/ketenhub listening/); // the capture works (the hub logs no line per request)
    for (const s of [BSN, bad, MARK]) expect(logs).not.toContain(s);
    const metrics = await (await fetch(t.url.replace(/\/graphql$/, "/metrics"))).text();
    expect(metrics).toMatch(/ketenhub|graphql/i);
    for (const s of [BSN, bad, MARK]) expect(metrics).not.toContain(s);
  });
});

describe("key rotation", () => {
  it("a new current key encrypts new values, old ones still read; rotate-keys rewrites them; the old key can then go", { timeout: 120_000 }, async () => {
    await t.stop();
    t = await start(ringAB);
    // old values still read
    const before = (await t.ok(USERS.jansen, CASE_Q, { id: ids.case })).case;
    expect(before.signals[0].description).toBe(TEXT.description);
    expect((await t.ok(USERS.vt, CASE_Q, { id: ids.handedOver })).case.family.members[0].bsn).toBe(BSN);
    // new values under b
    const fresh = (await t.ok(USERS.vlinder, REPORT, { input: { caseId: ids.case, observedOn: today, description: `Nieuw ${MARK}` } })).reportSignal;
    const row = (await pool.query("SELECT description FROM signal WHERE id = $1", [fresh.id])).rows[0];
    expect(envelopeKeyId(row.description)).toBe("b");
    expect((await t.ok(USERS.vt, BY_BSN, { bsn: BSN })).casesByBsn.map((c: any) => c.id)).toEqual([ids.handedOver]); // the hash key did not change

    // the re-encrypt job, as an operator runs it (its own process; the hub keeps running)
    const env = { ...process.env, NODE_ENV: "test", DATABASE_URL: url, DATA_DIR: inject("dataDir"), ...ringAB };
    const job = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, ["--import", "tsx", "scripts/rotate-keys.ts", "--batch", "7"], { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      p.stdout.on("data", (d) => (out += String(d)));
      p.stderr.on("data", (d) => (err += String(d)));
      p.on("exit", (code) => resolve({ code, out, err }));
    });
    expect(job.code, job.err).toBe(0);
    const report = JSON.parse(job.out);
    const total = report.rewritten.reduce((n: number, c: any) => n + c.rewritten, 0);
    expect(total).toBe((await stored()).length - 1); // all but the one new value
    expect(report.keysInUse.every((u: any) => u.keyId === "b")).toBe(true);
    for (const s of [BSN, MARK, KA, KB]) expect(job.out + job.err).not.toContain(s); // counts only
    // idempotent: nothing left to do
    const again = await reencrypt(t.hub.deps.ds);
    expect(again.reduce((n, c) => n + c.rewritten, 0)).toBe(0);
    const usage = await keyUsage(t.hub.deps.ds);
    expect(usage.length).toBeGreaterThan(0);
    expect(usage.filter((u) => u.keyId !== "b")).toEqual([]);

    // retire a: everything still reads
    await t.stop();
    t = await start(ringB);
    const after = (await t.ok(USERS.jansen, CASE_Q, { id: ids.case })).case;
    expect(after.signals.map((s: any) => s.description).sort()).toEqual([TEXT.description, `Nieuw ${MARK}`].sort());
    expect(after.riskAssessments[0].conclusion).toBe(TEXT.conclusion);
    expect(after.meetings[0].minutes).toBe(TEXT.minutes);
    const h = (await t.ok(USERS.vt, CASE_Q, { id: ids.handedOver })).case;
    expect([h.family.members[0].bsn, h.handover.outcome]).toEqual([BSN, TEXT.outcome]);
    const deBoer = (await pool.query(`SELECT c.id FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = 'De Boer'`)).rows[0].id;
    expect((await t.ok(USERS.jansen, CASE_Q, { id: deBoer })).case.handover.outcome).toMatch(/^Zorgmelding van de politie/);
  });

  it("a value under a key not in the ring is KEY_UNAVAILABLE, a tampered one DECRYPTION_FAILED: stable codes, no value", async () => {
    const { description } = (await pool.query("SELECT description FROM signal WHERE id = $1", [ids.signal])).rows[0];
    const body = description.slice("enc:v1:b:".length);
    const tampered = `enc:v1:b:${body.slice(0, -2)}${body.at(-2) === "A" ? "B" : "A"}${body.at(-1)}`;
    try {
      for (const [value, code] of [
        [`enc:v1:retired:${body}`, "KEY_UNAVAILABLE"],
        [tampered, "DECRYPTION_FAILED"],
      ] as const) {
        await pool.query("UPDATE signal SET description = $2 WHERE id = $1", [ids.signal, value]);
        const r = await t.gql(USERS.jansen, `query($id: ID!) { case(id: $id) { signals { id description } } }`, { id: ids.case });
        const e = r.errors?.[0];
        expect(e?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
        expect(e?.extensions?.correlationId).toEqual(expect.any(String));
        expect(e?.message).toBe("Stored data cannot be decrypted");
        expect(JSON.stringify(r)).not.toContain(body.slice(0, 20));
        expect(logs).toContain(code);
      }
    } finally {
      await pool.query("UPDATE signal SET description = $2 WHERE id = $1", [ids.signal, description]);
    }
    expect((await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { signals { id description } } }`, { id: ids.case })).case.signals.length).toBe(2);
  });

  it("plaintext left from before encryption (or written by hand) is encrypted at start-up and stays readable", { timeout: 60_000 }, async () => {
    const legacy = validBsn();
    const member = (await pool.query("SELECT m.id FROM family_member m JOIN case_file c ON c.family_id = m.family_id WHERE c.id = $1 LIMIT 1", [ids.case])).rows[0].id;
    await pool.query("UPDATE family_member SET bsn = $2, bsn_hash = NULL WHERE id = $1", [member, legacy]);
    await pool.query("UPDATE risk_assessment SET conclusion = $2 WHERE id = $1", [ids.risk, `Oud ${MARK}`]);
    await t.stop();
    t = await start(ringB);
    const m = (await pool.query("SELECT bsn, bsn_hash FROM family_member WHERE id = $1", [member])).rows[0];
    expect(envelopeKeyId(m.bsn)).toBe("b");
    expect(m.bsn_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(envelopeKeyId((await pool.query("SELECT conclusion FROM risk_assessment WHERE id = $1", [ids.risk])).rows[0].conclusion)).toBe("b");
    const c = (await t.ok(USERS.jansen, CASE_Q, { id: ids.case })).case;
    expect(c.riskAssessments[0].conclusion).toBe(`Oud ${MARK}`);
    expect(c.family.members.map((x: any) => x.bsn)).toContain(legacy);
    expect((await t.ok(USERS.jansen, BY_BSN, { bsn: legacy })).casesByBsn.map((x: any) => x.id)).toEqual([ids.case]); // the regisseur holds regie here
    expect(await encryptPlaintext(t.hub.deps.ds)).toEqual(ENCRYPTED_COLUMNS.map(({ table, column }) => ({ table, column, rewritten: 0 })));
    expect(logs).not.toContain(legacy);
  });
});

describe("configuration", () => {
  it("refuses production without keys, and names the variable, never a key, in its messages", () => {
    const base = { NODE_ENV: "production", OIDC_ISSUER: "https://idp.example/", OIDC_AUDIENCE: "k", OIDC_JWKS_URL: "https://idp.example/jwks" };
    expect(() => loadConfig(base)).toThrow(/ENCRYPTION_KEYS/);
    expect(() => loadConfig({ ...base, ...ringA })).not.toThrow();
    const short = randomBytes(16).toString("base64");
    for (const env of [
      { ENCRYPTION_KEYS: `a:${short}`, BSN_HASH_KEY: HASH },
      { ENCRYPTION_KEYS: `a:${KA},b:${KB}`, BSN_HASH_KEY: HASH },
      { ENCRYPTION_KEYS: `a:${KA}`, ENCRYPTION_KEY_ID: "c", BSN_HASH_KEY: HASH },
      { ENCRYPTION_KEYS: `a:${KA}` },
      { ENCRYPTION_KEYS: `a b:${KA}`, BSN_HASH_KEY: HASH },
    ]) {
      let message = "";
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message).toMatch(/ENCRYPTION_KEY|BSN_HASH_KEY/);
      for (const k of [KA, KB, short, HASH]) expect(message).not.toContain(k);
    }
    expect(parseKeyRing(`a:${KA},b:${KB}`, "a", HASH).keys.size).toBe(2);
  });

  it("the BSN lookup hash is HMAC-SHA256 under BSN_HASH_KEY (not a plain hash anyone can recompute over all 10^9 numbers)", async () => {
    const hash = (
      await pool.query("SELECT m.bsn_hash FROM family_member m JOIN case_file c ON c.family_id = m.family_id WHERE c.id = $1", [ids.handedOver])
    ).rows[0].bsn_hash;
    expect(hash).toBe(createHmac("sha256", Buffer.from(HASH, "base64")).update(BSN).digest("hex"));
    expect(hash).not.toBe(createHash("sha256").update(BSN).digest("hex"));
  });
});
