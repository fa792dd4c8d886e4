import type { EntityManager } from "typeorm";

/** A UUID in any case; ids are stored lower-case, so compare after `toLowerCase()`. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Distinct, sorted, without nulls: the organisations an event concerns. */
export function orgSet(...ids: (string | null | undefined)[]): string[] {
  return [...new Set(ids.filter((x): x is string => !!x))].sort();
}

/** Organisations actively involved in the case now, sorted. */
export async function involvedOrganisations(em: EntityManager, caseId: string): Promise<string[]> {
  const rows = (await em.query("SELECT organisation_id FROM involvement WHERE case_id = $1 AND ended_at IS NULL ORDER BY organisation_id", [caseId])) as {
    organisation_id: string;
  }[];
  return rows.map((r) => r.organisation_id);
}
