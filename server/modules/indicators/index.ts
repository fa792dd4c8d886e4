/** Module registry: the inspection's twelve indicators per case, organisation and network; the regisseur's worklist. */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import {
  CaseIndicatorsResolver,
  IndicatorCaseRefResolver,
  NetworkIndicatorsResolver,
  OrganisationIndicatorsResolver,
  WorklistResolver,
} from "./indicators.resolver.js";
import { WorklistNotice } from "./indicators.type.js";
import { WorklistNoticeEntity } from "./worklist.entity.js";

registerSubjects({
  WorklistNotice: { type: WorklistNotice, entity: WorklistNoticeEntity, category: CATEGORIES.INDICATORS },
});

export const entities: Function[] = [WorklistNoticeEntity];
export const resolvers: Function[] = [CaseIndicatorsResolver, WorklistResolver, IndicatorCaseRefResolver, OrganisationIndicatorsResolver, NetworkIndicatorsResolver];
