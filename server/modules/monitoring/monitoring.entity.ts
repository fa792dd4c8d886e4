import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/** A Veilig Thuis monitoring check after handover: scheduled (due_on), then recorded (contacted_on + outcome). */
@Entity("monitoring_contact")
export class MonitoringContactEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  /** "YYYY-MM-DD" */
  @Column({ type: "date" }) dueOn!: string;
  @Column({ type: "date", nullable: true }) contactedOn!: string | null;
  @Column({ type: "boolean", nullable: true }) safetyRestored!: boolean | null;
  @Column({ type: "text", nullable: true }) outcome!: string | null;
  @Column({ type: "date", nullable: true }) nextCheckOn!: string | null;
  @Column({ type: "uuid", nullable: true }) contactedBy!: string | null;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}
