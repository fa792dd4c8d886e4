import { ID, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { REGIE_KINDS, type RegieKind } from "./regie.entity.js";

export const RegieKindEnum = stringEnum(REGIE_KINDS, "RegieKind", "CASE: casusregie (directs the case and its plan); PROCESS: procesregie (watches the process)");

@ObjectType({ description: "Regie: a professional directing the case (casusregisseur or procesregisseur) from a start until a handover or end" })
export class RegieAssignment {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.CASE, () => RegieKindEnum, { description: "CASE: casusregie; PROCESS: procesregie" }) kind!: RegieKind;
  @CField(CATEGORIES.CASE, () => String, { nullable: true, description: "Reden: why regie was assigned or handed over" }) reason!: string | null;
  @CField(CATEGORIES.CASE, () => Date) startedAt!: Date;
  @CField(CATEGORIES.CASE, () => Date, { nullable: true, description: "Set when regie was handed over or ended" }) endedAt!: Date | null;
  // professional, organisation: regie.resolver.ts
}
