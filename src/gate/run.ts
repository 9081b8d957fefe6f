/**
 * THE run core: one run of the gate from plain facts to a decision. The policy pack (per resource
 * as the engine sends them, then per stack), `agentguard plan check`, and the tests all drive
 * these functions; none of them assembles a run on its own.
 *
 * - {@link openRun}: who runs, the gate config, the approvals (verified by the caller's function,
 *   once per run), outright denials.
 * - {@link judgeResource}: the resource-level items of one resource; during an update also the
 *   running stack totals, so the resource that pushes the stack over is refused.
 * - {@link judgeRun}: the stack-level items and the run's decision.
 */
import { ApprovalSet, VerifyContext } from "../approvals/verify";
import { CostEstimator } from "../cost/types";
import { GateConfig, DEFAULT_GATE_CONFIG } from "./config";
import { JudgedItem, RunDecision, detectContext, finalize, judge, resourceItems, stackItems, summarize } from "./decide";
import { ResourceFacts, RunFacts, stackSubject } from "./facts";
import { AGENT_CONFIG_KEY, INITIATOR_ENV, Initiator, resolveInitiator } from "./initiator";
import { denialMessage, summaryDenial } from "./message";
import { DetectContext } from "./table";

/** What a run is opened with. */
export interface RunInput {
    readonly run: RunFacts;
    /** The gate config; absent when it was invalid (then `configError` says why). */
    readonly config?: GateConfig;
    /** Why the config is invalid, as a message safe to show. */
    readonly configError?: string;
    readonly estimator: CostEstimator;
    /** Verifies the presented approvals for an agent's run (called once, only for agents). */
    readonly verify: (ctx: VerifyContext) => Promise<ApprovalSet>;
}

/** An open run: everything decided once, plus the running totals of an update. */
export interface OpenRun {
    readonly run: RunFacts;
    readonly initiator: Initiator;
    /** Why the run is denied outright, if it is. */
    readonly errors: readonly string[];
    readonly config?: GateConfig;
    readonly approvals: ApprovalSet;
    /** Present for an agent's run that is not denied outright. */
    readonly ctx?: DetectContext;
    /** Custom resources seen so far during an update, and their estimated monthly cost. */
    readonly running: { costUsd: number; readonly seen: Set<string> };
}

const NO_APPROVALS: ApprovalSet = { valid: [], reports: [] };

/** Opens a run: resolves the initiator, collects outright denials, verifies approvals of an agent. */
export async function openRun(input: RunInput): Promise<OpenRun> {
    const { run, config } = input;
    const errors: string[] = [];
    if (!config) {
        errors.push(
            `the policy pack config of "agent-change-gate" is invalid: ${input.configError ?? "it could not be read"}; fix it in the file given to --policy-pack-config`,
        );
    }
    // With a broken config the initiator is still resolved (a human's run passes), strictly.
    const initiator = resolveInitiator(run, config ?? DEFAULT_GATE_CONFIG);
    if (initiator.kind === "unidentified") {
        errors.push(
            `agent-change-gate cannot tell who is running "${stackSubject(run.stack)}": ${initiator.reason}. ` +
                `CI must set ${INITIATOR_ENV}=agent:<id> or human:<id> from trusted context, or the stack must set "${AGENT_CONFIG_KEY}"`,
        );
    }
    const running = { costUsd: 0, seen: new Set<string>() };
    if (initiator.kind !== "agent" || !config) {
        return { run, initiator, errors, config, approvals: NO_APPROVALS, running };
    }
    const approvals = await input.verify({ config, stack: run.stack, agent: initiator.id, now: run.now });
    const ctx = errors.length === 0 ? detectContext(config, run, initiator, input.estimator) : undefined;
    return { run, initiator, errors, config, approvals, ctx, running };
}

/** True when the gate has nothing to say about this run: a human's. */
export function isHumanRun(open: OpenRun): boolean {
    return open.initiator.kind === "human";
}

