/**
 * graphql-codegen: typed documents for the client examples, from schema/schema.graphql.
 *   npm run codegen             regenerates client-examples/generated/graphql.ts
 *   test/client-codegen.test.ts fails when the committed file drifts from a regeneration
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { CodegenConfig } from "@graphql-codegen/cli";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const rel = (p: string) => relative(process.cwd(), join(root, p)) || ".";
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
    },
  };
}

export default codegenConfig();
