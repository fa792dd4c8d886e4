import DataLoader from "dataloader";
import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata.js";
import { UUID } from "./ids.js";
import type { CaseAccess } from "../access/case-access.js";
import type { Viewer } from "../auth/viewer.js";
import { columnsLeftOut, type CaseRelation, type RowFilter } from "./prefetch.js";

/**
 * How one entity's rows are read without TypeORM's query builder and entity transformer (the
 * largest CPU cost of a read when measured): a JSON array expression over every column, built
 * once from the entity's metadata, and a hydration that creates each object with the entity's
 * prototype (so `instanceof` holds) and the values TypeORM would give — `date` columns as
 * "YYYY-MM-DD", timestamps as Date, arrays as arrays, and columns with a transformer (e.g.
 * encryption at rest) through the driver's own hydration, so the transformer runs as for `find`.
 */
export interface RowReader<E> {
  readonly table: string;
  /** `json_build_array(...)` of every column of alias `t`, in the entity's column order. */
  readonly json: string;
  /** Database column name of a property. */
  column(property: string): string;
  /** The SQL type of a property's column (for casting key arrays). */
  sqlType(property: string): string;
  /** One value of `json` (parsed) → an entity-shaped object. */
  hydrate(row: unknown): E;
  /**
   * `json` and `hydrate` without the columns `leftOut` (the page statement's prefetch, see
   * prefetch.ts partialColumns): reading one of them from such a row throws.
   */
  partial(leftOut: readonly string[]): { readonly json: string; hydrate(row: unknown): E };
}

const readers = new WeakMap<object, RowReader<unknown>>();
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const PLAIN = new Set(["uuid", "text", "int", "integer", "smallint", "boolean", "varchar", "jsonb", "json", "date", "timestamptz", "bigint", "int8", "numeric", "decimal"]);

export function rowReader<E extends ObjectLiteral>(ds: DataSource, entity: EntityTarget<E>): RowReader<E> {
  const cached = readers.get(entity as object);
  if (cached) return cached as RowReader<E>;
  const meta = ds.getMetadata(entity);
  const proto = (meta.target as { prototype?: object }).prototype ?? Object.prototype;
  const byProperty = new Map(meta.columns.map((c) => [c.propertyName, c]));
  for (const c of meta.columns) {
    if (c.embeddedMetadata || c.relationMetadata) throw new Error(`rowReader: only plain columns are supported (${meta.name}.${c.propertyName})`);
  }
  if (meta.columns.length > 100) throw new Error(`rowReader: ${meta.name} has more than 100 columns (json_build_array takes at most 100 arguments)`);
  const driver = ds.driver;
  const full = rowShape<E>(meta.columns, proto, driver);
  const partials = new Map<string, RowShape<E>>();
  const reader: RowReader<E> = {
    table: meta.tablePath,
    json: full.json,
    hydrate: full.hydrate,
    column(property) {
      const c = byProperty.get(property);
      if (!c) throw new Error(`rowReader: ${meta.name} has no column ${property}`);
      return c.databaseName;
    },
    sqlType(property) {
      const c = byProperty.get(property);
      return c ? String(c.type) : "text";
    },
    partial(leftOut) {
      if (leftOut.length === 0) return full;
      const key = [...leftOut].sort().join(",");
      let shape = partials.get(key);
      if (!shape) {
        const out = new Set(leftOut);
        // the row's prototype: the entity's, with a getter for each column left out that fails
        // loudly (a reader the declaration missed), and a setter that stores the value as usual
        const partialProto = Object.create(proto) as object;
        for (const p of out) {
          Object.defineProperty(partialProto, p, {
            get() {
              throw new Error(`${meta.name}.${p} was left out of this request's prefetched rows: declare its reader in partialColumns`);
            },
            set(this: object, value: unknown) {
              Object.defineProperty(this, p, { value, writable: true, enumerable: true, configurable: true });
            },
          });
        }
        shape = rowShape<E>(meta.columns.filter((c) => !out.has(c.propertyName)), partialProto, driver);
        partials.set(key, shape);
      }
      return shape;
    },
  };
  readers.set(entity as object, reader as RowReader<unknown>);
  return reader;
}

interface RowShape<E> {
  readonly json: string;
  hydrate(row: unknown): E;
}

/**
 * The JSON expression over `columns` of alias `t` — an array, in the columns' order (no key
 * repeated in every row: less to format, send and parse) — and the hydration of its values: a
 * constructor generated once per shape that assigns each property by name, so every row of an
 * entity gets the same hidden class (fast property reads downstream) and the prototype at birth.
 */
