/**
 * Objects handed to GraphQL resolvers for case-scoped types carry the case they are seen
 * through (`caseId`), so the access policy can decide each field for that case. Entities with a
 * case_id column already have it; others (families, members) are wrapped with `inCase`.
 */
export type InCase<T> = T & { caseId: string };

export function inCase<T extends object>(entity: T, caseId: string): InCase<T> {
  const o = Object.assign(Object.create(Object.getPrototypeOf(entity) as object) as T, entity) as InCase<T>;
  o.caseId = caseId;
  return o;
}
