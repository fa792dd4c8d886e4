import { join } from "node:path";
import type pg from "pg";
import { Child } from "./proc.js";
import { W1 } from "./queries.js";
import { median, percentile } from "./stats.js";
import type { Tier } from "./tier.js";

export interface S1Round {
  p50: number;
  p99: number;
  delivered: number;
  expected: number;
  lost: number;
  duplicated: number;
}

export interface S1Result {
  subscribers: number;
  processes: number;
  changesPerRound: number;
  rate: number;
  hub: S1Round[];
  floor: S1Round[];
  connectSeconds: { hub: number; floor: number };
  /** per round: the change's own write (its HTTP answer) p50 / p99, to tell the write path from delivery */
  write: { hub: { p50: number; p99: number }[]; floor: { p50: number; p99: number }[] };
  /** the machine's own durable write: single-row INSERTs (autocommit) over raw pg at S1's rate, nothing else running */
  commit?: { n: number; p50: number; p99: number; max: number };
  /** per round: the server process's event-loop delay p99 and max (ms), and its GC pauses (count, total and longest ms) */
  loop?: { hub: LoopRound[]; floor: LoopRound[] };
  /** per round: the server process's CPU ms per change (write, delivery and idle work alike) */
  cpu?: { hub: number[]; floor: number[] };
  /** per round: the SQL statements the hub sent per change (the write, reading and deciding the event, the deliveries' access log) */
  statements?: number[];
  /** each server's CPU ms per second with the subscribers connected and nothing sent */
  idleCpu?: { hub: number; floor: number };
  /** per round: PostgreSQL's background work meanwhile (autovacuum, autoanalyze, checkpoints), "" when none */
  background?: { hub: string[]; floor: string[] };
}

export interface LoopRound {
  p99: number;
  max: number;
  gcCount?: number;
  gcMs?: number;
  gcMaxMs?: number;
}

export interface S2Result {
  subscribers: number;
  hubBytesPerSocket: number;
  floorBytesPerSocket: number;
  hubRss: { before: number; after: number };
  floorRss: { before: number; after: number };
  /**
   * JavaScript heap in use (after a full collection) per subscription: idle (as S2's RSS), and
   * again after the S1 rounds, when every subscription has received its events and waits for the
   * next — what a subscription keeps of the events it was sent
   */
  heap?: { hub: { idle: number; afterS1: number }; floor: { idle: number; afterS1: number } };
}

