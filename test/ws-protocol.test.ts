import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";

let t: TestHub;
let wsUrl: string;
beforeAll(async () => {
  t = await startTestHub();
  wsUrl = t.url.replace(/^http/, "ws");
});
afterAll(() => t?.stop());

/** A raw socket speaking (or abusing) the graphql-transport-ws protocol. Resolves with the close code. */
function raw(protocol: string | undefined, script: (ws: WebSocket, messages: any[]) => void, ms = 8000): Promise<{ code: number; messages: any[] }> {
  return new Promise((resolve) => {
    const ws = protocol ? new WebSocket(wsUrl, protocol) : new WebSocket(wsUrl);
    const messages: any[] = [];
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ code: -1, messages });
    }, ms);
    ws.on("message", (d) => messages.push(JSON.parse(String(d))));
    ws.on("open", () => script(ws, messages));
    ws.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, messages });
    });
    ws.on("error", () => undefined);
  });
}

const P = "graphql-transport-ws";
const send = (ws: WebSocket, m: unknown) => ws.send(JSON.stringify(m));
const init = async (ws: WebSocket, token?: string) => send(ws, { type: "connection_init", payload: token ? { authorization: `Bearer ${token}` } : {} });
const sub = (id: string) => ({ id, type: "subscribe", payload: { query: "subscription { myChanges { id } }" } });

describe("the WebSocket protocol, abused", () => {
  it("closes a subscribe before connection_init with 4401", async () => {
    const r = await raw(P, (ws) => send(ws, sub("1")));
    expect(r.code).toBe(4401);
  });

  it("closes a second connection_init with 4429", async () => {
    const token = await t.token(USERS.vlinder);
    const r = await raw(P, (ws, msgs) => {
      init(ws, token);
      const wait = setInterval(() => {
        if (msgs.some((m) => m.type === "connection_ack")) {
          clearInterval(wait);
          init(ws, token);
        }
      }, 20);
    });
    expect(r.code).toBe(4429);
  });

  it("closes a connection that never sends connection_init with 4408", async () => {
    const r = await raw(P, () => undefined, 9000);
    expect(r.code).toBe(4408);
  }, 12_000);

  it("closes a duplicate subscription id with 4409", async () => {
    const token = await t.token(USERS.vlinder);
    const r = await raw(P, (ws, msgs) => {
      init(ws, token);
      const wait = setInterval(() => {
        if (msgs.some((m) => m.type === "connection_ack")) {
          clearInterval(wait);
          send(ws, sub("dup"));
          setTimeout(() => send(ws, sub("dup")), 100);
        }
      }, 20);
    });
    expect(r.code).toBe(4409);
  });

  it("refuses the legacy subscriptions-transport-ws protocol: no subprotocol is agreed, nothing acknowledged", async () => {
    const r = await raw("graphql-ws", (ws) => init(ws));
    // graphql-ws declines the subprotocol in the handshake (the client sees an abnormal close) or closes with 4406
    expect([4406, 1002, 1006]).toContain(r.code);
    expect(r.messages.some((m) => m.type === "connection_ack")).toBe(false);
  });

  it("closes a forged token with 4401", async () => {
    const forged = (await t.token(USERS.vlinder)).slice(0, -6) + "AAAAAA";
    const r = await raw(P, (ws) => init(ws, forged));
    expect(r.code).toBe(4401);
  });

  it("closes a socket with too many subscriptions with 4429", async () => {
    const token = await t.token(USERS.vlinder);
    const r = await raw(P, (ws, msgs) => {
      init(ws, token);
      const wait = setInterval(() => {
        if (msgs.some((m) => m.type === "connection_ack")) {
          clearInterval(wait);
          for (let i = 0; i < 25; i++) send(ws, sub(`s${i}`));
        }
      }, 20);
    });
    expect(r.code).toBe(4429);
  });

  it("keeps serving well-behaved clients", async () => {
    expect((await t.ok(USERS.vlinder, `{ me { email } }`)).me.email).toBe(USERS.vlinder);
  });
});
