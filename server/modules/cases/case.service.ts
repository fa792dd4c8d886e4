import { decodeCursor, encodeCursor, type Connection, type PageArgs } from "../../common/connection.js";
import type { Ctx } from "../../context.js";
import type { CaseRelation } from "../../common/prefetch.js";
import { ConflictError } from "../../common/errors.js";
import { CaseEntity } from "./case.entity.js";

/**
 * The viewer's cases, oldest first, as a Relay connection: two SQL statements per page (its ids,
 * then its cases with their access facts and the selected relations: AccessScope.page), none more
 * for the fields below.
 */
export async function listCases(
  ctx: Ctx,
  args: PageArgs & { status?: "OPEN" | "CLOSED" },
  /** case relations the query selects below the page: loaded with its cases (common/prefetch.ts) */
  relations: Map<string, CaseRelation> = new Map(),
  /** every field name the operation selects: the prefetched rows leave out the columns none of them reads */
  selected: ReadonlySet<string> = new Set(),
): Promise<Connection<CaseEntity>> {
  const first = args.first ?? 20;
  const after = args.after ? decodeCursor(args.after) : null;
  const rels = [...relations].map(([path, rel]) => ({ rel, name: path.replace(".", "__") }));
  const extra = new Map(rels.map(({ rel, name }) => [name, ctx.loaders.caseRelationSql(rel, ctx.viewer, selected)]));
  const { items: found, candidates } = await ctx.access.page(first + 1, after, args.status ?? null, extra);
  const columns = rels.map(({ rel, name }) => ({ rel, column: `acc_${name}` }));
  for (const { row } of found) {
    const access = ctx.access.peek(row.id);
    for (const { rel, column } of columns) ctx.loaders.primeCaseRelation(rel, row, row[column], ctx.viewer, access, selected);
  }
  const rows = found.map((f) => f.entity);
  const page = rows.slice(0, first);
  const edges = page.map((c) => ({ cursor: encodeCursor(c.id), node: c }));
  // a next page by the ids found, not the rows read: a case that stopped being visible between the
  // page's two statements must not end the pagination early
  return { edges, pageInfo: { hasNextPage: candidates > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** Writes to a closed case are refused: CONFLICT (reopen by a new handover instead). */
export function assertOpen(c: CaseEntity): void {
  if (c.status !== "OPEN") throw new ConflictError("the case is closed", { field: "caseId" });
}
