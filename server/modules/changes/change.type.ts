import { createUnionType, ID, ObjectType, type ClassType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { ConnectionType } from "../../common/connection.js";
import { SUBJECTS } from "../../realtime/subjects.js";

/** What changed: any type a change event can be about, resolved under the viewer's own access. */
export const ChangeSubject = createUnionType({
  name: "ChangeSubject",
  description: "The changed record, resolved through the same types and access policy as a query",
  types: () => Object.values(SUBJECTS).map((s) => s.type) as unknown as [ClassType, ...ClassType[]],
  resolveType: (value) => {
    for (const [name, s] of Object.entries(SUBJECTS)) {
      if (value instanceof (s.entity as Function)) return name;
    }
    return undefined;
  },
});

@ObjectType({ description: "Wijziging: one change in a case, in the viewer's feed because the viewer may see what it is about" })
export class Change {
  @CField(CATEGORIES.CASE, () => ID, { description: "Feed position: pass as `after` to resume" }) id!: string;
  @CField(CATEGORIES.CASE, () => String, { description: "e.g. SAFETY_AGREEMENT_UPDATED, SIGNAL_RAISED, REGIE_ASSIGNED" }) kind!: string;
  @CField(CATEGORIES.CASE, () => String, { description: "GraphQL type of the changed record" }) entity!: string;
  @CField(CATEGORIES.CASE, () => ID) entityId!: string;
  @CField(CATEGORIES.CASE, () => ID) caseId!: string;
  @CField(CATEGORIES.CASE, () => Date) occurredAt!: Date;
  // subject, case, actor: change.resolver.ts
}

export const ChangeConnection = ConnectionType(Change);
