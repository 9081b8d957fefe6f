/**
 * Pure generators of everything an agent identity is made of, as plain data: IAM policy
 * documents (trust, scopes, boundary, deny-all, budget-action execution), the budget's filters and
 * notifications, the Cloudflare token's policies and expiry, and tags. The components turn these
 * into JSON strings; the tests assert them as data. Nothing here imports Pulumi.
 */
import {
    AWS_SERVICES,
    BOUNDARY_DENIES,
    CLOUDFLARE_GROUPS,
    GLOBAL_ACTIONS,
    cloudflareAccountResource,
    cloudflareZoneResource,
} from "./catalogue";
import { AGENT_TAG, AgentDefinition, AgentTrust, AwsScope, CloudflareAgentSpec } from "./registry";

/** A condition block: operator → key → value(s). */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

/** One IAM policy statement. */
export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Record<string, string | string[]>;
    readonly Action?: string | string[];
    readonly NotAction?: string[];
    readonly Resource?: string | string[];
    readonly Condition?: PolicyCondition;
}

/** An IAM policy document. */
export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: PolicyStatement[];
}

/** The longest session an agent role allows, in seconds: one hour. */
export const MAX_SESSION_SECONDS = 3600;
/** The tag naming the agent's human owner. */
export const OWNER_TAG = "agentguard:owner";
/** The tag holding the agent's purpose. */
export const PURPOSE_TAG = "agentguard:purpose";
/** The tag listing the environments the agent may deploy to (space-separated). */
export const ENVIRONMENTS_TAG = "agentguard:environments";
/** Every agent's Cloudflare token name starts with this; the hygiene policy recognises tokens by it. */
export const TOKEN_NAME_PREFIX = "agentguard-";

const doc = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** AWS tag values allow letters, digits, spaces and `_ . : / = + - @`, up to 256 characters. */
function tagValue(s: string): string {
    return s.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, " ").replace(/\s+/g, " ").trim().slice(0, 256);
}

/** Tags on every AWS resource of an agent: its id (also the cost-allocation tag), owner and purpose. */
export function agentTags(agent: AgentDefinition): Record<string, string> {
    return {
        [AGENT_TAG]: agent.id,
        [OWNER_TAG]: tagValue(agent.owner),
        [PURPOSE_TAG]: tagValue(agent.purpose),
        [ENVIRONMENTS_TAG]: agent.environments.join(" "),
    };
}

/**
 * The role's trust policy: only the configured principal may assume it, and only with
 * `sts:SourceIdentity` equal to the agent id, so CloudTrail attributes every action of the session
 * (and of roles chained from it) to the agent. `sts:SetSourceIdentity` must be allowed for the
 * caller to set it.
 */
export function trustPolicy(agentId: string, trust: AgentTrust): PolicyDocument {
    if (trust.kind === "aws") {
        return doc({
            Sid: "AssumeAsAgent",
            Effect: "Allow",
            Principal: { AWS: trust.principals.length === 1 ? trust.principals[0] : [...trust.principals] },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Condition: { StringEquals: { "sts:SourceIdentity": agentId } },
        });
    }
    return doc({
        Sid: "AssumeAsAgentWithWebIdentity",
        Effect: "Allow",
        Principal: { Federated: trust.providerArn },
        Action: ["sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity"],
        Condition: {
            StringEquals: {
                [`${trust.issuerHost}:aud`]: trust.audience,
                [`${trust.issuerHost}:sub`]: trust.subjects.length === 1 ? trust.subjects[0] : [...trust.subjects],
                "sts:SourceIdentity": agentId,
            },
        },
    });
}

/** The actions one scope grants: its explicit list, or the catalogue's for its access level. */
export function scopeActions(scope: AwsScope): string[] {
    if (scope.actions) {
        return [...scope.actions].sort();
    }
    const svc = AWS_SERVICES[scope.service];
    return [...new Set(scope.access === "write" ? [...svc.read, ...svc.write] : svc.read)].sort();
}

function sid(...parts: string[]): string {
    return parts.map((p) => p.replace(/[^A-Za-z0-9]/g, "")).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");
}

