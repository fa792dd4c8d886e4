/**
 * `npx tsx bench/dev-instr.ts` — instructions per Q1 request, counted by valgrind's callgrind:
 * a developer's loop beside dev-q1.ts, for changes too small for CPU time on this machine (its
 * CPU figures move by a fifth to a half between runs; an instruction count repeats to about a
 * percent). Not part of `npm run bench`.
 *
 * Needs dev-q1.ts's kept database (run it once) and valgrind. The hub is compiled with tsc (no
 * tsx under valgrind), started under callgrind with instrumentation off, warmed up with
 * DEVINSTR_WARMUP requests (V8 optimises the hot code first), then DEVINSTR_N requests are
 * counted, DEVINSTR_CONCURRENCY (default 1) at a time. DEVINSTR_BASE=<another checkout>: that
 * checkout too, for an A/B (DEVINSTR_BASE=. with DEVINSTR_NODE_FLAGS: Node flags against none).
 * DATABASE_URL as for dev-q1.ts (default: its embedded PostgreSQL, started here).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres } from "../server/db/embedded.js";
import { devQ1Request } from "./lib/dev-viewer.js";

const here = dirname(fileURLToPath(import.meta.url));
const dir = "/tmp/ketenhub-devq1";
const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: join(dir, "db"), port: 54329 });
const url = Object.assign(new URL(process.env.DATABASE_URL ?? embedded!.url), { pathname: "/ketenhub_devq1" }).toString();
const N = Number(process.env.DEVINSTR_N ?? 40);
// valgrind's gdbserver names its pipes by user and host: the same for the hub and callgrind_control
const vgEnv = { USER: process.env.USER ?? "dev", LOGNAME: process.env.LOGNAME ?? "dev", HOST: "127.0.0.1" }; // HOST: also the address the hub listens on
const WARMUP = Number(process.env.DEVINSTR_WARMUP ?? 300);
const CONCURRENCY = Number(process.env.DEVINSTR_CONCURRENCY ?? 1);

const { email, token, body } = await devQ1Request(url, join(dir, "hub"));

/** DEVINSTR_NODE_FLAGS: Node flags for this checkout's hub; DEVINSTR_BASE_NODE_FLAGS: for the base's. */
const nodeFlags = (tag: string) => (process.env[tag === "base" ? "DEVINSTR_BASE_NODE_FLAGS" : "DEVINSTR_NODE_FLAGS"] ?? "").split(" ").filter(Boolean);

async function measure(root: string, tag: string): Promise<number> {
  const out = join("/tmp/ketenhub-devinstr", tag);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(root, "tsconfig.build.json"), "--outDir", join(out, "dist")], { cwd: root, stdio: "inherit" });
  // node_modules beside the compiled code, so that its imports resolve as in the checkout
  execFileSync("ln", ["-s", join(root, "node_modules"), join(out, "node_modules")]);
  writeFileSync(join(out, "package.json"), readFileSync(join(root, "package.json")));
  writeFileSync(
    join(out, "hub.mjs"),
    `import "reflect-metadata";
import { loadConfig } from "./dist/server/config.js";
import { createLogger } from "./dist/server/common/logger.js";
import { startHub } from "./dist/server/app.js";
const config = loadConfig({ ...process.env, NODE_ENV: "test" });
const hub = await startHub(config, createLogger(config.LOG_LEVEL));
console.log("PORT " + hub.port);
process.on("SIGTERM", () => void hub.stop().finally(() => process.exit(0)));
`,
  );
  const child = spawn(
    "valgrind",
    ["--tool=callgrind", "--smc-check=all-non-file", "--instr-atstart=no", `--callgrind-out-file=${join(out, "callgrind.out.%p")}`, "node", ...nodeFlags(tag), join(out, "hub.mjs")],
    {
      cwd: out,
      env: {
        ...process.env, ...vgEnv, DATABASE_URL: url, DB_POOL_SIZE: "10", PORT: "0", HOST: "127.0.0.1", SEED_DEMO: "never", DATA_DIR: join(dir, "hub"),
        LOG_LEVEL: "warn", NODE_ENV: "production", REDIS_URL: undefined, RATE_LIMIT_USER: "1000000000", RATE_LIMIT_ORGANISATION: "1000000000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += String(d);
      const m = /PORT (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`hub exited (${code}): ${stderr.slice(-2000)}`)));
  });
  const ask = async () => {
    const r = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "x-bench-user": email, "content-type": "application/json" },
      body,
    });
    const text = await r.text();
    if (!r.ok || text.includes('"errors"')) throw new Error(text.slice(0, 300));
  };
  for (let i = 0; i < WARMUP; i++) await ask();
  const control = (...args: string[]) => execFileSync("callgrind_control", [...args, String(child.pid)], { encoding: "utf8", env: { ...process.env, ...vgEnv } });
  control("--instr=on");
  await ask(); // the switch takes effect at the process's next step
  control("--zero");
  let left = N;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (left-- > 0) await ask();
  }));
  control("--dump");
  await ask(); // again: the dump is taken when the process next runs
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  // the dump's totals ("summary: <instructions>"): the first dump file of this process (the
  // last one, without a number, is of the shutdown)
  const dumps = readdirSync(out).filter((f) => f.startsWith(`callgrind.out.${child.pid}.`)).sort();
  if (dumps.length === 0) throw new Error(`no dump of the counted requests in ${out}`);
  const text = readFileSync(join(out, dumps[0]), "utf8");
  const total = Number(/^(?:summary|totals): (\d+)/m.exec(text)?.[1]);
  const perRequest = total / N / 1e6;
  console.log(`${tag}: ${perRequest.toFixed(2)} M instructions per Q1 request (${N} counted, ${CONCURRENCY} at a time, after ${WARMUP} warm-up requests)`);
  return perRequest;
}

const mine = await measure(join(here, ".."), "this");
if (process.env.DEVINSTR_BASE) {
  const base = await measure(process.env.DEVINSTR_BASE, "base");
  console.log(`this ÷ base ${(mine / base).toFixed(3)}`);
}
await embedded?.stop();
