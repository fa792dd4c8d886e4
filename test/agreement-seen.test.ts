import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planWithAgreement, startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";

let t: TestHub;
let org: Record<"swt" | "vlinder" | "hap" | "jgz" | "brug", string>;
let deBoerCaseId: string;
const wrongId = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  t = await startTestHub();
  org = { swt: await orgId(ORGS.swt), vlinder: await orgId(ORGS.vlinder), hap: await orgId(ORGS.hap), jgz: await orgId(ORGS.jgz), brug: await orgId(ORGS.brug) };
  const c = await db().query<{ id: string }>(
    "SELECT c.id FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = 'De Boer' AND f.created_at < now() - interval '1 day'",
  );
  deBoerCaseId = c.rows[0].id;
});
afterAll(() => t?.stop());

const SEEN_FIELDS = `id version seenBy { organisation { id name } seenBy { email } version seenAt current } notSeenBy { id name }`;
const MARK = `mutation($input: MarkSafetyAgreementSeenInput!) { markSafetyAgreementSeen(input: $input) { ${SEEN_FIELDS} } }`;
const AGREEMENTS = `query($id: ID!) { case(id: $id) { safetyPlan { agreements { id priority what version responsibleOrganisation { id } sharedWith { id } } } } }`;
const AGREEMENT_SEEN = `query($id: ID!) { case(id: $id) { safetyPlan { agreements { ${SEEN_FIELDS} } } } }`;
const UPDATE = `mutation($input: UpdateSafetyAgreementInput!) { updateSafetyAgreement(input: $input) { id version } }`;
const SHARE = `mutation($input: ShareSafetyAgreementInput!) { shareSafetyAgreement(input: $input) { id version } }`;

function expectError(r: { errors?: { extensions?: Record<string, any> }[] }, code: string, field?: string) {
  expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
}
async function agreementAs(email: string, caseId: string, id: string) {
  const d = await t.ok(email, AGREEMENT_SEEN, { id: caseId });
  return d.case.safetyPlan.agreements.find((a: any) => a.id === id);
}
const names = (orgs: { name: string }[]) => orgs.map((o) => o.name);
async function seenRows(agreementId: string) {
  return (await db().query("SELECT organisation_id, version, seen_at, seen_by FROM safety_agreement_seen WHERE agreement_id = $1 ORDER BY version, organisation_id", [agreementId])).rows;
}
async function seenEvents(agreementId: string) {
  return (await db().query("SELECT organisation_ids FROM change_event WHERE kind = 'SAFETY_AGREEMENT_SEEN' AND entity_id = $1 ORDER BY id", [agreementId])).rows;
}

