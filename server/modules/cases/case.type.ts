import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { ConnectionType } from "../../common/connection.js";
import { stringEnum } from "../../common/enums.js";
import type { CaseStatus, CloseReason } from "./case.entity.js";

export const CaseStatusEnum = stringEnum(["OPEN", "CLOSED"] as const, "CaseStatus");
export const CloseReasonEnum = stringEnum(["GOALS_MET", "SCALED_DOWN", "TRANSFERRED", "OTHER"] as const, "CloseReason");

@ObjectType({ description: "Casus: one family's case, shared by the organisations involved in it" })
export class Case {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.CASE, () => CaseStatusEnum) status!: CaseStatus;
  @CField(CATEGORIES.CASE, () => Date) openedAt!: Date;
  @CField(CATEGORIES.CASE, () => Date, { nullable: true }) closedAt!: Date | null;
  @CField(CATEGORIES.CASE, () => CloseReasonEnum, { nullable: true }) closeReason!: CloseReason | null;
  @CField(CATEGORIES.EVALUATION, () => String, { nullable: true }) closeNote!: string | null;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // family, involvements: case.resolver.ts; plan, safetyPlan, …: their modules' resolvers
}

export const CaseConnection = ConnectionType(Case);

@ObjectType({ description: "Betrokken organisatie: an organisation involved in a case, and its role there" })
export class Involvement {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.CASE, () => String, { description: "What the organisation does in this case" }) role!: string;
  @CField(CATEGORIES.CASE, () => Date) startedAt!: Date;
  @CField(CATEGORIES.CASE, () => Date, { nullable: true }) endedAt!: Date | null;
  @CField(CATEGORIES.CASE, () => String, { nullable: true }) endReason!: string | null;
  // organisation: case.resolver.ts
}
