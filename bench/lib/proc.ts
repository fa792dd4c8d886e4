import { fork, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const TSX = require.resolve("tsx"); // loader entry, so children run TypeScript like npm start does

type Msg = { type: string; id?: number; [k: string]: unknown };

/**
 * A benchmark child process (hub, floor, peer, subscriber): TypeScript via tsx, talks over IPC.
 * `ready` resolves with the child's first {type:"ready"} message; `call` sends a request and
 * awaits the reply with the same id. Every child is tracked and killed at exit, whatever happens.
 */
export class Child {
  readonly proc: ChildProcess;
  readonly ready: Promise<Msg>;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (m: Msg) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private exited = false;
  private static all = new Set<Child>();

  constructor(
    readonly name: string,
    file: string,
    opts: { env?: NodeJS.ProcessEnv; execArgv?: string[]; cwd?: string; args?: string[] } = {},
  ) {
    this.proc = fork(file, opts.args ?? [], {
      execArgv: ["--import", TSX, ...(opts.execArgv ?? [])],
      env: Object.fromEntries(Object.entries({ ...process.env, ...opts.env }).filter(([, v]) => v !== undefined && v !== "")),
      cwd: opts.cwd,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    Child.all.add(this);
    this.ready = new Promise((resolve, reject) => {
      const onMsg = (m: Msg) => {
        if (m.type === "ready") {
          this.proc.off("message", onMsg);
          resolve(m);
        } else if (m.type === "fatal") reject(new Error(`${name}: ${String(m.message)}`));
      };
      this.proc.on("message", onMsg);
      this.proc.once("exit", (code, sig) => reject(new Error(`${name} exited before it was ready (${code ?? sig})`)));
    });
    this.ready.catch(() => undefined);
    this.proc.on("message", (m: Msg) => {
      if (m.type === "reply" && m.id !== undefined) {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.error) p.reject(new Error(`${name}: ${String(m.error)}`));
        else p.resolve(m);
      }
    });
    this.proc.once("exit", (code, sig) => {
      this.exited = true;
      Child.all.delete(this);
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${name} exited (${code ?? sig})`));
      }
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  on(type: string, handler: (m: Msg) => void): void {
    this.proc.on("message", (m: Msg) => {
      if (m.type === type) handler(m);
    });
  }

  call(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<Msg> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.proc.send({ type: "call", id, cmd, ...args });
    });
  }

  /** Ask politely (SIGTERM), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.proc.once("exit", () => r()));
    this.proc.kill("SIGTERM");
    const t = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
    await gone;
    clearTimeout(t);
  }

  static async stopAll(): Promise<void> {
    await Promise.all([...Child.all].map((c) => c.stop()));
  }

  /** Synchronous last resort (process 'exit' handler). */
  static killAllNow(): void {
    for (const c of Child.all) if (!c.exited) c.proc.kill("SIGKILL");
  }
}

/** In a child: answer calls from the parent. */
export function serve(handlers: Record<string, (m: Msg) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void>): void {
  // every server's event-loop delay (how late its timers and I/O callbacks run), reset per read:
  // what a round's latency owes to the process being busy rather than to the database or the disk
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  // and its garbage collector's pauses in the same window (minor and major alike)
  const gc = { n: 0, ms: 0, max: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.n++;
      gc.ms += e.duration;
      gc.max = Math.max(gc.max, e.duration);
    }
  }).observe({ entryTypes: ["gc"] });
  const builtIn: typeof handlers = {
    eventloop: () => {
      const out = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6, gcCount: gc.n, gcMs: gc.ms, gcMaxMs: gc.max };
      loop.reset();
      Object.assign(gc, { n: 0, ms: 0, max: 0 });
      return out;
    },
  };
  process.on("message", async (m: Msg) => {
    if (m.type !== "call") return;
    const h = handlers[m.cmd as string] ?? builtIn[m.cmd as string];
    try {
      if (!h) throw new Error(`unknown command ${String(m.cmd)}`);
      const out = (await h(m)) ?? {};
      process.send?.({ type: "reply", id: m.id, ...out });
    } catch (err) {
      process.send?.({ type: "reply", id: m.id, error: (err as Error).message });
    }
  });
  // The parent went away: do not linger.
  process.on("disconnect", () => process.exit(0));
}

export function fatal(err: unknown): never {
  process.send?.({ type: "fatal", message: (err as Error)?.stack ?? String(err) });
  console.error(err);
  process.exit(1);
}

/**
 * CPU time (ms, user + system, with exited children) of every `postgres` process on this machine:
 * the embedded server's or DATABASE_URL's local one, and any other cluster (idle during a run). A
 * round's delta is its own while the rounds alternate and nothing else runs; /proc only (Linux),
 * NaN elsewhere.
 */
export function postgresCpuMs(): number {
  let ticks = 0;
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return NaN;
  }
  for (const pid of names) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      /* gone */
    }
  }
  return (ticks * 1000) / 100; // USER_HZ: 100 on Linux
}
