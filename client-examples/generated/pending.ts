/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Acknowledge a signal (the regisseur has seen it and says what is done with it) */
export type AcknowledgeSignalInput = {
  id: string;
  /** What is done with the signal, 1–5000 characters */
  note?: string | null | undefined;
};

/** Mark a safety agreement as seen by the viewer's organisation (gezien) */
export type MarkSafetyAgreementSeenInput = {
  id: string;
  /** The version seen; CONFLICT when it is not the current version */
  version: number;
};

/** MDO (multidisciplinair overleg), a meeting with the family, or another meeting */
export const MeetingKind = {
  FamilyMeeting: 'FAMILY_MEETING',
  Mdo: 'MDO',
  Other: 'OTHER'
} as const;

export type MeetingKind = typeof MeetingKind[keyof typeof MeetingKind];
/** PLANNED until it is held (minutes recorded) or cancelled */
export const MeetingStatus = {
  Cancelled: 'CANCELLED',
  Held: 'HELD',
  Planned: 'PLANNED'
} as const;

export type MeetingStatus = typeof MeetingStatus[keyof typeof MeetingStatus];
/** Record that a planned meeting was held: minutes, decisions and the safety agreements it changed, at once */
export type RecordMeetingOutcomeInput = {
  /** Safety agreements of this case changed in the meeting */
  changedAgreementIds: Array<string>;
  /** Besluiten, in order; each 1–5000 characters */
  decisions: Array<string>;
  /** When it was held (default now); not in the future */
  heldAt?: string | null | undefined;
  id: string;
  /** Verslag: the minutes */
  minutes: string;
  /** The version read; CONFLICT when someone changed the meeting since */
  version: number;
};

/** Report a signal (signaal) on a case; SCHOOL, HUISARTS or JGZ of an involved organisation */
export type ReportSignalInput = {
  caseId: string;
  /** What was observed, 1–5000 characters */
  description: string;
  /** The family member it is about: a member of the case's family whose identity the reporter may see (a school: its own pupil); omit for the household */
  memberId?: string | null | undefined;
  /** Waargenomen op; not in the future */
  observedOn: string;
  urgency?: SignalUrgency;
};

/** Schedule an MDO or other meeting of a case (REGISSEUR) */
export type ScheduleMeetingInput = {
  agenda?: string | null | undefined;
  caseId: string;
  /** Default false */
  familyInvited?: boolean | null | undefined;
  /** Invited organisations: each actively involved in the case */
  inviteeOrganisationIds: Array<string>;
  kind?: MeetingKind;
  location?: string | null | undefined;
  /** Default false */
  networkInvited?: boolean | null | undefined;
  /** When; not in the past and at most two years ahead */
  scheduledAt: string;
};

/** Urgentie of a signal: LOW, NORMAL, HIGH, or ACUTE (act today) */
export const SignalUrgency = {
  Acute: 'ACUTE',
  High: 'HIGH',
  Low: 'LOW',
  Normal: 'NORMAL'
} as const;

export type SignalUrgency = typeof SignalUrgency[keyof typeof SignalUrgency];
export type MeetingFieldsFragment = { id: string, kind: MeetingKind | null, scheduledAt: string | null, location: string | null, agenda: string | null, status: MeetingStatus | null, familyInvited: boolean | null, networkInvited: boolean | null, heldAt: string | null, minutes: string | null, version: number, invitees: Array<{ id: string, name: string }> | null, decisions: Array<{ id: string, text: string | null }> | null, changedAgreements: Array<{ id: string }> | null };

export type SignalFieldsFragment = { id: string, observedOn: string | null, urgency: SignalUrgency | null, description: string | null, acknowledgedAt: string | null, acknowledgementNote: string | null, member: { id: string, givenName: string | null } | null, reportingOrganisation: { id: string, name: string } | null };

export type PartnerMeetingsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type PartnerMeetingsQuery = { cases: { edges: Array<{ node: { id: string, nextMeeting: { id: string, kind: MeetingKind | null, scheduledAt: string | null, location: string | null, agenda: string | null, status: MeetingStatus | null, familyInvited: boolean | null, networkInvited: boolean | null, heldAt: string | null, minutes: string | null, version: number, invitees: Array<{ id: string, name: string }> | null, decisions: Array<{ id: string, text: string | null }> | null, changedAgreements: Array<{ id: string }> | null } | null, meetings: Array<{ id: string, kind: MeetingKind | null, scheduledAt: string | null, location: string | null, agenda: string | null, status: MeetingStatus | null, familyInvited: boolean | null, networkInvited: boolean | null, heldAt: string | null, minutes: string | null, version: number, invitees: Array<{ id: string, name: string }> | null, decisions: Array<{ id: string, text: string | null }> | null, changedAgreements: Array<{ id: string }> | null }> | null } }> } };

export type CaseMeetingsQueryVariables = Exact<{
  id: string;
}>;


