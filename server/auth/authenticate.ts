import type { DataSource } from "typeorm";
import { UnauthenticatedError } from "../common/errors.js";
import { preparedQuery } from "../db/prepared.js";
import { TokenError, type TokenVerifier } from "./tokens.js";
import type { OrganisationKind, Role, Viewer } from "./viewer.js";

/** Extracts the bearer token from an `Authorization` header value. */
export function bearer(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9\-_.]+)$/i.exec(header.trim());
  return m?.[1];
}

/**
 * Token → Viewer. The user is looked up on every request (and every subscription event, in
 * realtime/) so that a deactivated user or a changed role takes effect at once.
 * Any failure is UNAUTHENTICATED with a generic message; the token never appears in errors.
 */
export async function authenticate(ds: DataSource, verify: TokenVerifier, token: string | undefined): Promise<Viewer> {
  if (!token) throw new UnauthenticatedError("Authentication required: send Authorization: Bearer <token>");
  let claims;
  try {
    claims = await verify(token);
  } catch (err) {
    if (err instanceof TokenError) throw new UnauthenticatedError("Invalid or expired token");
    throw err;
  }
  const viewer = await loadViewer(ds, claims.email);
  if (!viewer) throw new UnauthenticatedError("Unknown or inactive user");
  return { ...viewer, tokenExpiresAt: claims.expiresAt };
}

const VIEWER_SQL = `SELECT p.id, p.email, p.name, p.role, p.organisation_id, o.kind AS organisation_kind
  FROM professional p JOIN organisation o ON o.id = p.organisation_id`;

const VIEWER_ONE_SQL = `${VIEWER_SQL} WHERE p.email = $1 AND p.active`;
const VIEWER_MANY_SQL = `${VIEWER_SQL} WHERE p.email = ANY($1::text[]) AND p.active`;

interface ViewerRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisation_id: string;
  organisation_kind: OrganisationKind;
}

const toViewer = (r: ViewerRow): Viewer => ({
  professionalId: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  organisationId: r.organisation_id,
  organisationKind: r.organisation_kind,
});

export async function loadViewer(ds: DataSource, email: string): Promise<Viewer | undefined> {
  const rows = await preparedQuery<ViewerRow>(ds, VIEWER_ONE_SQL, [email]);
  return rows[0] ? toViewer(rows[0]) : undefined;
}

/** loadViewer for many users in one statement (the recipients of one live event), by e-mail; inactive or unknown users are absent. */
export async function loadViewers(ds: DataSource, emails: readonly string[]): Promise<Map<string, Viewer>> {
  const rows = await preparedQuery<ViewerRow>(ds, VIEWER_MANY_SQL, [emails]);
  return new Map(rows.map((r) => [r.email, toViewer(r)]));
}
