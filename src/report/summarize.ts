/**
 * The decision log summarized per agent (docs/contract.md §10): runs (previews and updates apart),
 * denials, approvals by whom, estimated spend over time, stacks touched, and anomalies.
 *
 * Every string in the log is agent-chosen (stack names, agent ids, resource types, approver ids
 * from tokens that may be invalid): this module treats them as data only; the renderers
 * (text.ts, html.ts) neutralize them for their medium. A malformed line is counted and skipped,
 * never fatal: the report must survive whatever an agent managed to write.
 */

/** Anomaly kinds. */
export type AnomalyKind = "first-type" | "first-provider" | "spend-jump" | "burst" | "unusual-hour";

/** One anomaly of one agent. */
export interface Anomaly {
    readonly kind: AnomalyKind;
    /** ISO time of the run that raised it. */
    readonly time: string;
    readonly stack: string;
    /** What was unusual, as data: the type, the provider, the amount, the count. */
    readonly detail: string;
}

/** A point of the spend series. */
export interface SpendPoint {
    readonly time: string;
    readonly usd: number;
}

/** Everything the report says about one agent. */
export interface AgentReport {
    readonly id: string;
    readonly previews: number;
    readonly updates: number;
    readonly deniedPreviews: number;
    readonly deniedUpdates: number;
    /** Approver id → runs in which a valid token of theirs was presented. */
    readonly approvalsBy: Readonly<Record<string, number>>;
    /** Stack → runs. */
    readonly stacks: Readonly<Record<string, number>>;
    readonly firstRun: string;
    readonly lastRun: string;
    readonly spend: readonly SpendPoint[];
    readonly medianUsd: number;
    readonly maxUsd: number;
    readonly resourceTypes: readonly string[];
    readonly providers: readonly string[];
    readonly markers: readonly string[];
    /** Counts by kind (all of them); `anomalies` keeps at most {@link ReportOptions.maxAnomalies}, the latest. */
    readonly anomalyCounts: Readonly<Record<AnomalyKind, number>>;
    readonly anomalies: readonly Anomaly[];
}

/** The whole report. */
export interface Report {
    readonly lines: number;
    /** Lines that are not a decision log entry (unparsable, wrong shape, bad time). */
    readonly malformed: number;
    /** Entries before `since`. */
    readonly skipped: number;
    readonly from?: string;
    readonly to?: string;
    readonly humanRuns: number;
    readonly unidentifiedRuns: number;
    readonly agents: readonly AgentReport[];
}

/** Thresholds of the anomaly rules. */
export interface ReportOptions {
    /** Only entries at or after this time (ms since the epoch). */
    readonly sinceMs?: number;
    /** A run whose estimate is more than `spendJumpFactor` × the agent's median (at least $1) is a jump. */
    readonly spendJumpFactor: number;
    /** More than `burstRuns` runs of one agent within `burstMinutes` is a burst. */
    readonly burstRuns: number;
    readonly burstMinutes: number;
    /** Usual hours, UTC: runs with an hour outside [start, end) are unusual. */
    readonly workHoursUtc: readonly [number, number];
    readonly maxAnomalies: number;
}

/** The defaults: 3× median, more than 20 runs in 10 minutes, 07:00–20:00 UTC. */
export const DEFAULT_REPORT_OPTIONS: ReportOptions = {
    spendJumpFactor: 3,
    burstRuns: 20,
    burstMinutes: 10,
    workHoursUtc: [7, 20],
    maxAnomalies: 200,
};

/** One log entry reduced to what the report reads, validated. */
interface Entry {
    readonly ms: number;
    readonly time: string;
    readonly stack: string;
    readonly dryRun: boolean;
    readonly kind: string;
    readonly id: string;
    readonly deny: boolean;
    readonly usd?: number;
    readonly approvers: readonly string[];
    readonly types: readonly string[];
    readonly providers: readonly string[];
    readonly markers: readonly string[];
}

const MAX_STRING = 512;
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length <= MAX_STRING ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.length <= MAX_STRING).slice(0, 1000) : []);

