import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import type { Tx } from "../../db/tx.js";
import { CaseEntity } from "../cases/case.entity.js";
import { assertOpen } from "../cases/case.service.js";
import { today } from "../consent/dates.js";
import { EvaluationEntity, EvaluationGoalEntity } from "./evaluation.entity.js";
import type { CloseCaseInput, RecordEvaluationInput } from "./evaluation.input.js";

const lower = (id: string) => id.toLowerCase();

/** Risk assessments of this case among `ids` (id → assessed_on). */
async function riskAssessmentsOf(tx: Tx, caseId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = (await tx.em.query("SELECT id, assessed_on::text AS assessed_on FROM risk_assessment WHERE case_id = $1 AND id = ANY($2::uuid[])", [
    caseId,
    ids,
  ])) as { id: string; assessed_on: string }[];
  return new Map(rows.map((r) => [r.id, r.assessed_on]));
}

/**
 * Records an evaluation and its goal results in one transaction. References are checked against
 * the case: participants involved now or before, goals of this case, risk assessments of this
 * case (and "now" not older than "at start").
 */
export async function recordEvaluation(ctx: Ctx, input: RecordEvaluationInput): Promise<EvaluationEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.EVALUATION);
  if (input.evaluatedOn > today()) throw new BadInputError("evaluatedOn", "must not be in the future");
  const participants = [...new Set(input.participantOrganisationIds.map(lower))];
  const goalIds = input.goalResults.map((g) => lower(g.goalId));
  const dup = goalIds.findIndex((id, i) => goalIds.indexOf(id) !== i);
  if (dup >= 0) throw new BadInputError(`goalResults.${dup}.goalId`, "lists a goal that is already listed");
  const riskAtStartId = input.riskAtStartId ? lower(input.riskAtStartId) : null;
  const riskNowId = input.riskNowId ? lower(input.riskNowId) : null;

  return ctx.tx(async (tx) => {
    if (participants.length > 0) {
      const rows = (await tx.em.query("SELECT DISTINCT organisation_id FROM involvement WHERE case_id = $1 AND organisation_id = ANY($2::uuid[])", [
        c.id,
        participants,
      ])) as { organisation_id: string }[];
      const known = new Set(rows.map((r) => r.organisation_id));
      const bad = participants.findIndex((id) => !known.has(id));
      if (bad >= 0) throw new BadInputError("participantOrganisationIds", "every participant must be (or have been) involved in this case");
    }
    if (goalIds.length > 0) {
      const rows = (await tx.em.query("SELECT id FROM goal WHERE case_id = $1 AND id = ANY($2::uuid[])", [c.id, goalIds])) as { id: string }[];
      const known = new Set(rows.map((r) => r.id));
      const bad = goalIds.findIndex((id) => !known.has(id));
      if (bad >= 0) throw new BadInputError(`goalResults.${bad}.goalId`, "is not a goal of this case");
    }
    const risks = await riskAssessmentsOf(tx, c.id, [riskAtStartId, riskNowId].filter((x): x is string => x !== null));
    if (riskAtStartId && !risks.has(riskAtStartId)) throw new BadInputError("riskAtStartId", "is not a risk assessment of this case");
    if (riskNowId && !risks.has(riskNowId)) throw new BadInputError("riskNowId", "is not a risk assessment of this case");
    if (riskAtStartId && riskNowId && risks.get(riskNowId)! < risks.get(riskAtStartId)!) {
      throw new BadInputError("riskNowId", "must not be older than the risk assessment at the start");
    }

    const repo = tx.em.getRepository(EvaluationEntity);
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        evaluatedOn: input.evaluatedOn,
        withFamily: input.withFamily,
        participantOrganisationIds: participants,
        goalsSummary: input.goalsSummary ?? null,
        riskAtStartId,
        riskNowId,
        clientExperience: input.clientExperience ?? null,
        outcome: input.outcome,
        createdBy: tx.viewer.professionalId,
      }),
    );
    if (input.goalResults.length > 0) {
      await tx.em.getRepository(EvaluationGoalEntity).insert(
        input.goalResults.map((g, i) => ({ evaluationId: saved.id, goalId: goalIds[i], caseId: c.id, result: g.result })),
      );
    }
    tx.emit({ kind: "EVALUATION_RECORDED", entity: "Evaluation", entityId: saved.id, caseId: c.id, organisationIds: participants });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/**
 * Closes a case in one UPDATE (status and closed_at together: ck_case_closed), versioned; ends
 * every active regie assignment; involvements stay as they are (history, and so the involved
 * organisations keep seeing the closed case). GOALS_MET needs an evaluation on the case.
 */
export async function closeCase(ctx: Ctx, input: CloseCaseInput): Promise<CaseEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.CASE);
  return ctx.tx(async (tx) => {
    if (input.reason === "GOALS_MET") {
      const rows = (await tx.em.query("SELECT 1 FROM evaluation WHERE case_id = $1 LIMIT 1", [c.id])) as unknown[];
      if (rows.length === 0) throw new BadInputError("reason", "GOALS_MET requires an evaluation of the case; record one first");
    }
    const closed = await tx.updateVersioned(CaseEntity, "Case", c.id, input.version, {
      status: "CLOSED",
      closedAt: (() => "now()") as never,
      closeReason: input.reason,
      closeNote: input.note ?? null,
    });
    await tx.em.query("UPDATE regie_assignment SET ended_at = now(), ended_by = $2 WHERE case_id = $1 AND ended_at IS NULL", [c.id, tx.viewer.professionalId]);
    const involved = (await tx.em.query("SELECT DISTINCT organisation_id FROM involvement WHERE case_id = $1 AND ended_at IS NULL", [c.id])) as {
      organisation_id: string;
    }[];
    tx.emit({ kind: "CASE_CLOSED", entity: "Case", entityId: c.id, caseId: c.id, organisationIds: involved.map((r) => r.organisation_id) });
    return closed;
  });
}
