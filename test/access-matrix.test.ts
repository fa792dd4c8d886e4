/**
 * The role × category read matrix, generated from the policy (server/access/policy.ts) and the
 * built schema: for every role (one demo user each, DOMAIN.md §7) and every case-bound data
 * category, one probe query reads one field of that category. Allowed cells must return the value;
 * denied cells null with FORBIDDEN at exactly the path where the policy denies (computed from the
 * field registry), and each deny is paired with a control read by the regisseur proving the value
 * exists. Roles whose organisation is not involved get NOT_FOUND, roles without any case right
 * (auditor, privacy officer) FORBIDDEN for any id: both byte-identical to a wrong id, also for
 * mutations that reach a case through an item id.
 * Writes: the same roles × categories, one mutation each (own items vs another organisation's).
 *
 * Subjects: the demo network's De Boer case (expected cells computed from its actual consents),
 * and a fresh fixture case with data of every category for every viewer, where the consent state
 * is controlled: no grant → consent → withdrawn → sharing decision without consent.
 *
 * Probes of fields that do not exist on this branch yet are listed and skipped; the schema check
 * turns them on as soon as the field appears (e.g. after the lead merges the meetings branch).
 */
import "reflect-metadata";
import { getNamedType, isLeafType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSchema } from "../server/schema.js";
import { MATRIX, ruleFor, type WriteAction } from "../server/access/policy.js";
import { ALL_CATEGORIES, type Category } from "../server/access/categories.js";
import { OPEN_CATEGORIES, ROLE_CATEGORIES } from "../server/access/decide.js";
import { fieldCategoriesOf } from "../server/access/field.js";
import { ROLES, type Role } from "../server/auth/viewer.js";
import { startTestHub, USERS, type GqlResult, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, professionalId, type FixtureCase } from "./support/fixtures.js";

// ---------------------------------------------------------------------------------------------
// The probe table: one field per case-bound category, as a path from Case down to the leaf.

// emergencyAccess needs a viewer NOT involved in the case, so its cells are in test/emergency.test.ts
type CaseCategory = Exclude<Category, "directory" | "structure" | "indicators" | "accessLog" | "retention" | "emergencyAccess">;
interface Probe {
  /** Case → … → leaf field of the category */
  path: string[];
  /** what adds the field, while it is not on this branch */
  pendingOn?: string;
}
const PROBES: Record<CaseCategory, Probe> = {
  case: { path: ["status"] },
  identity: { path: ["family", "name"] },
  bsn: { path: ["family", "members", "bsn"] },
  handover: { path: ["handover", "outcome"] },
  safety: { path: ["safetyPlan", "whomToCall"] },
  risk: { path: ["riskAssessments", "level"] },
  plan: { path: ["plan", "goals", "title"] },
  lifeDomains: { path: ["lifeDomainScores", "score"] },
  // the leaf of `meeting` falls back to any scalar field of that category on Meeting (see resolveProbe)
  meeting: { path: ["meetings", "scheduledAt"], pendingOn: "Case.meetings (meetings module)" },
  meetingMinutes: { path: ["meetings", "minutes"], pendingOn: "Case.meetings { minutes } (meetings module)" },
  signals: { path: ["signals", "description"], pendingOn: "Case.signals { description } (signals module)" },
  consent: { path: ["consents", "purpose"] },
  keyDecisions: { path: ["keyDecisions", "decision"], pendingOn: "Case.keyDecisions { decision } (decisions module)" },
  monitoring: { path: ["monitoringContacts", "dueOn"] },
  evaluation: { path: ["evaluations", "outcome"] },
};

/** One demo user per role (DOMAIN.md §7). */
const USER_OF: Record<Role, string> = {
  REGISSEUR: USERS.jansen,
  PROFESSIONAL: USERS.brug,
  SCHOOL: USERS.vlinder,
  HUISARTS: USERS.gp,
  JGZ: USERS.jgz,
  VEILIG_THUIS: USERS.vt,
  BEHAVIOURAL_SCIENTIST: USERS.smit,
  MANAGER: USERS.visser,
  AUDITOR: USERS.beleid,
  PRIVACY_OFFICER: USERS.fg,
};
const CONTROL = USERS.jansen; // the casusregisseur of every subject case

// ---------------------------------------------------------------------------------------------
// The built schema decides which probes run, and where a deny must surface.

const schema: GraphQLSchema = await createSchema();
const CASE_CATEGORIES = ALL_CATEGORIES.filter((c) => !OPEN_CATEGORIES.has(c) && !ROLE_CATEGORIES.has(c) && c !== "emergencyAccess") as CaseCategory[];

interface Step {
  typeName: string;
  field: string;
  category: Category;
}
interface ResolvedProbe {
  category: CaseCategory;
  path: string[];
  steps: Step[];
}
/**
 * The probe's path through the schema with each field's category, or the first missing field
 * (`atRoot`: the Case field itself is missing, i.e. the probe is pending). Relay connections on
 * the way are walked through `edges { node }` (pagination plumbing, readable by everyone).
 */
