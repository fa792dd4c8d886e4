import type { ApolloServer } from "@apollo/server";
import type { Express, Response } from "express";
import { authenticate, bearer } from "../auth/authenticate.js";
import type { TokenVerifier } from "../auth/tokens.js";
import { Ctx, type AppDeps } from "../context.js";
import { caseToBundle } from "./bundle.js";
import { FHIR_CASE_QUERY, type FhirCaseData } from "./query.js";

const FHIR_JSON = "application/fhir+json; charset=utf-8";

function outcome(res: Response, status: number, code: string, diagnostics: string): void {
  res.status(status).type(FHIR_JSON).json({ resourceType: "OperationOutcome", issue: [{ severity: "error", code, diagnostics }] });
}

/**
 * GET /fhir/Case/:id (Authorization: Bearer …) → a FHIR R4 Bundle of the case's plan for GP and
 * JGZ systems. The data is read by executing a GraphQL operation through Apollo with the
 * viewer's own context, so the export holds exactly what the viewer may read, and the read is
 * in the access log (action EXPORT). A case the viewer may not see is 404, like a wrong id.
 */
export function mountFhir(app: Express, deps: AppDeps, apollo: ApolloServer<Ctx>, verify: TokenVerifier): void {
  app.get("/fhir/Case/:id", async (req, res) => {
    let ctx: Ctx;
    try {
      const viewer = await authenticate(deps.ds, verify, bearer(req.headers.authorization));
      await deps.rateLimiter?.consume(viewer);
      const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : undefined);
      ctx = new Ctx(deps, viewer, { requestId: header("x-request-id")?.slice(0, 64), purpose: header("x-purpose") });
      ctx.auditAction = "EXPORT";
    } catch (err) {
      const code = (err as { extensions?: { code?: string } }).extensions?.code;
      if (code === "UNAUTHENTICATED") return void (res.set("www-authenticate", "Bearer"), outcome(res, 401, "login", "Authentication required"));
      if (code === "RATE_LIMITED" || code === "TOO_MANY_REQUESTS") return void outcome(res, 429, "throttled", "Too many requests");
      return void outcome(res, 500, "exception", "Internal server error");
    }
    const r = await apollo.executeOperation<{ case: FhirCaseData }>(
      { query: FHIR_CASE_QUERY, operationName: "FhirCaseExport", variables: { id: req.params.id } },
      { contextValue: ctx },
    );
    if (r.body.kind !== "single") return void outcome(res, 500, "exception", "Internal server error");
    const { data, errors } = r.body.singleResult;
    const top = errors?.find((e) => e.path?.length === 1 || !e.path);
    const code = top?.extensions?.code;
    if (!data?.case) {
      if (code === "NOT_FOUND" || code === "BAD_USER_INPUT") return void outcome(res, 404, "not-found", "Case not found");
      const correlationId = top?.extensions?.correlationId;
      return void outcome(res, 500, "exception", `Internal server error${typeof correlationId === "string" ? ` (correlation id ${correlationId})` : ""}`);
    }
    res.status(200).type(FHIR_JSON).set("cache-control", "no-store").json(caseToBundle(data.case));
  });
}
