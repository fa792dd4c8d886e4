import "reflect-metadata";
import { decryptValue } from "../server/crypto/field-crypto.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMonths, firstMonitoringDueOn } from "../server/modules/monitoring/dates.js";
import { isValidBsn } from "../server/modules/families/family.input.js";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;
let org: Record<"vt" | "swt" | "regieteam" | "vlinder" | "anker" | "hap" | "brug", string>;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const today = iso(new Date());
const tomorrow = iso(new Date(Date.now() + 86_400_000));
const wrongId = "00000000-0000-4000-8000-000000000000";

/** A random BSN that passes the 11-proef (the unique index spans the whole database). */
function bsn(): string {
  for (;;) {
    const d = Array.from({ length: 8 }, () => Math.floor(Math.random() * 10));
    const check = d.reduce((s, x, i) => s + x * (9 - i), 0) % 11;
    if (check < 10 && d.some((x) => x > 0)) return d.join("") + check;
  }
}
const uniqueName = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  t = await startTestHub();
  org = {
    vt: await orgId(ORGS.vt),
    swt: await orgId(ORGS.swt),
    regieteam: await orgId(ORGS.regieteam),
    vlinder: await orgId(ORGS.vlinder),
    anker: await orgId(ORGS.anker),
    hap: await orgId(ORGS.hap),
    brug: await orgId(ORGS.brug),
  };
});
afterAll(() => t?.stop());

const HANDOVER_FIELDS = `id outcome helpAlreadyInvolved safetyConditions writtenHandoverReceived writtenHandoverReceivedOn warmHandoverOn
  closingLetterRecipients handedOverAt version fromOrganisation { id name }`;
const HAND_OVER = `mutation($input: HandOverCaseInput!) { handOverCase(input: $input) {
  id status
  family { id name hasChildren members { id kind givenName familyName birthDate bsn school { id } gp { id } } }
  involvements { role endedAt organisation { id } }
  handover { ${HANDOVER_FIELDS} }
  monitoringContacts { id dueOn contactedOn version }
} }`;
const UPDATE = `mutation($input: UpdateHandoverInput!) { updateHandover(input: $input) { ${HANDOVER_FIELDS} } }`;

function newFamily(over: Record<string, unknown> = {}) {
  const name = uniqueName("Overdracht");
  return {
    name,
    hasChildren: true,
    members: [
      { kind: "ADULT", givenName: "Sanne", familyName: name, birthDate: "1988-05-06", bsn: bsn(), gpId: org.hap },
      { kind: "CHILD", givenName: "Noor", familyName: name, birthDate: "2015-09-01", schoolId: org.vlinder, gpId: org.hap },
    ],
    ...over,
  };
}
function handOverInput(over: Record<string, unknown> = {}) {
  return {
    family: newFamily(),
    toOrganisationId: org.swt,
    involve: [
      { organisationId: org.vlinder, role: "school" },
      { organisationId: org.hap, role: "huisarts" },
    ],
    outcome: "Onderzoek afgerond: huiselijk geweld tussen ouders vastgesteld; kinderen getuige.",
    helpAlreadyInvolved: "Schoolmaatschappelijk werk",
    safetyConditions: ["Geen geweld in bijzijn van de kinderen", "Vader verblijft tijdelijk elders"],
    writtenHandoverReceived: true,
    writtenHandoverReceivedOn: today,
    warmHandoverOn: null,
    closingLetterRecipients: ["CLIENT", "SCHOOL"],
    ...over,
  };
}

async function events(kind: string, caseId: string) {
  return (await db().query("SELECT kind, entity, entity_id, organisation_ids, actor_id FROM change_event WHERE kind = $1 AND case_id = $2 ORDER BY id", [kind, caseId]))
    .rows;
}
async function familiesNamed(name: string) {
  const r = await db().query(
    `SELECT (SELECT count(*)::int FROM family WHERE name = $1) AS families,
            (SELECT count(*)::int FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = $1) AS cases,
            (SELECT count(*)::int FROM family_member WHERE family_name = $1) AS members`,
    [name],
  );
  return r.rows[0] as { families: number; cases: number; members: number };
}
function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
/** A fixture case whose open case has been closed (its family can be handed over again). */
async function closedFamily(): Promise<FixtureCase> {
  const fx = await createCase();
  await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now(), close_reason = 'GOALS_MET' WHERE id = $1", [fx.caseId]);
  return fx;
}
/** A fixture case Veilig Thuis never handed over and is not involved in (invisible to VT). */
async function notVtsCase(): Promise<FixtureCase> {
  const fx = await createCase({ regisseur: USERS.jansen });
  await db().query("DELETE FROM involvement WHERE case_id = $1 AND organisation_id = $2", [fx.caseId, org.vt]);
  await db().query("UPDATE handover SET from_organisation_id = $2 WHERE case_id = $1", [fx.caseId, org.regieteam]);
  return fx;
}

