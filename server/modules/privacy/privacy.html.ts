import type { Request, Response, RequestHandler } from "express";
import type { DataSource } from "typeorm";
import { authenticate, bearer } from "../../auth/authenticate.js";
import type { TokenVerifier } from "../../auth/tokens.js";
import { DomainError } from "../../common/errors.js";
import type { Logger } from "../../common/logger.js";
import { Ctx, type AppDeps } from "../../context.js";
import { privacyOverview, subjectAccessExport, type Overview } from "./privacy.service.js";

/** Dutch names of the data categories, as a client reads them. */
export const CATEGORY_NL: Record<string, string> = {
  case: "casus (bestaan, status, betrokken organisaties, regie)",
  identity: "persoonsgegevens (namen, geboortedata)",
  bsn: "burgerservicenummer (BSN)",
  handover: "overdracht van Veilig Thuis",
  safety: "veiligheidsplan en -afspraken",
  risk: "risicotaxatie",
  plan: "plan, doelen en probleemanalyse",
  lifeDomains: "scores op leefgebieden",
  meeting: "overleggen (MDO)",
  meetingMinutes: "verslagen van overleggen",
  signals: "signalen",
  consent: "toestemming en besluiten om te delen",
  keyDecisions: "kernbeslissingen",
  monitoring: "monitoring door Veilig Thuis",
  evaluation: "evaluatie",
  accessLog: "toegangslog (inzage door de privacyfunctionaris)",
  emergencyAccess: "noodtoegang",
};

export const ROLE_NL: Record<string, string> = {
  REGISSEUR: "regisseur",
  PROFESSIONAL: "hulpverlener",
  SCHOOL: "school",
  HUISARTS: "huisarts",
  JGZ: "jeugdgezondheidszorg",
  VEILIG_THUIS: "Veilig Thuis",
  BEHAVIOURAL_SCIENTIST: "gedragswetenschapper",
  MANAGER: "leidinggevende",
  AUDITOR: "toezicht",
  PRIVACY_OFFICER: "functionaris gegevensbescherming",
};

