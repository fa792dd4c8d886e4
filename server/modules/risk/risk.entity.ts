import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { encryptedColumn } from "../../crypto/field-crypto.js";

export const RISK_INSTRUMENTS = ["LIRIK", "ARIJ", "CARE_NL", "BALANSMODEL", "OTHER"] as const;
export type RiskInstrument = (typeof RISK_INSTRUMENTS)[number];
export const RISK_LEVELS = ["LOW", "ELEVATED", "HIGH", "ACUTE"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Risicotaxatie: an immutable record; a later assessment is a new row, never an edit. */
@Entity("risk_assessment")
export class RiskAssessmentEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "text" }) instrument!: RiskInstrument;
  @Column({ type: "text", nullable: true }) instrumentOther!: string | null;
  /** "YYYY-MM-DD" */
  @Column({ type: "date" }) assessedOn!: string;
  @Column({ type: "text" }) level!: RiskLevel;
  /** Encrypted at rest (server/crypto). */
  @Column({ type: "text", transformer: encryptedColumn("risk_assessment.conclusion") }) conclusion!: string;
  @Column({ type: "uuid" }) assessorId!: string;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
}
