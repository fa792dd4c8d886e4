import { lexicographicSortSchema, printSchema } from "graphql";
import { createSchema } from "./schema.js";

/** The SDL as committed in schema/schema.graphql: sorted, so the diff shows real changes only. */
export async function printSchemaFile(): Promise<string> {
  const schema = await createSchema();
  return `# Generated from the code by \`npm run schema:emit\`. Do not edit.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