describe("handOverCase", () => {
  it("opens the case for a new family in one go: members, involvements, handover, first monitoring check and events", async () => {
    const input = handOverInput({ involve: [...handOverInput().involve, { organisationId: org.swt, role: "dubbel" }, { organisationId: org.vlinder, role: "dubbel" }] });
    const { handOverCase: c } = await t.ok(USERS.vt, HAND_OVER, { input });
    const fam = input.family as ReturnType<typeof newFamily>;
    expect(c.status).toBe("OPEN");
    expect(c.family).toMatchObject({ name: fam.name, hasChildren: true });
    expect(c.family.members).toMatchObject([
      { kind: "ADULT", givenName: "Sanne", birthDate: "1988-05-06", bsn: fam.members[0].bsn, school: null, gp: { id: org.hap } },
      { kind: "CHILD", givenName: "Noor", birthDate: "2015-09-01", bsn: null, school: { id: org.vlinder }, gp: { id: org.hap } },
    ]);
    // one involvement per organisation: VT, the receiving team with regie, and the extras (duplicates dropped)
    const roles = Object.fromEntries(c.involvements.map((i: any) => [i.organisation.id, i.role]));
    expect(roles).toEqual({ [org.vt]: "Veilig Thuis (overdracht)", [org.swt]: "regie", [org.vlinder]: "school", [org.hap]: "huisarts" });
    expect(c.handover).toMatchObject({
      outcome: input.outcome,
      helpAlreadyInvolved: "Schoolmaatschappelijk werk",
      safetyConditions: input.safetyConditions,
      writtenHandoverReceived: true,
      writtenHandoverReceivedOn: today,
      warmHandoverOn: null,
      closingLetterRecipients: ["CLIENT", "SCHOOL"],
      version: 1,
      fromOrganisation: { id: org.vt, name: ORGS.vt },
    });
    // first check: handover date + VT's interval (3 months in the demo region)
    const due = (await db().query("SELECT (current_date + interval '3 months')::date::text AS d")).rows[0].d;
    expect(c.monitoringContacts).toMatchObject([{ dueOn: due, contactedOn: null, version: 1 }]);

    const vt = await professionalId(USERS.vt);
    const rows = (await db().query("SELECT created_by FROM case_file WHERE id = $1 UNION ALL SELECT created_by FROM handover WHERE case_id = $1", [c.id])).rows;
    expect(rows.map((r) => r.created_by)).toEqual([vt, vt]);

    expect(await events("CASE_OPENED", c.id)).toMatchObject([{ entity: "Case", entity_id: c.id, actor_id: vt }]);
    expect((await events("CASE_OPENED", c.id))[0].organisation_ids.sort()).toEqual([org.vt, org.swt, org.vlinder, org.hap].sort());
    expect(await events("HANDOVER_CREATED", c.id)).toMatchObject([{ entity: "Handover", entity_id: c.handover.id, organisation_ids: [org.vt, org.swt] }]);
    const started = await events("INVOLVEMENT_STARTED", c.id);
    expect(started.map((e) => e.organisation_ids[0]).sort()).toEqual([org.vt, org.swt, org.vlinder, org.hap].sort());
    expect(await events("MONITORING_SCHEDULED", c.id)).toMatchObject([{ entity: "MonitoringContact", entity_id: c.monitoringContacts[0].id, organisation_ids: [org.vt] }]);

    // the receiving team's regisseur now sees the case and reads the handover
    const seen = await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { id handover { outcome safetyConditions } } }`, { id: c.id });
    expect(seen.case.handover).toEqual({ outcome: input.outcome, safetyConditions: input.safetyConditions });
    // the write is in the access log against the new case
    const log = await db().query("SELECT categories FROM access_log WHERE case_id = $1 AND action = 'WRITE'", [c.id]);
    expect(log.rows[0].categories).toEqual(expect.arrayContaining(["handover", "identity", "bsn", "monitoring"]));
  });

  it("hands over an existing family whose earlier case was closed; a Regieteam may receive it", async () => {
    const fx = await closedFamily();
    const { handOverCase: c } = await t.ok(USERS.vt, HAND_OVER, { input: handOverInput({ family: null, familyId: fx.familyId, toOrganisationId: org.regieteam, involve: null }) });
    expect(c.id).not.toBe(fx.caseId);
    expect(c.status).toBe("OPEN");
    expect(c.family.id).toBe(fx.familyId);
    expect(c.family.members.map((m: any) => m.id).sort()).toEqual([...fx.adultIds, ...fx.childIds].sort());
    expect(c.involvements.map((i: any) => i.role).sort()).toEqual(["Veilig Thuis (overdracht)", "regie"]);
  });

  it("refuses a second open case for a family: CONFLICT, nothing written", async () => {
    const fx = await createCase();
    const before = (await db().query("SELECT count(*)::int AS n FROM case_file WHERE family_id = $1", [fx.familyId])).rows[0].n;
    expectError(await t.gql(USERS.vt, HAND_OVER, { input: handOverInput({ family: null, familyId: fx.familyId }) }), "CONFLICT", "familyId");
    expect((await db().query("SELECT count(*)::int AS n FROM case_file WHERE family_id = $1", [fx.familyId])).rows[0].n).toBe(before);
  });

  it("two simultaneous handovers of the same family: exactly one succeeds, the other gets CONFLICT", async () => {
    const fx = await closedFamily();
    const input = handOverInput({ family: null, familyId: fx.familyId });
    const results = await Promise.all([t.gql(USERS.vt, HAND_OVER, { input }), t.gql(USERS.vt, HAND_OVER, { input })]);
    const ok = results.filter((r) => !r.errors);
    const failed = results.filter((r) => r.errors);
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0].errors![0].extensions!.code).toBe("CONFLICT");
    const open = await db().query("SELECT id FROM case_file WHERE family_id = $1 AND status = 'OPEN'", [fx.familyId]);
    expect(open.rows.map((r) => r.id)).toEqual([ok[0].data!.handOverCase.id]);
    // the loser left no handover, involvement or monitoring rows behind
    const orphans = await db().query(
      `SELECT (SELECT count(*)::int FROM handover h JOIN case_file c ON c.id = h.case_id WHERE c.family_id = $1) AS handovers,
              (SELECT count(*)::int FROM monitoring_contact m JOIN case_file c ON c.id = m.case_id WHERE c.family_id = $1) AS checks`,
      [fx.familyId],
    );
    expect(orphans.rows[0]).toEqual({ handovers: 2, checks: 1 }); // the fixture's own handover + the winner's
  });

  it("NOT_FOUND for an unknown family and for a family Veilig Thuis does not know from a case it can see", async () => {
    expectError(await t.gql(USERS.vt, HAND_OVER, { input: handOverInput({ family: null, familyId: wrongId }) }), "NOT_FOUND", "familyId");
    const hidden = await notVtsCase();
    await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [hidden.caseId]);
    expectError(await t.gql(USERS.vt, HAND_OVER, { input: handOverInput({ family: null, familyId: hidden.familyId }) }), "NOT_FOUND", "familyId");
  });

  it("is Veilig Thuis' only: a school, a regisseur and a care provider get FORBIDDEN, nothing written", async () => {
    for (const who of [USERS.vlinder, USERS.jansen, USERS.brug]) {
      const input = handOverInput();
      expectError(await t.gql(who, HAND_OVER, { input }), "FORBIDDEN");
      expect(await familiesNamed((input.family as { name: string }).name)).toEqual({ families: 0, cases: 0, members: 0 });
    }
  });

  it("refuses bad input with the offending field", async () => {
    const fam = newFamily();
    const withMember = (i: number, over: Record<string, unknown>) => ({
      ...fam,
      members: fam.members.map((m, j) => (j === i ? { ...m, ...over } : { ...m, bsn: null })),
    });
    const bad: [Record<string, unknown>, string][] = [
      [{ family: withMember(0, { bsn: "123456789" }) }, "family.members.0.bsn"], // fails the 11-proef
      [{ family: withMember(0, { bsn: "12345678" }) }, "family.members.0.bsn"],
      [{ family: withMember(1, { birthDate: null }) }, "family.members.1.birthDate"], // a child without birth date
      [{ family: withMember(1, { birthDate: tomorrow }) }, "family.members.1.birthDate"],
      [{ family: withMember(1, { schoolId: org.hap }) }, "family.members.1.schoolId"], // a GP is not a school
      [{ family: withMember(1, { gpId: org.vlinder }) }, "family.members.1.gpId"],
      [{ family: withMember(0, { schoolId: org.vlinder }) }, "family.members.0.schoolId"], // adults have no school here
      [{ family: withMember(0, { givenName: "" }) }, "family.members.0.givenName"],
      [{ family: { ...fam, members: [] } }, "family.members"],
      [{ family: { ...fam, hasChildren: false } }, "family.hasChildren"],
      [{ toOrganisationId: org.vlinder }, "toOrganisationId"], // a school cannot receive a handover
      [{ toOrganisationId: wrongId }, "toOrganisationId"],
      [{ outcome: "x".repeat(20001) }, "outcome"],
      [{ outcome: "  " }, "outcome"],
      [{ family: null, familyId: null }, "familyId"],
      [{ familyId: wrongId }, "familyId"], // both a familyId and a new family
      [{ writtenHandoverReceivedOn: tomorrow }, "writtenHandoverReceivedOn"],
      [{ writtenHandoverReceived: false }, "writtenHandoverReceivedOn"], // a receipt date without a received handover
      [{ warmHandoverOn: tomorrow }, "warmHandoverOn"],
      [{ safetyConditions: [""] }, "safetyConditions"],
      [{ involve: [{ organisationId: "nope", role: "x" }] }, "involve.0.organisationId"],
      [{ involve: [{ organisationId: org.brug, role: "" }] }, "involve.0.role"],
    ];
    for (const [over, field] of bad) {
      const input = handOverInput({ family: fam, ...over });
      expectError(await t.gql(USERS.vt, HAND_OVER, { input }), "BAD_USER_INPUT", field);
    }
    expect(await familiesNamed(fam.name)).toEqual({ families: 0, cases: 0, members: 0 });
    // an unknown recipient is refused by the schema
    expectError(await t.gql(USERS.vt, HAND_OVER, { input: handOverInput({ closingLetterRecipients: ["NEIGHBOURS"] }) }), "BAD_USER_INPUT");
  });

  it("leaves nothing behind when it fails halfway (after the family and first member were written)", async () => {
    const fam = newFamily();
    // the second member's GP is not a GP: refused after the family and the first member were inserted
    const badGp = { ...fam, members: [fam.members[0], { ...fam.members[1], gpId: org.anker }] };
    expectError(await t.gql(USERS.vt, HAND_OVER, { input: handOverInput({ family: badGp }) }), "BAD_USER_INPUT", "family.members.1.gpId");
    expect(await familiesNamed(fam.name)).toEqual({ families: 0, cases: 0, members: 0 });
    // an involved organisation that does not exist: refused after family, members and case were inserted
    expectError(
      await t.gql(USERS.vt, HAND_OVER, { input: handOverInput({ family: fam, involve: [{ organisationId: org.vlinder, role: "school" }, { organisationId: wrongId, role: "?" }] }) }),
      "BAD_USER_INPUT",
      "involve.1.organisationId",
    );
    expect(await familiesNamed(fam.name)).toEqual({ families: 0, cases: 0, members: 0 });
    // the second member's BSN is already registered: the database refuses it mid-transaction
    const taken = bsn();
    await t.ok(USERS.vt, HAND_OVER, { input: handOverInput({ family: newFamily({ members: [{ ...fam.members[0], familyName: "X", bsn: taken }] }) }) });
    const dup = { ...fam, members: [fam.members[0], { ...fam.members[1], bsn: taken }] };
    const r = await t.gql(USERS.vt, HAND_OVER, { input: handOverInput({ family: dup }) });
    expectError(r, "CONFLICT");
    expect(r.errors![0].extensions!.constraint).toBe("uq_member_bsn");
    expect(r.errors![0].message).not.toContain(taken);
    expect(await familiesNamed(fam.name)).toEqual({ families: 0, cases: 0, members: 0 });
    // and succeeds once the input is right
    await t.ok(USERS.vt, HAND_OVER, { input: handOverInput({ family: fam }) });
    expect(await familiesNamed(fam.name)).toEqual({ families: 1, cases: 1, members: 2 });
  });
});

describe("Case.handover and updateHandover", () => {
  async function handedOver() {
    return (await t.ok(USERS.vt, HAND_OVER, { input: handOverInput() })).handOverCase as { id: string; handover: { id: string; version: number } };
  }

  it("Veilig Thuis records the warm handover; version bumps; HANDOVER_UPDATED is emitted", async () => {
    const c = await handedOver();
    const d = await t.ok(USERS.vt, UPDATE, { input: { id: c.handover.id, version: 1, warmHandoverOn: today, closingLetterRecipients: ["CLIENT", "GP"] } });
    expect(d.updateHandover).toMatchObject({ id: c.handover.id, warmHandoverOn: today, closingLetterRecipients: ["CLIENT", "GP"], writtenHandoverReceived: true, version: 2 });
    expect(await events("HANDOVER_UPDATED", c.id)).toMatchObject([{ entity: "Handover", entity_id: c.handover.id, organisation_ids: [org.vt] }]);
    const row = await db().query("SELECT updated_by FROM handover WHERE id = $1", [c.handover.id]);
    expect(row.rows[0].updated_by).toBe(await professionalId(USERS.vt));
    // clearing an optional field with null; omitted fields stay
    const e = await t.ok(USERS.vt, UPDATE, { input: { id: c.handover.id, version: 2, helpAlreadyInvolved: null } });
    expect(e.updateHandover).toMatchObject({ helpAlreadyInvolved: null, warmHandoverOn: today, version: 3 });
  });

  it("a stale version is a CONFLICT and changes nothing", async () => {
    const c = await handedOver();
    await t.ok(USERS.vt, UPDATE, { input: { id: c.handover.id, version: 1, warmHandoverOn: today } });
    expectError(await t.gql(USERS.vt, UPDATE, { input: { id: c.handover.id, version: 1, outcome: "Overschreven" } }), "CONFLICT", "version");
    const row = await db().query("SELECT outcome, version FROM handover WHERE id = $1", [c.handover.id]);
    expect(row.rows[0].version).toBe(2);
    expect(decryptValue(row.rows[0].outcome, "handover.outcome")).toBe(handOverInput().outcome); // encrypted at rest
  });

  it("NOT_FOUND for a wrong id and a handover of a case Veilig Thuis cannot see; FORBIDDEN for other roles", async () => {
    const c = await handedOver();
    expectError(await t.gql(USERS.vt, UPDATE, { input: { id: wrongId, version: 1 } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.vt, UPDATE, { input: { id: "nope", version: 1 } }), "NOT_FOUND", "id");
    const hidden = await notVtsCase();
    const h = (await db().query("SELECT id FROM handover WHERE case_id = $1", [hidden.caseId])).rows[0].id;
    expectError(await t.gql(USERS.vt, UPDATE, { input: { id: h, version: 1, warmHandoverOn: today } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: c.handover.id, version: 1, warmHandoverOn: today } }), "FORBIDDEN");
    expectError(await t.gql(USERS.vlinder, UPDATE, { input: { id: c.handover.id, version: 1, warmHandoverOn: today } }), "FORBIDDEN");
  });

  it("refuses bad input with the field, and a closed case with CONFLICT", async () => {
    const c = await handedOver();
    const id = c.handover.id;
    expectError(await t.gql(USERS.vt, UPDATE, { input: { id, version: 1, warmHandoverOn: tomorrow } }), "BAD_USER_INPUT", "warmHandoverOn");
    expectError(await t.gql(USERS.vt, UPDATE, { input: { id, version: 1, outcome: null } }), "BAD_USER_INPUT", "outcome");
    expectError(await t.gql(USERS.vt, UPDATE, { input: { id, version: 1, outcome: "x".repeat(20001) } }), "BAD_USER_INPUT", "outcome");
    expectError(await t.gql(USERS.vt, UPDATE, { input: { id, version: 1, writtenHandoverReceived: false } }), "BAD_USER_INPUT", "writtenHandoverReceivedOn");
    await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [c.id]);
    expectError(await t.gql(USERS.vt, UPDATE, { input: { id, version: 1, warmHandoverOn: today } }), "CONFLICT");
    expect((await db().query("SELECT version FROM handover WHERE id = $1", [id])).rows[0].version).toBe(1);
  });

  it("is handover data: a school involved in the case reads null with FORBIDDEN", async () => {
    const c = await handedOver();
    const r = await t.gql(USERS.vlinder, `query($id: ID!) { case(id: $id) { id handover { outcome } } }`, { id: c.id });
    expect(r.data!.case).toEqual({ id: c.id, handover: null });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("dates and BSN rules", () => {
  it("the first check is due after the VT organisation's interval, 3 months when none is configured; month ends are clamped", () => {
    expect(firstMonitoringDueOn("2025-01-15", null)).toBe("2025-04-15");
    expect(firstMonitoringDueOn("2025-01-15", 6)).toBe("2025-07-15");
    expect(addMonths("2025-11-30", 3)).toBe("2026-02-28");
    expect(addMonths("2023-11-30", 3)).toBe("2024-02-29");
  });

  it("the 11-proef", () => {
    expect(isValidBsn("111222333")).toBe(true);
    expect(isValidBsn("123456782")).toBe(true);
    expect(isValidBsn("123456789")).toBe(false);
    expect(isValidBsn("000000000")).toBe(false);
    expect(isValidBsn("12345678a")).toBe(false);
  });
});
