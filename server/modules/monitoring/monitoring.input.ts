import { Length, Matches } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";

@InputType({ description: "Record a held monitoring contact; optionally decide on the next check" })
export class RecordMonitoringContactInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the contact since" })
  version!: number;

  @Field(() => LocalDate, { description: "When the contact took place; not in the future" })
  contactedOn!: string;

  @Field(() => Boolean, { description: "Is de veiligheid hersteld?" })
  safetyRestored!: boolean;

  @Field(() => String, { description: "Uitkomst" })
  @Length(1, 5000)
  @Matches(/\S/, { message: "must not be blank" })
  outcome!: string;

  @Field(() => LocalDate, { nullable: true, description: "Next check (after contactedOn, not in the past); scheduled as a new contact" })
  nextCheckOn?: string | null;
}

@InputType({ description: "Schedule a monitoring check" })
export class ScheduleMonitoringContactInput {
  @Field(() => ID) caseId!: string;

  @Field(() => LocalDate, { description: "Not in the past" })
  dueOn!: string;
}
