import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { OrganisationKind, Role } from "../../auth/viewer.js";

@Entity("organisation")
export class OrganisationEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "text" }) name!: string;
  @Column({ type: "text" }) kind!: OrganisationKind;
  @Column({ type: "text", nullable: true }) phone!: string | null;
  @Column({ type: "text", nullable: true }) email!: string | null;
  @Column({ type: "int", nullable: true }) monitoringIntervalMonths!: number | null;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
}

@Entity("professional")
export class ProfessionalEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) organisationId!: string;
  @Column({ type: "text" }) email!: string;
  @Column({ type: "text" }) name!: string;
  @Column({ type: "text", nullable: true }) phone!: string | null;
  @Column({ type: "text" }) role!: Role;
  @Column({ type: "boolean", default: true }) active!: boolean;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
}
