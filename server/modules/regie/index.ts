/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { RegieAssignmentEntity } from "./regie.entity.js";
import { CaseRegieResolver, RegieAssignmentResolver } from "./regie.resolver.js";
import { RegieAssignment } from "./regie.type.js";

registerSubjects({
  RegieAssignment: { type: RegieAssignment, entity: RegieAssignmentEntity, category: CATEGORIES.CASE },
});

export const entities: Function[] = [RegieAssignmentEntity];
export const resolvers: Function[] = [CaseRegieResolver, RegieAssignmentResolver];
