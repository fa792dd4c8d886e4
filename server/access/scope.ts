import DataLoader from "dataloader";
import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import { rowReader } from "../common/loaders.js";
import type { Viewer } from "../auth/viewer.js";
import { ForbiddenError, NotFoundError } from "../common/errors.js";
import { CaseEntity } from "../modules/cases/case.entity.js";
import { CASE_ACCESS_SELECT, CASE_ACCESS_SQL, CASE_PAGE_IDS_SQL, VISIBLE_CONDITION, toCaseAccess, type CaseAccess, type CaseAccessRow } from "./case-access.js";
import type { Category } from "./categories.js";
import { decideRead, decideWrite, inScope } from "./decide.js";
import { ruleFor, type WriteAction } from "./policy.js";
import { UUID } from "../common/ids.js";
import { preparedQuery } from "../db/prepared.js";

const camelNames = new Map<string, string>();
const camel = (s: string) => {
  let c = camelNames.get(s);
  if (c === undefined) camelNames.set(s, (c = s.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())));
  return c;
};

/** The per-entity statements of loadItem and loadWithRow, built once (they run on every mutation and live event). */
const itemSql = new Map<unknown, string>();
const withRowSql = new Map<unknown, string>();
function statementOf(cache: Map<unknown, string>, entity: unknown, build: () => string): string {
  let sql = cache.get(entity);
  if (sql === undefined) cache.set(entity, (sql = build()));
  return sql;
}

export interface AccessUse {
  caseId: string;
  familyId: string;
  categories: Set<Category>;
  /** set when the case is seen through an emergency access: logged as EMERGENCY, with its id */
  emergencyId?: string;
}

/**
 * The viewer's access within one request (or one subscription event): the visible cases with
 * their access facts (one SQL statement per batch), and what was read and written, for the
 * access log. Created per request; never shared between viewers.
 */
export class AccessScope {
  private readonly loader: DataLoader<string, { entity: CaseEntity; access: CaseAccess } | undefined>;
  private readonly ready = new Map<string, CaseAccess>();
  readonly reads = new Map<string, AccessUse>();
  readonly writes = new Map<string, AccessUse>();
  /**
   * Reads of the response already logged with the write's own statement (predictItemReads),
   * by case: the access-log plugin does not log an identical recorded read again.
   */
  readonly preLogged = new Map<string, AccessUse>();
  /** The case a mutation resolved last (requireVisibleCase): the case assertCanWrite decides for. */
  currentCase: CaseAccess | undefined;

  constructor(
    private readonly ds: DataSource,
    readonly viewer: Viewer,
    /**
     * Whose emergency accesses count: the viewer's own; null for the scope shared by a group of
     * live subscribers (realtime/live-groups.ts), which decides only on organisation-level facts.
     */
    private readonly professionalId: string | null = viewer.professionalId,
  ) {
    this.loader = new DataLoader(async (ids) => {
      const rows = await preparedQuery<CaseAccessRow>(ds, CASE_ACCESS_SQL, [ids, viewer.organisationId, this.professionalId]);
      const byId = new Map<string, { entity: CaseEntity; access: CaseAccess }>();
      for (const r of rows) byId.set(r.id, this.fromRow(r));
      return ids.map((id) => byId.get(id));
    });
  }

  private fromRow(r: CaseAccessRow): { entity: CaseEntity; access: CaseAccess } {
    const entity = new CaseEntity() as unknown as Record<string, unknown>;
    for (const k in r) if (!k.startsWith("acc_")) entity[camel(k)] = r[k];
    const access = toCaseAccess(this.viewer, r);
    this.ready.set(r.id, access);
    return { entity: entity as unknown as CaseEntity, access };
  }

