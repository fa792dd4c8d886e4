import type pg from "pg";
import type { Tier } from "./tier.js";

/**
 * The synthetic network, built in bulk SQL (generate_series, one INSERT … SELECT per table).
 * Ids are derived from indexes (md5 → uuid), so every relation is a join on computed ids and the
 * builder is deterministic: the same tier always yields the same network.
 *
 * Organisations (≥ 200, 80 schools): 20 social teams + 5 regieteams (10 regisseurs each), 80
 * schools, 40 GP practices, 4 JGZ, 40 care providers, police, housing, debt counselling, youth
 * protection, the municipality and Veilig Thuis — plus, for S1, one small "wijkpraktijk" (a care
 * provider with 10 professionals who keep a subscription open) per S1 case.
 *
 * Per family (one open case each): 1–2 adults and 0–3 children (1 in 7 households has none), the
 * children at one school; 3–5 involved organisations (the regie team, the GP, a care provider,
 * the school when there are children, JGZ for a third); a handover from Veilig Thuis, casusregie,
 * a plan with goals, 13 life-domain scores, network members, a partial plan, a risk assessment,
 * a safety plan with 5–10 agreements (half shared with the school, a third with the GP), consents
 * for about 40 % of cases (school and/or GP), a sharing decision for 2 %, a monitoring contact
 * and signals from the school for a quarter.
 */
export const ORG_KINDS: { key: string; kind: string; n: number; label: string; users: number; role: string }[] = [
  { key: "SOCIAL_TEAM", kind: "SOCIAL_TEAM", n: 20, label: "Sociaal Wijkteam Bench", users: 10, role: "REGISSEUR" },
  { key: "REGIETEAM", kind: "REGIETEAM", n: 5, label: "Regieteam Bench", users: 10, role: "REGISSEUR" },
  { key: "SCHOOL", kind: "SCHOOL", n: 80, label: "Basisschool Bench", users: 2, role: "SCHOOL" },
  { key: "GP", kind: "GP", n: 40, label: "Huisartsenpraktijk Bench", users: 2, role: "HUISARTS" },
  { key: "JGZ", kind: "JGZ", n: 4, label: "JGZ Bench", users: 3, role: "JGZ" },
  { key: "CARE_PROVIDER", kind: "CARE_PROVIDER", n: 40, label: "Jeugdhulp Bench", users: 3, role: "PROFESSIONAL" },
  { key: "POLICE", kind: "POLICE", n: 5, label: "Politie Bench", users: 2, role: "PROFESSIONAL" },
  { key: "HOUSING", kind: "HOUSING", n: 5, label: "Woningcorporatie Bench", users: 2, role: "PROFESSIONAL" },
  { key: "DEBT_COUNSELLING", kind: "DEBT_COUNSELLING", n: 5, label: "Schuldhulp Bench", users: 2, role: "PROFESSIONAL" },
  { key: "YOUTH_PROTECTION", kind: "YOUTH_PROTECTION", n: 5, label: "Jeugdbescherming Bench", users: 2, role: "PROFESSIONAL" },
  { key: "MUNICIPALITY", kind: "MUNICIPALITY", n: 1, label: "Gemeente Bench", users: 2, role: "PRIVACY_OFFICER" },
  { key: "VEILIG_THUIS", kind: "VEILIG_THUIS", n: 1, label: "Veilig Thuis Bench", users: 3, role: "VEILIG_THUIS" },
];

/** SQL expressions for derived ids (shared with the scenarios, which compute the same ids in JS). */
export const orgIdSql = (key: string, k: string) => `md5('o:${key}:' || (${k}))::uuid`;
export const proIdSql = (key: string, k: string, j: string) => `md5('p:${key}:' || (${k}) || ':' || (${j}))::uuid`;
export const proEmail = (key: string, k: number, j: number) => `${key.toLowerCase().replace(/_/g, "-")}${k}.${j}@bench.example`;

export interface BuildCounts {
  organisations: number;
  professionals: number;
  families: number;
  members: number;
  cases: number;
  involvements: number;
  agreements: number;
  shares: number;
  consents: number;
  s1Organisations: number;
}

