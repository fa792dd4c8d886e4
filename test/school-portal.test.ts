import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { readFileSync } from "node:fs";
import { createCase, orgId, ORGS, setBsn, type FixtureCase } from "./support/fixtures.js";
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode } from "graphql";
import { declaredPartialColumns, selectedFieldNames } from "../server/common/prefetch.js";
import { sentStatements } from "./support/statements.js";

/**
 * The school portal's page (the benchmark's Q1): a page of cases with the children, the safety
 * agreements and the regisseur. The relations below the page — the family's members, the plan's
 * agreements, the regisseur's professional — are read in the page statement itself
 * (common/prefetch.ts). Proven here: the same answer as the per-case path (`case(id)`, which
 * reads them through the loaders), the school's item scopes (own pupils, shared agreements),
 * and a constant number of statements.
 */
let t: TestHub;
let org: Record<"swt" | "vlinder" | "brug", string>;
const fixtures: { fx: FixtureCase; shared: string; own: string; hidden: string }[] = [];

const FIELDS = `id
  family { members { id givenName familyName } }
  safetyPlan { agreements { id priority what criterion status dueOn version } }
  regisseur { professional { name phone } }`;
const PAGE = `query($first: Int, $after: String) { cases(first: $first, after: $after) { edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const ONE = `query($id: ID!) { case(id: $id) { ${FIELDS} } }`;

beforeAll(async () => {
  t = await startTestHub();
  org = { swt: await orgId(ORGS.swt), vlinder: await orgId(ORGS.vlinder), brug: await orgId(ORGS.brug) };
  for (let i = 0; i < 2; i++) {
    const fx = await createCase({
      involve: ["vlinder", "brug"],
      regisseur: USERS.jansen,
      children: [{ birthDate: "2015-05-01", school: "vlinder" }, { birthDate: "2017-09-12", school: "anker" }],
    });
    await t.ok(USERS.jansen, `mutation($input: CreateSafetyPlanInput!) { createSafetyPlan(input: $input) { id } }`, { input: { caseId: fx.caseId, madeWithClient: true } });
    const add = async (priority: number, over: Record<string, unknown>) =>
      (
        await t.ok(USERS.jansen, `mutation($input: AddSafetyAgreementInput!) { addSafetyAgreement(input: $input) { id } }`, {
          input: {
            caseId: fx.caseId, priority, what: `Afspraak ${priority}`, criterion: "Wekelijks gecheckt", responsibleKind: "ORGANISATION",
            responsibleOrganisationId: org.brug, reportToOrganisationId: org.swt, dueOn: "2030-01-31", shareWithOrganisationIds: [], ...over,
          },
        })
      ).addSafetyAgreement.id as string;
    const shared = await add(1, { shareWithOrganisationIds: [org.vlinder] });
    const hidden = await add(2, {});
    const own = await add(3, { responsibleOrganisationId: org.vlinder });
    fixtures.push({ fx, shared, own, hidden });
  }
});
afterAll(() => t?.stop());

/** Every case of the viewer's, page by page (the network may hold more than one page). */
async function allNodes(email: string): Promise<Map<string, any>> {
  const nodes = new Map<string, any>();
  let after: string | null = null;
  for (;;) {
    const page: any = await t.ok(email, PAGE, { first: 100, after });
    for (const e of page.cases.edges) nodes.set(e.node.id, e.node);
    if (!page.cases.pageInfo.hasNextPage) return nodes;
    after = page.cases.pageInfo.endCursor;
  }
}

describe("the school portal's page", () => {
  it("gives the school its own pupils, the agreements shared with it or its own, and the regisseur — the same answer as case(id), per case", async () => {
    const nodes = await allNodes(USERS.vlinder);
    for (const { fx, shared, own, hidden } of fixtures) {
      const node = nodes.get(fx.caseId);
      expect(node, "the school's case is on its page").toBeDefined();
      expect(node.family.members.map((m: any) => m.id)).toEqual([fx.childIds[0]]); // not the other school's pupil, not the parents
      expect(node.safetyPlan.agreements.map((a: any) => a.id).sort()).toEqual([shared, own].sort());
      expect(node.safetyPlan.agreements.map((a: any) => a.id)).not.toContain(hidden);
      expect(node.regisseur.professional.name).toBeTruthy();
    }
    // every case on the page, as the loaders read it one case at a time
    for (const [id, node] of nodes) expect(node, `case ${id}`).toEqual((await t.ok(USERS.vlinder, ONE, { id })).case);
  });

  it("gives the regisseur every member and agreement of its cases — the same answer as case(id)", async () => {
    const nodes = await allNodes(USERS.jansen);
    for (const { fx, shared, own, hidden } of fixtures) {
      const node = nodes.get(fx.caseId);
      expect(node.family.members.map((m: any) => m.id).sort()).toEqual([...fx.adultIds, ...fx.childIds].sort());
      expect(node.safetyPlan.agreements.map((a: any) => a.id)).toEqual([shared, hidden, own]); // by priority
      expect(node, `case ${fx.caseId}`).toEqual((await t.ok(USERS.jansen, ONE, { id: fx.caseId })).case);
    }
  });

  it("costs the same four statements (viewer, the page's ids, its cases with their relations, access log) for a page of 1 and of 50", async () => {
    await t.ok(USERS.vlinder, PAGE, { first: 1 }); // warm-up (token cache)
    const one = await sentStatements(() => t.ok(USERS.vlinder, PAGE, { first: 1 }));
    const many = await sentStatements(() => t.ok(USERS.vlinder, PAGE, { first: 50 }));
    const texts = (r: typeof one) => r.statements.map((x) => x.text.slice(0, 100));
    expect(many.result.cases.edges.length).toBeGreaterThanOrEqual(2);
    expect(one.statements.length, JSON.stringify(texts(one), null, 1)).toBe(4);
    expect(many.statements.length, JSON.stringify(texts(many), null, 1)).toBe(4);
    expect(many.statements[1].text).toMatch(/^SELECT c\.id FROM case_file/); // the page's ids
    expect(many.statements[2].text).toMatch(/^SELECT c\.\*, .* AS "acc_family"/); // its cases, with the relations the query selects
  });

  it("leaves out of the prefetched rows the columns nothing in the query reads, and reads them when anything in the query does", async () => {
    const child = fixtures[0].fx.childIds[0];
    const bsn = elevenProof();
    await setBsn(child, bsn);
    const bsnOf = (members: { id: string; bsn?: string | null }[]) => members.find((m) => m.id === child)?.bsn;
    const caseId = fixtures[0].fx.caseId;
    // the cursor of the page of 100 that holds the case (other tests' cases come first)
    let after: string | null = null;
    for (;;) {
      const p: any = await t.ok(USERS.jansen, `query($after: String) { cases(first: 100, after: $after) { edges { node { id } } pageInfo { endCursor } } }`, { after });
      if (p.cases.edges.some((e: any) => e.node.id === caseId)) break;
      after = p.cases.pageInfo.endCursor;
    }
    const page = (fields: string) => `query($after: String) { cases(first: 100, after: $after) { edges { node { id family { members { ${fields} } } } } } }`;
    const pageStatement = (r: { statements: { text: string }[] }) => r.statements.find((x) => x.text.startsWith("SELECT c.*"))!.text;
    const nodeOf = (data: any) => data.cases.edges.find((e: any) => e.node.id === caseId).node;

    // the portal's fields: no BSN, no audit columns in the page statement
    const lean = await sentStatements(() => t.ok(USERS.jansen, page("id givenName"), { after }));
    expect(pageStatement(lean)).not.toMatch(/t\."bsn"|t\."bsn_hash"|t\."created_by"|t\."updated_at"/);
    expect(pageStatement(lean)).toMatch(/t\."given_name"/);
    expect(nodeOf(lean.result).family.members.map((m: any) => m.id)).toContain(child);

    // selected on the page: read and decrypted as by case(id)
    const full = await sentStatements(() => t.ok(USERS.jansen, page("id bsn"), { after }));
    expect(pageStatement(full)).toMatch(/t\."bsn"/);
    expect(bsnOf(nodeOf(full.result).family.members)).toBe(bsn);

    // selected elsewhere in the same document, on a path that may read the same (primed) rows
    // (whether it does depends on which statement answers first: the rule itself is tested below)
    const both = await t.ok(
      USERS.jansen,
      `query($id: ID!, $after: String) { cases(first: 100, after: $after) { edges { node { id family { members { id } } } } } case(id: $id) { family { members { id bsn } } } }`,
      { id: caseId, after },
    );
    expect(nodeOf(both).family.members.map((m: any) => m.id)).toContain(child);
    expect(bsnOf(both.case.family.members)).toBe(bsn);
    // and a fragment counts as well
    const viaFragment = await t.ok(
      USERS.jansen,
      `query($after: String) { cases(first: 100, after: $after) { edges { node { id family { members { ...M } } } } } } fragment M on FamilyMember { id bsn }`,
      { after },
    );
    expect(bsnOf(nodeOf(viaFragment).family.members)).toBe(bsn);
  });

  it("counts every field name of the operation, outside the page and in fragments too, as selected", () => {
    const doc = parse(`query Q { cases { edges { node { id ...F } } } case(id: "x") { family { members { bsn } } } }
      fragment F on Case { safetyPlan { agreements { ... on SafetyAgreement { responsibleDescription } } } }
      fragment Unused on FamilyMember { birthDate }`);
    const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const fragments = Object.fromEntries(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    const cases = operation.selectionSet.selections[0] as FieldNode;
    const names = selectedFieldNames({ operation, fragments, fieldNodes: [cases] } as unknown as GraphQLResolveInfo);
    for (const n of ["cases", "id", "bsn", "members", "responsibleDescription", "birthDate"]) expect(names, n).toContain(n);
    expect(names).not.toContain("givenName");
  });

  it("declares only readers that are fields of the schema (a misspelt reader would leave its column out when it is selected)", () => {
    const sdl = readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    const fieldNames = new Set([...sdl.matchAll(/^\s+(\w+)(?:\(|:)/gm)].map((m) => m[1]));
    const readers = [...declaredPartialColumns().values()].flatMap((columns) => [...columns.values()].flat());
    expect(readers.length).toBeGreaterThan(10);
    for (const r of readers) expect(fieldNames, r).toContain(r);
  });
});

/** A random BSN that passes the 11-proef (the database holds each BSN once; tests share it). */
function elevenProof(): string {
  for (;;) {
    const d = Array.from({ length: 8 }, () => Math.floor(Math.random() * 10));
    const sum = d.reduce((acc, x, i) => acc + x * (9 - i), 0);
    const last = sum % 11;
    if (last < 10 && d[0] !== 0) return [...d, last].join("");
  }
}
