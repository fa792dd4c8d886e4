/** `npm run schema:emit` writes schema/schema.graphql from the code (a test fails when it drifts). */
import { writeFile } from "node:fs/promises";
import { printSchemaFile } from "../server/schema-print.js";

await writeFile(new URL("../schema/schema.graphql", import.meta.url), await printSchemaFile());
console.log("wrote schema/schema.graphql");
