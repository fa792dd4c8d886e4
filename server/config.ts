import { resolve } from "node:path";
import { z } from "zod";
import { parseKeyRing } from "./crypto/field-crypto.js";

/**
 * The hub's whole configuration, read once from the environment and validated.
 * A bad value stops start-up with a message naming the variable (never its value:
 * secrets live here).
 */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default("0.0.0.0"),
    /** External PostgreSQL. Without it the hub runs an embedded PostgreSQL in DATA_DIR. */
    DATABASE_URL: z.string().url().optional(),
    DATA_DIR: z.string().default("./.data"),
    /** Port of the embedded PostgreSQL (only without DATABASE_URL). */
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    /** Redis pub/sub as the bus between instances; without it, PostgreSQL LISTEN/NOTIFY. */
    REDIS_URL: z.string().url().optional(),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /**
     * WebSocket keep-alive: every open socket is pinged this often, and closed when it has not
     * answered the previous ping. Below the idle timeout of any proxy in front (often 60 s). Each
     * ping and pong is a system call per socket: at 10,000 sockets, 30 s instead of graphql-ws's
     * 12 s took the hub's idle CPU from 110–141 to 80 ms per second (benchmark, S1).
     */
    WS_KEEPALIVE_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
    /** Hot reads as named prepared statements (db/prepared.ts); "off" behind a pooler that cannot keep them per client. */
    DB_PREPARED_STATEMENTS: z.enum(["on", "off"]).default("on"),
    /** Load the demo network (DOMAIN.md §7) into an empty database. */
    SEED_DEMO: z.enum(["auto", "never"]).default("auto"),
    /** OIDC: when set, tokens are verified against this issuer's JWKS. Required in production. */
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_AUDIENCE: z.string().min(1).optional(),
    OIDC_JWKS_URL: z.string().url().optional(),
    /** Token claim that holds the user's e-mail address (the hub's user key). */
    OIDC_EMAIL_CLAIM: z.string().default("email"),
    /** Lifetime of development tokens printed by `npm run token`. */
    DEV_TOKEN_TTL: z.string().default("12h"),
    /** Operations per minute per user and per organisation (HTTP requests and subscription starts). */
    RATE_LIMIT_USER: z.coerce.number().int().min(1).default(3000),
    RATE_LIMIT_ORGANISATION: z.coerce.number().int().min(1).default(20000),
    /** OpenTelemetry: traces are exported (OTLP over HTTP) only when this is set. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default("ketenhub"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** Emergency access ("break the glass"): how long a grant lasts, in minutes (default 4 hours). */
    EMERGENCY_ACCESS_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(240),
    /**
     * Retention terms in years per data category, as JSON overriding the defaults of
     * server/modules/privacy/retention-policy.ts (20 years after the case closed, Jeugdwet
     * art. 7.3.8), e.g. {"signals":5}. The case and identity terms must be the longest.
     */
    RETENTION_TERMS: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (!s) return {} as Record<string, number>;
        try {
          const parsed = z.record(z.string(), z.number().int().min(1).max(100)).parse(JSON.parse(s));
          return parsed;
        } catch {
          ctx.addIssue({ code: "custom", message: "must be a JSON object of category → whole years (1–100)" });
          return z.NEVER;
        }
      }),
    /**
     * Encryption at rest (server/crypto/field-crypto.ts): the key ring as `keyId:base64,…` (each
     * a 32-byte AES-256 key; every key decrypts), the current key id that encrypts (default: the
     * only key), and the HMAC key of the BSN lookup hash (32–64 bytes, base64). Required in
     * production; without them development and tests use a key kept in DATA_DIR.
     */
    ENCRYPTION_KEYS: z.string().min(1).optional(),
    ENCRYPTION_KEY_ID: z.string().min(1).optional(),
    BSN_HASH_KEY: z.string().min(1).optional(),
    /** Retention of the access log itself, in years after each entry (default 5: NEN 7513 practice). */
    RETENTION_ACCESS_LOG_YEARS: z.coerce.number().int().min(1).max(100).default(5),
    /** Minutes between scheduled retention runs (one instance runs it, under an advisory lock); 0 = never. */
    RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(24 * 60),
    // Indicators (DOMAIN.md §5, modules/indicators): thresholds of the inspection framework.
    /** A risk assessment older than this no longer gives sight on safety (indicator 2). */
    INDICATOR_RISK_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Days after the case opened by which the first risk assessment is due. */
    INDICATOR_RISK_FIRST_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    /** Days after the case opened by which the safety plan is due (indicator 3). */
    INDICATOR_SAFETY_PLAN_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    /** Days within which the regisseur acknowledges a partner's signal (indicator 8). */
    INDICATOR_SIGNAL_ACK_DAYS: z.coerce.number().int().min(0).max(60).default(2),
    /** Longest time between held MDOs (and from the opening to the first) (indicator 8). */
    INDICATOR_MEETING_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Days after the case opened (or the last evaluation) by which a case evaluation is due (indicators 9–12). */
    INDICATOR_EVALUATION_DUE_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    /** A due item enters the worklist as "due soon" this many days before its date. */
    INDICATOR_WARNING_DAYS: z.coerce.number().int().min(0).max(365).default(7),
    /** Network figures over fewer cases than this are suppressed (never below 5). */
    INDICATOR_MIN_CELL: z.coerce.number().int().min(5).max(1000).default(5),
    /** Seconds between runs of the worklist job (WORKLIST_DUE events); 0 = off. Default 300, off under NODE_ENV=test. */
    WORKLIST_JOB_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86400).optional(),
  })
  .superRefine((c, ctx) => {
    const oidc = [c.OIDC_ISSUER, c.OIDC_AUDIENCE, c.OIDC_JWKS_URL];
    const some = oidc.some((v) => v !== undefined);
    const all = oidc.every((v) => v !== undefined);
    if (some && !all) {
      ctx.addIssue({ code: "custom", message: "OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL go together" });
    }
    if (c.ENCRYPTION_KEYS || c.BSN_HASH_KEY) {
      if (!c.ENCRYPTION_KEYS || !c.BSN_HASH_KEY) {
        ctx.addIssue({ code: "custom", message: "ENCRYPTION_KEYS and BSN_HASH_KEY go together" });
      } else {
        try {
          parseKeyRing(c.ENCRYPTION_KEYS, c.ENCRYPTION_KEY_ID, c.BSN_HASH_KEY);
        } catch (err) {
          ctx.addIssue({ code: "custom", message: (err as Error).message }); // names variables and key ids, never a key
        }
      }
    }
    if (c.NODE_ENV === "production" && !c.ENCRYPTION_KEYS) {
      ctx.addIssue({ code: "custom", message: "production needs ENCRYPTION_KEYS, ENCRYPTION_KEY_ID and BSN_HASH_KEY (the development key is refused)" });
    }
    if (c.NODE_ENV === "production" && !all) {
      ctx.addIssue({
        code: "custom",
        message: "production needs OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL (development keys are refused)",
      });
    }
  });

export type Config = Omit<z.infer<typeof schema>, "WORKLIST_JOB_INTERVAL_SECONDS"> & { dataDir: string; WORKLIST_JOB_INTERVAL_SECONDS: number };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "config"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const d = parsed.data;
  return { ...d, dataDir: resolve(d.DATA_DIR), WORKLIST_JOB_INTERVAL_SECONDS: d.WORKLIST_JOB_INTERVAL_SECONDS ?? (d.NODE_ENV === "test" ? 0 : 300) };
}
