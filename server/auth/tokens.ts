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
  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch {
      throw new TokenError("invalid or expired token");
    }
    const email = payload[claim];
    if (typeof email !== "string" || email.length === 0) throw new TokenError(`token lacks the ${claim} claim`);
    return { email: email.toLowerCase(), expiresAt: payload.exp };
  };
}
