/**
 * The pieces of a decision: detection context, items per resource and per stack, and judging
 * items against approvals. The run core (run.ts) puts them together for every caller.
 */
import { gateRefusal } from "../approvals/roles";
import { ApprovalReport, ValidApproval } from "../approvals/verify";
import { CostEstimator, ResourceCost } from "../cost/types";
import { GateConfig, agentProfile } from "./config";
import { stackEnvironment } from "./environment";
import { ResourceFacts, RunFacts, packageOfType } from "../facts/facts";
import { Initiator } from "./initiator";
import { GATE_IDS, GateItem } from "./items";
import { countResources } from "./operations";
import { DetectContext, GATES, StackSummary, needRow, requiredFor } from "./table";

/** An item with the approvals that cover it. */
export interface JudgedItem extends GateItem {
    /** How many distinct approvers it needs (the gate table's count for its need). */
    readonly required: number;
    /** Distinct approvers (by `iss`) whose valid tokens cover this item. */
    readonly approvedBy: readonly string[];
    readonly satisfied: boolean;
}

/** Builds the detection context for an agent-initiated run. */
export function detectContext(config: GateConfig, run: RunFacts, agent: Initiator & { kind: "agent" }, estimator: CostEstimator): DetectContext {
    const cache = new Map<string, ResourceCost>();
    return {
        config,
        agent: agent.id,
        stack: run.stack,
        stackEnv: stackEnvironment(run, config),
        profile: agentProfile(config, agent.id, agent.source === "env"),
        cost: (r) => {
            let c = cache.get(r.urn);
            if (!c) {
                c = estimator.estimate(r);
                cache.set(r.urn, c);
            }
            return c;
        },
    };
}

/** Resource-level items of one resource, from every gate in table order. */
export function resourceItems(r: ResourceFacts, ctx: DetectContext): GateItem[] {
    return GATE_IDS.flatMap((g) => GATES[g].detectResource?.(r, ctx) ?? []);
}

/** Stack-level items of a stack summary. */
export function stackItems(s: StackSummary, ctx: DetectContext): GateItem[] {
    return GATE_IDS.flatMap((g) => GATES[g].detectStack?.(s, ctx) ?? []);
}

/** Sums the estimated monthly cost of custom resources. */
export function summarizeStack(resources: readonly ResourceFacts[], ctx: DetectContext, partial = false): StackSummary {
    let total = 0;
    const byProviderUsd: Record<string, number> = {};
    for (const r of resources) {
        if (r.kind === "custom") {
            const usd = ctx.cost(r).monthlyUsd;
            total += usd;
            addProviderSpend(byProviderUsd, r, usd);
        }
    }
    return { resourceCount: countResources(resources), totalMonthlyUsd: total, partial, byProviderUsd };
}

/** Adds `usd` to the running spend of `r`'s provider package (the package of its type). */
export function addProviderSpend(byProviderUsd: Record<string, number>, r: ResourceFacts, usd: number): void {
    const pkg = packageOfType(r.type);
    byProviderUsd[pkg] = (Object.prototype.hasOwnProperty.call(byProviderUsd, pkg) ? byProviderUsd[pkg] : 0) + usd;
}

/**
 * True when `a` covers `item`: its approver may approve the item's gate (`approvers[].gates`),
 * the need's row in the gate table, and the `resources` restriction — a token that lists
 * resources covers resource-level items of those resources only, and no stack-level item.
 */
export function approvalCovers(a: ValidApproval, item: GateItem): boolean {
    if (gateRefusal(a.iss, a.gates, item.need.gate) !== undefined) {
        return false;
    }
    if (item.level === "stack" && a.scope.resources !== undefined) {
        return false;
    }
    if (item.level === "resource" && a.scope.resources !== undefined && !a.scope.resources.includes(item.resource ?? "")) {
        return false;
    }
    return needRow(item.need).covers(a, item.need as never, item.resource);
}

/** Judges items against valid approvals: distinct approvers by `iss`, satisfied at the table's count. */
export function judge(items: readonly GateItem[], approvals: readonly ValidApproval[]): JudgedItem[] {
    return items.map((item) => {
        const required = requiredFor(item.need);
        const approvedBy = [...new Set(approvals.filter((a) => approvalCovers(a, item)).map((a) => a.iss))].sort();
        return { ...item, required, approvedBy, satisfied: required === 0 || approvedBy.length >= required };
    });
}

/** The decision for a whole run, as the decision log records it. */
export interface RunDecision {
    readonly initiator: Initiator;
    readonly gates: readonly JudgedItem[];
    readonly approvals: readonly ApprovalReport[];
    readonly estimatedMonthlyUsd?: number;
    /** Reasons the run is denied outright (unidentified initiator, broken config, internal error). */
    readonly errors: readonly string[];
    readonly decision: "allow" | "deny";
}

/** Combines judged items and outright errors into allow or deny. */
export function finalize(parts: Omit<RunDecision, "decision">): RunDecision {
    const deny = parts.errors.length > 0 || parts.gates.some((g) => !g.satisfied);
    return { ...parts, decision: deny ? "deny" : "allow" };
}
