/**
 * `npm run token -- <email> [ttl]` prints a development token for a demo user, signed with the
 * key the hub generated in DATA_DIR (created here if the hub has not run yet).
 * Refused when OIDC is configured: then tokens come from the issuer.
 */
import { loadConfig } from "../server/config.js";
import { loadDevKeys, signDevToken } from "../server/auth/tokens.js";

const [email, ttl] = process.argv.slice(2);
if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
  console.error("usage: npm run token -- <email> [ttl, e.g. 12h]\n  e.g. npm run token -- ib@devlinder.example");
  process.exit(2);
}
const config = loadConfig();
if (config.OIDC_ISSUER) {
  console.error("OIDC is configured: get a token from the issuer instead.");
  process.exit(2);
}
const keys = await loadDevKeys(config.dataDir);
process.stdout.write((await signDevToken(keys, email.toLowerCase(), { ttl: ttl ?? config.DEV_TOKEN_TTL })) + "\n");
