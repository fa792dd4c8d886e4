import { IsUUID, MaxLength, MinLength } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { EMERGENCY } from "../../access/policy.js";

@InputType({ description: "Noodtoegang: open a case your organisation is not involved in, in an acute safety situation" })
export class OpenEmergencyAccessInput {
  @Field(() => ID, { description: "The case (the professional must know its id, e.g. from Veilig Thuis or the police)" })
  @IsUUID("all")
  caseId!: string;

  @Field(() => String, { description: `Why: the acute safety situation (at least ${EMERGENCY.minReasonLength} characters). Shown to the regisseur and the privacy officer.` })
  @MinLength(EMERGENCY.minReasonLength)
  @MaxLength(2000)
  reason!: string;
}
