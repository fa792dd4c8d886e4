import type { EntityTarget, ObjectLiteral } from "typeorm";
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import type { CaseAccess } from "../access/case-access.js";
import type { Viewer } from "../auth/viewer.js";

/** A condition on alias `t` with its parameters from $2, as `Loaders.manyBy` takes it. */
export interface RowFilter {
  key: string;
  sql: string;
  params: unknown[];
}

/**
 * Case relations a page of cases can load in its own statement (lookahead): when a query asks
 * for `cases { edges { node { family … } } }`, the page statement also returns each case's
 * family as JSON and primes the loader the `Case.family` resolver uses, so the relation costs no
 * statement of its own. Each module registers the relations its Case field resolvers load (and
 * those one level below, e.g. the family's members), with exactly the loader they call (same
 * entity, key column, order and row filter). Purely an optimisation: the
 * resolvers, and the access policy around them, run as before.
 */
export type CaseRelation<E extends ObjectLiteral = ObjectLiteral> =
  /** `loaders.byId(entity)` keyed by a column of case_file (e.g. family_id) */
  | { kind: "byId"; entity: EntityTarget<E>; caseColumn: string }
  /**
   * `loaders.manyBy(entity, column, orderBy[, filter])` keyed by a column of case_file (`caseColumn`,
   * default the case id: e.g. family_id for a family's members). `filter`: the row filter the
   * resolver passes for this viewer and case (undefined: none). `pageFilter`: the one the page
   * statement loads with for this viewer; a case whose resolver would choose another is not
   * primed (its resolver loads as before).
   */
  | {
      kind: "manyByCase";
      entity: EntityTarget<E>;
      column: keyof E & string;
      orderBy: (keyof E & string)[];
      caseColumn?: string;
      pageFilter?: (viewer: Viewer) => RowFilter | undefined;
      filter?: (viewer: Viewer, access: CaseAccess) => RowFilter | undefined;
    }
  /** `loaders.byId(entity)` for the ids `keysSql` selects (a sub-select over the case row `c`, no parameters) */
  | { kind: "byIdVia"; entity: EntityTarget<E>; keysSql: string };

const relations = new Map<string, CaseRelation>();

/**
 * Columns of an entity the page statement may leave out of a prefetched row (a JSON array per
 * row: every column costs PostgreSQL its formatting and the hub its parsing): column → the
 * GraphQL field names whose resolvers read it. A column is left out only when the operation
 * selects none of those names anywhere (any type: a superset, fragments and @skip included).
 * Code that reads a column left out fails loudly instead of seeing undefined (the row's
 * prototype has a throwing getter for it): a column read by other code (the access policy, a
 * sort, another resolver) must not be declared, or must name that resolver's field.
 */
const partial = new Map<unknown, ReadonlyMap<string, readonly string[]>>();

export function partialColumns<E extends ObjectLiteral>(entity: EntityTarget<E>, columns: Partial<Record<keyof E & string, readonly string[]>>): void {
  partial.set(entity, new Map(Object.entries(columns) as [string, readonly string[]][]));
}

/** Every declaration (entity → column → reader fields), for the test that checks the readers exist. */
export function declaredPartialColumns(): ReadonlyMap<unknown, ReadonlyMap<string, readonly string[]>> {
  return partial;
}

/** The columns of `entity` the operation does not need (see partialColumns). */
export function columnsLeftOut(entity: unknown, selected: ReadonlySet<string>): string[] {
  const declared = partial.get(entity);
  if (!declared) return [];
  const out: string[] = [];
  for (const [column, readers] of declared) if (!readers.some((f) => selected.has(f))) out.push(column);
  return out;
}

const namesByOperation = new WeakMap<object, ReadonlySet<string>>();

/** Every field name the operation (with its fragments) selects, at any depth, on any type. */
export function selectedFieldNames(info: GraphQLResolveInfo): ReadonlySet<string> {
  const cached = namesByOperation.get(info.operation);
  if (cached) return cached;
  const names = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    if (!set) return;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        names.add(s.name.value);
        walk(s.selectionSet);
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
    }
  };
  walk(info.operation.selectionSet);
  // every fragment of the document, used or not (a superset)
  for (const f of Object.values(info.fragments)) walk(f.selectionSet);
  namesByOperation.set(info.operation, names);
  return names;
}

/**
 * Registers the relation a `Case.<field>` resolver loads (at module load, beside the resolver);
 * `<field>.<child>` for the relation a resolver one level below loads (e.g. `family.members`,
 * the members of the case's family), keyed from the case row as well.
 */
export function caseRelation<E extends ObjectLiteral>(path: string, relation: CaseRelation<E>): void {
  relations.set(path, relation as unknown as CaseRelation);
}

/**
 * The registered relations selected under `edges.node` of the connection field being resolved,
 * and one level below them (fragments and inline fragments followed). Unknown shapes simply
 * select nothing.
 */
export function selectedCaseRelations(info: GraphQLResolveInfo): Map<string, CaseRelation> {
  const out = new Map<string, CaseRelation>();
  const fragments = info.fragments;
  const fieldsOf = (set: SelectionSetNode | undefined, into: FieldNode[], depth = 0) => {
    if (!set || depth > 5) return;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) into.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) fieldsOf(s.selectionSet, into, depth + 1);
      else if (s.kind === Kind.FRAGMENT_SPREAD) fieldsOf((fragments[s.name.value] as FragmentDefinitionNode | undefined)?.selectionSet, into, depth + 1);
    }
  };
  const level = (nodes: FieldNode[], name: string) => {
    const found: FieldNode[] = [];
    for (const n of nodes) if (n.name.value === name) fieldsOf(n.selectionSet, found);
    return found;
  };
  const top: FieldNode[] = [];
  for (const n of info.fieldNodes) fieldsOf(n.selectionSet, top);
  for (const f of level(level(top, "edges"), "node")) {
    const name = f.name.value;
    const r = relations.get(name);
    if (r) out.set(name, r);
    const below: FieldNode[] = [];
    fieldsOf(f.selectionSet, below);
    for (const g of below) {
      const path = `${name}.${g.name.value}`;
      const child = relations.get(path);
      if (child) out.set(path, child);
    }
  }
  return out;
}
