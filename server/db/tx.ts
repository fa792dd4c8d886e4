import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { Viewer } from "../auth/viewer.js";
import { DomainError, NotFoundError, staleVersion } from "../common/errors.js";
import { writeChanges, type ChangeInput } from "../realtime/outbox.js";
import { translateDbError } from "./db-errors.js";

/** One unit of work: the entity manager of the transaction, who is writing, and its change events. */
export class Tx {
  private readonly changes: ChangeInput[] = [];
  constructor(
    readonly em: EntityManager,
    readonly viewer: Viewer,
  ) {}

  /** Record a change event; written to the outbox in this transaction before commit. */
  emit(change: ChangeInput): void {
    this.changes.push(change);
  }

  /** @internal */
  async flush(): Promise<ChangeInput[]> {
    const pending = this.changes.splice(0);
    const ids = await writeChanges(this.em, this.viewer.professionalId, pending);
    return pending.map((c, i) => ({ ...c, id: ids[i] }));
  }

  /**
   * Optimistic concurrency (TypeORM's @VersionColumn does not guard UPDATE): updates the row only
   * when its version is still `expectedVersion`, bumps version, stamps updated_at/updated_by.
   * Zero rows → NOT_FOUND when the row is gone, CONFLICT when someone else changed it.
   */
  async updateVersioned<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    what: string,
    id: string,
    expectedVersion: number,
    patch: Partial<E>,
  ): Promise<E> {
    const result = await this.em
      .createQueryBuilder()
      .update(entity)
      .set({
        ...(patch as object),
        version: () => "version + 1",
        updatedAt: () => "now()",
        updatedBy: this.viewer.professionalId,
      } as never)
      .where("id = :id AND version = :expectedVersion", { id, expectedVersion })
      .execute();
    if (result.affected !== 1) {
      const exists = await this.em.getRepository(entity).exists({ where: { id } as never });
      throw exists ? staleVersion(what) : new NotFoundError(what);
    }
    return this.em.getRepository(entity).findOneByOrFail({ id } as never);
  }
}

export type AfterCommit = (changes: ChangeInput[]) => void;

/**
 * Runs `work` in one transaction (READ COMMITTED; invariants are held by constraints and row
 * locks), writes its change events to the outbox, runs `beforeCommit` (the access log of the
 * write, so it commits with it or not at all), and after commit hands the events to `afterCommit`
 * (the realtime bus). Database errors become domain errors (CONFLICT, BAD_USER_INPUT…).
 */
export async function inTransaction<T>(
  ds: DataSource,
  viewer: Viewer,
  work: (tx: Tx) => Promise<T>,
  afterCommit?: AfterCommit,
  beforeCommit?: (em: EntityManager) => Promise<void>,
): Promise<T> {
  let committed: ChangeInput[] = [];
  let result: T;
  try {
    result = await ds.transaction(async (em) => {
      const tx = new Tx(em, viewer);
      const r = await work(tx);
      committed = await tx.flush();
      await beforeCommit?.(em);
      return r;
    });
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw translateDbError(err) ?? err;
  }
  if (committed.length > 0) afterCommit?.(committed);
  return result;
}
