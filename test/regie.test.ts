import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;
let org: Record<"vt" | "swt" | "regieteam" | "vlinder" | "brug", string>;
let pid: Record<"jansen" | "bakker" | "mulder" | "brug" | "smit", string>;
const wrongId = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  t = await startTestHub();
  org = {
    vt: await orgId(ORGS.vt),
    swt: await orgId(ORGS.swt),
    regieteam: await orgId(ORGS.regieteam),
    vlinder: await orgId(ORGS.vlinder),
    brug: await orgId(ORGS.brug),
  };
  pid = {
    jansen: await professionalId(USERS.jansen),
    bakker: await professionalId(USERS.bakker),
    mulder: await professionalId(USERS.mulder),
    brug: await professionalId(USERS.brug),
    smit: await professionalId(USERS.smit),
  };
});
afterAll(() => t?.stop());

const ASSIGNMENT = `id kind reason startedAt endedAt professional { id email } organisation { id name }`;
const ASSIGN = `mutation($input: AssignRegieInput!) { assignRegie(input: $input) { ${ASSIGNMENT} } }`;
const END = `mutation($input: EndRegieInput!) { endRegie(input: $input) { ${ASSIGNMENT} } }`;
const REGIE = `query($id: ID!) { case(id: $id) { regisseur { ${ASSIGNMENT} } procesRegisseur { ${ASSIGNMENT} } regieHistory { ${ASSIGNMENT} } } }`;

function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
async function events(kind: string, entityId: string) {
  return (await db().query("SELECT entity, case_id, organisation_ids FROM change_event WHERE kind = $1 AND entity_id = $2 ORDER BY id", [kind, entityId])).rows;
}
const sorted = (...ids: string[]) => [...new Set(ids)].sort();
async function rows(caseId: string) {
  return (
    await db().query<{ id: string; kind: string; professional_id: string; active: boolean }>(
      "SELECT id, kind, professional_id, ended_at IS NULL AS active FROM regie_assignment WHERE case_id = $1 ORDER BY started_at, id",
      [caseId],
    )
  ).rows;
}
async function activeId(caseId: string, kind = "CASE"): Promise<string> {
  return (await db().query("SELECT id FROM regie_assignment WHERE case_id = $1 AND kind = $2 AND ended_at IS NULL", [caseId, kind])).rows[0].id;
}
const assign = (caseId: string, professionalId: string, over: Record<string, unknown> = {}) => ({ caseId, kind: "CASE", professionalId, ...over });

