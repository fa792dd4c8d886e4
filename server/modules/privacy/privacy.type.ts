import { GraphQLJSONObject } from "graphql-scalars";
import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import type { Role } from "../../auth/viewer.js";
import { RoleEnum } from "../../common/enums.js";
import { AccessLogEntry } from "../access/access-log.type.js";

@ObjectType({ description: "One line of the overview: an organisation's role read or changed a category in a month, how often, why" })
export class PrivacyOverviewGroup {
  @CField(CATEGORIES.ACCESS_LOG, () => String) organisationName!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => RoleEnum) role!: Role;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "Data category" }) category!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "READ, WRITE, EXPORT or EMERGENCY" }) action!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "Month, YYYY-MM (UTC)" }) period!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => Int, { description: "Log entries in this group" }) count!: number;
  @CField(CATEGORIES.ACCESS_LOG, () => Date) firstAt!: Date;
  @CField(CATEGORIES.ACCESS_LOG, () => Date) lastAt!: Date;
  @CField(CATEGORIES.ACCESS_LOG, () => [String], { description: "The purposes logged" }) purposes!: string[];
}

@ObjectType({
  description:
    "Wie heeft mijn dossier gezien? For one person: every access-log entry about their household and its cases (the log is kept per case and household), grouped by organisation, role, category, action and month, with the rows themselves",
})
export class PrivacyOverview {
  @CField(CATEGORIES.ACCESS_LOG, () => ID) memberId!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => ID) familyId!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "The person the overview is for" }) subjectName!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "The household" }) familyName!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => [ID]) caseIds!: string[];
  @CField(CATEGORIES.ACCESS_LOG, () => Date) generatedAt!: Date;
  @CField(CATEGORIES.ACCESS_LOG, () => [PrivacyOverviewGroup]) groups!: PrivacyOverviewGroup[];
  @CField(CATEGORIES.ACCESS_LOG, () => [AccessLogEntry], { description: "The access-log rows, oldest first, exactly as logged" }) entries!: AccessLogEntry[];
}

@ObjectType({ description: "Inzageverzoek (AVG art. 15): everything the hub holds about a person, machine-readable" })
export class SubjectAccessExport {
  @CField(CATEGORIES.ACCESS_LOG, () => ID) memberId!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String) format!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => GraphQLJSONObject, {
    description: "The export document: person, family, household, cases (with every category's rows as stored), accessLog",
  })
  document!: Record<string, unknown>;
}