/**
 * Judges one resource: its resource-level items, and during an update (not a dry run) the
 * stack-level items of the running totals. Call only for an agent's run that is not denied
 * outright (`open.ctx` set).
 */
export function judgeResource(open: OpenRun, r: ResourceFacts): JudgedItem[] {
    const ctx = contextOf(open);
    const items = resourceItems(r, ctx);
    if (!open.run.dryRun) {
        if (r.kind === "custom" && !open.running.seen.has(r.urn)) {
            open.running.costUsd += ctx.cost(r).monthlyUsd;
            open.running.seen.add(r.urn);
        }
        items.push(...stackItems({ resourceCount: open.running.seen.size, totalMonthlyUsd: open.running.costUsd, partial: true }, ctx));
    }
    return judge(items, open.approvals.valid);
}

/** The outcome of a whole run. */
export interface RunOutcome {
    readonly decision: RunDecision;
    /** The stack-level items (already inside `decision.gates`). */
    readonly stackItems: readonly JudgedItem[];
}

/**
 * Decides a whole run: the resource-level items of every resource (`known` supplies items
 * already judged as resources arrived) and the stack-level items of the final stack.
 */
export function judgeRun(open: OpenRun, resources: readonly ResourceFacts[], known?: (urn: string) => readonly JudgedItem[] | undefined): RunOutcome {
    if (open.initiator.kind === "human") {
        return { decision: finalize({ initiator: open.initiator, gates: [], approvals: [], errors: [] }), stackItems: [] };
    }
    if (!open.ctx || open.errors.length > 0) {
        return { decision: outrightDecision(open), stackItems: [] };
    }
    const ctx = open.ctx;
    const summary = summarize(resources, ctx);
    const stackJudged = judge(stackItems(summary, ctx), open.approvals.valid);
    const resourceJudged = resources.flatMap((r) => known?.(r.urn) ?? judge(resourceItems(r, ctx), open.approvals.valid));
    // Running-total items of an update are superseded by the final stack items.
    const gates = [...resourceJudged.filter((j) => j.level === "resource"), ...stackJudged];
    const decision = finalize({
        initiator: open.initiator,
        gates,
        approvals: open.approvals.reports,
        estimatedMonthlyUsd: Math.round(summary.totalMonthlyUsd * 100) / 100,
        errors: [],
    });
    return { decision, stackItems: stackJudged };
}

/** The decision of a run denied outright (no items judged). */
export function outrightDecision(open: OpenRun, extraErrors: readonly string[] = []): RunDecision {
    return finalize({ initiator: open.initiator, gates: [], approvals: open.approvals.reports, errors: [...open.errors, ...extraErrors] });
}

/** The decision of an update that a denial ends before the stack is judged: the items judged so far and the running total. */
export function partialDecision(open: OpenRun, gates: readonly JudgedItem[]): RunDecision {
    return finalize({
        initiator: open.initiator,
        gates,
        approvals: open.approvals.reports,
        estimatedMonthlyUsd: Math.round(open.running.costUsd * 100) / 100,
        errors: open.errors,
    });
}

/** The denial text of one unsatisfied item. */
export function denial(open: OpenRun, item: JudgedItem): string {
    const text = denialMessage(item, { stack: open.run.stack, agent: open.initiator.id, reports: open.approvals.reports, valid: open.approvals.valid });
    return open.config && open.config.approvers.length === 0 ? `${text} (No approvers are configured in the policy pack config yet: add them with "agentguard keygen".)` : text;
}

/** The closing paragraph of a denied run: findings by gate and the one token each approver signs. */
export function runSummary(open: OpenRun, decision: RunDecision): string {
    return summaryDenial(
        decision.gates.filter((g) => !g.satisfied),
        open.run.stack,
        open.initiator.id,
    );
}

function contextOf(open: OpenRun): DetectContext {
    if (!open.ctx) {
        throw new Error("judgeResource called for a run that is not an agent's or is denied outright");
    }
    return open.ctx;
}