function rowShape<E>(columns: ColumnMetadata[], proto: object, driver: DataSource["driver"]): RowShape<E> {
  const values: string[] = [];
  const lines: string[] = [];
  const driven: ColumnMetadata[] = [];
  columns.forEach((c, i) => {
    const type = String(c.type);
    // a date in JSON is "YYYY-MM-DD" already; a timestamptz an ISO 8601 string with its offset
    // 64-bit and exact numbers as text, as pg returns them (a JSON number would lose precision)
    const asText = !c.isArray && ["bigint", "int8", "numeric", "decimal"].includes(type);
    values.push(`t.${q(c.databaseName)}${asText ? "::text" : ""}`);
    const p = JSON.stringify(c.propertyName);
    if (type === "timestamptz" && !c.isArray) lines.push(`o[${p}] = typeof a[${i}] === "string" ? new Date(a[${i}]) : a[${i}];`);
    else if (type === "bytea") lines.push(`o[${p}] = typeof a[${i}] === "string" ? B.from(a[${i}].slice(2), "hex") : a[${i}];`);
    else if (c.transformer || !PLAIN.has(type) || (c.isArray && (type === "date" || type === "timestamptz"))) {
      // through the driver's own hydration, as TypeORM's find would (e.g. decryption at rest)
      lines.push(`o[${p}] = H(a[${i}], D[${driven.length}]);`);
      driven.push(c);
    } else lines.push(`o[${p}] = a[${i}];`);
  });
  const build = new Function("P", "B", "H", "D", `return function hydrate(a) { const o = Object.create(P); ${lines.join(" ")} return o; };`) as (
    p: object,
    b: typeof Buffer,
    h: (value: unknown, column: ColumnMetadata) => unknown,
    d: ColumnMetadata[],
  ) => (a: unknown[]) => E;
  const hydrate = build(proto, Buffer, (value, column) => driver.prepareHydratedValue(value, column), driven);
  return {
    json: `json_build_array(${values.join(", ")})`,
    hydrate(row) {
      if (!Array.isArray(row)) throw new Error("rowReader: a row is read as the array its json expression builds");
      return hydrate(row);
    },
  };
}

interface RelationPlan {
  selected: ReadonlySet<string>;
  shape: { hydrate(row: unknown): unknown };
  filter: RowFilter | undefined;
  loader: DataLoader<string, unknown>;
}

