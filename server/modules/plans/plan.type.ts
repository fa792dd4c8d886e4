import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { LocalDate } from "../../common/scalars.js";
import {
  GOAL_STATUSES,
  LIFE_DOMAINS,
  PARTIAL_PLAN_STATUSES,
  type GoalStatus,
  type LifeDomain,
  type PartialPlanStatus,
} from "./plan.entity.js";

export const LifeDomainEnum = stringEnum(LIFE_DOMAINS, "LifeDomain", "Leefgebied: one of the 13 domains of the zelfredzaamheidsmatrix");
export const GoalStatusEnum = stringEnum(GOAL_STATUSES, "GoalStatus", "Status of a goal of the plan");
export const PartialPlanStatusEnum = stringEnum(PARTIAL_PLAN_STATUSES, "PartialPlanStatus", "Status of an organisation's partial plan");

@ObjectType({
  description:
    "Het integrale plan (1 Gezin, 1 Plan): the case's one plan — shared problem analysis, help question, the family's and the children's own words, goals, partial plans of involved organisations, the social network and the life-domain scores",
})
export class Plan {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true, description: "Probleemanalyse: the shared problem analysis" }) problemAnalysis!: string | null;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true, description: "Hulpvraag: the help question, formulated with the family" }) helpQuestion!: string | null;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true, description: "In de woorden van het gezin: the family's own words" }) familyWords!: string | null;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true, description: "In de woorden van het kind: the children's own words" }) childrenWords!: string | null;
  @CField(CATEGORIES.PLAN, () => Boolean, { nullable: true, description: "Kinderen gehoord: were the children heard?" }) childrenHeard!: boolean;
  @CField(CATEGORIES.PLAN, () => Date, { nullable: true }) createdAt!: Date;
  @CField(CATEGORIES.PLAN, () => Date, { nullable: true }) updatedAt!: Date;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // goals, partialPlans, networkMembers, lifeDomainScores: plan.resolver.ts
}

@ObjectType({ description: "Score op een leefgebied: one life domain scored 1 (acute problems) to 5 (fully self-reliant) on a date" })
export class LifeDomainScore {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.LIFE_DOMAINS, () => LifeDomainEnum, { nullable: true, description: "Leefgebied" }) domain!: LifeDomain;
  @CField(CATEGORIES.LIFE_DOMAINS, () => Int, { nullable: true, description: "Zelfredzaamheid 1–5: 1 acute problems, 5 fully self-reliant" }) score!: number;
  @CField(CATEGORIES.LIFE_DOMAINS, () => LocalDate, { nullable: true, description: "Date of the assessment" }) assessedOn!: string;
  @CField(CATEGORIES.LIFE_DOMAINS, () => String, { nullable: true, description: "Toelichting" }) note!: string | null;
  @CField(CATEGORIES.LIFE_DOMAINS, () => Date, { nullable: true }) createdAt!: Date;
  // assessedBy: plan.resolver.ts
}

@ObjectType({ description: "Deelplan: an involved organisation's own part of the plan, linked to the one plan" })
export class PartialPlan {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true }) title!: string;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true, description: "What the organisation does, how and how long" }) summary!: string | null;
  @CField(CATEGORIES.PLAN, () => PartialPlanStatusEnum, { nullable: true }) status!: PartialPlanStatus;
  @CField(CATEGORIES.PLAN, () => Date, { nullable: true }) createdAt!: Date;
  @CField(CATEGORIES.PLAN, () => Date, { nullable: true }) updatedAt!: Date;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // organisation, goals: plan.resolver.ts
}

@ObjectType({ description: "Doel: a goal of the plan — what, measurable target, who is responsible, by when, and its status" })
export class Goal {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true }) title!: string;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true }) description!: string | null;
  @CField(CATEGORIES.PLAN, () => LifeDomainEnum, { nullable: true, description: "Leefgebied the goal is about" }) domain!: LifeDomain | null;
  @CField(CATEGORIES.PLAN, () => Boolean, { nullable: true, description: "Veiligheidsdoel: a goal about safety" }) isSafetyGoal!: boolean;
  @CField(CATEGORIES.PLAN, () => Int, { nullable: true, description: "Prioriteit 1 (most important) to 5" }) priority!: number;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true, description: "Meetbaar resultaat: how to tell the goal is met" }) targetMeasure!: string | null;
  @CField(CATEGORIES.PLAN, () => LocalDate, { nullable: true, description: "Uiterlijk: by when" }) dueOn!: string | null;
  @CField(CATEGORIES.PLAN, () => GoalStatusEnum, { nullable: true }) status!: GoalStatus;
  @CField(CATEGORIES.PLAN, () => Date, { nullable: true }) createdAt!: Date;
  @CField(CATEGORIES.PLAN, () => Date, { nullable: true }) updatedAt!: Date;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // member, responsibleOrganisation, partialPlan: plan.resolver.ts
}

@ObjectType({ description: "Netwerklid (eigen kracht): someone from the family's own social network and what they contribute" })
export class NetworkMember {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true }) name!: string;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true, description: "Relatie tot het gezin, e.g. 'grootmoeder', 'buurman'" }) relation!: string;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true }) phone!: string | null;
  @CField(CATEGORIES.PLAN, () => String, { nullable: true, description: "Bijdrage: what they do for the family" }) contribution!: string | null;
  @CField(CATEGORIES.PLAN, () => Date, { nullable: true }) createdAt!: Date;
  @CField(CATEGORIES.PLAN, () => Date, { nullable: true }) updatedAt!: Date;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
}
