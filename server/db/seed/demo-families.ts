import type { EntityManager } from "typeorm";
import type { DemoDirectory } from "./demo.js";

/**
 * The demo families of DOMAIN.md §7 (De Boer, Yilmaz, Verbeek, Hendriks), each at another stage.
 * Plain SQL against the migrated tables, in the seeding transaction.
 */
export async function seedDemoFamilies(_em: EntityManager, _dir: DemoDirectory): Promise<void> {
  // filled in below
}
