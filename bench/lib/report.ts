import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import type { BuildCounts } from "./build.js";
import type { LoadResult } from "./load.js";
import { fmt, median, spread } from "./stats.js";
import type { S1Result, S2Result } from "./subscriptions.js";
import type { Tier } from "./tier.js";

export interface Results {
  tier: Tier;
  counts: BuildCounts;
  sql: { q1First10: number; q1First50: number; q2: number };
  q1: { connections: number; hub: LoadResult[]; floor: LoadResult[]; peer: LoadResult[] }[];
  q1Fixed: { rate: number; connections: number; hub: LoadResult[]; floor: LoadResult[] } | undefined;
  q2: LoadResult[];
  w1: { hub: LoadResult[]; floor: LoadResult[] };
  s1: S1Result | undefined;
  s2: S2Result | undefined;
  peerError: string | undefined;
  started: Date;
  seconds: number;
  load: { start: number };
}

const med = (xs: LoadResult[], k: keyof LoadResult) => median(xs.map((x) => x[k] ?? NaN).filter((x) => !Number.isNaN(x)));
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && a > 0 && b > 0 ? `${(a / b).toFixed(2)}×` : "–");
/** a ≥ k·b (or ≤, with `atMost`) — only between two real, non-zero figures */
const holds = (a: number, k: number, b: number, atMost = false) =>
  Number.isFinite(a) && Number.isFinite(b) && a > 0 && b > 0 && (atMost ? a <= k * b : a >= k * b);
const verdict = (ok: boolean) => (ok ? "✅" : "❌");
const failures = (xs: LoadResult[]) => xs.reduce((n, x) => n + x.failures, 0);

