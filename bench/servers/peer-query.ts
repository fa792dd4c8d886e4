/** Q1 in PostGraphile's generated schema (see bench/peer/server.mjs), and its answer in the hub's shape. */
export const PEER_Q1 = `query SchoolPortal($first: Int) {
  allSchoolCases(first: $first, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) {
    nodes {
      rowId
      pupils(orderBy: [BIRTH_DATE_ASC, CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId givenName familyName } }
      safetyPlan { agreements(orderBy: [PRIORITY_ASC, CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId priority what criterion status dueOn version } } }
      regisseur { name phone }
    }
  }
}`;

interface PeerCase {
  rowId: string;
  pupils: { nodes: { rowId: string; givenName: string; familyName: string }[] };
  safetyPlan: { agreements: { nodes: ({ rowId: string } & Record<string, unknown>)[] } } | null;
  regisseur: { name: string; phone: string | null } | null;
}

export function fromPeer(data: Record<string, unknown>): unknown {
  const nodes = (data.allSchoolCases as { nodes: PeerCase[] }).nodes;
  return {
    cases: {
      edges: nodes.map((c) => ({
        node: {
          id: c.rowId,
          family: { members: c.pupils.nodes.map((m) => ({ id: m.rowId, givenName: m.givenName, familyName: m.familyName })) },
          safetyPlan: c.safetyPlan
            ? { agreements: c.safetyPlan.agreements.nodes.map(({ rowId, ...a }) => ({ id: rowId, ...a })) }
            : null,
          regisseur: c.regisseur ? { professional: { name: c.regisseur.name, phone: c.regisseur.phone } } : null,
        },
      })),
    },
  };
}
