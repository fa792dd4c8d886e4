/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { MonitoringContactEntity } from "./monitoring.entity.js";
import { CaseMonitoringResolver, MonitoringContactResolver } from "./monitoring.resolver.js";
import { MonitoringContact } from "./monitoring.type.js";

registerSubjects({ MonitoringContact: { type: MonitoringContact, entity: MonitoringContactEntity, category: CATEGORIES.MONITORING } });

export const entities: Function[] = [MonitoringContactEntity];
export const resolvers: Function[] = [CaseMonitoringResolver, MonitoringContactResolver];
