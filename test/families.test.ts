import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;
let org: Record<"vt" | "swt" | "vlinder" | "anker" | "hap" | "brug" | "ggz" | "jgz", string>;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const tomorrow = iso(new Date(Date.now() + 86_400_000));
const wrongId = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  t = await startTestHub();
  org = {
    vt: await orgId(ORGS.vt),
    swt: await orgId(ORGS.swt),
    vlinder: await orgId(ORGS.vlinder),
    anker: await orgId(ORGS.anker),
    hap: await orgId(ORGS.hap),
    brug: await orgId(ORGS.brug),
    ggz: await orgId(ORGS.ggz),
    jgz: await orgId(ORGS.jgz),
  };
});
afterAll(() => t?.stop());

const MEMBER_FIELDS = `id kind givenName familyName birthDate bsn version school { id } gp { id }`;
const ADD = `mutation($input: AddFamilyMemberInput!) { addFamilyMember(input: $input) { ${MEMBER_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateFamilyMemberInput!) { updateFamilyMember(input: $input) { ${MEMBER_FIELDS} } }`;
const INVOLVE = `mutation($input: InvolveOrganisationInput!) { involveOrganisation(input: $input) { id role startedAt endedAt endReason organisation { id } } }`;
const END = `mutation($input: EndInvolvementInput!) { endInvolvement(input: $input) { id role endedAt endReason organisation { id } } }`;

async function events(kind: string, entityId: string) {
  return (await db().query("SELECT kind, entity, case_id, organisation_ids FROM change_event WHERE kind = $1 AND entity_id = $2", [kind, entityId])).rows;
}
function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
async function close(fx: FixtureCase) {
  await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);
}
const child = (over: Record<string, unknown> = {}) => ({ kind: "CHILD", givenName: "Mees", familyName: "Testgezin", birthDate: "2019-02-03", schoolId: org.anker, gpId: org.hap, ...over });

