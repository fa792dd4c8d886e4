import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, Length, Matches, ValidateBy, ValidateNested, type ValidationOptions } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { LocalDate } from "../../common/scalars.js";
import type { MemberKind } from "./family.entity.js";
import { MemberKindEnum } from "./family.type.js";

/**
 * Burgerservicenummer: nine digits passing the 11-proef
 * (d1·9 + d2·8 + … + d8·2 − d9·1 divisible by 11); 000000000 is not a number anyone holds.
 */
export function isValidBsn(value: unknown): boolean {
  if (typeof value !== "string" || !/^[0-9]{9}$/.test(value) || value === "000000000") return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(value[i]) * (9 - i);
  sum -= Number(value[8]);
  return sum % 11 === 0;
}

function IsBsn(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: "isBsn", validator: { validate: isValidBsn, defaultMessage: () => "must be a valid BSN (9 digits, 11-proef)" } },
    options,
  );
}

const NOT_BLANK = { message: "must not be blank" };

/** A household member as entered by a professional (no BSN: only Veilig Thuis records it, at handover). */
@InputType({ description: "A member of the household" })
export class FamilyMemberInput {
  @Field(() => MemberKindEnum) kind!: MemberKind;

  @Field(() => String, { description: "Voornaam" })
  @Length(1, 100)
  @Matches(/\S/, NOT_BLANK)
  givenName!: string;

  @Field(() => String, { description: "Achternaam" })
  @Length(1, 100)
  @Matches(/\S/, NOT_BLANK)
  familyName!: string;

  @Field(() => LocalDate, { nullable: true, description: "Geboortedatum; required for a child, not in the future" })
  @IsOptional()
  birthDate?: string | null;

  @Field(() => ID, { nullable: true, description: "The child's school: an organisation of kind SCHOOL (children only)" })
  @IsOptional()
  @IsUUID()
  schoolId?: string | null;

  @Field(() => ID, { nullable: true, description: "The member's GP practice: an organisation of kind GP" })
  @IsOptional()
  @IsUUID()
  gpId?: string | null;
}

@InputType({ description: "A member of the household as handed over by Veilig Thuis, with the BSN when known" })
export class HandoverFamilyMemberInput extends FamilyMemberInput {
  @Field(() => String, { nullable: true, description: "Burgerservicenummer: 9 digits passing the 11-proef" })
  @IsOptional()
  @IsBsn()
  bsn?: string | null;
}

@InputType({ description: "A new household (gezin / huishouden)" })
export class NewFamilyInput {
  @Field(() => String, { description: "Family name used for the household" })
  @Length(1, 200)
  @Matches(/\S/, NOT_BLANK)
  name!: string;

  @Field(() => Boolean, { description: "Household with children; must be true when a member is a CHILD" })
  hasChildren!: boolean;

  @Field(() => [HandoverFamilyMemberInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  members!: HandoverFamilyMemberInput[];
}

@InputType({ description: "Add a member to the household of a case" })
export class AddFamilyMemberInput {
  @Field(() => ID) caseId!: string;

  @Field(() => FamilyMemberInput)
  @ValidateNested()
  member!: FamilyMemberInput;
}

@InputType({ description: "Change a household member; omitted fields stay as they are, null clears a school or GP" })
export class UpdateFamilyMemberInput {
  @Field(() => ID) id!: string;

  @Field(() => Int, { description: "The version read; CONFLICT when someone changed the member since" })
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  @Matches(/\S/, NOT_BLANK)
  givenName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  @Matches(/\S/, NOT_BLANK)
  familyName?: string | null;

  @Field(() => LocalDate, { nullable: true, description: "Not in the future; a child's cannot be cleared" })
  @IsOptional()
  birthDate?: string | null;

  @Field(() => ID, { nullable: true, description: "Organisation of kind SCHOOL (children only); null clears it" })
  @IsOptional()
  @IsUUID()
  schoolId?: string | null;

  @Field(() => ID, { nullable: true, description: "Organisation of kind GP; null clears it" })
  @IsOptional()
  @IsUUID()
  gpId?: string | null;
}
