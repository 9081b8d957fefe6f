/**
 * The pack's side of one engine run: engine arguments become plain facts, the gate config and
 * the presented tokens are read and verified once per run, and the run core (src/gate/run.ts)
 * decides. The two entry points the policy calls: once per resource (Analyze) and once per stack
 * (AnalyzeStack).
 * - Resource-level items are judged as each resource arrives, so `pulumi up` stops a resource
 *   before it is created; during an update the core also judges running stack totals.
 * - Every failure inside ends in a denial: a thrown error never lets an agent's run through.
 * @internal
 */
import { APPROVALS_CONFIG_KEY, APPROVALS_ENV, readPresentedTokens } from "../approvals/tokens";
import { verifyApprovals } from "../approvals/verify";
import { CostEstimator } from "../cost/types";
import { GateConfig, GateConfigError, normalizeGateConfig } from "../gate/config";
import { JudgedItem, RunDecision } from "../gate/decide";
import { ResourceFacts, RunFacts } from "../facts/facts";
import { OpenRun, denial, denyOutright, judgeResource, judgeRun, openRun, outrightDecision, partialDecision, runSummary } from "../gate/run";
import { DECISION_LOG_ENV, appendDecision, logEntry } from "../log/decision-log";
import { EngineResource, resourceFacts, runFactsFromEnv } from "./facts";
import { AppliedPlan, PLAN_ENV, planStepOf, plannedDeletes, readAppliedPlan, runSteps, stackMatches } from "./plan";
import { SECRET_MASK } from "./guard";

/** What the glue hands in from the engine's validation args. */
export interface EngineCall {
    readonly getConfig: () => unknown;
    readonly stackTags?: ReadonlyMap<string, string>;
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

/** One run of the engine against this pack process: engine I/O around the run core in src/gate/run.ts. */
export class GateRun {
    private setupPromise?: Promise<OpenRun>;
    /** The saved plan this run applies (env AGENTGUARD_PLAN), read once at setup. */
    private plan?: AppliedPlan;
    private readonly seen = new Map<string, ResourceFacts>();
    private readonly judged = new Map<string, JudgedItem[]>();
    private logged = false;
    private scrubber: Scrubber = { scrub: (text) => text, isSecretNumber: () => false };
    private reportedOutright = false;
    private deletesJudged = false;
    /** Why the run was tainted (the pack reconfigured or probed during the run; see guard.ts). */
    private tainted?: string;

    constructor(
        private readonly env: NodeJS.ProcessEnv,
        private readonly estimator: CostEstimator,
        private readonly clock: () => number = () => Math.floor(Date.now() / 1000),
    ) {}

    /** Denies every later item of an agent's run: someone other than the engine talked to the pack. */
    taint(reason: string): void {
        this.tainted ??= `agent-change-gate denied the rest of this run: ${reason}`;
    }

    /** The setup, with the taint (if any) as one more reason to deny outright. */
    private async setup(call: EngineCall): Promise<OpenRun> {
        const s = await this.setupOnce(call);
        return this.tainted === undefined ? s : denyOutright(s, this.tainted);
    }

    /**
     * Reads the config and verifies the tokens now rather than at the first resource (the
     * executable entry calls this once the engine has configured it, while the engine starts the
     * program). The first resource then awaits the same result, or the same failure.
     */
    prepare(call: EngineCall): void {
        this.setupOnce(call).catch(() => undefined);
    }

    private setupOnce(call: EngineCall): Promise<OpenRun> {
        this.setupPromise ??= this.doSetup(call);
        return this.setupPromise;
    }

    private async doSetup(call: EngineCall): Promise<OpenRun> {
        let run: RunFacts;
        try {
            run = runFactsFromEnv(this.env, call.stackTags, this.clock());
        } catch (e) {
            throw new GateError(`agent-change-gate cannot read the run's stack and config from the engine: ${e instanceof Error && !(e instanceof SyntaxError) ? e.message : "PULUMI_CONFIG is not valid JSON"}`);
        }
        let config: GateConfig | undefined;
        let configError: string | undefined;
        try {
            config = normalizeGateConfig(call.getConfig());
        } catch (e) {
            configError = safeMessage(e);
        }
        // The plan is trusted context from CI, like the initiator: ignored where the agent owns the environment.
        const planFile = this.env[PLAN_ENV];
        let planError: string | undefined;
        if (planFile !== undefined && planFile !== "" && config?.trustInitiatorEnv !== false) {
            try {
                this.plan = readAppliedPlan(planFile, run.stack);
            } catch (e) {
                planError = `agent-change-gate cannot use the plan in ${PLAN_ENV}: ${e instanceof Error ? e.message : "unreadable"}`;
            }
        }
        const open = await openRun({
            run,
            config,
            configError,
            estimator: this.estimator,
            verify: (ctx) => verifyApprovals(readPresentedTokens(run.stackConfig[APPROVALS_CONFIG_KEY], this.env[APPROVALS_ENV]), ctx),
            binding: this.plan?.binding,
        });
        return planError && open.initiator.kind !== "human" ? denyOutright(open, planError) : open;
    }

