import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { encryptedColumn } from "../../crypto/field-crypto.js";

@Entity("family")
export class FamilyEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "text" }) name!: string;
  @Column({ type: "boolean", default: true }) hasChildren!: boolean;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}

export type MemberKind = "ADULT" | "CHILD";

@Entity("family_member")
export class FamilyMemberEntity {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "uuid" }) familyId!: string;
  @Column({ type: "text" }) kind!: MemberKind;
  @Column({ type: "text" }) givenName!: string;
  @Column({ type: "text" }) familyName!: string;
  /** "YYYY-MM-DD" */
  @Column({ type: "date", nullable: true }) birthDate!: string | null;
  /** Encrypted at rest (server/crypto); found through bsnHash. */
  @Column({ type: "text", transformer: encryptedColumn("family_member.bsn"), nullable: true }) bsn!: string | null;
  /** HMAC-SHA256 of the BSN under BSN_HASH_KEY (hex): the unique, searchable stand-in for the BSN. */
  @Column({ type: "text", nullable: true }) bsnHash!: string | null;
  @Column({ type: "uuid", nullable: true }) schoolId!: string | null;
  @Column({ type: "uuid", nullable: true }) gpId!: string | null;
  @Column({ type: "int", default: 1 }) version!: number;
  @Column({ type: "timestamptz", default: () => "now()" }) createdAt!: Date;
  @Column({ type: "uuid", nullable: true }) createdBy!: string | null;
  @Column({ type: "timestamptz", default: () => "now()" }) updatedAt!: Date;
  @Column({ type: "uuid", nullable: true }) updatedBy!: string | null;
}
