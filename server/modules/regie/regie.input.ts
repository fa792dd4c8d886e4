import { IsOptional, IsUUID, Length, Matches } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import type { RegieKind } from "./regie.entity.js";
import { RegieKindEnum } from "./regie.type.js";

@InputType({ description: "Assign regie, or hand it over: the active assignment of this kind ends and the new one starts" })
export class AssignRegieInput {
  @Field(() => ID) caseId!: string;

  @Field(() => RegieKindEnum) kind!: RegieKind;

  @Field(() => ID, {
    description:
      "The new regisseur: an active professional of an organisation actively involved in the case; for CASE a REGISSEUR, for PROCESS a REGISSEUR or PROFESSIONAL",
  })
  @IsUUID()
  professionalId!: string;

  @Field(() => String, { nullable: true, description: "Reden: why regie is assigned or handed over" })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, { message: "must not be blank" })
  reason?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The active assignment of this kind the caller saw; CONFLICT when another one is active now (someone handed regie over meanwhile)",
  })
  @IsOptional()
  @IsUUID()
  expectedCurrentAssignmentId?: string | null;
}

@InputType({ description: "End procesregie without a successor (casusregie can only be handed over, never just ended)" })
export class EndRegieInput {
  @Field(() => ID) caseId!: string;

  @Field(() => RegieKindEnum, { description: "PROCESS; CASE is refused" }) kind!: RegieKind;
}
