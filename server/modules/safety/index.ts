/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { SafetyAgreementEntity, SafetyAgreementSeenEntity, SafetyAgreementShareEntity, SafetyPlanEntity } from "./safety.entity.js";
import { AgreementSeenResolver, CaseSafetyResolver, SafetyAgreementResolver, SafetyPlanResolver } from "./safety.resolver.js";
import { SafetyAgreement, SafetyPlan } from "./safety.type.js";

registerSubjects({
  SafetyPlan: { type: SafetyPlan, entity: SafetyPlanEntity, category: CATEGORIES.SAFETY },
  SafetyAgreement: { type: SafetyAgreement, entity: SafetyAgreementEntity, category: CATEGORIES.SAFETY },
});

export const entities: Function[] = [SafetyPlanEntity, SafetyAgreementEntity, SafetyAgreementShareEntity, SafetyAgreementSeenEntity];
export const resolvers: Function[] = [CaseSafetyResolver, SafetyPlanResolver, SafetyAgreementResolver, AgreementSeenResolver];
