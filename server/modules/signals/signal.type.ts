import { ID, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { LocalDate } from "../../common/scalars.js";
import { SIGNAL_URGENCIES, type SignalUrgency } from "./signal.entity.js";

export const SignalUrgencyEnum = stringEnum(SIGNAL_URGENCIES, "SignalUrgency", "Urgentie of a signal: LOW, NORMAL, HIGH, or ACUTE (act today)");

@ObjectType({
  description:
    "Signaal: a new concern a partner (school, huisarts, JGZ) reports on a case, and the regisseur's acknowledgement. Partners read the signals their own organisation reported; the regisseur reads all",
})
export class Signal {
  @CField(CATEGORIES.SIGNALS, () => ID) id!: string;
  @CField(CATEGORIES.SIGNALS, () => LocalDate, { nullable: true, description: "Waargenomen op: the day the concern was observed" }) observedOn!: string;
  @CField(CATEGORIES.SIGNALS, () => SignalUrgencyEnum, { nullable: true }) urgency!: SignalUrgency;
  @CField(CATEGORIES.SIGNALS, () => String, { nullable: true, description: "What was observed" }) description!: string;
  @CField(CATEGORIES.SIGNALS, () => Date, { nullable: true, description: "Gezien door de regisseur: null while unacknowledged" })
  acknowledgedAt!: Date | null;
  @CField(CATEGORIES.SIGNALS, () => String, { nullable: true, description: "The regisseur's note on acknowledging (what was done with it)" })
  acknowledgementNote!: string | null;
  @CField(CATEGORIES.SIGNALS, () => Date, { nullable: true }) createdAt!: Date;
  // member, reportingOrganisation, reportedBy, acknowledgedBy: signal.resolver.ts
}
