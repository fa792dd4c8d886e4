import type { EntityManager } from "typeorm";

/** A change, as written to the outbox. Ids and kinds only: never personal data. */
export interface ChangeInput {
  /** e.g. "SAFETY_AGREEMENT_UPDATED" — see ChangeKind in realtime/change-kinds.ts */
  kind: string;
  /** GraphQL type name of the changed thing, e.g. "SafetyAgreement" */
  entity: string;
  entityId: string;
  caseId: string | null;
  /** Organisations this change concerns directly (shared with, invited, responsible, reporter). */
  organisationIds?: string[];
  /** feed position, set when written */
  id?: number;
  /**
   * Set by a single-statement write (db/tx.ts updateVersionedAlone): the event as stored and the
   * organisations that could see its case at commit — what the dispatcher's read of the outbox
   * would give, so this instance hands it out without reading it back.
   */
  stored?: { record: import("./feed.js").ChangeRecord; audience: string[] | null };
}

/**
 * Writes change events in the caller's transaction (DESIGN.md practice 7): the events exist if
 * and only if the change committed. Their ids come from feed_head, locked until commit, so ids
 * become visible in commit order (see migration 0001). Call once, at the end of the transaction:
 * the lock serialises only the last moment of concurrent writers. Returns the ids.
 */
export async function writeChanges(
  em: EntityManager,
  actorId: string | null,
  changes: ChangeInput[],
  /** another write (its SQL numbered from `$offset + 1`) sent in the same statement, as a CTE */
  alongside?: (offset: number) => { sql: string; params: unknown[] } | undefined,
): Promise<number[]> {
  if (changes.length === 0) return [];
  const values: unknown[] = [changes.length, actorId];
  const rows = changes.map((c, i) => {
    const b = 2 + i * 5;
    values.push(c.caseId, c.kind, c.entity, c.entityId, c.organisationIds ?? []);
    return `(${i + 1}, $${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}::uuid, $${b + 5}::uuid[])`;
  });
  const insertEvents = `INSERT INTO change_event (id, case_id, kind, entity, entity_id, organisation_ids, actor_id)
     SELECT head.base + v.n, v.case_id, v.kind, v.entity, v.entity_id, v.organisation_ids, $2::uuid
       FROM head, (VALUES ${rows.join(", ")}) AS v(n, case_id, kind, entity, entity_id, organisation_ids)
     RETURNING id`;
  const other = alongside?.(values.length);
  // With another write: one round trip. The events' CTE is read by the main query, so it runs
  // first (feed_head is locked before the other write's locks, as with two statements).
  const sql = other
    ? `WITH head AS (UPDATE feed_head SET last_id = last_id + $1 WHERE id = 1 RETURNING last_id - $1 AS base),
       ev AS (${insertEvents}),
       other AS (${other.sql})
     SELECT id FROM ev`
    : `WITH head AS (UPDATE feed_head SET last_id = last_id + $1 WHERE id = 1 RETURNING last_id - $1 AS base)
     ${insertEvents}`;
  const inserted = (await em.query(sql, other ? [...values, ...other.params] : values)) as { id: string }[];
  return inserted.map((r) => Number(r.id));
}
