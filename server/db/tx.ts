import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { Viewer } from "../auth/viewer.js";
import { accessLogInsert, appendAccessLogEntries, type AccessLogItem } from "../audit/access-log.js";
import { rowReader } from "../common/loaders.js";
import { DomainError, NotFoundError, staleVersion } from "../common/errors.js";
import { writeChanges, type ChangeInput } from "../realtime/outbox.js";
import { translateDbError } from "./db-errors.js";

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** One unit of work: the entity manager of the transaction, who is writing, and its change events. */
export class Tx {
  private readonly changes: ChangeInput[] = [];
  constructor(
    readonly em: EntityManager,
    readonly viewer: Viewer,
  ) {}

  /** Record a change event; written to the outbox in this transaction before commit. */
  emit(change: ChangeInput): void {
    this.changes.push(change);
  }

  /**
   * @internal Writes the change events and the access-log entries of the write, in one statement
   * when there are both (the outbox INSERT with the log INSERT as a CTE).
   */
  async flush(log: AccessLogItem[] = []): Promise<ChangeInput[]> {
    const pending = this.changes.splice(0);
    if (pending.length === 0) {
      await appendAccessLogEntries(this.em, log);
      return [];
    }
    const ids = await writeChanges(this.em, this.viewer.professionalId, pending, (offset) => accessLogInsert(log, offset));
    return pending.map((c, i) => ({ ...c, id: ids[i] }));
  }

  /**
   * Optimistic concurrency (TypeORM's @VersionColumn does not guard UPDATE): updates the row only
   * when its version is still `expectedVersion`, bumps version, stamps updated_at/updated_by,
   * and returns the updated row (one statement: UPDATE … RETURNING).
   * Zero rows → NOT_FOUND when the row is gone, CONFLICT when someone else changed it.
   */
  async updateVersioned<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    what: string,
    id: string,
    expectedVersion: number,
    patch: Partial<E>,
  ): Promise<E> {
    return (await this.updateVersionedWith<E, null>(entity, what, id, expectedVersion, patch, "NULL")).row;
  }

  /**
   * updateVersioned, also returning `extra` (a scalar SQL expression over the updated row `t`,
   * evaluated in the same statement, after the row lock is taken).
   */
  async updateVersionedWith<E extends ObjectLiteral, X>(
    entity: EntityTarget<E>,
    what: string,
    id: string,
    expectedVersion: number,
    patch: Partial<E>,
    extra: string,
  ): Promise<{ row: E; extra: X }> {
    const meta = this.em.connection.getMetadata(entity);
    const driver = this.em.connection.driver;
    const r = rowReader(this.em.connection, entity);
    const params: unknown[] = [id, expectedVersion, this.viewer.professionalId];
    const sets: string[] = [];
    for (const [property, value] of Object.entries(patch as object)) {
      if (value === undefined) continue;
      const column = meta.findColumnWithPropertyName(property);
      if (!column) throw new Error(`updateVersioned: ${meta.name} has no column ${property}`);
      params.push(driver.preparePersistentValue(value, column));
      sets.push(`${q(column.databaseName)} = $${params.length}`);
    }
    sets.push(`version = t.version + 1`, `updated_at = now()`, `updated_by = $3`);
    // TypeORM answers an UPDATE with [rows, affected count]
    const [rows] = (await this.em.query(
      `UPDATE ${r.table} t SET ${sets.join(", ")} WHERE t.id = $1 AND t.version = $2 RETURNING ${r.json} AS row, ${extra} AS extra`,
      params,
    )) as [{ row: Record<string, unknown>; extra: X }[], number];
    if (rows.length !== 1) {
      const exists = await this.em.getRepository(entity).exists({ where: { id } as never });
      throw exists ? staleVersion(what) : new NotFoundError(what);
    }
    return { row: r.hydrate(rows[0].row), extra: rows[0].extra };
  }
}

/**
 * Hands committed change events to the realtime side (wakes this instance's dispatcher and the
 * others via the bus). `notifyChannel`: the PostgreSQL bus's channel — a single-statement write
 * (updateVersionedAlone) then sends the NOTIFY in its own statement, and passes `notified`, so
 * the bus does not publish again.
 */
export type AfterCommit = ((changes: ChangeInput[], opts?: { notified?: boolean }) => void) & {
  notifyChannel?: string;
  /** the message's source (realtime/bus.ts busMessage): this instance, which ignores its own */
  notifySource?: string;
};

/**
 * Runs `work` in one transaction (READ COMMITTED; invariants are held by constraints and row
 * locks), writes its change events to the outbox together with `accessLog()` (the access log of
 * the write, so it commits with it or not at all), and after commit hands the events to
 * `afterCommit` (the realtime bus). Database errors become domain errors (CONFLICT, BAD_USER_INPUT…).
 */
export async function inTransaction<T>(
  ds: DataSource,
  viewer: Viewer,
  work: (tx: Tx) => Promise<T>,
  afterCommit?: AfterCommit,
  accessLog?: () => AccessLogItem[],
): Promise<T> {
  let committed: ChangeInput[] = [];
  let result: T;
  try {
    result = await ds.transaction(async (em) => {
      const tx = new Tx(em, viewer);
      const r = await work(tx);
      committed = await tx.flush(accessLog?.() ?? []);
      return r;
    });
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw translateDbError(err) ?? err;
  }
  if (committed.length > 0) afterCommit?.(committed);
  return result;
}

