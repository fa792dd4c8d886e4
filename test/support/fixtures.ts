import pg from "pg";
import { inject } from "vitest";
import { encryptRow, encryptValue, hasKeyRing, installKeyRing, loadKeyRing } from "../../server/crypto/field-crypto.js";

/**
 * Test set-up through SQL: a fresh family and open case that no other test touches, so test
 * files can run in parallel. Assertions always go through the GraphQL API.
 */
let pool: pg.Pool | undefined;
export function db(): pg.Pool {
  return (pool ??= new pg.Pool({ connectionString: inject("databaseUrl"), max: 3 }));
}

/**
 * The run's key ring (the development key in its data dir, as every test hub loads it), so
 * fixtures store encrypted columns the way the hub does. A hub already started in this process
 * keeps its own ring.
 */
export async function ensureKeyRing(): Promise<void> {
  if (!hasKeyRing()) installKeyRing(await loadKeyRing({ NODE_ENV: "test", dataDir: inject("dataDir") }));
}

/** Gives a member a BSN stored as the hub stores it: encrypted at rest, with its lookup hash. */
export async function setBsn(memberId: string, bsn: string, pool: pg.Pool = db()): Promise<void> {
  await ensureKeyRing();
  const row = encryptRow("family_member", { bsn });
  await pool.query("UPDATE family_member SET bsn = $2, bsn_hash = $3 WHERE id = $1", [memberId, row.bsn, row.bsn_hash]);
}

export async function orgId(name: string, pool: pg.Pool = db()): Promise<string> {
  const r = await pool.query<{ id: string }>("SELECT id FROM organisation WHERE name = $1", [name]);
  if (!r.rows[0]) throw new Error(`no organisation ${name}`);
  return r.rows[0].id;
}

export async function professionalId(email: string): Promise<string> {
  const r = await db().query<{ id: string }>("SELECT id FROM professional WHERE email = $1", [email]);
  if (!r.rows[0]) throw new Error(`no professional ${email}`);
  return r.rows[0].id;
}

export const ORGS = {
  gemeente: "Gemeente Waalbeek",
  vt: "Veilig Thuis Regio Waalbeek",
  swt: "Sociaal Wijkteam Waalbeek-Noord",
  regieteam: "Regieteam Waalbeek",
  vlinder: "Basisschool De Vlinder",
  anker: "Basisschool Het Anker",
  hap: "Huisartsenpraktijk Waalbeek-Noord",
  jgz: "JGZ Waalbeek",
  brug: "Jeugdhulp De Brug",
  ggz: "GGZ Oever",
} as const;
export type OrgKey = keyof typeof ORGS;

export interface FixtureCase {
  caseId: string;
  familyId: string;
  adultIds: string[];
  childIds: string[];
}

/**
 * A new family (two adults, children as asked, at `school`) with an open case. Involved by
 * default: VT (as handing-over organisation, with a handover row), the SWT, and `involve`.
 * Optionally makes `regisseur` the active casusregisseur.
 */
export async function createCase(opts: {
  involve?: OrgKey[];
  children?: { birthDate: string; school?: OrgKey }[];
  regisseur?: string;
  name?: string;
  /** another database than the run's (tests that run their own PostgreSQL) */
  pool?: pg.Pool;
} = {}): Promise<FixtureCase> {
  await ensureKeyRing();
  const c = await (opts.pool ?? db()).connect();
  try {
    await c.query("BEGIN");
    const name = opts.name ?? `Testgezin-${Math.random().toString(36).slice(2, 8)}`;
    const children = opts.children ?? [{ birthDate: "2016-03-04", school: "vlinder" }];
    const hap = await orgId(ORGS.hap, opts.pool);
    const fam = await c.query<{ id: string }>("INSERT INTO family (name, has_children) VALUES ($1, $2) RETURNING id", [name, children.length > 0]);
    const familyId = fam.rows[0].id;
    const adultIds: string[] = [];
    for (const given of ["Anna", "Bert"]) {
      const r = await c.query<{ id: string }>(
        "INSERT INTO family_member (family_id, kind, given_name, family_name, birth_date, gp_id) VALUES ($1, 'ADULT', $2, $3, '1985-01-01', $4) RETURNING id",
        [familyId, given, name, hap],
      );
      adultIds.push(r.rows[0].id);
    }
    const childIds: string[] = [];
    for (const [i, ch] of children.entries()) {
      const r = await c.query<{ id: string }>(
        "INSERT INTO family_member (family_id, kind, given_name, family_name, birth_date, school_id, gp_id) VALUES ($1, 'CHILD', $2, $3, $4, $5, $6) RETURNING id",
        [familyId, `Kind${i + 1}`, name, ch.birthDate, ch.school ? await orgId(ORGS[ch.school], opts.pool) : null, hap],
      );
      childIds.push(r.rows[0].id);
    }
    const cs = await c.query<{ id: string }>("INSERT INTO case_file (family_id) VALUES ($1) RETURNING id", [familyId]);
    const caseId = cs.rows[0].id;
    const vt = await orgId(ORGS.vt, opts.pool);
    await c.query("INSERT INTO handover (case_id, from_organisation_id, outcome) VALUES ($1, $2, $3)", [
      caseId,
      vt,
      encryptValue("Onderzoek afgerond; zorgen bevestigd", "handover.outcome"),
    ]);
    const involve = new Set<OrgKey>(["vt", "swt", ...(opts.involve ?? [])]);
    for (const k of involve) {
      await c.query("INSERT INTO involvement (case_id, organisation_id, role) VALUES ($1, $2, $3)", [caseId, await orgId(ORGS[k], opts.pool), k]);
    }
    if (opts.regisseur) {
      const p = await c.query<{ id: string; organisation_id: string }>("SELECT id, organisation_id FROM professional WHERE email = $1", [opts.regisseur]);
      await c.query("INSERT INTO regie_assignment (case_id, kind, professional_id, organisation_id) VALUES ($1, 'CASE', $2, $3)", [
        caseId,
        p.rows[0].id,
        p.rows[0].organisation_id,
      ]);
    }
    await c.query("COMMIT");
    return { caseId, familyId, adultIds, childIds };
  } catch (err) {
    await c.query("ROLLBACK");
    throw err;
  } finally {
    c.release();
  }
}

/**
 * Writes a change event the way services do (feed position from the locked head row) and wakes
 * listening instances. For delivery tests that need an event without going through a module.
 */
export async function emitEvent(e: { caseId: string; kind: string; entity: string; entityId: string; organisationIds?: string[] }): Promise<number> {
  const r = await db().query<{ id: string }>(
    `WITH head AS (UPDATE feed_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id)
     INSERT INTO change_event (id, case_id, kind, entity, entity_id, organisation_ids)
     SELECT head.last_id, $1, $2, $3, $4, $5 FROM head RETURNING id`,
    [e.caseId, e.kind, e.entity, e.entityId, e.organisationIds ?? []],
  );
  await db().query("SELECT pg_notify('ketenhub_feed', $1)", [r.rows[0].id]);
  return Number(r.rows[0].id);
}
