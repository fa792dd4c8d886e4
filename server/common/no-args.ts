import { createRequire } from "node:module";
import type { FieldNode, GraphQLField } from "graphql";

type GetArgumentValues = (def: GraphQLField<unknown, unknown>, node: FieldNode, variableValues?: Record<string, unknown> | null) => Record<string, unknown>;

/** The arguments of every field that declares none: one frozen object, shared. */
export const NO_ARGUMENTS: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null) as Record<string, unknown>);

let installed = false;

/**
 * graphql-js builds an arguments object for every field it executes, with or without arguments
 * (`getArgumentValues`: a null-prototype object and a key map of the field node's arguments,
 * both dictionary-mode objects): for a school portal's page of 50 cases, ~2,000 field
 * executions and a quarter of every byte the request allocates. A field that declares no
 * arguments can receive none (validation refuses them before execution), so its arguments are
 * NO_ARGUMENTS, frozen: code that would write to them fails loudly. Fields with arguments go to
 * graphql-js's own function unchanged. Installed on the module graphql-js's executor calls
 * through (`graphql/execution/values.js`, whose export it reads on every call); if a graphql-js
 * version no longer does, nothing changes but the allocation.
 */
export function shareEmptyArguments(): void {
  if (installed) return;
  installed = true;
  const values = createRequire(import.meta.url)("graphql/execution/values.js") as { getArgumentValues: GetArgumentValues };
  const original = values.getArgumentValues;
  values.getArgumentValues = function getArgumentValues(def, node, variableValues) {
    return def.args.length === 0 ? (NO_ARGUMENTS as Record<string, unknown>) : original(def, node, variableValues);
  };
}
