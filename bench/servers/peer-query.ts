/** Q1 in PostGraphile's generated schema (see servers/peer.ts), and its answer in the hub's shape. */
export const PEER_Q1 = `query SchoolPortal($first: Int) { __typename }`;
export function fromPeer(data: Record<string, unknown>): unknown {
  return data;
}
