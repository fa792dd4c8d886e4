/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { GoalEntity, LifeDomainScoreEntity, NetworkMemberEntity, PartialPlanEntity, PlanEntity } from "./plan.entity.js";
import { CasePlanResolver, GoalResolver, LifeDomainScoreResolver, NetworkMemberResolver, PartialPlanResolver, PlanResolver } from "./plan.resolver.js";
import { Goal, LifeDomainScore, NetworkMember, PartialPlan, Plan } from "./plan.type.js";

registerSubjects({
  Plan: { type: Plan, entity: PlanEntity, category: CATEGORIES.PLAN },
  PartialPlan: { type: PartialPlan, entity: PartialPlanEntity, category: CATEGORIES.PLAN },
  Goal: { type: Goal, entity: GoalEntity, category: CATEGORIES.PLAN },
  NetworkMember: { type: NetworkMember, entity: NetworkMemberEntity, category: CATEGORIES.PLAN },
  LifeDomainScore: { type: LifeDomainScore, entity: LifeDomainScoreEntity, category: CATEGORIES.LIFE_DOMAINS },
});

export const entities: Function[] = [PlanEntity, LifeDomainScoreEntity, PartialPlanEntity, GoalEntity, NetworkMemberEntity];
export const resolvers: Function[] = [CasePlanResolver, PlanResolver, LifeDomainScoreResolver, PartialPlanResolver, GoalResolver, NetworkMemberResolver];
