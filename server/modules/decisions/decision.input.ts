import { IsOptional, IsUUID, Length, Matches } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";

const NOT_BLANK = { message: "must not be blank" };

@InputType({ description: "Record a key decision (kernbeslissing); the viewer is who decided" })
export class RecordKeyDecisionInput {
  @Field(() => ID) caseId!: string;

  @Field(() => String, { description: "Het besluit, 1–5000 characters" })
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  decision!: string;

  @Field(() => LocalDate, { description: "Not in the future" })
  decidedOn!: string;

  @Field(() => String, { description: "Who was consulted, 1–2000 characters" })
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  consulted!: string;

  @Field(() => ID, { nullable: true, description: "The behavioural scientist consulted: an active professional with role BEHAVIOURAL_SCIENTIST" })
  @IsOptional()
  @IsUUID()
  behaviouralScientistId?: string | null;

  @Field(() => String, { description: "On what information the decision rests, 1–5000 characters" })
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  informationBasis!: string;
}
