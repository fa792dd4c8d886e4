import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { db, orgId, ORGS } from "./support/fixtures.js";

/**
 * The demo network of DOMAIN.md §7 as seeded once by the global setup. Other test files add
 * their own fresh cases in parallel, so every assertion is about the four demo families
 * (recognised by name and by their back-dated creation), never about "all cases".
 */
const DEMO = ["De Boer", "Yilmaz", "Verbeek", "Hendriks"] as const;
type DemoName = (typeof DEMO)[number];

let t: TestHub;
let demoCase: Record<DemoName, string>;
beforeAll(async () => {
  t = await startTestHub();
  const r = await db().query<{ id: string; name: DemoName }>(
    `SELECT c.id, f.name FROM case_file c JOIN family f ON f.id = c.family_id
      WHERE f.name = ANY($1) AND f.created_at < now() - interval '1 day'`,
    [DEMO],
  );
  demoCase = Object.fromEntries(r.rows.map((row) => [row.name, row.id])) as Record<DemoName, string>;
});
afterAll(() => t?.stop());

interface CaseNode {
  id: string;
  status: string;
  family: { name: string; members: { givenName: string; kind: string; birthDate: string | null }[] } | null;
  involvements: { organisation: { name: string }; endedAt: string | null }[];
}

const CASES_Q = `query($after: String) { cases(first: 100, after: $after) {
  edges { node { id status family { name members { givenName kind birthDate } } involvements { organisation { name } endedAt } } }
  pageInfo { hasNextPage endCursor } } }`;

/** Every case the viewer may see, all pages. */
async function visibleCases(email: string): Promise<CaseNode[]> {
  const all: CaseNode[] = [];
  let after: string | null = null;
  for (;;) {
    const d: any = await t.ok(email, CASES_Q, { after });
    all.push(...d.cases.edges.map((e: { node: CaseNode }) => e.node));
    if (!d.cases.pageInfo.hasNextPage) return all;
    after = d.cases.pageInfo.endCursor;
  }
}

/** The demo families among the viewer's cases, by name. */
async function visibleDemo(email: string): Promise<string[]> {
  const ids = new Map(Object.entries(demoCase).map(([name, id]) => [id, name]));
  return (await visibleCases(email))
    .filter((c) => ids.has(c.id))
    .map((c) => ids.get(c.id)!)
    .sort();
}

function ageToday(birthDate: string): number {
  const now = new Date();
  const [y, m, d] = birthDate.split("-").map(Number);
  return now.getFullYear() - y - (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d) ? 1 : 0);
}

describe("demo network: seeded once", () => {
  it("holds the ten organisations and each demo family exactly once", async () => {
    const orgs = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM organisation");
    expect(orgs.rows[0].n).toBe(10);
    const fams = await db().query<{ name: string; n: number }>("SELECT name, count(*)::int AS n FROM family WHERE name = ANY($1) GROUP BY name ORDER BY name", [DEMO]);
    expect(fams.rows).toEqual([...DEMO].sort().map((name) => ({ name, n: 1 })));
    expect(Object.keys(demoCase).sort()).toEqual([...DEMO].sort());
  });

  it("writes no change events for the seed", async () => {
    // the feed position right after the seed (global setup): other test files cause events on the
    // demo cases later (e.g. signals on De Boer), all of them above it
    expect(inject("seedFeedHead")).toBe(0);
  });
});

