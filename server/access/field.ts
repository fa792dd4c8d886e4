import { Field, type FieldOptions } from "type-graphql";
import type { Category } from "./categories.js";

/** Declarations by class (a class may be renamed after decoration, e.g. generated connections). */
const byClass = new Map<Function, Map<string, Category>>();
/** Declarations by GraphQL type name (@Cat on field resolvers and operations). */
const byName = new Map<string, Map<string, Category>>();

function put<K>(map: Map<K, Map<string, Category>>, key: K, field: string, category: Category) {
  let fields = map.get(key);
  if (!fields) map.set(key, (fields = new Map()));
  fields.set(field, category);
}

function register(typeName: string, fieldName: string, category: Category) {
  put(byName, typeName, fieldName, category);
}

/**
 * Registry of field categories: GraphQL type name → field name → category. Read by the policy
 * and by the test that walks the emitted schema and fails on any field without a category.
 * Object types must keep their class name as GraphQL name.
 */
export function fieldCategoriesOf(typeName: string): ReadonlyMap<string, Category> | undefined {
  const merged = new Map<string, Category>(byName.get(typeName));
  for (const [cls, fields] of byClass) if (cls.name === typeName) for (const [f, c] of fields) merged.set(f, c);
  return merged.size ? merged : undefined;
}

/** All declarations, by type name (for the readable policy export). */
export function allFieldCategories(): Map<string, Map<string, Category>> {
  const names = new Set([...byName.keys(), ...[...byClass.keys()].map((c) => c.name)]);
  return new Map([...names].sort().map((n) => [n, new Map([...fieldCategoriesOf(n)!].sort())]));
}

/**
 * `@CField(category, () => Type, options)` — a type-graphql @Field that also declares its data
 * category. Output-type classes must use it for every field (and their class name is their
 * GraphQL name). Fields resolved by a @FieldResolver declare theirs with @Cat on that resolver.
 */
export function CField(category: Category, type: Parameters<typeof Field>[0] & Function, options: FieldOptions = {}): PropertyDecorator & MethodDecorator {
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    put(byClass, (target as { constructor: Function }).constructor, options.name ?? String(key), category);
    // `simple`: graphql-js reads the property itself instead of type-graphql's per-call wrapper
    // (a resolverData object and a middleware dispatch per field; the hub uses no middlewares).
    // The access policy is still wrapped around every field (enforce.ts).
    const simple = options.name === undefined || options.name === String(key);
    (Field(type, { simple, ...options }) as (t: object, k: string | symbol, d?: PropertyDescriptor) => void)(target, key, descriptor);
  };
}

/**
 * `@Cat("Case", CATEGORIES.SAFETY)` on a `@FieldResolver` method (parent type name given
 * explicitly), or `@Cat("Query" | "Mutation" | "Subscription", category)` on an operation:
 * the category it reads or writes. `name` when the GraphQL field name differs from the method.
 */
export function Cat(typeName: string, category: Category, name?: string): MethodDecorator {
  return (_target, key) => register(typeName, name ?? String(key), category);
}

/** Mutations any viewer who may read their category may call (see Acknowledgement). */
const acknowledgements = new Set<string>();

/**
 * `@Acknowledgement()` on a mutation that only records that the viewer has taken note of an
 * item it may read (e.g. "seen" on a safety agreement): at the root it needs the read right on
 * its category instead of the write right; its service decides per item with
 * `ctx.access.assertCanAcknowledge`.
 */
export function Acknowledgement(name?: string): MethodDecorator {
  return (_target, key) => {
    acknowledgements.add(name ?? String(key));
  };
}

export function isAcknowledgement(mutationName: string): boolean {
  return acknowledgements.has(mutationName);
}

export function allAcknowledgements(): string[] {
  return [...acknowledgements].sort();
}
