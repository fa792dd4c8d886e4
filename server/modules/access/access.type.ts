import { ID, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { RoleEnum } from "../../common/enums.js";
import type { Role } from "../../auth/viewer.js";

export const AccessBasisKindEnum = stringEnum(
  ["ROLE", "INVOLVEMENT", "HANDED_OVER", "REGIE_ORGANISATION", "CONSENT", "SHARING_DECISION", "EMERGENCY"] as const,
  "AccessBasisKind",
  "What an access right rests on",
);
export const ReadRuleEnum = stringEnum(["ALLOW", "CONSENT", "NONE"] as const, "ReadRule");
export const WriteRuleEnum = stringEnum(["ALLOW", "OWN", "NONE"] as const, "WriteRule");

@ObjectType({ description: "One ground for an access right: the role, the involvement, or a consent / sharing decision (with its id)" })
export class AccessBasis {
  @CField(CATEGORIES.CASE, () => AccessBasisKindEnum) kind!: string;
  @CField(CATEGORIES.CASE, () => ID, { nullable: true, description: "Consent, SharingDecision or EmergencyAccess id" }) id!: string | null;
}

@ObjectType({ description: "What the viewer may do with one data category in a case, and why" })
export class CategoryAccess {
  @CField(CATEGORIES.CASE, () => String, { description: "Data category (see schema/access-policy.json)" }) category!: string;
  @CField(CATEGORIES.CASE, () => Boolean) canRead!: boolean;
  @CField(CATEGORIES.CASE, () => Boolean, { description: "May create or change items (all, or only its own: see writeRule)" }) canWrite!: boolean;
  @CField(CATEGORIES.CASE, () => ReadRuleEnum, { description: "The role's read rule: ALLOW, CONSENT (needs consent or a sharing decision) or NONE" }) readRule!: string;
  @CField(CATEGORIES.CASE, () => WriteRuleEnum) writeRule!: string;
  @CField(CATEGORIES.CASE, () => [String], {
    nullable: true,
    description: "When the write right covers only some kinds of write: those the viewer may do (e.g. report or acknowledge for signals); null when it covers every kind",
  })
  writeActions!: string[] | null;
  @CField(CATEGORIES.CASE, () => String, { nullable: true, description: "Which items: e.g. ownPupils, sharedWithOrganisation, educationGoals" }) scope!: string | null;
  @CField(CATEGORIES.CASE, () => [AccessBasis]) basis!: AccessBasis[];
}

@ObjectType({ description: "Waarom mag ik dit zien? The viewer's rights in one case, per data category" })
export class CaseAccessReport {
  @CField(CATEGORIES.CASE, () => ID) caseId!: string;
  @CField(CATEGORIES.CASE, () => RoleEnum, { description: "The role the policy applies in this case" }) effectiveRole!: Role;
  @CField(CATEGORIES.CASE, () => Boolean, { description: "The viewer's organisation holds regie in this case" }) isRegieOrganisation!: boolean;
  @CField(CATEGORIES.CASE, () => [CategoryAccess]) categories!: CategoryAccess[];
}
