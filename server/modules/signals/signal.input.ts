import { IsOptional, IsUUID, Length, Matches } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";
import type { SignalUrgency } from "./signal.entity.js";
import { SignalUrgencyEnum } from "./signal.type.js";

const NOT_BLANK = { message: "must not be blank" };

@InputType({ description: "Report a signal (signaal) on a case; SCHOOL, HUISARTS or JGZ of an involved organisation" })
export class ReportSignalInput {
  @Field(() => ID) caseId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "The family member it is about: a member of the case's family whose identity the reporter may see (a school: its own pupil); omit for the household",
  })
  @IsOptional()
  @IsUUID()
  memberId?: string | null;

  @Field(() => LocalDate, { description: "Waargenomen op; not in the future" })
  observedOn!: string;

  @Field(() => SignalUrgencyEnum, { defaultValue: "NORMAL" })
  urgency!: SignalUrgency;

  @Field(() => String, { description: "What was observed, 1–5000 characters" })
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  description!: string;
}

@InputType({ description: "Acknowledge a signal (the regisseur has seen it and says what is done with it)" })
export class AcknowledgeSignalInput {
  @Field(() => ID) id!: string;

  @Field(() => String, { nullable: true, description: "What is done with the signal, 1–5000 characters" })
  @IsOptional()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  note?: string | null;
}
