import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { ForbiddenError } from "../common/errors.js";
import type { Ctx } from "../context.js";
import type { CaseAccess } from "./case-access.js";
import type { Category } from "./categories.js";
import { decideReadOnce, inScope, itemVisible, ITEM_CATEGORY, OPEN_CATEGORIES, ROLE_CATEGORIES } from "./decide.js";
import { fieldCategoriesOf, isAcknowledgement } from "./field.js";
import { ruleFor } from "./policy.js";

type Source = Record<string, unknown> & { caseId?: string; id?: string };

const denied = (category: Category | "unknown") =>
  new ForbiddenError(category === "unknown" ? "This field has no access policy" : `Not allowed to read ${category} data here`, { category });

/** How a field's list result is filtered: elements of item types the viewer may not read are dropped. */
function listFilter(field: GraphQLField<unknown, unknown>): { itemType: string; viaEdge: boolean } | undefined {
  const t = getNullableType(field.type);
  if (!isListType(t)) return undefined;
  const named = getNamedType(t);
  if (!isObjectType(named)) return undefined;
  if (ITEM_CATEGORY[named.name]) return { itemType: named.name, viaEdge: false };
  const node = named.name.endsWith("Edge") ? named.getFields().node : undefined;
  const nodeType = node && getNamedType(node.type);
  if (nodeType && ITEM_CATEGORY[nodeType.name]) return { itemType: nodeType.name, viaEdge: true };
  return undefined;
}

/** A field that returns one object of an item type (e.g. Signal.member → FamilyMember). */
function singleItem(field: GraphQLField<unknown, unknown>): string | undefined {
  if (isNonNullType(field.type)) return undefined; // cannot be nulled; its fields are still guarded
  const t = field.type;
  if (isListType(t) || !isObjectType(t)) return undefined;
  return ITEM_CATEGORY[t.name] ? t.name : undefined;
}

// The functions below run for every field of every object: no closures are created per call
// (the dev runner's keep-names helper would also define a name property on each).

function checkSingle(item: unknown, itemType: string, ctx: Ctx): unknown {
  if (item === null || item === undefined) return item;
  const s = item as Source;
  const access = typeof s.caseId === "string" ? ctx.access.peek(s.caseId) : undefined;
  return access !== undefined && itemVisible(itemType, s, ctx.viewer, access) ? item : null;
}

/** A single item the viewer may not read resolves to null, as it would be dropped from a list. */
function applySingle(result: unknown, itemType: string, ctx: Ctx): unknown {
  return result instanceof Promise ? result.then((r) => checkSingle(r, itemType, ctx)) : checkSingle(result, itemType, ctx);
}

function filterList(list: unknown, filter: { itemType: string; viaEdge: boolean }, ctx: Ctx): unknown {
  if (!Array.isArray(list)) return list;
  return list.filter((el: Source) => {
    const item = (filter.viaEdge ? (el.node as Source) : el) ?? {};
    const access = typeof item.caseId === "string" ? ctx.access.peek(item.caseId) : undefined;
    return access !== undefined && itemVisible(filter.itemType, item, ctx.viewer, access);
  });
}

function applyFilter(result: unknown, filter: { itemType: string; viaEdge: boolean }, ctx: Ctx): unknown {
  return result instanceof Promise ? result.then((r) => filterList(r, filter, ctx)) : filterList(result, filter, ctx);
}

/**
 * Wraps every field resolver of the schema with the access policy (DESIGN.md practices 2–4):
 * - a field without a declared category is never readable (fail closed);
 * - root operations: the viewer's role must have some right on the operation's category;
 * - case-scoped fields: decided synchronously from the request's AccessScope for the case the
 *   source object belongs to (`source.caseId`, or `id` for Case itself) — role × category,
 *   consent or sharing decision, and item scope; a denied field resolves to null with FORBIDDEN
 *   at its path; allowed reads are recorded for the access log;
 * - lists of item types (members, agreements, goals, signals, consents…) drop the elements the
 *   viewer may not read, and a single item of such a type (Signal.member, Goal.member) the
 *   viewer may not read resolves to null (its id and kind would otherwise still show).
 * Mutates the schema's field configs once at start-up; no per-field async middleware.
 */
