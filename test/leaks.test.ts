import { readFile } from "node:fs/promises";
import { buildSchema, getNamedType, isLeafType, isObjectType, isUnionType, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { createCase, db, orgId, ORGS, type FixtureCase } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";

/**
 * Issue 4, item 7: payload leaks. Every partner keeps `myChanges` open while a regisseur walks two
 * cases through plan, goals, life domains, network, safety plan, agreements, family data and risk.
 * The subscription selects every leaf field of every ChangeSubject type (generated from the
 * emitted schema, so new types are covered as they are added). Afterwards, for each partner:
 * - no event of a case its organisation is not involved in;
 * - no non-null field whose category it may not read in that case (myAccess, the policy's own
 *   answer for that viewer and case, at the end of the flow — consents do not change during it);
 * - no item outside its scope (agreements not shared with the school, adults for JGZ, pupils of
 *   another school, goals outside the school's / GP's / JGZ's part);
 * and every partner did receive events, so none of this holds vacuously.
 */
let t: TestHub;
let a: FixtureCase; // De Vlinder, GP, JGZ, De Brug involved; child 0 at De Vlinder, child 1 at Het Anker (not involved)
let b: FixtureCase; // Het Anker and GGZ Oever involved
let org: Record<"vlinder" | "anker" | "hap" | "jgz" | "brug" | "ggz", string>;
const today = new Date().toISOString().slice(0, 10);
const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

const PARTNERS = [USERS.vlinder, USERS.anker, USERS.gp, USERS.jgz, USERS.brug, USERS.ggz, USERS.vt] as const;
const HEALTH = new Set(["MENTAL_HEALTH", "PHYSICAL_HEALTH", "SUBSTANCE_USE"]);

let fieldCategory: Record<string, Record<string, string>>;
let SUBS: string[];

beforeAll(async () => {
  const sdl = await readFile(new URL("../schema/schema.graphql", import.meta.url), "utf8");
  const schema = buildSchema(sdl);
  fieldCategory = JSON.parse(await readFile(new URL("../schema/access-policy.json", import.meta.url), "utf8")).fields;
  const union = schema.getType("ChangeSubject");
  if (!isUnionType(union)) throw new Error("ChangeSubject is not a union");
  const leaves = (type: GraphQLObjectType) =>
    Object.values(type.getFields())
      .filter((f) => isLeafType(getNamedType(f.type)) && f.args.every((arg) => arg.type.toString().endsWith("!") === false))
      .map((f) => f.name);
  // Fields of the same name but different types (status…) may not merge in one selection, and
  // one document stays within the request limits: the types are spread over a few subscriptions
  // (on the same socket), each with no conflicting field names and a bounded number of fields.
  const groups: { types: GraphQLObjectType[]; fields: Map<string, string> }[] = [];
  for (const type of union.getTypes()) {
    const fs = leaves(type);
    const fits = (g: (typeof groups)[number]) =>
      g.fields.size + fs.length <= 120 && fs.every((f) => !g.fields.has(f) || g.fields.get(f) === String(type.getFields()[f].type));
    let g = groups.find(fits);
    if (!g) groups.push((g = { types: [], fields: new Map() }));
    g.types.push(type);
    for (const f of fs) g.fields.set(f, String(type.getFields()[f].type));
  }
  SUBS = groups.map(
    (g) =>
      `subscription { myChanges { id kind entity entityId caseId subject { __typename ${g.types.map((type) => `... on ${type.name} { ${leaves(type).join(" ")} }`).join(" ")} } } }`,
  );
  expect(union.getTypes().every((type) => isObjectType(type))).toBe(true);

  t = await startTestHub();
  a = await createCase({
    involve: ["vlinder", "hap", "jgz", "brug"],
    regisseur: USERS.jansen,
    children: [{ birthDate: "2016-03-04", school: "vlinder" }, { birthDate: "2013-05-06", school: "anker" }],
  });
  b = await createCase({ involve: ["anker", "ggz"], regisseur: USERS.jansen, children: [{ birthDate: "2015-01-02", school: "anker" }] });
  org = {
    vlinder: await orgId(ORGS.vlinder),
    anker: await orgId(ORGS.anker),
    hap: await orgId(ORGS.hap),
    jgz: await orgId(ORGS.jgz),
    brug: await orgId(ORGS.brug),
    ggz: await orgId(ORGS.ggz),
  };
  // consent state for the whole flow: the school may read the plan (education goals), the GP plan and life domains
  const consent = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`;
  for (const [o, categories] of [[org.vlinder, ["PLAN"]], [org.hap, ["PLAN", "LIFE_DOMAINS"]]] as const) {
    await t.ok(USERS.jansen, consent, {
      input: { caseId: a.caseId, organisationId: o, categories, purpose: "Afstemming", givenByMemberIds: a.adultIds, givenOn: today },
    });
  }
});
afterAll(() => t?.stop());

async function walk(c: FixtureCase, shareWith: string) {
  const ok = (q: string, input: Record<string, unknown>) => t.ok(USERS.jansen, q, { input });
  await ok(`mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }`, {
    caseId: c.caseId,
    problemAnalysis: "Spanningen thuis",
    familyWords: "We willen rust",
    helpQuestion: "Hoe houden we het veilig?",
  });
  const goal = `mutation($input: AddGoalInput!) { addGoal(input: $input) { id } }`;
  await ok(goal, { caseId: c.caseId, title: "Naar school elke dag", domain: "WORK_EDUCATION", memberId: c.childIds[0], targetMeasure: "0 verzuim", dueOn: inAMonth });
  await ok(goal, { caseId: c.caseId, title: "Minder drinken", domain: "SUBSTANCE_USE", memberId: c.adultIds[1], targetMeasure: "Geen incidenten", dueOn: inAMonth });
  await ok(goal, { caseId: c.caseId, title: "Financiën op orde", domain: "FINANCES", memberId: c.adultIds[0] });
  await ok(`mutation($input: RecordLifeDomainScoresInput!) { recordLifeDomainScores(input: $input) { id } }`, {
    caseId: c.caseId,
    assessedOn: today,
    scores: [
      { domain: "FINANCES", score: 2 },
      { domain: "MENTAL_HEALTH", score: 3 },
      { domain: "DOMESTIC_RELATIONS", score: 1 },
    ],
  });
  await ok(`mutation($input: AddNetworkMemberInput!) { addNetworkMember(input: $input) { id } }`, { caseId: c.caseId, name: "Oma Els", relation: "grootmoeder" });
  await ok(`mutation($input: CreateSafetyPlanInput!) { createSafetyPlan(input: $input) { id } }`, { caseId: c.caseId, madeWithClient: true, whomToCall: "Regisseur" });
  const add = `mutation($input: AddSafetyAgreementInput!) { addSafetyAgreement(input: $input) { id } }`;
  const base = { caseId: c.caseId, criterion: "Vastgelegd", responsibleKind: "CLIENT", responsibleDescription: "ouders" };
  await ok(add, { ...base, priority: 1, what: "Gedeeld met de school", shareWithOrganisationIds: [shareWith] });
  await ok(add, { ...base, priority: 2, what: "Niet gedeeld" });
  const m = await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { family { members { id version } } } }`, { id: c.caseId });
  for (const member of m.case.family.members) {
    await ok(`mutation($input: UpdateFamilyMemberInput!) { updateFamilyMember(input: $input) { id } }`, { id: member.id, version: member.version, familyName: "Gewijzigd" });
  }
  await ok(`mutation($input: RecordRiskAssessmentInput!) { recordRiskAssessment(input: $input) { id } }`, {
    caseId: c.caseId,
    instrument: "LIRIK",
    assessedOn: today,
    level: "HIGH",
    conclusion: "Zorgelijk",
  });
}

