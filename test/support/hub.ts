import "reflect-metadata";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEV_KEY_FILE } from "../../server/crypto/field-crypto.js";
import { inject } from "vitest";
import { loadConfig } from "../../server/config.js";
import { startHub, type RunningHub } from "../../server/app.js";
import { createLogger, type Logger } from "../../server/common/logger.js";
import { loadDevKeys, signDevToken } from "../../server/auth/tokens.js";

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestHub {
  hub: RunningHub;
  url: string;
  /** A development token for a demo user (or any e-mail, to test unknown users). */
  token(email: string, ttl?: string | number): Promise<string>;
  /** POST /graphql as `email` (or anonymously with null). */
  gql<T = Record<string, any>>(email: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  /** Like gql, but fails the test on any error and returns data. */
  ok<T = Record<string, any>>(email: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts a hub in-process on a free port against the run's PostgreSQL (see global-setup.ts),
 * already migrated and seeded. Each test file starts its own.
 */
export async function startTestHub(env: Record<string, string> = {}, opts: { log?: Logger } = {}): Promise<TestHub> {
  const dataDir = inject("dataDir");
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: inject("databaseUrl"),
    DATA_DIR: dataDir,
    SEED_DEMO: "never",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DB_POOL_SIZE: "10",
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  const hub = await startHub(config, opts.log ?? createLogger(config.LOG_LEVEL));
  const keys = await loadDevKeys(dataDir);
  const tokens = new Map<string, string>();
  const token = async (email: string, ttl?: string | number) => {
    if (ttl !== undefined) return signDevToken(keys, email, { ttl });
    let t = tokens.get(email);
    if (!t) tokens.set(email, (t = await signDevToken(keys, email)));
    return t;
  };
  const gql = async <T>(email: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (email) headers.authorization = `Bearer ${await token(email)}`;
    const res = await fetch(hub.url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as GqlResult<T>;
    return { ...body, status: res.status };
  };
  return {
    hub,
    url: hub.url,
    token,
    gql,
    async ok<T>(email: string, query: string, variables?: Record<string, unknown>) {
      const r = await gql<T>(email, query, variables);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
      return r.data as T;
    },
    stop: () => hub.stop(),
  };
}

/**
 * Through the API, as the case's regisseur: the case's safety plan and one agreement in it
 * (`input` as AddSafetyAgreementInput). Returns the agreement's id and version.
 */
export async function planWithAgreement(t: TestHub, regisseur: string, input: { caseId: string } & Record<string, unknown>): Promise<{ id: string; version: number }> {
  await t.ok(regisseur, `mutation($input: CreateSafetyPlanInput!) { createSafetyPlan(input: $input) { id } }`, { input: { caseId: input.caseId, madeWithClient: true } });
  const r = await t.ok<{ addSafetyAgreement: { id: string; version: number } }>(
    regisseur,
    `mutation($input: AddSafetyAgreementInput!) { addSafetyAgreement(input: $input) { id version } }`,
    { input },
  );
  return r.addSafetyAgreement;
}

/**
 * The run's development key ring (generated in the data dir by the global set-up) as
 * configuration: for hubs that must be configured explicitly (NODE_ENV=production) but share
 * the run's database.
 */
export async function devKeyEnv(): Promise<Record<string, string>> {
  const f = JSON.parse(await readFile(join(inject("dataDir"), DEV_KEY_FILE), "utf8")) as { keys: string; currentId: string; bsnHashKey: string };
  return { ENCRYPTION_KEYS: f.keys, ENCRYPTION_KEY_ID: f.currentId, BSN_HASH_KEY: f.bsnHashKey };
}

/** The demo users of DOMAIN.md §7. */
export const USERS = {
  fg: "fg@waalbeek.example",
  beleid: "beleid@waalbeek.example",
  vt: "a.dekker@vt-waalbeek.example",
  jansen: "r.jansen@swt-waalbeek.example",
  bakker: "m.bakker@swt-waalbeek.example",
  smit: "g.smit@swt-waalbeek.example",
  visser: "t.visser@swt-waalbeek.example",
  mulder: "p.mulder@regieteam-waalbeek.example",
  vlinder: "ib@devlinder.example",
  anker: "zorg@hetanker.example",
  gp: "h.devries@hap-waalbeek.example",
  jgz: "l.vandijk@jgz-waalbeek.example",
  brug: "s.bos@debrug.example",
  ggz: "k.meijer@ggzoever.example",
} as const;