/** Parses one line; undefined when it is not a decision log entry. */
function parseEntry(line: string): Entry | undefined {
    let o: unknown;
    try {
        o = JSON.parse(line);
    } catch {
        return undefined;
    }
    if (o === null || typeof o !== "object" || Array.isArray(o)) {
        return undefined;
    }
    const e = o as Record<string, unknown>;
    const time = str(e.time);
    const ms = time !== undefined ? Date.parse(time) : NaN;
    const stack = str(e.stack);
    const init = e.initiator as Record<string, unknown> | null | undefined;
    const kind = init && typeof init === "object" ? str(init.kind) : undefined;
    const id = init && typeof init === "object" ? str(init.id) : undefined;
    if (!Number.isFinite(ms) || stack === undefined || kind === undefined || id === undefined || typeof e.dryRun !== "boolean") {
        return undefined;
    }
    if (e.decision !== "allow" && e.decision !== "deny") {
        return undefined;
    }
    const usd = typeof e.estimatedMonthlyUsd === "number" && Number.isFinite(e.estimatedMonthlyUsd) && e.estimatedMonthlyUsd >= 0 ? e.estimatedMonthlyUsd : undefined;
    const approvers: string[] = [];
    if (Array.isArray(e.approvals)) {
        for (const a of e.approvals as unknown[]) {
            if (a && typeof a === "object" && (a as Record<string, unknown>).valid === true) {
                const iss = str((a as Record<string, unknown>).iss);
                if (iss !== undefined && !approvers.includes(iss)) {
                    approvers.push(iss);
                }
            }
        }
    }
    return {
        ms,
        // The pack writes toISOString(); anything else is normalized to it.
        time: CANONICAL_TIME.test(time!) ? time! : new Date(ms).toISOString(),
        stack,
        dryRun: e.dryRun,
        kind,
        id,
        deny: e.decision === "deny",
        usd,
        approvers,
        types: strings(e.resourceTypes),
        providers: strings(e.providers),
        markers: strings(init && typeof init === "object" ? init.markers : undefined),
    };
}

function median(sorted: readonly number[]): number {
    if (sorted.length === 0) {
        return 0;
    }
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Summarizes one agent's entries (sorted by time). */
function agentReport(id: string, entries: readonly Entry[], opts: ReportOptions): AgentReport {
    const counts: Record<AnomalyKind, number> = { "first-type": 0, "first-provider": 0, "spend-jump": 0, burst: 0, "unusual-hour": 0 };
    const anomalies: Anomaly[] = [];
    const flag = (a: Anomaly) => {
        counts[a.kind] += 1;
        anomalies.push(a);
    };
    const approvalsBy: Record<string, number> = Object.create(null);
    const stacks: Record<string, number> = Object.create(null);
    const types = new Set<string>();
    const providers = new Set<string>();
    const markers = new Set<string>();
    const spend: SpendPoint[] = [];
    let previews = 0, updates = 0, deniedPreviews = 0, deniedUpdates = 0;
    const burstMs = opts.burstMinutes * 60_000;
    let windowStart = 0;
    let inBurst = false;
    for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        if (e.dryRun) {
            previews++;
            deniedPreviews += e.deny ? 1 : 0;
        } else {
            updates++;
            deniedUpdates += e.deny ? 1 : 0;
        }
        for (const a of e.approvers) {
            approvalsBy[a] = (own(approvalsBy, a) ? approvalsBy[a] : 0) + 1;
        }
        stacks[e.stack] = (own(stacks, e.stack) ? stacks[e.stack] : 0) + 1;
        // The first run is the baseline: what it uses is not "new".
        for (const t of e.types) {
            if (!types.has(t)) {
                types.add(t);
                if (i > 0) {
                    flag({ kind: "first-type", time: e.time, stack: e.stack, detail: t });
                }
            }
        }
        for (const p of e.providers) {
            if (!providers.has(p)) {
                providers.add(p);
                if (i > 0) {
                    flag({ kind: "first-provider", time: e.time, stack: e.stack, detail: p });
                }
            }
        }
        e.markers.forEach((m) => markers.add(m));
        if (e.usd !== undefined) {
            spend.push({ time: e.time, usd: e.usd });
        }
        // Sliding window: flag a burst once, when the window first holds more than burstRuns runs.
        while (e.ms - entries[windowStart].ms > burstMs) {
            windowStart++;
        }
        const inWindow = i - windowStart + 1;
        if (inWindow > opts.burstRuns) {
            if (!inBurst) {
                inBurst = true;
                flag({ kind: "burst", time: e.time, stack: e.stack, detail: `${inWindow} runs within ${opts.burstMinutes} minutes` });
            }
        } else {
            inBurst = false;
        }
        const hour = new Date(e.ms).getUTCHours();
        const [start, end] = opts.workHoursUtc;
        if (start <= end ? hour < start || hour >= end : hour < start && hour >= end) {
            flag({ kind: "unusual-hour", time: e.time, stack: e.stack, detail: `${String(hour).padStart(2, "0")}:00 UTC` });
        }
    }
    const sorted = spend.map((p) => p.usd).sort((a, b) => a - b);
    const med = median(sorted);
    const threshold = opts.spendJumpFactor * Math.max(med, 1);
    for (const e of entries) {
        if (e.usd !== undefined && e.usd > threshold) {
            flag({ kind: "spend-jump", time: e.time, stack: e.stack, detail: `$${e.usd} > ${opts.spendJumpFactor}× median $${med}` });
        }
    }
    anomalies.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    return {
        id,
        previews,
        updates,
        deniedPreviews,
        deniedUpdates,
        approvalsBy: { ...approvalsBy },
        stacks: { ...stacks },
        firstRun: entries[0].time,
        lastRun: entries[entries.length - 1].time,
        spend,
        medianUsd: med,
        maxUsd: sorted.length > 0 ? sorted[sorted.length - 1] : 0,
        resourceTypes: [...types].sort(),
        providers: [...providers].sort(),
        markers: [...markers].sort(),
        anomalyCounts: counts,
        anomalies: anomalies.slice(-opts.maxAnomalies),
    };
}

