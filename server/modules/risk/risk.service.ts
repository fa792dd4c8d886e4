import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import { assertOpen } from "../cases/case.service.js";
import { today } from "../consent/dates.js";
import { RiskAssessmentEntity } from "./risk.entity.js";
import type { RecordRiskAssessmentInput } from "./risk.input.js";

/**
 * Risicotaxatie (DOMAIN.md §3 step 6): REGISSEUR or BEHAVIOURAL_SCIENTIST. Assessments are
 * immutable records: reassessing adds one. The assessor (default the viewer) must be an active
 * professional of an organisation actively involved in the case.
 */
export async function recordRiskAssessment(ctx: Ctx, input: RecordRiskAssessmentInput): Promise<RiskAssessmentEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.RISK);
  if (input.instrument === "OTHER" && !input.instrumentOther) throw new BadInputError("instrumentOther", "is required when instrument is OTHER");
  if (input.instrument !== "OTHER" && input.instrumentOther) throw new BadInputError("instrumentOther", "only when instrument is OTHER");
  if (input.assessedOn > today()) throw new BadInputError("assessedOn", "must not be in the future");
  const assessorId = input.assessorId ? input.assessorId.toLowerCase() : ctx.viewer.professionalId;

  return ctx.tx(async (tx) => {
    const ok = (await tx.em.query(
      `SELECT 1 FROM professional p
        JOIN involvement i ON i.organisation_id = p.organisation_id AND i.case_id = $2 AND i.ended_at IS NULL
       WHERE p.id = $1 AND p.active`,
      [assessorId, c.id],
    )) as unknown[];
    if (ok.length === 0) throw new BadInputError("assessorId", "must be a professional of an organisation actively involved in the case");
    const repo = tx.em.getRepository(RiskAssessmentEntity);
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        instrument: input.instrument,
        instrumentOther: input.instrument === "OTHER" ? input.instrumentOther! : null,
        assessedOn: input.assessedOn,
        level: input.level,
        conclusion: input.conclusion,
        assessorId,
        createdBy: tx.viewer.professionalId,
      }),
    );
    tx.emit({ kind: "RISK_ASSESSED", entity: "RiskAssessment", entityId: saved.id, caseId: c.id, organisationIds: [] });
    return repo.findOneByOrFail({ id: saved.id });
  });
}
