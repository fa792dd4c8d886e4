import type { EntityTarget, SelectQueryBuilder, ObjectLiteral } from "typeorm";
import type { Ctx } from "../context.js";
import { NotFoundError } from "../common/errors.js";
import type { CaseEntity } from "../modules/cases/case.entity.js";

/**
 * Row access (DOMAIN.md §4): a viewer sees a case only while their organisation is involved in
 * it; Veilig Thuis also sees the cases it handed over; a professional with an open emergency access
 * sees that case until the access expires (read-only, its categories only: policy.ts EMERGENCY).
 * Any other case does not exist for them — the same NOT_FOUND as a wrong id.
 */
export const VISIBLE_CASE_SQL = `(
  EXISTS (SELECT 1 FROM involvement vi WHERE vi.case_id = {case} AND vi.organisation_id = {org} AND vi.ended_at IS NULL)
  OR EXISTS (SELECT 1 FROM handover vh WHERE vh.case_id = {case} AND vh.from_organisation_id = {org})
)`;

/** The professional {prof} holds an open, unexpired emergency access to case {case} (policy.ts EMERGENCY). */
export const EMERGENCY_CASE_SQL = `EXISTS (SELECT 1 FROM emergency_access ve WHERE ve.case_id = {case} AND ve.professional_id = {prof}
  AND ve.closed_at IS NULL AND ve.expires_at > now())`;

/** Restricts a case query (alias of case_file) to the cases the viewer may see (emergency access included). */
export function whereCaseVisible<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, caseIdExpr: string, ctx: Ctx): SelectQueryBuilder<E> {
  const visible = VISIBLE_CASE_SQL.replaceAll("{case}", caseIdExpr).replaceAll("{org}", ":viewerOrgId");
  const emergency = EMERGENCY_CASE_SQL.replaceAll("{case}", caseIdExpr).replaceAll("{prof}", ":viewerProfId");
  return qb.andWhere(`(${visible} OR ${emergency})`, {
    viewerOrgId: ctx.viewer.organisationId,
    viewerProfId: ctx.viewer.professionalId,
  });
}

/** Batched per request: the visible case with this id, or undefined (malformed ids included). */
export async function loadVisibleCase(ctx: Ctx, id: string): Promise<CaseEntity | undefined> {
  return (await ctx.access.load(id))?.entity;
}

/**
 * The case if the viewer may see it; otherwise NOT_FOUND, indistinguishable from a wrong id.
 * It becomes the request's current case: assertCanWrite decides for it. When the case was
 * reached through an item (`updateGoal(id)`), pass the item's type as `what`, so a hidden item
 * answers exactly like a wrong item id ("Goal not found", not "Case not found").
 */
export async function requireVisibleCase(ctx: Ctx, id: string, field = "caseId", what = "Case"): Promise<CaseEntity> {
  const found = await ctx.access.load(id);
  if (!found) throw new NotFoundError(what, field);
  ctx.access.currentCase = found.access;
  return found.entity;
}

/**
 * An item of a case-scoped table and its case, if the viewer may see the case (one statement);
 * otherwise NOT_FOUND on `field` for `what`, the same answer as a wrong item id. The case
 * becomes the request's current case, as with requireVisibleCase.
 */
export async function requireVisibleItem<E extends ObjectLiteral>(
  ctx: Ctx,
  entity: EntityTarget<E>,
  id: string,
  what: string,
  field = "id",
): Promise<{ item: E; case: CaseEntity }> {
  const found = await ctx.access.loadItem(entity, id);
  if (!found) throw new NotFoundError(what, field);
  ctx.access.currentCase = found.access;
  return { item: found.item, case: found.entity };
}
