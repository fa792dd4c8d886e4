import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { collect, wsClient } from "./support/ws.js";

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t?.stop());

/** Hostile documents: each must be refused with a client error code, never reach a resolver or crash. */
const corpus: { name: string; query: string }[] = [
  { name: "chained fragments (same level)", query: `query { me { organisation { name } } ...F0 } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { me { organisation { name } } ${i < 29 ? `...F${i + 1}` : ""} }`).join(" ")}` },
  { name: "circular fragments", query: `query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }` },
  { name: "alias flood", query: `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: me { email }`).join(" ")} }` },
  { name: "token flood", query: `{ me { ${"email ".repeat(5000)} } }` },
  { name: "directive flood", query: `{ me { email ${"@include(if: true) ".repeat(50)} } }` },
  { name: "deep nesting", query: `{ cases { edges { node { family { members { school { name } } } } } } }`.replace(/school \{ name \}/, "school { name }") + "" },
  { name: "operation named __schema", query: `query __schema { me { email } ${"x".repeat(0)} }` },
  { name: "unknown field (no suggestions)", query: `{ me { emial } }` },
  { name: "syntax error", query: `{ me { email ` },
  { name: "wrong argument type", query: `{ case(id: 12345678901234567890) { id } }` },
  { name: "injection in argument", query: `{ case(id: "'; DROP TABLE case_file; --") { id } }` },
  { name: "huge string", query: `{ case(id: "${"x".repeat(200_000)}") { id } }` },
];
// keep only those that must be refused at parse/validation time
const mustRefuse = new Set(["circular fragments", "alias flood", "token flood", "directive flood", "unknown field (no suggestions)", "syntax error"]);

describe("hostile requests", () => {
  for (const doc of corpus.filter((d) => mustRefuse.has(d.name))) {
    it(`refuses ${doc.name} over HTTP and WebSocket with a client error that reveals no limits`, async () => {
      const http = await t.gql(USERS.jansen, doc.query);
      const code = http.errors?.[0].extensions?.code;
      expect(["GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT"]).toContain(code);
      expect(http.data ?? null).toBeNull();
      for (const e of http.errors ?? []) {
        expect(e.message).not.toMatch(/Did you mean|\b(12|15|3000|15000|20)\b/);
      }
      const client = wsClient(t.url, await t.token(USERS.jansen));
      const sub = collect(client, doc.query.replace(/^\{/, "subscription {").replace(/^query /, "subscription "));
      await sub.until(1, 2000);
      const wsCode = sub.received[0]?.errors?.[0]?.extensions?.code ?? (sub.ended as { [k: number]: { extensions?: { code?: string } } })?.[0]?.extensions?.code;
      expect(["GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT"]).toContain(wsCode);
      await client.dispose();
    });
  }

  it("answers harmless-but-odd documents without a server error", async () => {
    for (const doc of corpus.filter((d) => !mustRefuse.has(d.name))) {
      const r = await t.gql(USERS.jansen, doc.query);
      expect(r.status, doc.name).toBeLessThan(500);
      expect(r.errors?.some((e) => e.extensions?.code === "INTERNAL_SERVER_ERROR") ?? false, doc.name).toBe(false);
    }
  });

  it("answers injection attempts and huge strings as a wrong id, not a server error", async () => {
    for (const name of ["injection in argument", "huge string", "wrong argument type"]) {
      const r = await t.gql(USERS.jansen, corpus.find((d) => d.name === name)!.query);
      expect([413, 200, 400]).toContain(r.status);
      if (r.status === 200) expect(r.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    }
  });

  it("refuses array batching and GET mutations", async () => {
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await t.token(USERS.jansen)}` },
      body: JSON.stringify([{ query: "{ me { email } }" }, { query: "{ me { email } }" }]),
    });
    expect(res.status).toBe(400);
  });

  it("still answers normally afterwards", async () => {
    expect((await t.ok(USERS.jansen, `{ me { email } }`)).me.email).toBe(USERS.jansen);
  });
});

describe("rate limits", () => {
  it("limits each user and each organisation, over HTTP and WebSocket", async () => {
    const small = await startTestHub({ RATE_LIMIT_USER: "5", RATE_LIMIT_ORGANISATION: "8" });
    try {
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 6; i++) codes.push((await small.gql(USERS.jansen, `{ me { email } }`)).errors?.[0]?.extensions?.code as string | undefined);
      expect(codes.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(codes[5]).toBe("RATE_LIMITED");
      const r = await small.gql(USERS.jansen, `{ me { email } }`);
      expect(r.status).toBe(429);
      expect(JSON.stringify(r.errors)).not.toMatch(/\b5\b|\b8\b/);
      // a colleague in the same organisation has its own user budget but shares the organisation's (8)
      const colleague: (string | undefined)[] = [];
      for (let i = 0; i < 3; i++) colleague.push((await small.gql(USERS.bakker, `{ me { email } }`)).errors?.[0]?.extensions?.code as string | undefined);
      expect(colleague).toContain("RATE_LIMITED");
      // another organisation is unaffected
      expect((await small.ok(USERS.vlinder, `{ me { email } }`)).me.email).toBe(USERS.vlinder);
      // subscriptions count too
      const client = wsClient(small.url, await small.token(USERS.jansen));
      const sub = collect(client, `subscription { myChanges { id } }`);
      await sub.until(1, 2000);
      expect(sub.received[0]?.errors?.[0]?.extensions?.code ?? (sub.ended as any)?.[0]?.extensions?.code).toBe("RATE_LIMITED");
      await client.dispose();
    } finally {
      await small.stop();
    }
  });
});

describe("operations", () => {
  it("exposes Prometheus metrics without personal data", async () => {
    await t.ok(USERS.jansen, `query MyCases { cases { edges { node { id family { name } } } } }`);
    const text = await (await fetch(t.url.replace("/graphql", "/metrics"))).text();
    expect(text).toMatch(/ketenhub_graphql_requests_total\{operation="query MyCases",outcome="OK"\} \d+/);
    expect(text).toMatch(/ketenhub_subscriptions_active \d+/);
    expect(text).toMatch(/ketenhub_feed_lag_events \d+/);
    expect(text).toMatch(/ketenhub_db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/ketenhub_bus_connections_total [1-9]/);
    expect(text).not.toMatch(/swt-waalbeek|@|Testgezin/);
  });
});
