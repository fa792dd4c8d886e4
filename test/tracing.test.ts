import { createServer, type Server } from "node:http";
import { gunzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { caseWithSharedAgreement, updateAgreementWhat } from "./support/partner-fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";

/**
 * OpenTelemetry: with OTEL_EXPORTER_OTLP_ENDPOINT the hub exports one span per GraphQL operation
 * (and per subscription start and delivered event over WebSocket) over OTLP/HTTP (received here by a small OTLP receiver on 127.0.0.1); without it, no tracing.
 */
let receiver: Server;
const bodies: string[] = [];
let t: TestHub;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      if (req.url === "/v1/traces") bodies.push((req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  t = await startTestHub({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await t?.stop();
  await new Promise((r) => receiver?.close(r));
});

interface OtlpSpan {
  name: string;
  attributes: { key: string; value: { stringValue?: string; arrayValue?: { values: { stringValue: string }[] } } }[];
}
function spans(): { service: string | undefined; span: OtlpSpan }[] {
  return bodies.flatMap((b) =>
    (JSON.parse(b).resourceSpans ?? []).flatMap((rs: any) => {
      const service = rs.resource?.attributes?.find((a: any) => a.key === "service.name")?.value?.stringValue;
      return rs.scopeSpans.flatMap((ss: any) => ss.spans.map((span: OtlpSpan) => ({ service, span })));
    }),
  );
}
const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.arrayValue?.values.map((x) => x.stringValue);
};

describe("OpenTelemetry traces", () => {
  it("exports a span per operation with its type, name and correlation id, and nothing of the variables or the data", async () => {
    const post = async (requestId: string, query: string, variables?: Record<string, unknown>) => {
      const res = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await t.token(USERS.jansen)}`, "x-request-id": requestId },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
    };
    const listed = await post("trace-list-1", `query MyCases { cases(first: 3) { edges { node { id family { name } } } } }`);
    expect(listed.errors).toBeUndefined();
    const familyName: string = listed.data.cases.edges[0].node.family.name;
    const secret = "Geheim-variabele-123456782";
    const missing = await post("trace-find-2", `query FindCase($id: ID!) { case(id: $id) { id } }`, { id: secret });
    expect(missing.errors?.[0]?.extensions?.code).toBeDefined();

    await t.hub.deps.tracing!.forceFlush();
    const deadline = Date.now() + 10_000;
    while (spans().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    const byName = new Map(spans().map((s) => [s.span.name, s]));
    const list = byName.get("query MyCases");
    const find = byName.get("query FindCase");
    expect(list?.service).toBe("ketenhub");
    expect(attr(list!.span, "graphql.operation.type")).toBe("query");
    expect(attr(list!.span, "graphql.operation.name")).toBe("MyCases");
    expect(attr(list!.span, "ketenhub.correlation_id")).toBe("trace-list-1");
    expect(attr(find!.span, "ketenhub.correlation_id")).toBe("trace-find-2");
    expect(attr(find!.span, "graphql.error.codes")).toEqual([missing.errors![0].extensions!.code]);

    // what leaves the hub: no variables, no results, no viewer
    const exported = bodies.join("\n");
    for (const forbidden of [secret, familyName, USERS.jansen, "authorization", "Bearer"]) expect(exported).not.toContain(forbidden);
    console.log(`tracing: ${spans().length} spans exported over OTLP/HTTP, 0 containing variables or personal data`);
  });

  it("exports the WebSocket path too: a span per subscription start and per delivered event, refusals with their code", async () => {
    const what = "Oma haalt de kinderen op (traced)";
    const fx = await caseWithSharedAgreement(t, { what });
    const client = wsClient(t.url, await t.token(USERS.vlinder));
    const sub = collect(client, `subscription SchoolFeed { myChanges { id kind subject { ... on SafetyAgreement { what } } } }`);
    const refused = collect(client, `subscription Broken { myChanges { noSuchField } }`);
    await sleep(300);
    await updateAgreementWhat(t, fx.agreementId, fx.agreementVersion, "Opa haalt de kinderen op (traced)");
    const [got] = await sub.until(1, 5000);
    expect(got.data.myChanges.subject.what).toBe("Opa haalt de kinderen op (traced)");
    await refused.until(1, 3000);
    expect(refused.ended).toBeDefined();
    sub.stop();
    await client.dispose();

    await t.hub.deps.tracing!.forceFlush();
    const has = (name: string) => spans().some((s) => s.span.name === name);
    const deadline = Date.now() + 10_000;
    while (!(has("subscription SchoolFeed") && has("subscribe Broken")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      await t.hub.deps.tracing!.forceFlush();
    }
    const start = spans().find((s) => s.span.name === "subscribe SchoolFeed")!.span;
    const delivered = spans().find((s) => s.span.name === "subscription SchoolFeed")!.span;
    const broken = spans().find((s) => s.span.name === "subscribe Broken")!.span;
    expect(attr(start, "graphql.operation.type")).toBe("subscription");
    expect(attr(delivered, "graphql.operation.name")).toBe("SchoolFeed");
    // one subscription, one correlation id: its start and its deliveries
    expect(attr(delivered, "ketenhub.correlation_id")).toBe(attr(start, "ketenhub.correlation_id"));
    expect(attr(broken, "graphql.error.codes")).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    const exported = bodies.join("\n");
    for (const forbidden of [what, "Opa haalt", fx.familyName, fx.caseId, USERS.vlinder, "Bearer"]) expect(exported).not.toContain(forbidden);
  });

  it("is off without an endpoint: no tracer and no plugin", async () => {
    const plain = await startTestHub();
    try {
      expect(plain.hub.deps.tracing).toBeUndefined();
      expect((await plain.ok(USERS.jansen, `{ me { email } }`)).me.email).toBe(USERS.jansen);
    } finally {
      await plain.stop();
    }
  });
});
