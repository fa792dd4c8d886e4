import { UUID } from "./ids.js";
import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { Max, Min, IsOptional } from "class-validator";
import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { CATEGORIES } from "../access/categories.js";
import { CField } from "../access/field.js";
import { BadInputError } from "./errors.js";

@ObjectType({ description: "Relay page information" })
export class PageInfo {
  @CField(CATEGORIES.STRUCTURE, () => Boolean)
  hasNextPage!: boolean;

  @CField(CATEGORIES.STRUCTURE, () => String, { nullable: true })
  endCursor!: string | null;
}

/** Relay-style `first` / `after` arguments (forward pagination). */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "Page size, 1–100 (default 20)" })
  @IsOptional()
  @Min(1)
  @Max(100)
  first?: number;

  @Field(() => String, { nullable: true, description: "Cursor of the last edge of the previous page" })
  @IsOptional()
  after?: string;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** Creates `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @CField(CATEGORIES.STRUCTURE, () => String)
    cursor!: string;

    @CField(CATEGORIES.STRUCTURE, () => node)
    node!: T;
  }
  Object.defineProperty(Edge, "name", { value: `${name}Edge` });

  @ObjectType(`${name}Connection`)
  class Conn {
    @CField(CATEGORIES.STRUCTURE, () => [Edge])
    edges!: Edge[];

    @CField(CATEGORIES.STRUCTURE, () => PageInfo)
    pageInfo!: PageInfo;
  }
  Object.defineProperty(Conn, "name", { value: `${name}Connection` });
  return Conn as ClassType<Connection<T>>;
}

// Cursors carry the row id only; its sort key is read back in SQL, because JavaScript dates
// would truncate PostgreSQL's microseconds and repeat or skip rows at page boundaries.
export const encodeCursor = (id: string) => Buffer.from(id).toString("base64url");

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (UUID.test(id) && id === id.toLowerCase()) return id;
  throw new BadInputError("after", "is not a cursor this API issued");
}

/**
 * Keyset pagination on (createdAt, id) — stable under inserts, one statement per page.
 * `qb` must select the entity under `alias` and have createdAt and id columns.
 */
export async function paginate<E extends ObjectLiteral & { id: string; createdAt: Date }, N>(
  qb: SelectQueryBuilder<E>,
  alias: string,
  args: PageArgs,
  toNode: (e: E) => N,
): Promise<Connection<N>> {
  const first = args.first ?? 20;
  if (args.after) {
    const id = decodeCursor(args.after);
    const table = qb.expressionMap.mainAlias!.metadata.tablePath;
    qb.andWhere(`(${alias}.createdAt, ${alias}.id) > (SELECT c.created_at, c.id FROM ${table} c WHERE c.id = :cursorId::uuid)`, {
      cursorId: id,
    });
  }
  const rows = await qb.orderBy(`${alias}.createdAt`, "ASC").addOrderBy(`${alias}.id`, "ASC").limit(first + 1).getMany();
  const page = rows.slice(0, first);
  const edges = page.map((e) => ({ cursor: encodeCursor(e.id), node: toNode(e) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** Pages through a list already loaded (by a DataLoader) in its display order. */
export function paginateArray<E extends { id: string }, N>(all: E[], args: PageArgs, toNode: (e: E) => N): Connection<N> {
  const first = args.first ?? 20;
  let start = 0;
  if (args.after) {
    const id = decodeCursor(args.after);
    const at = all.findIndex((e) => e.id === id);
    if (at < 0) throw new BadInputError("after", "is not a cursor of this list");
    start = at + 1;
  }
  const page = all.slice(start, start + first);
  const edges = page.map((e) => ({ cursor: encodeCursor(e.id), node: toNode(e) }));
  return { edges, pageInfo: { hasNextPage: start + first < all.length, endCursor: edges.at(-1)?.cursor ?? null } };
}
