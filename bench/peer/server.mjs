// The peer: PostGraphile V5 (npm `postgraphile`, Amber preset) serving Q1 over the same tables,
// in its own process and with its own dependencies (bench/peer/package.json), so its graphql
// copy never meets the hub's.
//
// PostGraphile derives its API from a database schema; the hub's access rules for a school
// (involved cases, own pupils, agreements shared with / responsible / reported to it) are
// expressed as views in the schema `bench_peer` that read the viewer's organisation from a
// per-request setting (`bench.org`, from the x-bench-org header — PostGraphile's pgSettings,
// the way it does row-level security). Smart tags declare keys and relations for the views.
// Relations join on indexed columns (case_id, family_id), as the hub's loaders do.
// Not included (the peer's advantage): token verification, the access log, field-level policy.
import "./polyfill.mjs"; // first: before PostGraphile loads
import { createServer } from "node:http";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";

const ORG = "nullif(current_setting('bench.org', true), '')::uuid";
const VIEWS = `
DROP SCHEMA IF EXISTS bench_peer CASCADE;
CREATE SCHEMA bench_peer;
CREATE VIEW bench_peer.school_case AS
  SELECT c.id, c.family_id, c.created_at FROM public.case_file c
   WHERE EXISTS (SELECT 1 FROM public.involvement i WHERE i.case_id = c.id AND i.organisation_id = ${ORG} AND i.ended_at IS NULL)
      OR EXISTS (SELECT 1 FROM public.handover h WHERE h.case_id = c.id AND h.from_organisation_id = ${ORG});
COMMENT ON VIEW bench_peer.school_case IS E'@primaryKey id\\n@unique family_id\\n@name school_case';
CREATE VIEW bench_peer.pupil AS
  SELECT m.id, m.family_id, m.given_name, m.family_name, m.birth_date, m.created_at FROM public.family_member m
   WHERE m.kind = 'CHILD' AND m.school_id = ${ORG};
COMMENT ON VIEW bench_peer.pupil IS E'@primaryKey id\\n@foreignKey (family_id) references bench_peer.school_case (family_id)|@fieldName schoolCase|@foreignFieldName pupils';
CREATE VIEW bench_peer.safety_plan AS SELECT sp.id, sp.case_id FROM public.safety_plan sp;
COMMENT ON VIEW bench_peer.safety_plan IS E'@primaryKey id\\n@unique case_id\\n@foreignKey (case_id) references bench_peer.school_case (id)|@fieldName schoolCase|@foreignFieldName safetyPlan';
CREATE VIEW bench_peer.shared_agreement AS
  SELECT a.id, a.safety_plan_id, a.case_id, a.priority, a.what, a.criterion, a.status, to_char(a.due_on, 'YYYY-MM-DD') AS due_on, a.version, a.created_at
    FROM public.safety_agreement a
   WHERE a.responsible_organisation_id = ${ORG} OR a.report_to_organisation_id = ${ORG}
      OR EXISTS (SELECT 1 FROM public.safety_agreement_share s WHERE s.agreement_id = a.id AND s.organisation_id = ${ORG});
COMMENT ON VIEW bench_peer.shared_agreement IS E'@primaryKey id\\n@foreignKey (case_id) references bench_peer.safety_plan (case_id)|@fieldName safetyPlan|@foreignFieldName agreements';
CREATE VIEW bench_peer.case_regisseur AS
  SELECT r.case_id, p.name, p.phone FROM public.regie_assignment r JOIN public.professional p ON p.id = r.professional_id
   WHERE r.kind = 'CASE' AND r.ended_at IS NULL;
COMMENT ON VIEW bench_peer.case_regisseur IS E'@primaryKey case_id\\n@foreignKey (case_id) references bench_peer.school_case (id)|@fieldName schoolCase|@foreignFieldName regisseur';
`;

try {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
  pool.on("error", () => undefined);
  await pool.query(VIEWS);
  const preset = {
    extends: [PostGraphileAmberPreset],
    pgServices: [makePgService({ pool, schemas: ["bench_peer"] })],
    grafast: {
      explain: false,
      context(requestContext) {
        const req = requestContext.node?.req;
        const org = String(req?.headers["x-bench-org"] ?? "");
        return { pgSettings: { "bench.org": org } };
      },
    },
    grafserv: { graphqlPath: "/graphql", graphiql: false, watch: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  server.on("error", () => undefined);
  await serv.addTo(server);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  process.on("SIGTERM", () => {
    server.close();
    void pgl.release().finally(() => pool.end().finally(() => process.exit(0)));
  });
  process.on("disconnect", () => process.exit(0));
  process.on("message", (m) => {
    if (m?.type !== "call") return;
    const u = process.cpuUsage();
    process.send?.(m.cmd === "cpu" ? { type: "reply", id: m.id, micros: u.user + u.system } : { type: "reply", id: m.id, error: `unknown command ${m.cmd}` });
  });
  process.send?.({ type: "ready", port: server.address().port });
} catch (err) {
  process.send?.({ type: "fatal", message: err?.stack ?? String(err) });
  console.error(err);
  process.exit(1);
}
