import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, setBsn, type FixtureCase } from "./support/fixtures.js";

let t: TestHub;
let deBoerLike: FixtureCase; // De Vlinder involved; one child at De Vlinder, one at Het Anker
let notInvolved: FixtureCase; // De Vlinder not involved
beforeAll(async () => {
  t = await startTestHub();
  deBoerLike = await createCase({
    involve: ["vlinder", "hap", "jgz"],
    regisseur: USERS.jansen,
    children: [
      { birthDate: "2016-05-01", school: "vlinder" },
      { birthDate: "2012-02-02", school: "anker" },
    ],
  });
  notInvolved = await createCase({ involve: ["anker"], regisseur: USERS.jansen });
  await setBsn(deBoerLike.adultIds[0], "111222333");
});
afterAll(() => t?.stop());

const CASE_Q = `query($id: ID!) { case(id: $id) { id status family { name members { id kind givenName bsn } } } }`;

describe("rows: a case the viewer's organisation is not involved in does not exist", () => {
  it("answers a not-involved case exactly like a wrong id", async () => {
    const a = await t.gql(USERS.vlinder, CASE_Q, { id: notInvolved.caseId });
    const b = await t.gql(USERS.vlinder, CASE_Q, { id: "00000000-0000-4000-8000-000000000000" });
    expect(a.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect({ ...a, errors: a.errors?.map((e) => ({ ...e, locations: undefined })) }).toEqual({
      ...b,
      errors: b.errors?.map((e) => ({ ...e, locations: undefined })),
    });
    // control: the case exists for an involved viewer
    expect((await t.ok(USERS.anker, CASE_Q, { id: notInvolved.caseId })).case.id).toBe(notInvolved.caseId);
  });

  it("never lists a not-involved case", async () => {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const d: any = await t.ok(USERS.vlinder, `query($after: String) { cases(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after });
      ids.push(...d.cases.edges.map((e: any) => e.node.id));
      after = d.cases.pageInfo.hasNextPage ? d.cases.pageInfo.endCursor : null;
    } while (after);
    expect(ids).toContain(deBoerLike.caseId);
    expect(ids).not.toContain(notInvolved.caseId);
  });
});

describe("fields and items", () => {
  it("shows a school only its own pupils, and no BSN", async () => {
    const school = await t.gql(USERS.vlinder, CASE_Q, { id: deBoerLike.caseId });
    const members = school.data!.case.family.members;
    expect(members.map((m: any) => m.id)).toEqual([deBoerLike.childIds[0]]);
    expect(members[0].bsn).toBeNull();
    expect(school.errors?.some((e) => e.extensions?.code === "FORBIDDEN" && e.path?.join(".") === "case.family.members.0.bsn")).toBe(true);
    // control: the regisseur sees all four members and the BSN
    const reg = await t.ok(USERS.jansen, CASE_Q, { id: deBoerLike.caseId });
    expect(reg.case.family.members).toHaveLength(4);
    expect(reg.case.family.members.find((m: any) => m.id === deBoerLike.adultIds[0]).bsn).toBe("111222333");
  });

  it("shows JGZ the children only", async () => {
    const d = await t.gql(USERS.jgz, CASE_Q, { id: deBoerLike.caseId });
    expect(d.data!.case.family.members.map((m: any) => m.kind)).toEqual(["CHILD", "CHILD"]);
  });

  it("tells the viewer why: myAccess lists categories with their basis", async () => {
    const q = `query($id: ID!) { myAccess(caseId: $id) { effectiveRole isRegieOrganisation categories { category canRead canWrite readRule scope basis { kind id } } } }`;
    const school = (await t.ok(USERS.vlinder, q, { id: deBoerLike.caseId })).myAccess;
    const by = (c: string) => school.categories.find((x: any) => x.category === c);
    expect(by("risk")).toMatchObject({ canRead: false, canWrite: false, readRule: "NONE" });
    expect(by("safety")).toMatchObject({ canRead: true, scope: "sharedWithOrganisation" });
    expect(by("signals")).toMatchObject({ canRead: true, canWrite: true });
    expect(by("plan")).toMatchObject({ canRead: false, readRule: "CONSENT" });
    const reg = (await t.ok(USERS.jansen, q, { id: deBoerLike.caseId })).myAccess;
    expect(reg.isRegieOrganisation).toBe(true);
    expect(reg.categories.find((x: any) => x.category === "risk")).toMatchObject({ canRead: true, canWrite: true });
  });
});

describe("the access log", () => {
  it("records each read with who, organisation, role, case, client, categories and purpose", async () => {
    const before = await db().query("SELECT count(*)::int AS n FROM access_log WHERE case_id = $1", [deBoerLike.caseId]);
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await t.token(USERS.vlinder)}`, "x-purpose": "zorgoverleg groep 6" },
      body: JSON.stringify({ query: CASE_Q, variables: { id: deBoerLike.caseId } }),
    });
    expect(res.status).toBe(200);
    const log = await t.ok(USERS.fg, `query($f: ID) { accessLog(familyId: $f, first: 100) { edges { node { email role organisationName caseId familyId categories action purpose operation } } } }`, {
      f: deBoerLike.familyId,
    });
    const entries = log.accessLog.edges.map((e: any) => e.node);
    expect(entries.length).toBeGreaterThan(before.rows[0].n);
    const last = entries.filter((e: any) => e.email === USERS.vlinder).at(-1);
    expect(last).toMatchObject({
      role: "SCHOOL",
      organisationName: "Basisschool De Vlinder",
      caseId: deBoerLike.caseId,
      familyId: deBoerLike.familyId,
      action: "READ",
      purpose: "zorgoverleg groep 6",
    });
    expect(last.categories).toEqual(expect.arrayContaining(["case", "identity"]));
    expect(last.categories).not.toContain("bsn"); // denied, so not read
  });

  it("is for the privacy officer only", async () => {
    const r = await t.gql(USERS.jansen, `{ accessLog(first: 1) { edges { node { email } } } }`);
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(r.data ?? null).toBeNull();
  });

  it("is append-only in PostgreSQL and its hash chain reveals tampering", async () => {
    await expect(db().query("UPDATE access_log SET purpose = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(db().query("DELETE FROM access_log WHERE seq = 1")).rejects.toThrow(/append-only/);
    const verify = `{ verifyAccessLog { intact firstBrokenSeq entries } }`;
    expect((await t.ok(USERS.fg, verify)).verifyAccessLog).toMatchObject({ intact: true, firstBrokenSeq: null });

    // Someone with superuser rights bypasses the trigger and edits an entry: the chain shows where.
    const c = await db().connect();
    try {
      const { rows } = await c.query("SELECT seq, purpose FROM access_log ORDER BY seq LIMIT 1 OFFSET 1");
      await c.query("BEGIN");
      await c.query("ALTER TABLE access_log DISABLE TRIGGER tr_access_log_no_update");
      await c.query("UPDATE access_log SET purpose = 'verzonnen' WHERE seq = $1", [rows[0].seq]);
      await c.query("ALTER TABLE access_log ENABLE TRIGGER tr_access_log_no_update");
      await c.query("COMMIT");
      const broken = (await t.ok(USERS.fg, verify)).verifyAccessLog;
      expect(broken).toMatchObject({ intact: false, firstBrokenSeq: String(rows[0].seq) });
      // put it back so the chain is intact for everyone else
      await c.query("BEGIN");
      await c.query("ALTER TABLE access_log DISABLE TRIGGER tr_access_log_no_update");
      await c.query("UPDATE access_log SET purpose = $2 WHERE seq = $1", [rows[0].seq, rows[0].purpose]);
      await c.query("ALTER TABLE access_log ENABLE TRIGGER tr_access_log_no_update");
      await c.query("COMMIT");
      expect((await t.ok(USERS.fg, verify)).verifyAccessLog.intact).toBe(true);
    } finally {
      c.release();
    }
  });

  it("chains every entry of a multi-row INSERT, of several INSERTs in one transaction and of concurrent requests", async () => {
    const verify = `{ verifyAccessLog { intact firstBrokenSeq } }`;
    const before = Number((await db().query("SELECT seq FROM access_log_head")).rows[0].seq);
    const list = `{ cases(first: 50) { edges { node { id family { name } } } } }`;
    // concurrent requests, each logging several cases in one statement
    const pages = await Promise.all([USERS.jansen, USERS.vlinder, USERS.jansen, USERS.gp, USERS.jansen].map((u) => t.ok(u, list)));
    expect(pages.every((p) => p.cases.edges.length > 0)).toBe(true);
    const c = await db().connect();
    try {
      const row = (n: number) => `(gen_random_uuid(), 'chain@test.example', gen_random_uuid(), 'REGISSEUR', NULL, NULL, '{case}', 'READ', 'chain test ${n}', 'test', NULL)`;
      const cols = "(professional_id, email, organisation_id, role, case_id, family_id, categories, action, operation, purpose, request_id)";
      await c.query("BEGIN");
      await c.query(`INSERT INTO access_log ${cols} VALUES ${row(1)}, ${row(2)}, ${row(3)}`);
      await c.query(`INSERT INTO access_log ${cols} VALUES ${row(4)}, ${row(5)}`);
      await c.query("COMMIT");
    } finally {
      c.release();
    }
    const { rows } = await db().query("SELECT count(*)::int AS n, min(seq)::bigint AS lo, max(seq)::bigint AS hi FROM access_log WHERE seq > $1", [before]);
    const head = Number((await db().query("SELECT seq FROM access_log_head")).rows[0].seq);
    expect(rows[0].n).toBeGreaterThanOrEqual(5 + pages.length);
    expect(Number(rows[0].hi) - Number(rows[0].lo) + 1).toBe(rows[0].n); // no gap, no duplicate
    expect(head).toBe(Number(rows[0].hi)); // the head holds the last entry
    expect((await t.ok(USERS.fg, verify)).verifyAccessLog).toMatchObject({ intact: true, firstBrokenSeq: null });
  });
});
