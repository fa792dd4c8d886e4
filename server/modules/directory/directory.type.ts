import { ID, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import type { OrganisationKind, Role } from "../../auth/viewer.js";
import { OrganisationKindEnum, RoleEnum } from "../../common/enums.js";

@ObjectType({ description: "An organisation in the network (gemeente, Veilig Thuis, wijkteam, school, huisarts…)" })
export class Organisation {
  @CField(CATEGORIES.DIRECTORY, () => ID) id!: string;
  @CField(CATEGORIES.DIRECTORY, () => String) name!: string;
  @CField(CATEGORIES.DIRECTORY, () => OrganisationKindEnum) kind!: OrganisationKind;
  @CField(CATEGORIES.DIRECTORY, () => String, { nullable: true, description: "Work phone number" }) phone!: string | null;
  @CField(CATEGORIES.DIRECTORY, () => String, { nullable: true, description: "Work e-mail address" }) email!: string | null;
}

@ObjectType({ description: "A professional using the hub; work contact details only" })
export class Professional {
  @CField(CATEGORIES.DIRECTORY, () => ID) id!: string;
  @CField(CATEGORIES.DIRECTORY, () => String) name!: string;
  @CField(CATEGORIES.DIRECTORY, () => String) email!: string;
  @CField(CATEGORIES.DIRECTORY, () => String, { nullable: true }) phone!: string | null;
  @CField(CATEGORIES.DIRECTORY, () => RoleEnum) role!: Role;
  // organisation: resolved in directory.resolver.ts
}

@ObjectType({ description: "The viewer: who the token belongs to" })
export class Me {
  @CField(CATEGORIES.DIRECTORY, () => ID) id!: string;
  @CField(CATEGORIES.DIRECTORY, () => String) email!: string;
  @CField(CATEGORIES.DIRECTORY, () => String) name!: string;
  @CField(CATEGORIES.DIRECTORY, () => RoleEnum) role!: Role;
  // organisation: resolved in directory.resolver.ts
}