export const ACTION_NL: Record<string, string> = {
  READ: "ingezien",
  WRITE: "gewijzigd",
  EXPORT: "geëxporteerd",
  EMERGENCY: "noodtoegang (ingezien)",
};

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };
/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(v: unknown): string {
  return String(v ?? "").replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

const fmt = new Intl.DateTimeFormat("nl-NL", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Amsterdam" });
const month = new Intl.DateTimeFormat("nl-NL", { month: "long", year: "numeric", timeZone: "UTC" });
const when = (d: Date) => escapeHtml(fmt.format(d));
const cat = (c: string) => escapeHtml(CATEGORY_NL[c] ?? c);
const role = (r: string) => escapeHtml(ROLE_NL[r] ?? r);
const action = (a: string) => escapeHtml(ACTION_NL[a] ?? a);

/** The printable page (Dutch): summary per organisation, role, category and month; then every log row. */
export function renderOverviewHtml(o: Overview): string {
  const groups = o.groups
    .map(
      (g) => `<tr><td>${escapeHtml(month.format(new Date(`${g.period}-01T00:00:00Z`)))}</td><td>${escapeHtml(g.organisationName)}</td><td>${role(g.role)}</td>
<td>${cat(g.category)}</td><td>${action(g.action)}</td><td class="n">${g.count}</td><td>${g.purposes.map(escapeHtml).join("<br>")}</td></tr>`,
    )
    .join("\n");
  const rows = o.entries
    .map(
      (e) => `<tr><td class="n">${escapeHtml(e.seq)}</td><td>${when(e.at)}</td><td>${escapeHtml(e.organisationName)}</td><td>${role(e.role)}</td>
<td>${action(e.action)}</td><td>${e.categories.map(cat).join(", ")}</td><td>${escapeHtml(e.purpose)}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Overzicht inzage dossier — ${escapeHtml(o.subjectName)}</title>
<style>
  body { font: 11pt/1.4 system-ui, sans-serif; margin: 2rem; color: #111; }
  h1 { font-size: 16pt; margin: 0 0 .25rem; } h2 { font-size: 13pt; margin: 1.5rem 0 .5rem; }
  p.meta { color: #444; margin: 0 0 1rem; }
  table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
  th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; }
  th { background: #eee; } td.n { text-align: right; white-space: nowrap; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  @page { size: A4 landscape; margin: 15mm; }
  @media print { body { margin: 0; } a { color: inherit; text-decoration: none; } .noprint { display: none; } }
</style>
</head>
<body>
<h1>Wie heeft uw dossier gezien?</h1>
<p class="meta">Overzicht voor <strong>${escapeHtml(o.subjectName)}</strong> (huishouden ${escapeHtml(o.familyName)}), opgesteld op ${when(o.generatedAt)}
door de functionaris gegevensbescherming. ${o.caseIds.length} casus(sen), ${o.entries.length} registraties in het toegangslog.</p>
<p>Elke keer dat een organisatie gegevens uit uw dossier inziet of wijzigt, wordt vastgelegd wie dat deed, namens welke organisatie
en in welke rol, wanneer, welke soort gegevens het betrof en met welk doel (NEN 7513). Het log wordt per huishouden en casus
bijgehouden; daarom staat hier alles wat over uw huishouden is vastgelegd. Het log zelf kan niet worden gewijzigd.</p>
<h2>Samenvatting per maand, organisatie, rol en soort gegevens</h2>
<table>
<thead><tr><th>Periode</th><th>Organisatie</th><th>Rol</th><th>Soort gegevens</th><th>Handeling</th><th>Aantal</th><th>Doel</th></tr></thead>
<tbody>
${groups || '<tr><td colspan="7">Er is niets vastgelegd.</td></tr>'}
</tbody>
</table>
<h2>Alle registraties</h2>
<table>
<thead><tr><th>Nr.</th><th>Moment</th><th>Organisatie</th><th>Rol</th><th>Handeling</th><th>Soort gegevens</th><th>Doel</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7">Er is niets vastgelegd.</td></tr>'}
</tbody>
</table>
<p class="meta">Vragen over dit overzicht? Neem contact op met de functionaris gegevensbescherming van uw gemeente.</p>
</body>
</html>
`;
}

/**
 * GET /privacy/overview/:memberId.html and GET /privacy/export/:memberId.json — the privacy
 * officer's printable overview and the right-of-access export, with the same Bearer token as the
 * API. PRIVACY_OFFICER only; both are logged like their GraphQL counterparts.
 */
export function privacyRoutes(deps: AppDeps, verify: TokenVerifier, log: Logger): { overview: RequestHandler; exportJson: RequestHandler } {
  const handle = (kind: "overview" | "export") => async (req: Request, res: Response) => {
    res.set("cache-control", "no-store");
    res.set("x-content-type-options", "nosniff");
    try {
      const viewer = await authenticate(deps.ds as DataSource, verify, bearer(req.headers.authorization));
      if (viewer.role !== "PRIVACY_OFFICER") {
        res.status(403).json({ error: { code: "FORBIDDEN", message: "Only the privacy officer may request this" } });
        return;
      }
      const purpose = typeof req.headers["x-purpose"] === "string" ? req.headers["x-purpose"] : undefined;
      const ctx = new Ctx(deps, viewer, { purpose, requestId: typeof req.headers["x-request-id"] === "string" ? req.headers["x-request-id"].slice(0, 64) : undefined });
      const memberId = String(req.params.memberId);
      if (kind === "overview") {
        ctx.operation = "GET /privacy/overview";
        const html = renderOverviewHtml(await privacyOverview(ctx, memberId));
        res.set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
        res.type("html").send(html);
      } else {
        ctx.operation = "GET /privacy/export";
        const doc = await subjectAccessExport(ctx, memberId);
        res.set("content-disposition", `attachment; filename="inzage-${memberId.replace(/[^0-9a-f-]/gi, "")}.json"`);
        res.type("application/json").send(JSON.stringify(doc, null, 2));
      }
    } catch (err) {
      if (err instanceof DomainError) {
        const code = String(err.extensions.code);
        const status = code === "UNAUTHENTICATED" ? 401 : code === "NOT_FOUND" ? 404 : code === "FORBIDDEN" ? 403 : 400;
        res.status(status).json({ error: { code, message: err.message } });
        return;
      }
      log.error({ err: (err as Error).name, path: kind }, "privacy page failed");
      res.status(500).json({ error: { code: "INTERNAL_SERVER_ERROR" } });
    }
  };
  return { overview: handle("overview"), exportJson: handle("export") };
}
