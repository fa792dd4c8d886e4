import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/** Noodtoegang ("break the glass"): one professional's time-limited, read-only access to a case it is not involved in. */
@Entity("emergency_access")
export class EmergencyAccessEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "uuid" }) professionalId!: string;
  @Column({ type: "uuid" }) organisationId!: string;
  @Column({ type: "text" }) role!: string;
  @Column({ type: "text" }) reason!: string;
  @Column({ type: "text", array: true }) categories!: string[];
  @Column({ type: "timestamptz" }) openedAt!: Date;
  @Column({ type: "timestamptz" }) expiresAt!: Date;
  @Column({ type: "timestamptz", nullable: true }) closedAt!: Date | null;
}