describe("demo network: who sees which family (row access)", () => {
  it("shows r.jansen De Boer, open, with two parents and two children at the stated ages", async () => {
    const deBoer = (await visibleCases(USERS.jansen)).find((c) => c.id === demoCase["De Boer"]);
    expect(deBoer).toBeDefined();
    expect(deBoer!.status).toBe("OPEN");
    expect(deBoer!.family!.name).toBe("De Boer");
    const members = deBoer!.family!.members;
    expect(members).toHaveLength(4);
    // adults first, then children, each by birth date
    expect(members.map((m) => [m.givenName, m.kind])).toEqual([
      ["Peter", "ADULT"],
      ["Sandra", "ADULT"],
      ["Daan", "CHILD"],
      ["Sara", "CHILD"],
    ]);
    const age = Object.fromEntries(members.map((m) => [m.givenName, ageToday(m.birthDate!)]));
    expect(age.Daan).toBe(9);
    expect(age.Sara).toBe(6);
    expect(deBoer!.involvements.filter((i) => i.endedAt === null).map((i) => i.organisation.name).sort()).toEqual(
      [ORGS.vt, ORGS.swt, ORGS.vlinder, ORGS.hap, ORGS.jgz, ORGS.brug].sort(),
    );
    // r.jansen's organisation (SWT) is in De Boer, Yilmaz and Hendriks, not in the Regieteam's Verbeek case
    expect(await visibleDemo(USERS.jansen)).toEqual(["De Boer", "Hendriks", "Yilmaz"]);
  });

  it("has the De Boer parents' BSNs as Veilig Thuis recorded them: the privacy officer finds Sandra by hers, the regisseur reads it, De Vlinder does not", async () => {
    const o = (await t.ok<{ privacyOverview: { subjectName: string; caseIds: string[] } }>(USERS.fg, `{ privacyOverview(bsn: "100000022") { subjectName caseIds } }`)).privacyOverview;
    expect(o).toEqual({ subjectName: "Sandra de Boer", caseIds: [demoCase["De Boer"]] });
    const q = `query($id: ID!) { case(id: $id) { family { members { givenName bsn } } } }`;
    const reg = (await t.ok<{ case: { family: { members: { givenName: string; bsn: string | null }[] } } }>(USERS.jansen, q, { id: demoCase["De Boer"] })).case.family.members;
    expect(reg.map((m) => [m.givenName, m.bsn])).toEqual([
      ["Peter", "100000034"],
      ["Sandra", "100000022"],
      ["Daan", null],
      ["Sara", null],
    ]);
    const school = await t.gql(USERS.vlinder, q, { id: demoCase["De Boer"] });
    expect(JSON.stringify(school)).not.toContain("100000022");
    expect(JSON.stringify(school)).not.toContain("100000034");
  });

  it("shows De Vlinder De Boer and no other demo family", async () => {
    expect(await visibleDemo(USERS.vlinder)).toEqual(["De Boer"]);
    const names = (await visibleCases(USERS.vlinder)).map((c) => c.family?.name);
    for (const other of ["Yilmaz", "Verbeek", "Hendriks"]) expect(names).not.toContain(other);
  });

  it("shows Het Anker its pupils' families: Yilmaz (open) and Hendriks (closed)", async () => {
    expect(await visibleDemo(USERS.anker)).toEqual(["Hendriks", "Yilmaz"]);
    expect((await visibleCases(USERS.anker)).find((c) => c.id === demoCase.Yilmaz)!.status).toBe("OPEN");
    expect((await visibleCases(USERS.anker)).find((c) => c.id === demoCase.Hendriks)!.status).toBe("CLOSED");
    // the household as the wijkteam sees it (the school sees its own pupils only)
    const yilmaz = (await visibleCases(USERS.jansen)).find((c) => c.id === demoCase.Yilmaz)!;
    expect(yilmaz.family!.members.map((m) => [m.givenName, m.kind])).toEqual([
      ["Ayşe", "ADULT"],
      ["Emre", "CHILD"],
    ]);
    expect(ageToday(yilmaz.family!.members[1].birthDate!)).toBe(7);
  });

  it("shows p.mulder (Regieteam) Verbeek, a household without children", async () => {
    expect(await visibleDemo(USERS.mulder)).toEqual(["Verbeek"]);
    const verbeek = (await visibleCases(USERS.mulder)).find((c) => c.id === demoCase.Verbeek)!;
    expect(verbeek.family!.members.every((m) => m.kind === "ADULT")).toBe(true);
    expect(verbeek.involvements.map((i) => i.organisation.name).sort()).toEqual([ORGS.vt, ORGS.regieteam, ORGS.hap, ORGS.ggz].sort());
  });

  it("shows Veilig Thuis every family it handed over", async () => {
    expect(await visibleDemo(USERS.vt)).toEqual([...DEMO].sort());
  });

  it("shows the municipality's auditor no case at all", async () => {
    // The auditor works with anonymised indicators only: the case list is empty or refused.
    const list = await t.gql(USERS.beleid, `{ cases(first: 100) { edges { node { id } } } }`);
    expect(list.data?.cases?.edges ?? []).toEqual([]);
    for (const e of list.errors ?? []) expect(e.extensions?.code).toBe("FORBIDDEN");
    for (const id of Object.values(demoCase)) {
      const one = await t.gql(USERS.beleid, `query($id: ID!) { case(id: $id) { id } }`, { id });
      expect(one.data?.case ?? null).toBeNull();
      expect(["NOT_FOUND", "FORBIDDEN"]).toContain(one.errors?.[0].extensions?.code);
    }
  });
});

