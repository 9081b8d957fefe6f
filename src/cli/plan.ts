/**
 * `agentguard plan check`: the gate on a saved update plan (or a whole-stack destroy), in a CI
 * job that runs no agent code (docs/plans.md). Reads the files, then drives the same run core as
 * the pack: every gate on what the plan changes, plus `destructive` on its deletes and replaces.
 * Exit 0 approved; 1 denied, including a plan it does not fully understand; 2 usage error or an
 * unreadable file.
 */
import { readFileSync } from "node:fs";
import { fileDigest } from "../approvals/issue";
import { readPresentedTokens } from "../approvals/tokens";
import { verifyApprovals } from "../approvals/verify";
import { createEstimator } from "../cost";
import { CostEstimator } from "../cost/types";
import { dollars, printable } from "../facts/format";
import { GateConfig, GateConfigError, normalizeGateConfig } from "../gate/config";
import { JudgedItem, RunDecision } from "../gate/decide";
import { PlanBinding } from "../gate/destructive";
import { ENVIRONMENT_CONFIG_KEY } from "../gate/environment";
import { RunFacts, StackRef, stackSubject } from "../facts/facts";
import { INITIATOR_ENV } from "../gate/initiator";
import { OpenRun, PlanStep, denial, judgeRun, openRun, runSummary } from "../gate/run";
import { GATE_POLICY_NAME } from "../pack/policy";
import { PlanError, PlannedStack, parseJson, plannedStack } from "../plan/read";
import { parseStack } from "./approvals";
import { decisionRecord } from "../log/decision-log";
import { Io, UsageError } from "./io";
import { CommandSpec, flag, helpText, parseCommand, str } from "./options";

/** `agentguard plan check` */
export const PLAN_CHECK: CommandSpec = {
    name: "plan check",
    summary: "Judges a saved update plan (pulumi preview --save-plan), or a destroy, against the gate, deletes and replaces included; exit 0 approved, 1 denied, 2 usage (docs/plans.md).",
    options: {
        plan: { type: "string", value: "plan.json", help: "the plan `pulumi preview --save-plan` wrote (or --destroy)" },
        destroy: { type: "flag", help: "check a destroy: every resource of --state is deleted" },
        state: { type: "string", value: "state.json", help: "`pulumi stack export` taken in this job, never from the plan job (required)" },
        "stack-tags": { type: "string", value: "tags.json", help: "the stack's tags as a JSON object" },
        "policy-config": { type: "string", value: "file", help: "the policy pack config the gate enforces (required)" },
        stack: { type: "string", value: "org/project/stack", help: "the stack the plan is for (required)" },
        agent: { type: "string", value: "id", help: "the agent whose run it is (required)" },
        approvals: { type: "string", value: "tokens", help: 'the approval tokens, space-separated: "<token1> <token2>"' },
        json: { type: "flag", help: "print the result as JSON" },
    },
};

function readBytes(path: string, flag: string): Buffer {
    try {
        return readFileSync(path);
    } catch {
        throw new UsageError(`${flag} "${path}" is not a readable file`);
    }
}

/**
 * Reads the gate's section of a policy pack config in the forms `pulumi --policy-pack-config`
 * accepts: `{"agent-change-gate": {...}}` (an `enforcementLevel` in it is ignored: plan check
 * always enforces) or `{"agent-change-gate": "<level>"}`. `exceptions` are refused.
 */
export function readCheckConfig(path: string): GateConfig {
    const parsed = (() => {
        try {
            return JSON.parse(readBytes(path, "--policy-config").toString("utf8")) as unknown;
        } catch (e) {
            if (e instanceof UsageError) {
                throw e;
            }
            throw new UsageError(`--policy-config "${path}" is not valid JSON`);
        }
    })();
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new UsageError(`--policy-config "${path}" is not a JSON object`);
    }
    const section = (parsed as Record<string, unknown>)[GATE_POLICY_NAME];
    if (section === undefined || typeof section === "string") {
        throw new UsageError(`--policy-config "${path}" has no "${GATE_POLICY_NAME}" config (approvers and the rest); plan check needs the gate's config`);
    }
    if (section === null || typeof section !== "object" || Array.isArray(section)) {
        throw new UsageError(`"${GATE_POLICY_NAME}" in --policy-config "${path}" is not an object`);
    }
    const { enforcementLevel: _level, ...rest } = section as Record<string, unknown>;
    if ("exceptions" in rest) {
        throw new UsageError(`"${GATE_POLICY_NAME}" in --policy-config "${path}" has "exceptions"; plan check refuses them: a resource is approved by tokens, not excepted`);
    }
    try {
        return normalizeGateConfig(rest);
    } catch (e) {
        throw new UsageError(`the "${GATE_POLICY_NAME}" config in "${path}" is invalid: ${e instanceof GateConfigError ? e.message : "unreadable"}`);
    }
}