    /** Judges one resource (Analyze). Returns the violation messages to report. */
    async onResource(r: EngineResource, call: EngineCall): Promise<string[]> {
        let s: OpenRun | undefined;
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
            const deletes = this.judgeDeletes(s);
            const facts = resourceFacts(r);
            this.seen.set(facts.urn, facts);
            const planned = this.plan ? planStepOf(this.plan, facts) : undefined;
            const judged = judgeResource(s, facts, planned, {
                resource: planned?.consistent ?? true,
                stack: this.plan ? stackMatches(this.plan, this.customSeen(), false) : true,
            });
            this.judged.set(facts.urn, judged);
            const denied = [...deletes, ...judged].filter((j) => !j.satisfied);
            if (denied.length > 0) {
                this.logDenialDuringUpdate(s);
            }
            return denied.map((j) => denial(s!, j));
        } catch (e) {
            return [this.failClosed(e, s)];
        }
    }

    /** Judges the whole stack (AnalyzeStack), writes the decision log, returns violation messages. */
    async onStack(resources: readonly EngineResource[], call: EngineCall): Promise<string[]> {
        let s: OpenRun | undefined;
        try {
            s = await this.setup(call);
            // Prefer what Analyze saw (inputs, before the update) over the stack's outputs.
            const all = s.initiator.kind === "human" ? [] : resources.map((r) => this.seen.get(r.urn) ?? resourceFacts(r));
            const plan = this.plan;
            const stackMatch = plan ? stackMatches(plan, all.filter((r) => r.kind === "custom").map((r) => r.urn), true) : true;
            if (plan && s.ctx && s.errors.length === 0) {
                this.judgeDeletes(s);
                all.push(...plannedDeletes(plan).filter((d) => !this.seen.has(d.urn)));
            }
            const stepOf = plan ? runSteps(plan, all, this.seen) : new Map<string, never>();
            const { decision, stackItems } = judgeRun(
                s,
                all,
                (urn) => this.judged.get(urn),
                (urn) => stepOf.get(urn) ?? "create",
                (urn) => ({ resource: urn === undefined || (stepOf.get(urn)?.consistent ?? !plan), stack: stackMatch }),
            );
            this.log(s, decision, s.initiator.kind === "human" ? resources.map(resourceFacts) : all);
            if (decision.errors.length > 0) {
                return [...decision.errors];
            }
            const messages = stackItems.filter((j) => !j.satisfied).map((j) => denial(s!, j));
            if (decision.decision === "deny") {
                // First: what to sign; the findings' own lines follow.
                messages.unshift(runSummary(s, decision));
            }
            return messages;
        } catch (e) {
            return [this.failClosed(e, s)];
        }
    }

    /** Once per run: the plan's outright deletes, which the engine performs without asking the pack. */
    private judgeDeletes(s: OpenRun): JudgedItem[] {
        if (!this.plan || this.deletesJudged) {
            return [];
        }
        this.deletesJudged = true;
        const out: JudgedItem[] = [];
        for (const d of plannedDeletes(this.plan)) {
            const judged = judgeResource(s, d, "delete");
            this.judged.set(d.urn, judged);
            out.push(...judged);
        }
        return out;
    }

    private *customSeen(): Iterable<string> {
        for (const f of this.seen.values()) {
            if (f.kind === "custom") {
                yield f.urn;
            }
        }
    }

    /** A failure inside the gate: deny agents (and unidentified runs); never throw to the SDK. */
    private failClosed(e: unknown, s: OpenRun | undefined): string {
        const msg = `agent-change-gate denied this run because it could not decide: ${safeMessage(e)}`;
        if (s && !this.logged) {
            this.log(s, outrightDecision(s, [msg]));
        }
        return msg;
    }

    /** During an update a denial ends the run before AnalyzeStack: log it now. */
    private logDenialDuringUpdate(s: OpenRun): void {
        if (s.run.dryRun || this.logged) {
            return;
        }
        this.log(s, partialDecision(s, [...this.judged.values()].flat()));
    }

    private log(s: OpenRun, d: RunDecision, resources: Iterable<ResourceFacts> = this.seen.values()): void {
        const path = this.env[DECISION_LOG_ENV];
        if (!path || this.logged) {
            return;
        }
        this.logged = true;
        // Observations can quote inputs (a domain, an account id): blank what the program marked secret.
        appendDecision(path, scrubDeep(logEntry(d, s.run.stack, s.run.dryRun, new Date(s.run.now * 1000), resources), this.scrubber));
    }

    /** Sets how secret input values are blanked out of the decision log (the guard knows them). */
    useScrubber(scrubber: Scrubber): void {
        this.scrubber = scrubber;
    }
}

/** How secret input values are blanked out: in texts, and numbers that are (a rounding of) one. */
export interface Scrubber {
    scrub(text: string): string;
    isSecretNumber(n: number): boolean;
}

/** Blanks secrets out of every string and number inside a JSON-like value. */
function scrubDeep<T>(v: T, s: Scrubber): T {
    if (typeof v === "string") {
        return s.scrub(v) as T;
    }
    if (typeof v === "number") {
        return (s.isSecretNumber(v) ? SECRET_MASK : v) as T;
    }
    if (Array.isArray(v)) {
        return v.map((x) => scrubDeep(x, s)) as T;
    }
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrubDeep(x, s)])) as T;
    }
    return v;
}