export function enforceAccess(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const categories = fieldCategoriesOf(type.name);
    for (const field of Object.values(type.getFields())) {
      const category = categories?.get(field.name);
      const original = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<Source, Ctx>;
      const filter = listFilter(field);
      const single = singleItem(field);
      if (!category) {
        field.resolve = () => {
          throw denied("unknown");
        };
      } else if (roots.has(type)) {
        field.resolve = guardRoot(type, field.name, category, original);
      } else if (OPEN_CATEGORIES.has(category)) {
        if (filter) field.resolve = (src, args, ctx, info) => applyFilter(original(src, args, ctx, info), filter, ctx);
      } else if (ROLE_CATEGORIES.has(category) && type.name === "Case") {
        // a role category on a case (Case.indicators): decided for that case — effective role, scope
        field.resolve = guardCaseField(type.name, field.name, category, original, filter, single);
      } else if (ROLE_CATEGORIES.has(category)) {
        field.resolve = (src, args, ctx, info) => {
          if (ruleFor(ctx.viewer.role, category).read === "none") throw denied(category);
          return original(src, args, ctx, info);
        };
      } else {
        field.resolve = guardCaseField(type.name, field.name, category, original, filter, single);
      }
    }
  }
  return schema;
}

function guardRoot(
  type: GraphQLObjectType,
  fieldName: string,
  category: Category,
  original: GraphQLFieldResolver<Source, Ctx>,
): GraphQLFieldResolver<Source, Ctx> {
  // acknowledgements ("seen") need the read right; every other mutation the write right
  const isMutation = type.name === "Mutation" && !isAcknowledgement(fieldName);
  return (src, args, ctx, info) => {
    const rule = ruleFor(ctx.viewer.role, category);
    const allowed = OPEN_CATEGORIES.has(category) || (isMutation ? rule.write !== "none" : rule.read !== "none" || rule.write !== "none");
    if (!allowed) throw new ForbiddenError(`Your role may not ${isMutation ? "change" : "read"} ${category}`, { category });
    return original(src, args, ctx, info);
  };
}

function guardCaseField(
  typeName: string,
  fieldName: string,
  category: Category,
  original: GraphQLFieldResolver<Source, Ctx>,
  filter: { itemType: string; viaEdge: boolean } | undefined,
  single: string | undefined,
): GraphQLFieldResolver<Source, Ctx> {
  const field: GuardedField = { typeName, fieldName, category, original, filter, single };
  return (src, args, ctx, info) => {
    const caseId = typeof src.caseId === "string" ? src.caseId : typeName === "Case" ? (src.id as string) : undefined;
    if (!caseId) throw denied(category); // a case-scoped object that does not know its case: fail closed
    const ready = ctx.access.peek(caseId);
    if (ready) return resolveGuarded(field, ready, src, args, ctx, info);
    return ctx.access.load(caseId).then((r) => resolveGuarded(field, r?.access, src, args, ctx, info));
  };
}

interface GuardedField {
  typeName: string;
  fieldName: string;
  category: Category;
  original: GraphQLFieldResolver<Source, Ctx>;
  filter: { itemType: string; viaEdge: boolean } | undefined;
  single: string | undefined;
}

function resolveGuarded(f: GuardedField, access: CaseAccess | undefined, src: Source, args: unknown, ctx: Ctx, info: Parameters<GraphQLFieldResolver<Source, Ctx>>[3]): unknown {
  if (!access) throw denied(f.category);
  const d = decideReadOnce(ctx.viewer, access, f.category);
  if (!d.allowed || !inScope(d.scope, f.typeName, src, f.fieldName, ctx.viewer, access)) throw denied(f.category);
  ctx.access.recordRead(access, f.category);
  const result = f.original(src, args as Record<string, unknown>, ctx, info);
  return f.filter ? applyFilter(result, f.filter, ctx) : f.single ? applySingle(result, f.single, ctx) : result;
}
