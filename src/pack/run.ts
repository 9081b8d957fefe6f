/**
 * The state of one engine run inside the pack process, and the two entry points the policy
 * calls: once per resource (Analyze) and once per stack (AnalyzeStack).
 *
 * - Config, initiator and approval tokens are read and verified once per run.
 * - Resource-level items are judged as each resource arrives, so `pulumi up` stops a resource
 *   before it is created.
 * - Stack-level items (estimated total, resource count) are judged at the end of a preview. During
 *   an update the end comes after resources exist, so there they are also judged as a running
 *   total while resources arrive: the resource that pushes the stack over is refused.
 * - Every failure inside ends in a denial: a thrown error never lets an agent's run through.
 * @internal
 */
import { readPresentedTokens, APPROVALS_CONFIG_KEY } from "../approvals/tokens";
import { ApprovalSet, verifyApprovals } from "../approvals/verify";
import { CostEstimator } from "../cost/types";
import { GateConfig, GateConfigError, normalizeGateConfig, DEFAULT_GATE_CONFIG } from "../gate/config";
import { JudgedItem, RunDecision, detectContext, finalize, judge, resourceItems, stackItems, summarize } from "../gate/decide";
import { ResourceFacts, RunFacts, stackSubject } from "../gate/facts";
import { Initiator, INITIATOR_ENV, AGENT_CONFIG_KEY, resolveInitiator } from "../gate/initiator";
import { denialMessage, summaryDenial } from "../gate/message";
import { DetectContext } from "../gate/table";
import { DECISION_LOG_ENV, appendDecision, logEntry } from "../log/decision-log";
import { EngineResource, resourceFacts, runFactsFromEnv } from "./facts";

/** What the glue hands in from the engine's validation args. */
export interface EngineCall {
    readonly getConfig: () => unknown;
    readonly stackTags?: ReadonlyMap<string, string>;
}

interface Setup {
    readonly run: RunFacts;
    readonly initiator: Initiator;
    /** Why the run is denied outright, if it is. */
    readonly errors: readonly string[];
    readonly config?: GateConfig;
    readonly approvals: ApprovalSet;
    readonly ctx?: DetectContext;
}

/** An error whose message is safe to show (no config values, no token material). */
class GateError extends Error {}

/** Turns any thrown value into a message that cannot leak secrets: our own messages only. */
function safeMessage(e: unknown): string {
    if (e instanceof GateError || e instanceof GateConfigError) {
        return e.message;
    }
    return `an internal error (${e instanceof Error ? e.name : typeof e}) occurred`;
}

const NO_APPROVALS: ApprovalSet = { valid: [], reports: [] };

/** One run of the engine against this pack process. */
export class GateRun {
    private setupPromise?: Promise<Setup>;
    private readonly seen = new Map<string, ResourceFacts>();
    private readonly judged = new Map<string, JudgedItem[]>();
    private runningCostUsd = 0;
    private runningCount = 0;
    private logged = false;
    private reportedOutright = false;

    constructor(
        private readonly env: NodeJS.ProcessEnv,
        private readonly estimator: CostEstimator,
        private readonly clock: () => number = () => Math.floor(Date.now() / 1000),
    ) {}

    private setup(call: EngineCall): Promise<Setup> {
        this.setupPromise ??= this.doSetup(call);
        return this.setupPromise;
    }

    private async doSetup(call: EngineCall): Promise<Setup> {
        let run: RunFacts;
        try {
            run = runFactsFromEnv(this.env, call.stackTags, this.clock());
        } catch (e) {
            throw new GateError(`agent-change-gate cannot read the run's stack and config from the engine: ${e instanceof Error && !(e instanceof SyntaxError) ? e.message : "PULUMI_CONFIG is not valid JSON"}`);
        }
        let config: GateConfig | undefined;
        const errors: string[] = [];
        try {
            config = normalizeGateConfig(call.getConfig());
        } catch (e) {
            errors.push(`the policy pack config of "agent-change-gate" is invalid: ${safeMessage(e)}; fix it in the file given to --policy-pack-config`);
        }
        // With a broken config the initiator is still resolved (a human's run passes), strictly.
        const initiator = resolveInitiator(run, config ?? DEFAULT_GATE_CONFIG);
        if (initiator.kind === "unidentified") {
            errors.push(
                `agent-change-gate cannot tell who is running "${stackSubject(run.stack)}": ${initiator.reason}. ` +
                    `CI must set ${INITIATOR_ENV}=agent:<id> or human:<id> from trusted context, or the stack must set "${AGENT_CONFIG_KEY}"`,
            );
        }
        if (initiator.kind !== "agent" || !config) {
            return { run, initiator, errors, config, approvals: NO_APPROVALS };
        }
        const approvals = await verifyApprovals(readPresentedTokens(run.stackConfig[APPROVALS_CONFIG_KEY]), {
            config,
            stack: run.stack,
            agent: initiator.id,
            now: run.now,
        });
        return { run, initiator, errors, config, approvals, ctx: detectContext(config, run, initiator, this.estimator) };
    }

