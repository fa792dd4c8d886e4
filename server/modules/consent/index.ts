/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { ConsentEntity, SharingDecisionEntity } from "./consent.entity.js";
import { CaseConsentResolver, ConsentResolver, SharingDecisionResolver } from "./consent.resolver.js";

export const entities: Function[] = [ConsentEntity, SharingDecisionEntity];
export const resolvers: Function[] = [CaseConsentResolver, ConsentResolver, SharingDecisionResolver];
export { activeGrants, type Grant } from "./consent.service.js";
