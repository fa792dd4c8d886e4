/** Roles of DOMAIN.md §2. */
export const ROLES = [
  "REGISSEUR",
  "PROFESSIONAL",
  "SCHOOL",
  "HUISARTS",
  "JGZ",
  "VEILIG_THUIS",
  "BEHAVIOURAL_SCIENTIST",
  "MANAGER",
  "AUDITOR",
  "PRIVACY_OFFICER",
] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATION_KINDS = [
  "MUNICIPALITY",
  "VEILIG_THUIS",
  "SOCIAL_TEAM",
  "REGIETEAM",
  "SCHOOL",
  "GP",
  "JGZ",
  "CARE_PROVIDER",
  "POLICE",
  "HOUSING",
  "DEBT_COUNSELLING",
  "YOUTH_PROTECTION",
  "OTHER",
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Who is calling: resolved from the token once per request (or per WebSocket connection). */
export interface Viewer {
  professionalId: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  organisationKind: OrganisationKind;
  /** Token expiry (epoch seconds), used to end subscriptions when the token expires. */
  tokenExpiresAt?: number;
}