    /** Judges one resource (Analyze). Returns the violation messages to report. */
    async onResource(r: EngineResource, call: EngineCall): Promise<string[]> {
        let s: Setup | undefined;
        try {
            s = await this.setup(call);
            if (s.initiator.kind === "human") {
                return [];
            }
            if (!s.ctx || s.errors.length > 0) {
                // Denied outright. In a preview say it once here (and again at the stack); in an update refuse every resource.
                if (s.run.dryRun && this.reportedOutright) {
                    return [];
                }
                this.reportedOutright = true;
                this.logDenialDuringUpdate(s);
                return [...s.errors];
            }
            const facts = resourceFacts(r);
            const items = resourceItems(facts, s.ctx);
            if (!s.run.dryRun) {
                if (!this.seen.has(facts.urn) && facts.kind === "custom") {
                    this.runningCostUsd += s.ctx.cost(facts).monthlyUsd;
                    this.runningCount += 1;
                }
                items.push(...stackItems({ resourceCount: this.runningCount, totalMonthlyUsd: this.runningCostUsd, partial: true }, s.ctx));
            }
            this.seen.set(facts.urn, facts);
            const judged = judge(items, s.approvals.valid);
            this.judged.set(facts.urn, judged);
            const denied = judged.filter((j) => !j.satisfied);
            if (denied.length > 0) {
                this.logDenialDuringUpdate(s);
            }
            return denied.map((j) => this.message(j, s!));
        } catch (e) {
            return [this.failClosed(e, s)];
        }
    }

    /** Judges the whole stack (AnalyzeStack), writes the decision log, returns violation messages. */
    async onStack(resources: readonly EngineResource[], call: EngineCall): Promise<string[]> {
        let s: Setup | undefined;
        try {
            s = await this.setup(call);
            if (s.initiator.kind === "human") {
                this.log(s, finalize({ initiator: s.initiator, gates: [], approvals: [], errors: [] }));
                return [];
            }
            if (!s.ctx || s.errors.length > 0) {
                this.log(s, finalize({ initiator: s.initiator, gates: [], approvals: s.approvals.reports, errors: s.errors }));
                return [...s.errors];
            }
            // Prefer what Analyze saw (inputs, before the update) over the stack's outputs.
            const all = resources.map((r) => this.seen.get(r.urn) ?? resourceFacts(r));
            const summary = summarize(all, s.ctx);
            const stackJudged = judge(stackItems(summary, s.ctx), s.approvals.valid);
            const resourceJudged = all.flatMap((r) => this.judged.get(r.urn) ?? judge(resourceItems(r, s!.ctx!), s!.approvals.valid));
            // Running-total items of an update are superseded by the final stack items.
            const gates = [...resourceJudged.filter((j) => j.level === "resource"), ...stackJudged];
            const decision = finalize({
                initiator: s.initiator,
                gates,
                approvals: s.approvals.reports,
                estimatedMonthlyUsd: Math.round(summary.totalMonthlyUsd * 100) / 100,
                errors: [],
            });
            this.log(s, decision);
            const messages = stackJudged.filter((j) => !j.satisfied).map((j) => this.message(j, s!));
            if (decision.decision === "deny") {
                // First: what to sign; the findings' own lines follow.
                messages.unshift(summaryDenial(gates.filter((g) => !g.satisfied), s.run.stack, s.initiator.id, { ceilingUsd: s.ctx.profile.budgetUsd }));
            }
            return messages;
        } catch (e) {
            return [this.failClosed(e, s)];
        }
    }

    private message(item: JudgedItem, s: Setup): string {
        const text = denialMessage(item, {
            stack: s.run.stack,
            agent: s.initiator.id,
            reports: s.approvals.reports,
            valid: s.approvals.valid,
            // A preview ends with the summary that names the tokens; an update may stop before it.
            summarized: s.run.dryRun,
            ceilingUsd: s.ctx?.profile.budgetUsd,
        });
        return s.config && s.config.approvers.length === 0 ? `${text} (No approvers are configured in the policy pack config yet: add them with "agentguard keygen".)` : text;
    }

    /** A failure inside the gate: deny agents (and unidentified runs); never throw to the SDK. */
    private failClosed(e: unknown, s: Setup | undefined): string {
        const msg = `agent-change-gate denied this run because it could not decide: ${safeMessage(e)}`;
        if (s && !this.logged) {
            this.log(s, finalize({ initiator: s.initiator, gates: [], approvals: s.approvals.reports, errors: [msg] }));
        }
        return msg;
    }

    /** During an update a denial ends the run before AnalyzeStack: log it now. */
    private logDenialDuringUpdate(s: Setup): void {
        if (s.run.dryRun || this.logged) {
            return;
        }
        const gates = [...this.judged.values()].flat();
        const decision: RunDecision = finalize({
            initiator: s.initiator,
            gates,
            approvals: s.approvals.reports,
            estimatedMonthlyUsd: Math.round(this.runningCostUsd * 100) / 100,
            errors: s.errors,
        });
        this.log(s, decision);
    }

    private log(s: Setup, d: RunDecision): void {
        const path = this.env[DECISION_LOG_ENV];
        if (!path || this.logged) {
            return;
        }
        this.logged = true;
        appendDecision(path, logEntry(d, s.run.stack, s.run.dryRun, new Date(s.run.now * 1000)));
    }
}
