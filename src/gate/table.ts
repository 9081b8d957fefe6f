/**
 * THE gate table. Per gate: how items are detected ({@link GATES}). Per kind of need
 * ({@link NEEDS}): how many approvals it needs, what in an approval covers it, how an approver
 * grants it on the command line, and the words for denials and docs. Reading this file and
 * `judge` in decide.ts answers "why was this run denied?"; no count or coverage rule is written
 * anywhere else.
 */
import { ValidApproval } from "../approvals/verify";
import { ResourceCost } from "../cost/types";
import { detectAccess } from "./access";
import { AgentProfile, GateConfig } from "./config";
import { EnvironmentFinding, detectEnvironment, detectEnvironmentStack } from "./environment";
import { ResourceFacts, StackRef } from "../facts/facts";
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

/** One gate: what it is about and how its items are detected. */
export interface GateSpec {
    readonly id: GateId;
    /** One line for docs and the policy description. */
    readonly summary: string;
    readonly detectResource?: (r: ResourceFacts, ctx: DetectContext) => GateItem[];
    readonly detectStack?: (s: StackSummary, ctx: DetectContext) => GateItem[];
}

/** Every gate: the five of docs/contract.md §4 and the plan gate's `destructive`. */
export const GATES: Readonly<Record<GateId, GateSpec>> = {
    environment: {
        id: "environment",
        summary: "A change to a production or staging resource; and any agent run on a production or staging stack, even one that declares no resources (it may only delete).",
        detectResource: (r, ctx) => detectEnvironment(r, ctx.agent, ctx.stackEnv, ctx.config),
        detectStack: (_s, ctx) => detectEnvironmentStack(ctx.stack, ctx.agent, ctx.stackEnv),
    },
    provider: {
        id: "provider",
        summary: "A resource or provider of a package that is not on the agent's provider allowlist; a provider with its own download URL or parameterization is `<package>@<url>` / `<package>[<parameterization>]`.",
        detectResource: (r, ctx) => detectProvider(r, ctx.agent, ctx.profile),
    },
    access: {
        id: "access",
        summary: "A resource that changes access control: IAM, identity, permissions, tokens, members, resource policies; and an agent identity of the stack module (AgentServiceAccount) that grants sensitive scopes, named in the item.",
        detectResource: (r, ctx) => detectAccess(r, ctx.agent),
    },
    spend: {
        id: "spend",
        summary: "Estimated monthly spend over the agent's budget or over its cap for one provider package, a declared budget above it, a purchase, or a price unknown at preview.",
        detectResource: (r, ctx) => (r.kind === "custom" ? detectSpendResource(ctx.cost(r), ctx.agent, ctx.profile.budgetUsd) : []),
        detectStack: (s, ctx) => [
            ...detectSpendStack(s.totalMonthlyUsd, ctx.agent, ctx.profile.budgetUsd, s.partial),
            ...detectSpendProviders(s.byProviderUsd ?? {}, ctx.agent, ctx.profile, s.partial),
        ],
    },
    operations: {
        id: "operations",
        summary: "A stack that would hold more custom resources than maxResources.",
        detectStack: (s, ctx) => detectOperations(s.resourceCount, ctx.agent, ctx.config),
    },
    destructive: {
        id: "destructive",
        summary: "A delete or replace seen in a saved plan (or a stack destroy): in production or staging, or of a data-bearing type anywhere. Raised by `agentguard plan check`.",
        // Raised by the run core from a plan step (destructive.ts); the pack never sees deletes.
    },
};

/** The kinds of need, one row each in {@link NEEDS}; spend needs are three kinds. */
export type NeedKind = "environment" | "provider" | "access" | "spend" | "purchase" | "unknown-price" | "operations" | "destructive";

/** The kind of a need: its gate, or for spend its amount, purchase or unknown price. */
export function needKind(need: Need): NeedKind {
    if (need.gate !== "spend") {
        return need.gate;
    }
    return need.kind === "total" || need.kind === "budget" ? "spend" : need.kind;
}

/** The need of one kind. */
export type NeedOf<K extends NeedKind> = K extends "spend"
    ? Extract<Need, { kind: "total" | "budget" }>
    : K extends "purchase" | "unknown-price"
      ? Extract<Need, { kind: K }>
      : Extract<Need, { gate: K }>;

/** What of a valid approval coverage reads. */
export type Grant = Pick<ValidApproval, "scope" | "plan" | "destroy">;

/** One row: everything about one kind of need. */
export interface NeedRow<K extends NeedKind> {
    readonly gate: GateId;
    /**
     * How many distinct approvers (by `iss`) it needs: one number, or one per case, the highest
     * case of the need counting ({@link NeedRow.cases}).
     */
    readonly required: number | Readonly<Record<string, number>>;
    /** The cases of `required` that apply to a need. */
    readonly cases?: (need: NeedOf<K>) => readonly string[];
    /**
     * True when `a` grants `need` (of the item about `resource`, if resource-level). The approver's
     * gates and the `resources` restriction are applied by the caller (decide.ts `covers`).
     */
    readonly covers: (a: Grant, need: NeedOf<K>, resource: string | undefined) => boolean;
    /** What a covering token must grant, in words: completes "needs 2 approvals with …". */
    readonly grant: (need: NeedOf<K>) => string;
    /** The `agentguard approve` flags that grant it. */
    readonly flags: (need: NeedOf<K>, resource: string | undefined) => string[];
    /**
     * The flag of {@link NeedRow.flags} that carries an amount (`--max-monthly-usd 141`): one
     * token covering several such items carries it once, with the highest amount.
     */
    readonly amountFlag?: string;
    /**
     * True when only a token naming the resource covers it: the run's summary asks for such
     * tokens apart, since a `resources` list would narrow the token that covers the rest.
     */
    readonly ownToken?: boolean;
    /** For docs: what covers it, and its flags. */
    readonly docs: { readonly coveredBy: string; readonly flags: string };
}

