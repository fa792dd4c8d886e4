import { INDICATORS } from "./definitions.js";
import { nl } from "./evaluate.js";
import type { NetworkIndicatorFigure, NetworkIndicators } from "./indicators.type.js";

/**
 * The network report (anonymised: built only from NetworkIndicators, which holds counts and
 * generic reasons — no ids, names or free text) as CSV and as a printable HTML page laid out like
 * the inspection's own: per theme, per indicator, "Wat gaat goed" and "Wat kan beter".
 */

const csvCell = (v: string | number | boolean | null) => {
  if (v === null) return "";
  const s = String(v);
  return /[";\n,]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

const pct = (share: number | null) => (share === null ? "" : `${Math.round(share * 100)}%`);

export function networkCsv(n: NetworkIndicators): string {
  const header = ["periode_van", "periode_tot", "maand", "nummer", "thema", "indicator", "van_toepassing", "voldaan", "niet_voldaan", "aandeel_voldaan", "onderdrukt"];
  const lines = [header.join(",")];
  const row = (month: string, f: NetworkIndicatorFigure) =>
    [n.from, n.to, month, f.number, f.theme, f.title, f.applicable, f.met, f.notMet, f.share, f.suppressed].map(csvCell).join(",");
  for (const f of n.figures) lines.push(row("totaal", f));
  for (const m of n.trend) for (const f of m.figures) lines.push(row(m.month, f));
  return lines.join("\r\n") + "\r\n";
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Above this share an indicator "goes well". */
const GOOD = 0.8;

function goesWell(f: NetworkIndicatorFigure): string {
  if (f.suppressed) return "Te weinig casussen om over te rapporteren.";
  if (f.applicable === 0 || f.share === null) return "Niet van toepassing in deze periode.";
  if (f.share >= GOOD) return `In ${pct(f.share)} van de casussen (${f.met} van ${f.applicable}) is aan deze indicator voldaan.`;
  if ((f.met ?? 0) > 0) return `In ${f.met} van de ${f.applicable} casussen (${pct(f.share)}) is aan deze indicator voldaan.`;
  return "In geen van de casussen is aan deze indicator voldaan.";
}

function canBeBetter(f: NetworkIndicatorFigure, min: number): string {
  if (f.suppressed || f.applicable === 0) return "<p>—</p>";
  if (f.notMet === 0) return "<p>Geen knelpunten gevonden.</p>";
  const items = f.reasons.map((r) => `<li>${esc(r.reason)}: ${r.cases} casussen</li>`).join("");
  const intro = `<p>In ${f.notMet} van de ${f.applicable} casussen is niet aan deze indicator voldaan.</p>`;
  return items ? `${intro}<ul>${items}</ul>` : `${intro}<p>Geen afzonderlijke oorzaak komt in ${min} of meer casussen voor.</p>`;
}

export function networkHtml(n: NetworkIndicators): string {
  const byTheme = new Map<string, NetworkIndicatorFigure[]>();
  for (const f of n.figures) byTheme.set(f.theme, [...(byTheme.get(f.theme) ?? []), f]);
  const months = n.trend
    .map((m) => `<th scope="col">${esc(m.month)}</th>`)
    .join("");
  const trendRows = INDICATORS.map((d) => {
    const cells = n.trend.map((m) => {
      const f = m.figures[d.number - 1];
      return `<td>${f.suppressed ? "*" : f.share === null ? "–" : pct(f.share)}</td>`;
    });
    return `<tr><th scope="row">${d.number}. ${esc(d.title)}</th>${cells.join("")}</tr>`;
  }).join("");
  const sections = [...byTheme]
    .map(([theme, figures]) => {
      const blocks = figures
        .map((f) => {
          const d = INDICATORS[f.number - 1];
          return `<section class="indicator">
<h3>Indicator ${f.number}: ${esc(f.title)}</h3>
<p class="kader">${esc(d.indicator)}</p>
<p class="regel">Beslisregel in de hub: ${esc(d.rule)}</p>
<table class="cijfers"><tr><th>van toepassing</th><th>voldaan</th><th>niet voldaan</th><th>aandeel voldaan</th></tr>
<tr><td>${f.suppressed ? "*" : f.applicable}</td><td>${f.suppressed ? "*" : f.met}</td><td>${f.suppressed ? "*" : f.notMet}</td><td>${f.suppressed ? "*" : pct(f.share) || "–"}</td></tr></table>
<h4>Wat gaat goed:</h4><p>${esc(goesWell(f))}</p>
<h4>Wat kan beter:</h4>${canBeBetter(f, n.minimumCellSize)}
</section>`;
        })
        .join("\n");
      return `<section class="thema"><h2>Thema: ${esc(theme)}</h2>\n${blocks}</section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Het lokale netwerk na Veilig Thuis — ${esc(nl(n.from))} t/m ${esc(nl(n.to))}</title>
<style>
body{font-family:Georgia,serif;max-width:52rem;margin:2rem auto;color:#111;line-height:1.45}
h1{font-size:1.6rem}h2{border-bottom:2px solid #333;margin-top:2.5rem}h3{margin-bottom:.2rem}h4{margin:.6rem 0 .1rem}
.kader{font-style:italic}.regel{font-size:.9rem;color:#444}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #999;padding:.2rem .5rem;text-align:right}th[scope=row]{text-align:left}
.indicator{break-inside:avoid}@media print{body{margin:0}a{color:inherit}}
</style></head><body>
<h1>Het lokale netwerk na Veilig Thuis</h1>
<p>Indicatoren uit het toezichtkader van Toezicht Sociaal Domein, berekend uit de gegevens in de ketenhub.<br>
Periode: ${esc(nl(n.from))} t/m ${esc(nl(n.to))}. Casussen in de periode: ${n.suppressed ? "minder dan " + n.minimumCellSize : n.cases}.</p>
<p>Geanonimiseerd: alleen aantallen; cijfers over minder dan ${n.minimumCellSize} casussen zijn weggelaten (*).</p>
${sections}
<h2>Verloop per maand (aandeel voldaan)</h2>
<table><tr><th scope="col">indicator</th>${months}</tr>${trendRows}</table>
</body></html>
`;
}
