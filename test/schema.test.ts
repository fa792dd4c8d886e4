import "reflect-metadata";
import { readFile } from "node:fs/promises";
import { isObjectType, isInterfaceType, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { createSchema } from "../server/schema.js";
import { printSchemaFile } from "../server/schema-print.js";
import { fieldCategoriesOf } from "../server/access/field.js";
import { ALL_CATEGORIES } from "../server/access/categories.js";
import { policyDocument, withPolicyTable } from "../server/access/export.js";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await createSchema();
});

describe("the emitted schema", () => {
  it("matches schema/schema.graphql (run `npm run schema:emit` after changing the API)", async () => {
    const committed = await readFile(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    expect(await printSchemaFile()).toBe(committed);
  });

  it("declares a data category for every field of every output type and every operation", () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.keys(type.getFields())) {
        const category = fieldCategoriesOf(type.name)?.get(field);
        if (!category || !ALL_CATEGORIES.includes(category)) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing, "fields without @CField / @Cat").toEqual([]);
  });

  it("matches schema/access-policy.json and the README's access table (run `npm run policy:emit`)", async () => {
    const json = await readFile(new URL("../schema/access-policy.json", import.meta.url), "utf8");
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(policyDocument(schema))));
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    expect(withPolicyTable(readme)).toBe(readme);
  });
});

describe("arguments of fields that declare none", () => {
  it("are one shared, frozen object in graphql-js's executor; fields with arguments get theirs coerced as before", async () => {
    const { GraphQLInt, GraphQLObjectType, GraphQLSchema: Schema, GraphQLString, execute, parse } = await import("graphql");
    const { NO_ARGUMENTS } = await import("../server/common/no-args.js");
    const seen: unknown[] = [];
    const probe = new Schema({
      query: new GraphQLObjectType({
        name: "Query",
        fields: {
          plain: { type: GraphQLString, resolve: (_r, args) => (seen.push(args), "x") },
          sized: { type: GraphQLInt, args: { n: { type: GraphQLInt, defaultValue: 3 } }, resolve: (_r, args: { n: number }) => (seen.push(args), args.n) },
        },
      }),
    });
    const r = await execute({ schema: probe, document: parse("{ a: plain b: plain sized c: sized(n: 7) }") });
    expect(r).toEqual({ data: { a: "x", b: "x", sized: 3, c: 7 } });
    expect(seen[0]).toBe(NO_ARGUMENTS);
    expect(seen[1]).toBe(NO_ARGUMENTS);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect({ ...(seen[2] as object) }).toEqual({ n: 3 });
    expect({ ...(seen[3] as object) }).toEqual({ n: 7 });
    expect(seen[2]).not.toBe(seen[3]);
  });
});
