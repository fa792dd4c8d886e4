import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { WebSocket, WebSocketServer } from "ws";
import { createLogger } from "../server/common/logger.js";
import { useLightServer } from "../server/realtime/ws-adapter.js";
import { startTestHub, USERS } from "./support/hub.js";

/**
 * The WebSocket keep-alive (realtime/ws-adapter.ts): every socket is pinged once per interval,
 * a few sockets per 10 ms tick rather than all at once, and a socket that has not answered the
 * previous ping when its next one is due is terminated. Here with a 300 ms interval.
 */
const KEEPALIVE_MS = 300;
let wss: WebSocketServer;
let url: string;

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((r) => wss.once("listening", r));
  const schema = new GraphQLSchema({ query: new GraphQLObjectType({ name: "Query", fields: { hello: { type: GraphQLString } } }) });
  useLightServer({ schema }, wss, createLogger("silent"), KEEPALIVE_MS);
  url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
});
afterAll(() => new Promise((r) => wss.close(r)));

const open = (autoPong: boolean) =>
  new Promise<{ socket: WebSocket; pings: number[]; closedAt: () => number | undefined }>((resolve, reject) => {
    const socket = new WebSocket(url, "graphql-transport-ws", { autoPong });
    const pings: number[] = [];
    let closed: number | undefined;
    socket.on("ping", () => pings.push(Date.now()));
    socket.on("close", () => (closed = Date.now()));
    socket.once("open", () => resolve({ socket, pings, closedAt: () => closed }));
    socket.once("error", reject);
  });

describe("WebSocket keep-alive", () => {
  it("pings every socket once per interval, keeps those that answer and terminates one that does not", async () => {
    const answering = await Promise.all(Array.from({ length: 20 }, () => open(true)));
    const silent = await open(false);
    for (const c of [...answering, silent]) c.socket.send(JSON.stringify({ type: "connection_init" }));
    const start = Date.now();
    await new Promise((r) => setTimeout(r, KEEPALIVE_MS * 3.5));

    for (const c of answering) {
      expect(c.closedAt(), "an answering socket stays open").toBeUndefined();
      // about one ping per interval (3 or 4 in 3.5 intervals; timers on a busy machine run late),
      // never a burst of them
      expect(c.pings.length).toBeGreaterThanOrEqual(2);
      expect(c.pings.length).toBeLessThanOrEqual(5);
      for (let i = 1; i < c.pings.length; i++) expect(c.pings[i] - c.pings[i - 1]).toBeGreaterThan(KEEPALIVE_MS * 0.4);
    }
    // the sockets are spread over the interval, not pinged in one turn
    const firsts = answering.map((c) => c.pings[0]).sort((a, b) => a - b);
    expect(firsts.at(-1)! - firsts[0]).toBeGreaterThan(KEEPALIVE_MS / 4);

    // the silent one: pinged once, not answered, terminated when its next ping was due
    expect(silent.pings.length).toBeGreaterThanOrEqual(1);
    expect(silent.closedAt()).toBeDefined();
    expect(silent.closedAt()! - start).toBeLessThan(KEEPALIVE_MS * 3.5);
    for (const c of answering) c.socket.close();
  });
});

describe("the hub's keep-alive interval (WS_KEEPALIVE_SECONDS)", () => {
  it("pings a subscriber's socket at the configured interval and ends one that stops answering", async () => {
    const t = await startTestHub({ WS_KEEPALIVE_SECONDS: "1" });
    try {
      const wsUrl = t.url.replace(/^http/, "ws");
      const connect = async (autoPong: boolean) => {
        const socket = new WebSocket(wsUrl, "graphql-transport-ws", { autoPong });
        const pings: number[] = [];
        let closed: number | undefined;
        socket.on("ping", () => pings.push(Date.now()));
        socket.on("close", (code) => (closed = code));
        await new Promise((r, j) => (socket.once("open", r), socket.once("error", j)));
        socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${await t.token(USERS.vlinder)}` } }));
        return { socket, pings, closed: () => closed };
      };
      const [answering, silent] = [await connect(true), await connect(false)];
      await new Promise((r) => setTimeout(r, 3_300));
      // about one ping a second (not graphql-ws's 12 s, nor the default 30 s)
      expect(answering.pings.length).toBeGreaterThanOrEqual(2);
      expect(answering.pings.length).toBeLessThanOrEqual(4);
      expect(answering.closed()).toBeUndefined();
      // not answered: terminated when its next ping was due (1006: no close frame)
      expect(silent.pings.length).toBeGreaterThanOrEqual(1);
      expect(silent.closed()).toBe(1006);
      answering.socket.close();
    } finally {
      await t.stop();
    }
  });

  it("refuses an interval that is not a whole number of seconds from 1 to 300", async () => {
    await expect(startTestHub({ WS_KEEPALIVE_SECONDS: "0" })).rejects.toThrow(/WS_KEEPALIVE_SECONDS/);
    await expect(startTestHub({ WS_KEEPALIVE_SECONDS: "ten" })).rejects.toThrow(/WS_KEEPALIVE_SECONDS/);
  });
});
