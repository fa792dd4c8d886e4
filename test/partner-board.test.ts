import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSchema, parse, specifiedRules, validate } from "graphql";
import { limitRules } from "../server/security/limits.js";
import { devKeyEnv, startTestHub, USERS, type TestHub } from "./support/hub.js";

let t: TestHub;
let base: string;
beforeAll(async () => {
  t = await startTestHub();
  base = t.url.replace(/\/graphql$/, "");
});
afterAll(() => t?.stop());

describe("partner board at /partner", () => {
  it("serves the page, its script and style under a strict Content-Security-Policy", async () => {
    const page = await fetch(`${base}/partner/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = page.headers.get("content-security-policy") ?? "";
    for (const d of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"]) expect(csp).toContain(d);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await page.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script (the CSP would block it)
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i); // no inline styles or handlers
    // every form control has a label
    const ids = [...html.matchAll(/<(?:input|select|textarea)[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    for (const id of ids) expect(html, `label for ${id}`).toContain(`for="${id}"`);
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain('role="status"');

    expect((await fetch(`${base}/partner`, { redirect: "manual" })).headers.get("location")).toBe("/partner/");
    const js = await fetch(`${base}/partner/board.js`);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await js.text()).not.toMatch(/\.innerHTML\s*=|insertAdjacentHTML|eval\(/);
    expect((await fetch(`${base}/partner/board.css`)).headers.get("content-type")).toMatch(/^text\/css/);
    expect((await fetch(`${base}/partner/../package.json`)).status).toBe(404);
  });

  it("in development lists the demo users and issues a token for one of them", async () => {
    expect(await (await fetch(`${base}/partner/config.json`)).json()).toEqual({ devSignIn: true });
    const users = (await (await fetch(`${base}/partner/dev/users`)).json()) as { email: string; organisation: string }[];
    expect(users).toContainEqual(expect.objectContaining({ email: USERS.vlinder, organisation: "Basisschool De Vlinder" }));
    const res = await fetch(`${base}/partner/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: USERS.vlinder }) });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const me = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ me { email role } }" }),
    }).then((r) => r.json() as Promise<{ data: { me: unknown } }>);
    expect(me.data.me).toEqual({ email: USERS.vlinder, role: "SCHOOL" });
    const unknown = await fetch(`${base}/partner/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "niemand@nergens.example" }) });
    expect(unknown.status).toBe(404);
    const form = await fetch(`${base}/partner/dev/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `email=${USERS.vlinder}` });
    expect(form.status).toBe(400); // no cross-site form posts
  });

  it("the board's operations are valid against the schema and within the hub's limits", () => {
    const src = readFileSync("client-examples/board/board.js", "utf8");
    const agreement = /const AGREEMENT = `([^`]*)`/.exec(src)![1];
    const ops = [...src.matchAll(/gql`([^`]*)`/g)].map((m) => m[1].replaceAll("${AGREEMENT}", agreement)).filter((o) => o.trim() !== "");
    expect(ops.length).toBeGreaterThanOrEqual(7);
    const schema = buildSchema(readFileSync("schema/schema.graphql", "utf8"));
    for (const op of ops) {
      // the hub's own limits (depth, cost…) too: the board must never be refused
      expect(validate(schema, parse(op), [...specifiedRules, ...limitRules()]).map((e) => e.message), op).toEqual([]);
    }
  });
});

describe("partner board in production", () => {
  let prod: TestHub;
  beforeAll(async () => {
    prod = await startTestHub({
      NODE_ENV: "production",
      OIDC_ISSUER: "https://idp.example/",
      OIDC_AUDIENCE: "ketenhub",
      OIDC_JWKS_URL: "https://idp.example/jwks",
      ...(await devKeyEnv()), // production refuses the development key file: the run's key, configured
    });
  });
  afterAll(() => prod?.stop());

  it("never issues development tokens: the dev sign-in routes do not exist, the page offers token paste only", async () => {
    const b = prod.url.replace(/\/graphql$/, "");
    expect((await fetch(`${b}/partner/`)).status).toBe(200);
    expect(await (await fetch(`${b}/partner/config.json`)).json()).toEqual({ devSignIn: false });
    expect((await fetch(`${b}/partner/dev/users`)).status).toBe(404);
    const res = await fetch(`${b}/partner/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: USERS.vlinder }) });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/eyJ/); // no JWT anywhere
  });
});
