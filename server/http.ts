import { createServer, type Server } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLSchema } from "graphql";
import { authenticate, bearer } from "./auth/authenticate.js";
import type { TokenVerifier } from "./auth/tokens.js";
import { createFormatError } from "./common/format-error.js";
import type { Logger } from "./common/logger.js";
import { Ctx, type AppDeps } from "./context.js";
import { accessLogPlugin } from "./audit/plugin.js";
import { limitRules, parseOptions } from "./security/limits.js";
import { privacyRoutes } from "./modules/privacy/privacy.html.js";
import { mountPartnerBoard } from "./web/partner-board.js";
import { mountFhir } from "./fhir/route.js";
import { registerReportRoutes } from "./modules/indicators/report.http.js";

export interface HttpApp {
  server: Server;
  apollo: ApolloServer<Ctx>;
}

/**
 * One port: GraphQL over HTTP at POST /graphql, GET /healthz (alive), GET /readyz (database
 * reachable). The WebSocket transport attaches to the same server (realtime/).
 */
export async function createHttpApp(deps: AppDeps, schema: GraphQLSchema, verify: TokenVerifier, log: Logger): Promise<HttpApp> {
  const production = deps.config.NODE_ENV === "production";
  const app = express();
  app.disable("x-powered-by");
  // no ETag on responses: each would hash its whole body (a page of cases: tens of kB, for every
  // request) for a conditional GET no GraphQL POST, and no page of personal data, should answer
  app.disable("etag");
  const server = createServer(app);

  const apollo = new ApolloServer<Ctx>({
    schema,
    introspection: !production,
    csrfPrevention: true,
    // The hub owns its shutdown order (app.ts stop, main.ts signals); Apollo's own SIGTERM
    // handler would start draining HTTP before WebSocket clients are told to reconnect.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    validationRules: limitRules(),
    parseOptions,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(log, deps.config.NODE_ENV === "development"),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      // Not used here, and they wrap every field resolver: the hub sends no cache hints and no traces.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      accessLogPlugin(log),
      ...(deps.metrics ? [deps.metrics.plugin()] : []),
      ...(deps.tracing ? [deps.tracing.plugin()] : []),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    if (deps.draining) return void res.status(503).json({ status: "draining" });
    try {
      await deps.ds.query("SELECT 1");
      res.json({ status: "ready", database: "ok" });
    } catch {
      res.status(503).json({ status: "not ready", database: "unreachable" });
    }
  });

  app.get("/metrics", async (_req, res) => {
    if (!deps.metrics) return void res.status(404).end();
    res.set("content-type", deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  // the privacy officer's printable overview and right-of-access export (modules/privacy)
  const privacy = privacyRoutes(deps, verify, log);
  app.get("/privacy/overview/:memberId.html", privacy.overview);
  app.get("/privacy/export/:memberId.json", privacy.exportJson);
  mountPartnerBoard(app, deps);
  mountFhir(app, deps, apollo, verify);
  registerReportRoutes(app, deps, verify, log);

  app.use(
    "/graphql",
    express.json({ limit: "256kb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const viewer = await authenticate(deps.ds, verify, bearer(req.headers.authorization)).catch((err: unknown) => {
          // Apollo answers a context error with HTTP 500 unless told otherwise.
          const e = err as { extensions?: Record<string, unknown> };
          if (e.extensions?.code === "UNAUTHENTICATED") e.extensions.http = { status: 401 };
          throw err;
        });
        await deps.rateLimiter?.consume(viewer).catch((err: { extensions?: Record<string, unknown> }) => {
          if (err.extensions) err.extensions.http = { status: 429 };
          throw err;
        });
        const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : undefined);
        return new Ctx(deps, viewer, { requestId: header("x-request-id")?.slice(0, 64), purpose: header("x-purpose") });
      },
    }),
  );
  return { server, apollo };
}
