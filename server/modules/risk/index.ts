/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { RiskAssessmentEntity } from "./risk.entity.js";
import { CaseRiskResolver, RiskAssessmentResolver } from "./risk.resolver.js";
import { RiskAssessment } from "./risk.type.js";

registerSubjects({ RiskAssessment: { type: RiskAssessment, entity: RiskAssessmentEntity, category: CATEGORIES.RISK } });

export const entities: Function[] = [RiskAssessmentEntity];
export const resolvers: Function[] = [CaseRiskResolver, RiskAssessmentResolver];