/** True for `*` and `*:*` style actions (every action of every service). */
export function isGlobalWildcardAction(action: string): boolean {
    return /^\*(:\*)?$/.test(action.trim());
}

/**
 * The agent's least-privilege policy: per scope, its actions on its resources; the services'
 * account-level read actions (listing, change status) on `*`; and `sts:GetCallerIdentity`. Never
 * `*` on `*`: a scope with a global wildcard action throws (the registry rejects it first).
 */
export function scopePolicy(agent: AgentDefinition): PolicyDocument {
    const scopes = agent.aws?.scopes ?? [];
    const statements: PolicyStatement[] = scopes.map((scope, i) => {
        const actions = scopeActions(scope);
        const bad = actions.find((a) => isGlobalWildcardAction(a) || a === `${scope.service}:*`);
        if (bad !== undefined || scope.resources.some((r) => r.trim() === "*")) {
            throw new Error(`agent "${agent.id}": field "aws.scopes[${i}]" would grant a wildcard; validate the agent with validateAgent first`);
        }
        return { Sid: sid(scope.service, scope.access, String(i)), Effect: "Allow", Action: actions, Resource: [...scope.resources] };
    });
    const services = [...new Set(scopes.map((s) => s.service))].sort();
    const accountLevel = services.flatMap((s) => AWS_SERVICES[s].accountLevel);
    if (accountLevel.length > 0) {
        statements.push({ Sid: "AccountLevelReads", Effect: "Allow", Action: accountLevel, Resource: "*" });
    }
    statements.push({ Sid: "WhoAmI", Effect: "Allow", Action: ["sts:GetCallerIdentity"], Resource: "*" });
    return doc(...statements);
}

/**
 * The permissions boundary: the most any agent role may do. It allows only the services the agent
 * has scopes in, and denies what no agent may do whatever its scopes: IAM, Organizations, account
 * and billing changes (including its own budget); domain registration and transfer; subscriptions,
 * reserved capacity and savings plans; stopping or deleting CloudTrail; and any region outside the
 * allowlist (global services excepted).
 */
export function boundaryPolicy(agent: AgentDefinition): PolicyDocument {
    const services = [...new Set((agent.aws?.scopes ?? []).map((s) => s.service))].sort();
    const regions = agent.aws?.regions ?? [];
    const statements: PolicyStatement[] = [
        { Sid: "AllowDeclaredServices", Effect: "Allow", Action: [...services.map((s) => `${s}:*`), "sts:GetCallerIdentity"], Resource: "*" },
        ...Object.entries(BOUNDARY_DENIES).map(([name, actions]): PolicyStatement => ({ Sid: name, Effect: "Deny", Action: [...actions], Resource: "*" })),
        {
            Sid: "DenyOutsideAllowedRegions",
            Effect: "Deny",
            NotAction: [...GLOBAL_ACTIONS],
            Resource: "*",
            Condition: { StringNotEquals: { "aws:RequestedRegion": [...regions] } },
        },
    ];
    return doc(...statements);
}

/** The hard cap: what the budget action attaches to the agent's role at 100% of its budget. */
export function denyAllPolicy(): PolicyDocument {
    return doc({ Sid: "AgentBudgetExhausted", Effect: "Deny", Action: "*", Resource: "*" });
}

/**
 * Trust policy of the role AWS Budgets uses to run the budget action, limited to budgets of this
 * account (confused-deputy protection).
 */
export function budgetActionTrustPolicy(accountId: string, partition: string, budgetName: string): PolicyDocument {
    return doc({
        Sid: "BudgetsRunsTheAgentsBudgetAction",
        Effect: "Allow",
        Principal: { Service: "budgets.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": `arn:${partition}:budgets::${accountId}:budget/${budgetName}/action/*` },
        },
    });
}

/** What the budget action's execution role may do: attach and detach the deny-all policy, on the agent's role only. */
export function budgetActionExecutionPolicy(agentRoleArn: string, denyAllPolicyArn: string): PolicyDocument {
    return doc({
        Sid: "AttachDenyAllToTheAgentRole",
        Effect: "Allow",
        Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
        Resource: agentRoleArn,
        Condition: { ArnEquals: { "iam:PolicyARN": denyAllPolicyArn } },
    });
}

