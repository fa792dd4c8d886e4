import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { ConnectionType } from "../../common/connection.js";
import { RoleEnum } from "../../common/enums.js";
import type { Role } from "../../auth/viewer.js";

@ObjectType({ description: "Logregel (NEN 7513): one read or write of client data" })
export class AccessLogEntry {
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "Position in the hash chain" }) seq!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => Date) at!: Date;
  @CField(CATEGORIES.ACCESS_LOG, () => ID) professionalId!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String) email!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => ID) organisationId!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String) organisationName!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => RoleEnum) role!: Role;
  @CField(CATEGORIES.ACCESS_LOG, () => ID, { nullable: true }) caseId!: string | null;
  @CField(CATEGORIES.ACCESS_LOG, () => ID, { nullable: true, description: "The client (household)" }) familyId!: string | null;
  @CField(CATEGORIES.ACCESS_LOG, () => [String]) categories!: string[];
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "READ, WRITE, EXPORT or EMERGENCY" }) action!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "The GraphQL operation" }) operation!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { description: "Why: sent by the client, or the role's default purpose" }) purpose!: string;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { nullable: true }) requestId!: string | null;
}

export const AccessLogEntryConnection = ConnectionType(AccessLogEntry);

@ObjectType({ description: "Result of recomputing the access log's hash chain" })
export class AccessLogVerification {
  @CField(CATEGORIES.ACCESS_LOG, () => Boolean) intact!: boolean;
  @CField(CATEGORIES.ACCESS_LOG, () => String, { nullable: true, description: "seq of the first broken link; \"0\" when entries were removed from the end" })
  firstBrokenSeq!: string | null;
  @CField(CATEGORIES.ACCESS_LOG, () => Int) entries!: number;
}

/** One row of access_log joined with its organisation's name (`organisation_name`). */
export interface AccessLogRow {
  seq: string;
  at: Date;
  professional_id: string;
  email: string;
  organisation_id: string;
  organisation_name: string;
  role: string;
  case_id: string | null;
  family_id: string | null;
  categories: string[];
  action: string;
  operation: string;
  purpose: string;
  request_id: string | null;
}

/** An access_log row as the GraphQL entry (the one mapping; the privacy overview uses it too). */
export function toAccessLogEntry(r: AccessLogRow): AccessLogEntry {
  return {
    seq: String(r.seq),
    at: r.at,
    professionalId: r.professional_id,
    email: r.email,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    role: r.role,
    caseId: r.case_id,
    familyId: r.family_id,
    categories: r.categories,
    action: r.action,
    operation: r.operation,
    purpose: r.purpose,
    requestId: r.request_id,
  } as AccessLogEntry;
}
