import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface Received<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A graphql-ws client as partner software uses it (Node 20 has no global WebSocket). */
export function wsClient(httpUrl: string, token: string | undefined, opts: { onClose?: (code: number, reason: string) => void; purpose?: string } = {}): Client {
  return createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.purpose !== undefined ? { purpose: opts.purpose } : {}) },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined, // the tests assert close codes themselves
    on: { closed: (e) => opts.onClose?.((e as { code: number }).code, (e as { reason: string }).reason) },
  });
}

/** Subscribes and collects results until `stop()`; `next(n)` waits until n results arrived. */
export function collect<T = any>(client: Client, query: string, variables?: Record<string, unknown>) {
  const received: Received<T>[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  let ended: unknown;
  const notify = () => {
    waiters = waiters.filter((w) => (received.length >= w.n || ended !== undefined ? (w.resolve(), false) : true));
  };
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        received.push(r as Received<T>);
        notify();
      },
      error: (e) => {
        ended = e ?? "error";
        notify();
      },
      complete: () => {
        ended = "complete";
        notify();
      },
    },
  );
  return {
    received,
    get ended() {
      return ended;
    },
    stop,
    /** waits until at least n results (or the end), at most `ms` */
    until(n: number, ms = 5000): Promise<Received<T>[]> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(received), ms);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve(received)) });
        notify();
      });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