function resolveProbe(category: CaseCategory): ResolvedProbe | { missing: string; atRoot: boolean } {
  const wanted = PROBES[category].path;
  const path: string[] = [];
  const steps: Step[] = [];
  let type = schema.getType("Case") as GraphQLObjectType;
  const step = (name: string) => {
    path.push(name);
    steps.push({ typeName: type.name, field: name, category: fieldCategoriesOf(type.name)?.get(name) ?? ("(none)" as Category) });
    return getNamedType(type.getFields()[name].type);
  };
  for (const [i, name] of wanted.entries()) {
    let field = type.getFields()[name];
    if (!field && i === wanted.length - 1 && category === "meeting") {
      // any leaf of the category on the item type will do
      const cats = fieldCategoriesOf(type.name);
      field = Object.values(type.getFields()).find((f) => isLeafType(getNamedType(f.type)) && cats?.get(f.name) === category)!;
    }
    if (!field) return { missing: `${type.name}.${name}`, atRoot: i === 0 };
    let next = step(field.name);
    if (i < wanted.length - 1) {
      if (!isObjectType(next)) return { missing: `${type.name}.${field.name} { … }`, atRoot: false };
      const edges = next.getFields().edges;
      if (edges && !next.getFields()[wanted[i + 1]]) {
        type = next;
        next = step("edges");
        type = next as GraphQLObjectType;
        next = step("node");
      }
      type = next as GraphQLObjectType;
    }
  }
  return { category, path, steps };
}
const RESOLVED = Object.fromEntries(CASE_CATEGORIES.map((c) => [c, resolveProbe(c)])) as Record<CaseCategory, ResolvedProbe | { missing: string; atRoot: boolean }>;
const runnable = (c: CaseCategory): ResolvedProbe | undefined => ("missing" in RESOLVED[c] ? undefined : (RESOLVED[c] as ResolvedProbe));

const nest = (path: string[]): string => (path.length === 1 ? path[0] : `${path[0]} { ${nest(path.slice(1))} }`);
const probeQuery = (p: ResolvedProbe) => `query($id: ID!) { case(id: $id) { id ${nest(p.path)} } }`;

/** Every leaf value the probe reached (lists flattened); undefined when a container on the way was null. */
function leaves(data: any, path: string[]): unknown[] | undefined {
  let level: any[] = [data?.case];
  for (const key of path) {
    const next: any[] = [];
    for (const node of level) {
      if (node === null || node === undefined) return undefined;
      const v = node[key];
      if (Array.isArray(v)) next.push(...v);
      else next.push(v);
    }
    level = next;
  }
  return level;
}
const plainPath = (p: (string | number)[] | undefined) => (p ?? []).filter((s) => typeof s === "string").join(".");

// ---------------------------------------------------------------------------------------------
// What the policy says a viewer may read in a case (role × category, consent, regie organisation).

interface ViewerInCase {
  role: Role;
  involved: boolean;
  regieOrganisation: boolean;
  /** categories covered by an active consent or sharing decision for the viewer's organisation */
  grants: Set<string>;
}
function mayRead(v: ViewerInCase, category: Category): boolean {
  if (OPEN_CATEGORIES.has(category)) return true;
  const effective: Role = v.role === "REGISSEUR" && !v.regieOrganisation ? "PROFESSIONAL" : v.role;
  const read = ruleFor(effective, category).read;
  return read === "allow" || (read === "consent" && (v.regieOrganisation || v.grants.has(category)));
}
/** Where the probe must be denied for this viewer: the first field on its path whose category the viewer may not read. */
function denyAt(v: ViewerInCase, p: ResolvedProbe): string | undefined {
  const i = p.steps.findIndex((s) => !mayRead(v, s.category));
  return i < 0 ? undefined : ["case", ...p.path.slice(0, i + 1)].join(".");
}

async function viewerIn(caseId: string, email: string, role: Role): Promise<ViewerInCase> {
  const org = (await db().query<{ organisation_id: string }>("SELECT organisation_id FROM professional WHERE email = $1", [email])).rows[0].organisation_id;
  const q = (sql: string) => db().query(sql, [caseId, org]);
  const involved =
    (await q("SELECT 1 FROM involvement WHERE case_id = $1 AND organisation_id = $2 AND ended_at IS NULL UNION SELECT 1 FROM handover WHERE case_id = $1 AND from_organisation_id = $2"))
      .rowCount! > 0;
  const regieOrganisation = (await q("SELECT 1 FROM regie_assignment WHERE case_id = $1 AND organisation_id = $2 AND kind = 'CASE' AND ended_at IS NULL")).rowCount! > 0;
  const grants = await q(
    `SELECT unnest(categories) AS c FROM consent WHERE case_id = $1 AND organisation_id = $2 AND withdrawn_at IS NULL AND (valid_until IS NULL OR valid_until >= current_date)
     UNION SELECT unnest(categories) FROM sharing_decision WHERE case_id = $1 AND organisation_id = $2 AND withdrawn_at IS NULL AND (valid_until IS NULL OR valid_until >= current_date)`,
  );
  return { role, involved, regieOrganisation, grants: new Set(grants.rows.map((r) => r.c as string)) };
}

