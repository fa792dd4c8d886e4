/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile | file.heapprofile> [--skip=<s>] [--until=<s>] [--inclusive] [--top=<n>]`:
 * self time (or, of a sampling heap profile such as BENCH_HEAP_PROFILE's, bytes allocated) per function and per file (top 30), or with `--inclusive` the time spent in each
 * function and everything it called (a function counted once per sample however deep it
 * recurses). `--skip` / `--until` keep only that window of the profile, in seconds from its start
 * (e.g. S1's rounds after the connection phase).
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const raw = JSON.parse(readFileSync(process.argv[2], "utf8")) as Record<string, unknown>;
// a sampling heap profile (.heapprofile: a tree of allocation sites with bytes): the same report in bytes
interface HeapNode {
  id: number;
  callFrame: Node["callFrame"];
  selfSize: number;
  children: HeapNode[];
}
if ("head" in raw) {
  const nodes: Node[] = [];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  const walk = (n: HeapNode) => {
    nodes.push({ id: n.id, callFrame: n.callFrame, children: n.children.map((c) => c.id) });
    if (n.selfSize > 0) {
      samples.push(n.id);
      timeDeltas.push(n.selfSize);
    }
    n.children.forEach(walk);
  };
  walk(raw.head as HeapNode);
  Object.assign(raw, { nodes, samples, timeDeltas, bytes: true });
}
const prof = raw as unknown as { nodes: Node[]; samples: number[]; timeDeltas: number[]; bytes?: boolean };
const opt = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
const skip = Number(opt("skip") ?? 0) * 1e6;
const until = Number(opt("until") ?? Infinity) * 1e6;
const topN = Number(opt("top") ?? 30);
const inclusive = process.argv.includes("--inclusive");
let at = 0;
prof.samples.forEach((id, i) => {
  at += prof.timeDeltas[i] ?? 0;
  if (at >= skip && at < until) self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const label = (f: Node["callFrame"]) => {
  const short = f.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(server|bench)\//, "$1/");
  return { short, key: `${f.functionName || "(anonymous)"} ${short}:${f.lineNumber + 1}` };
};
const fn = new Map<string, number>();
const file = new Map<string, number>();
for (const [id, t] of self) {
  const { short, key } = label(byId.get(id)!.callFrame);
  const pkg = short.startsWith("server/") ? short : short.split("/").slice(0, short.startsWith("@") ? 2 : 1).join("/") || byId.get(id)!.callFrame.functionName;
  if (inclusive) {
    const seenFn = new Set<string>();
    const seenFile = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const l = label(byId.get(n)!.callFrame);
      const p = l.short.startsWith("server/") ? l.short : l.short.split("/").slice(0, l.short.startsWith("@") ? 2 : 1).join("/") || byId.get(n)!.callFrame.functionName;
      seenFn.add(l.key);
      seenFile.add(p);
    }
    for (const k of seenFn) fn.set(k, (fn.get(k) ?? 0) + t);
    for (const k of seenFile) file.set(k, (file.get(k) ?? 0) + t);
  } else {
    fn.set(key, (fn.get(key) ?? 0) + t);
    file.set(pkg, (file.get(pkg) ?? 0) + t);
  }
}
const top = (m: Map<string, number>, n: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`).join("\n");
console.log(
  `total ${(total / 1e6).toFixed(1)} ${prof.bytes ? "MB allocated" : "s sampled"}${inclusive ? " (inclusive: a function with everything it called)" : ""}\n\nby package / file:\n${top(file, 25)}\n\nby function:\n${top(fn, topN)}`,
);
