import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";

/** Strings that have broken other systems: SQL, NoSQL, path, template, script and encoding tricks. */
export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE case_file; --",
  "1; SELECT pg_sleep(5); --",
  '" OR ""="',
  "$where: '1 == 1'",
  "../../../../etc/passwd",
  "${7*7}",
  "{{7*7}}",
  "<script>alert(1)</script>",
  "\u0000",
  "%00%27",
  "\\x27\\x3B",
  "NaN",
  "-1",
  "9".repeat(400),
  "ä".repeat(2000),
];

export interface HostileDoc {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

/** A value of `type` with every string-like leaf set to `s` (required fields only, one list item). */
function fill(type: GraphQLInputType, s: string, depth = 0): unknown {
  if (isNonNullType(type)) return fill(type.ofType, s, depth);
  if (isListType(type)) return [fill(type.ofType, s, depth)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    if (depth > 4) return {};
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) out[f.name] = fill(f.type, s, depth + 1);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "Int":
        return 2147483647;
      case "Float":
        return 1e308;
      case "Boolean":
        return true;
      default:
        return s; // String, ID, LocalDate, DateTimeISO…
    }
  }
  return s;
}

const typeString = (t: GraphQLInputType): string => t.toString();

/** One document per root field and injection string, arguments passed as variables. */
export function injectionDocs(schema: GraphQLSchema): HostileDoc[] {
  const docs: HostileDoc[] = [];
  for (const [op, root] of [["query", schema.getQueryType()], ["mutation", schema.getMutationType()]] as const) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      if (field.args.length === 0) continue;
      const named = getNamedType(field.type);
      const selection = "fields" in named ? " { __typename }" : "";
      for (const s of INJECTIONS) {
        const vars: Record<string, unknown> = {};
        const defs = field.args.map((a: GraphQLArgument) => {
          vars[a.name] = fill(a.type, s);
          return `$${a.name}: ${typeString(a.type)}`;
        });
        const call = field.args.map((a) => `${a.name}: $${a.name}`).join(", ");
        docs.push({ name: `${op} ${field.name} ← ${JSON.stringify(s).slice(0, 20)}`, query: `${op} (${defs.join(", ")}) { ${field.name}(${call})${selection} }`, variables: vars });
      }
    }
  }
  return docs;
}

/** Documents that must be refused before any resolver runs. */
export function shapeDocs(): HostileDoc[] {
  const docs: HostileDoc[] = [];
  for (const n of [16, 50, 200, 1000]) docs.push({ name: `alias flood ${n}`, query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { email }`).join(" ")} }` });
  for (const n of [3100, 10_000]) docs.push({ name: `token flood ${n}`, query: `{ me { ${"email ".repeat(n)} } }` });
  for (const n of [11, 40, 200]) docs.push({ name: `directive flood ${n}`, query: `{ me { email ${"@include(if: true) ".repeat(n)} } }` });
  docs.push({ name: "recursive fragments", query: `query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }` });
  docs.push({ name: "self-recursive fragment", query: `query { ...A } fragment A on Query { me { email } ...A }` });
  docs.push({ name: "fragment cycle via nested", query: `query { cases { ...C } } fragment C on CaseConnection { edges { node { family { ...F } } } } fragment F on Family { ...F }` });
  docs.push({ name: "operation named __schema with introspection flood", query: `query __schema { ${Array.from({ length: 30 }, (_, i) => `s${i}: __schema { types { name fields { name type { name ofType { name ofType { name } } } } } }`).join(" ")} }` });
  docs.push({ name: "deep introspection", query: `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } }` });
  docs.push({ name: "unknown field", query: `{ me { password } }` });
  docs.push({ name: "syntax error", query: `{ me { email ` });
  docs.push({ name: "empty document", query: `` });
  docs.push({ name: "two anonymous operations", query: `{ me { email } } { me { email } }` });
  docs.push({ name: "undefined variable", query: `query { case(id: $nope) { id } }` });
  return docs;
}

/** Documents with a bad value for a typed variable (coercion must refuse them). */
export function wrongTypeDocs(): HostileDoc[] {
  const q = `query($id: ID!, $first: Int) { case(id: $id) { id } cases(first: $first) { edges { cursor } } }`;
  const values: [string, Record<string, unknown>][] = [
    ["id object", { id: { $gt: "" }, first: 1 }],
    ["id array", { id: ["a", "b"], first: 1 }],
    ["id null", { id: null, first: 1 }],
    ["first string", { id: "x", first: "ten" }],
    ["first float", { id: "x", first: 1.5 }],
    ["first huge", { id: "x", first: 2 ** 40 }],
    ["first negative", { id: "x", first: -1 }],
    ["first over page limit", { id: "x", first: 100000 }],
    ["huge list", { id: Array.from({ length: 100_000 }, () => "a"), first: 1 }],
  ];
  return values.map(([name, variables]) => ({ name: `wrong type: ${name}`, query: q, variables }));
}
