import type { DataSource, EntityManager } from "typeorm";
import { seedDemoFamilies } from "./demo-families.js";

/** The demo network of DOMAIN.md §7. Stable: clients and acceptance tests log in as these users. */
export const DEMO_ORGANISATIONS = [
  { key: "gemeente", name: "Gemeente Waalbeek", kind: "MUNICIPALITY", phone: "14 0000", email: "info@waalbeek.example" },
  { key: "vt", name: "Veilig Thuis Regio Waalbeek", kind: "VEILIG_THUIS", phone: "0800-2000", email: "info@vt-waalbeek.example", monitoringIntervalMonths: 3 },
  { key: "swt", name: "Sociaal Wijkteam Waalbeek-Noord", kind: "SOCIAL_TEAM", phone: "024-5550100", email: "info@swt-waalbeek.example" },
  { key: "regieteam", name: "Regieteam Waalbeek", kind: "REGIETEAM", phone: "024-5550200", email: "info@regieteam-waalbeek.example" },
  { key: "vlinder", name: "Basisschool De Vlinder", kind: "SCHOOL", phone: "024-5550300", email: "info@devlinder.example" },
  { key: "anker", name: "Basisschool Het Anker", kind: "SCHOOL", phone: "024-5550400", email: "info@hetanker.example" },
  { key: "hap", name: "Huisartsenpraktijk Waalbeek-Noord", kind: "GP", phone: "024-5550500", email: "praktijk@hap-waalbeek.example" },
  { key: "jgz", name: "JGZ Waalbeek", kind: "JGZ", phone: "024-5550600", email: "info@jgz-waalbeek.example" },
  { key: "brug", name: "Jeugdhulp De Brug", kind: "CARE_PROVIDER", phone: "024-5550700", email: "info@debrug.example" },
  { key: "ggz", name: "GGZ Oever", kind: "CARE_PROVIDER", phone: "024-5550800", email: "info@ggzoever.example" },
] as const;

export type OrgKey = (typeof DEMO_ORGANISATIONS)[number]["key"];

export const DEMO_USERS = [
  { email: "fg@waalbeek.example", name: "F. de Graaf", role: "PRIVACY_OFFICER", org: "gemeente", phone: "024-5550001" },
  { email: "beleid@waalbeek.example", name: "B. Leidekker", role: "AUDITOR", org: "gemeente", phone: "024-5550002" },
  { email: "a.dekker@vt-waalbeek.example", name: "Anouk Dekker", role: "VEILIG_THUIS", org: "vt", phone: "024-5550011" },
  { email: "r.jansen@swt-waalbeek.example", name: "Roos Jansen", role: "REGISSEUR", org: "swt", phone: "06-10000001" },
  { email: "m.bakker@swt-waalbeek.example", name: "Mehmet Bakker", role: "REGISSEUR", org: "swt", phone: "06-10000002" },
  { email: "g.smit@swt-waalbeek.example", name: "Gert Smit", role: "BEHAVIOURAL_SCIENTIST", org: "swt", phone: "06-10000003" },
  { email: "t.visser@swt-waalbeek.example", name: "Tamara Visser", role: "MANAGER", org: "swt", phone: "06-10000004" },
  { email: "p.mulder@regieteam-waalbeek.example", name: "Petra Mulder", role: "REGISSEUR", org: "regieteam", phone: "06-10000005" },
  { email: "ib@devlinder.example", name: "Ilse Brouwer (IB)", role: "SCHOOL", org: "vlinder", phone: "024-5550301" },
  { email: "zorg@hetanker.example", name: "Zeynep Kaya (zorgcoördinator)", role: "SCHOOL", org: "anker", phone: "024-5550401" },
  { email: "h.devries@hap-waalbeek.example", name: "Hanna de Vries", role: "HUISARTS", org: "hap", phone: "024-5550501" },
  { email: "l.vandijk@jgz-waalbeek.example", name: "Lotte van Dijk", role: "JGZ", org: "jgz", phone: "024-5550601" },
  { email: "s.bos@debrug.example", name: "Sanne Bos", role: "PROFESSIONAL", org: "brug", phone: "024-5550701" },
  { email: "k.meijer@ggzoever.example", name: "Koen Meijer", role: "PROFESSIONAL", org: "ggz", phone: "024-5550801" },
] as const;

export interface DemoDirectory {
  org: Record<OrgKey, string>;
  /** professional id by e-mail */
  user: Record<string, string>;
}

/**
 * Loads the demo network into an empty database (no organisations yet), in one transaction.
 * Returns false when the database already holds data.
 */
export async function seedDemoIfEmpty(ds: DataSource): Promise<boolean> {
  return ds.transaction(async (em) => {
    // Several instances starting together: only one seeds.
    await em.query("SELECT pg_advisory_xact_lock(727275)");
    const [{ n }] = (await em.query("SELECT count(*)::int AS n FROM organisation")) as { n: number }[];
    if (n > 0) return false;
    const dir = await seedDirectory(em);
    await seedDemoFamilies(em, dir);
    return true;
  });
}

async function seedDirectory(em: EntityManager): Promise<DemoDirectory> {
  const org = {} as Record<OrgKey, string>;
  for (const o of DEMO_ORGANISATIONS) {
    const [row] = (await em.query(
      `INSERT INTO organisation (name, kind, phone, email, monitoring_interval_months) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [o.name, o.kind, o.phone, o.email, "monitoringIntervalMonths" in o ? o.monitoringIntervalMonths : null],
    )) as { id: string }[];
    org[o.key] = row.id;
  }
  const user: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const [row] = (await em.query(
      `INSERT INTO professional (organisation_id, email, name, phone, role) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [org[u.org], u.email, u.name, u.phone, u.role],
    )) as { id: string }[];
    user[u.email] = row.id;
  }
  return { org, user };
}
