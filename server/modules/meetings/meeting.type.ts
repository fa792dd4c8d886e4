import { ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { MEETING_KINDS, MEETING_STATUSES, type MeetingKind, type MeetingStatus } from "./meeting.entity.js";

export const MeetingKindEnum = stringEnum(MEETING_KINDS, "MeetingKind", "MDO (multidisciplinair overleg), a meeting with the family, or another meeting");
export const MeetingStatusEnum = stringEnum(MEETING_STATUSES, "MeetingStatus", "PLANNED until it is held (minutes recorded) or cancelled");

@ObjectType({
  description:
    "MDO or other meeting of a case: when, where, agenda and invitees (meeting data), and once held its minutes and decisions (meetingMinutes) and the safety agreements it changed",
})
export class Meeting {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.MEETING, () => MeetingKindEnum, { nullable: true }) kind!: MeetingKind;
  @CField(CATEGORIES.MEETING, () => Date, { nullable: true, description: "Gepland op" }) scheduledAt!: Date;
  @CField(CATEGORIES.MEETING, () => String, { nullable: true, description: "Locatie" }) location!: string | null;
  @CField(CATEGORIES.MEETING, () => String, { nullable: true, description: "Agenda" }) agenda!: string | null;
  @CField(CATEGORIES.MEETING, () => MeetingStatusEnum, { nullable: true }) status!: MeetingStatus;
  @CField(CATEGORIES.MEETING, () => Boolean, { nullable: true, description: "Het gezin is uitgenodigd" }) familyInvited!: boolean;
  @CField(CATEGORIES.MEETING, () => Boolean, { nullable: true, description: "Het sociaal netwerk is uitgenodigd" }) networkInvited!: boolean;
  @CField(CATEGORIES.MEETING, () => Date, { nullable: true, description: "Gehouden op; null until held" }) heldAt!: Date | null;
  @CField(CATEGORIES.MEETING_MINUTES, () => String, { nullable: true, description: "Verslag: the minutes; null until held" }) minutes!: string | null;
  @CField(CATEGORIES.MEETING, () => Date, { nullable: true }) createdAt!: Date;
  @CField(CATEGORIES.MEETING, () => Date, { nullable: true }) updatedAt!: Date;
  @CField(CATEGORIES.CASE, () => Int) version!: number;
  // invitees, decisions, changedAgreements: meeting.resolver.ts
}

@ObjectType({ description: "Besluit: a decision taken in a meeting (part of its minutes)" })
export class MeetingDecision {
  @CField(CATEGORIES.CASE, () => ID) id!: string;
  @CField(CATEGORIES.MEETING_MINUTES, () => String, { nullable: true }) text!: string;
  @CField(CATEGORIES.MEETING_MINUTES, () => Date, { nullable: true }) createdAt!: Date;
}
