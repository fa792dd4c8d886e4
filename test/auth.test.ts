import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t?.stop());

describe("who is calling", () => {
  it("answers `me` with the viewer's email, role and organisation", async () => {
    const d = await t.ok(USERS.vlinder, `{ me { email role organisation { name kind } } }`);
    expect(d.me).toEqual({ email: USERS.vlinder, role: "SCHOOL", organisation: { name: "Basisschool De Vlinder", kind: "SCHOOL" } });
  });

  it("refuses a request without a token: UNAUTHENTICATED, HTTP 401", async () => {
    const r = await t.gql(null, `{ me { email } }`);
    expect(r.status).toBe(401);
    expect(r.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(r.data ?? null).toBeNull();
  });

  it("refuses a token for an unknown user", async () => {
    const r = await t.gql("nobody@nowhere.example", `{ me { email } }`);
    expect(r.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses an expired token and a token with a bad signature, without echoing the token", async () => {
    const expired = await t.token(USERS.jansen, Math.floor(Date.now() / 1000) - 10);
    const forged = (await t.token(USERS.jansen)).slice(0, -4) + "AAAA";
    for (const tok of [expired, forged, "not-a-jwt"]) {
      const res = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${tok}` },
        body: JSON.stringify({ query: "{ me { email } }" }),
      });
      const text = await res.text();
      expect(res.status).toBe(401);
      expect(JSON.parse(text).errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect(text).not.toContain(tok);
    }
  });

  it("serves /healthz and /readyz", async () => {
    const base = t.url.replace("/graphql", "");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ database: "ok" });
  });
});
