import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

export type ConsentRule = "ADULT" | "PARENTS" | "PARENTS_AND_CHILD" | "YOUNG_PERSON";

/** Toestemming: the client's consent to share categories of data with one organisation. */
@Entity("consent")
export class ConsentEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "uuid" }) organisationId!: string;
  /** category strings of access/categories.ts */
  @Column({ type: "text", array: true }) categories!: string[];
  @Column({ type: "text" }) purpose!: string;
  /** whose data; null = the whole household */
  @Column({ type: "uuid", nullable: true }) subjectMemberId!: string | null;
  @Column({ type: "uuid", array: true, default: () => "'{}'" }) givenByMemberIds!: string[];
  @Column({ type: "text" }) consentRule!: ConsentRule;
  /** "YYYY-MM-DD" */
  @Column({ type: "date" }) givenOn!: string;
  @Column({ type: "date", nullable: true }) validUntil!: string | null;
  @Column({ type: "timestamptz", nullable: true }) withdrawnAt!: Date | null;
  @Column({ type: "uuid", nullable: true }) withdrawnBy!: string | null;
  @Column({ type: "text", nullable: true }) withdrawalReason!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
}

/** Delen zonder toestemming: a recorded decision to share without consent, with its legal basis and weighing. */
@Entity("sharing_decision")
export class SharingDecisionEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) caseId!: string;
  @Column({ type: "uuid" }) organisationId!: string;
  @Column({ type: "text", array: true }) categories!: string[];
  @Column({ type: "text" }) legalBasis!: string;
  @Column({ type: "text" }) weighing!: string;
  @Column({ type: "uuid" }) decidedBy!: string;
  @Column({ type: "date" }) decidedOn!: string;
  @Column({ type: "date", nullable: true }) validUntil!: string | null;
  @Column({ type: "timestamptz", nullable: true }) withdrawnAt!: Date | null;
  @Column({ type: "uuid", nullable: true }) withdrawnBy!: string | null;
  @Column({ type: "text", nullable: true }) withdrawalReason!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
}
