/**
 * THE gate table. Per gate: how items are detected, how many approvals they need, what in an
 * approval's scope covers them, and how an approver grants it on the command line. Reading this
 * file and `judge` in decide.ts answers "why was this run denied?".
 */
import { ApprovalScope } from "../approvals/scope";
import { ResourceCost } from "../cost/types";
import { detectAccess } from "./access";
import { AgentProfile, GateConfig } from "./config";
import { EnvironmentFinding, detectEnvironment, detectEnvironmentStack } from "./environment";
import { ResourceFacts, StackRef } from "./facts";
import { GateId, GateItem, Need } from "./items";
import { shellArg } from "./shell";
import { detectOperations } from "./operations";
import { detectProvider } from "./provider";
import { detectSpendProviders, detectSpendResource, detectSpendStack } from "./spend";

/** What detectors may consult. */
export interface DetectContext {
    readonly config: GateConfig;
    readonly agent: string;
    readonly stack: StackRef;
    readonly stackEnv: EnvironmentFinding;
    /** The agent's budget and provider allowlist. */
    readonly profile: AgentProfile;
    readonly cost: (r: ResourceFacts) => ResourceCost;
}

/** The stack-level figures stack detectors look at. */
export interface StackSummary {
    /** Custom resources other than providers. */
    readonly resourceCount: number;
    readonly totalMonthlyUsd: number;
    /** True when only part of the stack has been seen yet (resource-by-resource during an update). */
    readonly partial: boolean;
    /** Estimated monthly USD by provider package (of the resource type), for per-provider caps. */
    readonly byProviderUsd?: Readonly<Record<string, number>>;
}

/** One row of the table. */
export interface GateSpec {
    readonly id: GateId;
    /** One line for docs and the policy description. */
    readonly summary: string;
    /** How many approvals, in words, for docs. */
    readonly approvals: string;
    /** What covers an item, in words, for docs. */
    readonly coveredBy: string;
    readonly detectResource?: (r: ResourceFacts, ctx: DetectContext) => GateItem[];
    readonly detectStack?: (s: StackSummary, ctx: DetectContext) => GateItem[];
    /** True when `scope` grants `need` (the `resources` restriction is applied by the caller). */
    readonly covers: (scope: ApprovalScope, need: Need) => boolean;
    /** The `agentguard approve` flags that grant `need`. */
    readonly flags: (need: Need) => string[];
    /** The same flags in words, for docs. */
    readonly flagsDoc: string;
}

const includes = (list: readonly string[] | undefined, v: string) => list !== undefined && list.includes(v);