export async function buildNetwork(db: pg.Client, tier: Tier, progress: (msg: string) => void): Promise<BuildCounts> {
  const N = tier.families;
  const S1 = Math.ceil(tier.subscribers / tier.subscribersPerCase); // S1 cases, one wijkpraktijk each
  const steps: [string, string][] = [];
  const step = (name: string, sql: string) => steps.push([name, sql]);

  const kinds = ORG_KINDS.map((o) => `('${o.key}','${o.kind}',${o.n},'${o.label}',${o.users},'${o.role}')`).join(",");
  step(
    "organisations",
    `INSERT INTO organisation (id, name, kind, phone, email, monitoring_interval_months)
     SELECT ${orgIdSql("' || v.key || '", "k")}, v.label || ' ' || k, v.kind,
            '024-' || lpad((100000 + k * 37)::text, 7, '0'), lower(v.key) || k || '@org.bench.example',
            CASE WHEN v.kind = 'VEILIG_THUIS' THEN 3 END
       FROM (VALUES ${kinds}) AS v(key, kind, n, label, users, role), generate_series(1, v.n) k;
     INSERT INTO organisation (id, name, kind, phone, email)
     SELECT ${orgIdSql("S1", "k")}, 'Wijkpraktijk Bench ' || k, 'CARE_PROVIDER', '024-' || lpad((200000 + k)::text, 7, '0'), 's1-' || k || '@org.bench.example'
       FROM generate_series(1, ${S1}) k;`,
  );
  step(
    "professionals (with work phone numbers)",
    `INSERT INTO professional (id, organisation_id, email, name, phone, role)
     SELECT md5('p:' || v.key || ':' || k || ':' || j)::uuid, md5('o:' || v.key || ':' || k)::uuid,
            lower(replace(v.key, '_', '-')) || k || '.' || j || '@bench.example',
            (ARRAY['Anna','Bram','Carla','Daan','Eva','Frank','Gert','Hanna','Ilse','Joost'])[1 + (k + j) % 10] || ' ' ||
            (ARRAY['de Vries','Jansen','Bakker','Visser','Smit','Meijer','de Boer','Mulder','Bos','Vos'])[1 + (k * 3 + j) % 10],
            '06-' || lpad(((k * 100 + j) * 7919 % 100000000)::text, 8, '0'), v.role
       FROM (VALUES ${kinds}) AS v(key, kind, n, label, users, role), generate_series(1, v.n) k, generate_series(1, v.users) j;
     INSERT INTO professional (id, organisation_id, email, name, phone, role)
     SELECT md5('p:S1:' || k || ':' || j)::uuid, md5('o:S1:' || k)::uuid, 's1-' || k || '.' || j || '@bench.example',
            'Medewerker ' || k || '.' || j, '06-' || lpad(((k * 100 + j) * 7907 % 100000000)::text, 8, '0'), 'PROFESSIONAL'
       FROM generate_series(1, ${S1}) k, generate_series(1, ${tier.subscribersPerCase}) j;`,
  );
  // Per-case facts, computed once: who is involved, who holds regie.
  step(
    "case layout",
    `CREATE TEMP TABLE bc AS
     SELECT i, md5('c:' || i)::uuid AS case_id, md5('f:' || i)::uuid AS family_id, (i % 7 <> 0) AS has_children,
            CASE WHEN i % 25 < 20 THEN 'SOCIAL_TEAM' ELSE 'REGIETEAM' END AS team_key,
            CASE WHEN i % 25 < 20 THEN i % 25 + 1 ELSE i % 25 - 19 END AS team_k,
            1 + (i / 25) % 10 AS regisseur_j,
            md5('o:SCHOOL:' || (1 + (i * 7) % 80))::uuid AS school_id,
            md5('o:GP:' || (1 + (i * 11) % 40))::uuid AS gp_id,
            CASE WHEN i <= ${S1} THEN md5('o:S1:' || i) ELSE md5('o:CARE_PROVIDER:' || (1 + (i * 13) % 40)) END::uuid AS care_id,
            CASE WHEN i % 3 = 0 THEN md5('o:JGZ:' || (1 + i % 4))::uuid END AS jgz_id,
            timestamptz '2025-01-01 08:00:00+00' + i * interval '17 minutes' AS opened_at
       FROM generate_series(1, ${N}) i;
     ALTER TABLE bc ADD COLUMN team_id uuid, ADD COLUMN regisseur_id uuid;
     UPDATE bc SET team_id = md5('o:' || team_key || ':' || team_k)::uuid,
                   regisseur_id = md5('p:' || team_key || ':' || team_k || ':' || regisseur_j)::uuid;
     CREATE UNIQUE INDEX ON bc(i); ANALYZE bc;`,
  );
  step(
    "families and members",
    `INSERT INTO family (id, name, has_children, created_at, created_by, updated_at, updated_by)
     SELECT family_id, 'Gezin Bench ' || i, has_children, opened_at, regisseur_id, opened_at, regisseur_id FROM bc;
     INSERT INTO family_member (id, family_id, kind, given_name, family_name, birth_date, school_id, gp_id, created_by, updated_by)
     SELECT md5('m:' || i || ':a' || a)::uuid, family_id, 'ADULT',
            (ARRAY['Peter','Sandra','Ahmet','Fatma','Kees','Ria','Mohamed','Linda'])[1 + (i + a) % 8], 'Bench' || i,
            date '1980-01-01' + (i * 13 + a * 400) % 5000, NULL, gp_id, regisseur_id, regisseur_id
       FROM bc, generate_series(1, CASE WHEN i % 5 = 0 THEN 1 ELSE 2 END) a;
     INSERT INTO family_member (id, family_id, kind, given_name, family_name, birth_date, school_id, gp_id, created_by, updated_by)
     SELECT md5('m:' || i || ':c' || c)::uuid, family_id, 'CHILD',
            (ARRAY['Daan','Sara','Emma','Noah','Liam','Julia','Mila','Sem','Zoë','Finn'])[1 + (i + c * 3) % 10], 'Bench' || i,
            date '2013-09-01' + (i * 37 + c * 101) % 3000, school_id, gp_id, regisseur_id, regisseur_id
       FROM bc, generate_series(1, CASE WHEN has_children THEN 1 + i % 3 ELSE 0 END) c;`,
  );
  step(
    "cases, involvements, handovers, regie",
    `INSERT INTO case_file (id, family_id, status, opened_at, created_at, created_by, updated_at, updated_by)
     SELECT case_id, family_id, 'OPEN', opened_at, opened_at, regisseur_id, opened_at, regisseur_id FROM bc;
     INSERT INTO involvement (case_id, organisation_id, role, started_at, created_by)
     SELECT case_id, o.org, o.role, opened_at, regisseur_id
       FROM bc, LATERAL (VALUES (team_id, 'regie'), (gp_id, 'huisarts'), (care_id, 'jeugdhulp'),
                               (CASE WHEN has_children THEN school_id END, 'school'), (jgz_id, 'jgz')) AS o(org, role)
      WHERE o.org IS NOT NULL;
     INSERT INTO handover (case_id, from_organisation_id, outcome, help_already_involved, safety_conditions,
                           written_handover_received, written_handover_received_on, closing_letter_recipients, handed_over_at, created_by, updated_by)
     SELECT case_id, md5('o:VEILIG_THUIS:1')::uuid, 'Onderzoek afgerond: zorgen over huiselijk geweld bevestigd (bench ' || i || ').',
            'Jeugdhulp', ARRAY['Geen geweld in het bijzijn van de kinderen', 'Ouders accepteren hulp'], true, opened_at::date,
            ARRAY['CLIENT','ORGANISATIONS','SCHOOL','GP'], opened_at, md5('p:VEILIG_THUIS:1:1')::uuid, md5('p:VEILIG_THUIS:1:1')::uuid
       FROM bc;
     INSERT INTO regie_assignment (case_id, kind, professional_id, organisation_id, reason, started_at, created_by)
     SELECT case_id, 'CASE', regisseur_id, team_id, 'Na overdracht door Veilig Thuis', opened_at, regisseur_id FROM bc;
     INSERT INTO monitoring_contact (case_id, due_on, created_by, updated_by)
     SELECT case_id, (opened_at + interval '3 months')::date, md5('p:VEILIG_THUIS:1:1')::uuid, md5('p:VEILIG_THUIS:1:1')::uuid FROM bc;`,
  );
  step(
    "plans, goals, life-domain scores, network, partial plans, risk",
    `INSERT INTO plan (id, case_id, problem_analysis, help_question, family_words, children_words, children_heard, created_by, updated_by)
     SELECT md5('plan:' || i)::uuid, case_id, 'Spanningen thuis, schulden en zorgen over de veiligheid van de kinderen.',
            'Rust en veiligheid in huis', 'We willen dat het thuis weer rustig wordt.',
            CASE WHEN has_children THEN 'Ik wil dat papa en mama geen ruzie maken.' END, has_children, regisseur_id, regisseur_id
       FROM bc;
     INSERT INTO partial_plan (id, case_id, organisation_id, title, summary, created_by, updated_by)
     SELECT md5('pp:' || i)::uuid, case_id, care_id, 'Deelplan jeugdhulp', 'Ouderbegeleiding, wekelijks', regisseur_id, regisseur_id FROM bc;
     INSERT INTO goal (case_id, partial_plan_id, title, domain, member_id, is_safety_goal, priority, target_measure, due_on, responsible_organisation_id, created_by, updated_by)
     SELECT case_id, CASE WHEN g = 3 THEN md5('pp:' || i)::uuid END,
            (ARRAY['Veilige thuissituatie', 'Regelmatig naar school', 'Schulden in beeld'])[g],
            (ARRAY['DOMESTIC_RELATIONS', 'WORK_EDUCATION', 'FINANCES'])[g],
            CASE WHEN g = 2 AND has_children THEN md5('m:' || i || ':c1')::uuid END, g = 1, g,
            'Binnen 3 maanden', date '2027-06-01', CASE g WHEN 1 THEN team_id WHEN 2 THEN team_id ELSE care_id END, regisseur_id, regisseur_id
       FROM bc, generate_series(1, 3) g;
     INSERT INTO life_domain_score (case_id, domain, score, assessed_on, created_by)
     SELECT case_id, d, 1 + (i + n) % 5, opened_at::date, regisseur_id
       FROM bc, unnest(ARRAY['FINANCES','WORK_EDUCATION','TIME_USE','HOUSING','DOMESTIC_RELATIONS','MENTAL_HEALTH','PHYSICAL_HEALTH',
                             'SUBSTANCE_USE','BASIC_ADL','INSTRUMENTAL_ADL','SOCIAL_NETWORK','SOCIAL_PARTICIPATION','JUSTICE']) WITH ORDINALITY AS t(d, n);
     INSERT INTO network_member (id, case_id, name, relation, phone, contribution, created_by, updated_by)
     SELECT md5('nm:' || i || ':' || n)::uuid, case_id, (ARRAY['Oma Bench','Buurvrouw Bench'])[n], (ARRAY['grootmoeder','buurvrouw'])[n],
            '06-' || lpad((i * 31 + n)::text, 8, '0'), 'Opvang na schooltijd', regisseur_id, regisseur_id
       FROM bc, generate_series(1, 2) n;
     INSERT INTO risk_assessment (case_id, instrument, assessed_on, level, conclusion, assessor_id, created_by)
     SELECT case_id, 'LIRIK', opened_at::date, (ARRAY['LOW','ELEVATED','HIGH'])[1 + i % 3], 'Gewogen conclusie (bench).', regisseur_id, regisseur_id FROM bc;`,
  );
  step(
    "safety plans and 5–10 agreements each, shares",
    `INSERT INTO safety_plan (id, case_id, signals_to_watch, whom_to_call, made_with_client, created_by, updated_by)
     SELECT md5('sp:' || i)::uuid, case_id, 'Verhoogde spanning, kinderen laat op school', 'Regisseur, bij acuut gevaar 112', true, regisseur_id, regisseur_id FROM bc;
     INSERT INTO safety_agreement (id, case_id, safety_plan_id, priority, what, criterion, responsible_kind, responsible_organisation_id,
                                   due_on, report_to_organisation_id, status, created_at, created_by, updated_at, updated_by)
     SELECT md5('sa:' || i || ':' || a)::uuid, case_id, md5('sp:' || i)::uuid, a,
            'Afspraak ' || a || ' voor gezin ' || i, 'Wekelijks gecontroleerd door de verantwoordelijke', 'ORGANISATION',
            CASE a % 4 WHEN 0 THEN team_id WHEN 1 THEN care_id WHEN 2 THEN gp_id ELSE team_id END,
            date '2027-03-01' + a, team_id, 'ACTIVE', opened_at, regisseur_id, opened_at, regisseur_id
       FROM bc, generate_series(1, 5 + i % 6) a;
     INSERT INTO safety_agreement_share (agreement_id, organisation_id, case_id, shared_at, shared_by)
     SELECT md5('sa:' || i || ':' || a)::uuid, s.org, case_id, opened_at, regisseur_id
       FROM bc, generate_series(1, 5 + i % 6) a,
            LATERAL (VALUES (CASE WHEN has_children AND a % 2 = 1 THEN school_id END), (CASE WHEN a % 3 = 0 THEN gp_id END),
                            (CASE WHEN a % 4 = 0 THEN jgz_id END)) AS s(org)
      WHERE s.org IS NOT NULL;`,
  );
  step(
    "consents (about 40 % of cases), sharing decisions, signals",
    `INSERT INTO consent (case_id, organisation_id, categories, purpose, given_by_member_ids, consent_rule, given_on, created_by)
     SELECT case_id, school_id, ARRAY['plan','meetingMinutes'], 'Afstemming begeleiding op school', ARRAY[md5('m:' || i || ':a1')::uuid], 'ADULT', opened_at::date, regisseur_id
       FROM bc WHERE has_children AND i % 5 IN (0, 1);
     INSERT INTO consent (case_id, organisation_id, categories, purpose, given_by_member_ids, consent_rule, given_on, created_by)
     SELECT case_id, gp_id, ARRAY['plan','risk','lifeDomains'], 'Gezondheid in het licht van de veiligheid', ARRAY[md5('m:' || i || ':a1')::uuid], 'ADULT', opened_at::date, regisseur_id
       FROM bc WHERE i % 4 = 0;
     INSERT INTO consent (case_id, organisation_id, categories, purpose, given_by_member_ids, consent_rule, given_on, created_by)
     SELECT case_id, care_id, ARRAY['risk','handover','keyDecisions'], 'Hulpverlening', ARRAY[md5('m:' || i || ':a1')::uuid], 'ADULT', opened_at::date, regisseur_id
       FROM bc WHERE i % 10 = 3;
     INSERT INTO sharing_decision (case_id, organisation_id, categories, legal_basis, weighing, decided_by, decided_on, created_by)
     SELECT case_id, gp_id, ARRAY['risk'], 'Meldcode, conflict van plichten', 'Veiligheid van de kinderen weegt zwaarder.', regisseur_id, opened_at::date, regisseur_id
       FROM bc WHERE i % 50 = 0;
     INSERT INTO signal (case_id, reporting_organisation_id, reported_by, observed_on, urgency, description, created_at)
     SELECT case_id, school_id, md5('p:SCHOOL:' || (1 + (i * 7) % 80) || ':1')::uuid, opened_at::date, 'NORMAL', 'Kind vaak te laat en moe', opened_at + interval '1 day'
       FROM bc WHERE has_children AND i % 4 = 0;`,
  );
  // VACUUM as well: a freshly loaded table has no visibility map, so every index-only scan
  // (an agreement's shares, a case's involvements) would read the heap too, until autovacuum
  // gets to it — in the middle of the measurements, on the same two cores
  step("vacuum and analyse", `VACUUM ANALYZE;`);

  // Bulk load: the generated rows are consistent by construction, so foreign-key triggers are
  // skipped where the role may (superuser, as on the embedded cluster); constraints and
  // indexes still apply. Commits need not wait for the disk.
  await db.query("SET synchronous_commit = off");
  const replica = await db.query("SET session_replication_role = replica").then(
    () => true,
    () => false,
  );
  progress(replica ? "  (foreign-key triggers off during the bulk load)" : "  (foreign-key triggers stay on: not a superuser)");
  for (const [name, sql] of steps) {
    const t0 = performance.now();
    await db.query(sql);
    progress(`  ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  if (replica) await db.query("SET session_replication_role = origin");
  await db.query("RESET synchronous_commit");
  // the load's dirty pages to disk now, not in a checkpoint during the measurements (its writes
  // and final fsync stall the commits of whichever system's round it falls in)
  const t0 = performance.now();
  await db.query("CHECKPOINT").then(
    () => progress(`  checkpoint (${((performance.now() - t0) / 1000).toFixed(1)} s)`),
    () => progress("  (no CHECKPOINT: the role may not)"),
  );
  const count = async (sql: string) => Number(((await db.query(sql)).rows[0] as { n: string }).n);
  return {
    organisations: await count("SELECT count(*) n FROM organisation"),
    professionals: await count("SELECT count(*) n FROM professional"),
    families: await count("SELECT count(*) n FROM family"),
    members: await count("SELECT count(*) n FROM family_member"),
    cases: await count("SELECT count(*) n FROM case_file"),
    involvements: await count("SELECT count(*) n FROM involvement"),
    agreements: await count("SELECT count(*) n FROM safety_agreement"),
    shares: await count("SELECT count(*) n FROM safety_agreement_share"),
    consents: await count("SELECT count(DISTINCT case_id) n FROM consent"),
    s1Organisations: S1,
  };
}