describe("addFamilyMember", () => {
  it("the regisseur adds a child; a childless household becomes one with children; FAMILY_MEMBER_ADDED concerns its school and GP", async () => {
    const fx = await createCase({ regisseur: USERS.jansen, children: [] });
    const d = await t.ok(USERS.jansen, ADD, { input: { caseId: fx.caseId, member: child() } });
    const m = d.addFamilyMember;
    expect(m).toMatchObject({ kind: "CHILD", givenName: "Mees", familyName: "Testgezin", birthDate: "2019-02-03", bsn: null, version: 1, school: { id: org.anker }, gp: { id: org.hap } });
    const c = await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { family { hasChildren version members { id } } } }`, { id: fx.caseId });
    expect(c.case.family.hasChildren).toBe(true);
    expect(c.case.family.version).toBe(2);
    expect(c.case.family.members.map((x: any) => x.id)).toContain(m.id);
    const ev = await events("FAMILY_MEMBER_ADDED", m.id);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ entity: "FamilyMember", case_id: fx.caseId });
    expect(ev[0].organisation_ids.sort()).toEqual([org.anker, org.hap].sort());
    const row = await db().query("SELECT created_by FROM family_member WHERE id = $1", [m.id]);
    expect(row.rows[0].created_by).toBe(await professionalId(USERS.jansen));
    // an adult without birth date, school or GP is fine
    const a = await t.ok(USERS.jansen, ADD, { input: { caseId: fx.caseId, member: { kind: "ADULT", givenName: "Oma", familyName: "Testgezin" } } });
    expect(a.addFamilyMember).toMatchObject({ kind: "ADULT", birthDate: null, school: null, gp: null });
  });

  it("refuses bad input with the field, and takes no BSN", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const count = async () => (await db().query("SELECT count(*)::int AS n FROM family_member WHERE family_id = $1", [fx.familyId])).rows[0].n;
    const before = await count();
    const bad: [Record<string, unknown>, string][] = [
      [child({ birthDate: null }), "member.birthDate"],
      [child({ birthDate: tomorrow }), "member.birthDate"],
      [child({ schoolId: org.hap }), "member.schoolId"],
      [child({ schoolId: wrongId }), "member.schoolId"],
      [child({ gpId: org.jgz }), "member.gpId"],
      [child({ kind: "ADULT", birthDate: "1970-01-01" }), "member.schoolId"], // adults have no school here
      [child({ givenName: "x".repeat(101) }), "member.givenName"],
      [child({ familyName: " " }), "member.familyName"],
      [child({ gpId: "not-an-id" }), "member.gpId"],
    ];
    for (const [member, field] of bad) expectError(await t.gql(USERS.jansen, ADD, { input: { caseId: fx.caseId, member } }), "BAD_USER_INPUT", field);
    // the BSN is recorded by Veilig Thuis at handover only: not part of this input
    expectError(await t.gql(USERS.jansen, ADD, { input: { caseId: fx.caseId, member: child({ bsn: "111222333" }) } }), "BAD_USER_INPUT");
    expect(await count()).toBe(before);
  });

  it("NOT_FOUND for a wrong case and a case the viewer is not involved in; FORBIDDEN for roles that may not change identity data; CONFLICT when closed", async () => {
    const fx = await createCase({ involve: ["vlinder", "brug"], regisseur: USERS.jansen });
    expectError(await t.gql(USERS.jansen, ADD, { input: { caseId: wrongId, member: child() } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, ADD, { input: { caseId: fx.caseId, member: child() } }), "NOT_FOUND", "caseId");
    for (const who of [USERS.vlinder, USERS.brug, USERS.vt]) expectError(await t.gql(who, ADD, { input: { caseId: fx.caseId, member: child() } }), "FORBIDDEN");
    // a regisseur of an organisation that does not hold regie acts as a professional there
    const other = await createCase({ involve: ["regieteam"], regisseur: USERS.jansen });
    expectError(await t.gql(USERS.mulder, ADD, { input: { caseId: other.caseId, member: child() } }), "FORBIDDEN");
    await close(fx);
    expectError(await t.gql(USERS.jansen, ADD, { input: { caseId: fx.caseId, member: child() } }), "CONFLICT");
    const n = await db().query("SELECT count(*)::int AS n FROM family_member WHERE family_id = ANY($1::uuid[])", [[fx.familyId, other.familyId]]);
    expect(n.rows[0].n).toBe(6);
  });
});

describe("updateFamilyMember", () => {
  it("changes names and school through the family's open case; version bumps; the old and new school are concerned", async () => {
    const fx = await createCase({ regisseur: USERS.jansen, involve: ["vlinder"] });
    const id = fx.childIds[0];
    const d = await t.ok(USERS.jansen, UPDATE, { input: { id, version: 1, givenName: "Lotte", schoolId: org.anker } });
    expect(d.updateFamilyMember).toMatchObject({ id, givenName: "Lotte", familyName: expect.any(String), birthDate: "2016-03-04", school: { id: org.anker }, gp: { id: org.hap }, version: 2 });
    const ev = await events("FAMILY_MEMBER_UPDATED", id);
    expect(ev).toHaveLength(1);
    expect(ev[0].case_id).toBe(fx.caseId);
    expect(ev[0].organisation_ids.sort()).toEqual([org.vlinder, org.anker, org.hap].sort());
    // null clears the GP; omitted fields stay
    const e = await t.ok(USERS.jansen, UPDATE, { input: { id, version: 2, gpId: null } });
    expect(e.updateFamilyMember).toMatchObject({ givenName: "Lotte", school: { id: org.anker }, gp: null, version: 3 });
    const row = await db().query("SELECT updated_by FROM family_member WHERE id = $1", [id]);
    expect(row.rows[0].updated_by).toBe(await professionalId(USERS.jansen));
  });

  it("a stale version is a CONFLICT and changes nothing", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const id = fx.adultIds[0];
    await t.ok(USERS.jansen, UPDATE, { input: { id, version: 1, givenName: "Eerste" } });
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id, version: 1, givenName: "Tweede" } }), "CONFLICT", "version");
    expect((await db().query("SELECT given_name, version FROM family_member WHERE id = $1", [id])).rows[0]).toEqual({ given_name: "Eerste", version: 2 });
  });

  it("refuses bad input with the field", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const [adult] = fx.adultIds;
    const [kid] = fx.childIds;
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: kid, version: 1, birthDate: null } }), "BAD_USER_INPUT", "birthDate");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: kid, version: 1, birthDate: tomorrow } }), "BAD_USER_INPUT", "birthDate");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: kid, version: 1, schoolId: org.brug } }), "BAD_USER_INPUT", "schoolId");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: kid, version: 1, gpId: org.vlinder } }), "BAD_USER_INPUT", "gpId");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: adult, version: 1, schoolId: org.vlinder } }), "BAD_USER_INPUT", "schoolId");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: adult, version: 1, givenName: null } }), "BAD_USER_INPUT", "givenName");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: adult, version: 1, familyName: "" } }), "BAD_USER_INPUT", "familyName");
    // an adult's birth date may be cleared
    expect((await t.ok(USERS.jansen, UPDATE, { input: { id: adult, version: 1, birthDate: null } })).updateFamilyMember.birthDate).toBeNull();
    expect((await db().query("SELECT version FROM family_member WHERE id = $1", [kid])).rows[0].version).toBe(1);
  });

  it("NOT_FOUND for a wrong id, a member of a case the viewer cannot see, and a member of a family without an open case; FORBIDDEN for a school", async () => {
    const fx = await createCase({ regisseur: USERS.jansen, involve: ["vlinder"] });
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: wrongId, version: 1, givenName: "X" } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: "nope", version: 1, givenName: "X" } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, UPDATE, { input: { id: fx.adultIds[0], version: 1, givenName: "X" } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.vlinder, UPDATE, { input: { id: fx.childIds[0], version: 1, givenName: "X" } }), "FORBIDDEN");
    await close(fx);
    expectError(await t.gql(USERS.jansen, UPDATE, { input: { id: fx.adultIds[0], version: 1, givenName: "X" } }), "NOT_FOUND", "id");
    expect((await db().query("SELECT count(*)::int AS n FROM family_member WHERE family_id = $1 AND version > 1", [fx.familyId])).rows[0].n).toBe(0);
  });
});

describe("involveOrganisation and endInvolvement", () => {
  it("involves an organisation (INVOLVEMENT_STARTED), refuses it twice (CONFLICT), ends it with who and why (INVOLVEMENT_ENDED), refuses ending twice", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const i = (await t.ok(USERS.jansen, INVOLVE, { input: { caseId: fx.caseId, organisationId: org.ggz, role: "GGZ-behandeling moeder" } })).involveOrganisation;
    expect(i).toMatchObject({ role: "GGZ-behandeling moeder", endedAt: null, organisation: { id: org.ggz } });
    expect(await events("INVOLVEMENT_STARTED", i.id)).toEqual([{ kind: "INVOLVEMENT_STARTED", entity: "Involvement", case_id: fx.caseId, organisation_ids: [org.ggz] }]);
    // GGZ Oever now sees the case
    expect((await t.ok(USERS.ggz, `query($id: ID!) { case(id: $id) { id } }`, { id: fx.caseId })).case.id).toBe(fx.caseId);

    const dup = await t.gql(USERS.jansen, INVOLVE, { input: { caseId: fx.caseId, organisationId: org.ggz, role: "nogmaals" } });
    expectError(dup, "CONFLICT");
    expect(dup.errors![0].extensions!.constraint).toBe("uq_involvement_active");

    const e = (await t.ok(USERS.jansen, END, { input: { id: i.id, reason: "Behandeling afgerond" } })).endInvolvement;
    expect(e).toMatchObject({ id: i.id, endReason: "Behandeling afgerond", organisation: { id: org.ggz } });
    expect(e.endedAt).not.toBeNull();
    const row = await db().query("SELECT ended_by FROM involvement WHERE id = $1", [i.id]);
    expect(row.rows[0].ended_by).toBe(await professionalId(USERS.jansen));
    expect(await events("INVOLVEMENT_ENDED", i.id)).toEqual([{ kind: "INVOLVEMENT_ENDED", entity: "Involvement", case_id: fx.caseId, organisation_ids: [org.ggz] }]);
    expectError(await t.gql(USERS.jansen, END, { input: { id: i.id, reason: "nogmaals" } }), "CONFLICT", "id");
    // the case is gone for GGZ Oever, and the history stays
    expectError(await t.gql(USERS.ggz, `query($id: ID!) { case(id: $id) { id } }`, { id: fx.caseId }), "NOT_FOUND");
    const c = await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { involvements { id endedAt } } }`, { id: fx.caseId });
    expect(c.case.involvements.at(-1)).toMatchObject({ id: i.id, endedAt: e.endedAt });
    // once ended, it may be involved again
    await t.ok(USERS.jansen, INVOLVE, { input: { caseId: fx.caseId, organisationId: org.ggz, role: "opnieuw" } });
  });

  it("refuses to end the involvement of the organisation holding regie (CONFLICT)", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    const swt = (await db().query("SELECT id FROM involvement WHERE case_id = $1 AND organisation_id = $2", [fx.caseId, org.swt])).rows[0].id;
    expectError(await t.gql(USERS.jansen, END, { input: { id: swt, reason: "weg" } }), "CONFLICT", "id");
    expect((await db().query("SELECT ended_at FROM involvement WHERE id = $1", [swt])).rows[0].ended_at).toBeNull();
  });

  it("refuses bad input with the field", async () => {
    const fx = await createCase({ regisseur: USERS.jansen });
    expectError(await t.gql(USERS.jansen, INVOLVE, { input: { caseId: fx.caseId, organisationId: wrongId, role: "x" } }), "BAD_USER_INPUT", "organisationId");
    expectError(await t.gql(USERS.jansen, INVOLVE, { input: { caseId: fx.caseId, organisationId: "nope", role: "x" } }), "BAD_USER_INPUT", "organisationId");
    expectError(await t.gql(USERS.jansen, INVOLVE, { input: { caseId: fx.caseId, organisationId: org.ggz, role: "" } }), "BAD_USER_INPUT", "role");
    expectError(await t.gql(USERS.jansen, INVOLVE, { input: { caseId: fx.caseId, organisationId: org.ggz, role: "x".repeat(201) } }), "BAD_USER_INPUT", "role");
    const vt = (await db().query("SELECT id FROM involvement WHERE case_id = $1 AND organisation_id = $2", [fx.caseId, org.vt])).rows[0].id;
    expectError(await t.gql(USERS.jansen, END, { input: { id: vt, reason: "" } }), "BAD_USER_INPUT", "reason");
    expect((await db().query("SELECT count(*)::int AS n FROM involvement WHERE case_id = $1", [fx.caseId])).rows[0].n).toBe(2);
  });

  it("NOT_FOUND for wrong ids and cases the viewer cannot see; FORBIDDEN for roles that may not change the case; CONFLICT when closed", async () => {
    const fx = await createCase({ regisseur: USERS.jansen, involve: ["brug", "vlinder"] });
    const brug = (await db().query("SELECT id FROM involvement WHERE case_id = $1 AND organisation_id = $2", [fx.caseId, org.brug])).rows[0].id;
    expectError(await t.gql(USERS.jansen, INVOLVE, { input: { caseId: wrongId, organisationId: org.ggz, role: "x" } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.mulder, INVOLVE, { input: { caseId: fx.caseId, organisationId: org.ggz, role: "x" } }), "NOT_FOUND", "caseId");
    expectError(await t.gql(USERS.jansen, END, { input: { id: wrongId, reason: "x" } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, END, { input: { id: brug, reason: "x" } }), "NOT_FOUND", "id");
    for (const who of [USERS.brug, USERS.vlinder, USERS.vt]) {
      expectError(await t.gql(who, INVOLVE, { input: { caseId: fx.caseId, organisationId: org.ggz, role: "x" } }), "FORBIDDEN");
      expectError(await t.gql(who, END, { input: { id: brug, reason: "x" } }), "FORBIDDEN");
    }
    await close(fx);
    expectError(await t.gql(USERS.jansen, INVOLVE, { input: { caseId: fx.caseId, organisationId: org.ggz, role: "x" } }), "CONFLICT");
    expectError(await t.gql(USERS.jansen, END, { input: { id: brug, reason: "x" } }), "CONFLICT");
    const rows = await db().query("SELECT count(*)::int AS n, count(ended_at)::int AS ended FROM involvement WHERE case_id = $1", [fx.caseId]);
    expect(rows.rows[0]).toEqual({ n: 4, ended: 0 });
  });
});
