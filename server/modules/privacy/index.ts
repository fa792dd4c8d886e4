/** Module registry: privacy over the data's whole life — the client's overview and export, emergency access, retention. */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { EmergencyAccessEntity } from "./emergency.entity.js";
import { CaseEmergencyAccessResolver, EmergencyAccessReportResolver, EmergencyAccessResolver } from "./emergency.resolver.js";
import { EmergencyAccess } from "./emergency.type.js";
import { PrivacyResolver } from "./privacy.resolver.js";
import { RetentionResolver } from "./retention.resolver.js";

registerSubjects({
  EmergencyAccess: { type: EmergencyAccess, entity: EmergencyAccessEntity, category: CATEGORIES.EMERGENCY_ACCESS },
});

export const entities: Function[] = [EmergencyAccessEntity];
export const resolvers: Function[] = [CaseEmergencyAccessResolver, EmergencyAccessResolver, EmergencyAccessReportResolver, PrivacyResolver, RetentionResolver];