export type CaseMeetingsQuery = { case: { id: string, meetings: Array<{ id: string, kind: MeetingKind | null, scheduledAt: string | null, location: string | null, agenda: string | null, status: MeetingStatus | null, familyInvited: boolean | null, networkInvited: boolean | null, heldAt: string | null, minutes: string | null, version: number, invitees: Array<{ id: string, name: string }> | null, decisions: Array<{ id: string, text: string | null }> | null, changedAgreements: Array<{ id: string }> | null }> | null, nextMeeting: { id: string, kind: MeetingKind | null, scheduledAt: string | null, location: string | null, agenda: string | null, status: MeetingStatus | null, familyInvited: boolean | null, networkInvited: boolean | null, heldAt: string | null, minutes: string | null, version: number, invitees: Array<{ id: string, name: string }> | null, decisions: Array<{ id: string, text: string | null }> | null, changedAgreements: Array<{ id: string }> | null } | null } };

export type ScheduleMeetingMutationVariables = Exact<{
  input: ScheduleMeetingInput;
}>;


export type ScheduleMeetingMutation = { scheduleMeeting: { id: string, kind: MeetingKind | null, scheduledAt: string | null, location: string | null, agenda: string | null, status: MeetingStatus | null, familyInvited: boolean | null, networkInvited: boolean | null, heldAt: string | null, minutes: string | null, version: number, invitees: Array<{ id: string, name: string }> | null, decisions: Array<{ id: string, text: string | null }> | null, changedAgreements: Array<{ id: string }> | null } };

export type RecordMeetingOutcomeMutationVariables = Exact<{
  input: RecordMeetingOutcomeInput;
}>;


export type RecordMeetingOutcomeMutation = { recordMeetingOutcome: { id: string, kind: MeetingKind | null, scheduledAt: string | null, location: string | null, agenda: string | null, status: MeetingStatus | null, familyInvited: boolean | null, networkInvited: boolean | null, heldAt: string | null, minutes: string | null, version: number, invitees: Array<{ id: string, name: string }> | null, decisions: Array<{ id: string, text: string | null }> | null, changedAgreements: Array<{ id: string }> | null } };

export type CaseSignalsQueryVariables = Exact<{
  id: string;
}>;


export type CaseSignalsQuery = { case: { id: string, signals: Array<{ id: string, observedOn: string | null, urgency: SignalUrgency | null, description: string | null, acknowledgedAt: string | null, acknowledgementNote: string | null, member: { id: string, givenName: string | null } | null, reportingOrganisation: { id: string, name: string } | null }> | null } };

export type ReportSignalMutationVariables = Exact<{
  input: ReportSignalInput;
}>;


export type ReportSignalMutation = { reportSignal: { id: string, observedOn: string | null, urgency: SignalUrgency | null, description: string | null, acknowledgedAt: string | null, acknowledgementNote: string | null, member: { id: string, givenName: string | null } | null, reportingOrganisation: { id: string, name: string } | null } };

export type AcknowledgeSignalMutationVariables = Exact<{
  input: AcknowledgeSignalInput;
}>;


export type AcknowledgeSignalMutation = { acknowledgeSignal: { id: string, observedOn: string | null, urgency: SignalUrgency | null, description: string | null, acknowledgedAt: string | null, acknowledgementNote: string | null, member: { id: string, givenName: string | null } | null, reportingOrganisation: { id: string, name: string } | null } };

export type SignalRaisedDetailSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type SignalRaisedDetailSubscription = { signalRaised: { id: string, kind: string, caseId: string, occurredAt: string, subject:
      | { __typename: 'Case' }
      | { __typename: 'Consent' }
      | { __typename: 'EmergencyAccess' }
      | { __typename: 'Evaluation' }
      | { __typename: 'FamilyMember' }
      | { __typename: 'Goal' }
      | { __typename: 'Handover' }
      | { __typename: 'Involvement' }
      | { __typename: 'KeyDecision' }
      | { __typename: 'LifeDomainScore' }
      | { __typename: 'Meeting' }
      | { __typename: 'MonitoringContact' }
      | { __typename: 'NetworkMember' }
      | { __typename: 'PartialPlan' }
      | { __typename: 'Plan' }
      | { __typename: 'RegieAssignment' }
      | { __typename: 'RiskAssessment' }
      | { __typename: 'SafetyAgreement' }
      | { __typename: 'SafetyPlan' }
      | { __typename: 'SharingDecision' }
      | { __typename: 'Signal', id: string, observedOn: string | null, urgency: SignalUrgency | null, description: string | null, acknowledgedAt: string | null, acknowledgementNote: string | null, member: { id: string, givenName: string | null } | null, reportingOrganisation: { id: string, name: string } | null }
      | { __typename: 'WorklistNotice' }
     | null } };

export type MarkSafetyAgreementSeenMutationVariables = Exact<{
  input: MarkSafetyAgreementSeenInput;
}>;


export type MarkSafetyAgreementSeenMutation = { markSafetyAgreementSeen: { id: string, version: number } };

