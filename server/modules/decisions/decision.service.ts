import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import { assertOpen } from "../cases/case.service.js";
import { today } from "../consent/dates.js";
import { KeyDecisionEntity } from "./decision.entity.js";
import type { RecordKeyDecisionInput } from "./decision.input.js";

/**
 * Kernbeslissing (DOMAIN.md §3 step 10): REGISSEUR or BEHAVIOURAL_SCIENTIST (keyDecisions write).
 * An immutable record; the viewer is who decided. The behavioural scientist, when named, must be
 * an active professional with that role.
 */
export async function recordKeyDecision(ctx: Ctx, input: RecordKeyDecisionInput): Promise<KeyDecisionEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.KEY_DECISIONS);
  if (input.decidedOn > today()) throw new BadInputError("decidedOn", "must not be in the future");
  const scientistId = input.behaviouralScientistId ? input.behaviouralScientistId.toLowerCase() : null;

  return ctx.tx(async (tx) => {
    if (scientistId) {
      const ok = (await tx.em.query("SELECT 1 FROM professional WHERE id = $1 AND active AND role = 'BEHAVIOURAL_SCIENTIST'", [scientistId])) as unknown[];
      if (ok.length === 0) throw new BadInputError("behaviouralScientistId", "must be an active professional with role BEHAVIOURAL_SCIENTIST");
    }
    const repo = tx.em.getRepository(KeyDecisionEntity);
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        decision: input.decision,
        decidedOn: input.decidedOn,
        decidedBy: tx.viewer.professionalId,
        consulted: input.consulted,
        behaviouralScientistId: scientistId,
        informationBasis: input.informationBasis,
        createdBy: tx.viewer.professionalId,
      }),
    );
    tx.emit({ kind: "KEY_DECISION_RECORDED", entity: "KeyDecision", entityId: saved.id, caseId: c.id, organisationIds: [] });
    return repo.findOneByOrFail({ id: saved.id });
  });
}
