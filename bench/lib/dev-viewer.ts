import pg from "pg";
import { loadDevKeys, signDevToken } from "../../server/auth/tokens.js";
import { Q1 } from "./queries.js";

/**
 * The developer's loops' (dev-q1.ts, dev-instr.ts) Q1 request: the school with the most cases of
 * the kept database (its e-mail and organisation), a development token for it (keys of the hub's DATA_DIR `hubDir`), and the
 * body (DEVQ1_QUERY, DEVQ1_FIRST).
 */
export async function devQ1Request(url: string, hubDir: string): Promise<{ email: string; organisationId: string; token: string; body: string }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { email, organisation_id: organisationId } = (
      await db.query(
        `SELECT p.email, p.organisation_id, count(*) n FROM professional p JOIN involvement i ON i.organisation_id = p.organisation_id
          WHERE p.role = 'SCHOOL' AND p.email LIKE '%.1@bench.example' GROUP BY p.email, p.organisation_id ORDER BY n DESC, p.email LIMIT 1`,
      )
    ).rows[0] as { email: string; organisation_id: string };
    const token = await signDevToken(await loadDevKeys(hubDir), email, { ttl: "6h" });
    const body = JSON.stringify({ query: process.env.DEVQ1_QUERY ?? Q1, variables: { first: Number(process.env.DEVQ1_FIRST ?? 50) } });
    return { email, organisationId, token, body };
  } finally {
    await db.end();
  }
}
