import type { SelectQueryBuilder, ObjectLiteral } from "typeorm";
import type { Ctx } from "../context.js";
import { NotFoundError } from "../common/errors.js";
import { CaseEntity } from "../modules/cases/case.entity.js";

/**
 * Row access (DOMAIN.md §4): a viewer sees a case only while their organisation is involved in
 * it; Veilig Thuis also sees the cases it handed over. Any other case does not exist for them —
 * the same NOT_FOUND as a wrong id.
 */
export const VISIBLE_CASE_SQL = `(
  EXISTS (SELECT 1 FROM involvement vi WHERE vi.case_id = {case} AND vi.organisation_id = {org} AND vi.ended_at IS NULL)
  OR EXISTS (SELECT 1 FROM handover vh WHERE vh.case_id = {case} AND vh.from_organisation_id = {org})
)`;

/** Restricts a case query (alias of case_file) to the cases the viewer may see. */
export function whereCaseVisible<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, caseIdExpr: string, ctx: Ctx): SelectQueryBuilder<E> {
  return qb.andWhere(VISIBLE_CASE_SQL.replaceAll("{case}", caseIdExpr).replaceAll("{org}", ":viewerOrgId"), {
    viewerOrgId: ctx.viewer.organisationId,
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Batched per request: the visible case with this id, or undefined (malformed ids included). */
export function loadVisibleCase(ctx: Ctx, id: string): Promise<CaseEntity | undefined> {
  if (!UUID.test(id)) return Promise.resolve(undefined);
  return ctx.loaders
    .custom<string, CaseEntity | undefined>("visibleCase", async (ids) => {
      const qb = ctx.ds.getRepository(CaseEntity).createQueryBuilder("c").where("c.id IN (:...ids)", { ids: [...ids] });
      const rows = await whereCaseVisible(qb, "c.id", ctx).getMany();
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((i) => byId.get(i.toLowerCase()));
    })
    .load(id.toLowerCase());
}

/** The case if the viewer may see it; otherwise NOT_FOUND, indistinguishable from a wrong id. */
export async function requireVisibleCase(ctx: Ctx, id: string, field = "caseId"): Promise<CaseEntity> {
  const c = await loadVisibleCase(ctx, id);
  if (!c) throw new NotFoundError("Case", field);
  return c;
}
