import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSchema } from "../server/schema.js";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { db } from "./support/fixtures.js";
import { injectionDocs, shapeDocs, wrongTypeDocs, type HostileDoc } from "./support/hostile-corpus.js";
import { collect, wsClient } from "./support/ws.js";

/**
 * The hostile corpus, generated from the schema: shape attacks, wrong types, and injection
 * strings in every argument of every query and mutation. Sent as a school (which may write almost
 * nothing) over HTTP POST, HTTP GET and WebSocket. Nothing may produce a server error, nothing
 * may change the data, and the hub must answer normally afterwards.
 */
let t: TestHub;
let docs: HostileDoc[];
let countsBefore: Record<string, number>;
const TABLES = ["case_file", "family", "family_member", "consent", "sharing_decision", "involvement"];
const tableCounts = async () =>
  Object.fromEntries(await Promise.all(TABLES.map(async (tb) => [tb, (await db().query(`SELECT count(*)::int AS n FROM ${tb}`)).rows[0].n as number])));

beforeAll(async () => {
  t = await startTestHub({ RATE_LIMIT_USER: "100000", RATE_LIMIT_ORGANISATION: "100000" });
  docs = [...shapeDocs(), ...wrongTypeDocs(), ...injectionDocs(await createSchema())];
  countsBefore = await tableCounts();
});
afterAll(() => t?.stop());

const serverError = (body: any) => Array.isArray(body?.errors) && body.errors.some((e: any) => e.extensions?.code === "INTERNAL_SERVER_ERROR");

describe("hostile corpus", () => {
  it("has at least 300 documents", () => {
    expect(docs.length).toBeGreaterThanOrEqual(300);
    console.log(`hostile corpus: ${docs.length} documents (${shapeDocs().length} shape, ${wrongTypeDocs().length} wrong types, ${docs.length - shapeDocs().length - wrongTypeDocs().length} injection) over POST, GET and WebSocket`);
  });

  it("over HTTP POST: no server error, no stack, no echo of the injected strings in errors", async () => {
    const token = await t.token(USERS.vlinder);
    const failures: string[] = [];
    for (const d of docs) {
      const res = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: d.query, variables: d.variables }),
      });
      const text = await res.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (res.status >= 500 || serverError(body) || /stacktrace|at .*\.ts:\d+/.test(text)) failures.push(`${d.name}: ${res.status} ${text.slice(0, 200)}`);
      if (body?.errors?.some((e: any) => /DROP TABLE|pg_sleep|<script>/.test(e.message))) failures.push(`${d.name}: echoed input`);
    }
    expect(failures).toEqual([]);
  }, 180_000);

  it("over HTTP GET (queries only; mutations refused): no server error", async () => {
    const token = await t.token(USERS.vlinder);
    const failures: string[] = [];
    for (const d of docs.filter((x) => x.query.length < 6000)) {
      const url = `${t.url}?query=${encodeURIComponent(d.query)}${d.variables ? `&variables=${encodeURIComponent(JSON.stringify(d.variables))}` : ""}`;
      if (url.length > 30_000) continue;
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, "apollo-require-preflight": "true" } });
      if (res.status >= 500) failures.push(`${d.name}: ${res.status}`);
      if (d.query.startsWith("mutation")) {
        const body: any = await res.json().catch(() => undefined);
        if (body?.data && Object.values(body.data).some((v) => v !== null)) failures.push(`${d.name}: mutation ran over GET`);
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);

  it("over WebSocket: no server error", async () => {
    const failures: string[] = [];
    const token = await t.token(USERS.vlinder);
    let client = wsClient(t.url, token);
    for (const [i, d] of docs.entries()) {
      if (i % 15 === 0) {
        await client.dispose();
        client = wsClient(t.url, token);
      }
      const sub = collect(client, d.query, d.variables);
      await sub.until(1, 1500);
      const first = sub.received[0] ?? { errors: sub.ended as any };
      if (serverError(first)) failures.push(`${d.name}: ${JSON.stringify(first).slice(0, 200)}`);
      sub.stop();
    }
    await client.dispose();
    expect(failures).toEqual([]);
  }, 240_000);

  it("changed no data and still answers normally", async () => {
    expect(await tableCounts()).toEqual(countsBefore);
    expect((await t.ok(USERS.vlinder, `{ me { email } }`)).me.email).toBe(USERS.vlinder);
  });
});
