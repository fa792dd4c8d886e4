/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
export const entities: Function[] = [];
export const resolvers: Function[] = [];
