import type { Express, Request, Response } from "express";
import { authenticate, bearer } from "../../auth/authenticate.js";
import type { TokenVerifier } from "../../auth/tokens.js";
import { mayViewIndicators } from "../../access/policy.js";
import { DomainError } from "../../common/errors.js";
import type { Logger } from "../../common/logger.js";
import type { AppDeps } from "../../context.js";
import { computeNetworkIndicators } from "./indicators.service.js";
import { networkCsv, networkHtml } from "./report.js";

const query = (req: Request, name: string) => (typeof req.query[name] === "string" ? (req.query[name] as string) : undefined);

/**
 * GET /reports/network.csv and /reports/network.html?from=YYYY-MM-DD&to=YYYY-MM-DD — the
 * anonymised network report (Bearer token; roles with the "network" indicator view: AUDITOR,
 * MANAGER). 401 without a valid token, 403 for other roles, 400 for a bad period.
 */
export function registerReportRoutes(app: Express, deps: AppDeps, verify: TokenVerifier, log: Logger): void {
  const handler = (format: "csv" | "html") => async (req: Request, res: Response) => {
    res.set("cache-control", "no-store");
    try {
      const viewer = await authenticate(deps.ds, verify, bearer(req.headers.authorization));
      await deps.rateLimiter?.consume(viewer);
      if (!mayViewIndicators(viewer.role, "network")) return void res.status(403).json({ error: "FORBIDDEN" });
      const n = await computeNetworkIndicators(deps.ds, deps.config, query(req, "from"), query(req, "to"));
      if (format === "csv") {
        res.set("content-type", "text/csv; charset=utf-8");
        res.set("content-disposition", `attachment; filename="netwerk-indicatoren-${n.from}-${n.to}.csv"`);
        res.send(networkCsv(n));
      } else {
        res.set("content-type", "text/html; charset=utf-8");
        res.set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
        res.send(networkHtml(n));
      }
    } catch (err) {
      if (err instanceof DomainError) {
        const code = String(err.extensions.code);
        const status = code === "UNAUTHENTICATED" ? 401 : code === "BAD_USER_INPUT" ? 400 : code === "RATE_LIMITED" ? 429 : code === "FORBIDDEN" ? 403 : 400;
        return void res.status(status).json({ error: code, ...(err.extensions.field ? { field: err.extensions.field } : {}) });
      }
      log.error({ err: err instanceof Error ? err.message : String(err) }, "network report failed");
      res.status(500).json({ error: "INTERNAL_SERVER_ERROR" });
    }
  };
  app.get("/reports/network.csv", handler("csv"));
  app.get("/reports/network.html", handler("html"));
}