  /**
   * A page of the viewer's visible cases with their access facts: its ids (CASE_PAGE_IDS_SQL),
   * then those cases with their access facts and `extra` in one prepared statement; the access
   * facts are kept for the fields resolved below the list. A case that stopped being visible in
   * between is left out (the second statement checks visibility again); `candidates` is how many
   * ids the first found (at most `limit`), so that "is there a next page" does not depend on it.
   */
  async page(
    limit: number,
    afterId: string | null,
    status: string | null,
    /** more columns per case (scalar SQL over the case row `c`; $2 is the viewer's organisation), returned as `acc_<name>` */
    extra: Map<string, string> = new Map(),
  ): Promise<{ items: { entity: CaseEntity; row: CaseAccessRow }[]; candidates: number }> {
    const ids = ((await this.ds.query(CASE_PAGE_IDS_SQL, [this.viewer.organisationId, limit, afterId, status, this.professionalId])) as { id: string }[]).map((r) => r.id);
    if (ids.length === 0) return { items: [], candidates: 0 };
    const sql = `SELECT c.*${[...extra].map(([name, expr]) => `, ${expr} AS "acc_${name}"`).join("")} FROM (${CASE_ACCESS_SQL}) c ORDER BY c.created_at, c.id`;
    const rows = await preparedQuery<CaseAccessRow>(this.ds, sql, [ids, this.viewer.organisationId, this.professionalId], { varying: extra.size > 0 });
    const items = rows.map((r) => {
      const found = this.fromRow(r);
      this.loader.prime(r.id, found);
      return { entity: found.entity, row: r };
    });
    return { items, candidates: ids.length };
  }

  /** The visible case and its access facts, or undefined (wrong id, malformed id or not visible). */
  async load(caseId: string): Promise<{ entity: CaseEntity; access: CaseAccess } | undefined> {
    if (!UUID.test(caseId)) return undefined;
    return this.loader.load(caseId.toLowerCase());
  }

  /**
   * An item of a case-scoped table (with a `caseId` column) with its case and the case's access
   * facts, in one statement; undefined when the item does not exist or its case is not visible
   * (the same answer, so a hidden item is indistinguishable from a wrong id).
   */
  async loadItem<E extends ObjectLiteral>(entity: EntityTarget<E>, itemId: string): Promise<{ item: E; entity: CaseEntity; access: CaseAccess } | undefined> {
    if (!UUID.test(itemId)) return undefined;
    const r = rowReader(this.ds, entity);
    const sql = statementOf(itemSql, entity, () => `SELECT x.*, (SELECT ${r.json} FROM ${r.table} t WHERE t.id = $1::uuid) AS acc_item FROM (${CASE_ACCESS_SELECT}
      WHERE c.id = (SELECT t.${r.column("caseId")} FROM ${r.table} t WHERE t.id = $1::uuid) AND ${VISIBLE_CONDITION}) x`);
    const rows = await preparedQuery<CaseAccessRow & { acc_item: Record<string, unknown> | null }>(this.ds, sql, [
      itemId.toLowerCase(),
      this.viewer.organisationId,
      this.professionalId,
    ]);
    const row = rows[0];
    if (!row?.acc_item) return undefined;
    const found = this.fromRow(row);
    this.loader.prime(row.id, found);
    return { item: r.hydrate(row.acc_item), ...found };
  }

  /**
   * The visible case and its access facts (as `load`) and, in the same statement, the row of
   * `entity` with id `rowId` whatever its case (as the loaders' byId would read it: JSON, to be
   * hydrated by the caller), or null when there is none. Undefined when the case is not visible.
   * For a live event: its case's decision and its subject in one round trip.
   */
  async loadWithRow<E extends ObjectLiteral>(
    caseId: string,
    entity: EntityTarget<E>,
    rowId: string,
  ): Promise<{ entity: CaseEntity; access: CaseAccess; row: Record<string, unknown> | null } | undefined> {
    if (!UUID.test(caseId)) return undefined;
    const r = rowReader(this.ds, entity);
    const type = r.sqlType("id");
    if (type === "uuid" && !UUID.test(rowId)) return undefined;
    const sql = statementOf(withRowSql, entity, () => `SELECT x.*, (SELECT ${r.json} FROM ${r.table} t WHERE t."${r.column("id")}" = $4::${type}) AS acc_row FROM (${CASE_ACCESS_SELECT}
      WHERE c.id = $1::uuid AND ${VISIBLE_CONDITION}) x`);
    const rows = await preparedQuery<CaseAccessRow & { acc_row: Record<string, unknown> | null }>(this.ds, sql, [
      caseId.toLowerCase(),
      this.viewer.organisationId,
      this.professionalId,
      rowId,
    ]);
    const row = rows[0];
    if (!row) return undefined;
    const found = this.fromRow(row);
    this.loader.prime(row.id, found);
    return { ...found, row: row.acc_row };
  }