describe("assignRegie: casusregie", () => {
  it("assigns the first casusregisseur; shows it on the case; REGIE_ASSIGNED goes to every involved organisation", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug"] });
    expect((await t.ok(USERS.jansen, REGIE, { id: fx.caseId })).case).toEqual({ regisseur: null, procesRegisseur: null, regieHistory: [] });
    const a = (await t.ok(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.jansen, { reason: "Eerste regisseur na overdracht" }) })).assignRegie;
    expect(a).toMatchObject({
      kind: "CASE",
      reason: "Eerste regisseur na overdracht",
      endedAt: null,
      professional: { id: pid.jansen, email: USERS.jansen },
      organisation: { id: org.swt, name: ORGS.swt },
    });
    const d = (await t.ok(USERS.vlinder, REGIE, { id: fx.caseId })).case; // everyone involved sees who holds regie
    expect(d.regisseur.id).toBe(a.id);
    expect(d.procesRegisseur).toBeNull();
    expect(d.regieHistory.map((r: { id: string }) => r.id)).toEqual([a.id]);
    expect(await events("REGIE_ASSIGNED", a.id)).toEqual([
      { entity: "RegieAssignment", case_id: fx.caseId, organisation_ids: sorted(org.vt, org.swt, org.vlinder, org.brug) },
    ]);
  });

  it("hands casusregie over: the old one ends, the new one starts, history is kept oldest first; REGIE_ENDED and REGIE_ASSIGNED", async () => {
    const fx = await createCase({ regisseur: USERS.bakker });
    const first = await activeId(fx.caseId);
    const b = (await t.ok(USERS.bakker, ASSIGN, { input: assign(fx.caseId, pid.jansen, { expectedCurrentAssignmentId: first, reason: "Herverdeling caseload" }) })).assignRegie;
    const d = (await t.ok(USERS.jansen, REGIE, { id: fx.caseId })).case;
    expect(d.regisseur).toMatchObject({ id: b.id, professional: { email: USERS.jansen } });
    expect(d.regieHistory.map((r: { id: string; endedAt: string | null }) => [r.id, r.endedAt === null])).toEqual([
      [first, false],
      [b.id, true],
    ]);
    expect(new Date(d.regieHistory[0].endedAt).getTime()).toBe(new Date(b.startedAt).getTime());
    expect((await db().query("SELECT ended_by FROM regie_assignment WHERE id = $1", [first])).rows[0].ended_by).toBe(pid.bakker);
    expect(await events("REGIE_ENDED", first)).toEqual([{ entity: "RegieAssignment", case_id: fx.caseId, organisation_ids: sorted(org.vt, org.swt) }]);
    expect(await events("REGIE_ASSIGNED", b.id)).toHaveLength(1);
  });

  it("hands regie to another organisation: its regisseur may now assign, the former one acts as a professional (FORBIDDEN)", async () => {
    const fx = await createCase({ involve: ["regieteam"], regisseur: USERS.jansen });
    expectError(await t.gql(USERS.mulder, ASSIGN, { input: assign(fx.caseId, pid.mulder) }), "FORBIDDEN");
    const a = (await t.ok(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.mulder) })).assignRegie;
    expect(a.organisation.id).toBe(org.regieteam);
    expectError(await t.gql(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.bakker) }), "FORBIDDEN");
    const back = (await t.ok(USERS.mulder, ASSIGN, { input: assign(fx.caseId, pid.jansen, { expectedCurrentAssignmentId: a.id }) })).assignRegie;
    expect((await rows(fx.caseId)).filter((r) => r.active).map((r) => r.id)).toEqual([back.id]);
  });

  it("NOT_FOUND for a wrong or malformed case id and for a case the viewer's organisation is not involved in", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    expectError(await t.gql(USERS.jansen, ASSIGN, { input: assign(wrongId, pid.bakker) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.jansen, ASSIGN, { input: assign("nope", pid.bakker) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, ASSIGN, { input: assign(fx.caseId, pid.mulder) }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, END, { input: { caseId: fx.caseId, kind: "PROCESS" } }), "NOT_FOUND", "caseId");
  });

  it("only the regisseur may assign: a care provider, a school, Veilig Thuis and a behavioural scientist get FORBIDDEN", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug"], regisseur: USERS.jansen });
    for (const who of [USERS.brug, USERS.vlinder, USERS.vt, USERS.smit]) {
      expectError(await t.gql(who, ASSIGN, { input: assign(fx.caseId, pid.bakker) }), "FORBIDDEN");
    }
    expect((await rows(fx.caseId)).map((r) => r.professional_id)).toEqual([pid.jansen]);
  });

  it("BAD_USER_INPUT with the field for an unfit professional, a blank reason or an unknown kind; nothing changes", async () => {
    const fx = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    const before = await rows(fx.caseId);
    const cases: [Record<string, unknown>, string][] = [
      [{ professionalId: pid.brug }, "professionalId"], // not a REGISSEUR
      [{ professionalId: pid.smit }, "professionalId"], // behavioural scientist
      [{ professionalId: pid.mulder }, "professionalId"], // Regieteam not involved
      [{ professionalId: wrongId }, "professionalId"],
      [{ professionalId: "nope" }, "professionalId"],
      [{ reason: "  " }, "reason"],
      [{ reason: "x".repeat(2001) }, "reason"],
      [{ kind: "BOSS" }, "kind"],
    ];
    for (const [over, field] of cases) {
      expectError(await t.gql(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.bakker, over) }), "BAD_USER_INPUT", field);
    }
    expect(await rows(fx.caseId)).toEqual(before);
  });

  it("CONFLICT for a stale expectedCurrentAssignmentId, for the regisseur already holding it and for a closed case; nothing changes", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const current = await activeId(fx.caseId);
    expectError(await t.gql(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.bakker, { expectedCurrentAssignmentId: wrongId }) }), "CONFLICT", "expectedCurrentAssignmentId");
    expectError(await t.gql(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.jansen) }), "CONFLICT", "professionalId"); // already holds it
    await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);
    expectError(await t.gql(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.bakker, { expectedCurrentAssignmentId: current }) }), "CONFLICT", "caseId");
    expect((await rows(fx.caseId)).map((r) => [r.id, r.active])).toEqual([[current, true]]);
  });
});

