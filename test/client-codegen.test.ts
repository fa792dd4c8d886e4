import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "@graphql-codegen/cli";
import { codegenConfig } from "../client-examples/codegen.js";

/**
 * The client examples' typed documents (client-examples/generated/graphql.ts) must be what codegen makes
 * from schema/schema.graphql and the operations now: regenerated in memory (no files written, no
 * network) and compared with the committed files. Fix a failure with `npm run codegen`.
 */
describe("client-examples codegen", () => {
  it("committed generated files match a fresh generation", async () => {
    const outputs = await generate({ ...codegenConfig(), cwd: process.cwd() }, false);
    expect(outputs.length).toBe(1);
    for (const o of outputs) {
      const committed = readFileSync(resolve(o.filename), "utf8");
      expect(committed, `${o.filename} is stale: run npm run codegen`).toBe(o.content);
    }
  }, 60_000);

});