  /** Access facts already loaded in this request (synchronous path for field checks). */
  peek(caseId: string): CaseAccess | undefined {
    return this.ready.get(caseId);
  }

  /** Forget what was loaded (after a write, so the response reflects it). */
  clear(): void {
    this.loader.clearAll();
    this.ready.clear();
  }

  recordRead(access: CaseAccess, category: Category): void {
    record(this.reads, access, category);
  }

  /**
   * Writes: FORBIDDEN unless the viewer may write `category` in the current case (the one the
   * mutation resolved with requireVisibleCase); for "own" rules the item's responsible or
   * reporting organisation must be the viewer's. Records the write for the access log.
   */
  assertCanWrite(category: Category, ownerOrganisationId?: string | null, action?: WriteAction): void {
    const access = this.currentCase;
    const rule = ruleFor(access?.effectiveRole ?? this.viewer.role, category);
    const allowed = access
      ? decideWrite(access, category, ownerOrganisationId, this.viewer, action)
      : rule.write === "allow" && !rule.actions; // no case yet (a handover creates one)
    if (!allowed) {
      const message =
        rule.actions && rule.write !== "none"
          ? `Your role may not ${action ?? "change"} ${category} here (it may ${rule.actions.join(", ")})`
          : rule.write === "own"
            ? `Your organisation may only change ${category} items it is responsible for`
            : `Your role may not change ${category}`;
      throw new ForbiddenError(message, { category });
    }
    if (access) record(this.writes, access, category);
  }

  /**
   * May the viewer read this item (of GraphQL type `typeName`, in `category`) in the current
   * case? The same decision field enforcement takes: role × category, consent, item scope.
   */
  canReadItem(category: Category, typeName: string, item: object): boolean {
    const access = this.currentCase;
    if (!access) return false;
    const d = decideRead(this.viewer, access, category);
    return d.allowed && inScope(d.scope, typeName, item as Record<string, unknown>, "", this.viewer, access);
  }

  /**
   * Acknowledgements ("I have seen this"): anyone who may read the item may record that, whatever
   * their write right. An item the viewer may not read does not exist for them: NOT_FOUND on
   * `field`, the same answer as a wrong id, so the refusal does not confirm that a hidden item
   * exists. Records the write for the access log.
   */
  assertCanAcknowledge(category: Category, typeName: string, item: object, field = "id"): void {
    if (!this.canReadItem(category, typeName, item)) throw new NotFoundError(typeName, field);
    record(this.writes, this.currentCase!, category);
  }

  /** A write that created its case (handover): logged against that case. */
  recordWriteFor(caseId: string, familyId: string, category: Category): void {
    let use = this.writes.get(caseId);
    if (!use) this.writes.set(caseId, (use = { caseId, familyId, categories: new Set() }));
    use.categories.add(category);
  }
}

function record(map: Map<string, AccessUse>, access: CaseAccess, category: Category) {
  let use = map.get(access.caseId);
  if (!use) {
    const emergencyId = !access.involved && !access.handedOver ? access.emergency?.id : undefined;
    map.set(access.caseId, (use = { caseId: access.caseId, familyId: access.familyId, categories: new Set(), ...(emergencyId ? { emergencyId } : {}) }));
  }
  use.categories.add(category);
}
