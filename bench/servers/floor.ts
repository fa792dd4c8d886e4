/**
 * The floors, in their own process: what the same answers cost with nothing but Node's `http`,
 * raw `pg` and raw `ws`.
 * - POST /q1  one hand-written SQL query for the school portal + the same access-log insert + JSON.stringify
 * - POST /w1  the agreement change: the same UPDATE (version checked) and INSERTs (outbox event,
 *             access log) in one transaction
 * - POST /s1  /w1, then the change sent to the sockets of the case's organisations (raw `ws`)
 * - WS   /ws  subscribers say {"org": "<uuid>"} once, then only receive
 * The viewer is named by the `x-bench-user` header (a floor verifies no token).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { WebSocketServer, type WebSocket } from "ws";
import { fatal, serve } from "../lib/proc.js";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10), application_name: "bench-floor" });
pool.on("error", () => undefined);

interface ViewerRow {
  v_id: string;
  v_email: string;
  v_role: string;
  v_org: string;
}

const Q1_SQL = `
WITH v AS (SELECT p.id AS v_id, p.email AS v_email, p.role AS v_role, p.organisation_id AS v_org FROM professional p WHERE p.email = $1 AND p.active),
cs AS (
  -- candidates from the organisation's own involvements and handovers (indexed), not a scan of
  -- every case checked one by one: 41 → 16 ms on the full tier
  SELECT c.id, c.family_id, c.created_at, v.* FROM v, case_file c
   WHERE c.id IN (SELECT i.case_id FROM involvement i WHERE i.organisation_id = v.v_org AND i.ended_at IS NULL
                  UNION SELECT h.case_id FROM handover h WHERE h.from_organisation_id = v.v_org)
   ORDER BY c.created_at, c.id LIMIT $2)
SELECT cs.id, cs.family_id, cs.v_id, cs.v_email, cs.v_role, cs.v_org,
  (SELECT coalesce(json_agg(json_build_object('id', m.id, 'givenName', m.given_name, 'familyName', m.family_name) ORDER BY m.birth_date, m.created_at, m.id), '[]')
     FROM family_member m WHERE m.family_id = cs.family_id AND m.kind = 'CHILD' AND m.school_id = cs.v_org) AS members,
  (SELECT sp.id FROM safety_plan sp WHERE sp.case_id = cs.id) AS plan_id,
  (SELECT coalesce(json_agg(json_build_object('id', a.id, 'priority', a.priority, 'what', a.what, 'criterion', a.criterion, 'status', a.status,
                                               'dueOn', to_char(a.due_on, 'YYYY-MM-DD'), 'version', a.version) ORDER BY a.priority, a.created_at, a.id), '[]')
     FROM safety_agreement a
    WHERE a.case_id = cs.id
      AND (a.responsible_organisation_id = cs.v_org OR a.report_to_organisation_id = cs.v_org
           OR EXISTS (SELECT 1 FROM safety_agreement_share s WHERE s.agreement_id = a.id AND s.organisation_id = cs.v_org))) AS agreements,
  (SELECT json_build_object('professional', json_build_object('name', p.name, 'phone', p.phone))
     FROM regie_assignment r JOIN professional p ON p.id = r.professional_id
    WHERE r.case_id = cs.id AND r.kind = 'CASE' AND r.ended_at IS NULL) AS regisseur
FROM cs ORDER BY cs.created_at, cs.id`;

const LOG_SQL = `INSERT INTO access_log (professional_id, email, organisation_id, role, case_id, family_id, categories, action, operation, purpose, request_id)
SELECT $1::uuid, $2, $3::uuid, $4, u.c, u.f, $5::text[], $6, $7, $8, $9 FROM unnest($10::uuid[], $11::uuid[]) AS u(c, f)`;

const PURPOSE: Record<string, string> = { SCHOOL: "veiligheid en ondersteuning van de leerling", REGISSEUR: "casusregie: uitvoering van het gezamenlijke plan" };
let requestNo = 0;

async function q1(user: string, first: number): Promise<string> {
  const c = await pool.connect();
  try {
    const rows = (await c.query(Q1_SQL, [user, first])).rows as (ViewerRow & Record<string, unknown>)[];
    const edges = rows.map((r) => ({
      node: {
        id: r.id,
        family: { members: r.members },
        safetyPlan: r.plan_id ? { agreements: r.agreements } : null,
        regisseur: r.regisseur,
      },
    }));
    if (rows.length > 0) {
      const v = rows[0];
      await c.query(LOG_SQL, [
        v.v_id, v.v_email, v.v_org, v.v_role, ["case", "identity", "safety"], "READ", "query SchoolPortal {cases}", PURPOSE[v.v_role] ?? "bench",
        `floor-${++requestNo}`, rows.map((r) => r.id), rows.map((r) => r.family_id),
      ]);
    }
    return JSON.stringify({ data: { cases: { edges } } });
  } finally {
    c.release();
  }
}

interface Change {
  id: string;
  caseId: string;
  version: number;
  what: string;
  status: string;
  changeId: string;
  organisations: string[];
}

async function w1(user: string, id: string, version: number, what: string, withOrganisations: boolean): Promise<Change | undefined> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const up = (
      await c.query(
        `UPDATE safety_agreement a SET what = $3, version = a.version + 1, updated_at = now(), updated_by = p.id
           FROM professional p WHERE a.id = $1 AND a.version = $2 AND p.email = $4
         RETURNING a.id, a.case_id, a.version, a.what, a.status, a.responsible_organisation_id, a.report_to_organisation_id,
                   p.id AS v_id, p.organisation_id AS v_org, p.role AS v_role, (SELECT family_id FROM case_file WHERE id = a.case_id) AS family_id`,
        [id, version, what, user],
      )
    ).rows[0] as Record<string, string> | undefined;
    if (!up) {
      await c.query("ROLLBACK");
      return undefined;
    }
    const ev = (
      await c.query(
        `WITH head AS (UPDATE bench_floor.feed_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id)
         INSERT INTO bench_floor.change_event (id, case_id, kind, entity, entity_id, organisation_ids, actor_id)
         SELECT head.last_id, $1, 'SAFETY_AGREEMENT_UPDATED', 'SafetyAgreement', $2, $3::uuid[], $4 FROM head RETURNING id`,
        [up.case_id, up.id, [up.responsible_organisation_id, up.report_to_organisation_id].filter(Boolean), up.v_id],
      )
    ).rows[0] as { id: string };
    await c.query(LOG_SQL, [
      up.v_id, user, up.v_org, up.v_role, ["safety"], "WRITE", "mutation ChangeAgreement {updateSafetyAgreement}", PURPOSE[up.v_role] ?? "bench",
      `floor-${++requestNo}`, [up.case_id], [up.family_id],
    ]);
    const organisations = withOrganisations
      ? ((await c.query("SELECT organisation_id FROM involvement WHERE case_id = $1 AND ended_at IS NULL", [up.case_id])).rows as { organisation_id: string }[]).map(
          (r) => r.organisation_id,
        )
      : [];
    await c.query("COMMIT");
    return { id: up.id, caseId: up.case_id, version: Number(up.version), what: up.what, status: up.status, changeId: ev.id, organisations };
  } catch (err) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

const sockets = new Map<string, Set<WebSocket>>();

function fanOut(ch: Change): number {
  const payload = JSON.stringify({
    id: "1",
    type: "next",
    payload: { data: { myChanges: { id: ch.changeId, kind: "SAFETY_AGREEMENT_UPDATED", entityId: ch.id, subject: { id: ch.id, what: ch.what, status: ch.status, version: ch.version } } } },
  });
  let n = 0;
  for (const org of ch.organisations) {
    for (const ws of sockets.get(org) ?? []) {
      ws.send(payload);
      n++;
    }
  }
  return n;
}

function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      try {
        resolve(chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const user = String(req.headers["x-bench-user"] ?? "");
  void (async () => {
    try {
      const b = await body(req);
      if (req.url === "/q1") return send(res, 200, await q1(user, Number(b.first ?? 50)));
      if (req.url === "/w1" || req.url === "/s1") {
        const ch = await w1(user, String(b.id), Number(b.version), String(b.what), req.url === "/s1");
        if (!ch) return send(res, 409, JSON.stringify({ errors: [{ message: "stale version", extensions: { code: "CONFLICT" } }] }));
        if (req.url === "/s1") fanOut(ch);
        return send(res, 200, JSON.stringify({ data: { updateSafetyAgreement: { id: ch.id, version: ch.version, what: ch.what, status: ch.status } } }));
      }
      send(res, 404, "{}");
    } catch (err) {
      send(res, 500, JSON.stringify({ errors: [{ message: (err as Error).message }] }));
    }
  })();
});

const wss = new WebSocketServer({ server, path: "/ws" });
wss.on("connection", (ws) => {
  let org: string | undefined;
  ws.once("message", (data) => {
    try {
      org = String((JSON.parse(String(data)) as { org: string }).org);
      let set = sockets.get(org);
      if (!set) sockets.set(org, (set = new Set()));
      set.add(ws);
      ws.send('{"type":"ack"}');
    } catch {
      ws.close();
    }
  });
  ws.on("close", () => {
    if (org) sockets.get(org)?.delete(ws);
  });
  ws.on("error", () => undefined);
});

// The floor's outbox: the same tables as the hub's (columns, indexes, foreign keys, a locked
// head row), in its own schema, so the hub never picks up (and delivers) the floor's events.
const OUTBOX = `
CREATE SCHEMA IF NOT EXISTS bench_floor;
CREATE TABLE IF NOT EXISTS bench_floor.feed_head (LIKE public.feed_head INCLUDING ALL);
INSERT INTO bench_floor.feed_head SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM bench_floor.feed_head);
CREATE TABLE IF NOT EXISTS bench_floor.change_event (LIKE public.change_event INCLUDING ALL,
  FOREIGN KEY (case_id) REFERENCES public.case_file(id), FOREIGN KEY (actor_id) REFERENCES public.professional(id));`;

try {
  await pool.query(OUTBOX);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  serve({
    cpu: () => {
      const u = process.cpuUsage();
      return { micros: u.user + u.system, system: u.system };
    },
    rss: () => {
      (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      return { rss: m.rss, heap: m.heapUsed };
    },
    subscriptions: () => ({ subscriptions: [...sockets.values()].reduce((n, s) => n + s.size, 0) }),
  });
  process.on("SIGTERM", () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
  process.send?.({ type: "ready", port: (server.address() as AddressInfo).port });
} catch (err) {
  fatal(err);
}
