import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase, VISIBLE_CASE_SQL } from "../../access/rows.js";
import { BadInputError, ConflictError, NotFoundError, staleVersion } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import { CaseEntity, InvolvementEntity } from "../cases/case.entity.js";
import { assertOpen } from "../cases/case.service.js";
import { today } from "../consent/dates.js";
import { FamilyEntity } from "../families/family.entity.js";
import { checkMember, insertMember, loadOrganisations } from "../families/family.service.js";
import { firstMonitoringDueOn } from "../monitoring/dates.js";
import { MonitoringContactEntity } from "../monitoring/monitoring.entity.js";
import { HandoverEntity } from "./handover.entity.js";
import type { HandOverCaseInput, UpdateHandoverInput } from "./handover.input.js";
import { UUID } from "../../common/ids.js";


export const VT_INVOLVEMENT_ROLE = "Veilig Thuis (overdracht)";
export const RECEIVING_TEAM_ROLE = "regie";

/** Dates of the handover content: received or held, so not in the future; a receipt date only with a received written handover. */
function checkHandoverDates(h: { writtenHandoverReceived: boolean; writtenHandoverReceivedOn: string | null; warmHandoverOn: string | null }): void {
  const now = today();
  if (h.writtenHandoverReceivedOn) {
    if (!h.writtenHandoverReceived) throw new BadInputError("writtenHandoverReceivedOn", "only when writtenHandoverReceived is true");
    if (h.writtenHandoverReceivedOn > now) throw new BadInputError("writtenHandoverReceivedOn", "must not be in the future");
  }
  if (h.warmHandoverOn && h.warmHandoverOn > now) throw new BadInputError("warmHandoverOn", "must not be in the future (record it once it took place)");
}

/**
 * Overdracht (DOMAIN.md §3 step 1–2): Veilig Thuis hands a family over to a Sociaal Wijkteam or
 * Regieteam. In one transaction: the family and its members (when new), the OPEN case, the
 * involvements (Veilig Thuis, the receiving team with regie, the extras; one per organisation),
 * the handover, and Veilig Thuis' first monitoring check (handover date + the organisation's
 * interval). A second open case for the family is a CONFLICT (uq_case_one_open_per_family, also
 * under concurrent handovers). An existing family must be known to the viewer through a case it
 * can see (handed over or involved); otherwise NOT_FOUND, like a wrong id.
 */
