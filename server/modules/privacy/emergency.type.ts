import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import type { Role } from "../../auth/viewer.js";
import { RoleEnum } from "../../common/enums.js";

/**
 * Noodtoegang as seen in a case: by the professional who opened it (own items) and by the
 * regisseur's organisation (told live through the change feed).
 */
@ObjectType({ description: "Noodtoegang (break the glass): a professional's time-limited, read-only access to a case their organisation is not involved in" })
export class EmergencyAccess {
  @CField(CATEGORIES.EMERGENCY_ACCESS, () => ID) id!: string;
  @CField(CATEGORIES.EMERGENCY_ACCESS, () => ID) caseId!: string;
  @CField(CATEGORIES.EMERGENCY_ACCESS, () => ID) professionalId!: string;
  @CField(CATEGORIES.EMERGENCY_ACCESS, () => ID) organisationId!: string;
  @CField(CATEGORIES.EMERGENCY_ACCESS, () => RoleEnum) role!: Role;
  @CField(CATEGORIES.EMERGENCY_ACCESS, () => String, { description: "The acute safety situation, as stated" }) reason!: string;
  @CField(CATEGORIES.EMERGENCY_ACCESS, () => [String], { description: "Data categories the access covers (policy: EMERGENCY)" }) categories!: string[];
  @CField(CATEGORIES.EMERGENCY_ACCESS, () => Date) openedAt!: Date;
  @CField(CATEGORIES.EMERGENCY_ACCESS, () => Date) expiresAt!: Date;
  // professional, organisation, active: emergency.resolver.ts
}

/** The privacy officer's report line: one emergency access and what was done with it. */
@ObjectType({ description: "Noodtoegang in the privacy officer's report: who, when, why, what was read, whether involvement followed" })
export class EmergencyAccessReport {
  @CField(CATEGORIES.ACCESS_LOG, () => ID) id!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => ID) caseId!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => ID, { description: "The client (household)" }) familyId!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => ID) professionalId!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String) professionalEmail!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String) professionalName!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => ID) organisationId!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String) organisationName!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => RoleEnum) role!: Role;
  @CField(CATEGORIES.ACCESS_LOG, () => String) reason!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => [String]) categories!: string[];
  @CField(CATEGORIES.ACCESS_LOG, () => Date) openedAt!: Date;
  @CField(CATEGORIES.ACCESS_LOG, () => Date) expiresAt!: Date;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "ACTIVE, EXPIRED or CLOSED" }) status!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => Int, { description: "Access-log entries (EMERGENCY) made through this access" }) uses!: number;
  @CField(CATEGORIES.ACCESS_LOG, () => [String], { description: "Categories actually read through it" }) categoriesRead!: string[];
  @CField(CATEGORIES.ACCESS_LOG, () => Date, { nullable: true }) lastUsedAt!: Date | null;
  @CField(CATEGORIES.ACCESS_LOG, () => Boolean, {
    description: "Did the organisation become involved in the case afterwards (a sign the access was needed)? False on an expired access deserves a look.",
  })
  involvementFollowed!: boolean;
}
