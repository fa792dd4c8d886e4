import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError, ConflictError, NotFoundError } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import { OrganisationEntity } from "../directory/directory.entity.js";
import { InvolvementEntity } from "./case.entity.js";
import { assertOpen } from "./case.service.js";
import type { EndInvolvementInput, InvolveOrganisationInput } from "./involvement.input.js";
import { UUID } from "../../common/ids.js";


/** Involves an organisation (REGISSEUR); CONFLICT while it is already actively involved (uq_involvement_active). */
export async function involveOrganisation(ctx: Ctx, input: InvolveOrganisationInput): Promise<InvolvementEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.CASE);
  const organisationId = input.organisationId.toLowerCase();
  return ctx.tx(async (tx) => {
    if (!(await tx.em.getRepository(OrganisationEntity).existsBy({ id: organisationId }))) {
      throw new BadInputError("organisationId", "no such organisation");
    }
    const repo = tx.em.getRepository(InvolvementEntity);
    const saved = await repo.save(repo.create({ caseId: c.id, organisationId, role: input.role, createdBy: tx.viewer.professionalId }));
    tx.emit({ kind: "INVOLVEMENT_STARTED", entity: "Involvement", entityId: saved.id, caseId: c.id, organisationIds: [organisationId] });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/**
 * Ends an involvement (REGISSEUR): stamps ended_at/ended_by, keeps the row as history. CONFLICT
 * when it already ended, or while the organisation holds regie in the case (hand regie over first:
 * the case must never be directed by an organisation that no longer takes part in it).
 */
export async function endInvolvement(ctx: Ctx, input: EndInvolvementInput): Promise<InvolvementEntity> {
  const item = UUID.test(input.id) ? await ctx.ds.getRepository(InvolvementEntity).findOneBy({ id: input.id.toLowerCase() }) : null;
  if (!item) throw new NotFoundError("Involvement", "id");
  const c = await requireVisibleCase(ctx, item.caseId, "id", "Involvement");
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.CASE);
  return ctx.tx(async (tx) => {
    const regie = (await tx.em.query(
      "SELECT 1 FROM regie_assignment WHERE case_id = $1 AND organisation_id = $2 AND ended_at IS NULL",
      [item.caseId, item.organisationId],
    )) as unknown[];
    if (regie.length > 0) throw new ConflictError("this organisation holds regie in the case; hand regie over first", { field: "id" });
    const result = await tx.em
      .createQueryBuilder()
      .update(InvolvementEntity)
      .set({ endedAt: () => "now()", endedBy: tx.viewer.professionalId, endReason: input.reason })
      .where("id = :id AND ended_at IS NULL", { id: item.id })
      .execute();
    if (result.affected !== 1) throw new ConflictError("the involvement has already ended", { field: "id" });
    tx.emit({ kind: "INVOLVEMENT_ENDED", entity: "Involvement", entityId: item.id, caseId: item.caseId, organisationIds: [item.organisationId] });
    return tx.em.getRepository(InvolvementEntity).findOneByOrFail({ id: item.id });
  });
}