export async function handOverCase(ctx: Ctx, input: HandOverCaseInput): Promise<CaseEntity> {
  assertCanWrite(ctx, CATEGORIES.HANDOVER); // no case exists yet: decided by role
  if (!!input.familyId === !!input.family) throw new BadInputError("familyId", "give either familyId (an existing family) or family (a new one)");
  const handover = {
    writtenHandoverReceived: input.writtenHandoverReceived ?? false,
    writtenHandoverReceivedOn: input.writtenHandoverReceivedOn ?? null,
    warmHandoverOn: input.warmHandoverOn ?? null,
  };
  checkHandoverDates(handover);
  const fam = input.family;
  if (fam && !fam.hasChildren && fam.members.some((m) => m.kind === "CHILD")) {
    throw new BadInputError("family.hasChildren", "must be true for a household with a child");
  }
  const vtOrgId = ctx.viewer.organisationId;
  const toOrgId = input.toOrganisationId.toLowerCase();
  const involve = input.involve ?? [];

  return ctx.tx(async (tx) => {
    const em = tx.em;
    const who = tx.viewer.professionalId;
    const orgs = await loadOrganisations(em, [
      vtOrgId,
      toOrgId,
      ...involve.map((i) => i.organisationId),
      ...(fam?.members ?? []).flatMap((m) => [m.schoolId, m.gpId]),
    ]);
    const toKind = orgs.get(toOrgId)?.kind;
    if (toKind !== "SOCIAL_TEAM" && toKind !== "REGIETEAM") {
      throw new BadInputError("toOrganisationId", "must be an organisation of kind SOCIAL_TEAM or REGIETEAM");
    }

    let familyId: string;
    if (input.familyId) {
      familyId = input.familyId.toLowerCase();
      const known = (await em.query(
        `SELECT c.status FROM case_file c WHERE c.family_id = $1 AND ${VISIBLE_CASE_SQL.replaceAll("{case}", "c.id").replaceAll("{org}", "$2")}`,
        [familyId, vtOrgId],
      )) as { status: string }[];
      if (known.length === 0) throw new NotFoundError("Family", "familyId");
      // also held by uq_case_one_open_per_family when two handovers race
      if (known.some((k) => k.status === "OPEN")) throw new ConflictError("this family already has an open case", { field: "familyId" });
    } else {
      const f = fam!;
      const family = await em.getRepository(FamilyEntity).save(
        em.getRepository(FamilyEntity).create({ name: f.name, hasChildren: f.hasChildren, createdBy: who, updatedBy: who }),
      );
      familyId = family.id;
      for (const [i, m] of f.members.entries()) {
        checkMember(m, `family.members.${i}`, orgs);
        await insertMember(tx, familyId, m);
      }
    }

    const cases = em.getRepository(CaseEntity);
    const c = await cases.save(cases.create({ familyId, status: "OPEN", createdBy: who, updatedBy: who }));

    const wanted = new Map<string, string>([
      [vtOrgId, VT_INVOLVEMENT_ROLE],
      [toOrgId, RECEIVING_TEAM_ROLE],
    ]);
    for (const [i, x] of involve.entries()) {
      const id = x.organisationId.toLowerCase();
      if (!orgs.has(id)) throw new BadInputError(`involve.${i}.organisationId`, "no such organisation");
      if (!wanted.has(id)) wanted.set(id, x.role);
    }
    const involvements = em.getRepository(InvolvementEntity);
    const saved = await involvements.save(
      [...wanted].map(([organisationId, role]) => involvements.create({ caseId: c.id, organisationId, role, createdBy: who })),
    );

    const handovers = em.getRepository(HandoverEntity);
    const h = await handovers.save(
      handovers.create({
        caseId: c.id,
        fromOrganisationId: vtOrgId,
        outcome: input.outcome,
        helpAlreadyInvolved: input.helpAlreadyInvolved ?? null,
        safetyConditions: input.safetyConditions ?? [],
        ...handover,
        closingLetterRecipients: input.closingLetterRecipients ?? [],
        createdBy: who,
        updatedBy: who,
      }),
    );

    const contacts = em.getRepository(MonitoringContactEntity);
    const check = await contacts.save(
      contacts.create({
        caseId: c.id,
        dueOn: firstMonitoringDueOn(today(), orgs.get(vtOrgId)?.monitoringIntervalMonths),
        createdBy: who,
        updatedBy: who,
      }),
    );

    const all = [...wanted.keys()];
    tx.emit({ kind: "CASE_OPENED", entity: "Case", entityId: c.id, caseId: c.id, organisationIds: all });
    tx.emit({ kind: "HANDOVER_CREATED", entity: "Handover", entityId: h.id, caseId: c.id, organisationIds: [vtOrgId, toOrgId] });
    for (const i of saved) tx.emit({ kind: "INVOLVEMENT_STARTED", entity: "Involvement", entityId: i.id, caseId: c.id, organisationIds: [i.organisationId] });
    tx.emit({ kind: "MONITORING_SCHEDULED", entity: "MonitoringContact", entityId: check.id, caseId: c.id, organisationIds: [vtOrgId] });

    // the case did not exist when access was decided: log the write against it now
    ctx.access.recordWriteFor(c.id, familyId, CATEGORIES.HANDOVER);
    ctx.access.recordWriteFor(c.id, familyId, CATEGORIES.MONITORING);
    if (fam) {
      ctx.access.recordWriteFor(c.id, familyId, CATEGORIES.IDENTITY);
      if (fam.members.some((m) => m.bsn)) ctx.access.recordWriteFor(c.id, familyId, CATEGORIES.BSN);
    }
    return cases.findOneByOrFail({ id: c.id });
  });
}

/** Changes the handover (VEILIG_THUIS), e.g. that the warm handover took place. Versioned. */
export async function updateHandover(ctx: Ctx, input: UpdateHandoverInput): Promise<HandoverEntity> {
  const item = UUID.test(input.id) ? await ctx.ds.getRepository(HandoverEntity).findOneBy({ id: input.id.toLowerCase() }) : null;
  if (!item) throw new NotFoundError("Handover", "id");
  const c = await requireVisibleCase(ctx, item.caseId, "id", "Handover");
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.HANDOVER);
  if (item.version !== input.version) throw staleVersion("Handover");

  const patch: Partial<HandoverEntity> = {};
  for (const name of ["outcome", "safetyConditions", "writtenHandoverReceived", "closingLetterRecipients"] as const) {
    if (input[name] === null) throw new BadInputError(name, "must not be null");
  }
  if (input.outcome != null) patch.outcome = input.outcome;
  if (input.safetyConditions != null) patch.safetyConditions = input.safetyConditions;
  if (input.writtenHandoverReceived != null) patch.writtenHandoverReceived = input.writtenHandoverReceived;
  if (input.closingLetterRecipients != null) patch.closingLetterRecipients = input.closingLetterRecipients;
  if (input.helpAlreadyInvolved !== undefined) patch.helpAlreadyInvolved = input.helpAlreadyInvolved;
  if (input.writtenHandoverReceivedOn !== undefined) patch.writtenHandoverReceivedOn = input.writtenHandoverReceivedOn;
  if (input.warmHandoverOn !== undefined) patch.warmHandoverOn = input.warmHandoverOn;
  checkHandoverDates({ ...item, ...patch });

  return ctx.tx(async (tx) => {
    const updated = await tx.updateVersioned(HandoverEntity, "Handover", item.id, input.version, patch);
    tx.emit({ kind: "HANDOVER_UPDATED", entity: "Handover", entityId: item.id, caseId: item.caseId, organisationIds: [item.fromOrganisationId] });
    return updated;
  });
}
