/** Module registry: this area's entities and resolvers (listed in db/entities.ts and schema.ts). */
import { CATEGORIES } from "../../access/categories.js";
import { registerSubjects } from "../../realtime/subjects.js";
import { MeetingChangedAgreementEntity, MeetingDecisionEntity, MeetingEntity, MeetingInviteeEntity } from "./meeting.entity.js";
import { CaseMeetingsResolver, MeetingResolver } from "./meeting.resolver.js";
import { Meeting } from "./meeting.type.js";

registerSubjects({ Meeting: { type: Meeting, entity: MeetingEntity, category: CATEGORIES.MEETING } });

export const entities: Function[] = [MeetingEntity, MeetingInviteeEntity, MeetingDecisionEntity, MeetingChangedAgreementEntity];
export const resolvers: Function[] = [CaseMeetingsResolver, MeetingResolver];
