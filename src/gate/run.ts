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
import { ApprovalError } from "../approvals/errors";
import { ApprovalReport, ApprovalSet, ValidApproval, VerifyContext, approvalOfReport } from "../approvals/verify";
import { CostEstimator } from "../cost/types";
import { GateConfig, DEFAULT_GATE_CONFIG } from "./config";
import { JudgedItem, RunDecision, addProviderSpend, detectContext, finalize, judge, resourceItems, stackItems, summarizeStack } from "./decide";
import { ResourceFacts, RunFacts, stackSubject } from "../facts/facts";
import { printable } from "../facts/format";
import { AGENT_CONFIG_KEY, INITIATOR_ENV, Initiator, resolveInitiator } from "./initiator";
import { GateItem } from "./items";
import { denialMessage, summaryDenial } from "./message";
import { shellArg } from "./shell";
import { DetectContext, GATES, requiredFor } from "./table";
import { PlanBinding, destructiveItems } from "./destructive";

/**
 * What a saved plan does to a resource (docs/plans.md): `same` raises no resource-level item, an
 * `update` no purchase (it was bought when created), a `delete` only the destructive gate, a
 * `replace` every gate of a create plus the destructive gate. Without a plan every resource is
 * judged as a create — all the pack can know.
 */
export type PlanStep = "create" | "update" | "same" | "delete" | "replace";

/** What a saved plan says of one resource: its step and, where known, what changes and what it was. */
export interface PlannedChange {
    readonly step: PlanStep;
    /** Inputs an update or replace adds, changes or removes; undefined when not known (then every purchase counts). */
    readonly changed?: readonly string[];
    /**
     * The resource as the state holds it now (update, replace), when known — plan check has the state,
     * the pack does not. A change is judged by what the resource was too: a production resource
     * re-tagged or moved to another account in the same change is still a production change.
     */
    readonly before?: ResourceFacts;
}

/** Inputs whose change alone does not buy anything again. */
const TAG_INPUTS = new Set(["tags", "tagsAll"]);

function changeOf(step: PlanStep | PlannedChange): PlannedChange {
    return typeof step === "string" ? { step } : step;
}

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
    /**
     * The saved plan (or destroyed state export) this run is checked against or applies. Tokens
     * bound to another one, or bound when the run has none, count for nothing.
     */
    readonly binding?: PlanBinding;
    /** The file the binding was read from, as approvers should name it: `--plan <file>`. */
    readonly bindingFile?: string;
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
    /** Custom resources seen so far during an update, and their estimated monthly cost (in all and per provider package). */
    readonly running: { costUsd: number; readonly seen: Set<string>; readonly byProviderUsd: Record<string, number> };
    readonly binding?: PlanBinding;
    /** The `agentguard approve` flag that binds a token to this run's plan, for denial texts. */
    readonly bindingFlag?: string;
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
    const running = { costUsd: 0, seen: new Set<string>(), byProviderUsd: {} };
    if (initiator.kind !== "agent" || !config) {
        return { run, initiator, errors: errors.map(printable), config, approvals: NO_APPROVALS, running };
    }
    const approvals = bindApprovals(await input.verify({ config, stack: run.stack, agent: initiator.id, now: run.now }), input.binding);
    const ctx = errors.length === 0 ? detectContext(config, run, initiator, input.estimator) : undefined;
    const bindingFlag =
        input.binding && input.bindingFile !== undefined ? `${input.binding.kind === "plan" ? "--plan" : "--destroy-state"} ${shellArg(input.bindingFile)}` : undefined;
    return { run, initiator, errors: errors.map(printable), config, approvals, ctx, running, binding: input.binding, bindingFlag };
}

/**
 * Keeps the approvals that may count in a run with `binding`: a token bound to a plan counts only
 * in a run of that plan, a token bound to a destroy only in the check of that destroy. The others
 * are reported as rejected, with the reason.
 */
