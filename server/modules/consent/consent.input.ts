import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, IsUUID, Length, Matches } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";
import { DataCategoryEnum, type ShareableCategory } from "./consent.type.js";

@InputType({ description: "Record a client's consent (toestemming)" })
export class RecordConsentInput {
  @Field(() => ID) caseId!: string;

  @Field(() => ID, { description: "The organisation the data may be shared with; must be involved in the case" })
  @IsUUID()
  organisationId!: string;

  @Field(() => [DataCategoryEnum])
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  categories!: ShareableCategory[];

  @Field(() => String, { description: "Doel: what the data is shared for" })
  @Length(1, 1000)
  @Matches(/\S/, { message: "must not be blank" })
  purpose!: string;

  @Field(() => ID, { nullable: true, description: "Whose data; omit for the whole household" })
  @IsOptional()
  @IsUUID()
  subjectMemberId?: string | null;

  @Field(() => [ID], { description: "Family members who gave the consent (the rule for minors decides who must)" })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID("all", { each: true })
  givenByMemberIds!: string[];

  @Field(() => LocalDate, { description: "Not in the future" })
  givenOn!: string;

  @Field(() => LocalDate, { nullable: true, description: "Last valid day; after givenOn" })
  @IsOptional()
  validUntil?: string | null;
}

@InputType({ description: "Withdraw a consent (intrekking): effective at once" })
export class WithdrawConsentInput {
  @Field(() => ID) id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2000)
  reason?: string | null;
}

@InputType({ description: "Record a decision to share without consent (delen zonder toestemming)" })
export class RecordSharingDecisionInput {
  @Field(() => ID) caseId!: string;

  @Field(() => ID, { description: "The organisation the data may be shared with; must be involved in the case" })
  @IsUUID()
  organisationId!: string;

  @Field(() => [DataCategoryEnum])
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  categories!: ShareableCategory[];

  @Field(() => String, { description: "Wettelijke grondslag" })
  @Length(1, 1000)
  @Matches(/\S/, { message: "must not be blank" })
  legalBasis!: string;

  @Field(() => String, { description: "Afweging: the recorded weighing (required by the inspection framework)" })
  @Length(1, 20000)
  @Matches(/\S/, { message: "must not be blank" })
  weighing!: string;

  @Field(() => LocalDate, { description: "Not in the future" })
  decidedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: "Last day the decision applies; after decidedOn" })
  @IsOptional()
  validUntil?: string | null;
}

@InputType({ description: "Withdraw a sharing decision: effective at once" })
export class WithdrawSharingDecisionInput {
  @Field(() => ID) id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2000)
  reason?: string | null;
}
