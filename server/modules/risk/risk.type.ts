import { ID, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { LocalDate } from "../../common/scalars.js";
import { RISK_INSTRUMENTS, RISK_LEVELS, type RiskInstrument, type RiskLevel } from "./risk.entity.js";

export const RiskInstrumentEnum = stringEnum(
  RISK_INSTRUMENTS,
  "RiskInstrument",
  "Standardised risk assessment instrument: LIRIK, ARIJ, CARE-NL, Balansmodel, or another (named in instrumentOther)",
);
export const RiskLevelEnum = stringEnum(RISK_LEVELS, "RiskLevel", "Assessed level of risk to safety");

@ObjectType({ description: "Risicotaxatie: a structured risk assessment with its weighed conclusion; repeated over time, never edited" })
export class RiskAssessment {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.RISK, () => RiskInstrumentEnum, { nullable: true, description: "Instrument" }) instrument!: RiskInstrument;
  @CField(CATEGORIES.RISK, () => String, { nullable: true, description: "Name of the instrument when instrument is OTHER" }) instrumentOther!: string | null;
  @CField(CATEGORIES.RISK, () => LocalDate, { nullable: true, description: "Datum van de taxatie" }) assessedOn!: string;
  @CField(CATEGORIES.RISK, () => RiskLevelEnum, { nullable: true, description: "Risiconiveau" }) level!: RiskLevel;
  @CField(CATEGORIES.RISK, () => String, { nullable: true, description: "Gewogen conclusie: the weighed conclusion" }) conclusion!: string;
  @CField(CATEGORIES.RISK, () => Date, { nullable: true, description: "When it was recorded" }) createdAt!: Date;
  // assessor: risk.resolver.ts
}
