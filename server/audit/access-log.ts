import type { Viewer } from "../auth/viewer.js";
import type { Category } from "../access/categories.js";

export type AccessAction = "READ" | "WRITE" | "EXPORT" | "EMERGENCY";

/** Anything that runs SQL: a DataSource, an EntityManager or a pg client. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The purpose logged when the client does not send one (header `x-purpose` / connectionParams.purpose). */
export const DEFAULT_PURPOSE: Record<Viewer["role"], string> = {
  REGISSEUR: "casusregie: uitvoering van het gezamenlijke plan",
  PROFESSIONAL: "hulpverlening binnen het plan",
  SCHOOL: "veiligheid en ondersteuning van de leerling",
  HUISARTS: "huisartsenzorg en veiligheid van de patiënt",
  JGZ: "jeugdgezondheidszorg en veiligheid van het kind",
  VEILIG_THUIS: "overdracht en monitoring door Veilig Thuis",
  BEHAVIOURAL_SCIENTIST: "advies over kernbeslissingen en risico",
  MANAGER: "kwaliteit en sturing van de eigen organisatie",
  AUDITOR: "toezicht en beleid (geanonimiseerd)",
  PRIVACY_OFFICER: "toezicht op gegevensverwerking (AVG)",
};

export interface LogContext {
  viewer: Viewer;
  operation: string;
  purpose: string;
  requestId: string;
}

/** One entry's subject: a case (with its family), or a family without a case (privacy officer's lookups). */
export interface LogUse {
  caseId: string | null;
  familyId: string | null;
  categories: ReadonlySet<Category | string>;
  /** seen through this emergency access: the entry is EMERGENCY, whatever `action` says */
  emergencyId?: string;
}

/**
 * Appends one access-log entry per case (NEN 7513). The chain hash and sequence are set by the
 * database (migration 0002); this only inserts. Called in the writing transaction for writes,
 * and before the response is sent for reads (a failed log write fails the request).
 */
export async function appendAccessLog(db: Queryable, log: LogContext, action: AccessAction, uses: Iterable<LogUse>): Promise<number> {
  return appendAccessLogEntries(db, [{ log, action, uses }]);
}

export interface AccessLogItem {
  log: LogContext;
  action: AccessAction;
  uses: Iterable<LogUse>;
}

/**
 * The INSERT of these entries as SQL with its parameters numbered from `$offset + 1`, or
 * undefined when there is nothing to log (e.g. to run it as a CTE beside another write).
 */
export function accessLogInsert(
  items: AccessLogItem[],
  offset = 0,
  /** a SQL condition: the entries are inserted only when it holds (e.g. "the update changed a row") */
  when?: string,
): { sql: string; params: unknown[] } | undefined {
  const rows: unknown[] = [];
  const values: string[] = [];
  for (const { log, action, uses } of items) for (const u of uses) {
    if (u.categories.size === 0) continue;
    const b = offset + rows.length;
    rows.push(
      log.viewer.professionalId,
      log.viewer.email,
      log.viewer.organisationId,
      log.viewer.role,
      u.caseId,
      u.familyId,
      [...u.categories].sort(),
      u.emergencyId ? "EMERGENCY" : action,
      log.operation.slice(0, 200),
      (u.emergencyId ? `noodtoegang ${u.emergencyId}: ${log.purpose}` : log.purpose).slice(0, 500),
      log.requestId,
    );
    values.push(`($${b + 1}::uuid,$${b + 2},$${b + 3}::uuid,$${b + 4},$${b + 5}::uuid,$${b + 6}::uuid,$${b + 7}::text[],$${b + 8},$${b + 9},$${b + 10},$${b + 11})`);
  }
  if (values.length === 0) return undefined;
  const columns = "professional_id, email, organisation_id, role, case_id, family_id, categories, action, operation, purpose, request_id";
  return {
    sql: when
      ? `INSERT INTO access_log (${columns}) SELECT v.* FROM (VALUES ${values.join(",")}) AS v(${columns}) WHERE ${when}`
      : `INSERT INTO access_log (${columns}) VALUES ${values.join(",")}`,
    params: rows,
  };
}

/** Several viewers' entries in one INSERT (one statement, one pass through the chain lock). */
export async function appendAccessLogEntries(db: Queryable, items: AccessLogItem[]): Promise<number> {
  const insert = accessLogInsert(items);
  if (!insert) return 0;
  await db.query(insert.sql, insert.params);
  return insert.params.length / 11;
}

/**
 * Coalesces access-log writes made in the same turn of the event loop into one INSERT: live
 * deliveries of one change to many subscribers each log their read, and would otherwise queue
 * one by one on the chain head. Each caller still awaits its own entry: if the INSERT fails,
 * every caller in it fails (and withholds what it was about to send).
 */
export class AccessLogBatcher {
  private pending: { item: AccessLogItem; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly db: Queryable) {}

  append(log: LogContext, action: AccessAction, uses: Iterable<LogUse>): Promise<void> {
    // the caller may reuse its collections once this returns: take a copy now
    const item = { log, action, uses: [...uses].map((u) => ({ ...u, categories: new Set(u.categories) })) };
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const all = this.pending;
    this.pending = [];
    this.scheduled = false;
    // bounded statements: PostgreSQL takes at most 65,535 parameters (11 per entry); a caller's
    // entries may span statements (it resolves when all of them are written)
    const chunks: { items: AccessLogItem[]; callers: Set<(typeof all)[number]> }[] = [];
    let cur: (typeof chunks)[number] = { items: [], callers: new Set() };
    let size = 0;
    for (const p of all) {
      const uses = [...p.item.uses];
      for (let i = 0; i < Math.max(uses.length, 1); i += MAX_ENTRIES_PER_INSERT) {
        const part = uses.slice(i, i + MAX_ENTRIES_PER_INSERT);
        if (size + part.length > MAX_ENTRIES_PER_INSERT && cur.items.length) {
          chunks.push(cur);
          cur = { items: [], callers: new Set() };
          size = 0;
        }
        cur.items.push({ ...p.item, uses: part });
        cur.callers.add(p);
        size += part.length;
      }
    }
    if (cur.items.length) chunks.push(cur);
    const failed = new Map<(typeof all)[number], unknown>();
    for (const chunk of chunks) {
      try {
        await appendAccessLogEntries(this.db, chunk.items);
      } catch (err) {
        for (const c of chunk.callers) if (!failed.has(c)) failed.set(c, err);
      }
    }
    for (const p of all) {
      if (failed.has(p)) p.reject(failed.get(p));
      else p.resolve();
    }
  }
}

const MAX_ENTRIES_PER_INSERT = 5_000;
