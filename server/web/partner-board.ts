import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Express, type Request, type Response } from "express";
import { loadDevKeys, signDevToken } from "../auth/tokens.js";
import type { AppDeps } from "../context.js";

/**
 * The partner board at /partner: a static page (client-examples/board/) that talks to /graphql
 * over HTTP and graphql-ws like any partner client, with a strict Content-Security-Policy.
 *
 * Development sign-in (`/partner/dev/users`, `/partner/dev/token`) exists only when the hub
 * signs its own development tokens: never with NODE_ENV=production or an OIDC issuer
 * configured — then the routes answer 404 and the page offers "paste a token" only.
 */
const FILES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "board.js": "text/javascript; charset=utf-8",
  "board.css": "text/css; charset=utf-8",
};

function boardDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  // sources (tsx: server/web) or the build (dist/server/web)
  const candidates = [join(here, "../../client-examples/board"), join(here, "../../../client-examples/board")];
  return candidates.find((d) => existsSync(join(d, "index.html")));
}

export function devSignInEnabled(config: AppDeps["config"]): boolean {
  return config.NODE_ENV !== "production" && !config.OIDC_ISSUER;
}

/** Host header values we are willing to repeat in the CSP (else only 'self'). */
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

function securityHeaders(req: Request, res: Response): void {
  const host = req.headers.host && HOST.test(req.headers.host) ? req.headers.host : undefined;
  const ws = host ? ` ws://${host} wss://${host}` : "";
  res.set({
    "content-security-policy": [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      `connect-src 'self'${ws}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-cache",
  });
}

export function mountPartnerBoard(app: Express, deps: AppDeps): void {
  const dir = boardDir();
  if (!dir) return; // an image built without client-examples/board: no board, the API is unaffected
  const files = new Map(Object.entries(FILES).map(([name, type]) => [name, { type, body: readFileSync(join(dir, name)) }]));
  const serve = (name: string) => (req: Request, res: Response) => {
    const f = files.get(name)!;
    securityHeaders(req, res);
    res.type(f.type).send(f.body);
  };
  // Express matches "/partner" and "/partner/" alike; relative URLs in the page need the slash.
  app.get("/partner", (req, res) => (req.originalUrl.split("?")[0].endsWith("/") ? serve("index.html")(req, res) : res.redirect(301, "/partner/")));
  for (const name of Object.keys(FILES)) app.get(`/partner/${name}`, serve(name));

  const dev = devSignInEnabled(deps.config);
  app.get("/partner/config.json", (req, res) => {
    securityHeaders(req, res);
    res.json({ devSignIn: dev });
  });
  if (!dev) return;

  // Development only: the demo users and a short-lived token for one of them.
  app.get("/partner/dev/users", async (req, res) => {
    securityHeaders(req, res);
    const rows: { email: string; name: string; role: string; organisation: string }[] = await deps.ds.query(
      `SELECT p.email, p.name, p.role, o.name AS organisation FROM professional p JOIN organisation o ON o.id = p.organisation_id
       WHERE p.active ORDER BY o.name, p.email`,
    );
    res.json(rows);
  });
  app.post("/partner/dev/token", express.json({ limit: "2kb" }), async (req, res) => {
    securityHeaders(req, res);
    const email = typeof req.body?.email === "string" ? req.body.email.toLowerCase() : "";
    if (!req.is("application/json") || !/^[^@\s]{1,100}@[^@\s]{1,100}$/.test(email)) return void res.status(400).json({ error: "email required" });
    const known = await deps.ds.query("SELECT 1 FROM professional WHERE email = $1 AND active", [email]);
    if (known.length === 0) return void res.status(404).json({ error: "unknown user" });
    const keys = await loadDevKeys(deps.config.dataDir);
    res.json({ token: await signDevToken(keys, email, { ttl: deps.config.DEV_TOKEN_TTL }) });
  });
}
