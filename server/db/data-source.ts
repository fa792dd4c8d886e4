import { DataSource, type EntitySchema } from "typeorm";
import { migrations } from "./migrations/index.js";
import { SnakeNamingStrategy } from "./naming.js";
import { entities } from "./entities.js";

/**
 * The one TypeORM DataSource. Schema changes only through migrations (never synchronize).
 */
export function createDataSource(url: string, poolSize: number, extraEntities: (Function | EntitySchema)[] = []): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities: [...entities, ...extraEntities],
    migrations,
    migrationsTableName: "schema_migration",
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
    // statement_timeout bounds every operation's database work (a runaway query fails cleanly)
    extra: { max: poolSize, application_name: "ketenhub", statement_timeout: 15_000 },
  });
}

export async function runMigrations(ds: DataSource): Promise<void> {
  // Several instances may start at once: serialise migrations with an advisory lock.
  // The lock is held on one dedicated connection for the whole run.
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(727274)");
    await ds.runMigrations({ transaction: "each" });
  } finally {
    await lock.query("SELECT pg_advisory_unlock(727274)").catch(() => undefined);
    await lock.release();
  }
}
