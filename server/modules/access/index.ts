import { AccessLogResolver } from "./access-log.resolver.js";
import { AccessResolver } from "./access.resolver.js";

/** Module registry: "why may I see this" and the access log (the policy itself lives in server/access/). */
export const entities: Function[] = [];
export const resolvers: Function[] = [AccessResolver, AccessLogResolver];
