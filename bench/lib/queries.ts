/** The GraphQL documents of the scenarios (the hub's public API, as partner software sends it). */

/** Q1: a school's portal — its first N cases, the children's names, the agreements shared with it, the regisseur. */
export const Q1 = `query SchoolPortal($first: Int) {
  cases(first: $first) {
    edges { node {
      id
      family { members { id givenName familyName } }
      safetyPlan { agreements { id priority what criterion status dueOn version } }
      regisseur { professional { name phone } }
    } }
  }
}`;

/** Q2: the regisseur's full case, all categories, full depth. */
export const Q2 = `query FullCase($id: ID!) {
  case(id: $id) {
    id status openedAt version
    family { id name hasChildren members { id kind givenName familyName birthDate bsn school { id name } gp { id name phone } } }
    involvements { id role startedAt organisation { id name kind phone } }
    handover { id outcome helpAlreadyInvolved safetyConditions writtenHandoverReceived warmHandoverOn closingLetterRecipients fromOrganisation { name } }
    regisseur { id kind startedAt professional { name phone email } organisation { name } }
    regieHistory { id kind startedAt endedAt professional { name } }
    plan {
      id problemAnalysis helpQuestion familyWords childrenWords childrenHeard version
      goals { id title domain priority status targetMeasure dueOn responsibleOrganisation { name } member { givenName } partialPlan { title } }
      partialPlans { id title status organisation { name } goals { id title } }
      networkMembers { id name relation phone contribution }
      lifeDomainScores { id domain score assessedOn }
    }
    safetyPlan {
      id signalsToWatch whomToCall madeWithClient version
      agreements { id priority what criterion status dueOn version responsibleKind responsibleOrganisation { name } reportTo { name } sharedWith { id name } }
    }
    riskAssessments { id instrument level assessedOn conclusion assessor { name } }
    latestRiskAssessment { id level }
    consents { id categories purpose givenOn active organisation { name } givenBy { givenName } }
    sharingDecisions { id categories legalBasis weighing decidedOn active organisation { name } decidedBy { name } }
    monitoringContacts { id dueOn contactedOn outcome }
    evaluations { id evaluatedOn outcome }
  }
}`;

/** W1: change a shared agreement (version check, outbox event, access log). */
export const W1 = `mutation ChangeAgreement($input: UpdateSafetyAgreementInput!) {
  updateSafetyAgreement(input: $input) { id version what status }
}`;

/** S1/S2: each subscriber's live feed. */
export const S1 = `subscription Feed {
  myChanges { id kind entityId subject { ... on SafetyAgreement { id what status version } } }
}`;
