import { IsUUID, Length, Matches } from "class-validator";
import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "Involve an organisation in a case (betrokken organisatie)" })
export class InvolveOrganisationInput {
  @Field(() => ID) caseId!: string;

  @Field(() => ID)
  @IsUUID()
  organisationId!: string;

  @Field(() => String, { description: "What the organisation does in this case, e.g. 'jeugdhulp', 'school', 'huisarts'" })
  @Length(1, 200)
  @Matches(/\S/, { message: "must not be blank" })
  role!: string;
}

@InputType({ description: "End an organisation's involvement in a case; it stays as history" })
export class EndInvolvementInput {
  @Field(() => ID) id!: string;

  @Field(() => String, { description: "Why the involvement ends" })
  @Length(1, 2000)
  @Matches(/\S/, { message: "must not be blank" })
  reason!: string;
}
