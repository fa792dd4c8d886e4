import DataLoader from "dataloader";
import { In, type DataSource, type EntityTarget, type ObjectLiteral } from "typeorm";

/**
 * Per-request DataLoaders (DESIGN.md practice 5): one SQL statement per entity and key column
 * per tick, whatever the page size. Created lazily; discarded with the request.
 */
export class Loaders {
  private readonly byIdLoaders = new Map<unknown, DataLoader<string, unknown>>();
  private readonly manyLoaders = new Map<string, DataLoader<string, unknown[]>>();

  constructor(private readonly ds: DataSource) {}

  /** Loads rows by primary key `id`; missing ids resolve to undefined. */
  byId<E extends ObjectLiteral>(entity: EntityTarget<E>): DataLoader<string, E | undefined> {
    let l = this.byIdLoaders.get(entity);
    if (!l) {
      l = new DataLoader<string, unknown>(async (ids) => {
        const rows = await this.ds.getRepository(entity).findBy({ id: In([...ids]) } as never);
        const map = new Map(rows.map((r) => [(r as unknown as { id: string }).id, r]));
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
  manyBy<E extends ObjectLiteral>(entity: EntityTarget<E>, column: keyof E & string, orderBy: (keyof E & string)[] = []): DataLoader<string, E[]> {
    const key = `${this.ds.getMetadata(entity).name}.${column}.${orderBy.join(",")}`;
    let l = this.manyLoaders.get(key);
    if (!l) {
      l = new DataLoader<string, unknown[]>(async (keys) => {
        const order: Record<string, "ASC"> = {};
        for (const o of orderBy) order[o] = "ASC";
        order.id = "ASC";
        const rows = await this.ds.getRepository(entity).find({ where: { [column]: In([...keys]) } as never, order: order as never });
        const groups = new Map<string, E[]>(keys.map((k) => [k, []]));
        for (const r of rows) groups.get((r as Record<string, string>)[column])?.push(r as E);
        return keys.map((k) => groups.get(k) ?? []);
      });
      this.manyLoaders.set(key, l);
    }
    return l as DataLoader<string, E[]>;
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
