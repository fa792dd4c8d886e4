import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Ctx } from "../context.js";
import type { Logger } from "../common/logger.js";
import { AccessLogBatcher } from "./access-log.js";
import { sameUse } from "../access/predict.js";
import type { DataSource } from "typeorm";
import { isDatabaseUnavailable } from "../common/format-error.js";

/**
 * Logs every read of client data (NEN 7513) before the response leaves: one entry per case with
 * the categories actually resolved. If the log cannot be written, the data is not sent: the
 * response becomes an INTERNAL_SERVER_ERROR (with a correlation id in the server log).
 */
export function accessLogPlugin(log: Logger): ApolloServerPlugin<Ctx> {
  // Concurrent requests' entries of one event-loop turn go into one INSERT (one pass through the
  // chain head instead of one per request); each request still waits for its own entries.
  const batchers = new WeakMap<DataSource, AccessLogBatcher>();
  const batcherFor = (ds: DataSource) => {
    let b = batchers.get(ds);
    if (!b) batchers.set(ds, (b = new AccessLogBatcher(ds)));
    return b;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, operationName }) {
          if (!operation) return;
          const fields = operation.selectionSet.selections.map((s) => (s.kind === "Field" ? s.name.value : "…")).join(",");
          contextValue.operation = `${operation.operation} ${operationName ?? "anonymous"} {${fields}}`;
        },
        async willSendResponse({ contextValue, response }) {
          const ctx = contextValue;
          if (!ctx?.access || ctx.access.reads.size === 0) return;
          // a read logged with the write's own statement (exactly these categories) is not logged twice
          const pre = ctx.access.preLogged;
          const uses = pre.size === 0 ? [...ctx.access.reads.values()] : [...ctx.access.reads.values()].filter((u) => !sameUse(u, pre.get(u.caseId)));
          if (uses.length === 0) return;
          try {
            await batcherFor(ctx.deps.ds).append(ctx.logContext, ctx.auditAction, uses);
          } catch (err) {
            const correlationId = ctx.requestId;
            const outage = isDatabaseUnavailable(err);
            (outage ? log.warn : log.error).call(log, { correlationId, err: (err as Error).name }, "access log write failed; response withheld");
            if (response.body.kind === "single") {
              const [message, code] = outage ? ["The database is unavailable; try again shortly", "SERVICE_UNAVAILABLE"] : ["Internal server error", "INTERNAL_SERVER_ERROR"];
              response.body.singleResult = { errors: [new GraphQLError(message, { extensions: { code, correlationId } }).toJSON()] };
              response.http.status = outage ? 503 : 500;
            }
          }
        },
      };
    },
  };
}
