import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError, ConflictError, NotFoundError, staleVersion } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import type { Tx } from "../../db/tx.js";
import { assertOpen } from "../cases/case.service.js";
import { today } from "../consent/dates.js";
import { MonitoringContactEntity } from "./monitoring.entity.js";
import type { RecordMonitoringContactInput, ScheduleMonitoringContactInput } from "./monitoring.input.js";
import { UUID } from "../../common/ids.js";


async function schedule(tx: Tx, caseId: string, dueOn: string): Promise<MonitoringContactEntity> {
  const repo = tx.em.getRepository(MonitoringContactEntity);
  const saved = await repo.save(repo.create({ caseId, dueOn, createdBy: tx.viewer.professionalId, updatedBy: tx.viewer.professionalId }));
  tx.emit({ kind: "MONITORING_SCHEDULED", entity: "MonitoringContact", entityId: saved.id, caseId, organisationIds: [tx.viewer.organisationId] });
  return saved;
}

/**
 * Records a held check (VEILIG_THUIS): once per contact (a second time is a CONFLICT), versioned.
 * With `nextCheckOn` the next check is scheduled in the same transaction — where safety does not
 * return, monitoring goes on check after check. A check that was due can still be recorded after
 * the local network closed the case; scheduling a next one needs an open case.
 */
export async function recordMonitoringContact(ctx: Ctx, input: RecordMonitoringContactInput): Promise<MonitoringContactEntity> {
  const item = UUID.test(input.id) ? await ctx.ds.getRepository(MonitoringContactEntity).findOneBy({ id: input.id.toLowerCase() }) : null;
  if (!item) throw new NotFoundError("MonitoringContact", "id");
  const c = await requireVisibleCase(ctx, item.caseId, "id", "MonitoringContact");
  if (input.nextCheckOn) assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.MONITORING);
  if (item.version !== input.version) throw staleVersion("MonitoringContact");
  if (item.contactedOn) throw new ConflictError("this monitoring contact was already recorded", { field: "id" });
  const now = today();
  if (input.contactedOn > now) throw new BadInputError("contactedOn", "must not be in the future");
  if (input.contactedOn < today(new Date(c.openedAt))) throw new BadInputError("contactedOn", "must not be before the case was opened");
  if (input.nextCheckOn) {
    if (input.nextCheckOn <= input.contactedOn) throw new BadInputError("nextCheckOn", "must be after contactedOn");
    if (input.nextCheckOn < now) throw new BadInputError("nextCheckOn", "must not be in the past");
  }
  return ctx.tx(async (tx) => {
    const updated = await tx.updateVersioned(MonitoringContactEntity, "MonitoringContact", item.id, input.version, {
      contactedOn: input.contactedOn,
      safetyRestored: input.safetyRestored,
      outcome: input.outcome,
      nextCheckOn: input.nextCheckOn ?? null,
      contactedBy: tx.viewer.professionalId,
    });
    tx.emit({ kind: "MONITORING_RECORDED", entity: "MonitoringContact", entityId: item.id, caseId: item.caseId, organisationIds: [tx.viewer.organisationId] });
    if (input.nextCheckOn) await schedule(tx, item.caseId, input.nextCheckOn);
    return updated;
  });
}

/** Schedules a check (VEILIG_THUIS) on an open case; due today or later. */
export async function scheduleMonitoringContact(ctx: Ctx, input: ScheduleMonitoringContactInput): Promise<MonitoringContactEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.MONITORING);
  if (input.dueOn < today()) throw new BadInputError("dueOn", "must not be in the past");
  return ctx.tx(async (tx) => {
    const saved = await schedule(tx, c.id, input.dueOn);
    return tx.em.getRepository(MonitoringContactEntity).findOneByOrFail({ id: saved.id });
  });
}