/** Every gate: the five of docs/contract.md §4 and the plan gate's `destructive`. */
export const GATES: Readonly<Record<GateId, GateSpec>> = {
    environment: {
        id: "environment",
        summary: "A change to a production (2 approvals) or staging (1 approval) resource; and any agent run on a production or staging stack, even one that declares no resources (it may only delete).",
        approvals: "2 for production, 1 for staging",
        coveredBy: "scope.environments contains the environment (the stack-level item only by a token without scope.resources)",
        detectResource: (r, ctx) => detectEnvironment(r, ctx.agent, ctx.stackEnv, ctx.config),
        detectStack: (_s, ctx) => detectEnvironmentStack(ctx.stack, ctx.agent, ctx.stackEnv),
        covers: (scope, need) => need.gate === "environment" && includes(scope.environments, need.environment),
        flagsDoc: "`--environment production` or `--environment staging`",
        flags: (need) => (need.gate === "environment" ? [`--environment ${need.environment}`] : []),
    },
    provider: {
        id: "provider",
        summary: "A resource or provider of a package that is not on the agent's provider allowlist; a provider with its own download URL or parameterization is `<package>@<url>` / `<package>[<parameterization>]`.",
        approvals: "1",
        coveredBy: "scope.providers contains the package",
        detectResource: (r, ctx) => detectProvider(r, ctx.agent, ctx.profile),
        covers: (scope, need) => need.gate === "provider" && includes(scope.providers, need.provider),
        flagsDoc: "`--provider <package>`",
        flags: (need) => (need.gate === "provider" ? [`--provider ${shellArg(need.provider)}`] : []),
    },
    access: {
        id: "access",
        summary: "A resource that changes access control: IAM, identity, permissions, tokens, members, resource policies; and an agent identity of the stack module (AgentServiceAccount) that grants sensitive scopes, named in the item.",
        approvals: "2",
        coveredBy: "scope.access is true",
        detectResource: (r, ctx) => detectAccess(r, ctx.agent),
        covers: (scope, need) => need.gate === "access" && scope.access === true,
        flagsDoc: "`--access`",
        flags: () => ["--access"],
    },
    spend: {
        id: "spend",
        summary: "Estimated monthly spend over the agent's budget or over its cap for one provider package, a declared budget above it, a purchase, or a price unknown at preview.",
        approvals: "2",
        coveredBy: "scope.maxMonthlyUsd ≥ the amount; purchases need scope.purchases; an unknown price needs the URN in scope.resources and scope.maxMonthlyUsd",
        detectResource: (r, ctx) => (r.kind === "custom" ? detectSpendResource(ctx.cost(r), ctx.agent, ctx.profile.budgetUsd) : []),
        detectStack: (s, ctx) => [
            ...detectSpendStack(s.totalMonthlyUsd, ctx.agent, ctx.profile.budgetUsd, s.partial),
            ...detectSpendProviders(s.byProviderUsd ?? {}, ctx.agent, ctx.profile, s.partial),
        ],
        covers: (scope, need) => {
            if (need.gate !== "spend") {
                return false;
            }
            switch (need.kind) {
                case "total":
                case "budget":
                    return scope.maxMonthlyUsd !== undefined && scope.maxMonthlyUsd >= need.amountUsd;
                case "purchase":
                    return scope.purchases === true;
                case "unknown-price":
                    // Only a token that names the resource explicitly (checked by the caller) and sets a ceiling.
                    return scope.resources !== undefined && scope.maxMonthlyUsd !== undefined;
            }
        },
        flagsDoc: "`--max-monthly-usd N`, `--purchases`; for an unknown price also `--resource <urn>`",
        flags: (need) => {
            if (need.gate !== "spend") {
                return [];
            }
            switch (need.kind) {
                case "total":
                case "budget":
                    return [`--max-monthly-usd ${Math.ceil(need.amountUsd)}`];
                case "purchase":
                    return ["--purchases"];
                case "unknown-price":
                    return ["--max-monthly-usd CEILING"];
            }
        },
    },
    operations: {
        id: "operations",
        summary: "A stack that would hold more custom resources than maxResources.",
        approvals: "1",
        coveredBy: "scope.maxResources ≥ the count",
        detectStack: (s, ctx) => detectOperations(s.resourceCount, ctx.agent, ctx.config),
        covers: (scope, need) => need.gate === "operations" && scope.maxResources !== undefined && scope.maxResources >= need.count,
        flagsDoc: "`--max-resources N`",
        flags: (need) => (need.gate === "operations" ? [`--max-resources ${need.count}`] : []),
    },
    destructive: {
        id: "destructive",
        summary:
            "A delete or replace seen in a saved plan (or a stack destroy): in production (2 approvals) or staging (1), or of a data-bearing type anywhere (2). Raised by `agentguard plan check`.",
        approvals: "2 for production or data-bearing types, 1 for staging",
        coveredBy: "scope.destructive is true and the token's plan (or destroy) claim is this plan's (or state export's) digest",
        // Raised by the run core from a plan step (destructive.ts); the pack never sees deletes.
        covers: (scope, need) => need.gate === "destructive" && scope.destructive === true,
        flagsDoc: "`--destructive` with `--plan <file>` (or `--destroy-state <file>`)",
        flags: () => ["--destructive"],
    },
};