const includes = (list: readonly string[] | undefined, v: string) => list !== undefined && list.includes(v);
const atLeast = (limit: number | undefined, v: number) => limit !== undefined && limit >= v;

/** Every kind of need, in the order of the gates. */
export const NEEDS: { readonly [K in NeedKind]: NeedRow<K> } = {
    environment: {
        gate: "environment",
        required: { production: 2, staging: 1 },
        cases: (need) => [need.environment],
        covers: (a, need) => includes(a.scope.environments, need.environment),
        grant: (need) => `environments containing "${need.environment}"`,
        flags: (need) => [`--environment ${need.environment}`],
        docs: { coveredBy: "scope.environments contains the environment (the stack-level item only by a token without scope.resources)", flags: "`--environment production` or `--environment staging`" },
    },
    provider: {
        gate: "provider",
        required: 1,
        covers: (a, need) => includes(a.scope.providers, need.provider),
        grant: (need) => `providers containing "${need.provider}"`,
        flags: (need) => [`--provider ${shellArg(need.provider)}`],
        docs: { coveredBy: "scope.providers contains the package", flags: "`--provider <package>`" },
    },
    access: {
        gate: "access",
        required: 2,
        covers: (a) => a.scope.access === true,
        grant: () => "access: true",
        flags: () => ["--access"],
        docs: { coveredBy: "scope.access is true", flags: "`--access`" },
    },
    spend: {
        gate: "spend",
        required: 2,
        covers: (a, need) => atLeast(a.scope.maxMonthlyUsd, need.amountUsd),
        grant: (need) => `maxMonthlyUsd ≥ ${Math.ceil(need.amountUsd)}`,
        flags: (need) => [`--max-monthly-usd ${Math.ceil(need.amountUsd)}`],
        amountFlag: "--max-monthly-usd",
        docs: { coveredBy: "scope.maxMonthlyUsd ≥ the amount", flags: "`--max-monthly-usd N`" },
    },
    purchase: {
        gate: "spend",
        required: 2,
        covers: (a) => a.scope.purchases === true,
        grant: () => "purchases: true",
        flags: () => ["--purchases"],
        docs: { coveredBy: "a purchase: scope.purchases is true", flags: "`--purchases`" },
    },
    "unknown-price": {
        gate: "spend",
        required: 2,
        // Only a token that names the resource explicitly and sets a ceiling: never a silent $0.
        covers: (a, _need, resource) => resource !== undefined && includes(a.scope.resources, resource) && a.scope.maxMonthlyUsd !== undefined,
        grant: () => "this URN in resources and a maxMonthlyUsd",
        flags: (_need, resource) => ["--max-monthly-usd CEILING", ...(resource !== undefined ? [`--resource ${shellArg(resource)}`] : [])],
        ownToken: true,
        docs: { coveredBy: "a price unknown at preview: the URN in scope.resources and scope.maxMonthlyUsd", flags: "for an unknown price `--max-monthly-usd N --resource <urn>`" },
    },
    operations: {
        gate: "operations",
        required: 1,
        covers: (a, need) => atLeast(a.scope.maxResources, need.count),
        grant: (need) => `maxResources ≥ ${need.count}`,
        flags: (need) => [`--max-resources ${need.count}`],
        amountFlag: "--max-resources",
        docs: { coveredBy: "scope.maxResources ≥ the count", flags: "`--max-resources N`" },
    },
    destructive: {
        gate: "destructive",
        required: { production: 2, "data-bearing types": 2, staging: 1 },
        cases: (need) => [...(need.environment !== "development" ? [need.environment] : []), ...(need.dataBearing ? ["data-bearing types"] : [])],
        covers: (a, need) => a.scope.destructive === true && (need.binding === "plan" ? a.plan : a.destroy) === need.digest,
        grant: (need) => `destructive: true, bound to this ${need.binding === "plan" ? "plan" : "destroy's state export"} (${need.digest.slice(0, 19)}…)`,
        flags: () => ["--destructive"],
        docs: {
            coveredBy: "scope.destructive is true and the token's plan (or destroy) claim is this plan's (or state export's) digest",
            flags: "`--destructive` with `--plan <file>` (or `--destroy-state <file>`)",
        },
    },
};

/** The row of a need (typed for that need). */
export function needRow(need: Need): NeedRow<NeedKind> {
    return NEEDS[needKind(need)] as unknown as NeedRow<NeedKind>;
}

/** How many distinct approvers `need` requires: its row's count, the highest of its cases. */
export function requiredFor(need: Need): number {
    const row = needRow(need);
    if (typeof row.required === "number") {
        return row.required;
    }
    const counts = row.required;
    return Math.max(0, ...(row.cases?.(need as never) ?? []).map((c) => counts[c] ?? 0));
}

/** The need rows of one gate, in table order. */
export function needRowsOf(gate: GateId): NeedRow<NeedKind>[] {
    return (Object.values(NEEDS) as NeedRow<NeedKind>[]).filter((row) => row.gate === gate);
}
