import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { DocumentNode, GraphQLFormattedError, GraphQLSchema } from "graphql";
import { createSourceEventStream, execute, getOperationAST, GraphQLError, parse, validate, type ExecutionArgs, type ExecutionResult } from "graphql";
import { allRules, LIMITS, parseOptions } from "../security/limits.js";
import type { ServerOptions as GraphqlWsOptions } from "graphql-ws";
import { useLightServer } from "./ws-adapter.js";
import { WebSocketServer, type WebSocket } from "ws";
import { authenticate, bearer } from "../auth/authenticate.js";
import type { TokenVerifier } from "../auth/tokens.js";
import type { Viewer } from "../auth/viewer.js";
import { AccessLogBatcher } from "../audit/access-log.js";
import { createFormatError, isDatabaseUnavailable } from "../common/format-error.js";
import type { Logger } from "../common/logger.js";
import { Ctx, type AppDeps } from "../context.js";
import type { ChangeRecord } from "./feed.js";
import type { AccessUse } from "../access/scope.js";
import { SendPacer } from "./live-groups.js";

interface Extra extends Record<PropertyKey, unknown> {
  socket: WebSocket;
  viewer?: Viewer;
  /** the token's expiry (seconds since the epoch) the socket is registered under in the ExpiryWheel */
  expiry?: number;
  subscriptions?: number;
}

/** Close codes (graphql-ws reserves 4400–4499 for the protocol; these follow HTTP's meaning). */
export const CLOSE = { UNAUTHORIZED: 4401, FORBIDDEN: 4403, TOO_MANY_SUBSCRIPTIONS: 4429, GOING_AWAY: 1001, SERVICE_RESTART: 1012 } as const;

/** Parsed and validated documents, by query text (graphql-ws itself caches nothing). */
class DocumentCache {
  private readonly docs = new Map<string, DocumentNode>();
  constructor(private readonly max = 500) {}
  get(query: string): DocumentNode | undefined {
    return this.docs.get(query);
  }
  set(query: string, doc: DocumentNode): void {
    if (this.docs.size >= this.max) this.docs.delete(this.docs.keys().next().value as string);
    this.docs.set(query, doc);
  }
}

/**
 * Token expiry of the open sockets: one timer for all of them, ticking while any is registered,
 * with the sockets in per-second buckets (a bucket costs ~30 bytes a socket; a timer of its own
 * ~0.2 KiB). A socket is closed within ~¼ s after its token's `exp`.
 */
export class ExpiryWheel {
  private readonly buckets = new Map<number, Set<WebSocket>>();
  /** buckets up to this second (inclusive) have been expired */
  private swept = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly expire: (socket: WebSocket) => void,
    private readonly tickMs = 250,
  ) {}

  add(socket: WebSocket, exp: number): void {
    if (exp * 1000 <= Date.now()) {
      setImmediate(() => this.expire(socket));
      return;
    }
    const second = Math.ceil(exp);
    let bucket = this.buckets.get(second);
    if (!bucket) this.buckets.set(second, (bucket = new Set()));
    bucket.add(socket);
    if (!this.timer) {
      this.swept = Math.floor(Date.now() / 1000) - 1;
      this.timer = setInterval(() => this.tick(), this.tickMs);
      this.timer.unref();
    }
  }

  delete(socket: WebSocket, exp: number): void {
    const second = Math.ceil(exp);
    const bucket = this.buckets.get(second);
    if (!bucket?.delete(socket) || bucket.size > 0) return;
    this.buckets.delete(second);
    if (this.buckets.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = Math.floor(Date.now() / 1000);
    for (let second = this.swept + 1; second <= now; second++) {
      const bucket = this.buckets.get(second);
      if (!bucket) continue;
      this.buckets.delete(second);
      for (const socket of bucket) this.expire(socket);
    }
    this.swept = now;
    if (this.buckets.size === 0) this.stop();
  }
}

/** Subscriptions' group keys (document, operation, variables), interned: thousands of subscriptions share a few. */
class LiveKeys {
  private readonly keys = new Map<string, string>();
  constructor(private readonly max = 5_000) {}
  of(query: string, operationName: string | null | undefined, variables: unknown): string {
    const key = JSON.stringify([query, operationName ?? null, variables ?? null]);
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    if (this.keys.size < this.max) this.keys.set(key, key);
    return key;
  }
}

