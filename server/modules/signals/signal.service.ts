import type { EntityManager } from "typeorm";
import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError, ConflictError, NotFoundError } from "../../common/errors.js";
import { inCase } from "../../common/source.js";
import type { Ctx } from "../../context.js";
import { assertOpen } from "../cases/case.service.js";
import { today } from "../consent/dates.js";
import { FamilyMemberEntity } from "../families/family.entity.js";
import { SignalEntity } from "./signal.entity.js";
import type { AcknowledgeSignalInput, ReportSignalInput } from "./signal.input.js";
import { UUID, orgSet } from "../../common/ids.js";


/** Organisations holding active regie (casus- or procesregie) in the case. */
async function regieOrganisations(em: EntityManager, caseId: string): Promise<string[]> {
  const rows = (await em.query("SELECT DISTINCT organisation_id FROM regie_assignment WHERE case_id = $1 AND ended_at IS NULL", [caseId])) as {
    organisation_id: string;
  }[];
  return rows.map((r) => r.organisation_id);
}

/**
 * Signaal: a partner reports a new concern. Reporting is the partners' kind of signal write
 * (policy action "report"); the regisseur's is acknowledging, so a regisseur reporting is
 * FORBIDDEN. The member named must be of the case's family and one whose identity the reporter
 * may read (a school: its own pupil; JGZ: a child). Emits SIGNAL_RAISED to the reporter and the
 * regie organisation(s).
 */
export async function reportSignal(ctx: Ctx, input: ReportSignalInput): Promise<SignalEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.SIGNALS, { action: "report" });
  if (input.observedOn > today()) throw new BadInputError("observedOn", "must not be in the future");
  let memberId: string | null = null;
  if (input.memberId) {
    const m = await ctx.loaders.byId(FamilyMemberEntity).load(input.memberId.toLowerCase());
    // a member of another family, or one the reporter may not see, is not one it can name
    if (!m || m.familyId !== c.familyId || !ctx.access.canReadItem(CATEGORIES.IDENTITY, "FamilyMember", inCase(m, c.id))) {
      throw new BadInputError("memberId", "must be a member of the case's family whom your organisation may see");
    }
    memberId = m.id;
  }
  return ctx.tx(async (tx) => {
    const repo = tx.em.getRepository(SignalEntity);
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        reportingOrganisationId: tx.viewer.organisationId,
        reportedBy: tx.viewer.professionalId,
        memberId,
        observedOn: input.observedOn,
        urgency: input.urgency,
        description: input.description,
      }),
    );
    tx.emit({
      kind: "SIGNAL_RAISED",
      entity: "Signal",
      entityId: saved.id,
      caseId: c.id,
      organisationIds: orgSet(tx.viewer.organisationId, ...(await regieOrganisations(tx.em, c.id))),
    });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/**
 * The regisseur of the case's regie organisation acknowledges a signal (policy action
 * "acknowledge"). Once only: the UPDATE is guarded by `acknowledged_at IS NULL`, so of two
 * concurrent acknowledgements one wins and the other gets CONFLICT. Emits SIGNAL_ACKNOWLEDGED
 * to the reporting organisation.
 */
export async function acknowledgeSignal(ctx: Ctx, input: AcknowledgeSignalInput): Promise<SignalEntity> {
  const item = UUID.test(input.id) ? await ctx.ds.getRepository(SignalEntity).findOneBy({ id: input.id.toLowerCase() }) : null;
  if (!item) throw new NotFoundError("Signal", "id");
  const c = await requireVisibleCase(ctx, item.caseId, "id");
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.SIGNALS, { action: "acknowledge" });
  return ctx.tx(async (tx) => {
    const result = await tx.em
      .createQueryBuilder()
      .update(SignalEntity)
      .set({ acknowledgedAt: () => "now()", acknowledgedBy: tx.viewer.professionalId, acknowledgementNote: input.note ?? null })
      .where("id = :id AND acknowledged_at IS NULL", { id: item.id })
      .execute();
    if (result.affected !== 1) throw new ConflictError("the signal was already acknowledged", { field: "id" });
    tx.emit({ kind: "SIGNAL_ACKNOWLEDGED", entity: "Signal", entityId: item.id, caseId: item.caseId, organisationIds: [item.reportingOrganisationId] });
    return tx.em.getRepository(SignalEntity).findOneByOrFail({ id: item.id });
  });
}
