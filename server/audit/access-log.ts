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
 * The INSERT of these entries as SQL with its one parameter (`$offset + 1`: the entries as a JSON
 * array, expanded by json_to_recordset — one value to bind and parse instead of eleven per
 * entry), or undefined when there is nothing to log (e.g. to run it as a CTE beside another write).
 */
export function accessLogInsert(
  items: AccessLogItem[],
  offset = 0,
  /** a SQL condition: the entries are inserted only when it holds (e.g. "the update changed a row") */
  when?: string,
): { sql: string; params: unknown[]; entries: number } | undefined {
  const entries: unknown[] = [];
  for (const { log, action, uses } of items) {
    const operation = log.operation.slice(0, 200);
    for (const u of uses) {
      if (u.categories.size === 0) continue;
      entries.push({
        professional_id: log.viewer.professionalId,
        email: log.viewer.email,
        organisation_id: log.viewer.organisationId,
        role: log.viewer.role,
        case_id: u.caseId,
        family_id: u.familyId,
        categories: [...u.categories].sort(),
        action: u.emergencyId ? "EMERGENCY" : action,
        operation,
        purpose: (u.emergencyId ? `noodtoegang ${u.emergencyId}: ${log.purpose}` : log.purpose).slice(0, 500),
        request_id: log.requestId,
      });
    }
  }
  if (entries.length === 0) return undefined;
  return {
    sql: `INSERT INTO access_log (${COLUMNS}) SELECT ${COLUMNS} FROM json_to_recordset($${offset + 1}::json) AS x(${RECORD})${when ? ` WHERE ${when}` : ""}`,
    params: [JSON.stringify(entries)],
    entries: entries.length,
  };
}

const COLUMNS = "professional_id, email, organisation_id, role, case_id, family_id, categories, action, operation, purpose, request_id";
const RECORD =
  "professional_id uuid, email text, organisation_id uuid, role text, case_id uuid, family_id uuid, categories text[], action text, operation text, purpose text, request_id text";

/** Several viewers' entries in one INSERT (one statement, one pass through the chain lock). */
export async function appendAccessLogEntries(db: Queryable, items: AccessLogItem[]): Promise<number> {
  const insert = accessLogInsert(items);
  if (!insert) return 0;
  await db.query(insert.sql, insert.params);
  return insert.entries;
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
    // bounded statements (a JSON value of at most 5,000 entries, about 2 MB); a caller's
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