/**
 * graphql-js `subscribe`, except that an event the change stream hands over with its group
 * (Ctx.liveGroup, realtime/live-groups.ts) is executed once for the whole group, under the
 * group's context; every member gets the same result object. A shared result maps to the reads
 * it made (each member logs them under its own name) — not to the group: graphql-ws keeps each
 * subscription's last result reachable while it waits for the next, and the group would keep
 * its context, loaders and rows with it.
 */
const sharedReads = new WeakMap<ExecutionResult, readonly AccessUse[]>();

async function subscribeShared(args: ExecutionArgs) {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const it = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]() as AsyncGenerator<unknown>;
  return new SharedResults(it, args) as unknown as AsyncGenerator<ExecutionResult>;
}

/**
 * The subscription's results (graphql-js's mapping of source events to execution results). A
 * class rather than an object of closures, and `next` no async function: an idle subscription
 * waits in it.next(), and a pending async function would keep its whole frame.
 */
class SharedResults {
  constructor(
    private readonly it: AsyncGenerator<unknown>,
    private readonly args: ExecutionArgs,
  ) {}

  next(): Promise<IteratorResult<ExecutionResult>> {
    return this.it.next().then((r) => this.step(r));
  }

  private async step(r: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> {
    if (r.done) return r as IteratorReturnResult<undefined>;
    try {
      return { value: await this.map(r.value), done: false };
    } catch (err) {
      await this.it.return?.(undefined);
      throw err;
    }
  }

  private map(event: unknown): Promise<ExecutionResult> | ExecutionResult {
    const args = this.args;
    const ctx = args.contextValue as Ctx;
    const group = ctx.liveGroup;
    ctx.liveGroup = undefined;
    // undefined for a replayed event: a stale time from an earlier, withheld delivery is not measured
    ctx.liveHandedAt = ctx.deps.dispatcher?.handedAt(event as ChangeRecord);
    if (!group || group.eventId !== (event as ChangeRecord).id) return execute({ ...args, rootValue: event });
    return (group.result ??= Promise.resolve(execute({ ...args, rootValue: event, contextValue: group.ctx })).then((r) => {
      sharedReads.set(r, [...group.ctx.access.reads.values()]);
      return r;
    }));
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    return ((await this.it.return?.(undefined)) as IteratorResult<ExecutionResult> | undefined) ?? { value: undefined, done: true };
  }

  throw(err: unknown): Promise<IteratorResult<ExecutionResult>> {
    return this.it.throw ? (this.it.throw(err) as Promise<IteratorResult<ExecutionResult>>) : Promise.reject(err);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  async [Symbol.asyncDispose]() {}
}

/**
 * GraphQL over WebSocket (graphql-ws protocol) on the HTTP server's port and path.
 * - The token (connectionParams.authorization, "Bearer …") is checked on connection_init: an
 *   invalid one closes the socket with 4401; the socket is closed with 4401 when it expires.
 * - Results go through the same error formatting as HTTP (masking, no echoed values), and every
 *   delivered payload's reads are written to the access log before it is sent.
 */
/** The operation's name for a span: from the document (or its text, when it was refused), else "anonymous". */
function operationNameOf(document: DocumentNode | string, operationName: string | null | undefined): string {
  try {
    return getOperationAST(typeof document === "string" ? parse(document) : document, operationName)?.name?.value ?? operationName ?? "anonymous";
  } catch {
    return operationName ?? "anonymous";
  }
}

type ServerOptions = GraphqlWsOptions<Record<string, unknown>, Extra>;
type SubscribeArgs = Parameters<NonNullable<ServerOptions["onSubscribe"]>>;
type NextArgs = Parameters<NonNullable<ServerOptions["onNext"]>>;

export function attachWebSocket(server: Server, deps: AppDeps, schema: GraphQLSchema, verify: TokenVerifier, log: Logger) {
  const wss = new WebSocketServer({ server, path: "/graphql", maxPayload: 256 * 1024 });
  const formatError = createFormatError(log, deps.config.NODE_ENV === "development");
  // graphql-js reports request errors (variable coercion) without a code; Apollo tags them
  // BAD_USER_INPUT on HTTP, so do the same here rather than masking them as internal errors.
  const asRequestError = (e: GraphQLError) =>
    !e.path && !e.extensions?.code && (!e.originalError || /^Variable "\$/.test(e.message)) ? new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: "BAD_USER_INPUT" } }) : e;
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map(asRequestError).map((e) => formatError(e.toJSON(), e));
  const rules = allRules(deps.config.NODE_ENV === "production");
  const documents = new DocumentCache();
  const liveKeys = new LiveKeys();
  const accessLog = new AccessLogBatcher(deps.ds);
  const pacer = new SendPacer();
  const expiries = new ExpiryWheel((socket) => socket.close(CLOSE.UNAUTHORIZED, "Token expired"));

  const cleanup = useLightServer<Record<string, unknown>, Extra>(
    {
      schema,
      subscribe: subscribeShared,
      connectionInitWaitTimeout: 5_000,
      onConnect: async (ctx) => {
        try {
          const raw = ctx.connectionParams?.authorization;
          const viewer = await authenticate(deps.ds, verify, bearer(typeof raw === "string" ? raw : undefined));
          ctx.extra.viewer = viewer;
          // Held for the connection's lifetime otherwise: the upgrade request (headers) and the
          // bearer token. Neither is needed once the viewer is known (the expiry timer ends the socket).
          // Cleared rather than deleted: a deleted property turns the object into a (larger) dictionary.
          (ctx.extra as { request?: unknown }).request = undefined;
          if (ctx.connectionParams) (ctx.connectionParams as Record<string, unknown>).authorization = undefined;
          if (viewer.tokenExpiresAt) {
            ctx.extra.expiry = viewer.tokenExpiresAt;
            expiries.add(ctx.extra.socket, viewer.tokenExpiresAt);
          }
          return true;
        } catch {
          ctx.extra.socket.close(CLOSE.UNAUTHORIZED, "Unauthorized");
          return false;
        }
      },
      onClose: (ctx) => {
        if (ctx.extra.expiry) expiries.delete(ctx.extra.socket, ctx.extra.expiry);
      },
      // The same limits and validation as HTTP (Apollo's do not reach this path), with a cache.
      onSubscribe: async (ctx, _id, payload) => {
        if (!deps.tracing) return subscribeArgs(ctx, payload);
        const started = Date.now();
        const r = await subscribeArgs(ctx, payload);
        const name = Array.isArray(r) ? operationNameOf(payload.query, payload.operationName) : operationNameOf(r.document, r.operationName);
        if (Array.isArray(r)) deps.tracing.record(`subscribe ${name}`, name, randomUUID(), started, r.map((e) => String(e.extensions?.code ?? "GRAPHQL_VALIDATION_FAILED")));
        else deps.tracing.record(`subscribe ${name}`, name, (r.contextValue as unknown as Ctx).requestId, started);
        return r;
      },
      onComplete: (ctx) => {
        ctx.extra.subscriptions = Math.max(0, (ctx.extra.subscriptions ?? 1) - 1);
      },
      onNext: async (ctx, _id, payload, args, result) => {
        if (!deps.tracing) return deliver(ctx, payload, args, result);
        const started = Date.now();
        const out = (await deliver(ctx, payload, args, result)) as { errors?: readonly { extensions?: { code?: unknown } }[] };
        const name = operationNameOf(args.document, args.operationName);
        const codes = (out.errors ?? []).map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
        deps.tracing.record(`subscription ${name}`, name, (args.contextValue as unknown as Ctx).requestId, started, codes, { "ketenhub.live.grouped": sharedReads.has(result as ExecutionResult) });
        return out as never;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
    log,
    deps.config.WS_KEEPALIVE_SECONDS * 1000,
  );

  /** The arguments graphql-ws executes the subscription with, or the errors that refuse it. */
  async function subscribeArgs(ctx: SubscribeArgs[0], payload: SubscribeArgs[2]) {
    try {
      await deps.rateLimiter?.consume(ctx.extra.viewer!);
    } catch (err) {
      return [err as GraphQLError];
    }
    ctx.extra.subscriptions = (ctx.extra.subscriptions ?? 0) + 1;
    if (ctx.extra.subscriptions > LIMITS.subscriptionsPerSocket) {
      log.warn({ code: CLOSE.TOO_MANY_SUBSCRIPTIONS }, "websocket closed: too many subscriptions");
      ctx.extra.socket.close(CLOSE.TOO_MANY_SUBSCRIPTIONS, "Too many subscriptions");
      return [new GraphQLError("Too many subscriptions")];
    }
    let document = documents.get(payload.query);
    if (!document) {
      try {
        document = parse(payload.query, parseOptions);
      } catch (err) {
        const message = err instanceof GraphQLError ? err.message : "Syntax error";
        return [new GraphQLError(message, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
      }
      const errors = validate(schema, document, rules);
      if (errors.length) return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
      documents.set(payload.query, document);
    }
    const purpose = ctx.connectionParams?.purpose;
    const contextValue = new Ctx(deps, ctx.extra.viewer!, { purpose: typeof purpose === "string" ? purpose : undefined });
    contextValue.endSession = (reason) => ctx.extra.socket.close(CLOSE.UNAUTHORIZED, reason);
    contextValue.liveKey = liveKeys.of(payload.query, payload.operationName, payload.variables);
    return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
  }

  /** One event's result for one subscriber: its reads logged, paced, errors formatted (or withheld on an outage). */
  async function deliver(_ctx: NextArgs[0], payload: NextArgs[2], args: NextArgs[3], result: NextArgs[4]) {
    const ctx = args.contextValue as unknown as Ctx;
    ctx.operation = `subscription ${payload.operationName ?? "anonymous"}`;
    try {
      // a payload resolved once for the subscriber's group: the group's reads, logged under this subscriber
      const reads = sharedReads.get(result as ExecutionResult);
      if (reads) await accessLog.append(ctx.logContext, "READ", reads);
      else {
        await accessLog.append(ctx.logContext, "READ", ctx.access.reads.values());
        ctx.access.reads.clear();
      }
      const turn = pacer.slot();
      if (turn) await turn;
      if (ctx.liveHandedAt !== undefined) {
        deps.metrics?.liveDelivery.observe((performance.now() - ctx.liveHandedAt) / 1000);
        ctx.liveHandedAt = undefined;
      }
    } catch (err) {
      // The event is withheld, and the socket closed so that the client resubscribes from its
      // last feed id: the withheld event is delivered again rather than skipped.
      const outage = isDatabaseUnavailable(err);
      (outage ? log.warn : log.error).call(log, { correlationId: ctx.requestId }, "access log write failed; event withheld, client told to reconnect");
      setImmediate(() => _ctx.extra.socket.close(CLOSE.SERVICE_RESTART, "Service restart: reconnect"));
      const [message, code] = outage ? ["The database is unavailable; try again shortly", "SERVICE_UNAVAILABLE"] : ["Internal server error", "INTERNAL_SERVER_ERROR"];
      return { errors: [{ message, extensions: { code, correlationId: ctx.requestId } }] };
    }
    if (!result.errors?.length) return result as never;
    if (result.errors.some((e) => isDatabaseUnavailable(e))) {
      // Resolving the event failed on an outage: send no partial data (the client would move
      // its cursor past it) but close with 1012, so it resubscribes and gets the event again.
      setImmediate(() => _ctx.extra.socket.close(CLOSE.SERVICE_RESTART, "Service restart: reconnect"));
      return { errors: format(result.errors) } as never;
    }
    return { ...result, errors: format(result.errors) } as never;
  }

  let closing = false;
  wss.on("connection", (socket) => {
    if (closing) socket.close(CLOSE.SERVICE_RESTART, "Service restart: reconnect");
  });

  return {
    wss,
    /**
     * Graceful shutdown: every client is told to reconnect (1012 service restart; graphql-ws
     * clients retry, and resume from their last feed id), given `graceMs` to complete the close
     * handshake, and then cut off.
     */
    async close(graceMs = 3_000): Promise<void> {
      closing = true;
      const open = wss.clients.size;
      for (const client of wss.clients) client.close(CLOSE.SERVICE_RESTART, "Service restart: reconnect");
      const deadline = Date.now() + graceMs;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const client of wss.clients) client.terminate();
      if (open) log.info({ sockets: open }, "websocket clients told to reconnect (1012)");
      expiries.stop();
      await cleanup.dispose();
    },
  };
}
