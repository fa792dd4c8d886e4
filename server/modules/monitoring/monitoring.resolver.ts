import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { ProfessionalEntity } from "../directory/directory.entity.js";
import { Professional } from "../directory/directory.type.js";
import { MonitoringContactEntity } from "./monitoring.entity.js";
import { RecordMonitoringContactInput, ScheduleMonitoringContactInput } from "./monitoring.input.js";
import { recordMonitoringContact, scheduleMonitoringContact } from "./monitoring.service.js";
import { MonitoringContact } from "./monitoring.type.js";

@Resolver(() => Case)
export class CaseMonitoringResolver {
  @FieldResolver(() => [MonitoringContact], { nullable: true, description: "Monitoring by Veilig Thuis after handover, by due date" })
  @Cat("Case", CATEGORIES.MONITORING)
  monitoringContacts(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(MonitoringContactEntity, "caseId", ["dueOn", "createdAt"]).load(c.id);
  }
}

@Resolver(() => MonitoringContact)
export class MonitoringContactResolver {
  @Mutation(() => MonitoringContact, {
    description: "Record a held monitoring contact, and with nextCheckOn schedule the next check; VEILIG_THUIS; versioned",
  })
  @Cat("Mutation", CATEGORIES.MONITORING)
  recordMonitoringContact(@Arg("input", () => RecordMonitoringContactInput) input: RecordMonitoringContactInput, @GqlCtx() ctx: Ctx) {
    return recordMonitoringContact(ctx, input);
  }

  @Mutation(() => MonitoringContact, { description: "Schedule a monitoring check; VEILIG_THUIS" })
  @Cat("Mutation", CATEGORIES.MONITORING)
  scheduleMonitoringContact(@Arg("input", () => ScheduleMonitoringContactInput) input: ScheduleMonitoringContactInput, @GqlCtx() ctx: Ctx) {
    return scheduleMonitoringContact(ctx, input);
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Who at Veilig Thuis held the contact" })
  @Cat("MonitoringContact", CATEGORIES.MONITORING)
  contactedBy(@Root() m: MonitoringContactEntity, @GqlCtx() ctx: Ctx) {
    return m.contactedBy ? ctx.loaders.byId(ProfessionalEntity).load(m.contactedBy) : null;
  }
}