export function bindApprovals(set: ApprovalSet, binding: PlanBinding | undefined): ApprovalSet {
    const valid: ValidApproval[] = [];
    const rejected = new Map<ValidApproval, ApprovalError>();
    for (const a of set.valid) {
        if (a.plan !== undefined && !(binding?.kind === "plan" && binding.digest === a.plan)) {
            rejected.set(a, new ApprovalError("ERR_APPROVAL_WRONG_PLAN", `it is bound to ${a.plan.slice(0, 19)}…${binding?.kind === "plan" ? `, this run's plan is ${binding.digest.slice(0, 19)}…` : ", this run applies no saved plan"}`));
        } else if (a.destroy !== undefined && !(binding?.kind === "destroy" && binding.digest === a.destroy)) {
            rejected.set(a, new ApprovalError("ERR_APPROVAL_WRONG_DESTROY"));
        } else {
            valid.push(a);
        }
    }
    if (rejected.size === 0) {
        return set;
    }
    const of = approvalOfReport(set);
    const reports: ApprovalReport[] = set.reports.map((r) => {
        const a = of.get(r);
        const e = a && rejected.get(a);
        return e ? { ...r, valid: false, code: e.code, reason: e.message } : r;
    });
    return { valid, reports };
}

/**
 * Which approvals count for an item: all that count in the run, or — for a resource (or a stack)
 * that departs from the plan the run applies — only those bound to no plan.
 */
export interface PlanMatch {
    /** The resource judged is in the plan with a non-delete step and consistent inputs. */
    readonly resource: boolean;
    /** The run's resources are the plan's non-delete resources (so far, during an update). */
    readonly stack: boolean;
}

const MATCHES: PlanMatch = { resource: true, stack: true };

function counting(open: OpenRun, matches: boolean): readonly ValidApproval[] {
    return matches ? open.approvals.valid : open.approvals.valid.filter((a) => a.plan === undefined);
}

/** Judges items; where the run departs from its plan, says so, since plan-bound tokens then do not count. */
function judgeMatched(open: OpenRun, items: readonly GateItem[], matches: boolean, what: string): JudgedItem[] {
    const departs = !matches && open.binding?.kind === "plan";
    const said = departs ? items.map((i) => ({ ...i, observed: `${i.observed} (${what}: approvals bound to the plan do not count)` })) : items;
    return judge(said, counting(open, matches));
}

/**
 * Judges one resource: its resource-level items, and during an update (not a dry run) the
 * stack-level items of the running totals. Call only for an agent's run that is not denied
 * outright (`open.ctx` set).
 */
export function judgeResource(open: OpenRun, r: ResourceFacts, planned: PlanStep | PlannedChange = "create", match: PlanMatch = MATCHES): JudgedItem[] {
    const ctx = contextOf(open);
    const change = changeOf(planned);
    const step = change.step;
    const judged = judgeMatched(open, stepItems(open, ctx, r, change), match.resource, "not in the plan this run applies, or with other inputs");
    if (!open.run.dryRun && step !== "delete") {
        if (r.kind === "custom" && !open.running.seen.has(r.urn)) {
            const usd = ctx.cost(r).monthlyUsd;
            open.running.costUsd += usd;
            open.running.seen.add(r.urn);
            addProviderSpend(open.running.byProviderUsd, r, usd);
        }
        const running = stackItems(
            { resourceCount: open.running.seen.size, totalMonthlyUsd: open.running.costUsd, partial: true, byProviderUsd: open.running.byProviderUsd },
            ctx,
        );
        judged.push(...judgeMatched(open, running, match.stack, "the run holds resources the plan does not"));
    }
    return judged;
}

/** The resource-level items of `r` under its plan step. */
function stepItems(open: OpenRun, ctx: DetectContext, r: ResourceFacts, change: PlannedChange): GateItem[] {
    const { step, before } = change;
    switch (step) {
        case "same":
            return [];
        case "update": {
            // An update buys again unless it changes only tags (a purchase's inputs are what it buys).
            const onlyTags = change.changed !== undefined && change.changed.every((k) => TAG_INPUTS.has(k));
            const items = resourceItems(r, ctx).filter((i) => !(onlyTags && i.need.gate === "spend" && i.need.kind === "purchase"));
            return [...items, ...environmentBefore(items, before, ctx)];
        }
        case "create":
            return resourceItems(r, ctx);
        case "delete":
        case "replace": {
            if (!open.binding) {
                throw new Error("a delete or replace can only be judged against a saved plan");
            }
            const destructive = strongest([r, ...(before ? [before] : [])].flatMap((f) => destructiveItems(f, step, ctx.agent, ctx.stackEnv, ctx.config, open.binding!)));
            if (step === "delete") {
                return destructive;
            }
            const items = resourceItems(r, ctx);
            return [...items, ...environmentBefore(items, before, ctx), ...destructive];
        }
    }
}

/** The environment items of the resource as it was, that its new form does not raise already. */
function environmentBefore(items: readonly GateItem[], before: ResourceFacts | undefined, ctx: DetectContext): GateItem[] {
    if (!before) {
        return [];
    }
    const needs = new Set(items.map((i) => JSON.stringify(i.need)));
    // Only the environment detector: the old form's price, access or provider are not this change's.
    return (GATES.environment.detectResource?.(before, ctx) ?? []).filter((i) => !needs.has(JSON.stringify(i.need)));
}

/** Of the same items judged on the old and the new form of a resource, the one that needs most. */
function strongest(items: readonly GateItem[]): GateItem[] {
    return items.length <= 1 ? [...items] : [items.reduce((a, b) => (requiredFor(b.need) > requiredFor(a.need) ? b : a))];
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
export function judgeRun(
    open: OpenRun,
    resources: readonly ResourceFacts[],
    known?: (urn: string) => readonly JudgedItem[] | undefined,
    stepOf: (urn: string) => PlanStep | PlannedChange = () => "create",
    match: (urn: string | undefined) => PlanMatch = () => MATCHES,
): RunOutcome {
    if (open.initiator.kind === "human") {
        return { decision: finalize({ initiator: open.initiator, gates: [], approvals: [], errors: [] }), stackItems: [] };
    }
    if (!open.ctx || open.errors.length > 0) {
        return { decision: outrightDecision(open), stackItems: [] };
    }
    const ctx = open.ctx;
    // The stack as it will be: everything the run does not delete.
    const summary = summarizeStack(
        resources.filter((r) => changeOf(stepOf(r.urn)).step !== "delete"),
        ctx,
    );
    const stackJudged = judgeMatched(open, stackItems(summary, ctx), match(undefined).stack, "the run's resources are not the plan's");
    const resourceJudged = resources.flatMap(
        (r) => known?.(r.urn) ?? judgeMatched(open, stepItems(open, ctx, r, changeOf(stepOf(r.urn))), match(r.urn).resource, "not in the plan this run applies, or with other inputs"),
    );
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

/**
 * The run denied outright for one more reason (the pack reconfigured during the run, a saved plan
 * it cannot use): no item is judged, every later item of an agent's run is refused.
 */
export function denyOutright(open: OpenRun, reason: string): OpenRun {
    return { ...open, errors: [...open.errors, printable(reason)], ctx: undefined };
}

/** The decision of a run denied outright (no items judged). */
export function outrightDecision(open: OpenRun, extraErrors: readonly string[] = []): RunDecision {
    return finalize({ initiator: open.initiator, gates: [], approvals: open.approvals.reports, errors: [...open.errors, ...extraErrors.map(printable)] });
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

/**
 * The denial text of one unsatisfied item. A preview (or a plan check) ends with the summary that
 * names the tokens to sign, so its items leave their own command out; an update may stop before
 * the summary, so there each item carries its command.
 */
export function denial(open: OpenRun, item: JudgedItem): string {
    const text = denialMessage(item, {
        stack: open.run.stack,
        agent: open.initiator.id,
        approvals: open.approvals,
        summarized: open.run.dryRun,
        ceilingUsd: open.ctx?.profile.budgetUsd,
        binding: open.bindingFlag,
    });
    return open.config && open.config.approvers.length === 0 ? `${text} (No approvers are configured in the policy pack config yet: add them with "agentguard keygen".)` : text;
}

/** The summary of a denied run (listed first): findings by gate, who may approve, and the fewest tokens to sign. */
export function runSummary(open: OpenRun, decision: RunDecision): string {
    return summaryDenial(decision.gates.filter((g) => !g.satisfied), open.run.stack, open.initiator.id, {
        ceilingUsd: open.ctx?.profile.budgetUsd,
        config: open.config,
        binding: open.bindingFlag,
    });
}

function contextOf(open: OpenRun): DetectContext {
    if (!open.ctx) {
        throw new Error("judgeResource called for a run that is not an agent's or is denied outright");
    }
    return open.ctx;
}