/** Summarizes the text of a decision log (one JSON object per line). */
export function summarizeLog(text: string, options: Partial<ReportOptions> = {}): Report {
    const opts: ReportOptions = { ...DEFAULT_REPORT_OPTIONS, ...options };
    const byAgent = new Map<string, Entry[]>();
    let lines = 0, malformed = 0, skipped = 0, humanRuns = 0, unidentifiedRuns = 0;
    let from = Infinity, to = -Infinity;
    let start = 0;
    while (start < text.length) {
        let end = text.indexOf("\n", start);
        if (end < 0) {
            end = text.length;
        }
        const line = text.slice(start, end);
        start = end + 1;
        if (line.trim() === "") {
            continue;
        }
        lines++;
        const e = parseEntry(line);
        if (!e) {
            malformed++;
            continue;
        }
        if (opts.sinceMs !== undefined && e.ms < opts.sinceMs) {
            skipped++;
            continue;
        }
        from = Math.min(from, e.ms);
        to = Math.max(to, e.ms);
        if (e.kind === "agent") {
            let list = byAgent.get(e.id);
            if (!list) {
                list = [];
                byAgent.set(e.id, list);
            }
            list.push(e);
        } else if (e.kind === "human") {
            humanRuns++;
        } else {
            unidentifiedRuns++;
        }
    }
    const agents = [...byAgent.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([id, list]) => {
            // Appended in time order almost always; a stable sort keeps that cheap.
            list.sort((a, b) => a.ms - b.ms);
            return agentReport(id, list, opts);
        });
    return {
        lines,
        malformed,
        skipped,
        ...(Number.isFinite(from) ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : {}),
        humanRuns,
        unidentifiedRuns,
        agents,
    };
}

/**
 * Parses `--since`: an ISO time (`2026-11-01`, `2026-11-01T08:00:00Z`) or a span back from `now`
 * (`30m`, `24h`, `7d`). Undefined when it is neither.
 */
export function parseSince(s: string, nowMs: number): number | undefined {
    const m = /^(\d+)\s*([mhd])$/.exec(s.trim());
    if (m) {
        const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "h" | "d"];
        return nowMs - Number(m[1]) * unit;
    }
    if (!/^\d{4}-\d{2}-\d{2}/.test(s.trim())) {
        return undefined;
    }
    const ms = Date.parse(s.trim());
    return Number.isFinite(ms) ? ms : undefined;
}
