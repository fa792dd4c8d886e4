/**
 * Subscriber process for S1/S2: holds sockets to the hub (graphql-ws protocol, one myChanges
 * subscription each, with the subscriber's own token) and to the raw-`ws` floor, and records
 * every delivery (socket, change sequence number, arrival time). One process holds at most
 * ~19.9k sockets on this machine; the parent starts several.
 */
import { WebSocket } from "ws";
import { loadDevKeys, signDevToken } from "../../server/auth/tokens.js";
import { serve } from "../lib/proc.js";
import { S1 } from "../lib/queries.js";

interface Sub {
  email: string;
  org: string;
}

const sockets: WebSocket[] = [];
/** [subscriber index, seq, arrival ms] */
let received: [number, number, number][] = [];
let unexpected = 0;
let closedEarly = 0;
const SEQ = /S1 change (\d+)/;

function record(index: number, data: string) {
  const m = SEQ.exec(data);
  if (m) received.push([index, Number(m[1]), Date.now()]);
  else unexpected++;
}

function connectHub(url: string, index: number, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, "graphql-transport-ws");
    const timer = setTimeout(() => reject(new Error("hub socket: no connection_ack within 60 s")), 60_000);
    ws.on("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } })));
    ws.on("message", (raw) => {
      const data = String(raw);
      if (data.includes('"next"')) return record(index, data);
      const m = JSON.parse(data) as { type: string };
      if (m.type === "connection_ack") {
        ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: S1 } }));
        clearTimeout(timer);
        resolve(ws);
      } else if (m.type === "ping") ws.send('{"type":"pong"}');
      else if (m.type !== "pong") unexpected++;
    });
    ws.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    ws.on("close", () => {
      if (!stopping) closedEarly++;
    });
  });
}

function connectFloor(url: string, index: number, org: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error("floor socket: no ack within 60 s")), 60_000);
    ws.on("open", () => ws.send(JSON.stringify({ org })));
    ws.on("message", (raw) => {
      const data = String(raw);
      if (data === '{"type":"ack"}') {
        clearTimeout(timer);
        return resolve(ws);
      }
      record(index, data);
    });
    ws.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    ws.on("close", () => {
      if (!stopping) closedEarly++;
    });
  });
}

let stopping = false;

serve({
  connect: async (m) => {
    const subs = m.subs as Sub[];
    const base = m.base as number; // global index of subs[0]
    const kind = m.kind as "hub" | "floor";
    const url = m.url as string;
    // each subscriber is its own user with its own token, signed here (in parallel processes)
    const tokens: string[] = [];
    if (kind === "hub") {
      const keys = await loadDevKeys(m.keysDir as string);
      for (const s of subs) tokens.push(await signDevToken(keys, s.email, { ttl: "6h" }));
    }
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < subs.length) {
        const i = next++;
        const ws = kind === "hub" ? await connectHub(url, base + i, tokens[i]) : await connectFloor(url, base + i, subs[i].org);
        sockets.push(ws);
        if (++done % 500 === 0) process.send?.({ type: "progress", kind, done });
      }
    };
    await Promise.all(Array.from({ length: Math.min(50, subs.length) }, worker));
    return { connected: done };
  },
  collect: () => {
    const out = received;
    received = [];
    return { received: out, unexpected, closedEarly };
  },
  close: async () => {
    stopping = true;
    for (const ws of sockets) ws.terminate();
    sockets.length = 0;
    return {};
  },
});
process.on("SIGTERM", () => {
  stopping = true;
  for (const ws of sockets) ws.terminate();
  process.exit(0);
});
process.send?.({ type: "ready" });