/** Reads `pulumi stack tag ls --json`: `{ "<name>": "<value>" }`. */
function readTags(path: string): Record<string, string> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(readBytes(path, "--stack-tags").toString("utf8"));
    } catch (e) {
        if (e instanceof UsageError) {
            throw e;
        }
        throw new UsageError(`--stack-tags "${path}" is not valid JSON (expected the output of pulumi stack tag ls --json)`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === "string")) {
        throw new UsageError(`--stack-tags "${path}" is not an object of tag names to strings (the output of pulumi stack tag ls --json)`);
    }
    return parsed as Record<string, string>;
}

/** Everything plan check needs, read from the command line and files. */
export interface CheckInput {
    readonly config: GateConfig;
    readonly stack: StackRef;
    readonly agent: string;
    readonly planBytes?: Buffer;
    readonly stateBytes: Buffer;
    readonly tags: Record<string, string>;
    readonly tokens: string;
    /** How approvers should name the bound file in `agentguard approve` (`--plan <this>`). */
    readonly boundFile: string;
    readonly now: number;
    readonly estimator?: CostEstimator;
}

/** The outcome of a check. */
export interface CheckResult {
    readonly decision: RunDecision;
    readonly messages: readonly string[];
    readonly binding: PlanBinding;
    readonly currentMonthlyUsd?: number;
    readonly steps: Readonly<Partial<Record<PlanStep, number>>>;
    /** Earliest expiry of the tokens that covered an item, when the check passes. */
    readonly expiresAt?: number;
    /** Why the plan or state could not be understood (then the decision is deny). */
    readonly notUnderstood?: string;
}

/** Checks a plan (or a destroy) with the run core. Never throws for a bad plan: it denies. */
export async function checkPlan(input: CheckInput): Promise<CheckResult> {
    const destroy = input.planBytes === undefined;
    const binding: PlanBinding = destroy ? { kind: "destroy", digest: fileDigest(input.stateBytes) } : { kind: "plan", digest: fileDigest(input.planBytes!) };
    let planned: PlannedStack | undefined;
    let notUnderstood: string | undefined;
    try {
        const planDoc = destroy ? undefined : parseJson(input.planBytes!, "the plan file");
        planned = plannedStack(planDoc, parseJson(input.stateBytes, "the state file"), input.stack);
    } catch (e) {
        if (!(e instanceof PlanError)) {
            throw e;
        }
        notUnderstood = printable(e.message);
    }
    const stackConfig: Record<string, string> = { ...(planned?.stackConfig ?? {}) };
    if (planned?.secretConfig.includes(ENVIRONMENT_CONFIG_KEY)) {
        // A secret environment label cannot be read here: it could say production.
        stackConfig[ENVIRONMENT_CONFIG_KEY] = "production";
    }
    const run: RunFacts = {
        stack: input.stack,
        stackConfig,
        stackTags: input.tags,
        initiatorEnv: `agent:${input.agent}`,
        dryRun: true,
        now: input.now,
    };
    const estimator = input.estimator ?? createEstimator();
    const open: OpenRun = await openRun({
        run,
        config: input.config,
        estimator,
        verify: (ctx) => verifyApprovals(readPresentedTokens(input.tokens), ctx),
        binding,
        bindingFile: input.boundFile,
    });
    if (!planned) {
        const reason = `agent-change-gate denied this ${destroy ? "destroy" : "plan"} because plan check does not understand it: ${notUnderstood}`;
        const decision: RunDecision = { initiator: open.initiator, gates: [], approvals: open.approvals.reports, errors: [reason], decision: "deny" };
        return { decision, messages: [reason], binding, steps: {}, notUnderstood };
    }
    const changes = new Map(planned.resources.map((r) => [r.facts.urn, r]));
    const { decision } = judgeRun(
        open,
        planned.resources.map((r) => r.facts),
        undefined,
        (urn) => changes.get(urn) ?? "create",
    );
    const counts: Partial<Record<PlanStep, number>> = {};
    for (const r of planned.resources) {
        if (r.facts.kind === "custom") {
            counts[r.step] = (counts[r.step] ?? 0) + 1;
        }
    }
    const current = Math.round(planned.current.filter((r) => r.kind === "custom").reduce((s, r) => s + estimator.estimate(r).monthlyUsd, 0) * 100) / 100;
    const messages = decision.errors.length > 0 ? [...decision.errors] : decision.gates.filter((g) => !g.satisfied).map((g) => denial(open, g));
    if (decision.decision === "deny" && decision.errors.length === 0) {
        messages.push(runSummary(open, decision));
    }
    return { decision, messages, binding, currentMonthlyUsd: current, steps: counts, expiresAt: decision.decision === "allow" ? earliestExpiry(open, decision.gates) : undefined };
}

/** The earliest `exp` among tokens that covered an item: when the approval of this plan lapses. */
function earliestExpiry(open: OpenRun, gates: readonly JudgedItem[]): number | undefined {
    const used = new Set(gates.flatMap((g) => g.approvedBy));
    const exps = open.approvals.valid.filter((a) => used.has(a.iss)).map((a) => a.exp);
    return exps.length > 0 ? Math.min(...exps) : undefined;
}

