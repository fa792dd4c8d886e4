/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { KeyDecisionEntity } from "./decision.entity.js";
import { CaseKeyDecisionsResolver, KeyDecisionResolver } from "./decision.resolver.js";
import { KeyDecision } from "./decision.type.js";

registerSubjects({ KeyDecision: { type: KeyDecision, entity: KeyDecisionEntity, category: CATEGORIES.KEY_DECISIONS } });

export const entities: Function[] = [KeyDecisionEntity];
export const resolvers: Function[] = [CaseKeyDecisionsResolver, KeyDecisionResolver];
