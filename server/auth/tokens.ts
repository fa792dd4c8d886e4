import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWK,
  type CryptoKey,
} from "jose";
import type { Config } from "../config.js";

export const DEV_ISSUER = "ketenhub-dev";
export const DEV_AUDIENCE = "ketenhub";
const ALG = "ES256";

interface DevKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * The development signing key: generated on first start into `<DATA_DIR>/dev-signing-key.json`
 * (mode 0600, never committed), shared by the hub and `npm run token`.
 */
export async function loadDevKeys(dataDir: string): Promise<DevKeys> {
  const file = join(dataDir, "dev-signing-key.json");
  if (!existsSync(file)) {
    await mkdir(dataDir, { recursive: true });
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = await exportJWK(privateKey);
    try {
      await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err; // another process won the race
    }
  }
  const jwk = JSON.parse(await readFile(file, "utf8")) as JWK;
  const privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
  const { d: _d, ...pub } = jwk;
  const publicKey = (await importJWK(pub, ALG)) as CryptoKey;
  return { privateKey, publicKey };
}

export async function signDevToken(
  keys: DevKeys,
  email: string,
  opts: { ttl?: string | number; extra?: JWTPayload } = {},
): Promise<string> {
  return new SignJWT({ email, ...opts.extra })
    .setProtectedHeader({ alg: ALG })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(email)
    .setIssuedAt()
    .setExpirationTime(opts.ttl ?? "12h")
    .sign(keys.privateKey);
}

export interface VerifiedToken {
  email: string;
  expiresAt?: number;
}

export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

export class TokenError extends Error {}

/**
 * Verifies bearer tokens: against the configured OIDC issuer's JWKS when OIDC is configured
 * (required in production), else against the development key. Errors never include the token.
 */
export async function createTokenVerifier(config: Config): Promise<TokenVerifier> {
  let verify: (t: string) => Promise<JWTPayload>;
  if (config.OIDC_ISSUER && config.OIDC_AUDIENCE && config.OIDC_JWKS_URL) {
    const jwks = createRemoteJWKSet(new URL(config.OIDC_JWKS_URL));
    const issuer = config.OIDC_ISSUER;
    const audience = config.OIDC_AUDIENCE;
    verify = async (t) => (await jwtVerify(t, jwks, { issuer, audience, requiredClaims: ["exp"] })).payload;
  } else {
    const keys = await loadDevKeys(config.dataDir);
    verify = async (t) =>
      (
        await jwtVerify(t, keys.publicKey, {
          issuer: DEV_ISSUER,
          audience: DEV_AUDIENCE,
          algorithms: [ALG],
          requiredClaims: ["exp"],
        })
      ).payload;
  }
  const claim = config.OIDC_EMAIL_CLAIM;
  // A verified token's claims, kept until its `exp` (the signature check is the largest CPU cost
  // of authenticating a request; the same token arrives on every request of a partner's session).
  // Only successful verifications are kept; an expired entry is re-verified (and so refused).
  // The user behind it is still looked up on every request (authenticate.ts).
  const verified = new Map<string, VerifiedToken & { expiresAt: number }>();
  return async (token) => {
    const hit = verified.get(token);
    if (hit) {
      if (Math.floor(Date.now() / 1000) < hit.expiresAt) return { email: hit.email, expiresAt: hit.expiresAt };
      verified.delete(token);
    }
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch {
      throw new TokenError("invalid or expired token");
    }
    const email = payload[claim];
    if (typeof email !== "string" || email.length === 0) throw new TokenError(`token lacks the ${claim} claim`);
    const result = { email: email.toLowerCase(), expiresAt: payload.exp };
    if (typeof payload.exp === "number") {
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, { email: result.email, expiresAt: payload.exp });
    }
    return result;
  };
}

/** Verified tokens kept per process (oldest dropped first). */
const VERIFIED_CACHE_SIZE = 5_000;