interface Args {
  tier: Tier;
  client: pg.Client;
  hub: Child;
  floor: Child;
  hubPort: number;
  floorPort: number;
  token: (email: string) => Promise<string>;
  /** where the hub keeps its development signing key (subscriber processes sign their own tokens) */
  keysDir: string;
  log: (m: string) => void;
  here: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gcText = (l?: LoopRound) => (l?.gcCount === undefined ? "?" : `${l.gcCount}, ${l.gcMs!.toFixed(0)} ms, ${l.gcMaxMs!.toFixed(1)} ms`);

/**
 * S1 (targeted delivery) and S2 (memory per idle subscription). Subscribers are the
 * professionals of the S1 wijkpraktijken (10 per case); every subscriber holds one hub socket
 * (graphql-ws, myChanges, its own token) and one raw-`ws` floor socket, in separate processes.
 * Each change is made through the system under test (the hub's mutation, or the floor's
 * transaction) and must reach exactly the ~10 subscribers of its case's organisations.
 */
export async function runSubscriptions(a: Args): Promise<{ s1: S1Result; s2: S2Result }> {
  const { tier, client, hub, floor, log } = a;
  const subs = (
    await a.client.query(
      `SELECT p.email, p.organisation_id AS org FROM professional p JOIN organisation o ON o.id = p.organisation_id
        WHERE o.name LIKE 'Wijkpraktijk Bench %' ORDER BY o.name, p.email LIMIT $1`,
      [tier.subscribers],
    )
  ).rows as { email: string; org: string }[];
  const N = subs.length;
  const byOrg = new Map<string, number[]>();
  subs.forEach((s, i) => {
    let l = byOrg.get(s.org);
    if (!l) byOrg.set(s.org, (l = []));
    l.push(i);
  });
  // One agreement per S1 case (priority 2: W1 uses priority 1), changed by the case's regisseur.
  const targets = (
    await client.query(
      `SELECT a.id, a.version, i.organisation_id AS org, p.email FROM involvement i
         JOIN safety_agreement a ON a.case_id = i.case_id AND a.priority = 2
         JOIN regie_assignment r ON r.case_id = i.case_id AND r.kind = 'CASE' AND r.ended_at IS NULL
         JOIN professional p ON p.id = r.professional_id
        WHERE i.organisation_id = ANY($1::uuid[]) ORDER BY a.case_id`,
      [[...byOrg.keys()]],
    )
  ).rows as { id: string; version: number; org: string; email: string }[];
  log(`S1: ${N} subscribers over ${byOrg.size} organisations, ${targets.length} target agreements`);
  const regisseurTokens = new Map<string, string>();
  for (const t of targets) if (!regisseurTokens.has(t.email)) regisseurTokens.set(t.email, await a.token(t.email));

  const P = Math.max(1, Math.min(tier.subscriberProcesses, Math.ceil(N / 100)));
  const children: Child[] = [];
  for (let p = 0; p < P; p++) children.push(new Child(`subscribers-${p + 1}`, join(a.here, "clients/subscribers.ts")));
  await Promise.all(children.map((c) => c.ready));
  const slice = (p: number) => [Math.floor((p * N) / P), Math.floor(((p + 1) * N) / P)] as const;

  const memory = async (c: Child) => (await c.call("rss")) as unknown as { rss: number; heap: number };
  await sleep(500);
  const [hub0, floor0] = [await memory(hub), await memory(floor)];
  const before = { hub: hub0.rss, floor: floor0.rss };

  const connect = async (kind: "hub" | "floor") => {
    const t0 = Date.now();
    const url = kind === "hub" ? `ws://127.0.0.1:${a.hubPort}/graphql` : `ws://127.0.0.1:${a.floorPort}/ws`;
    let done = 0;
    const ticker = setInterval(() => log(`S2: ${kind} sockets connected: ${done.toLocaleString()} / ${N.toLocaleString()}`), 5000);
    for (const c of children) c.on("progress", (m) => (m.kind === kind ? (done += 500) : undefined));
    try {
      await Promise.all(
        children.map((c, p) => {
          const [from, to] = slice(p);
          const list = subs.slice(from, to).map((s) => ({ org: s.org, email: s.email }));
          return c.call("connect", { kind, url, base: (kind === "hub" ? 0 : N) + from, subs: list, keysDir: a.keysDir }, 900_000);
        }),
      );
    } finally {
      clearInterval(ticker);
    }
    return (Date.now() - t0) / 1000;
  };
  const connectSeconds = { floor: await connect("floor"), hub: 0 };
  log(`S2: ${N} floor sockets in ${connectSeconds.floor.toFixed(1)} s`);
  connectSeconds.hub = await connect("hub");
  // the subscribe message is asynchronous: wait until the hub holds every subscription
  for (let i = 0; i < 600; i++) {
    const n = (await hub.call("subscriptions")).subscriptions as number;
    if (n >= N) break;
    if (i % 20 === 19) log(`S2: hub subscriptions open: ${n} / ${N}`);
    await sleep(100);
  }
  log(`S2: ${N} hub subscriptions in ${connectSeconds.hub.toFixed(1)} s`);
  await sleep(2000);
  const [hub1, floor1] = [await memory(hub), await memory(floor)];
  const after = { hub: hub1.rss, floor: floor1.rss };
  const s2: S2Result = {
    subscribers: N,
    hubBytesPerSocket: (after.hub - before.hub) / N,
    floorBytesPerSocket: (after.floor - before.floor) / N,
    hubRss: { before: before.hub, after: after.hub },
    floorRss: { before: before.floor, after: after.floor },
  };
  log(`S2: RSS per idle subscription: hub ${(s2.hubBytesPerSocket / 1024).toFixed(1)} KiB, raw ws ${(s2.floorBytesPerSocket / 1024).toFixed(1)} KiB`);

  // --- S1 rounds ----------------------------------------------------------------------------
  // Every change has a sequence number; deliveries are matched to it wherever they arrive (a
  // late one still counts for its own round, never as a stray of the next). Lost and
  // duplicated are decided at the end, after a final bounded wait.
  const versions = new Map(targets.map((t) => [t.id, t.version]));
  const sentAll = new Map<number, { kind: "hub" | "floor"; round: number; t0: number; org: string }>();
  const seen = new Map<string, number>();
  const latencies = { hub: [] as number[][], floor: [] as number[][] };
  const stray = { hub: 0, floor: 0 };
  let seq = 0;
  let targetNo = 0;
  const M = Math.min(tier.s1Changes, targets.length);
  const absorb = (records: [number, number, number][]) => {
    for (const [index, s, at] of records) {
      const info = sentAll.get(s);
      const kind = index < N ? "hub" : "floor";
      const sub = index < N ? index : index - N;
      if (info && info.kind !== kind) continue; // not this system's change (cannot happen: separate outboxes)
      if (!info || subs[sub]?.org !== info.org) {
        stray[kind]++; // delivered to someone it was not for
        continue;
      }
      const key = `${sub}:${s}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      (latencies[kind][info.round] ??= []).push(at - info.t0);
    }
  };
  const collect = async () => {
    let n = 0;
    for (const c of children) {
      const r = (await c.call("collect")).received as [number, number, number][];
      n += r.length;
      absorb(r);
    }
    return n;
  };
  const expectedOf = (kind: "hub" | "floor", round?: number) => {
    let n = 0;
    for (const info of sentAll.values()) if (info.kind === kind && (round === undefined || info.round === round)) n += byOrg.get(info.org)?.length ?? 0;
    return n;
  };
  const deliveredOf = (kind: "hub" | "floor", round?: number) =>
    round === undefined ? latencies[kind].reduce((n, l) => n + (l?.length ?? 0), latencies[kind][-1]?.length ?? 0) : (latencies[kind][round]?.length ?? 0);

  /** per round: how long the change's own write took (its HTTP answer), to tell the write path from delivery */
  const writeMs = { hub: [] as number[][], floor: [] as number[][] };
  /** per round: the server process's CPU time per change (write and delivery), independent of the machine's load */
  const cpuMs = { hub: [] as number[], floor: [] as number[] };
  /** per round: the server process's event-loop delay p99 and max (ms): how late it ran its callbacks */
  const loopMs = { hub: [] as LoopRound[], floor: [] as LoopRound[] };
  /** per round: the hub's SQL statements per change (the dispatcher's once-a-second poll included) */
  const statementsPerChange: number[] = [];
  /** per round: what PostgreSQL did in the background meanwhile (autovacuum / autoanalyze runs, checkpoints) */
  const dbMs = { hub: [] as string[], floor: [] as string[] };
  const round = async (kind: "hub" | "floor", r: number, changes = M): Promise<void> => {
    const server = kind === "hub" ? hub : floor;
    const cpu0 = (await server.call("cpu")).micros as number;
    const sql0 = kind === "hub" ? ((await hub.call("sql")).statements as number) : 0;
    await server.call("eventloop"); // reset
    const db0 = await dbActivity(client);
    const writes: Promise<void>[] = [];
    const interval = 1000 / tier.s1Rate;
    const start = Date.now();
    for (let k = 0; k < changes; k++) {
      const due = start + k * interval;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const t = targets[targetNo++ % targets.length];
      const s = ++seq;
      const what = `S1 change ${s}`;
      const t0 = Date.now();
      sentAll.set(s, { kind, round: r, t0, org: t.org });
      const req =
        kind === "hub"
          ? fetch(`http://127.0.0.1:${a.hubPort}/graphql`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${regisseurTokens.get(t.email)}` },
              body: JSON.stringify({ query: W1, variables: { input: { id: t.id, version: versions.get(t.id), what } } }),
            })
          : fetch(`http://127.0.0.1:${a.floorPort}/s1`, {
              method: "POST",
              headers: { "content-type": "application/json", "x-bench-user": t.email },
              body: JSON.stringify({ id: t.id, version: versions.get(t.id), what }),
            });
      writes.push(
        req
          .then((res) => res.json() as Promise<{ data?: { updateSafetyAgreement?: { version: number } }; errors?: unknown }>)
          .then((j) => {
            const v = j.data?.updateSafetyAgreement?.version;
            if (v === undefined) throw new Error(`S1 ${kind} write failed: ${JSON.stringify(j.errors ?? j).slice(0, 300)}`);
            versions.set(t.id, v);
            (writeMs[kind][r] ??= []).push(Date.now() - t0);
          }),
      );
    }
    await Promise.all(writes);
    // wait (bounded) until this round's deliveries arrived
    const deadline = Date.now() + 15_000;
    while (deliveredOf(kind, r) < expectedOf(kind, r) && Date.now() < deadline) {
      await collect();
      await sleep(100);
    }
    if (r >= 0) cpuMs[kind][r] = ((((await server.call("cpu")).micros as number) - cpu0) / 1000) / changes;
    if (r >= 0 && kind === "hub") statementsPerChange[r] = (((await hub.call("sql")).statements as number) - sql0) / changes;
    if (r >= 0) loopMs[kind][r] = (await server.call("eventloop")) as unknown as LoopRound;
    if (r >= 0) dbMs[kind][r] = diffActivity(db0, await dbActivity(client));
  };

  const s1: S1Result = { subscribers: N, processes: P, changesPerRound: M, rate: tier.s1Rate, hub: [], floor: [], connectSeconds, write: { hub: [], floor: [] } };
  try {
    // each server's CPU while nothing is sent (keep-alive, timers, polling): its share of "CPU per change"
    const idle = async (server: typeof hub) => {
      const c0 = await server.call("cpu");
      const t0 = Date.now();
      await sleep(3_000);
      const c1 = await server.call("cpu");
      const ms = Date.now() - t0;
      return { total: ((c1.micros as number) - (c0.micros as number)) / ms, system: ((c1.system as number) - (c0.system as number)) / ms };
    };
    const [hubIdle, floorIdle] = [await idle(hub), await idle(floor)];
    s1.idleCpu = { hub: hubIdle.total, floor: floorIdle.total };
    log(
      `S1: idle CPU with the subscribers connected: hub ${hubIdle.total.toFixed(1)} ms/s (${hubIdle.system.toFixed(1)} of it in the kernel), ` +
        `raw ws ${floorIdle.total.toFixed(1)} ms/s (${floorIdle.system.toFixed(1)}); ${(hubIdle.total / tier.s1Rate).toFixed(1)} and ${(floorIdle.total / tier.s1Rate).toFixed(1)} ms per change at ${tier.s1Rate}/s`,
    );
    s1.commit = await commitProbe(client, Math.max(20, M), tier.s1Rate);
    log(`S1: this machine's single-row commit (raw pg, idle): p50 ${s1.commit.p50.toFixed(1)} ms, p99 ${s1.commit.p99.toFixed(1)} ms, max ${s1.commit.max.toFixed(1)} ms of ${s1.commit.n}`);
    // Warm-up (not measured; its lost and duplicated still count): the fresh processes' first
    // changes would otherwise measure JIT compilation, cold caches and a young generation V8 has
    // not yet grown to the load, not delivery. 10 changes were too few: in 2026-12-04's runs the
    // hub's first round cost 1.1–1.6× the CPU per change of its third, with twice the GC pauses.
    await round("hub", -1, Math.min(100, M));
    await round("floor", -1, Math.min(100, M));
    const heapFile = process.env.BENCH_HEAP_PROFILE ? join(a.here, "results/profile/s1-hub-round1.heapprofile") : undefined;
    for (let r = 0; r < tier.rounds; r++) {
      if (heapFile && r === 0) await hub.call("heapStart");
      await round("hub", r);
      if (heapFile && r === 0) log(`S1: allocation profile of the hub's first round in ${(await hub.call("heapStop", { file: heapFile })).file as string}`);
      await round("floor", r);
      const lh = latencies.hub[r] ?? [];
      const lf = latencies.floor[r] ?? [];
      log(
        `S1 round ${r + 1}/${tier.rounds}: hub p50 ${median(lh)} ms p99 ${percentile(lh, 99)} ms (${lh.length} of ${expectedOf("hub", r)} delivered); ` +
          `raw ws p50 ${median(lf)} ms p99 ${percentile(lf, 99)} ms (${lf.length} of ${expectedOf("floor", r)}); ` +
          `CPU ms per change: hub ${cpuMs.hub[r]?.toFixed(1)}, raw ${cpuMs.floor[r]?.toFixed(1)}; hub SQL statements per change ${statementsPerChange[r]?.toFixed(2)}; ` +
          `event-loop delay p99/max: hub ${loopMs.hub[r]?.p99.toFixed(0)}/${loopMs.hub[r]?.max.toFixed(0)} ms, raw ${loopMs.floor[r]?.p99.toFixed(0)}/${loopMs.floor[r]?.max.toFixed(0)} ms; ` +
          `GC pauses (n, total, longest): hub ${gcText(loopMs.hub[r])}, raw ${gcText(loopMs.floor[r])}; ` +
          `the write alone p50/p99: hub ${median(writeMs.hub[r] ?? [])}/${percentile(writeMs.hub[r] ?? [], 99)} ms, raw ${median(writeMs.floor[r] ?? [])}/${percentile(writeMs.floor[r] ?? [], 99)} ms; ` +
          `PostgreSQL meanwhile: hub round ${dbMs.hub[r] || "nothing"}, raw round ${dbMs.floor[r] || "nothing"}`,
      );
    }
    // final bounded wait for late deliveries, then a quiet second for duplicates
    const deadline = Date.now() + 20_000;
    while ((deliveredOf("hub") < expectedOf("hub") || deliveredOf("floor") < expectedOf("floor")) && Date.now() < deadline) {
      await collect();
      await sleep(200);
    }
    await sleep(1000);
    await collect();
    // the heap again, now that the subscriptions have each received events and wait for the next
    await sleep(2000);
    const [hub2, floor2] = [await memory(hub), await memory(floor)];
    s2.heap = {
      hub: { idle: (hub1.heap - hub0.heap) / N, afterS1: (hub2.heap - hub0.heap) / N },
      floor: { idle: (floor1.heap - floor0.heap) / N, afterS1: (floor2.heap - floor0.heap) / N },
    };
    const kib = (b: number) => (b / 1024).toFixed(1);
    log(`S2: heap per subscription, idle → after the S1 rounds: hub ${kib(s2.heap.hub.idle)} → ${kib(s2.heap.hub.afterS1)} KiB, raw ws ${kib(s2.heap.floor.idle)} → ${kib(s2.heap.floor.afterS1)} KiB`);
  } finally {
    await Promise.all(children.map((c) => c.call("close").catch(() => undefined)));
    await Promise.all(children.map((c) => c.stop()));
  }
  for (const kind of ["hub", "floor"] as const) {
    for (let r = 0; r < tier.rounds; r++) {
      let lost = 0;
      let duplicated = 0;
      for (const [s, info] of sentAll) {
        // the warm-up's deliveries count with the first round
        if (info.kind !== kind || (info.round !== r && !(r === 0 && info.round === -1))) continue;
        for (const sub of byOrg.get(info.org) ?? []) {
          const n = seen.get(`${sub}:${s}`) ?? 0;
          if (n === 0) lost++;
          if (n > 1) duplicated += n - 1;
        }
      }
      const l = latencies[kind][r] ?? [];
      s1[kind].push({ p50: median(l), p99: percentile(l, 99), delivered: l.length, expected: expectedOf(kind, r), lost, duplicated: duplicated + (r === 0 ? stray[kind] : 0) });
      s1.write[kind].push({ p50: median(writeMs[kind][r] ?? []), p99: percentile(writeMs[kind][r] ?? [], 99) });
    }
  }
  s1.loop = { hub: loopMs.hub.slice(0, tier.rounds), floor: loopMs.floor.slice(0, tier.rounds) };
  s1.cpu = { hub: cpuMs.hub.slice(0, tier.rounds), floor: cpuMs.floor.slice(0, tier.rounds) };
  s1.background = { hub: dbMs.hub.slice(0, tier.rounds), floor: dbMs.floor.slice(0, tier.rounds) };
  s1.statements = statementsPerChange.slice(0, tier.rounds);
  return { s1, s2 };
}

