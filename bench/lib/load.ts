import autocannon, { type Request } from "autocannon";

export interface LoadResult {
  /** successful requests per second */
  rps: number;
  p50: number;
  p99: number;
  /** non-2xx responses, socket errors and timeouts: must stay 0 */
  failures: number;
  /** successful requests in the round */
  requests: number;
  /** CPU time the server process spent per successful request (ms), when measured */
  cpuMs?: number;
  /** CPU time PostgreSQL's processes spent per successful request (ms), when measured */
  pgCpuMs?: number;
}

export interface Target {
  /** http://127.0.0.1:port/path — benchmark targets are local only */
  url: string;
  headers: Record<string, string>;
  /** fixed body, or one per request */
  body?: string;
  next?: () => { body: string; headers?: Record<string, string> };
  onResponse?: (status: number, body: string) => void;
}

export function assertLocal(url: string): void {
  const u = new URL(url);
  if (u.hostname !== "127.0.0.1") throw new Error(`benchmark targets must be 127.0.0.1, not ${u.hostname}`);
}

/** One closed-loop (or, with `rate`, fixed-rate) round against one target. */
export async function load(t: Target, opts: { connections: number; seconds: number; rate?: number }): Promise<LoadResult> {
  assertLocal(t.url);
  const headers = { "content-type": "application/json", ...t.headers };
  const request: Request = { method: "POST", headers, body: t.body };
  if (t.next) {
    const next = t.next;
    request.setupRequest = (req) => {
      const n = next();
      return { ...req, body: n.body, headers: { ...headers, ...n.headers } };
    };
  }
  if (t.onResponse) request.onResponse = (status, body) => t.onResponse!(status, body);
  const r = await autocannon({
    url: t.url,
    connections: opts.connections,
    duration: opts.seconds,
    overallRate: opts.rate,
    timeout: 30,
    requests: [request],
  });
  const ok = r["2xx"];
  return {
    rps: ok / r.duration,
    // no completed request in the round: latency beyond the round (never 0)
    p50: ok > 0 ? r.latency.p50 : Infinity,
    p99: ok > 0 ? r.latency.p99 : Infinity,
    failures: r.non2xx + r.errors + r.timeouts,
    requests: ok,
  };
}
