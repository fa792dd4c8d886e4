import { ID, ObjectType, registerEnumType } from "type-graphql";
import { CATEGORIES, type Category } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { LocalDate } from "../../common/scalars.js";
import type { ConsentRule } from "./consent.entity.js";

/** Categories that are not client data, or not shareable per organisation: never consented to. */
const NOT_SHAREABLE = ["STRUCTURE", "DIRECTORY", "CASE", "INDICATORS", "ACCESS_LOG"] as const;
type ShareableKey = Exclude<keyof typeof CATEGORIES, (typeof NOT_SHAREABLE)[number]>;

/**
 * `DataCategory`: GraphQL names in UPPER_SNAKE (the keys of CATEGORIES), internal values the
 * category strings the policy uses (e.g. LIFE_DOMAINS ↔ "lifeDomains"); stored as those strings.
 */
export const DataCategoryEnum = Object.fromEntries(
  Object.entries(CATEGORIES).filter(([k]) => !(NOT_SHAREABLE as readonly string[]).includes(k)),
) as { [K in ShareableKey]: (typeof CATEGORIES)[K] };
export type ShareableCategory = (typeof DataCategoryEnum)[ShareableKey];
export const SHAREABLE_CATEGORIES: ReadonlySet<Category> = new Set(Object.values(DataCategoryEnum));

registerEnumType(DataCategoryEnum, {
  name: "DataCategory",
  description: "A category of client data that may be shared with an organisation by consent or by a sharing decision",
});

export const ConsentRuleEnum = stringEnum(
  ["ADULT", "PARENTS", "PARENTS_AND_CHILD", "YOUNG_PERSON"] as const,
  "ConsentRule",
  "Who must consent (Dutch law): ADULT — an adult or the household; PARENTS — a child under 12, by the parents/guardians; PARENTS_AND_CHILD — 12 to 15, the parents and the child; YOUNG_PERSON — 16 or 17, the young person",
);

@ObjectType({ description: "Toestemming: the client's consent to share categories of data with an organisation for a purpose" })
export class Consent {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.CONSENT, () => [DataCategoryEnum], { nullable: true, description: "What may be shared" }) categories!: string[];
  @CField(CATEGORIES.CONSENT, () => String, { nullable: true, description: "Doel: what the data is shared for" }) purpose!: string;
  @CField(CATEGORIES.CONSENT, () => ConsentRuleEnum, { nullable: true, description: "The rule for minors that applied on givenOn" })
  consentRule!: ConsentRule;
  @CField(CATEGORIES.CONSENT, () => LocalDate, { nullable: true }) givenOn!: string;
  @CField(CATEGORIES.CONSENT, () => LocalDate, { nullable: true, description: "Last day the consent is valid; none = until withdrawn" })
  validUntil!: string | null;
  @CField(CATEGORIES.CONSENT, () => Date, { nullable: true, description: "Intrekking: withdrawn at, effective at once" }) withdrawnAt!: Date | null;
  @CField(CATEGORIES.CONSENT, () => String, { nullable: true }) withdrawalReason!: string | null;
  @CField(CATEGORIES.CONSENT, () => Date, { nullable: true }) createdAt!: Date;
  // organisation, subject, givenBy, withdrawnBy, active: consent.resolver.ts
}

@ObjectType({ description: "Delen zonder toestemming: a decision to share data without consent, with its legal basis and recorded weighing" })
export class SharingDecision {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.CONSENT, () => [DataCategoryEnum], { nullable: true, description: "What may be shared" }) categories!: string[];
  @CField(CATEGORIES.CONSENT, () => String, { nullable: true, description: "Wettelijke grondslag" }) legalBasis!: string;
  @CField(CATEGORIES.CONSENT, () => String, { nullable: true, description: "Afweging: why sharing without consent is necessary" }) weighing!: string;
  @CField(CATEGORIES.CONSENT, () => LocalDate, { nullable: true }) decidedOn!: string;
  @CField(CATEGORIES.CONSENT, () => LocalDate, { nullable: true, description: "Last day the decision applies; none = until withdrawn" })
  validUntil!: string | null;
  @CField(CATEGORIES.CONSENT, () => Date, { nullable: true }) withdrawnAt!: Date | null;
  @CField(CATEGORIES.CONSENT, () => String, { nullable: true }) withdrawalReason!: string | null;
  @CField(CATEGORIES.CONSENT, () => Date, { nullable: true }) createdAt!: Date;
  // organisation, decidedBy, withdrawnBy, active: consent.resolver.ts
}
