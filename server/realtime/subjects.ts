import type { EntityTarget, ObjectLiteral } from "typeorm";
import { CATEGORIES, type Category } from "../access/categories.js";
import { CaseEntity, InvolvementEntity } from "../modules/cases/case.entity.js";
import { Case, Involvement } from "../modules/cases/case.type.js";
import { FamilyMemberEntity } from "../modules/families/family.entity.js";
import { FamilyMember } from "../modules/families/family.type.js";
import { ConsentEntity, SharingDecisionEntity } from "../modules/consent/consent.entity.js";
import { Consent, SharingDecision } from "../modules/consent/consent.type.js";
import { EvaluationEntity } from "../modules/evaluation/evaluation.entity.js";
import { Evaluation } from "../modules/evaluation/evaluation.type.js";

/**
 * What a change event is about: the GraphQL type named in `change_event.entity`, the entity to
 * load it from, and the data category that decides whether a viewer may see it (and so whether
 * the event is in their feed at all).
 */
export interface Subject {
  type: Function;
  entity: EntityTarget<ObjectLiteral>;
  category: Category;
  /** for entities without a case_id column: wrap with the event's case */
  wrapWithCase?: boolean;
}

export const SUBJECTS: Record<string, Subject> = {
  Case: { type: Case, entity: CaseEntity, category: CATEGORIES.CASE },
  Involvement: { type: Involvement, entity: InvolvementEntity, category: CATEGORIES.CASE },
  FamilyMember: { type: FamilyMember, entity: FamilyMemberEntity, category: CATEGORIES.IDENTITY, wrapWithCase: true },
  Consent: { type: Consent, entity: ConsentEntity, category: CATEGORIES.CONSENT },
  SharingDecision: { type: SharingDecision, entity: SharingDecisionEntity, category: CATEGORIES.CONSENT },
  Evaluation: { type: Evaluation, entity: EvaluationEntity, category: CATEGORIES.EVALUATION },
};

/** Adds subjects of a module (called from the module registry at import time). */
export function registerSubjects(subjects: Record<string, Subject>): void {
  Object.assign(SUBJECTS, subjects);
}
