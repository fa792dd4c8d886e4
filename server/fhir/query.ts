/**
 * What a FHIR export reads: an ordinary GraphQL operation, executed through Apollo with the
 * viewer's own context — the same resolvers, loaders, field policy and access log as any query.
 * A field the viewer may not read comes back null (or a list without the items), so the Bundle
 * holds exactly what the viewer may read.
 */
export const FHIR_CASE_QUERY = /* GraphQL */ `
  fragment FhirRegie on RegieAssignment {
    id kind startedAt
    professional { id name email phone organisation { id } }
  }
  query FhirCaseExport($id: ID!) {
    case(id: $id) {
      id status openedAt closedAt
      family { id name members { id kind givenName familyName birthDate } }
      regisseur { ...FhirRegie }
      procesRegisseur { ...FhirRegie }
      involvements { id role startedAt endedAt organisation { id name kind phone email } }
      plan {
        id helpQuestion problemAnalysis createdAt
        goals {
          id title description targetMeasure dueOn status priority domain isSafetyGoal
          member { id }
          responsibleOrganisation { id }
        }
      }
      safetyPlan { id agreements { id what criterion dueOn status priority responsibleOrganisation { id } } }
      consents { id active categories givenOn validUntil purpose withdrawnAt organisation { id } subject { id } givenBy { id } }
    }
  }
`;

export interface FhirRegie {
  id: string;
  kind: "CASE" | "PROCESS";
  startedAt: string;
  professional: { id: string; name: string; email: string; phone: string | null; organisation: { id: string } };
}

export interface FhirCaseData {
  id: string;
  status: "OPEN" | "CLOSED";
  openedAt: string;
  closedAt: string | null;
  family: { id: string; name: string | null; members: { id: string; kind: "ADULT" | "CHILD"; givenName: string | null; familyName: string | null; birthDate: string | null }[] } | null;
  regisseur: FhirRegie | null;
  procesRegisseur: FhirRegie | null;
  involvements: { id: string; role: string; startedAt: string; endedAt: string | null; organisation: { id: string; name: string; kind: string; phone: string | null; email: string | null } }[] | null;
  plan: {
    id: string;
    helpQuestion: string | null;
    problemAnalysis: string | null;
    createdAt: string | null;
    goals:
      | {
          id: string;
          title: string | null;
          description: string | null;
          targetMeasure: string | null;
          dueOn: string | null;
          status: string | null;
          priority: number | null;
          domain: string | null;
          isSafetyGoal: boolean | null;
          member: { id: string } | null;
          responsibleOrganisation: { id: string } | null;
        }[]
      | null;
  } | null;
  safetyPlan: { id: string; agreements: { id: string; what: string | null; criterion: string | null; dueOn: string | null; status: string | null; priority: number | null; responsibleOrganisation: { id: string } | null }[] | null } | null;
  consents:
    | {
        id: string;
        active: boolean | null;
        categories: string[] | null;
        givenOn: string | null;
        validUntil: string | null;
        purpose: string | null;
        withdrawnAt: string | null;
        organisation: { id: string } | null;
        subject: { id: string } | null;
        givenBy: { id: string }[] | null;
      }[]
    | null;
}
