/** Benchmark size. `full` is the network; `ci` runs the same scenarios in seconds. */
export interface Tier {
  name: "full" | "ci";
  families: number;
  /** S1/S2 subscribers (each holds one myChanges subscription) and how many share one case */
  subscribers: number;
  subscribersPerCase: number;
  /** subscriber processes (one process holds at most ~19.9k sockets here) */
  subscriberProcesses: number;
  /** alternating rounds per scenario (A B A B …) and the length of one closed-loop round */
  rounds: number;
  roundSeconds: number;
  connections: number[];
  /** S1: changes per round and their offered rate */
  s1Changes: number;
  s1Rate: number;
}

export const TIERS: Record<Tier["name"], Tier> = {
  full: {
    name: "full",
    families: 20_000,
    subscribers: 10_000,
    subscribersPerCase: 10,
    subscriberProcesses: 4,
    rounds: 3,
    roundSeconds: 4,
    connections: [1, 8, 32],
    // 300 changes per round: its p99 is the 30th-slowest of 3,000 deliveries (about the third-slowest
    // change: each reaches 10 subscribers), not one change's; at 20/s a round takes 15 s
    s1Changes: 300,
    s1Rate: 20,
  },
  ci: {
    name: "ci",
    families: 600,
    subscribers: 200,
    subscribersPerCase: 10,
    subscriberProcesses: 2,
    rounds: 1,
    roundSeconds: 1,
    connections: [1, 8],
    s1Changes: 10,
    s1Rate: 20,
  },
};

export function tierFromArgs(argv: string[], env: NodeJS.ProcessEnv): Tier {
  const arg = argv.find((a) => a.startsWith("--tier="))?.slice("--tier=".length) ?? env.BENCH_TIER ?? "full";
  if (arg !== "full" && arg !== "ci") throw new Error(`unknown tier "${arg}" (full or ci)`);
  const tier = { ...TIERS[arg] };
  // overrides for experiments (profiles): BENCH_FAMILIES, BENCH_ROUND_SECONDS
  if (env.BENCH_FAMILIES) tier.families = Math.max(100, Number(env.BENCH_FAMILIES));
  if (env.BENCH_ROUND_SECONDS) tier.roundSeconds = Math.max(0.5, Number(env.BENCH_ROUND_SECONDS));
  return tier;
}