// ---------------------------------------------------------------------------------------------

let t: TestHub;
let deBoer: string;
let fx: FixtureCase;
let org: Record<"vt" | "swt" | "vlinder" | "hap" | "jgz" | "brug", string>;
const wrongId = "00000000-0000-4000-8000-000000000000";
const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const today = iso(new Date());

/** A fresh case with data of every category, visible to each scoped viewer (own pupil, own items, health, children). */
async function fixtureWithEverything(): Promise<FixtureCase> {
  const c = await createCase({ involve: ["vlinder", "hap", "jgz", "brug"], regisseur: USERS.jansen, children: [{ birthDate: "2016-03-04", school: "vlinder" }] });
  const q = (sql: string, params: unknown[]) => db().query(sql, params);
  const id = async (sql: string, params: unknown[]) => (await q(sql, params)).rows[0].id as string;
  const jansen = await professionalId(USERS.jansen);
  const [pupil] = c.childIds;
  await q("UPDATE family_member SET bsn = '1' || lpad((random() * 1e8)::int::text, 8, '0') WHERE family_id = $1", [c.familyId]);
  const sp = await id("INSERT INTO safety_plan (case_id, whom_to_call, made_with_client) VALUES ($1, 'Regisseur 06-10000001; acuut 112', true) RETURNING id", [c.caseId]);
  await q(
    "INSERT INTO safety_agreement (case_id, safety_plan_id, priority, what, criterion, responsible_kind, responsible_organisation_id) VALUES ($1, $2, 1, 'IB-gesprek wekelijks', 'Wekelijks vastgelegd', 'ORGANISATION', $3)",
    [c.caseId, sp, org.vlinder],
  );
  const risk = await id("INSERT INTO risk_assessment (case_id, instrument, assessed_on, level, conclusion, assessor_id) VALUES ($1, 'LIRIK', '2024-01-01', 'HIGH', 'Hoog risico', $2) RETURNING id", [
    c.caseId,
    await professionalId(USERS.smit),
  ]);
  await q("INSERT INTO plan (case_id, problem_analysis) VALUES ($1, 'Spanningen tussen ouders')", [c.caseId]);
  const goal = "INSERT INTO goal (case_id, title, domain, member_id) VALUES ($1, $2, $3, $4)";
  await q(goal, [c.caseId, "Op tijd op school", "WORK_EDUCATION", pupil]); // the school's (own pupil) and JGZ's (a child)
  await q(goal, [c.caseId, "Moeder slaapt door", "MENTAL_HEALTH", c.adultIds[1]]); // the GP's
  await q(goal, [c.caseId, "Schulden in beeld", "FINANCES", null]);
  for (const [domain, score] of [["MENTAL_HEALTH", 2], ["FINANCES", 1]] as const) {
    await q("INSERT INTO life_domain_score (case_id, domain, score, assessed_on) VALUES ($1, $2, $3, '2024-01-02')", [c.caseId, domain, score]);
  }
  const meeting = await id(
    "INSERT INTO meeting (case_id, scheduled_at, status, minutes, held_at) VALUES ($1, now() - interval '7 days', 'HELD', 'Verslag: veiligheid besproken', now() - interval '7 days') RETURNING id",
    [c.caseId],
  );
  for (const o of Object.values(org)) await q("INSERT INTO meeting_invitee (meeting_id, organisation_id, case_id) VALUES ($1, $2, $3)", [meeting, o, c.caseId]);
  for (const [who, o] of [[USERS.vlinder, org.vlinder], [USERS.gp, org.hap], [USERS.jgz, org.jgz]] as const) {
    await q("INSERT INTO signal (case_id, reporting_organisation_id, reported_by, observed_on, description) VALUES ($1, $2, $3, '2024-01-03', 'Zorgsignaal gemeld')", [
      c.caseId,
      o,
      await professionalId(who),
    ]);
    // a consent of the organisation's own (for a category no role needs consent for), so "own items" have something to show
    await q(
      "INSERT INTO consent (case_id, organisation_id, categories, purpose, given_by_member_ids, consent_rule, given_on) VALUES ($1, $2, '{identity}', 'Contactgegevens delen', $3, 'ADULT', '2024-01-01')",
      [c.caseId, o, c.adultIds],
    );
  }
  await q(
    "INSERT INTO key_decision (case_id, decision, decided_on, decided_by, consulted, information_basis) VALUES ($1, 'Hulp blijft vrijwillig', '2024-01-04', $2, 'Gedragswetenschapper', 'Risicotaxatie')",
    [c.caseId, jansen],
  );
  await q("INSERT INTO monitoring_contact (case_id, due_on) VALUES ($1, '2024-04-01')", [c.caseId]);
  await q("INSERT INTO evaluation (case_id, evaluated_on, with_family, outcome, risk_at_start_id, risk_now_id) VALUES ($1, '2024-02-01', true, 'CONTINUE', $2, $2)", [c.caseId, risk]);
  return c;
}

