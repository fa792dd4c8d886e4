import { ID, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { LocalDate } from "../../common/scalars.js";

@ObjectType({ description: "Kernbeslissing: a key decision in a case — the decision, who decided, who was consulted (and which behavioural scientist), on what information" })
export class KeyDecision {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.KEY_DECISIONS, () => String, { nullable: true, description: "Het besluit" }) decision!: string;
  @CField(CATEGORIES.KEY_DECISIONS, () => LocalDate, { nullable: true, description: "Besloten op" }) decidedOn!: string;
  @CField(CATEGORIES.KEY_DECISIONS, () => String, { nullable: true, description: "Wie is geraadpleegd" }) consulted!: string;
  @CField(CATEGORIES.KEY_DECISIONS, () => String, { nullable: true, description: "Op basis van welke informatie" }) informationBasis!: string;
  @CField(CATEGORIES.KEY_DECISIONS, () => Date, { nullable: true, description: "When it was recorded" }) createdAt!: Date;
  // decidedBy, behaviouralScientist: decision.resolver.ts
}
