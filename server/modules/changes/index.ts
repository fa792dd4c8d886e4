import { ChangeResolver } from "./change.resolver.js";

/** Module registry: the change feed (query and subscriptions); delivery lives in server/realtime/. */
export const entities: Function[] = [];
export const resolvers: Function[] = [ChangeResolver];