/**
 * A versioned update of one row that needs nothing else in its transaction, as ONE autocommit
 * statement: the UPDATE (version checked, RETURNING the row and `extra`), its change event in
 * the outbox (feed id from feed_head, as writeChanges) and its access-log entries, each
 * conditional on the update having changed the row — no BEGIN/COMMIT round trips. The locks are
 * taken in the same order as in a transaction (the row, feed_head, the access-log head).
 * `change.organisationIdsSql` computes the event's organisations over the updated row `t`.
 * Zero rows → NOT_FOUND when the row is gone, CONFLICT when someone else changed it (nothing written).
 */
export async function updateVersionedAlone<E extends ObjectLiteral, X>(
  ds: DataSource,
  viewer: Viewer,
  u: {
    entity: EntityTarget<E>;
    what: string;
    id: string;
    expectedVersion: number;
    patch: Partial<E>;
    extra: string;
    change: Omit<ChangeInput, "organisationIds" | "id"> & { organisationIdsSql: string };
    /** further entries in the same INSERT, after the write's (e.g. the read of the response, known in advance) */
    alsoLog?: AccessLogItem[];
  },
  accessLog: AccessLogItem[],
  afterCommit?: AfterCommit,
): Promise<{ row: E; extra: X }> {
  const meta = ds.getMetadata(u.entity);
  const r = rowReader(ds, u.entity);
  const params: unknown[] = [u.id, u.expectedVersion, viewer.professionalId];
  const sets: string[] = [];
  for (const [property, value] of Object.entries(u.patch as object)) {
    if (value === undefined) continue;
    const column = meta.findColumnWithPropertyName(property);
    if (!column) throw new Error(`updateVersionedAlone: ${meta.name} has no column ${property}`);
    params.push(ds.driver.preparePersistentValue(value, column));
    sets.push(`${q(column.databaseName)} = $${params.length}`);
  }
  sets.push(`version = t.version + 1`, `updated_at = now()`, `updated_by = $3`);
  params.push(u.change.caseId, u.change.kind, u.change.entity, u.change.entityId);
  const c = params.length - 3;
  const log = accessLogInsert(u.alsoLog ? [...accessLog, ...u.alsoLog] : accessLog, params.length, "EXISTS (SELECT 1 FROM upd)");
  if (log) params.push(...log.params);
  // the bus notification in the same statement (delivered by PostgreSQL at its commit)
  const channel = afterCommit?.notifyChannel;
  if (channel) params.push(channel, afterCommit?.notifySource ? `/${afterCommit.notifySource}` : "");
  // the message as realtime/bus.ts busMessage writes it: "<id>/<source>"
  const notify = channel ? `, nt AS (SELECT pg_notify($${params.length - 1}, ev.id::text || $${params.length}) FROM ev)` : "";
  const sql = `WITH upd AS (
      UPDATE ${r.table} t SET ${sets.join(", ")} WHERE t.id = $1 AND t.version = $2
      RETURNING ${r.json} AS row, ${u.extra} AS extra, ${u.change.organisationIdsSql} AS orgs),
    head AS (UPDATE feed_head SET last_id = last_id + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM upd) RETURNING last_id),
    ev AS (INSERT INTO change_event (id, case_id, kind, entity, entity_id, organisation_ids, actor_id)
      SELECT head.last_id, $${c}::uuid, $${c + 1}, $${c + 2}, $${c + 3}::uuid, upd.orgs::uuid[], $3::uuid FROM head, upd
      RETURNING id, case_id, entity_id, occurred_at)
    ${log ? `, lg AS (${log.sql})` : ""}${notify}
    SELECT upd.row, upd.extra, upd.orgs::text[] AS orgs, ev.id AS event_id, ev.case_id AS event_case_id, ev.entity_id AS event_entity_id,
      ev.occurred_at AS event_occurred_at,
      -- the organisations that can see the case (the dispatcher's audience, realtime/dispatcher.ts);
      -- this write changes no access fact, so the snapshot before it gives the same answer
      CASE WHEN ev.case_id IS NULL THEN NULL ELSE
        ARRAY(SELECT i.organisation_id FROM involvement i WHERE i.case_id = ev.case_id AND i.ended_at IS NULL
              UNION SELECT h.from_organisation_id FROM handover h WHERE h.case_id = ev.case_id)::text[] END AS audience
      ${channel ? ", (SELECT count(*) FROM nt) AS notified" : ""} FROM upd LEFT JOIN ev ON true`;
  let rows: {
    row: Record<string, unknown>;
    extra: X;
    orgs: string[];
    event_id: string;
    event_case_id: string | null;
    event_entity_id: string;
    event_occurred_at: Date;
    audience: string[] | null;
  }[];
  try {
    rows = (await ds.query(sql, params)) as typeof rows;
  } catch (err) {
    throw translateDbError(err) ?? err;
  }
  if (rows.length !== 1) {
    const exists = await ds.getRepository(u.entity).exists({ where: { id: u.id } as never });
    throw exists ? staleVersion(u.what) : new NotFoundError(u.what);
  }
  const x = rows[0];
  const row = r.hydrate(x.row);
  const id = Number(x.event_id);
  const record = {
    id,
    caseId: x.event_case_id as string,
    kind: u.change.kind,
    entity: u.change.entity,
    entityId: x.event_entity_id,
    organisationIds: x.orgs,
    actorId: viewer.professionalId,
    occurredAt: x.event_occurred_at,
  };
  afterCommit?.([{ ...u.change, organisationIds: x.orgs, id, stored: { record, audience: x.audience } }], { notified: !!channel });
  return { row, extra: rows[0].extra };
}
