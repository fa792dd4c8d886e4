import type { Server } from "node:http";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import { GraphQLError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer, type WebSocket } from "ws";
import { authenticate, bearer } from "../auth/authenticate.js";
import type { TokenVerifier } from "../auth/tokens.js";
import type { Viewer } from "../auth/viewer.js";
import { appendAccessLog } from "../audit/access-log.js";
import { createFormatError } from "../common/format-error.js";
import type { Logger } from "../common/logger.js";
import { Ctx, type AppDeps } from "../context.js";

interface Extra extends Record<PropertyKey, unknown> {
  socket: WebSocket;
  viewer?: Viewer;
  expiry?: NodeJS.Timeout;
}

/** Close codes (graphql-ws reserves 4400–4499 for the protocol; these follow HTTP's meaning). */
export const CLOSE = { UNAUTHORIZED: 4401, FORBIDDEN: 4403, GOING_AWAY: 1001 } as const;

/**
 * GraphQL over WebSocket (graphql-ws protocol) on the HTTP server's port and path.
 * - The token (connectionParams.authorization, "Bearer …") is checked on connection_init: an
 *   invalid one closes the socket with 4401; the socket is closed with 4401 when it expires.
 * - Results go through the same error formatting as HTTP (masking, no echoed values), and every
 *   delivered payload's reads are written to the access log before it is sent.
 */
export function attachWebSocket(server: Server, deps: AppDeps, schema: GraphQLSchema, verify: TokenVerifier, log: Logger) {
  const wss = new WebSocketServer({ server, path: "/graphql", maxPayload: 256 * 1024 });
  const formatError = createFormatError(log, deps.config.NODE_ENV === "development");
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => formatError(e.toJSON(), e));

  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      connectionInitWaitTimeout: 5_000,
      onConnect: async (ctx) => {
        try {
          const raw = ctx.connectionParams?.authorization;
          const viewer = await authenticate(deps.ds, verify, bearer(typeof raw === "string" ? raw : undefined));
          ctx.extra.viewer = viewer;
          if (viewer.tokenExpiresAt) {
            const ms = viewer.tokenExpiresAt * 1000 - Date.now();
            ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(CLOSE.UNAUTHORIZED, "Token expired"), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
            ctx.extra.expiry.unref();
          }
          return true;
        } catch {
          ctx.extra.socket.close(CLOSE.UNAUTHORIZED, "Unauthorized");
          return false;
        }
      },
      onClose: (ctx) => {
        if (ctx.extra.expiry) clearTimeout(ctx.extra.expiry);
      },
      context: (ctx) => {
        const purpose = ctx.connectionParams?.purpose;
        const c = new Ctx(deps, ctx.extra.viewer!, { purpose: typeof purpose === "string" ? purpose : undefined });
        return c as unknown as Record<string, unknown>;
      },
      onSubscribe: (_ctx, _id, payload) => {
        // operation name for the access log is set in onNext from the document
        void payload;
      },
      onNext: async (_ctx, _id, payload, args, result) => {
        const ctx = args.contextValue as unknown as Ctx;
        ctx.operation = `subscription ${payload.operationName ?? "anonymous"}`;
        try {
          await appendAccessLog(deps.ds, ctx.logContext, "READ", ctx.access.reads.values());
          ctx.access.reads.clear();
        } catch {
          log.error({ correlationId: ctx.requestId }, "access log write failed; event withheld");
          return { errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR", correlationId: ctx.requestId } }] };
        }
        if (!result.errors?.length) return result as never;
        return { ...result, errors: format(result.errors) } as never;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
  );

  return {
    wss,
    /** Graceful shutdown: tell clients to reconnect elsewhere (1001 going away), then stop. */
    async close(): Promise<void> {
      for (const client of wss.clients) client.close(CLOSE.GOING_AWAY, "Server shutting down");
      await cleanup.dispose();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
