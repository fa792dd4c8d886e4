import { registerEnumType } from "type-graphql";
import { ORGANISATION_KINDS, ROLES } from "../auth/viewer.js";

/** Builds a TypeScript-string-union-backed GraphQL enum ({ A: "A", … }). */
export function stringEnum<const T extends readonly string[]>(values: T, name: string, description?: string) {
  const obj = Object.fromEntries(values.map((v) => [v, v])) as { [K in T[number]]: K };
  registerEnumType(obj, { name, description });
  return obj;
}

export const RoleEnum = stringEnum(ROLES, "Role", "A user's role (DOMAIN.md §2)");
export const OrganisationKindEnum = stringEnum(ORGANISATION_KINDS, "OrganisationKind");
