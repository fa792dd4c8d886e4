import type { EntityTarget, ObjectLiteral } from "typeorm";
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/**
 * Case relations a page of cases can load in its own statement (lookahead): when a query asks
 * for `cases { edges { node { family … } } }`, the page statement also returns each case's
 * family as JSON and primes the loader the `Case.family` resolver uses, so the relation costs no
 * statement of its own. Each module registers the relations its Case field resolvers load, with
 * exactly the loader they call (same entity, key column and order). Purely an optimisation: the
 * resolvers, and the access policy around them, run as before.
 */
export type CaseRelation<E extends ObjectLiteral = ObjectLiteral> =
  /** `loaders.byId(entity)` keyed by a column of case_file (e.g. family_id) */
  | { kind: "byId"; entity: EntityTarget<E>; caseColumn: string }
  /** `loaders.manyBy(entity, column, orderBy)` keyed by the case id */
  | { kind: "manyByCase"; entity: EntityTarget<E>; column: keyof E & string; orderBy: (keyof E & string)[] };

const relations = new Map<string, CaseRelation>();

/** Registers the relation a `Case.<field>` resolver loads (at module load, beside the resolver). */
export function caseRelation<E extends ObjectLiteral>(field: string, relation: CaseRelation<E>): void {
  relations.set(field, relation as unknown as CaseRelation);
}

/**
 * The registered relations selected under `edges.node` of the connection field being resolved
 * (fragments and inline fragments followed). Unknown shapes simply select nothing.
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
    const r = relations.get(f.name.value);
    if (r) out.set(f.name.value, r);
  }
  return out;
}
