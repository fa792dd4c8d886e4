import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase } from "./support/fixtures.js";
import { ownDatabase, type OwnDatabase } from "./support/own-database.js";
import { sentStatements } from "./support/statements.js";
import { ConfigError, loadConfig } from "../server/config.js";

/**
 * The hub's hot reads (the viewer lookup, a case's access facts, an item with its case's access
 * facts) go as named prepared statements (server/db/prepared.ts). Proven here: they are sent
 * named; a column added to (and dropped from) case_file while the hub runs — a rolling
 * deploy's migration — does not fail a request ("cached plan must not change result type" is
 * answered by the unprepared statement); DB_PREPARED_STATEMENTS=off sends none. The schema is
 * altered, so this file runs against its OWN database.
 */
let own: OwnDatabase;
let url: string;
let pool: pg.Pool;
let t: TestHub;
let caseId: string;

const CASE = `query($id: ID!) { case(id: $id) { id status family { members { id } } } }`;

/** The statement names (or "-" for unnamed) the in-process hub sends while `work` runs. */
async function names(work: () => Promise<unknown>): Promise<string[]> {
  return (await sentStatements(work)).statements.map((x) => x.name ?? "-");
}

beforeAll(async () => {
  own = await ownDatabase("ketenhub_prep", 2);
  ({ url, pool } = own);
  t = await startTestHub({ DATABASE_URL: url, SEED_DEMO: "auto" });
  caseId = (await createCase({ involve: ["vlinder"], regisseur: USERS.jansen, pool })).caseId;
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await own?.drop();
});

describe("prepared statements for the hot reads", () => {
  it("sends the viewer lookup and the case's access facts as named statements", async () => {
    const sent = await names(() => t.ok(USERS.jansen, CASE, { id: caseId }));
    expect(sent.filter((n) => n.startsWith("kh")).length, JSON.stringify(sent)).toBeGreaterThanOrEqual(2);
  });

  it("keeps answering when a column is added to case_file and dropped again while the hub runs", async () => {
    // enough executions that PostgreSQL holds a generic plan on the pooled connections
    for (let i = 0; i < 12; i++) await Promise.all([t.ok(USERS.jansen, CASE, { id: caseId }), t.ok(USERS.vlinder, CASE, { id: caseId })]);
    await pool.query("ALTER TABLE case_file ADD COLUMN rolling_deploy_probe int");
    for (let i = 0; i < 12; i++) {
      const r = await t.gql<any>(USERS.jansen, CASE, { id: caseId });
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      expect(r.data.case.id).toBe(caseId);
    }
    await pool.query("ALTER TABLE case_file DROP COLUMN rolling_deploy_probe");
    for (let i = 0; i < 12; i++) expect((await t.gql<any>(USERS.vlinder, CASE, { id: caseId })).errors).toBeUndefined();
    // and prepares again afterwards
    const sent = await names(() => t.ok(USERS.jansen, CASE, { id: caseId }));
    expect(sent.some((n) => n.startsWith("kh"))).toBe(true);
  });

  it("sends none with DB_PREPARED_STATEMENTS=off; refuses another value", async () => {
    expect(() => loadConfig({ DB_PREPARED_STATEMENTS: "maybe" })).toThrow(ConfigError);
    await t.stop();
    t = await startTestHub({ DATABASE_URL: url, SEED_DEMO: "never", DB_PREPARED_STATEMENTS: "off" });
    const sent = await names(() => t.ok(USERS.jansen, CASE, { id: caseId }));
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.every((n) => n === "-"), JSON.stringify(sent)).toBe(true);
  });
});
