import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase } from "./support/fixtures.js";
import { ownDatabase, type OwnDatabase } from "./support/own-database.js";
import { sentStatements } from "./support/statements.js";
import { ConfigError, loadConfig } from "../server/config.js";
import { preparedQuery } from "../server/db/prepared.js";

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

  it("sends a page's cases (with the relations the query selects) as a named statement after its ids", async () => {
    const PAGE = `{ cases(first: 5) { edges { node { id family { members { id } } } } } }`;
    const sent = await sentStatements(() => t.ok(USERS.vlinder, PAGE));
    const ids = sent.statements.findIndex((x) => /^SELECT c\.id FROM case_file/.test(x.text));
    const cases = sent.statements.findIndex((x) => /^SELECT c\.\*, .* AS "acc_family__members"/.test(x.text));
    expect(ids, JSON.stringify(sent.statements.map((x) => x.text.slice(0, 80)))).toBeGreaterThan(0);
    expect(cases).toBe(ids + 1);
    expect(sent.statements[cases].name).toMatch(/^kh/);
  });

  it("prepares at most 200 statement texts that vary with the query, sends the rest unprepared with the same answers, and still prepares the fixed ones", async () => {
    const ds = t.hub.deps.ds;
    const texts = Array.from({ length: 250 }, (_, i) => `SELECT $1::int + ${i} AS n -- probe ${i}`);
    const sent = await sentStatements(async () => {
      for (const [i, text] of texts.entries()) expect(await preparedQuery<{ n: number }>(ds, text, [1], { varying: true })).toEqual([{ n: 1 + i }]);
    });
    const probes = sent.statements.filter((x) => x.text.includes("-- probe"));
    expect(probes).toHaveLength(250);
    expect(probes.filter((x) => x.name?.startsWith("kh")).length).toBeLessThanOrEqual(200);
    expect(probes.slice(-50).every((x) => !x.name)).toBe(true);
    // a fixed statement first used after the bound is reached is prepared all the same
    const fixed = await sentStatements(() => preparedQuery(ds, "SELECT $1::int AS fixed_probe", [1]));
    expect(fixed.statements.find((x) => x.text.includes("fixed_probe"))?.name).toMatch(/^kh/);
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