interface Event {
  id: string;
  caseId: string;
  entity: string;
  entityId: string;
  subject: Record<string, unknown> | null;
}

describe("no leaks in live payloads, for every partner, over a whole flow", () => {
  it("delivers each partner only its cases, readable fields and items in scope", async () => {
    const subs = new Map<string, ReturnType<typeof collect>[]>();
    const clients = [];
    for (const email of [...PARTNERS, USERS.jansen]) {
      const client = wsClient(t.url, await t.token(email));
      clients.push(client);
      subs.set(email, SUBS.map((q) => collect(client, q)));
    }
    await sleep(500);
    const head = Number((await db().query("SELECT last_id FROM feed_head")).rows[0].last_id);
    await walk(a, org.vlinder);
    await walk(b, org.anker);
    const ours = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM change_event WHERE id > $1 AND case_id = ANY($2)", [head, [a.caseId, b.caseId]]);
    // the regisseur (regie organisation) sees every event of both cases: the control
    for (const sub of subs.get(USERS.jansen)!) await sub.until(ours.rows[0].n, 10_000);
    await sleep(500);
    /** Each event once, from the subscription whose selection covers its subject's type. */
    const mine = (email: string) => {
      const byId = new Map<string, Event>();
      for (const sub of subs.get(email)!) {
        for (const r of sub.received) {
          const e = (r.data as { myChanges?: Event } | undefined)?.myChanges;
          if (!e || (e.caseId !== a.caseId && e.caseId !== b.caseId)) continue;
          const seen = byId.get(e.id);
          if (!seen || Object.keys(e.subject ?? {}).length > Object.keys(seen.subject ?? {}).length) byId.set(e.id, e);
        }
      }
      return [...byId.values()];
    };
    // streams stay open; partners get FORBIDDEN at denied fields (nothing else), the regisseur no error
    for (const [email, sub] of subs) {
      for (const one of sub) {
        expect(one.ended).toBeUndefined();
        for (const r of one.received) {
          if (email === USERS.jansen) expect(r.errors).toBeUndefined();
          else for (const e of r.errors ?? []) expect(e.extensions?.code).toBe("FORBIDDEN");
        }
      }
    }
    expect(mine(USERS.jansen)).toHaveLength(ours.rows[0].n);
    expect(SUBS.length).toBeGreaterThan(1);

    const involved = await db().query<{ case_id: string; organisation_id: string }>(
      "SELECT case_id, organisation_id FROM involvement WHERE case_id = ANY($1) AND ended_at IS NULL",
      [[a.caseId, b.caseId]],
    );
    const shared = await db().query<{ agreement_id: string; organisation_id: string }>(
      "SELECT agreement_id, organisation_id FROM safety_agreement_share WHERE case_id = ANY($1)",
      [[a.caseId, b.caseId]],
    );
    const members = await db().query<{ id: string; kind: string; school_id: string | null }>(
      "SELECT id, kind, school_id FROM family_member WHERE family_id = ANY($1)",
      [[a.familyId, b.familyId]],
    );
    const memberById = new Map(members.rows.map((r) => [r.id, r]));

    for (const email of PARTNERS) {
      const me = await t.ok(email, `{ me { role organisation { id } } }`);
      const role: string = me.me.role;
      const myOrg: string = me.me.organisation.id;
      const events = mine(email);
      expect(events.length, `${email} received nothing: the leak checks would hold vacuously`).toBeGreaterThan(0);
      const readable = new Map<string, Set<string>>();
      for (const e of events) {
        const where = `${email} ${e.entity}.${e.entityId}`;
        // rows: only cases the organisation is involved in (or, for VT, handed over)
        const isInvolved = involved.rows.some((r) => r.case_id === e.caseId && r.organisation_id === myOrg);
        expect(isInvolved || role === "VEILIG_THUIS", `${where}: case not involved`).toBe(true);
        if (!readable.has(e.caseId)) {
          const acc = await t.ok(email, `query($id: ID!) { myAccess(caseId: $id) { categories { category canRead } } }`, { id: e.caseId });
          readable.set(e.caseId, new Set(acc.myAccess.categories.filter((c: any) => c.canRead).map((c: any) => c.category)));
        }
        const can = readable.get(e.caseId)!;
        if (!e.subject) continue;
        const type = e.subject.__typename as string;
        const s: Record<string, unknown> = { __typename: type };
        for (const [k, v] of Object.entries(e.subject)) if (k !== "__typename") s[k] = v;
        for (const [field, value] of Object.entries(s)) {
          if (field === "__typename" || value === null) continue;
          const category = fieldCategory[type]?.[field];
          expect(category, `${where}: ${type}.${field} has no category`).toBeDefined();
          expect(can.has(category!) || category === "directory" || category === "structure", `${where}: ${type}.${field} (${category}) delivered`).toBe(true);
        }
        // item scopes
        if (type === "SafetyAgreement" && role === "SCHOOL") {
          expect(shared.rows.some((r) => r.agreement_id === s.id && r.organisation_id === myOrg), `${where}: agreement not shared with the school`).toBe(true);
        }
        if (type === "FamilyMember" && (role === "SCHOOL" || role === "JGZ") && s.givenName !== undefined && s.givenName !== null) {
          const m = memberById.get(s.id as string)!;
          expect(m.kind, `${where}: adult's identity`).toBe("CHILD");
          if (role === "SCHOOL") expect(m.school_id, `${where}: pupil of another school`).toBe(myOrg);
        }
        if (type === "Goal" && s.title != null) {
          if (role === "SCHOOL") expect(s.domain).toBe("WORK_EDUCATION");
          if (role === "HUISARTS") expect(HEALTH.has(s.domain as string)).toBe(true);
          if (role === "JGZ") expect(memberById.get(s.memberId as string)?.kind).toBe("CHILD");
        }
        if (type === "LifeDomainScore" && role === "HUISARTS" && s.score != null) expect(HEALTH.has(s.domain as string)).toBe(true);
      }
    }
    // Het Anker has a pupil in case A but is not involved there: nothing of case A reaches it
    expect(mine(USERS.anker).every((e) => e.caseId === b.caseId)).toBe(true);
    // De Vlinder is not involved in case B
    expect(mine(USERS.vlinder).every((e) => e.caseId === a.caseId)).toBe(true);
    for (const s of subs.values()) for (const one of s) one.stop();
    for (const c of clients) await c.dispose();
  }, 60_000);
});
