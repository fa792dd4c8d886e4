import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import type { Ctx } from "../context.js";
import type { CaseAccess } from "./case-access.js";
import type { Category } from "./categories.js";
import { decideReadOnce, inScope, OPEN_CATEGORIES, ROLE_CATEGORIES } from "./decide.js";
import { fieldCategoriesOf } from "./field.js";
import type { AccessUse } from "./scope.js";

/**
 * The reads the field guard (enforce.ts) will record when the mutation being resolved returns
 * `item` (of GraphQL type `typeName`, in the case of `access`), decided now with the same
 * decisions (decideReadOnce, inScope), together with what the request has read of that case so
 * far — so that a single-statement write can log its response's read together with the write.
 * Only for the plain shape: the operation's only root field, no reads of another case, a selection of leaf fields of that type (fragments on it followed), no
 * directives. Anything else, or a field the guard would refuse: undefined (the response's reads
 * are then logged after it as usual). The access-log plugin logs whatever the response really
 * read and was not logged this way, so a wrong guess can only log more, never less.
 */
export function predictItemReads(info: GraphQLResolveInfo, ctx: Ctx, typeName: string, item: Record<string, unknown>, access: CaseAccess): AccessUse | undefined {
  // reads recorded so far (e.g. of the case, resolving the mutation) are part of the same entry
  const before = ctx.access.reads.get(access.caseId);
  if (info.operation.selectionSet.selections.length !== 1 || ctx.access.reads.size > (before ? 1 : 0)) return undefined;
  const fields = fieldCategoriesOf(typeName);
  if (!fields) return undefined;
  const categories = new Set<Category>(before?.categories);
  const walk = (set: SelectionSetNode | undefined, depth: number): boolean => {
    if (!set || depth > 5) return false;
    for (const s of set.selections) {
      if (s.directives?.length) return false;
      if (s.kind === Kind.FIELD) {
        if (s.name.value === "__typename") continue;
        if (s.selectionSet) return false;
        const category = fields.get(s.name.value);
        if (!category || ROLE_CATEGORIES.has(category)) return false;
        if (OPEN_CATEGORIES.has(category)) continue;
        const d = decideReadOnce(ctx.viewer, access, category);
        if (!d.allowed || !inScope(d.scope, typeName, item, s.name.value, ctx.viewer, access)) return false;
        categories.add(category);
      } else {
        const fragment = s.kind === Kind.INLINE_FRAGMENT ? s : (info.fragments[s.name.value] as FragmentDefinitionNode | undefined);
        if (!fragment || (fragment.typeCondition && fragment.typeCondition.name.value !== typeName)) return false;
        if (!walk(fragment.selectionSet, depth + 1)) return false;
      }
    }
    return true;
  };
  let selected = false;
  for (const n of info.fieldNodes) {
    if (n.directives?.length || !walk(n.selectionSet, 0)) return undefined;
    selected = true;
  }
  if (!selected || categories.size === 0) return undefined;
  // as AccessScope.record: the entry's case, family and emergency access come from its first read
  if (before) return { ...before, categories };
  const emergencyId = !access.involved && !access.handedOver ? access.emergency?.id : undefined;
  return { caseId: access.caseId, familyId: access.familyId, categories, ...(emergencyId ? { emergencyId } : {}) };
}

/** Is this recorded read exactly the one already logged with the write? */
export function sameUse(a: AccessUse, b: AccessUse | undefined): boolean {
  if (!b || a.caseId !== b.caseId || a.familyId !== b.familyId || a.emergencyId !== b.emergencyId) return false;
  if (a.categories.size !== b.categories.size) return false;
  for (const c of a.categories) if (!b.categories.has(c)) return false;
  return true;
}
