/**
 * graphql-codegen: typed documents for the client examples, from schema/schema.graphql.
 *   npm run codegen             regenerates client-examples/generated/
 *   test/client-codegen.test.ts fails when the committed files drift from a regeneration
 *
 * generated/graphql.ts — operations/partner.graphql against the hub's schema as it is.
 * generated/pending.ts — operations/pending.graphql (meetings, signals, "seen") against the
 *   schema plus those stand-ins in schema-pending/ whose real types the schema still lacks; once
 *   an API is merged its stand-in drops out by itself and the real schema validates the operations.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { CodegenConfig } from "@graphql-codegen/cli";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const rel = (p: string) => relative(process.cwd(), join(root, p)) || ".";

/** A stand-in is used only while the real schema lacks the marker it would add. */
const PENDING: { file: string; marker: RegExp }[] = [
  { file: "client-examples/schema-pending/meetings.graphql", marker: /^type Meeting\b/m },
  { file: "client-examples/schema-pending/signals.graphql", marker: /^type Signal\b/m },
  { file: "client-examples/schema-pending/seen.graphql", marker: /^\s*markSafetyAgreementSeen\(/m },
];

export function pendingSchemaFiles(schemaText = readFileSync(join(root, "schema/schema.graphql"), "utf8")): string[] {
  return PENDING.filter((p) => !p.marker.test(schemaText)).map((p) => p.file);
}

const shared = {
  plugins: ["typescript-operations", "typed-document-node"],
  config: {
    useTypeImports: true,
    enumType: "const",
    scalars: { DateTimeISO: "string", LocalDate: "string", ID: "string" },
    avoidOptionals: false,
    skipTypename: false,
    nonOptionalTypename: false,
    documentMode: "documentNode",
  },
};

export function codegenConfig(): CodegenConfig {
  return {
    overwrite: true,
    silent: process.env.CODEGEN_VERBOSE ? false : true,
    generates: {
      [rel("client-examples/generated/graphql.ts")]: {
        schema: rel("schema/schema.graphql"),
        documents: rel("client-examples/operations/partner.graphql"),
        ...shared,
      },
      [rel("client-examples/generated/pending.ts")]: {
        schema: [rel("schema/schema.graphql"), ...pendingSchemaFiles().map(rel)],
        documents: rel("client-examples/operations/pending.graphql"),
        ...shared,
      },
    },
  };
}

export default codegenConfig();
