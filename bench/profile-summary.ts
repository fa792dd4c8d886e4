/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [--skip=<s>]`: self time per function and per
 * file (top 30); `--skip` leaves out the first seconds of the profile (e.g. S1's connection phase).
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const prof = JSON.parse(readFileSync(process.argv[2], "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
const skip = Number(process.argv.find((a) => a.startsWith("--skip="))?.slice("--skip=".length) ?? 0) * 1e6;
let at = 0;
prof.samples.forEach((id, i) => {
  at += prof.timeDeltas[i] ?? 0;
  if (at >= skip) self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map<string, number>();
const file = new Map<string, number>();
for (const [id, t] of self) {
  const f = byId.get(id)!.callFrame;
  const short = f.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(server|bench)\//, "$1/");
  const k = `${f.functionName || "(anonymous)"} ${short}:${f.lineNumber + 1}`;
  fn.set(k, (fn.get(k) ?? 0) + t);
  const pkg = short.startsWith("server/") ? short : short.split("/").slice(0, short.startsWith("@") ? 2 : 1).join("/") || f.functionName;
  file.set(pkg, (file.get(pkg) ?? 0) + t);
}
const top = (m: Map<string, number>, n: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`).join("\n");
console.log(`total ${(total / 1e6).toFixed(1)} s sampled\n\nby package / file:\n${top(file, 25)}\n\nby function:\n${top(fn, 30)}`);
