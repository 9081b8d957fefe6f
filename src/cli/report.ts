/**
 * `agentguard report --log <decision-log.jsonl> [--json] [--html <file>] [--since <time|7d>]
 * [--burst-runs N] [--burst-minutes M] [--work-hours 7-20]` (docs/contract.md §10): the decision log
 * summarized per agent. Thin: src/report does the work.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { reportHtml, reportJson, reportText } from "../report/render";
import { DEFAULT_REPORT_OPTIONS, ReportOptions, parseSince, summarizeLog } from "../report/summarize";
import { Io, UsageError } from "./io";
import { CommandSpec, flag, parseCommand, str } from "./options";

/** `agentguard report` */
export const REPORT: CommandSpec = {
    name: "report",
    summary: "Summarizes the decision log per agent: runs, denials, approvals, spend, stacks, anomalies.",
    options: {
        log: { type: "string", value: "decision-log.jsonl", help: "the file AGENTGUARD_DECISION_LOG names (required)" },
        json: { type: "flag", help: "print the summary as JSON" },
        html: { type: "string", value: "file", help: "also write a self-contained HTML report" },
        since: { type: "string", value: "ISO time|30m|24h|7d", help: "only runs from then on" },
        "burst-runs": { type: "string", value: "N", help: `more than N runs of one agent within --burst-minutes is a burst (default ${DEFAULT_REPORT_OPTIONS.burstRuns})` },
        "burst-minutes": { type: "string", value: "M", help: `the burst window in minutes (default ${DEFAULT_REPORT_OPTIONS.burstMinutes})` },
        "work-hours": { type: "string", value: "start-end", help: "UTC hours outside which a run is an anomaly, e.g. 7-20" },
    },
};

function positive(v: string | undefined, flag: string, def: number): number {
    if (v === undefined) {
        return def;
    }
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) {
        throw new UsageError(`${flag} must be a whole number ≥ 1, not "${v}"`);
    }
    return n;
}

/** `agentguard report …` */
export async function reportCommand(argv: string[], io: Io, now: () => number = Date.now): Promise<number> {
    const p = parseCommand(REPORT, argv, io);
    if (!p) {
        return 0;
    }
    const values = { log: str(p, "log"), json: flag(p, "json"), html: str(p, "html"), since: str(p, "since"), "burst-runs": str(p, "burst-runs"), "burst-minutes": str(p, "burst-minutes"), "work-hours": str(p, "work-hours") };
    if (!values.log) {
        throw new UsageError("--log is required (the file AGENTGUARD_DECISION_LOG names)");
    }
    const opts: Partial<ReportOptions> & { sinceMs?: number } = {
        burstRuns: positive(values["burst-runs"], "--burst-runs", DEFAULT_REPORT_OPTIONS.burstRuns),
        burstMinutes: positive(values["burst-minutes"], "--burst-minutes", DEFAULT_REPORT_OPTIONS.burstMinutes),
    };
    if (values.since !== undefined) {
        const since = parseSince(values.since, now());
        if (since === undefined) {
            throw new UsageError(`--since must be an ISO time (2026-11-01T08:00:00Z) or a span (30m, 24h, 7d), not "${values.since}"`);
        }
        opts.sinceMs = since;
    }
    if (values["work-hours"] !== undefined) {
        const m = /^(\d{1,2})-(\d{1,2})$/.exec(values["work-hours"]);
        if (!m || Number(m[1]) > 24 || Number(m[2]) > 24) {
            throw new UsageError(`--work-hours must be <start>-<end> in UTC hours (7-20), not "${values["work-hours"]}"`);
        }
        (opts as { workHoursUtc?: [number, number] }).workHoursUtc = [Number(m[1]), Number(m[2])];
    }
    let text: string;
    try {
        text = readFileSync(values.log, "utf8");
    } catch (e) {
        throw new UsageError(`--log "${values.log}" cannot be read: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
    }
    const report = summarizeLog(text, opts);
    if (values.html) {
        writeFileSync(values.html, reportHtml(report));
        io.stderr(`report written to ${values.html}\n`);
    }
    io.stdout(values.json ? reportJson(report) : reportText(report));
    return 0;
}
