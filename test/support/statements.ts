import pg from "pg";

export interface SentStatement {
  /** the SQL, whitespace collapsed */
  text: string;
  /** the prepared statement's name, if it was sent as one (server/db/prepared.ts) */
  name?: string;
}

/** The realtime dispatcher's background reads of the outbox: not the request's. */
const BACKGROUND = /change_event|feed_head|LISTEN/;

/**
 * Every statement the in-process hub sends to PostgreSQL while `work` runs, counted at the
 * driver (pg's Client.query), so reads that bypass TypeORM (prepared statements) are seen too.
 * The dispatcher's background reads are left out unless `background` is set.
 */
export async function sentStatements<T>(work: () => Promise<T>, opts: { background?: boolean } = {}): Promise<{ result: T; statements: SentStatement[] }> {
  const original = pg.Client.prototype.query;
  const statements: SentStatement[] = [];
  pg.Client.prototype.query = function (this: pg.Client, ...args: any[]) {
    const q = args[0];
    const text = String(typeof q === "string" ? q : q?.text).replace(/\s+/g, " ");
    if (opts.background || !BACKGROUND.test(text)) statements.push({ text, ...(typeof q === "object" && q?.name ? { name: String(q.name) } : {}) });
    return (original as any).apply(this, args);
  } as typeof original;
  try {
    return { result: await work(), statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}