describe("procesregie", () => {
  it("assigns a procesregisseur beside the casusregisseur, hands it over and ends it; casusregie cannot just end", async () => {
    const fx = await createCase({ involve: ["brug"], regisseur: USERS.jansen });
    const p1 = (await t.ok(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.brug, { kind: "PROCESS" }) })).assignRegie;
    expect(p1).toMatchObject({ kind: "PROCESS", professional: { email: USERS.brug }, organisation: { id: org.brug } });
    let d = (await t.ok(USERS.brug, REGIE, { id: fx.caseId })).case;
    expect(d.regisseur.professional.email).toBe(USERS.jansen);
    expect(d.procesRegisseur.id).toBe(p1.id);

    // the casusregisseur cannot also be procesregisseur
    expectError(await t.gql(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.jansen, { kind: "PROCESS" }) }), "BAD_USER_INPUT", "professionalId");
    const p2 = (await t.ok(USERS.jansen, ASSIGN, { input: assign(fx.caseId, pid.bakker, { kind: "PROCESS", expectedCurrentAssignmentId: p1.id }) })).assignRegie;

    expectError(await t.gql(USERS.jansen, END, { input: { caseId: fx.caseId, kind: "CASE" } }), "BAD_USER_INPUT", "kind");
    expectError(await t.gql(USERS.brug, END, { input: { caseId: fx.caseId, kind: "PROCESS" } }), "FORBIDDEN");
    const ended = (await t.ok(USERS.jansen, END, { input: { caseId: fx.caseId, kind: "PROCESS" } })).endRegie;
    expect(ended.id).toBe(p2.id);
    expect(ended.endedAt).not.toBeNull();
    expect(await events("REGIE_ENDED", p2.id)).toEqual([{ entity: "RegieAssignment", case_id: fx.caseId, organisation_ids: sorted(org.vt, org.swt, org.brug) }]);
    d = (await t.ok(USERS.jansen, REGIE, { id: fx.caseId })).case;
    expect(d.procesRegisseur).toBeNull();
    expect(d.regisseur.professional.email).toBe(USERS.jansen);
    expect(d.regieHistory.map((r: { kind: string }) => r.kind)).toEqual(["CASE", "PROCESS", "PROCESS"]);

    expectError(await t.gql(USERS.jansen, END, { input: { caseId: fx.caseId, kind: "PROCESS" } }), "CONFLICT", "kind");
  });
});

describe("concurrent assignments", () => {
  type R = Awaited<ReturnType<TestHub["gql"]>>;
  const codes = (results: R[]) => results.filter((r) => r.errors?.length).map((r) => r.errors![0].extensions?.code);

  async function fire(caseId: string, inputs: Record<string, unknown>[]) {
    const results = await Promise.all(inputs.map((input) => t.gql(USERS.jansen, ASSIGN, { input })));
    for (const r of results) expect(r.errors?.length ? 1 : 0, JSON.stringify(r.errors)).toBe(r.data?.assignRegie ? 0 : 1);
    const all = (await rows(caseId)).filter((r) => r.kind === "CASE");
    return { results, all, wins: results.filter((r) => r.data?.assignRegie).length };
  }

  it("10 at once on a case without a regisseur: exactly one active at the end, every loser CONFLICT, no orphaned rows", async () => {
    const fx = await createCase({ involve: ["brug"] });
    const { results, all, wins } = await fire(
      fx.caseId,
      Array.from({ length: 10 }, (_, i) => assign(fx.caseId, i % 2 ? pid.bakker : pid.jansen)),
    );
    expect(all.filter((r) => r.active)).toHaveLength(1);
    expect(wins).toBeGreaterThanOrEqual(1);
    expect(all).toHaveLength(wins); // every success left exactly one row; losers none
    expect(codes(results).every((c) => c === "CONFLICT"), JSON.stringify(codes(results))).toBe(true);
  });

  it("10 at once with the same expected current regisseur: exactly one wins, nine get CONFLICT", async () => {
    const fx = await createCase({ regisseur: USERS.bakker });
    const current = await activeId(fx.caseId);
    const { results, all, wins } = await fire(
      fx.caseId,
      Array.from({ length: 10 }, () => assign(fx.caseId, pid.jansen, { expectedCurrentAssignmentId: current })),
    );
    expect(wins).toBe(1);
    expect(codes(results)).toEqual(Array(9).fill("CONFLICT"));
    expect(all.map((r) => [r.id === current, r.active])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it("10 at once handing over without an expectation: still exactly one active, failures only CONFLICT", async () => {
    const fx = await createCase({ regisseur: USERS.bakker });
    const { results, all, wins } = await fire(
      fx.caseId,
      Array.from({ length: 10 }, () => assign(fx.caseId, pid.jansen)),
    );
    expect(all.filter((r) => r.active)).toHaveLength(1);
    // jansen can take over only once: concurrent ones lose the race, later ones find he already holds it
    expect(wins).toBe(1);
    expect(codes(results)).toEqual(Array(9).fill("CONFLICT"));
    expect(all).toHaveLength(2);
  });

  it("the database itself refuses a second active casusregisseur (uq_regie_one_active)", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const second = db().query("INSERT INTO regie_assignment (case_id, kind, professional_id, organisation_id) VALUES ($1, 'CASE', $2, $3)", [
      fx.caseId,
      pid.bakker,
      org.swt,
    ]);
    await expect(second).rejects.toMatchObject({ code: "23505", constraint: "uq_regie_one_active" });
  });
});
