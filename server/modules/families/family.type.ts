import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { LocalDate } from "../../common/scalars.js";
import type { MemberKind } from "./family.entity.js";

export const MemberKindEnum = stringEnum(["ADULT", "CHILD"] as const, "MemberKind");

@ObjectType({ description: "Gezin / huishouden: a household, with or without children" })
export class Family {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.IDENTITY, () => String, { nullable: true, description: "Family name used for the household" }) name!: string;
  @CField(CATEGORIES.CASE, () => Boolean) hasChildren!: boolean;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // members: family.resolver.ts
}

@ObjectType({ description: "A member of the household" })
export class FamilyMember {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.CASE, () => MemberKindEnum) kind!: MemberKind;
  @CField(CATEGORIES.IDENTITY, () => String, { nullable: true }) givenName!: string;
  @CField(CATEGORIES.IDENTITY, () => String, { nullable: true }) familyName!: string;
  @CField(CATEGORIES.IDENTITY, () => LocalDate, { nullable: true }) birthDate!: string | null;
  @CField(CATEGORIES.BSN, () => String, { nullable: true, description: "Burgerservicenummer" }) bsn!: string | null;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // school, gp: family.resolver.ts
}
