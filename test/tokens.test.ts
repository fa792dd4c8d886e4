import { generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { inject, afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_AUDIENCE, DEV_ISSUER, loadDevKeys } from "../server/auth/tokens.js";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { collect, wsClient } from "./support/ws.js";

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t?.stop());

const now = () => Math.floor(Date.now() / 1000);

async function sign(claims: Record<string, unknown>, opts: { iss?: string | null; aud?: string | null; exp?: number | null; key?: CryptoKey; alg?: string } = {}) {
  const key = opts.key ?? (await loadDevKeys(inject("dataDir"))).privateKey;
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? "ES256" }).setIssuedAt();
  if (opts.iss !== null) jwt = jwt.setIssuer(opts.iss ?? DEV_ISSUER);
  if (opts.aud !== null) jwt = jwt.setAudience(opts.aud ?? DEV_AUDIENCE);
  if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? now() + 600);
  return jwt.sign(key);
}

const badTokens: [string, () => Promise<string>][] = [
  ["expired", () => sign({ email: USERS.vlinder }, { exp: now() - 60 })],
  ["wrong signature (another key)", async () => sign({ email: USERS.vlinder }, { key: (await generateKeyPair("ES256")).privateKey })],
  ["wrong audience", () => sign({ email: USERS.vlinder }, { aud: "someone-else" })],
  ["wrong issuer", () => sign({ email: USERS.vlinder }, { iss: "https://evil.example" })],
  ["unknown user", () => sign({ email: "nobody@nowhere.example" })],
  ["missing email claim", () => sign({ sub: "x" })],
  ["missing expiry", () => sign({ email: USERS.vlinder }, { exp: null })],
  ["alg none", async () => {
    const h = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    const p = Buffer.from(JSON.stringify({ email: USERS.vlinder, iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now() + 600 })).toString("base64url");
    return `${h}.${p}.`;
  }],
];

describe("bad tokens are refused on both transports", () => {
  for (const [name, make] of badTokens) {
    it(name, async () => {
      const token = await make();
      const res = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ me { email } }" }),
      });
      const body = await res.text();
      expect(res.status).toBe(401);
      expect(JSON.parse(body).errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect(body).not.toContain(token);

      let code = 0;
      const client = wsClient(t.url, token, { onClose: (c) => (code = c) });
      const sub = collect(client, "subscription { myChanges { id } }");
      await sub.until(1, 2000);
      expect(code).toBe(4401);
      await client.dispose();
    });
  }

  it("accepts a good token (control)", async () => {
    const token = await sign({ email: USERS.vlinder });
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ me { email } }" }),
    });
    expect(((await res.json()) as { data: { me: { email: string } } }).data.me.email).toBe(USERS.vlinder);
  });
});
