import type { EntityManager } from "typeorm";
import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import type { Role } from "../../auth/viewer.js";
import { BadInputError, ConflictError } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import type { Tx } from "../../db/tx.js";
import { assertOpen } from "../cases/case.service.js";
import { ProfessionalEntity } from "../directory/directory.entity.js";
import { RegieAssignmentEntity, type RegieKind } from "./regie.entity.js";
import type { AssignRegieInput, EndRegieInput } from "./regie.input.js";
import { involvedOrganisations } from "../../common/ids.js";

/** Roles that may hold regie of each kind. */
const ROLES_FOR: Record<RegieKind, ReadonlySet<Role>> = {
  CASE: new Set<Role>(["REGISSEUR"]),
  PROCESS: new Set<Role>(["REGISSEUR", "PROFESSIONAL"]),
};

const KIND_NAME: Record<RegieKind, string> = { CASE: "casusregie", PROCESS: "procesregie" };

async function activeAssignments(em: EntityManager, caseId: string): Promise<RegieAssignmentEntity[]> {
  return em.getRepository(RegieAssignmentEntity).createQueryBuilder("r").where("r.case_id = :caseId AND r.ended_at IS NULL", { caseId }).getMany();
}

/**
 * Serialises regie changes of one case: the case row is locked until commit (FOR NO KEY UPDATE,
 * so inserts that merely reference the case are not blocked), and the case must still be open —
 * closing a case ends its regie, so no assignment may slip in after a concurrent close.
 */
async function lockOpenCase(tx: Tx, caseId: string): Promise<void> {
  const [row] = (await tx.em.query("SELECT status FROM case_file WHERE id = $1 FOR NO KEY UPDATE", [caseId])) as { status: string }[];
  if (row?.status !== "OPEN") throw new ConflictError("the case is closed", { field: "caseId" });
}

/**
 * Assigns regie of a kind, or hands it over (REGISSEUR): in one transaction the active assignment
 * of that kind ends and the new one starts; history is kept. Two concurrent assignments never
 * leave two active: assigners of a case are serialised on the case row, and one that finds regie
 * changed since it started (or different from `expectedCurrentAssignmentId`) gets CONFLICT;
 * uq_regie_one_active holds the invariant regardless (its violation is a CONFLICT too).
 */
export async function assignRegie(ctx: Ctx, input: AssignRegieInput): Promise<RegieAssignmentEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.CASE);
  const kind = input.kind;
  const p = await ctx.loaders.byId(ProfessionalEntity).load(input.professionalId.toLowerCase());
  if (!p || !p.active) throw new BadInputError("professionalId", "no such (active) professional");
  if (!ROLES_FOR[kind].has(p.role)) {
    throw new BadInputError("professionalId", kind === "CASE" ? "a casusregisseur must have the role REGISSEUR" : "a procesregisseur must have the role REGISSEUR or PROFESSIONAL");
  }
  const expected = input.expectedCurrentAssignmentId ? input.expectedCurrentAssignmentId.toLowerCase() : undefined;
  // what this request replaces, as it was before queueing behind concurrent assigners
  const seen = (await activeAssignments(ctx.ds.manager, c.id)).find((a) => a.kind === kind)?.id ?? null;

  return ctx.tx(async (tx) => {
    await lockOpenCase(tx, c.id);
    const active = await activeAssignments(tx.em, c.id);
    const current = active.find((a) => a.kind === kind);
    if (expected !== undefined) {
      if (current?.id !== expected) throw new ConflictError(`${KIND_NAME[kind]} was handed over meanwhile; reload and try again`, { field: "expectedCurrentAssignmentId" });
    } else if ((current?.id ?? null) !== seen) {
      throw new ConflictError(`${KIND_NAME[kind]} was assigned concurrently; reload and try again`);
    }
    if (current?.professionalId === p.id) throw new ConflictError(`this professional already holds ${KIND_NAME[kind]} in this case`, { field: "professionalId" });
    if (active.some((a) => a.kind !== kind && a.professionalId === p.id)) {
      throw new BadInputError("professionalId", "already holds the other kind of regie in this case");
    }
    const involved = await involvedOrganisations(tx.em, c.id);
    if (!involved.includes(p.organisationId)) {
      throw new BadInputError("professionalId", "must be a professional of an organisation actively involved in the case");
    }

    const who = tx.viewer.professionalId;
    await tx.em.query("UPDATE regie_assignment SET ended_at = now(), ended_by = $3 WHERE case_id = $1 AND kind = $2 AND ended_at IS NULL", [c.id, kind, who]);
    const repo = tx.em.getRepository(RegieAssignmentEntity);
    const saved = await repo.save(
      repo.create({ caseId: c.id, kind, professionalId: p.id, organisationId: p.organisationId, reason: input.reason ?? null, createdBy: who }),
    );
    if (current) tx.emit({ kind: "REGIE_ENDED", entity: "RegieAssignment", entityId: current.id, caseId: c.id, organisationIds: involved });
    tx.emit({ kind: "REGIE_ASSIGNED", entity: "RegieAssignment", entityId: saved.id, caseId: c.id, organisationIds: involved });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/**
 * Ends procesregie without a successor (REGISSEUR). Casusregie is refused: once assigned, a case
 * always has a casusregisseur until it closes — hand it over instead. CONFLICT when there is no
 * active procesregie.
 */
export async function endRegie(ctx: Ctx, input: EndRegieInput): Promise<RegieAssignmentEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.CASE);
  if (input.kind === "CASE") throw new BadInputError("kind", "casusregie cannot end without a successor; hand it over with assignRegie");

  return ctx.tx(async (tx) => {
    await lockOpenCase(tx, c.id);
    const current = (await activeAssignments(tx.em, c.id)).find((a) => a.kind === input.kind);
    if (!current) throw new ConflictError(`there is no active ${KIND_NAME[input.kind]} in this case`, { field: "kind" });
    await tx.em.query("UPDATE regie_assignment SET ended_at = now(), ended_by = $2 WHERE id = $1", [current.id, tx.viewer.professionalId]);
    tx.emit({ kind: "REGIE_ENDED", entity: "RegieAssignment", entityId: current.id, caseId: c.id, organisationIds: await involvedOrganisations(tx.em, c.id) });
    return tx.em.getRepository(RegieAssignmentEntity).findOneByOrFail({ id: current.id });
  });
}