describe("De Boer: the school marks its shared agreement seen; the regisseur sees who has and has not", () => {
  it("records De Vlinder's sighting, shows it to the regisseur, and shows it as not seen again after a change", async () => {
    // the agreement De Vlinder is responsible for and that is shared with it (seeded)
    const schoolView = (await t.ok(USERS.vlinder, AGREEMENTS, { id: deBoerCaseId })).case.safetyPlan.agreements;
    const a = schoolView.find((x: any) => x.responsibleOrganisation?.id === org.vlinder);
    expect(a).toBeDefined();
    const before = await agreementAs(USERS.jansen, deBoerCaseId, a.id);
    expect(names(before.notSeenBy)).toContain(ORGS.vlinder);
    expect(names(before.notSeenBy)).toContain(ORGS.jgz); // shared with JGZ too
    expect(names(before.notSeenBy)).not.toContain(ORGS.swt); // the regie organisation is the one asking

    const marked = (await t.ok(USERS.vlinder, MARK, { input: { id: a.id, version: a.version } })).markSafetyAgreementSeen;
    expect(marked.version).toBe(a.version);
    const reg = await agreementAs(USERS.jansen, deBoerCaseId, a.id);
    expect(reg.seenBy).toEqual([
      { organisation: { id: org.vlinder, name: ORGS.vlinder }, seenBy: { email: USERS.vlinder }, version: a.version, seenAt: expect.any(String), current: true },
    ]);
    expect(names(reg.notSeenBy)).not.toContain(ORGS.vlinder);
    expect(names(reg.notSeenBy)).toContain(ORGS.jgz);
    expect(await seenEvents(a.id)).toEqual([{ organisation_ids: [org.swt] }]);
    const log = await db().query(
      "SELECT categories FROM access_log WHERE case_id = $1 AND email = $2 AND action = 'WRITE' AND operation LIKE '%markSafetyAgreementSeen%'",
      [deBoerCaseId, USERS.vlinder],
    );
    expect(log.rows).toEqual([{ categories: ["safety"] }]);

    // the same version again: idempotent — one row, the first sighting kept, no second event
    const rows = await seenRows(a.id);
    await t.ok(USERS.vlinder, MARK, { input: { id: a.id, version: a.version } });
    expect(await seenRows(a.id)).toEqual(rows);
    expect(await seenEvents(a.id)).toHaveLength(1);

    // the regisseur changes the agreement: De Vlinder has not seen the new version
    const changed = (
      await t.ok(USERS.jansen, UPDATE, { input: { id: a.id, version: a.version, criterion: "Wekelijks contactmoment vastgelegd; signalen dezelfde schooldag gemeld." } })
    ).updateSafetyAgreement;
    expect(changed.version).toBe(a.version + 1);
    const after = await agreementAs(USERS.jansen, deBoerCaseId, a.id);
    expect(names(after.notSeenBy)).toContain(ORGS.vlinder);
    expect(after.seenBy).toEqual([expect.objectContaining({ organisation: { id: org.vlinder, name: ORGS.vlinder }, version: a.version, current: false })]);

    // the old version is stale now; the new one can be marked
    expectError(await t.gql(USERS.vlinder, MARK, { input: { id: a.id, version: a.version } }), "CONFLICT", "version");
    await t.ok(USERS.vlinder, MARK, { input: { id: a.id, version: changed.version } });
    const again = await agreementAs(USERS.jansen, deBoerCaseId, a.id);
    expect(again.seenBy).toEqual([expect.objectContaining({ version: changed.version, current: true })]);
    expect(names(again.notSeenBy)).not.toContain(ORGS.vlinder);
  });

  it("a school cannot mark an agreement not shared with it: NOT_FOUND, the same answer as a wrong id", async () => {
    // Justification: the school cannot query that agreement (it is not in its list), so FORBIDDEN
    // would confirm that a hidden agreement exists; NOT_FOUND answers as for any unknown id.
    const schoolIds = (await t.ok(USERS.vlinder, AGREEMENTS, { id: deBoerCaseId })).case.safetyPlan.agreements.map((x: any) => x.id);
    const all = (await t.ok(USERS.jansen, AGREEMENTS, { id: deBoerCaseId })).case.safetyPlan.agreements;
    const hidden = all.find((x: any) => !schoolIds.includes(x.id) && x.sharedWith.some((o: any) => o.id === org.hap));
    expect(hidden).toBeDefined(); // it exists: the regisseur sees it
    const rows = await seenRows(hidden.id);
    const hiddenAnswer = await t.gql(USERS.vlinder, MARK, { input: { id: hidden.id, version: hidden.version } });
    const wrongAnswer = await t.gql(USERS.vlinder, MARK, { input: { id: wrongId, version: 1 } });
    expectError(hiddenAnswer, "NOT_FOUND", "id");
    expectError(wrongAnswer, "NOT_FOUND", "id");
    expect(hiddenAnswer.errors![0].message).toBe(wrongAnswer.errors![0].message);
    expect(await seenRows(hidden.id)).toEqual(rows);
    // control: the GP, with whom it is shared, may mark it (a stale version shows the check runs after visibility)
    expectError(await t.gql(USERS.gp, MARK, { input: { id: hidden.id, version: hidden.version + 1 } }), "CONFLICT", "version");
  });

  it("NOT_FOUND for an organisation not involved in the case; FORBIDDEN for a role that reads no safety data", async () => {
    const a = (await t.ok(USERS.jansen, AGREEMENTS, { id: deBoerCaseId })).case.safetyPlan.agreements[0];
    const rows = await seenRows(a.id);
    expectError(await t.gql(USERS.anker, MARK, { input: { id: a.id, version: a.version } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.mulder, MARK, { input: { id: a.id, version: a.version } }), "NOT_FOUND", "id");
    expectError(await t.gql(USERS.visser, MARK, { input: { id: a.id, version: a.version } }), "FORBIDDEN"); // MANAGER of the SWT
    expect(await seenRows(a.id)).toEqual(rows);
  });
});

describe("seen on a fresh case", () => {
  async function fresh() {
    const fx = await createCase({ involve: ["vlinder", "hap", "jgz", "brug"], regisseur: USERS.jansen });
    const a = await planWithAgreement(t, USERS.jansen, {
      caseId: fx.caseId,
      priority: 1,
      what: "Vader verlaat de woning bij oplopende spanning",
      criterion: "Geen escalaties in het bijzijn van de kinderen",
      responsibleKind: "ORGANISATION",
      responsibleOrganisationId: org.brug,
      reportToOrganisationId: org.swt,
      shareWithOrganisationIds: [org.vlinder, org.hap],
    });
    return { fx, a };
  }

  it("lists as not seen exactly the involved parties (shared with, responsible, reported to) minus the regie organisation; sharing makes everyone 'not seen' again", async () => {
    const { fx, a } = await fresh();
    const start = await agreementAs(USERS.jansen, fx.caseId, a.id);
    expect(names(start.notSeenBy)).toEqual([ORGS.vlinder, ORGS.hap, ORGS.brug]); // by name; JGZ is no party, the SWT holds regie
    expect(start.seenBy).toEqual([]);
    await t.ok(USERS.vlinder, MARK, { input: { id: a.id, version: a.version } });
    await t.ok(USERS.gp, MARK, { input: { id: a.id, version: a.version } });
    await t.ok(USERS.brug, MARK, { input: { id: a.id, version: a.version } });
    await t.ok(USERS.jgz, MARK, { input: { id: a.id, version: a.version } }); // JGZ may read it (safety R), so it may say it saw it
    const all = await agreementAs(USERS.jansen, fx.caseId, a.id);
    expect(all.notSeenBy).toEqual([]);
    expect(names(all.seenBy.map((s: any) => s.organisation)).sort()).toEqual([ORGS.vlinder, ORGS.hap, ORGS.jgz, ORGS.brug].sort());

    // sharing bumps the version: everyone is "not seen" again, the new party too
    const shared = (await t.ok(USERS.jansen, SHARE, { input: { id: a.id, organisationIds: [org.jgz] } })).shareSafetyAgreement;
    expect(shared.version).toBe(a.version + 1);
    const afterShare = await agreementAs(USERS.jansen, fx.caseId, a.id);
    expect(names(afterShare.notSeenBy).sort()).toEqual([ORGS.vlinder, ORGS.hap, ORGS.brug, ORGS.jgz].sort());
    expect(afterShare.seenBy.every((s: any) => s.current === false)).toBe(true);
    // an organisation whose involvement ended is no longer a party
    await db().query("UPDATE involvement SET ended_at = now() WHERE case_id = $1 AND organisation_id = $2", [fx.caseId, org.hap]);
    expect(names((await agreementAs(USERS.jansen, fx.caseId, a.id)).notSeenBy).sort()).toEqual([ORGS.vlinder, ORGS.brug, ORGS.jgz].sort());
  });

  it("the school sees seenBy of an agreement shared with it; one not shared with it stays hidden with its sightings", async () => {
    const { fx, a } = await fresh();
    await t.ok(USERS.gp, MARK, { input: { id: a.id, version: a.version } });
    const school = await t.gql(USERS.vlinder, AGREEMENT_SEEN, { id: fx.caseId });
    expect(school.errors).toBeUndefined();
    expect(school.data!.case.safetyPlan.agreements).toEqual([expect.objectContaining({ id: a.id, seenBy: [expect.objectContaining({ organisation: { id: org.hap, name: ORGS.hap } })] })]);
    await t.ok(USERS.jansen, `mutation($input: UnshareSafetyAgreementInput!) { unshareSafetyAgreement(input: $input) { id } }`, {
      input: { id: a.id, organisationId: org.vlinder },
    });
    expect((await t.ok(USERS.vlinder, AGREEMENT_SEEN, { id: fx.caseId })).case.safetyPlan.agreements).toEqual([]);
    expect((await t.ok(USERS.jansen, AGREEMENT_SEEN, { id: fx.caseId })).case.safetyPlan.agreements).toHaveLength(1);
  });

  it("tells the regisseur live: SAFETY_AGREEMENT_SEEN on myChanges, resolved with who has not seen it yet", async () => {
    const { fx, a } = await fresh();
    const client = wsClient(t.url, await t.token(USERS.jansen));
    const sub = collect(client, `subscription { myChanges { kind caseId entityId subject { ... on SafetyAgreement { id notSeenBy { name } } } } }`);
    await sleep(300);
    await t.ok(USERS.vlinder, MARK, { input: { id: a.id, version: a.version } });
    const mine = () => sub.received.filter((r) => r.data?.myChanges.caseId === fx.caseId && r.data?.myChanges.kind === "SAFETY_AGREEMENT_SEEN");
    for (let i = 0; i < 50 && mine().length < 1; i++) await sleep(100);
    expect(mine().map((r) => r.data.myChanges)).toEqual([
      { kind: "SAFETY_AGREEMENT_SEEN", caseId: fx.caseId, entityId: a.id, subject: { id: a.id, notSeenBy: [{ name: ORGS.hap }, { name: ORGS.brug }] } },
    ]);
    sub.stop();
    await client.dispose();
  });

  it("a sighting racing a change records the version that was current, or is a CONFLICT — never a version nobody saw", async () => {
    const { fx, a } = await fresh();
    let version = a.version;
    for (let i = 0; i < 4; i++) {
      const [mark, update] = await Promise.all([
        t.gql(USERS.vlinder, MARK, { input: { id: a.id, version } }),
        t.gql(USERS.jansen, UPDATE, { input: { id: a.id, version, criterion: `Ronde ${i}: geen escalaties in het bijzijn van de kinderen` } }),
      ]);
      expect(update.errors).toBeUndefined();
      const rows = (await seenRows(a.id)).filter((r: any) => r.organisation_id === org.vlinder && r.version === version);
      if (mark.errors) {
        expectError(mark, "CONFLICT", "version");
        expect(rows).toEqual([]);
      } else {
        expect(rows).toHaveLength(1);
      }
      version = update.data!.updateSafetyAgreement.version;
    }
    expect((await seenRows(a.id)).every((r: any) => r.version < version)).toBe(true);
    const reg = await agreementAs(USERS.jansen, fx.caseId, a.id);
    expect(names(reg.notSeenBy)).toContain(ORGS.vlinder);
  });

  it("refuses bad input with its field and a closed case, writing nothing", async () => {
    const { fx, a } = await fresh();
    expectError(await t.gql(USERS.vlinder, MARK, { input: { id: a.id, version: 0 } }), "BAD_USER_INPUT", "version");
    expectError(await t.gql(USERS.vlinder, MARK, { input: { id: a.id, version: "1" } }), "BAD_USER_INPUT");
    expectError(await t.gql(USERS.vlinder, MARK, { input: { id: a.id, version: a.version + 5 } }), "CONFLICT", "version");
    expectError(await t.gql(USERS.vlinder, MARK, { input: { id: "nope", version: 1 } }), "NOT_FOUND", "id");
    await db().query("UPDATE case_file SET status = 'CLOSED', closed_at = now() WHERE id = $1", [fx.caseId]);
    expectError(await t.gql(USERS.vlinder, MARK, { input: { id: a.id, version: a.version } }), "CONFLICT");
    expect(await seenRows(a.id)).toEqual([]);
    expect(await seenEvents(a.id)).toEqual([]);
  });
});