beforeAll(async () => {
  t = await startTestHub();
  org = {
    vt: await orgId(ORGS.vt),
    swt: await orgId(ORGS.swt),
    vlinder: await orgId(ORGS.vlinder),
    hap: await orgId(ORGS.hap),
    jgz: await orgId(ORGS.jgz),
    brug: await orgId(ORGS.brug),
  };
  deBoer = (await db().query("SELECT c.id FROM case_file c JOIN family f ON f.id = c.family_id WHERE f.name = 'De Boer'")).rows[0].id;
  fx = await fixtureWithEverything();
});
afterAll(() => t?.stop());

// ---------------------------------------------------------------------------------------------

describe("the matrix itself", () => {
  it("has a probe for every case-bound category of the policy, a demo user for every role, and each probe reads its own category", async () => {
    expect(Object.keys(PROBES).sort()).toEqual([...CASE_CATEGORIES].sort());
    expect(Object.keys(USER_OF).sort()).toEqual([...ROLES].sort());
    expect(Object.keys(MATRIX).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect((await t.ok(USER_OF[role], `{ me { role } }`)).me.role).toBe(role);
    for (const c of CASE_CATEGORIES) {
      const p = runnable(c);
      if (p) expect(p.steps.at(-1)!.category, `${c} probe ${p.path.join(".")}`).toBe(c);
      else {
        const r = RESOLVED[c] as { missing: string; atRoot: boolean };
        expect(PROBES[c].pendingOn, `${c}: ${r.missing} is missing but the probe is not marked pending`).toBeTruthy();
        // the Case field arrived but not as the probe expects: update the probe rather than skip silently
        expect(r.atRoot, `${c}: Case.${PROBES[c].path[0]} exists now, but ${r.missing} does not: update PROBES.${c}`).toBe(true);
      }
    }
  });
});

/** Roles with no right on the `case` category (auditor, privacy officer) are refused `case(id)` outright; their own categories are role-bound. */
const roleReadsCases = (role: Role) => ruleFor(role, "case").read !== "none";

/** Asserts one cell for one viewer (allowed: the value; denied: null, FORBIDDEN at the policy's path, and a control). */
async function checkCell(caseId: string, role: Role, p: ResolvedProbe, v: ViewerInCase, emptyOk = false) {
  const email = USER_OF[role];
  const q = probeQuery(p);
  const r = await t.gql(email, q, { id: caseId });
  const cell = `${role} × ${p.category} (${p.path.join(".")})`;
  if (!v.involved || !roleReadsCases(role)) {
    // the case does not exist for this viewer (NOT_FOUND), or the role reads no cases at all
    // (FORBIDDEN at the root, whatever the id): either way exactly the wrong-id answer
    expect(r.errors?.map((e) => e.extensions?.code), cell).toEqual([roleReadsCases(role) ? "NOT_FOUND" : "FORBIDDEN"]);
    expect(r.errors?.map((e) => plainPath(e.path)), cell).toEqual(["case"]);
    expect(r.data ?? null, cell).toBeNull();
    const wrong = await t.gql(email, q, { id: wrongId });
    expect(r, cell).toEqual(wrong);
    return;
  }
  const deny = denyAt(v, p);
  const values = leaves(r.data, p.path);
  const forbidden = (r.errors ?? []).filter((e) => e.extensions?.code === "FORBIDDEN").map((e) => plainPath(e.path));
  if (deny === undefined) {
    expect(r.errors ?? [], `${cell}: allowed, yet errors`).toEqual([]);
    if (emptyOk) expect(values, cell).toBeDefined();
    else expect(values?.some((x) => x !== null && x !== undefined), `${cell}: allowed but no value: ${JSON.stringify(r.data)}`).toBe(true);
  } else {
    expect((values ?? []).every((x) => x === null), `${cell}: denied at ${deny}, yet a value: ${JSON.stringify(r.data)}`).toBe(true);
    expect(forbidden, `${cell}: FORBIDDEN at ${deny}: ${JSON.stringify(r.errors)}`).toContain(deny);
    expect(forbidden.every((f) => f === deny), `${cell}: only at ${deny}: ${JSON.stringify(forbidden)}`).toBe(true);
    // control: the regisseur reads the value, and it is nowhere in the denied answer
    const control = await t.ok(CONTROL, q, { id: caseId });
    const shown = (leaves(control, p.path) ?? []).filter((x) => x !== null && x !== undefined);
    expect(shown.length, `${cell}: control by the regisseur shows no value`).toBeGreaterThan(0);
    for (const s of shown) if (typeof s === "string" && s.length >= 6) expect(JSON.stringify(r)).not.toContain(s);
  }
}

/** A cell's test: skipped while its probe's field is not in the schema (the merge activates it). */
function cellTest(name: string, category: CaseCategory, fn: (p: ResolvedProbe) => Promise<void>) {
  const p = runnable(category);
  if (!p) it.skip(`${name} — pending: ${PROBES[category].pendingOn}`, () => {});
  else it(name, () => fn(p));
}

describe("De Boer (demo network): every role × every case-bound category", () => {
  // Scoped cells where De Boer holds nothing for that viewer: allowed, but an empty list (the fixture case shows the values).
  const EMPTY_IN_DE_BOER = new Set(["JGZ:consent", "JGZ:signals"]);
  // Categories De Boer has no data of (no BSN recorded, not yet evaluated): covered by the fixture case.
  const NO_DATA_IN_DE_BOER = new Set<CaseCategory>(["bsn", "evaluation"]);
  for (const role of ROLES) {
    for (const category of CASE_CATEGORIES) {
      const name = `${role} × ${category}`;
      if (NO_DATA_IN_DE_BOER.has(category)) {
        it.skip(`${name} — De Boer has no ${category} data; see the fixture case`, () => {});
        continue;
      }
      cellTest(name, category, async (p) => {
        const v = await viewerIn(deBoer, USER_OF[role], role);
        await checkCell(deBoer, role, p, v, EMPTY_IN_DE_BOER.has(`${role}:${category}`));
      });
    }
  }

  it("is what DOMAIN.md §4 promises for De Boer: the school reads the plan (consent) and the shared safety plan, not the risk assessment", async () => {
    const v = await viewerIn(deBoer, USERS.vlinder, "SCHOOL");
    expect(v.grants.has("plan")).toBe(true);
    expect(denyAt(v, runnable("plan")!)).toBeUndefined();
    expect(denyAt(v, runnable("safety")!)).toBeUndefined();
    expect(denyAt(v, runnable("risk")!)).toBe("case.riskAssessments");
  });
});

/** Cells whose rule is "consent", generated from the matrix. */
const CONSENT_CELLS = ROLES.flatMap((role) => CASE_CATEGORIES.filter((c) => ruleFor(role, c).read === "consent").map((c) => ({ role, category: c })));
const ENUM = (c: string) => c.replace(/[A-Z]/g, (x) => `_${x}`).toUpperCase();
const consentCategoriesOf = (role: Role) => CONSENT_CELLS.filter((x) => x.role === role).map((x) => x.category);

describe("fixture case, no consent or sharing decision: every role × every case-bound category", () => {
  for (const role of ROLES) {
    for (const category of CASE_CATEGORIES) {
      cellTest(`${role} × ${category}`, category, async (p) => {
        const v = await viewerIn(fx.caseId, USER_OF[role], role);
        if (ruleFor(role, category).read === "consent" && role !== "REGISSEUR") expect(v.grants.has(category), `${role} × ${category} must start without grant`).toBe(false);
        await checkCell(fx.caseId, role, p, v);
      });
    }
  }
});

describe("fixture case, consent cells: with a consent, after its withdrawal, and with a sharing decision without consent", () => {
  const grantedRoles = [...new Set(CONSENT_CELLS.map((x) => x.role))].filter((r) => r !== "REGISSEUR");

  /** Records (via the API) a consent or a sharing decision for each role's organisation covering its consent categories. */
  async function grantAll(kind: "consent" | "decision"): Promise<string[]> {
    const ids: string[] = [];
    for (const role of grantedRoles) {
      const organisationId = (await db().query("SELECT organisation_id FROM professional WHERE email = $1", [USER_OF[role]])).rows[0].organisation_id;
      const categories = consentCategoriesOf(role).map(ENUM);
      if (kind === "consent") {
        const d = await t.ok(USERS.jansen, `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`, {
          input: { caseId: fx.caseId, organisationId, categories, purpose: "Afstemming binnen het gezinsplan", givenByMemberIds: fx.adultIds, givenOn: today },
        });
        ids.push(d.recordConsent.id);
      } else {
        const d = await t.ok(USERS.jansen, `mutation($input: RecordSharingDecisionInput!) { recordSharingDecision(input: $input) { id } }`, {
          input: {
            caseId: fx.caseId,
            organisationId,
            categories,
            legalBasis: "Art. 7.3.11 Jeugdwet",
            weighing: "De veiligheid van het kind weegt zwaarder dan de privacy van de ouders.",
            decidedOn: today,
          },
        });
        ids.push(d.recordSharingDecision.id);
      }
    }
    return ids;
  }
  async function allCells(phase: string, expectAllowed: boolean) {
    const failures: string[] = [];
    for (const { role, category } of CONSENT_CELLS) {
      const p = runnable(category);
      if (!p) continue; // pending probe: the schema does not have its field yet
      const v = await viewerIn(fx.caseId, USER_OF[role], role);
      expect(denyAt(v, p) === undefined, `${phase}: ${role} × ${category}`).toBe(expectAllowed || v.regieOrganisation);
      try {
        await checkCell(fx.caseId, role, p, v);
      } catch (e) {
        failures.push(`${phase}: ${role} × ${category}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  }

  it("a consent opens exactly its categories; withdrawal closes them on the next request; a sharing decision opens them again", async () => {
    expect(CONSENT_CELLS.length).toBeGreaterThan(0);
    await allCells("before", false);
    const consents = await grantAll("consent");
    await allCells("with consent", true);
    for (const id of consents) await t.ok(USERS.jansen, `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }`, { input: { id } });
    await allCells("consent withdrawn", false);
    const decisions = await grantAll("decision");
    await allCells("with sharing decision", true);
    for (const id of decisions) {
      await t.ok(USERS.jansen, `mutation($input: WithdrawSharingDecisionInput!) { withdrawSharingDecision(input: $input) { id } }`, { input: { id } });
    }
    await allCells("sharing decision withdrawn", false);
  });
});

/** The raw HTTP answer (status and body bytes). */
async function raw(email: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await t.token(email)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.text() };
}

describe("rows: a case the viewer may not see answers exactly like a wrong id", () => {
  const everyProbe = `query($id: ID!) { case(id: $id) { id ${CASE_CATEGORIES.map(runnable)
    .filter((p): p is ResolvedProbe => !!p)
    .map((p) => nest(p.path))
    .join(" ")} } }`;

  it("byte-identical (status, errors and data) for not-involved viewers of De Boer and of the fixture case", async () => {
    // GGZ Oever and Het Anker are not involved in De Boer, nor GGZ in the fixture case; the
    // municipality's auditor and privacy officer read no cases at all (FORBIDDEN for any id)
    for (const [email, caseId] of [
      [USERS.ggz, deBoer],
      [USERS.ggz, fx.caseId],
      [USERS.beleid, deBoer],
      [USERS.fg, fx.caseId],
      [USERS.anker, deBoer],
    ] as const) {
      const hidden = await raw(email, everyProbe, { id: caseId });
      const wrong = await raw(email, everyProbe, { id: wrongId });
      expect(hidden).toEqual(wrong);
      const role = (await t.ok(email, `{ me { role } }`)).me.role as Role;
      expect(JSON.parse(hidden.body).errors.map((e: any) => e.extensions.code)).toEqual([roleReadsCases(role) ? "NOT_FOUND" : "FORBIDDEN"]);
      expect(await raw(email, everyProbe, { id: "not-a-uuid" })).toEqual(wrong);
    }
    // control: the same query as the regisseur returns the case
    expect(JSON.parse((await raw(USERS.jansen, everyProbe, { id: deBoer })).body).data.case.id).toBe(deBoer);
  });
});

describe("rows: an item of a case the viewer may not see answers exactly like a wrong item id", () => {
  // Mutations that reach the case through an item id. The viewer's role may write the category,
  // so the answer comes from the row check, not from the role (p.mulder: REGISSEUR, not in De Boer).
  const one = async (sql: string, caseId = deBoer) => (await db().query(sql, [caseId])).rows[0].id as string;
  const ITEM_MUTATIONS: [string, string, (id: string) => Record<string, unknown>, () => Promise<string>][] = [
    ["updatePlan", "UpdatePlanInput", (id) => ({ id, version: 1 }), () => one("SELECT id FROM plan WHERE case_id = $1")],
    ["updateGoal", "UpdateGoalInput", (id) => ({ id, version: 1 }), () => one("SELECT id FROM goal WHERE case_id = $1 LIMIT 1")],
    ["updatePartialPlan", "UpdatePartialPlanInput", (id) => ({ id, version: 1 }), () => one("SELECT id FROM partial_plan WHERE case_id = $1 LIMIT 1")],
    ["updateNetworkMember", "UpdateNetworkMemberInput", (id) => ({ id, version: 1 }), () => one("SELECT id FROM network_member WHERE case_id = $1 LIMIT 1")],
    ["updateSafetyPlan", "UpdateSafetyPlanInput", (id) => ({ id, version: 1 }), () => one("SELECT id FROM safety_plan WHERE case_id = $1")],
    ["updateSafetyAgreement", "UpdateSafetyAgreementInput", (id) => ({ id, version: 1 }), () => one("SELECT id FROM safety_agreement WHERE case_id = $1 LIMIT 1")],
    ["shareSafetyAgreement", "ShareSafetyAgreementInput", (id) => ({ id, organisationIds: [org.hap] }), () => one("SELECT id FROM safety_agreement WHERE case_id = $1 LIMIT 1")],
    ["unshareSafetyAgreement", "UnshareSafetyAgreementInput", (id) => ({ id, organisationId: org.hap }), () => one("SELECT id FROM safety_agreement WHERE case_id = $1 LIMIT 1")],
    ["withdrawConsent", "WithdrawConsentInput", (id) => ({ id }), () => one("SELECT id FROM consent WHERE case_id = $1 LIMIT 1")],
    ["endInvolvement", "EndInvolvementInput", (id) => ({ id, reason: "Hulp afgerond" }), () => one("SELECT id FROM involvement WHERE case_id = $1 LIMIT 1")],
    ["updateFamilyMember", "UpdateFamilyMemberInput", (id) => ({ id, version: 1 }), () => one("SELECT m.id FROM family_member m JOIN case_file c ON c.family_id = m.family_id WHERE c.id = $1 LIMIT 1")],
  ];
  for (const [mutation, inputType, input, item] of ITEM_MUTATIONS) {
    it(`${mutation}: the same NOT_FOUND, byte for byte`, async () => {
      const v = await viewerIn(deBoer, USERS.mulder, "REGISSEUR");
      expect(v.involved).toBe(false);
      const m = `mutation($input: ${inputType}!) { ${mutation}(input: $input) { __typename } }`;
      const id = await item();
      const hidden = await raw(USERS.mulder, m, { input: input(id) });
      const wrong = await raw(USERS.mulder, m, { input: input(wrongId) });
      expect(JSON.parse(hidden.body).errors.map((e: any) => e.extensions.code)).toEqual(["NOT_FOUND"]);
      expect(hidden).toEqual(wrong);
    });
  }
});

describe("role-bound categories: the access log", () => {
  for (const role of ROLES) {
    const allowed = ruleFor(role, "accessLog").read !== "none";
    it(`${role} ${allowed ? "reads" : "may not read"} the access log`, async () => {
      const r = await t.gql(USER_OF[role], `{ accessLog(first: 1) { edges { node { email } } } }`);
      if (allowed) {
        expect(r.errors ?? []).toEqual([]);
        expect(r.data!.accessLog.edges.length).toBe(1);
      } else {
        expect(r.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
        expect(r.data ?? null).toBeNull();
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Writes: role × category × write, from the same policy. One mutation per category; for "own"
// rules the item belongs to the viewer's organisation, and a second attempt on another
// organisation's item must be FORBIDDEN.

interface WriteCtx {
  caseId: string;
  viewerOrg: string;
  owner: string;
}
interface WriteProbe {
  mutation: string;
  /** the kind of write, where the policy distinguishes them (Rule.actions) */
  action?: WriteAction;
  /** the input, with `owner` as the owning organisation where the category has owners */
  input: (w: WriteCtx) => Promise<Record<string, unknown>>;
}
const version = async (table: string, id: string) => (await db().query(`SELECT version FROM ${table} WHERE id = $1`, [id])).rows[0].version as number;
let wfx: FixtureCase;
let partialPlanOf: Map<string, string>;
const inFuture = iso(new Date(Date.now() + 30 * 86_400_000));

const WRITE_PROBES: Record<CaseCategory, WriteProbe | { pendingOn: string } | { noWriteOperation: true }> = {
  case: { mutation: "involveOrganisation", input: async (w) => ({ caseId: w.caseId, organisationId: await orgId(ORGS.ggz), role: "ggz" }) },
  identity: {
    mutation: "updateFamilyMember",
    input: async () => ({ id: wfx.adultIds[0], version: await version("family_member", wfx.adultIds[0]), givenName: "Anna" }),
  },
  bsn: { noWriteOperation: true },
  handover: {
    mutation: "updateHandover",
    input: async (w) => {
      const h = (await db().query("SELECT id, version FROM handover WHERE case_id = $1", [w.caseId])).rows[0];
      return { id: h.id, version: h.version, helpAlreadyInvolved: "Huisarts en school" };
    },
  },
  safety: {
    mutation: "addSafetyAgreement",
    input: async (w) => ({
      caseId: w.caseId,
      priority: 2,
      what: "Wekelijks contact",
      criterion: "Vastgelegd",
      responsibleKind: "ORGANISATION",
      responsibleOrganisationId: w.owner,
      reportToOrganisationId: org.swt,
      dueOn: inFuture,
      shareWithOrganisationIds: [],
    }),
  },
  risk: {
    mutation: "recordRiskAssessment",
    input: async (w) => ({ caseId: w.caseId, assessedOn: today, instrument: "LIRIK", level: "ELEVATED", conclusion: "Verhoogd risico; afweging vastgelegd" }),
  },
  plan: {
    mutation: "addGoal",
    input: async (w) => ({ caseId: w.caseId, title: "Doel", ...(partialPlanOf.has(w.owner) ? { partialPlanId: partialPlanOf.get(w.owner) } : {}) }),
  },
  lifeDomains: { mutation: "recordLifeDomainScores", input: async (w) => ({ caseId: w.caseId, assessedOn: today, scores: [{ domain: "HOUSING", score: 4 }] }) },
  meeting: {
    mutation: "scheduleMeeting",
    input: async (w) => ({ caseId: w.caseId, scheduledAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), inviteeOrganisationIds: [] }),
  },
  meetingMinutes: {
    mutation: "recordMeetingOutcome",
    input: async (w) => {
      const r = await db().query("INSERT INTO meeting (case_id, scheduled_at) VALUES ($1, now() - interval '1 hour') RETURNING id, version", [w.caseId]);
      return { id: r.rows[0].id, version: r.rows[0].version, minutes: "Verslag", decisions: [], changedAgreementIds: [] };
    },
  },
  signals: { mutation: "reportSignal", action: "report", input: async (w) => ({ caseId: w.caseId, observedOn: today, description: "Zorgsignaal" }) },
  consent: {
    mutation: "recordConsent",
    input: async (w) => ({ caseId: w.caseId, organisationId: org.hap, categories: ["PLAN"], purpose: "Afstemming", givenByMemberIds: wfx.adultIds, givenOn: today }),
  },
  keyDecisions: {
    mutation: "recordKeyDecision",
    input: async (w) => ({ caseId: w.caseId, decision: "Besluit", decidedOn: today, consulted: "Gedragswetenschapper", informationBasis: "Risicotaxatie" }),
  },
  monitoring: { mutation: "scheduleMonitoringContact", input: async (w) => ({ caseId: w.caseId, dueOn: inFuture }) },
  evaluation: {
    mutation: "recordEvaluation",
    input: async (w) => ({ caseId: w.caseId, evaluatedOn: today, withFamily: true, participantOrganisationIds: [], goalResults: [], outcome: "CONTINUE" }),
  },
};

describe("writes: every role × every case-bound category, from the policy", () => {
  beforeAll(async () => {
    wfx = await fixtureWithEverything();
    // partial plans of the organisations whose role writes its "own" plan items, and of another one
    partialPlanOf = new Map();
    for (const o of [org.brug, org.hap]) {
      const r = await db().query("INSERT INTO partial_plan (case_id, organisation_id, title) VALUES ($1, $2, 'Deelplan') RETURNING id", [wfx.caseId, o]);
      partialPlanOf.set(o, r.rows[0].id);
    }
  });

  it("lists a write probe (or why there is none) for every case-bound category; categories without a write operation are written by no role", () => {
    expect(Object.keys(WRITE_PROBES).sort()).toEqual([...CASE_CATEGORIES].sort());
    for (const [c, p] of Object.entries(WRITE_PROBES)) {
      if ("noWriteOperation" in p) for (const role of ROLES) expect(ruleFor(role, c as Category).write, `${role} × ${c}`).toBe("none");
      if ("mutation" in p) expect(schema.getMutationType()!.getFields()[p.mutation], p.mutation).toBeDefined();
    }
  });

  for (const role of ROLES) {
    for (const category of CASE_CATEGORIES) {
      const probe = WRITE_PROBES[category];
      if (!("mutation" in probe)) {
        if ("pendingOn" in probe) it.todo(`${role} × ${category} (write) — pending: ${probe.pendingOn}`);
        continue;
      }
      const rule = ruleFor(role, category).write;
      it(`${role} × ${category} (write: ${rule})`, async () => {
        const email = USER_OF[role];
        const viewerOrg = (await db().query("SELECT organisation_id FROM professional WHERE email = $1", [email])).rows[0].organisation_id;
        const v = await viewerIn(wfx.caseId, email, role);
        const effectiveRule = ruleFor(role === "REGISSEUR" && !v.regieOrganisation ? "PROFESSIONAL" : role, category);
        // a rule limited to some kinds of write (signals: report / acknowledge) covers only those
        const effective = effectiveRule.actions && !(probe.action && effectiveRule.actions.includes(probe.action)) ? "none" : effectiveRule.write;
        const input = `${probe.mutation.charAt(0).toUpperCase()}${probe.mutation.slice(1)}Input!`;
        const m = `mutation($input: ${input}) { ${probe.mutation}(input: $input) { __typename } }`;
        const r = await t.gql(email, m, { input: await probe.input({ caseId: wfx.caseId, viewerOrg, owner: viewerOrg }) });
        if (effective === "none" || !v.involved) {
          expect(r.errors?.map((e) => e.extensions?.code), JSON.stringify(r.errors)).toEqual([effective === "none" ? "FORBIDDEN" : "NOT_FOUND"]);
          expect(r.data ?? null).toBeNull();
          return;
        }
        expect(r.errors ?? [], `${role} may write ${category}`).toEqual([]);
        expect(r.data?.[probe.mutation]).toBeTruthy();
        if (effective === "own") {
          // another organisation's item (the GP's): FORBIDDEN
          const other = await t.gql(email, m, { input: await probe.input({ caseId: wfx.caseId, viewerOrg, owner: org.hap }) });
          expect(other.errors?.map((e) => e.extensions?.code), JSON.stringify(other.errors)).toEqual(["FORBIDDEN"]);
          expect(other.data ?? null).toBeNull();
        }
      });
    }
  }
});