/** Counters of PostgreSQL's background work: autovacuum and autoanalyze runs per table, checkpoints. */
async function dbActivity(client: pg.Client): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const t = await client.query(`SELECT relname, autovacuum_count::int AS v, autoanalyze_count::int AS a FROM pg_stat_user_tables`);
  for (const row of t.rows as { relname: string; v: number; a: number }[]) {
    out.set(`autovacuum ${row.relname}`, row.v);
    out.set(`autoanalyze ${row.relname}`, row.a);
  }
  // pg_stat_checkpointer from PostgreSQL 17 on, pg_stat_bgwriter before
  const c = await client
    .query(`SELECT (num_timed + num_requested)::int AS n FROM pg_stat_checkpointer`)
    .catch(() => client.query(`SELECT (checkpoints_timed + checkpoints_req)::int AS n FROM pg_stat_bgwriter`));
  out.set("checkpoint", (c.rows[0] as { n: number }).n);
  const w = await client.query(`SELECT query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`);
  for (const row of w.rows as { query: string }[]) out.set(`(running: ${row.query})`, 1);
  return out;
}

function diffActivity(before: Map<string, number>, after: Map<string, number>): string {
  const parts: string[] = [];
  for (const [k, v] of after) {
    const n = v - (before.get(k) ?? 0);
    if (n > 0) parts.push(n > 1 ? `${k} ×${n}` : k);
  }
  return parts.join(", ");
}

/**
 * What a durable write costs on this machine, with nothing of ours in the way: `n` single-row
 * INSERTs, each its own transaction (so each waits for its WAL flush), at `rate` per second over
 * one raw pg connection. Every S1 change waits for at least one such commit (hub and floor alike):
 * a slow disk's stalls set the floor under S1's p99.
 */
async function commitProbe(client: pg.Client, n: number, rate: number): Promise<{ n: number; p50: number; p99: number; max: number }> {
  await client.query("CREATE TABLE IF NOT EXISTS bench_commit_probe (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
  const ms: number[] = [];
  const start = Date.now();
  try {
    for (let i = 0; i < n; i++) {
      const wait = start + (i * 1000) / rate - Date.now();
      if (wait > 0) await sleep(wait);
      const t0 = performance.now();
      await client.query("INSERT INTO bench_commit_probe DEFAULT VALUES");
      ms.push(performance.now() - t0);
    }
  } finally {
    await client.query("DROP TABLE IF EXISTS bench_commit_probe");
  }
  return { n, p50: median(ms), p99: percentile(ms, 99), max: Math.max(...ms) };
}
