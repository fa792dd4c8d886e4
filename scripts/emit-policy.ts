/** `npm run policy:emit`: writes schema/access-policy.json and the README's access table from the code. */
import { readFile, writeFile } from "node:fs/promises";
import { createSchema } from "../server/schema.js";
import { policyDocument, withPolicyTable } from "../server/access/export.js";

const schema = await createSchema();
await writeFile(new URL("../schema/access-policy.json", import.meta.url), JSON.stringify(policyDocument(schema), null, 2) + "\n");
const readmeUrl = new URL("../README.md", import.meta.url);
await writeFile(readmeUrl, withPolicyTable(await readFile(readmeUrl, "utf8")));
console.log("wrote schema/access-policy.json and the README access table");
