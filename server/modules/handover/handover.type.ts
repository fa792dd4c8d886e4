import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { LocalDate } from "../../common/scalars.js";
import { CLOSING_LETTER_RECIPIENTS, type ClosingLetterRecipient } from "./handover.entity.js";

export const ClosingLetterRecipientEnum = stringEnum(
  CLOSING_LETTER_RECIPIENTS,
  "ClosingLetterRecipient",
  "Who received Veilig Thuis' afsluitbrief: the client, the involved organisations, the school, the GP",
);

@ObjectType({ description: "Overdracht: Veilig Thuis' handover of the case to the local network" })
export class Handover {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.HANDOVER, () => String, { nullable: true, description: "Uitkomst van het onderzoek: the outcome of Veilig Thuis' investigation" })
  outcome!: string;
  @CField(CATEGORIES.HANDOVER, () => String, { nullable: true, description: "Overzicht van de reeds betrokken hulp" })
  helpAlreadyInvolved!: string | null;
  @CField(CATEGORIES.HANDOVER, () => [String], { nullable: true, description: "Veiligheidsvoorwaarden: the safety conditions set by Veilig Thuis" })
  safetyConditions!: string[];
  @CField(CATEGORIES.HANDOVER, () => Boolean, { nullable: true, description: "Schriftelijke overdracht ontvangen" })
  writtenHandoverReceived!: boolean;
  @CField(CATEGORIES.HANDOVER, () => LocalDate, { nullable: true, description: "When the written handover was received" })
  writtenHandoverReceivedOn!: string | null;
  @CField(CATEGORIES.HANDOVER, () => LocalDate, { nullable: true, description: "Warme overdracht (joint home visit); null = not held yet" })
  warmHandoverOn!: string | null;
  @CField(CATEGORIES.HANDOVER, () => [ClosingLetterRecipientEnum], { nullable: true, description: "Who received the afsluitbrief (closing letter)" })
  closingLetterRecipients!: ClosingLetterRecipient[];
  @CField(CATEGORIES.HANDOVER, () => Date, { nullable: true, description: "Moment of the overdracht" }) handedOverAt!: Date;
  @CField(CATEGORIES.HANDOVER, () => Date, { nullable: true }) updatedAt!: Date;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // fromOrganisation: handover.resolver.ts
}
