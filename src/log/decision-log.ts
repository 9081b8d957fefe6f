/**
 * The decision log (docs/contract.md §7): one JSON line per run, appended to the file named by env
 * `AGENTGUARD_DECISION_LOG`, also when the run is denied. It holds no token strings and no
 * secret values: tokens are named by jti (or a hash label), config values never appear.
 */
import { appendFileSync } from "node:fs";
import { RunDecision } from "../gate/decide";
import { packageOfType, ResourceFacts, stackSubject, StackRef } from "../facts/facts";
import { Need } from "../gate/items";

/** The env variable that names the log file. */
export const DECISION_LOG_ENV = "AGENTGUARD_DECISION_LOG";

/** One line of the log. */
export interface DecisionLogEntry {
    readonly time: string;
    readonly stack: string;
    readonly dryRun: boolean;
    /** The Pulumi project (the program) of the stack. */
    readonly project?: string;
    /** `markers`: names of the coding-agent environment variables present (never their values). */
    readonly initiator: { readonly kind: string; readonly id: string; readonly source: string; readonly markers?: readonly string[] };
    /** Types of the custom resources the run declared, sorted. */
    readonly resourceTypes?: readonly string[];
    /** Provider packages of those resources, sorted. */
    readonly providers?: readonly string[];
    /** Each item with what it needs and what was observed, so a line alone says why. */
    readonly gates: readonly { gate: string; resource?: string; required: number; approvedBy: readonly string[]; satisfied: boolean; need: Need; observed: string }[];
    readonly approvals: readonly { jti: string; iss?: string; valid: boolean; code?: string; reason?: string }[];
    readonly estimatedMonthlyUsd: number | null;
    readonly decision: "allow" | "deny";
    readonly errors?: readonly string[];
}

/** The items and tokens of a decision as the log (and `plan check --format json`) records them. */
export function decisionRecord(d: RunDecision): Pick<DecisionLogEntry, "gates" | "approvals"> {
    return {
        gates: d.gates.map((g) => ({
            gate: g.need.gate,
            ...(g.resource !== undefined ? { resource: g.resource } : {}),
            required: g.required,
            approvedBy: g.approvedBy,
            satisfied: g.satisfied,
            need: g.need,
            observed: g.observed,
        })),
        approvals: d.approvals.map((a) => ({ jti: a.jti, ...(a.iss ? { iss: a.iss } : {}), valid: a.valid, ...(a.code ? { code: a.code } : {}), ...(a.reason ? { reason: a.reason } : {}) })),
    };
}

/**
 * Builds the log entry of a decision. `resources`, when given, adds the run's custom resource
 * types and their provider packages (type tokens only: no names, no inputs).
 */
export function logEntry(d: RunDecision, stack: StackRef, dryRun: boolean, now: Date, resources?: Iterable<ResourceFacts>): DecisionLogEntry {
    const types = new Set<string>();
    for (const r of resources ?? []) {
        if (r.kind === "custom") {
            types.add(r.type);
        }
    }
    const markers = d.initiator.markers;
    return {
        time: now.toISOString(),
        stack: stackSubject(stack),
        project: stack.project,
        dryRun,
        initiator: { kind: d.initiator.kind, id: d.initiator.id, source: d.initiator.source, ...(markers && markers.length > 0 ? { markers: [...markers] } : {}) },
        ...(resources !== undefined ? { resourceTypes: [...types].sort(), providers: [...new Set([...types].map(packageOfType))].sort() } : {}),
        ...decisionRecord(d),
        estimatedMonthlyUsd: d.estimatedMonthlyUsd ?? null,
        decision: d.decision,
        ...(d.errors.length > 0 ? { errors: d.errors } : {}),
    };
}

/** Appends one line; a failure to write is reported to the caller (who denies), never ignored. */
export function appendDecision(path: string, entry: DecisionLogEntry): void {
    appendFileSync(path, JSON.stringify(entry) + "\n", { encoding: "utf8", mode: 0o600 });
}
