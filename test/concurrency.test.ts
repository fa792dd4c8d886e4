import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type GqlResult, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId } from "./support/fixtures.js";

/**
 * 1,000 concurrent writes (casusregie hand-overs and safety-agreement edits) on the same few
 * cases, 50 in flight at a time, over HTTP. Proves: exactly one active casusregisseur per case
 * (checked in SQL), no silent overwrite (every success consumed a distinct expected state; the
 * final row equals the last successful write), and every failure is a CONFLICT.
 */
const CASES = 4;
const OPERATIONS = 1000;
const PARALLEL = 50;

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ DB_POOL_SIZE: "20", RATE_LIMIT_USER: "100000", RATE_LIMIT_ORGANISATION: "100000" });
});
afterAll(() => t?.stop());

const ASSIGN = `mutation($input: AssignRegieInput!) { assignRegie(input: $input) { id professional { id } } }`;
const CREATE_PLAN = `mutation($input: CreateSafetyPlanInput!) { createSafetyPlan(input: $input) { id } }`;
const ADD = `mutation($input: AddSafetyAgreementInput!) { addSafetyAgreement(input: $input) { id version } }`;
const UPDATE = `mutation($input: UpdateSafetyAgreementInput!) { updateSafetyAgreement(input: $input) { id version what } }`;

/** Runs `n` tasks with at most `limit` in flight. */
async function pool<T>(n: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

describe("concurrency", () => {
  it(`${OPERATIONS} concurrent regie assignments and agreement edits on ${CASES} cases: one regisseur each, no silent overwrite, every conflict reported`, { timeout: 180_000 }, async () => {
    const swt = await orgId(ORGS.swt);
    const brug = await orgId(ORGS.brug);
    const people = [await professionalId(USERS.jansen), await professionalId(USERS.bakker)]; // both REGISSEUR at the SWT
    const cases: { caseId: string; agreementId: string; initialAssignment: string }[] = [];
    for (let c = 0; c < CASES; c++) {
      const fx = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
      await t.ok(USERS.jansen, CREATE_PLAN, { input: { caseId: fx.caseId, madeWithClient: true } });
      const a = (
        await t.ok(USERS.jansen, ADD, {
          input: { caseId: fx.caseId, priority: 1, what: "start", criterion: "wekelijks gecheckt", responsibleKind: "ORGANISATION", responsibleOrganisationId: brug, reportToOrganisationId: swt, shareWithOrganisationIds: [] },
        })
      ).addSafetyAgreement;
      const initial = (await db().query("SELECT id FROM regie_assignment WHERE case_id = $1 AND ended_at IS NULL", [fx.caseId])).rows[0].id as string;
      cases.push({ caseId: fx.caseId, agreementId: a.id, initialAssignment: initial });
    }

    // What each writer believes is current; updated on success, so many writers act on stale state.
    const known = cases.map((c) => ({ assignment: c.initialAssignment, version: 1 }));
    type Outcome = { kind: "regie" | "agreement"; c: number; expected: string | number; r: GqlResult };
    const t0 = Date.now();
    const outcomes = await pool<Outcome>(OPERATIONS, PARALLEL, async (i) => {
      const c = i % CASES;
      if (i % 2 === 0) {
        const expected = known[c].assignment;
        const r = await t.gql(USERS.jansen, ASSIGN, {
          input: { caseId: cases[c].caseId, kind: "CASE", professionalId: people[(i >> 2) % people.length], expectedCurrentAssignmentId: expected, reason: `ronde ${i}` },
        });
        if (r.data?.assignRegie) known[c].assignment = r.data.assignRegie.id;
        return { kind: "regie", c, expected, r };
      }
      const expected = known[c].version;
      const r = await t.gql(USERS.jansen, UPDATE, { input: { id: cases[c].agreementId, version: expected, what: `bewerking ${i}` } });
      if (r.data?.updateSafetyAgreement) known[c].version = Math.max(known[c].version, r.data.updateSafetyAgreement.version);
      return { kind: "agreement", c, expected, r };
    });
    const ms = Date.now() - t0;

    // every result is exactly a success or an error, and every error is a CONFLICT
    const failures = outcomes.filter((o) => o.r.errors?.length);
    for (const o of outcomes) expect(Boolean(o.r.errors?.length), JSON.stringify(o.r.errors)).toBe(!o.r.data?.[o.kind === "regie" ? "assignRegie" : "updateSafetyAgreement"]);
    const codes = new Set(failures.map((o) => o.r.errors![0].extensions?.code));
    expect([...codes], JSON.stringify(failures.slice(0, 3).map((o) => o.r.errors))).toEqual(failures.length ? ["CONFLICT"] : []);

    let regieWins = 0;
    let editWins = 0;
    for (let c = 0; c < CASES; c++) {
      // regie: exactly one active casusregisseur, one row per success, and each success consumed
      // a different current assignment (two writers never both "won" over the same state)
      const wins = outcomes.filter((o) => o.kind === "regie" && o.c === c && o.r.data?.assignRegie);
      regieWins += wins.length;
      const rows = (await db().query("SELECT id, ended_at IS NULL AS active FROM regie_assignment WHERE case_id = $1 AND kind = 'CASE'", [cases[c].caseId])).rows;
      expect(rows.filter((r) => r.active)).toHaveLength(1);
      expect(rows).toHaveLength(1 + wins.length);
      expect(new Set(wins.map((w) => w.expected)).size).toBe(wins.length);
      const active = rows.find((r) => r.active)!.id;
      expect(active).toBe(known[c].assignment);

      // agreement: every success has a distinct version, versions have no gaps, and the row
      // holds what the last successful write (the highest version) wrote
      const edits = outcomes.filter((o) => o.kind === "agreement" && o.c === c && o.r.data?.updateSafetyAgreement).map((o) => o.r.data!.updateSafetyAgreement);
      editWins += edits.length;
      const versions = edits.map((e) => e.version as number).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: edits.length }, (_, k) => k + 2));
      const row = (await db().query("SELECT version, what FROM safety_agreement WHERE id = $1", [cases[c].agreementId])).rows[0];
      const last = edits.find((e) => e.version === versions.at(-1));
      expect(row).toEqual({ version: 1 + edits.length, what: last?.what ?? "start" });
    }
    expect(regieWins).toBeGreaterThan(CASES); // real progress under contention, not all conflicts
    expect(editWins).toBeGreaterThan(CASES);
    expect(regieWins + editWins + failures.length).toBe(OPERATIONS);

    console.log(
      `concurrency: ${OPERATIONS} operations (${PARALLEL} in flight) on ${CASES} cases in ${ms} ms — ` +
        `${regieWins} hand-overs and ${editWins} edits succeeded, ${failures.length} CONFLICT, 0 silent overwrites, 1 active casusregisseur per case`,
    );
  });
});
