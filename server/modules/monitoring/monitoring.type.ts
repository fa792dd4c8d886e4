import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { LocalDate } from "../../common/scalars.js";

@ObjectType({ description: "Monitoring: a Veilig Thuis check after handover — scheduled (dueOn), then held (contactedOn, outcome)" })
export class MonitoringContact {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.MONITORING, () => LocalDate, { nullable: true, description: "When the check is due" }) dueOn!: string;
  @CField(CATEGORIES.MONITORING, () => LocalDate, { nullable: true, description: "When Veilig Thuis had contact; null = not held yet" })
  contactedOn!: string | null;
  @CField(CATEGORIES.MONITORING, () => Boolean, { nullable: true, description: "Is de veiligheid hersteld?" }) safetyRestored!: boolean | null;
  @CField(CATEGORIES.MONITORING, () => String, { nullable: true, description: "Uitkomst van het monitoringscontact" }) outcome!: string | null;
  @CField(CATEGORIES.MONITORING, () => LocalDate, { nullable: true, description: "The next check decided on (scheduled as a new contact)" })
  nextCheckOn!: string | null;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // contactedBy: monitoring.resolver.ts
}
