import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";

type Resolver = GraphQLFieldResolver<unknown, Record<string, unknown>>;

/**
 * Field resolvers (`@FieldResolver` methods) that take only `@Root()`, `@Ctx()` and `@Info()`
 * are called directly instead of through type-graphql's per-call handler, which builds a
 * resolverData object, sorts and maps the parameter list, and dispatches (empty) middlewares on
 * every call — for every case, member and agreement of a page. The call is the same: the
 * resolver class's instance, its parameters in their order. The root goes through as it is when
 * it already is an instance of the declared class (or has none); any other root (a plain
 * object type-graphql would convert) takes type-graphql's own handler, as do resolvers with
 * arguments (validation), middlewares or roles. Applied before the access policy wraps every field.
 */
export function callFieldResolversDirectly(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const instances = new Map<Function, Record<string, (...a: unknown[]) => unknown>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const cls = storage.objectTypes.find((o) => o.name === type.name)?.target;
    if (!cls) continue;
    for (const field of Object.values(type.getFields())) {
      const meta = storage.fieldResolvers.find((r) => r.kind === "external" && r.schemaName === field.name && r.getObjectType?.() === cls);
      const original = field.resolve as Resolver | undefined;
      if (!meta || !original || (meta.middlewares?.length ?? 0) > 0 || meta.roles !== undefined || !meta.params) continue;
      const params = [...meta.params].sort((a, b) => a.index - b.index);
      if (params.some((p) => p.kind !== "root" && p.kind !== "context" && p.kind !== "info")) continue;
      let instance = instances.get(meta.target);
      if (!instance) instances.set(meta.target, (instance = new (meta.target as new () => Record<string, (...a: unknown[]) => unknown>)()));
      const method = instance[meta.methodName];
      if (typeof method !== "function") continue;
      const self = instance;
      const extract = params.map((p) => {
        if (p.kind === "context") return p.propertyName ? (_r: unknown, c: Record<string, unknown>) => c[p.propertyName!] : (_r: unknown, c: unknown) => c;
        if (p.kind === "info") return (_r: unknown, _c: unknown, i: unknown) => i;
        if (p.kind !== "root") throw new Error("unreachable");
        return p.propertyName ? (r: unknown) => (r as Record<string, unknown>)[p.propertyName!] : (r: unknown) => r;
      });
      const root = params.find((p) => p.kind === "root");
      const rootType = root?.kind === "root" && root.getType ? root.getType() : undefined;
      // a root type-graphql would pass through unchanged (see its convertToType)
      const asIs = typeof rootType === "function" ? (v: unknown) => v == null || v instanceof rootType : () => true;
      const rootOf = root?.kind === "root" && root.propertyName ? (r: unknown) => (r as Record<string, unknown>)[root.propertyName!] : (r: unknown) => r;
      field.resolve = (r, args, ctx, info) => {
        if (!asIs(rootOf(r))) return original(r, args, ctx, info);
        // the common shapes without an array of arguments
        if (extract.length === 2) return method.call(self, extract[0](r, ctx, info), extract[1](r, ctx, info));
        return method.apply(self, extract.map((e) => e(r, ctx, info)));
      };
    }
  }
  return schema;
}