/** `agentguard plan check …` */
export async function planCommand(argv: string[], io: Io): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === "-h" || sub === "--help") {
        io.stdout(helpText(PLAN_CHECK));
        return 0;
    }
    if (sub !== "check") {
        throw new UsageError(`unknown plan command "${sub ?? ""}"; the one command is: agentguard plan check (see agentguard plan check --help)`);
    }
    const p = parseCommand(PLAN_CHECK, rest, io);
    if (!p) {
        return 0;
    }
    const values = {
        plan: str(p, "plan"),
        state: str(p, "state"),
        "stack-tags": str(p, "stack-tags"),
        "policy-config": str(p, "policy-config"),
        stack: str(p, "stack"),
        agent: str(p, "agent"),
        approvals: str(p, "approvals"),
        json: flag(p, "json"),
        destroy: flag(p, "destroy"),
    };
    if (values.destroy && values.plan !== undefined) {
        throw new UsageError("--destroy checks a destroy of the state: give --state, not --plan");
    }
    if (!values.destroy && values.plan === undefined) {
        throw new UsageError("--plan <plan.json> is required (or --destroy)");
    }
    if (values.state === undefined) {
        throw new UsageError("--state <state.json> is required: export it in this job with pulumi stack export, never take it from the plan job");
    }
    if (values["policy-config"] === undefined) {
        throw new UsageError("--policy-config <file> is required");
    }
    if (!values.agent) {
        throw new UsageError("--agent <id> is required");
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/.test(values.agent)) {
        throw new UsageError("--agent is not a valid agent id");
    }
    const stack = parseStack(values.stack);
    const config = readCheckConfig(values["policy-config"]);
    const input: CheckInput = {
        config,
        stack,
        agent: values.agent,
        planBytes: values.plan !== undefined ? readBytes(values.plan, "--plan") : undefined,
        stateBytes: readBytes(values.state, "--state"),
        tags: values["stack-tags"] !== undefined ? readTags(values["stack-tags"]) : {},
        tokens: values.approvals ?? "",
        boundFile: values.destroy ? values.state : values.plan!,
        now: Math.floor(Date.now() / 1000),
    };
    if (process.env[INITIATOR_ENV] !== undefined && process.env[INITIATOR_ENV] !== `agent:${values.agent}`) {
        io.stderr(`agentguard plan check: note: ${INITIATOR_ENV} is ignored here; the run is judged as agent "${values.agent}" (--agent)\n`);
    }
    const result = await checkPlan(input);
    if (values.json) {
        io.stdout(JSON.stringify(jsonResult(result, stack), null, 2) + "\n");
    } else {
        io.stdout(textResult(result, stack));
    }
    return result.decision.decision === "allow" ? 0 : 1;
}

function jsonResult(r: CheckResult, stack: StackRef) {
    const d = r.decision;
    return {
        stack: stackSubject(stack),
        [r.binding.kind]: r.binding.digest,
        decision: d.decision,
        steps: r.steps,
        estimatedMonthlyUsd: d.estimatedMonthlyUsd ?? null,
        currentMonthlyUsd: r.currentMonthlyUsd ?? null,
        ...decisionRecord(d),
        ...(r.expiresAt !== undefined ? { expiresAt: new Date(r.expiresAt * 1000).toISOString() } : {}),
        ...(r.notUnderstood !== undefined ? { notUnderstood: r.notUnderstood } : {}),
        messages: r.messages,
    };
}

function textResult(r: CheckResult, stack: StackRef): string {
    const d = r.decision;
    const what = r.binding.kind === "plan" ? `plan ${r.binding.digest}` : `destroy of state ${r.binding.digest}`;
    const steps = Object.entries(r.steps)
        .map(([s, n]) => `${s} ${n}`)
        .join(", ");
    let text = `${stackSubject(stack)}: ${what}${steps ? ` (${steps})` : ""}\n`;
    if (d.estimatedMonthlyUsd !== undefined && r.currentMonthlyUsd !== undefined) {
        const change = d.estimatedMonthlyUsd - r.currentMonthlyUsd;
        text += `estimated spend: ~${dollars(d.estimatedMonthlyUsd)}/month after the change (now ~${dollars(r.currentMonthlyUsd)}, ${change >= 0 ? "+" : "−"}${dollars(Math.abs(change))})\n`;
    }
    if (d.decision === "allow") {
        const covered = d.gates.filter((g) => g.required > 0).length;
        text += `approved: ${covered === 0 ? "nothing in it needs approval" : `${covered} finding${covered === 1 ? "" : "s"} covered`}`;
        text += r.expiresAt !== undefined ? `; the approvals expire at ${new Date(r.expiresAt * 1000).toISOString()} (apply before then)\n` : "\n";
        return text;
    }
    return text + `denied:\n${r.messages.map((m) => `  - ${m}`).join("\n")}\n`;
}
