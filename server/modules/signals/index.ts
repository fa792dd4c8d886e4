/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { SignalEntity } from "./signal.entity.js";
import { CaseSignalResolver, SignalResolver } from "./signal.resolver.js";
import { Signal } from "./signal.type.js";

registerSubjects({
  Signal: { type: Signal, entity: SignalEntity, category: CATEGORIES.SIGNALS },
});

export const entities: Function[] = [SignalEntity];
export const resolvers: Function[] = [CaseSignalResolver, SignalResolver];
