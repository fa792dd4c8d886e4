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
}

/**
 * Writes change events in the caller's transaction (DESIGN.md practice 7): the event exists
 * if and only if the change committed. Delivery happens after commit (realtime/bus).
 */
export async function writeChanges(em: EntityManager, actorId: string | null, changes: ChangeInput[]): Promise<void> {
  if (changes.length === 0) return;
  const values: unknown[] = [];
  const rows = changes.map((c, i) => {
    const b = i * 6;
    values.push(c.caseId, c.kind, c.entity, c.entityId, c.organisationIds ?? [], actorId);
    return `($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}::uuid, $${b + 5}::uuid[], $${b + 6}::uuid)`;
  });
  await em.query(
    `INSERT INTO change_event (case_id, kind, entity, entity_id, organisation_ids, actor_id) VALUES ${rows.join(", ")}`,
    values,
  );
}
