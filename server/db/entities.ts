import { CaseEntity, InvolvementEntity } from "../modules/cases/case.entity.js";
import { OrganisationEntity, ProfessionalEntity } from "../modules/directory/directory.entity.js";
import { FamilyEntity, FamilyMemberEntity } from "../modules/families/family.entity.js";
import { entities as handover } from "../modules/handover/index.js";
import { entities as regie } from "../modules/regie/index.js";
import { entities as plans } from "../modules/plans/index.js";
import { entities as safety } from "../modules/safety/index.js";
import { entities as risk } from "../modules/risk/index.js";
import { entities as meetings } from "../modules/meetings/index.js";
import { entities as signals } from "../modules/signals/index.js";
import { entities as consent } from "../modules/consent/index.js";
import { entities as decisions } from "../modules/decisions/index.js";
import { entities as monitoring } from "../modules/monitoring/index.js";
import { entities as evaluation } from "../modules/evaluation/index.js";
import { entities as privacy } from "../modules/privacy/index.js";
import { entities as indicators } from "../modules/indicators/index.js";

/** Every TypeORM entity, listed explicitly (each module lists its own in its index.ts). */
export const entities: Function[] = [
  OrganisationEntity,
  ProfessionalEntity,
  FamilyEntity,
  FamilyMemberEntity,
  CaseEntity,
  InvolvementEntity,
  ...handover,
  ...regie,
  ...plans,
  ...safety,
  ...risk,
  ...meetings,
  ...signals,
  ...consent,
  ...decisions,
  ...monitoring,
  ...evaluation,
  ...privacy,
  ...indicators,
];
