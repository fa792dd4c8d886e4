/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { EvaluationEntity, EvaluationGoalEntity } from "./evaluation.entity.js";
import { CaseEvaluationResolver, EvaluationResolver } from "./evaluation.resolver.js";

export const entities: Function[] = [EvaluationEntity, EvaluationGoalEntity];
export const resolvers: Function[] = [CaseEvaluationResolver, EvaluationResolver];