export type AgreementsSeenQueryVariables = Exact<{
  id: string;
}>;


export type AgreementsSeenQuery = { case: { id: string, safetyPlan: { id: string, agreements: Array<{ id: string, version: number, what: string | null, seenBy: Array<{ version: number | null, seenAt: string | null, current: boolean | null, organisation: { name: string } | null }> | null, notSeenBy: Array<{ id: string, name: string }> | null }> | null } | null } };

export const MeetingFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MeetingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Meeting"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"scheduledAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"agenda"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"familyInvited"}},{"kind":"Field","name":{"kind":"Name","value":"networkInvited"}},{"kind":"Field","name":{"kind":"Name","value":"heldAt"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"invitees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"Field","name":{"kind":"Name","value":"changedAgreements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<MeetingFieldsFragment, unknown>;
export const SignalFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignalFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Signal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"observedOn"}},{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reportingOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementNote"}}]}}]} as unknown as DocumentNode<SignalFieldsFragment, unknown>;
export const PartnerMeetingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerMeetings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cases"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"nextMeeting"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MeetingFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"meetings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MeetingFields"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MeetingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Meeting"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"scheduledAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"agenda"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"familyInvited"}},{"kind":"Field","name":{"kind":"Name","value":"networkInvited"}},{"kind":"Field","name":{"kind":"Name","value":"heldAt"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"invitees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"Field","name":{"kind":"Name","value":"changedAgreements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<PartnerMeetingsQuery, PartnerMeetingsQueryVariables>;
export const CaseMeetingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CaseMeetings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"case"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"meetings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MeetingFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nextMeeting"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MeetingFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MeetingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Meeting"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"scheduledAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"agenda"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"familyInvited"}},{"kind":"Field","name":{"kind":"Name","value":"networkInvited"}},{"kind":"Field","name":{"kind":"Name","value":"heldAt"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"invitees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"Field","name":{"kind":"Name","value":"changedAgreements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<CaseMeetingsQuery, CaseMeetingsQueryVariables>;
export const ScheduleMeetingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ScheduleMeeting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ScheduleMeetingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scheduleMeeting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MeetingFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MeetingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Meeting"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"scheduledAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"agenda"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"familyInvited"}},{"kind":"Field","name":{"kind":"Name","value":"networkInvited"}},{"kind":"Field","name":{"kind":"Name","value":"heldAt"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"invitees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"Field","name":{"kind":"Name","value":"changedAgreements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<ScheduleMeetingMutation, ScheduleMeetingMutationVariables>;
export const RecordMeetingOutcomeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordMeetingOutcome"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordMeetingOutcomeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordMeetingOutcome"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MeetingFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MeetingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Meeting"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"scheduledAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"agenda"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"familyInvited"}},{"kind":"Field","name":{"kind":"Name","value":"networkInvited"}},{"kind":"Field","name":{"kind":"Name","value":"heldAt"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"invitees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"Field","name":{"kind":"Name","value":"changedAgreements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<RecordMeetingOutcomeMutation, RecordMeetingOutcomeMutationVariables>;
export const CaseSignalsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CaseSignals"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"case"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"signals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SignalFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignalFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Signal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"observedOn"}},{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reportingOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementNote"}}]}}]} as unknown as DocumentNode<CaseSignalsQuery, CaseSignalsQueryVariables>;
export const ReportSignalDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReportSignal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReportSignalInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reportSignal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SignalFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignalFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Signal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"observedOn"}},{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reportingOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementNote"}}]}}]} as unknown as DocumentNode<ReportSignalMutation, ReportSignalMutationVariables>;
export const AcknowledgeSignalDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AcknowledgeSignal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AcknowledgeSignalInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acknowledgeSignal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SignalFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignalFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Signal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"observedOn"}},{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reportingOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementNote"}}]}}]} as unknown as DocumentNode<AcknowledgeSignalMutation, AcknowledgeSignalMutationVariables>;
export const SignalRaisedDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SignalRaisedDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signalRaised"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"caseId"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"subject"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Signal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SignalFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignalFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Signal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"observedOn"}},{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reportingOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementNote"}}]}}]} as unknown as DocumentNode<SignalRaisedDetailSubscription, SignalRaisedDetailSubscriptionVariables>;
export const MarkSafetyAgreementSeenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkSafetyAgreementSeen"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MarkSafetyAgreementSeenInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"markSafetyAgreementSeen"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<MarkSafetyAgreementSeenMutation, MarkSafetyAgreementSeenMutationVariables>;
export const AgreementsSeenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgreementsSeen"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"case"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"safetyPlan"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agreements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"what"}},{"kind":"Field","name":{"kind":"Name","value":"seenBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"seenAt"}},{"kind":"Field","name":{"kind":"Name","value":"current"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notSeenBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AgreementsSeenQuery, AgreementsSeenQueryVariables>;