/** The budget's name: one budget per agent and account. */
export function budgetName(agentId: string): string {
    return `agentguard-${agentId}`;
}

/** A budget cost filter. */
export interface CostFilter {
    readonly name: string;
    readonly values: string[];
}

/** The cost filter that limits a budget to resources tagged with the agent's id (a user cost-allocation tag). */
export function budgetCostFilters(agentId: string): CostFilter[] {
    return [{ name: "TagKeyValue", values: [`user:${AGENT_TAG}$${agentId}`] }];
}

/** A budget notification. */
export interface BudgetNotificationSpec {
    readonly comparisonOperator: "GREATER_THAN";
    readonly notificationType: "FORECASTED" | "ACTUAL";
    readonly threshold: number;
    readonly thresholdType: "PERCENTAGE";
    readonly subscriberEmailAddresses: string[];
}

/** Notifications to the owner (and `notify`): at 80% forecast and at 100% actual. */
export function budgetNotifications(agent: AgentDefinition): BudgetNotificationSpec[] {
    const to = [agent.owner, ...agent.notify.filter((e) => e !== agent.owner)];
    return [
        { comparisonOperator: "GREATER_THAN", notificationType: "FORECASTED", threshold: 80, thresholdType: "PERCENTAGE", subscriberEmailAddresses: to },
        { comparisonOperator: "GREATER_THAN", notificationType: "ACTUAL", threshold: 100, thresholdType: "PERCENTAGE", subscriberEmailAddresses: to },
    ];
}

/** The budget's limit as AWS expects it. */
export function budgetLimitAmount(usd: number): string {
    return usd.toFixed(2);
}

/** One policy of a Cloudflare token, as plain data; `resources` becomes a JSON string. */
export interface CloudflareTokenPolicySpec {
    readonly effect: "allow";
    /** Permission group names, resolved to ids by the component. */
    readonly permissionGroups: string[];
    readonly resources: Record<string, string>;
}

/**
 * The token's policies: per scope, its zone-level groups on its listed zones and its
 * account-level groups on the agent's account. Never all zones, never another account.
 */
export function cloudflarePolicies(spec: CloudflareAgentSpec): CloudflareTokenPolicySpec[] {
    const out: CloudflareTokenPolicySpec[] = [];
    for (const scope of spec.scopes) {
        const zoneGroups = scope.permissions.filter((p) => CLOUDFLARE_GROUPS[p]?.kind === "zone");
        const accountGroups = scope.permissions.filter((p) => CLOUDFLARE_GROUPS[p]?.kind === "account");
        if (zoneGroups.length > 0) {
            out.push({ effect: "allow", permissionGroups: zoneGroups, resources: Object.fromEntries(scope.zones.map((z) => [cloudflareZoneResource(z), "*"])) });
        }
        if (accountGroups.length > 0) {
            out.push({ effect: "allow", permissionGroups: accountGroups, resources: { [cloudflareAccountResource(spec.accountId)]: "*" } });
        }
    }
    return out;
}

/**
 * The token's expiry: the registry's fixed `expiresOn`, or a rolling one `tokenTtlDays` after the
 * start of the current step. A step is half the lifetime (at most 30 days), so a token always has
 * at least half its lifetime left after `pulumi up`, and re-running the stack moves the expiry at
 * most once a step instead of on every run. An agent whose stack is not run again expires.
 */
export function tokenExpiry(spec: Pick<CloudflareAgentSpec, "expiresOn" | "tokenTtlDays">, now: Date): string {
    if (spec.expiresOn) {
        return spec.expiresOn;
    }
    const day = 86400_000;
    const stepDays = Math.max(1, Math.min(30, Math.floor(spec.tokenTtlDays / 2)));
    const stepStart = Math.floor(now.getTime() / (stepDays * day)) * stepDays * day;
    return new Date(stepStart + spec.tokenTtlDays * day).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The token's name; the hygiene policy recognises agent tokens by its prefix. */
export function tokenName(agentId: string): string {
    return `${TOKEN_NAME_PREFIX}${agentId}`;
}