describe("demo network: the stage each family is at (SQL)", () => {
  const q = async <T extends Record<string, unknown>>(sql: string, params: unknown[]) => (await db().query<T>(sql, params)).rows;

  it("has exactly one active casusregisseur where regie is held, none for Yilmaz, and keeps history", async () => {
    const active = await q<{ case_id: string; email: string; org: string }>(
      `SELECT r.case_id, p.email, o.name AS org FROM regie_assignment r JOIN professional p ON p.id = r.professional_id JOIN organisation o ON o.id = r.organisation_id
        WHERE r.case_id = ANY($1) AND r.kind = 'CASE' AND r.ended_at IS NULL`,
      [Object.values(demoCase)],
    );
    const byCase = (name: DemoName) => active.filter((a) => a.case_id === demoCase[name]);
    expect(byCase("De Boer")).toEqual([{ case_id: demoCase["De Boer"], email: USERS.jansen, org: ORGS.swt }]);
    expect(byCase("Verbeek")).toEqual([{ case_id: demoCase.Verbeek, email: USERS.mulder, org: ORGS.regieteam }]);
    expect(byCase("Yilmaz")).toEqual([]);
    expect(byCase("Hendriks")).toEqual([]);
    const ended = await q<{ email: string; case_id: string }>(
      `SELECT r.case_id, p.email FROM regie_assignment r JOIN professional p ON p.id = r.professional_id WHERE r.case_id = ANY($1) AND r.ended_at IS NOT NULL ORDER BY r.started_at`,
      [[demoCase["De Boer"], demoCase.Hendriks, demoCase.Yilmaz]],
    );
    expect(ended).toEqual([
      { case_id: demoCase.Hendriks, email: USERS.bakker },
      { case_id: demoCase["De Boer"], email: USERS.bakker },
    ]);
  });

  it("De Boer: handover complete, risk assessed twice, safety plan shared with school, GP and JGZ", async () => {
    const id = demoCase["De Boer"];
    const [h] = await q<{ n: number; written: boolean; warm: string | null; letter: string[] }>(
      "SELECT cardinality(safety_conditions) AS n, written_handover_received AS written, warm_handover_on AS warm, closing_letter_recipients AS letter FROM handover WHERE case_id = $1",
      [id],
    );
    expect(h.n).toBeGreaterThanOrEqual(3);
    expect(h.written).toBe(true);
    expect(h.warm).not.toBeNull();
    expect([...h.letter].sort()).toEqual(["CLIENT", "GP", "SCHOOL"]);

    const risks = await q<{ instrument: string; level: string }>("SELECT instrument, level FROM risk_assessment WHERE case_id = $1 ORDER BY assessed_on", [id]);
    expect(risks).toEqual([
      { instrument: "LIRIK", level: "HIGH" },
      { instrument: "ARIJ", level: "ELEVATED" },
    ]);

    const scores = await q<{ n: number }>("SELECT count(DISTINCT domain)::int AS n FROM life_domain_score WHERE case_id = $1 GROUP BY assessed_on", [id]);
    expect(scores).toEqual([{ n: 13 }, { n: 13 }]);

    const agreements = await q<{ kind: string; org: string | null; shared: string[] }>(
      `SELECT a.responsible_kind AS kind, o.name AS org,
              ARRAY(SELECT so.name FROM safety_agreement_share s JOIN organisation so ON so.id = s.organisation_id WHERE s.agreement_id = a.id ORDER BY so.name) AS shared
         FROM safety_agreement a LEFT JOIN organisation o ON o.id = a.responsible_organisation_id WHERE a.case_id = $1 ORDER BY a.priority`,
      [id],
    );
    expect(agreements).toHaveLength(5);
    expect(agreements.map((a) => a.org)).toEqual(expect.arrayContaining([ORGS.brug, ORGS.vlinder]));
    expect(agreements.some((a) => a.kind === "NETWORK_MEMBER")).toBe(true);
    const sharedWith = new Set(agreements.flatMap((a) => a.shared));
    for (const org of [ORGS.vlinder, ORGS.hap, ORGS.jgz]) expect(sharedWith).toContain(org);
    expect(agreements.some((a) => !a.shared.includes(ORGS.vlinder))).toBe(true);

    const consents = await q<{ org: string; categories: string[]; givers: number }>(
      "SELECT o.name AS org, k.categories, cardinality(k.given_by_member_ids) AS givers FROM consent k JOIN organisation o ON o.id = k.organisation_id WHERE k.case_id = $1 ORDER BY o.name",
      [id],
    );
    expect(consents).toEqual([
      { org: ORGS.vlinder, categories: ["plan", "meetingMinutes", "safety"], givers: 2 },
      { org: ORGS.hap, categories: ["plan", "risk", "lifeDomains", "meetingMinutes"], givers: 2 },
    ]);

    const meetings = await q<{ status: string; invitees: number; decisions: number; changed: number; future: boolean }>(
      `SELECT m.status, (SELECT count(*)::int FROM meeting_invitee i WHERE i.meeting_id = m.id) AS invitees,
              (SELECT count(*)::int FROM meeting_decision d WHERE d.meeting_id = m.id) AS decisions,
              (SELECT count(*)::int FROM meeting_changed_agreement x WHERE x.meeting_id = m.id) AS changed,
              m.scheduled_at > now() AS future
         FROM meeting m WHERE m.case_id = $1 ORDER BY m.scheduled_at`,
      [id],
    );
    expect(meetings).toEqual([
      { status: "HELD", invitees: 5, decisions: 2, changed: 1, future: false },
      { status: "PLANNED", invitees: 5, decisions: 0, changed: 0, future: true },
    ]);

    const signals = await q<{ org: string; acknowledged: boolean }>(
      // the seeded (back-dated) signals: test/signals.test.ts reports new ones on De Boer
      "SELECT o.name AS org, s.acknowledged_at IS NOT NULL AS acknowledged FROM signal s JOIN organisation o ON o.id = s.reporting_organisation_id WHERE s.case_id = $1 AND s.created_at < now() - interval '1 day' ORDER BY s.created_at",
      [id],
    );
    expect(signals).toEqual([
      { org: ORGS.vlinder, acknowledged: true },
      { org: ORGS.hap, acknowledged: false },
    ]);

    const monitoring = await q<{ due_on: string; done: boolean; restored: boolean | null; next: string | null }>(
      "SELECT due_on::text, contacted_on IS NOT NULL AS done, safety_restored AS restored, next_check_on::text AS next FROM monitoring_contact WHERE case_id = $1 ORDER BY due_on",
      [id],
    );
    expect(monitoring).toHaveLength(2);
    expect(monitoring[0]).toMatchObject({ done: true, restored: false });
    expect(monitoring[1]).toMatchObject({ done: false, due_on: monitoring[0].next });

    const [kd] = await q<{ email: string }>("SELECT p.email FROM key_decision k JOIN professional p ON p.id = k.behavioural_scientist_id WHERE k.case_id = $1", [id]);
    expect(kd.email).toBe(USERS.smit);
  });

  it("Yilmaz: written handover received, warm handover not yet held, first monitoring check scheduled", async () => {
    const [h] = await q<{ written: boolean; warm: string | null }>(
      "SELECT written_handover_received AS written, warm_handover_on AS warm FROM handover WHERE case_id = $1",
      [demoCase.Yilmaz],
    );
    expect(h).toEqual({ written: true, warm: null });
    const checks = await q<{ done: boolean; months: number }>(
      "SELECT contacted_on IS NOT NULL AS done, round((due_on - current_date) / 30.0)::int AS months FROM monitoring_contact WHERE case_id = $1",
      [demoCase.Yilmaz],
    );
    expect(checks).toEqual([{ done: false, months: 3 }]);
  });

  it("Verbeek: shared with the GP without consent, with legal basis, weighing and who decided", async () => {
    const rows = await q<{ categories: string[]; legal_basis: string; weighing: string; email: string }>(
      `SELECT d.categories, d.legal_basis, d.weighing, p.email FROM sharing_decision d JOIN professional p ON p.id = d.decided_by
        WHERE d.case_id = $1 AND d.organisation_id = $2`,
      [demoCase.Verbeek, await orgId(ORGS.hap)],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].categories).toEqual(["risk", "safety"]);
    expect(rows[0].legal_basis).toMatch(/Meldcode/);
    expect(rows[0].weighing.length).toBeGreaterThan(200);
    expect(rows[0].email).toBe(USERS.mulder);
    const consents = await q<{ n: number }>("SELECT count(*)::int AS n FROM consent WHERE case_id = $1", [demoCase.Verbeek]);
    expect(consents[0].n).toBe(0);
  });

  it("Hendriks: closed with GOALS_MET after an evaluation that compares risk at start (HIGH) with risk now (LOW)", async () => {
    const [c] = await q<{ status: string; closed: boolean; reason: string }>(
      "SELECT status, closed_at IS NOT NULL AS closed, close_reason AS reason FROM case_file WHERE id = $1",
      [demoCase.Hendriks],
    );
    expect(c).toEqual({ status: "CLOSED", closed: true, reason: "GOALS_MET" });
    const evals = await q<{ with_family: boolean; outcome: string; start_level: string; now_level: string; ordered: boolean; goals: number }>(
      `SELECT e.with_family, e.outcome, s.level AS start_level, n.level AS now_level, s.assessed_on < n.assessed_on AS ordered,
              (SELECT count(*)::int FROM evaluation_goal g WHERE g.evaluation_id = e.id) AS goals
         FROM evaluation e JOIN risk_assessment s ON s.id = e.risk_at_start_id JOIN risk_assessment n ON n.id = e.risk_now_id
        WHERE e.case_id = $1`,
      [demoCase.Hendriks],
    );
    expect(evals).toEqual([{ with_family: true, outcome: "CLOSE", start_level: "HIGH", now_level: "LOW", ordered: true, goals: 3 }]);
  });

  it("De Vlinder is actively involved in De Boer only", async () => {
    const rows = await q<{ case_id: string }>(
      "SELECT case_id FROM involvement WHERE organisation_id = $1 AND case_id = ANY($2)",
      [await orgId(ORGS.vlinder), Object.values(demoCase)],
    );
    expect(rows).toEqual([{ case_id: demoCase["De Boer"] }]);
  });
});
