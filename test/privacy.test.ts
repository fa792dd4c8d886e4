import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, setBsn, type FixtureCase } from "./support/fixtures.js";
import { CASE_TABLES, NOT_CLIENT_DATA } from "../server/modules/privacy/data-map.js";

let t: TestHub;
let c: FixtureCase; // De Vlinder and the GP involved, regie r.jansen
const HOSTILE = `<script>alert("x")</script> & 'zorg'`;
const ENTRY = `seq at professionalId email organisationId organisationName role caseId familyId categories action operation purpose requestId`;

async function readAs(email: string, purpose?: string) {
  const res = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await t.token(email)}`, ...(purpose ? { "x-purpose": purpose } : {}) },
    body: JSON.stringify({ query: `query($id: ID!) { case(id: $id) { id family { name members { givenName } } safetyPlan { whomToCall } } }`, variables: { id: c.caseId } }),
  });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  t = await startTestHub();
  c = await createCase({ involve: ["vlinder", "hap"], regisseur: USERS.jansen });
  await setBsn(c.adultIds[0], "987654321"); // encrypted at rest, as the hub stores it
  await db().query(`INSERT INTO safety_plan (case_id, signals_to_watch, whom_to_call, made_with_client) VALUES ($1, 'Onrust', 'Wijkteam', true)`, [c.caseId]);
  await readAs(USERS.jansen);
  await readAs(USERS.vlinder, HOSTILE);
  await readAs(USERS.gp);
});
afterAll(() => t?.stop());

const OVERVIEW = `query($m: ID!) { privacyOverview(memberId: $m) { memberId familyId subjectName familyName caseIds generatedAt
  groups { organisationName role category action period count firstAt lastAt purposes } entries { ${ENTRY} } } }`;

describe("who saw my file", () => {
  it("matches the access log row for row, and logs the lookup itself", async () => {
    const o = (await t.ok(USERS.fg, OVERVIEW, { m: c.adultIds[0] })).privacyOverview;
    expect(o).toMatchObject({ memberId: c.adultIds[0], familyId: c.familyId, subjectName: expect.stringMatching(/^Anna /), caseIds: [c.caseId] });
    const log = (await t.ok(USERS.fg, `query($f: ID) { accessLog(familyId: $f, first: 50) { edges { node { ${ENTRY} } } } }`, { f: c.familyId })).accessLog.edges.map(
      (e: any) => e.node,
    );
    // every row of the log about the household, in order, identical; then the privacy officer's own lookup
    expect(log.slice(0, -1)).toEqual(o.entries);
    expect(o.entries.map((e: any) => e.email)).toEqual(expect.arrayContaining([USERS.jansen, USERS.vlinder, USERS.gp]));
    expect(log.at(-1)).toMatchObject({ email: USERS.fg, role: "PRIVACY_OFFICER", action: "READ", familyId: c.familyId, caseId: null, categories: ["accessLog", "identity"] });

    // the groups are a complete summary of the rows: one count per entry and category
    const total = o.entries.reduce((n: number, e: any) => n + e.categories.length, 0);
    expect(o.groups.reduce((n: number, g: any) => n + g.count, 0)).toBe(total);
    const school = o.groups.find((g: any) => g.organisationName === "Basisschool De Vlinder" && g.category === "identity");
    expect(school).toMatchObject({ role: "SCHOOL", action: "READ", period: new Date().toISOString().slice(0, 7), count: 1, purposes: [HOSTILE] });
  });

  it("is the privacy officer's only", async () => {
    for (const who of [USERS.jansen, USERS.beleid, USERS.vlinder]) {
      const r = await t.gql(who, OVERVIEW, { m: c.adultIds[0] });
      expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
      expect(r.data ?? null).toBeNull();
    }
    const wrong = await t.gql(USERS.fg, OVERVIEW, { m: "00000000-0000-4000-8000-000000000000" });
    expect(wrong.errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });

  it("finds the person by the BSN on their identity document (keyed hash), answers only the privacy officer, and never echoes a BSN", async () => {
    await setBsn(c.adultIds[1], "100000009"); // a valid one (11-proef), as Veilig Thuis records it at handover
    const BY_BSN = `query($b: String) { privacyOverview(bsn: $b) { memberId familyId caseIds entries { seq } } }`;
    const byBsn = (await t.ok(USERS.fg, BY_BSN, { b: "100000009" })).privacyOverview;
    expect(byBsn).toMatchObject({ memberId: c.adultIds[1], familyId: c.familyId, caseIds: [c.caseId] });
    const byId = (await t.ok(USERS.fg, OVERVIEW, { m: c.adultIds[1] })).privacyOverview;
    expect(byId.entries.slice(0, byBsn.entries.length).map((e: any) => e.seq)).toEqual(byBsn.entries.map((e: any) => e.seq));
    const exported = (await t.ok(USERS.fg, `query($b: String) { subjectAccessExport(bsn: $b) { memberId document } }`, { b: "100000009" })).subjectAccessExport;
    expect(exported.memberId).toBe(c.adultIds[1]);
    expect(exported.document.person.bsn).toBe("100000009");

    const errors: unknown[] = [];
    const code = async (who: string, query: string, vars: Record<string, unknown>) => {
      const r = await t.gql(who, query, vars);
      errors.push(r.errors);
      expect(r.data?.privacyOverview ?? null).toBeNull();
      return r.errors?.[0].extensions?.code;
    };
    expect(await code(USERS.fg, BY_BSN, { b: "100000010" })).toBe("NOT_FOUND"); // valid, but nobody's
    expect(await code(USERS.fg, BY_BSN, { b: "123456789" })).toBe("BAD_USER_INPUT"); // fails the 11-proef
    expect(await code(USERS.fg, BY_BSN, {})).toBe("BAD_USER_INPUT"); // neither
    expect(await code(USERS.fg, `query($m: ID, $b: String) { privacyOverview(memberId: $m, bsn: $b) { memberId } }`, { m: c.adultIds[1], b: "100000009" })).toBe(
      "BAD_USER_INPUT",
    ); // both
    // no oracle for anyone else: the same FORBIDDEN whether the BSN is known or not
    for (const who of [USERS.jansen, USERS.vlinder]) {
      expect(await code(who, BY_BSN, { b: "100000009" })).toBe("FORBIDDEN");
      expect(await code(who, BY_BSN, { b: "100000010" })).toBe("FORBIDDEN");
    }
    const text = JSON.stringify(errors);
    for (const bsn of ["100000009", "100000010", "123456789"]) expect(text).not.toContain(bsn);
  });

  it("prints as a Dutch page, everything escaped, with the same rows", async () => {
    const get = async (email: string | null, id = c.childIds[0]) =>
      fetch(t.url.replace("/graphql", `/privacy/overview/${id}.html`), { headers: email ? { authorization: `Bearer ${await t.token(email)}` } : {} });
    const res = await get(USERS.fg);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain("Wie heeft uw dossier gezien?");
    expect(html).toContain("@media print");
    expect(html).toContain("Basisschool De Vlinder");
    expect(html).toContain("veiligheidsplan en -afspraken");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;zorg&#39;");
    // one detail row per log entry before this lookup
    const before = await db().query("SELECT count(*)::int AS n FROM access_log WHERE family_id = $1", [c.familyId]);
    const detail = html.slice(html.indexOf("Alle registraties"));
    expect((detail.match(/<tr><td class="n">/g) ?? []).length).toBe(before.rows[0].n - 1);

    expect((await get(USERS.jansen)).status).toBe(403);
    expect((await get(null)).status).toBe(401);
    expect((await get(USERS.fg, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await get(USERS.fg, "not-an-id")).status).toBe(404);
  });
});

describe("the right of access export", () => {
  it("contains everything about the person, as stored, and is logged as EXPORT", async () => {
    const q = `query($m: ID!) { subjectAccessExport(memberId: $m) { memberId format document } }`;
    const before = await db().query("SELECT max(seq) AS s FROM access_log");
    const x = (await t.ok(USERS.fg, q, { m: c.adultIds[0] })).subjectAccessExport;
    expect(x.format).toBe("ketenhub/subject-access-export@1");
    const d = x.document;
    expect(d.person).toMatchObject({ id: c.adultIds[0], given_name: "Anna", bsn: "987654321", family_id: c.familyId }); // decrypted
    expect(d.person).not.toHaveProperty("bsn_hash");
    expect(JSON.stringify(d)).not.toContain("enc:v1:"); // no ciphertext: the person reads their data
    expect(d.family).toMatchObject({ id: c.familyId });
    expect(d.household.map((m: any) => m.id).sort()).toEqual([c.adultIds[1], ...c.childIds].sort());
    expect(d.household.every((m: any) => !("bsn" in m) && !("birth_date" in m))).toBe(true);
    expect(d.cases).toHaveLength(1);
    const cs = d.cases[0];
    expect(cs.case.id).toBe(c.caseId);
    expect(cs.data.safety.safety_plan[0]).toMatchObject({ whom_to_call: "Wijkteam", case_id: c.caseId });
    expect(cs.data.handover.handover[0].outcome).toMatch(/Onderzoek afgerond/);
    expect(cs.data.case.involvement.length).toBe(4);
    // every case table appears, empty or not
    for (const { category, table } of CASE_TABLES) expect(cs.data[category]?.[table], `${category}.${table}`).toBeInstanceOf(Array);
    expect(d.accessLog.length).toBeGreaterThan(3);

    const logged = await db().query("SELECT case_id, family_id, action, categories, email FROM access_log WHERE seq > $1 AND family_id = $2 ORDER BY seq", [
      before.rows[0].s,
      c.familyId,
    ]);
    expect(logged.rows.map((r) => r.action)).toEqual(["EXPORT", "EXPORT"]);
    expect(logged.rows.every((r) => r.email === USERS.fg)).toBe(true);
    expect(logged.rows[0]).toMatchObject({ case_id: null, categories: ["accessLog", "bsn", "identity"] });
    expect(logged.rows[1].case_id).toBe(c.caseId);
    expect(logged.rows[1].categories).toEqual(expect.arrayContaining(["case", "handover", "safety"]));

    // the same document over HTTP, as a download
    const res = await fetch(t.url.replace("/graphql", `/privacy/export/${c.adultIds[0]}.json`), { headers: { authorization: `Bearer ${await t.token(USERS.fg)}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment/);
    const body = (await res.json()) as any;
    expect(body.person.bsn).toBe("987654321");
    const no = await fetch(t.url.replace("/graphql", `/privacy/export/${c.adultIds[0]}.json`), { headers: { authorization: `Bearer ${await t.token(USERS.jansen)}` } });
    expect(no.status).toBe(403);
    expect((await t.gql(USERS.jansen, q, { m: c.adultIds[0] })).errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("knows every table that holds case data (a new one must be mapped for export and retention)", async () => {
    const r = await db().query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'case_id' ORDER BY 1`,
    );
    const known = new Set([...CASE_TABLES.map((x) => x.table), ...NOT_CLIENT_DATA]);
    expect(r.rows.map((x) => x.table_name).filter((n) => !known.has(n))).toEqual([]);
    expect(r.rows.length).toBeGreaterThan(20);
  });
});
