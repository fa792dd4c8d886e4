/**
 * The little a partner client needs: a token, typed GraphQL over HTTP, and a graphql-ws client.
 *
 *   HUB_URL   the hub's GraphQL endpoint (default http://localhost:4000/graphql)
 *   TOKEN     a bearer token (from your identity provider, or `npm run token -- <email>`);
 *             without it, examples sign a development token for the demo user they act as,
 *             with the key `npm start` keeps in DATA_DIR (default ./.data) — development only.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { loadDevKeys, signDevToken } from "../../server/auth/tokens.js";

export const DEFAULT_HUB_URL = "http://localhost:4000/graphql";

export function hubUrl(): string {
  return process.env.HUB_URL ?? DEFAULT_HUB_URL;
}

/** TOKEN from the environment, else a development token for `email` signed with DATA_DIR's key. */
export async function tokenFor(email: string): Promise<string> {
  if (process.env.TOKEN) return process.env.TOKEN.trim();
  const keys = await loadDevKeys(process.env.DATA_DIR ?? "./.data");
  return signDevToken(keys, email, { ttl: "1h" });
}

export interface GraphQLErrorLike {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
}

export class HubError extends Error {
  constructor(
    readonly errors: GraphQLErrorLike[],
    readonly status: number,
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`).join("; "));
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export interface HubResult<T> {
  data?: T | null;
  errors?: GraphQLErrorLike[];
  status: number;
}

export class HubClient {
  constructor(
    readonly url: string,
    readonly token: string,
    readonly purpose?: string,
  ) {}

  /** POST one typed operation; partial data and errors both come back. */
  async execute<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables?: TVars): Promise<HubResult<TData>> {
    const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${this.token}` };
    if (this.purpose) headers["x-purpose"] = this.purpose;
    const res = await fetch(this.url, { method: "POST", headers, body: JSON.stringify({ query: print(doc), variables }) });
    const body = (await res.json()) as { data?: TData | null; errors?: GraphQLErrorLike[] };
    return { ...body, status: res.status };
  }

  /** Like execute, but any error throws a HubError. */
  async request<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables?: TVars): Promise<TData> {
    const r = await this.execute(doc, variables);
    if (r.errors?.length || !r.data) throw new HubError(r.errors ?? [{ message: "no data" }], r.status);
    return r.data;
  }

  /**
   * Does this hub have the operation's fields? (false when it answers GRAPHQL_VALIDATION_FAILED,
   * e.g. an older hub without the meetings API). Lets a client degrade instead of failing.
   */
  static unsupported(r: HubResult<unknown>): boolean {
    return r.errors?.some((e) => e.extensions?.code === "GRAPHQL_VALIDATION_FAILED") ?? false;
  }

  /** A graphql-ws client on the same URL (Node 20 has no global WebSocket). */
  ws(opts: { retryAttempts?: number; onClosed?: (code: number) => void; onConnected?: () => void } = {}): Client {
    return createClient({
      url: this.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.token}` },
      retryAttempts: opts.retryAttempts ?? 0,
      lazy: true,
      on: {
        closed: (e) => opts.onClosed?.((e as { code?: number })?.code ?? 0),
        connected: () => opts.onConnected?.(),
      },
    });
  }
}

/** A page of a Relay connection, as every list of the hub is. */
export interface Page<N> {
  edges: { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * Every node of a connection, page by page (`cases` lists oldest first: a partner with many
 * cases must follow `endCursor`, or it never sees the newest). Bounded at `maxPages`.
 */
export async function allPages<N>(fetch: (after: string | undefined) => Promise<Page<N>>, maxPages = 200): Promise<N[]> {
  const nodes: N[] = [];
  let after: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetch(after);
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return nodes;
    after = page.pageInfo.endCursor;
  }
  return nodes;
}

export async function connect(email: string, url = hubUrl()): Promise<HubClient> {
  return new HubClient(url, await tokenFor(email));
}

/** For output: 2026-03-01T09:30:00.000Z → "1-3-2026 10:30" (Europe/Amsterdam). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  return new Date(iso).toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam", dateStyle: "short", timeStyle: "short" });
}

/** Is this module the one `tsx file.ts` started (not imported by a test)? */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === metaUrl;
}