/** The markdown table (every figure from this run), written to bench/results and the README. */
export function table(r: Results): string {
  const L: string[] = [];
  const c = r.counts;
  L.push(
    `Run ${r.started.toISOString()} · tier **${r.tier.name}** · ${cpus().length} CPU (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version} · ${fmt(r.seconds)} s · ` +
      `load average ${r.load.start.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end${r.load.start > cpus().length ? " (the machine was busy with other work: figures are noisy)" : ""}`,
  );
  L.push(
    `Network: ${fmt(c.organisations)} organisations (80 schools; ${fmt(c.s1Organisations)} of them S1 wijkpraktijken), ${fmt(c.professionals)} professionals, ` +
      `${fmt(c.families)} families / cases, ${fmt(c.members)} members, ${fmt(c.involvements)} involvements, ${fmt(c.agreements)} agreements, ` +
      `${fmt(c.shares)} shares, consents on ${fmt(c.consents)} cases.`,
  );
  L.push(`Medians of ${r.tier.rounds} alternating round(s) of ${r.tier.roundSeconds} s, with (min–max). Ratios are hub ÷ floor (or ÷ peer).`);
  L.push("");
  L.push("| scenario | hub | floor | ratio | PostGraphile | hub ÷ PostGraphile | target | met |");
  L.push("|---|---|---|---|---|---|---|---|");
  for (const row of r.q1) {
    const h = med(row.hub, "rps");
    const f = med(row.floor, "rps");
    const p = row.peer.length ? med(row.peer, "rps") : NaN;
    const okFloor = holds(h, 0.5, f);
    const okPeer = holds(h, 1, p);
    const fails = failures(row.hub) + failures(row.floor) + failures(row.peer);
    L.push(
      `| Q1 school portal, ${row.connections} conn. (req/s) | ${spread(row.hub.map((x) => x.rps))} | ${spread(row.floor.map((x) => x.rps))} | ${ratio(h, f)} | ` +
        `${row.peer.length ? spread(row.peer.map((x) => x.rps)) : r.peerError ? "did not run" : "–"} | ${ratio(h, p)} | ≥ 0.5× floor, ≥ 1.0× PostGraphile | ` +
        `${verdict(okFloor)}${row.peer.length ? ` ${verdict(okPeer)}` : ""}${fails ? ` (${fails} failed requests)` : ""} |`,
    );
  }
  for (const row of r.q1) {
    L.push(
      `| Q1 latency p50 / p99, ${row.connections} conn. (ms) | ${fmt(med(row.hub, "p50"))} / ${fmt(med(row.hub, "p99"))} | ${fmt(med(row.floor, "p50"))} / ${fmt(med(row.floor, "p99"))} | ` +
        `${ratio(med(row.hub, "p99"), med(row.floor, "p99"))} | ${row.peer.length ? `${fmt(med(row.peer, "p50"))} / ${fmt(med(row.peer, "p99"))}` : "–"} | | | |`,
    );
  }
  for (const row of r.q1) {
    const h = med(row.hub, "cpuMs");
    const f = med(row.floor, "cpuMs");
    const p = row.peer.length ? med(row.peer, "cpuMs") : NaN;
    L.push(
      `| Q1 server-process CPU per request, ${row.connections} conn. (ms) | ${fmt(h, 1)} | ${fmt(f, 1)} | ${ratio(h, f)} | ${fmt(p, 1)} | ${ratio(h, p)} | (explains the ratios on a busy machine) | |`,
    );
  }
  for (const row of r.q1) {
    const h = med(row.hub, "pgCpuMs");
    const f = med(row.floor, "pgCpuMs");
    const p = row.peer.length ? med(row.peer, "pgCpuMs") : NaN;
    if (!Number.isFinite(h)) continue;
    L.push(
      `| Q1 PostgreSQL CPU per request, ${row.connections} conn. (ms) | ${fmt(h, 1)} | ${fmt(f, 1)} | ${ratio(h, f)} | ${fmt(p, 1)} | ${ratio(h, p)} | (the database's share of the same machine) | |`,
    );
  }
  if (r.q1Fixed) {
    const q = r.q1Fixed;
    const h = med(q.hub, "p99");
    const f = med(q.floor, "p99");
    L.push(
      `| Q1 p99 at ${fmt(q.rate)} req/s fixed (80 % of floor peak), ${q.connections} conn. (ms) | ${spread(q.hub.map((x) => x.p99))} | ${spread(q.floor.map((x) => x.p99))} | ${ratio(h, f)} | | | ≤ 2× floor | ${verdict(holds(h, 2, f, true))}${failures(q.hub) ? ` (${failures(q.hub)} failed)` : ""} |`,
    );
  }
  const sqlOk = r.sql.q1First10 === r.sql.q1First50 && r.sql.q1First50 <= 8;
  L.push(`| Q1 SQL statements per request, first 10 / first 50 | ${r.sql.q1First10} / ${r.sql.q1First50} | 2 / 2 | | | | ≤ 8, constant | ${verdict(sqlOk)} |`);
  L.push(`| Q2 SQL statements per request (full case, all categories) | ${r.sql.q2} | | | | | ≤ 8 | ${verdict(r.sql.q2 <= 8)} |`);
  if (r.q2.length) {
    L.push(`| Q2 regisseur full case, 8 conn. (req/s; p99 ms; CPU ms per request) | ${spread(r.q2.map((x) => x.rps))}; ${fmt(med(r.q2, "p99"))}; ${fmt(med(r.q2, "cpuMs"), 1)} | | | | | | ${failures(r.q2) ? `${failures(r.q2)} failed` : ""} |`);
  }
  if (r.w1.hub.length) {
    const h = med(r.w1.hub, "rps");
    const f = med(r.w1.floor, "rps");
    const fails = failures(r.w1.hub) + failures(r.w1.floor);
    L.push(
      `| W1 change a shared agreement, 8 conn. (req/s) | ${spread(r.w1.hub.map((x) => x.rps))} | ${spread(r.w1.floor.map((x) => x.rps))} | ${ratio(h, f)} | | | ≥ 0.5× floor | ${verdict(holds(h, 0.5, f))}${fails ? ` (${fails} failed)` : ""} |`,
    );
    L.push(`| W1 server-process CPU per request (ms) | ${fmt(med(r.w1.hub, "cpuMs"), 1)} | ${fmt(med(r.w1.floor, "cpuMs"), 1)} | ${ratio(med(r.w1.hub, "cpuMs"), med(r.w1.floor, "cpuMs"))} | | | | |`);
    if (Number.isFinite(med(r.w1.hub, "pgCpuMs")))
      L.push(`| W1 PostgreSQL CPU per request (ms) | ${fmt(med(r.w1.hub, "pgCpuMs"), 1)} | ${fmt(med(r.w1.floor, "pgCpuMs"), 1)} | ${ratio(med(r.w1.hub, "pgCpuMs"), med(r.w1.floor, "pgCpuMs"))} | | | | |`);
    L.push(`| W1 latency p50 / p99 (ms) | ${fmt(med(r.w1.hub, "p50"))} / ${fmt(med(r.w1.hub, "p99"))} | ${fmt(med(r.w1.floor, "p50"))} / ${fmt(med(r.w1.floor, "p99"))} | | | | | |`);
  }
  if (r.s1) {
    const s = r.s1;
    const h99 = median(s.hub.map((x) => x.p99));
    const f99 = median(s.floor.map((x) => x.p99));
    const lost = s.hub.reduce((n, x) => n + x.lost, 0);
    const dup = s.hub.reduce((n, x) => n + x.duplicated, 0);
    const flost = s.floor.reduce((n, x) => n + x.lost, 0);
    const fdup = s.floor.reduce((n, x) => n + x.duplicated, 0);
    L.push(
      `| S1 delivery p50 / p99, ${fmt(s.subscribers)} subscribers in ${s.processes} processes, ${s.changesPerRound} changes at ${s.rate}/s per round (ms) | ` +
        `${fmt(median(s.hub.map((x) => x.p50)))} / ${spread(s.hub.map((x) => x.p99))} | ${fmt(median(s.floor.map((x) => x.p50)))} / ${spread(s.floor.map((x) => x.p99))} | ${ratio(h99, f99)} | | | p99 ≤ 2× floor and ≤ 100 ms | ${verdict(holds(h99, 2, f99, true) && h99 <= 100)} |`,
    );
    if (s.write?.hub.length) {
      L.push(
        `| S1 the change's write alone (its answer) p50 / p99 (ms) | ${fmt(median(s.write.hub.map((x) => x.p50)))} / ${spread(s.write.hub.map((x) => x.p99))} | ` +
          `${fmt(median(s.write.floor.map((x) => x.p50)))} / ${spread(s.write.floor.map((x) => x.p99))} | | | | (a delivery waits for its write's commit) | |`,
      );
    }
    if (s.loop?.hub.length && s.cpu) {
      L.push(
        `| S1 server process: CPU per change (ms); event-loop delay p99 / max (ms) | ${fmt(median(s.cpu.hub), 1)}; ${spread(s.loop.hub.map((x) => x.p99))} / ${spread(s.loop.hub.map((x) => x.max))} | ` +
          `${fmt(median(s.cpu.floor), 1)}; ${spread(s.loop.floor.map((x) => x.p99))} / ${spread(s.loop.floor.map((x) => x.max))} | ${ratio(median(s.cpu.hub), median(s.cpu.floor))} | | | (how busy each process was, whatever the database did) | |`,
      );
      const gc = (l: { gcMs?: number; gcMaxMs?: number }[]) => `${spread(l.map((x) => x.gcMs ?? NaN))} / ${spread(l.map((x) => x.gcMaxMs ?? NaN), 1)}`;
      if (s.loop.hub.every((x) => x.gcMs !== undefined))
        L.push(
          `| S1 server process: GC pauses per round, total / longest (ms) | ${gc(s.loop.hub)} | ${gc(s.loop.floor)} | | | | (a pause delays every delivery in flight) | |`,
        );
      if (s.idleCpu)
        L.push(
          `| S1 server process idle, subscribers connected, nothing sent: CPU (ms per s) | ${fmt(s.idleCpu.hub, 1)} | ${fmt(s.idleCpu.floor, 1)} | | | | (in the CPU per change above: ÷ ${s.rate} changes per s) | |`,
        );
    }
    if (s.statements?.length) {
      L.push(
        `| S1 hub SQL statements per change (the write; reading and deciding the event; the deliveries' access log) | ${spread(s.statements.map((x) => Math.round(x * 100) / 100), 2)} | | | | | (the dispatcher's once-a-second poll included) | |`,
      );
    }
    if (s.background) {
      const runs = (b: string[]) => b.filter(Boolean).length;
      L.push(
        `| S1 rounds with PostgreSQL background work (autovacuum, autoanalyze, checkpoint) in them | ${runs(s.background.hub)} of ${s.background.hub.length} | ${runs(s.background.floor)} of ${s.background.floor.length} | | | | (a round's p99 may owe to it) | |`,
      );
    }
    if (s.commit) {
      L.push(
        `| S1 this machine's single-row commit, raw pg, idle: p50 / p99 / max of ${fmt(s.commit.n)} at ${s.rate}/s (ms) | | ${fmt(s.commit.p50, 1)} / ${fmt(s.commit.p99, 1)} / ${fmt(s.commit.max, 1)} | | | | (the disk's floor under any p99 that waits for a commit) | |`,
      );
    }
    const delivered = s.hub.reduce((n, x) => n + x.delivered, 0);
    const expected = s.hub.reduce((n, x) => n + x.expected, 0);
    L.push(
      `| S1 lost / duplicated (delivered of expected) | ${lost} / ${dup} (${fmt(delivered)} of ${fmt(expected)}) | ${flost} / ${fdup} | | | | 0 / 0 | ${verdict(lost === 0 && dup === 0)} |`,
    );
  }
  if (r.s2) {
    const s = r.s2;
    L.push(
      `| S2 RSS per idle subscription at ${fmt(s.subscribers)} (KiB) | ${fmt(s.hubBytesPerSocket / 1024, 1)} | ${fmt(s.floorBytesPerSocket / 1024, 1)} | ${ratio(s.hubBytesPerSocket, s.floorBytesPerSocket)} | | | ≤ 3× raw ws | ${verdict(holds(s.hubBytesPerSocket, 3, s.floorBytesPerSocket, true))} |`,
    );
    if (s.heap)
      L.push(
        `| S2 JavaScript heap per subscription, idle → after the S1 rounds (KiB) | ${fmt(s.heap.hub.idle / 1024, 1)} → ${fmt(s.heap.hub.afterS1 / 1024, 1)} | ${fmt(s.heap.floor.idle / 1024, 1)} → ${fmt(s.heap.floor.afterS1 / 1024, 1)} | | | | (what a subscription keeps of the events it was sent) | |`,
      );
  }
  if (r.peerError) L.push("", `PostGraphile: ${r.peerError}`);
  return L.join("\n");
}

export async function report(r: Results, root: string, log: (m: string) => void): Promise<string> {
  const t = table(r);
  const dir = join(root, "bench/results");
  await mkdir(dir, { recursive: true });
  const stamp = r.started.toISOString().replace(/[:.]/g, "-");
  const doc = `# ketenhub benchmark (${r.tier.name})\n\n${t}\n`;
  await writeFile(join(dir, `${stamp}-${r.tier.name}.md`), doc);
  await writeFile(join(dir, r.tier.name === "full" ? "latest.md" : "latest-ci.md"), doc);
  log(`results written to bench/results/${stamp}-${r.tier.name}.md`);
  // The README shows the full tier's figures; the CI tier only writes its own file.
  if (r.tier.name === "full") {
    const readme = join(root, "README.md");
    const text = await readFile(readme, "utf8");
    const start = "<!-- bench:start -->";
    const end = "<!-- bench:end -->";
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a >= 0 && b > a) {
      await writeFile(readme, text.slice(0, a + start.length) + "\n" + t + "\n" + text.slice(b));
      log("README.md updated between the bench markers");
    } else log("README.md has no bench markers: not updated");
  }
  return t;
}
