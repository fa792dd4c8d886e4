/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { HandoverEntity } from "./handover.entity.js";
import { CaseHandoverResolver, HandoverResolver } from "./handover.resolver.js";
import { Handover } from "./handover.type.js";

registerSubjects({ Handover: { type: Handover, entity: HandoverEntity, category: CATEGORIES.HANDOVER } });

export const entities: Function[] = [HandoverEntity];
export const resolvers: Function[] = [CaseHandoverResolver, HandoverResolver];
