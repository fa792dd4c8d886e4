import { CloseCode, handleProtocols, makeServer, type ServerOptions } from "graphql-ws";
import type { WebSocket, WebSocketServer } from "ws";
import type { Logger } from "../common/logger.js";

/**
 * graphql-ws on a `ws` server — graphql-ws's own `useServer` (graphql-ws/use/ws), made lighter
 * for thousands of idle sockets: one keep-alive timer and one connection_init deadline timer
 * for all sockets instead of timers each, the socket's methods on a prototype instead of closures, and a message handler that is
 * no async function (graphql-ws's handler of a subscribe message stays pending for the
 * subscription's lifetime, and an async wrapper around it would keep its frame as long).
 */
export function useLightServer<P extends Record<string, unknown>, E extends Record<PropertyKey, unknown> & { socket: WebSocket }>(
  options: ServerOptions<P, E>,
  wss: WebSocketServer,
  log: Logger,
  keepAliveMs = 30_000,
) {
  // connection_init's deadline, also by one timer for all sockets (graphql-ws's own timer would
  // stay referenced, fired or not, for the connection's lifetime): the sockets in order of
  // arrival, so in order of their deadlines too. graphql-ws calls onConnect on connection_init.
  const initWaitMs = options.connectionInitWaitTimeout ?? 3_000;
  const awaitingInit = new Map<WebSocket, number>();
  let initTimer: NodeJS.Timeout | undefined;
  const sweepInit = () => {
    const now = Date.now();
    for (const [socket, deadline] of awaitingInit) {
      if (deadline > now) return;
      awaitingInit.delete(socket);
      socket.close(CloseCode.ConnectionInitialisationTimeout, "Connection initialisation timeout");
    }
    clearInterval(initTimer);
    initTimer = undefined;
  };
  const onConnect = options.onConnect;
  const server = makeServer<P, E>({
    ...options,
    connectionInitWaitTimeout: 0,
    onConnect: (ctx) => {
      awaitingInit.delete(ctx.extra.socket);
      return onConnect ? onConnect(ctx) : undefined;
    },
  });
  wss.options.handleProtocols = handleProtocols;

  wss.once("error", (err) => {
    log.error({ err: err.message }, "websocket server error; closing all sockets");
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, "Internal server error");
  });

  // Keep-alive: every keepAliveMs each open socket is pinged; one that has not answered the
  // previous ping by then is terminated (as graphql-ws does). One timer for all sockets, but not
  // one burst: the sockets are spread over SLICES slices, and each tick (every 10 ms) handles
  // one slice — pinging 10,000 sockets in one turn blocked the event loop for tens of
  // milliseconds every keepAliveMs (seen as the S1 benchmark's p99, writes and deliveries alike),
  // and so did 48 slices of ~200 (each ping is a socket write: ~12 ms per slice on the
  // benchmark's machine, four times a second); ~8 sockets per tick stall it for well under 1 ms.
  const SLICES = Math.max(1, Math.round(keepAliveMs / 10));
  const slices = Array.from({ length: SLICES }, () => new Set<WebSocket>());
  let nextSlice = 0;
  let tick = 0;
  const awaitingPong = new Set<WebSocket>();
  const keepAlive = setInterval(() => {
    const slice = slices[tick++ % SLICES];
    for (const socket of slice) {
      if (awaitingPong.has(socket)) {
        awaitingPong.delete(socket);
        socket.terminate();
        continue;
      }
      if (socket.readyState !== socket.OPEN) continue;
      awaitingPong.add(socket);
      socket.ping();
    }
  }, Math.max(1, Math.floor(keepAliveMs / SLICES)));
  keepAlive.unref();
  function onPong(this: WebSocket) {
    awaitingPong.delete(this);
  }
  function onSocketError(this: WebSocket, err: Error) {
    log.error({ err: err.message }, "websocket socket error");
    this.close(CloseCode.InternalServerError, "Internal server error");
  }

  wss.on("connection", (socket, request) => {
    socket.once("error", onSocketError);
    socket.on("pong", onPong);
    const slice = slices[nextSlice++ % SLICES];
    slice.add(socket);
    if (initWaitMs > 0 && isFinite(initWaitMs)) {
      awaitingInit.set(socket, Date.now() + initWaitMs);
      if (!initTimer) {
        initTimer = setInterval(sweepInit, 250);
        initTimer.unref();
      }
    }
    const closed = server.opened(new GraphqlWsSocket(socket, log), { socket, request } as unknown as E);
    socket.once("close", (code, reason) => {
      slice.delete(socket);
      awaitingPong.delete(socket);
      awaitingInit.delete(socket);
      void closed(code, String(reason));
    });
  });

  return {
    dispose: async () => {
      clearInterval(keepAlive);
      clearInterval(initTimer);
      for (const client of wss.clients) client.close(1001, "Going away");
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** What graphql-ws needs of a socket. */
class GraphqlWsSocket {
  constructor(
    private readonly ws: WebSocket,
    private readonly log: Logger,
  ) {}

  get protocol(): string {
    return this.ws.protocol;
  }

  send(data: string): Promise<void> {
    const ws = this.ws;
    return new Promise((resolve, reject) => {
      if (ws.readyState !== ws.OPEN) return resolve();
      ws.send(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  onMessage(cb: (data: string) => Promise<void>): void {
    this.ws.on("message", (event) => {
      cb(String(event)).catch((err: unknown) => {
        this.log.error({ err: err instanceof Error ? err.message : String(err) }, "websocket message handling failed");
        this.ws.close(CloseCode.InternalServerError, "Internal server error");
      });
    });
  }
}
