/**
 * The report in three media. Every string from the log is agent-chosen, so:
 * - text: control characters (C0, C1, ESC of ANSI sequences), bidi overrides and isolates,
 *   zero-width and line/paragraph separators are stripped before printing;
 * - JSON: the same characters are escaped as `\uXXXX` (the data stays exact, a terminal shows no tricks);
 * - HTML: every string is escaped, the page loads nothing (`default-src 'none'`), its one style
 *   block is allowed by hash, and the spend chart is inline SVG built from numbers only.
 */
import { createHash } from "node:crypto";
import { UNSAFE_TEXT } from "../facts/format";
import { AgentReport, AnomalyKind, Report } from "./summarize";

/** Strips control, bidi and invisible formatting characters. */
export function cleanText(s: string): string {
    return s.replace(UNSAFE_TEXT, "");
}

/** Escapes for HTML text and attribute values; strips what {@link cleanText} strips. */
export function escapeHtml(s: string): string {
    return cleanText(s).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const KINDS: readonly AnomalyKind[] = ["first-type", "first-provider", "spend-jump", "burst", "unusual-hour"];

function usd(n: number): string {
    return `$${n.toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
}

function counted(o: Readonly<Record<string, number>>, limit = 10): string {
    const e = Object.entries(o).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    const shown = e.slice(0, limit).map(([k, n]) => `${k} ×${n}`);
    return e.length === 0 ? "none" : shown.join(", ") + (e.length > limit ? `, … (${e.length - limit} more)` : "");
}

function anomalySummary(a: AgentReport): string {
    const parts = KINDS.filter((k) => a.anomalyCounts[k] > 0).map((k) => `${a.anomalyCounts[k]} ${k}`);
    return parts.length === 0 ? "none" : parts.join(", ");
}

/** The report as plain text for a terminal: every log string cleaned. */
export function reportText(r: Report, opts: { readonly anomaliesPerAgent?: number } = {}): string {
    const per = opts.anomaliesPerAgent ?? 20;
    const out: string[] = [];
    const span = r.from ? ` from ${r.from} to ${r.to}` : "";
    out.push(`agentguard report: ${r.lines} log lines${span}; ${r.agents.length} agent(s), ${r.humanRuns} human run(s), ${r.unidentifiedRuns} unidentified run(s)`);
    if (r.malformed > 0) {
        out.push(`${r.malformed} malformed line(s) skipped`);
    }
    if (r.skipped > 0) {
        out.push(`${r.skipped} entr${r.skipped === 1 ? "y" : "ies"} before --since skipped`);
    }
    for (const a of r.agents) {
        const last = a.spend.at(-1);
        out.push(
            "",
            `agent ${a.id}`,
            `  runs: ${a.previews} preview(s) (${a.deniedPreviews} denied), ${a.updates} update(s) (${a.deniedUpdates} denied), ${a.firstRun} – ${a.lastRun}`,
            `  approvals: ${counted(a.approvalsBy)}`,
            `  stacks: ${counted(a.stacks)}`,
            `  estimated spend: median ${usd(a.medianUsd)}/month, max ${usd(a.maxUsd)}/month${last ? `, last ${usd(last.usd)}/month (${last.time})` : ""}`,
            `  providers: ${a.providers.join(", ") || "none"}; resource types: ${a.resourceTypes.length}`,
            ...(a.markers.length > 0 ? [`  coding-agent markers: ${a.markers.join(", ")}`] : []),
            `  anomalies: ${anomalySummary(a)}`,
        );
        for (const an of a.anomalies.slice(-per)) {
            out.push(`    ${an.time}  ${an.kind}  ${an.stack}  ${an.detail}`);
        }
    }
    // Line by line: our own newlines stay, anything the log brought is stripped.
    return out.map(cleanText).join("\n") + "\n";
}

/** `c` as JSON escapes, one `\uXXXX` per UTF-16 unit (a surrogate pair as two). */
function jsonEscape(c: string): string {
    return Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join("");
}

/**
 * The report as JSON; every {@link UNSAFE_TEXT} character escaped as `\uXXXX`. Line by line: the
 * only raw line breaks are the layout's (JSON.stringify escapes those inside strings).
 */
export function reportJson(r: Report): string {
    return (
        JSON.stringify(r, null, 2)
            .split("\n")
            .map((l) => l.replace(UNSAFE_TEXT, jsonEscape))
            .join("\n") + "\n"
    );
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
const W = 880;
const H = 280;
const PAD = { left: 70, right: 20, top: 20, bottom: 40 };

/** The spend-over-time chart: one polyline per agent (at most one point per pixel column, the highest). */
function chart(r: Report): string {
    const t0 = r.from ? Date.parse(r.from) : 0;
    const t1 = r.to ? Date.parse(r.to) : 1;
    const span = Math.max(t1 - t0, 1);
    const maxUsd = Math.max(1, ...r.agents.map((a) => a.maxUsd));
    const pw = W - PAD.left - PAD.right;
    const ph = H - PAD.top - PAD.bottom;
    const x = (ms: number) => PAD.left + ((ms - t0) / span) * pw;
    const y = (v: number) => PAD.top + ph - (v / maxUsd) * ph;
    const parts: string[] = [];
    parts.push(`<svg xmlns="http://www.w3.org/2000/svg" id="spend-chart" role="img" aria-label="Estimated monthly spend per run, by agent" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`);
    parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
    parts.push(`<line x1="${PAD.left}" y1="${PAD.top + ph}" x2="${W - PAD.right}" y2="${PAD.top + ph}" stroke="#444"/>`);
    parts.push(`<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + ph}" stroke="#444"/>`);
    for (const f of [0, 0.5, 1]) {
        parts.push(`<text x="${PAD.left - 6}" y="${(y(maxUsd * f) + 4).toFixed(1)}" text-anchor="end" font-size="11">${escapeHtml(usd(maxUsd * f))}</text>`);
    }
    if (r.from && r.to) {
        parts.push(`<text x="${PAD.left}" y="${H - 12}" font-size="11">${escapeHtml(r.from.slice(0, 16))}</text>`);
        parts.push(`<text x="${W - PAD.right}" y="${H - 12}" text-anchor="end" font-size="11">${escapeHtml(r.to.slice(0, 16))}</text>`);
    }
    r.agents.forEach((a, i) => {
        const columns = new Map<number, number>();
        for (const p of a.spend) {
            const col = Math.round(x(Date.parse(p.time)));
            columns.set(col, Math.max(columns.get(col) ?? 0, p.usd));
        }
        const pts = [...columns.entries()].sort(([c1], [c2]) => c1 - c2).map(([c, v]) => `${c},${y(v).toFixed(1)}`);
        if (pts.length === 1) {
            const [cx, cy] = pts[0].split(",");
            parts.push(`<circle class="series" cx="${cx}" cy="${cy}" r="3" fill="${PALETTE[i % PALETTE.length]}"/>`);
        } else if (pts.length > 1) {
            parts.push(`<polyline class="series" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1.5" points="${pts.join(" ")}"/>`);
        }
    });
    parts.push("</svg>");
    return parts.join("\n");
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}.deny{color:#b00020}.key{margin:0 .3em 0 1em}code{font-family:ui-monospace,monospace;word-break:break-all}`;

/** The report as one self-contained HTML page (no script, no network; CSP `default-src 'none'`). */
export function reportHtml(r: Report): string {
    const hash = createHash("sha256").update(STYLE).digest("base64");
    const h: string[] = [];
    h.push("<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">');
    h.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; form-action 'none'; base-uri 'none'">`);
    h.push('<meta name="referrer" content="no-referrer">', "<title>agentguard report</title>", `<style>${STYLE}</style>`, "</head>", "<body>");
    h.push("<h1>agentguard report</h1>");
    h.push(
        `<p>${r.lines} log lines${r.from ? ` from <code>${escapeHtml(r.from)}</code> to <code>${escapeHtml(r.to ?? "")}</code>` : ""}; ` +
            `${r.agents.length} agent(s), ${r.humanRuns} human run(s), ${r.unidentifiedRuns} unidentified run(s)` +
            `${r.malformed > 0 ? `; ${r.malformed} malformed line(s) skipped` : ""}${r.skipped > 0 ? `; ${r.skipped} before --since skipped` : ""}.</p>`,
    );
    h.push("<h2>Estimated monthly spend per run</h2>", chart(r));
    h.push(
        "<p>",
        ...r.agents.map((a, i) => `<svg class="key" width="14" height="8" aria-hidden="true"><rect width="14" height="8" fill="${PALETTE[i % PALETTE.length]}"/></svg><code>${escapeHtml(a.id)}</code> `),
        "</p>",
    );
    for (const a of r.agents) {
        h.push(`<h2>Agent <code>${escapeHtml(a.id)}</code></h2>`, "<table>");
        const row = (k: string, v: string) => h.push(`<tr><th>${k}</th><td>${v}</td></tr>`);
        row("previews", `${a.previews} (<span class="deny">${a.deniedPreviews} denied</span>)`);
        row("updates", `${a.updates} (<span class="deny">${a.deniedUpdates} denied</span>)`);
        row("first / last run", `<code>${escapeHtml(a.firstRun)}</code> / <code>${escapeHtml(a.lastRun)}</code>`);
        row("approvals by", escapeHtml(counted(a.approvalsBy, 50)));
        row("stacks", escapeHtml(counted(a.stacks, 50)));
        row("estimated spend", `median ${escapeHtml(usd(a.medianUsd))}/month, max ${escapeHtml(usd(a.maxUsd))}/month`);
        row("providers", escapeHtml(a.providers.join(", ") || "none"));
        row("resource types", escapeHtml(a.resourceTypes.join(", ") || "none"));
        if (a.markers.length > 0) {
            row("coding-agent markers", escapeHtml(a.markers.join(", ")));
        }
        row("anomalies", escapeHtml(anomalySummary(a)));
        h.push("</table>");
        if (a.anomalies.length > 0) {
            h.push("<table><tr><th>time</th><th>anomaly</th><th>stack</th><th>detail</th></tr>");
            for (const an of a.anomalies.slice(-50)) {
                h.push(`<tr><td><code>${escapeHtml(an.time)}</code></td><td>${escapeHtml(an.kind)}</td><td><code>${escapeHtml(an.stack)}</code></td><td><code>${escapeHtml(an.detail)}</code></td></tr>`);
            }
            h.push("</table>");
        }
    }
    h.push("</body>", "</html>", "");
    return h.join("\n");
}