interface Pending {
  expr: string;
  params: unknown[];
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Sends the loaders' reads of one turn of the event loop as ONE statement: each read is a
 * scalar sub-select returning JSON, the statement selects them side by side
 * (`SELECT (…) AS r0, (…) AS r1`). The loaders of one depth of a GraphQL query (e.g. a page's
 * families, safety plans and regie) dispatch in the same turn, so a query costs one statement
 * per depth, constant in the page size and in the number of relations at that depth.
 */
export class ReadBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly ds: DataSource) {}

  /** `expr`: a scalar SQL expression (a parenthesised sub-select returning json), with its own $1…$n. */
  read<T>(expr: string, params: unknown[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ expr, params, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    const params: unknown[] = [];
    const cols = batch.map((p, i) => {
      const offset = params.length;
      params.push(...p.params);
      return `${p.expr.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)} AS r${i}`;
    });
    try {
      const [row] = (await this.ds.query(`SELECT ${cols.join(", ")}`, params)) as Record<string, unknown>[];
      batch.forEach((p, i) => p.resolve(row[`r${i}`]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}

/** Keys that cannot match a uuid column resolve as missing instead of failing the whole batch. */
function validKeys(keys: readonly string[], type: string): string[] {
  return type === "uuid" ? keys.filter((k) => typeof k === "string" && UUID.test(k)) : [...keys];
}

/** `f(v)` now when `v` is a value, after it resolves when it is a promise. */
export function andThen<T, R>(v: T | Promise<T>, f: (value: T) => R): R | Promise<R> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/**
 * Per-request DataLoaders (DESIGN.md practice 5): one SQL statement per depth of the query
 * (ReadBatcher), whatever the page size. Hand-written SQL over the entities' metadata
 * (RowReader), plain objects with the entity's prototype. Created lazily; discarded with the request.
 */
export class Loaders {
  private readonly byIdLoaders = new Map<unknown, DataLoader<string, unknown>>();
  /** What the page statement primed, per loader: read synchronously by loadNow. */
  private readonly primed = new WeakMap<DataLoader<string, unknown>, Map<string, unknown>>();
  private readonly pageFilters = new Map<CaseRelation, RowFilter | undefined>();
  private readonly relationPlans = new Map<CaseRelation, RelationPlan>();
  private readonly manyLoaders = new Map<string, DataLoader<string, unknown[]>>();
  readonly batcher: ReadBatcher;

  constructor(private readonly ds: DataSource) {
    this.batcher = new ReadBatcher(ds);
  }

  /** Loads rows by primary key `id`; missing ids resolve to undefined. */
  byId<E extends ObjectLiteral>(entity: EntityTarget<E>): DataLoader<string, E | undefined> {
    let l = this.byIdLoaders.get(entity);
    if (!l) {
      const r = rowReader(this.ds, entity);
      const type = r.sqlType("id");
      const expr = `(SELECT coalesce(json_agg(${r.json}), '[]'::json) FROM ${r.table} t WHERE t.${q(r.column("id"))} = ANY($1::${type}[]))`;
      l = new DataLoader<string, unknown>(async (ids) => {
        const keys = validKeys(ids, type);
        const rows = keys.length ? await this.batcher.read<Record<string, unknown>[]>(expr, [keys]) : [];
        const map = new Map(rows.map((row) => r.hydrate(row)).map((e) => [e.id as string, e]));
        return ids.map((id) => map.get(id));
      });
      this.byIdLoaders.set(entity, l);
    }
    return l as DataLoader<string, E | undefined>;
  }

  /**
   * Loads all rows whose `column` (a property name, e.g. "caseId") equals the key, ordered by
   * `orderBy` (property names, ascending, then id).
   */
  manyBy<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    column: keyof E & string,
    orderBy: (keyof E & string)[] = [],
    /**
     * Only the rows matching `sql` (a condition on alias `t`, its parameters from $2): e.g. the
     * agreements shared with the viewer's organisation, instead of all of them filtered after
     * loading. `key` names the filter (with its parameters) for this request's loader cache.
     */
    filter?: { key: string; sql: string; params: unknown[] },
  ): DataLoader<string, E[]> {
    const r = rowReader(this.ds, entity);
    const key = `${r.table}.${column}.${orderBy.join(",")}${filter ? `.${filter.key}` : ""}`;
    let l = this.manyLoaders.get(key);
    if (!l) {
      const type = r.sqlType(column);
      const order = [...orderBy, "id"].map((p) => `t.${q(r.column(p))}`).join(", ");
      const where = `t.${q(r.column(column))} = ANY($1::${type}[])${filter ? ` AND (${filter.sql})` : ""}`;
      const expr = `(SELECT coalesce(json_agg(${r.json} ORDER BY ${order}), '[]'::json) FROM ${r.table} t WHERE ${where})`;
      const extra = filter?.params ?? [];
      l = new DataLoader<string, unknown[]>(async (keys) => {
        const valid = validKeys(keys, type);
        const rows = valid.length ? await this.batcher.read<Record<string, unknown>[]>(expr, [valid, ...extra]) : [];
        const groups = new Map<string, E[]>(keys.map((k) => [k, []]));
        for (const row of rows) {
          const e = r.hydrate(row);
          groups.get(e[column] as string)?.push(e);
        }
        return keys.map((k) => groups.get(k) ?? []);
      });
      this.manyLoaders.set(key, l);
    }
    return l as DataLoader<string, E[]>;
  }

  /**
   * A scalar SQL expression (JSON) of a case relation, over the case row of alias `c`, in the
   * page's statement of its cases (AccessScope.page over CASE_ACCESS_SQL: $2 is the viewer's
   * organisation, the only parameter a relation's filter may use).
   */
  caseRelationSql(rel: CaseRelation, viewer: Viewer, selected: ReadonlySet<string>): string {
    const r = rowReader(this.ds, rel.entity);
    const json = r.partial(columnsLeftOut(rel.entity, selected)).json;
    if (rel.kind === "byId") return `(SELECT ${json} FROM ${r.table} t WHERE t.${q(r.column("id"))} = c.${q(rel.caseColumn)})`;
    if (rel.kind === "byIdVia") return `(SELECT coalesce(json_agg(${json}), '[]'::json) FROM ${r.table} t WHERE t.${q(r.column("id"))} IN (${rel.keysSql}))`;
    const order = [...rel.orderBy, "id"].map((p) => `t.${q(r.column(p))}`).join(", ");
    const filter = this.pageFilter(rel, viewer);
    if (filter && !(filter.params.length === 1 && filter.params[0] === viewer.organisationId)) throw new Error("caseRelationSql: a page filter may only use the viewer's organisation");
    const where = `t.${q(r.column(rel.column))} = c.${q(rel.caseColumn ?? "id")}${filter ? ` AND (${filter.sql})` : ""}`;
    return `(SELECT coalesce(json_agg(${json} ORDER BY ${order}), '[]'::json) FROM ${r.table} t WHERE ${where})`;
  }

  /**
   * Primes the loader of a case relation with what caseRelationSql returned for one case:
   * exactly the loader (entity, key, order, filter) its resolver calls, so a resolver reads
   * nothing it would not have loaded itself.
   */
  primeCaseRelation(
    rel: CaseRelation,
    caseRow: Record<string, unknown>,
    value: unknown,
    viewer: Viewer,
    access: CaseAccess | undefined,
    /** the operation's field names, as given to caseRelationSql */
    selected: ReadonlySet<string>,
  ): void {
    const plan = this.relationPlan(rel, viewer, selected);
    const r = plan.shape;
    if (rel.kind === "byId") {
      const key = caseRow[rel.caseColumn];
      if (typeof key === "string" && value) this.prime(plan.loader, key, r.hydrate(value));
      return;
    }
    if (!Array.isArray(value)) return;
    if (rel.kind === "byIdVia") {
      for (const v of value) {
        const e = r.hydrate(v) as { id: string };
        this.prime(plan.loader, e.id, e);
      }
      return;
    }
    const filter = plan.filter;
    if (rel.filter || filter) {
      const wanted = access ? rel.filter?.(viewer, access) : undefined;
      if (!access || wanted?.key !== filter?.key) return; // this case's resolver loads with another filter
    }
    const key = caseRow[rel.caseColumn ?? "id"];
    if (typeof key === "string") this.prime(plan.loader, key, value.map((v: unknown) => r.hydrate(v)));
  }

  /** What priming a relation needs, worked out once per request (not per case of the page). */
  private relationPlan(rel: CaseRelation, viewer: Viewer, selected: ReadonlySet<string>): RelationPlan {
    const known = this.relationPlans.get(rel);
    if (known && known.selected === selected) return known;
    const shape = rowReader(this.ds, rel.entity).partial(columnsLeftOut(rel.entity, selected));
    const filter = this.pageFilter(rel, viewer);
    const loader = (rel.kind === "manyByCase" ? this.manyBy(rel.entity, rel.column, rel.orderBy, filter) : this.byId(rel.entity)) as DataLoader<string, unknown>;
    const plan = { selected, shape, filter, loader };
    this.relationPlans.set(rel, plan);
    return plan;
  }

  /** A relation's page filter for this request's viewer, decided once (not per case of the page). */
  private pageFilter(rel: CaseRelation, viewer: Viewer): RowFilter | undefined {
    if (rel.kind !== "manyByCase" || !rel.pageFilter) return undefined;
    if (!this.pageFilters.has(rel)) this.pageFilters.set(rel, rel.pageFilter(viewer));
    return this.pageFilters.get(rel);
  }

  /**
   * The value of `key`: synchronously when the page statement primed it (a resolver that
   * returns a value, not a promise, lets graphql-js complete the object below it in the same
   * turn, without a promise per field), else through the loader.
   */
  loadNow<V>(loader: DataLoader<string, V>, key: string): V | Promise<V> {
    const map = this.primed.get(loader as DataLoader<string, unknown>);
    return map?.has(key) ? (map.get(key) as V) : loader.load(key);
  }

  /** A row read elsewhere (e.g. with its case's access facts), as byId(entity) would load it. */
  primeById<E extends ObjectLiteral>(entity: EntityTarget<E>, id: string, row: Record<string, unknown> | null): void {
    this.prime(this.byId(entity), id, row ? (rowReader(this.ds, entity).hydrate(row) as E) : undefined);
  }

  private prime<V>(loader: DataLoader<string, V>, key: string, value: V): void {
    loader.prime(key, value);
    let map = this.primed.get(loader as DataLoader<string, unknown>);
    if (!map) this.primed.set(loader as DataLoader<string, unknown>, (map = new Map()));
    if (!map.has(key)) map.set(key, value);
  }

  /** A custom batch loader, cached under `key` for this request. */
  custom<K, V>(key: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let l = this.manyLoaders.get(key) as unknown as DataLoader<K, V> | undefined;
    if (!l) {
      l = new DataLoader<K, V>(batch);
      this.manyLoaders.set(key, l as unknown as DataLoader<string, unknown[]>);
    }
    return l;
  }
}
