/**
 * Pure generators of everything an agent identity is made of, as plain data: IAM policy
 * documents (trust, scopes, boundary, deny-all, budget-action execution), the budget's filters and
 * notifications, the Cloudflare token's policies and expiry, and tags. The components turn these
 * into JSON strings; the tests assert them as data. Nothing here imports Pulumi.
 */
import {
    ACCOUNT_LEVEL_PERMISSIONS,
    AWS_SERVICES,
    BOUNDARY_DENIES,
    CLOUDFLARE_GROUPS,
    GLOBAL_ACTIONS,
    READ_ONLY_ACTION_PREFIXES,
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
 * A role's trust policy: only the agent's own principal may assume it (the registry guarantees no
 * other agent trusts the same one). It also requires `sts:SourceIdentity` equal to the agent id
 * (for OIDC, when the IdP sets that claim), so CloudTrail attributes every action of the session
 * and of roles chained from it to the agent; that is attribution, not authentication: the caller
 * chooses it. `sts:SetSourceIdentity` must be allowed for the caller to set it.
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
        Action: trust.sourceIdentity ? ["sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity"] : ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
            StringEquals: {
                [`${trust.issuerHost}:aud`]: trust.audience,
                [`${trust.issuerHost}:sub`]: trust.subjects.length === 1 ? trust.subjects[0] : [...trust.subjects],
                ...(trust.sourceIdentity ? { "sts:SourceIdentity": agentId } : {}),
            },
        },
    });
}

/**
 * The actions one scope grants on its resources: its explicit list, or the catalogue's for its
 * access level (`write` adds to `read`, `permissions` adds to both). Permission actions AWS does
 * not scope to a resource are granted separately (see {@link scopePolicy}).
 */
export function scopeActions(scope: AwsScope): string[] {
    if (scope.actions) {
        return [...scope.actions].sort();
    }
    const svc = AWS_SERVICES[scope.service];
    const levels = { read: [svc.read], write: [svc.read, svc.write], permissions: [svc.read, svc.write, svc.permissions.filter((a) => !ACCOUNT_LEVEL_PERMISSIONS.includes(a))] }[scope.access];
    return [...new Set(levels.flat())].sort();
}

/** True for an action the plan job may hold: a read-only action by its name (describe, list, get, …). */
export function isReadOnlyAction(action: string): boolean {
    const name = action.split(":")[1] ?? "";
    return READ_ONLY_ACTION_PREFIXES.some((p) => name.startsWith(p)) && !/^Get(AuthorizationToken|SessionToken|FederationToken)/.test(name);
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
export function scopePolicy(agent: AgentDefinition, opts: { readOnly?: boolean } = {}): PolicyDocument {
    const scopes = agent.aws?.scopes ?? [];
    const statements: PolicyStatement[] = scopes.map((scope, i) => {
        const actions = opts.readOnly ? scopeActions(scope).filter(isReadOnlyAction) : scopeActions(scope);
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
    const permissionServices = new Set(scopes.filter((s) => s.access === "permissions" && !s.actions).map((s) => s.service));
    const accountPermissions = opts.readOnly ? [] : ACCOUNT_LEVEL_PERMISSIONS.filter((a) => permissionServices.has(a.split(":")[0]));
    if (accountPermissions.length > 0) {
        statements.push({ Sid: "AccountLevelPermissions", Effect: "Allow", Action: accountPermissions, Resource: "*" });
    }
    statements.push({ Sid: "WhoAmI", Effect: "Allow", Action: ["sts:GetCallerIdentity"], Resource: "*" });
    return doc(...statements);
}

/** The read-only policy of the plan job's role: the read actions of the agent's scopes, never a write. */
export function planScopePolicy(agent: AgentDefinition): PolicyDocument {
    return scopePolicy(agent, { readOnly: true });
}

/**
 * The boundary statements that keep the agent's cost tag on everything it creates: creates must
 * carry `agentguard:agent` = the agent's id (the tag its role carries, written literally so no
 * session tag can stand in for it), tag writes may not set that key to anything else, and tag
 * removals may not name it. Only for actions AWS lets conditions see (catalogue `tagging`).
 */
export function tagEnforcementStatements(agent: AgentDefinition): PolicyStatement[] {
    const services = [...new Set((agent.aws?.scopes ?? []).map((s) => s.service))].sort();
    const tagging = services.map((s) => AWS_SERVICES[s].tagging);
    const creates = tagging.flatMap((t) => t.create);
    const plainCreates = creates.filter((a) => a !== "ssm:PutParameter");
    const tags = tagging.flatMap((t) => t.tag);
    const untags = tagging.flatMap((t) => t.untag);
    const key = `aws:RequestTag/${AGENT_TAG}`;
    const out: PolicyStatement[] = [];
    // IAM matches a condition key's tag name in any case (`aws:RequestTag/AgentGuard:Agent` passes
    // for `agentguard:agent`), but the budget's cost filter names the exact key: the tag keys of
    // the request, compared as values, must hold it exactly.
    const exactKey = { "ForAllValues:StringNotEquals": { "aws:TagKeys": [AGENT_TAG] } };
    if (plainCreates.length > 0) {
        out.push({ Sid: "DenyCreateWithoutTheAgentTag", Effect: "Deny", Action: plainCreates, Resource: "*", Condition: { StringNotEquals: { [key]: agent.id } } });
        out.push({ Sid: "DenyCreateWithoutTheExactAgentTagKey", Effect: "Deny", Action: plainCreates, Resource: "*", Condition: exactKey });
    }
    if (creates.includes("ssm:PutParameter")) {
        // PutParameter also overwrites an existing parameter, which cannot carry tags: a new one must
        // carry the tag, and an overwrite must hit a parameter that carries it (with Overwrite set,
        // a name that does not exist yet is created, untagged).
        const isNew = { BoolIfExists: { "ssm:Overwrite": "false" } };
        out.push(
            { Sid: "DenyNewParameterWithoutTheAgentTag", Effect: "Deny", Action: ["ssm:PutParameter"], Resource: "*", Condition: { StringNotEquals: { [key]: agent.id }, ...isNew } },
            { Sid: "DenyNewParameterWithoutTheExactAgentTagKey", Effect: "Deny", Action: ["ssm:PutParameter"], Resource: "*", Condition: { ...exactKey, ...isNew } },
            {
                Sid: "DenyOverwritingAParameterWithoutTheAgentTag",
                Effect: "Deny",
                Action: ["ssm:PutParameter"],
                Resource: "*",
                Condition: { Bool: { "ssm:Overwrite": "true" }, StringNotEquals: { [`aws:ResourceTag/${AGENT_TAG}`]: agent.id } },
            },
        );
    }
    if (tags.length > 0) {
        out.push({
            Sid: "DenyChangingTheAgentTag",
            Effect: "Deny",
            Action: tags,
            Resource: "*",
            Condition: { "ForAnyValue:StringEqualsIgnoreCase": { "aws:TagKeys": [AGENT_TAG] }, StringNotEquals: { [key]: agent.id } },
        });
    }
    if (untags.length > 0) {
        out.push({ Sid: "DenyRemovingTheAgentTag", Effect: "Deny", Action: untags, Resource: "*", Condition: { "ForAnyValue:StringEqualsIgnoreCase": { "aws:TagKeys": [AGENT_TAG] } } });
    }
    return out;
}

/**
 * The permissions boundary: the most any agent role may do. It allows only the services the agent
 * has scopes in, and denies what no agent may do whatever its scopes: IAM, Organizations, account
 * and billing changes (including its own budget); becoming another role; domain registration and transfer; subscriptions,
 * reserved capacity and savings plans; stopping or deleting CloudTrail; any region outside the
 * allowlist (global services excepted, S3 buckets by their location too); the module's own
 * backstop; creates whose cost tag is missing or misspelt; and S3 requests to a bucket outside
 * `accountId`, the account the role lives in.
 */
export function boundaryPolicy(agent: AgentDefinition, accountId: string): PolicyDocument {
    const services = [...new Set((agent.aws?.scopes ?? []).map((s) => s.service))].sort();
    const regions = agent.aws?.regions ?? [];
    const statements: PolicyStatement[] = [
        { Sid: "AllowDeclaredServices", Effect: "Allow", Action: [...services.map((s) => `${s}:*`), "sts:GetCallerIdentity"], Resource: "*" },
        ...Object.entries(BOUNDARY_DENIES).map(([name, actions]): PolicyStatement => ({ Sid: name, Effect: "Deny", Action: [...actions], Resource: "*" })),
        ...tagEnforcementStatements(agent),
        // The module's own machinery (the backstop's alarm, rule and runbook): no scope reaches it.
        { Sid: "DenyTheModulesOwnResources", Effect: "Deny", Action: ["cloudwatch:*", "events:*", "ssm:*"], Resource: [...MODULE_RESOURCES] },
        {
            Sid: "DenyOutsideAllowedRegions",
            Effect: "Deny",
            NotAction: [...GLOBAL_ACTIONS],
            Resource: "*",
            Condition: { StringNotEquals: { "aws:RequestedRegion": [...regions] } },
        },
    ];
    if (services.includes("s3")) {
        // Bucket ARNs name no account: a bucket of another account whose policy admits the agent
        // (the whole organization, say) would take its writes, and its spend, outside its budget.
        // Only where S3 names an owner (Null: false): a request with none to name (no bucket at
        // all) reaches nothing of another account, and is not refused for it.
        statements.push({ Sid: "DenyBucketsOfOtherAccounts", Effect: "Deny", Action: ["s3:*"], Resource: "*", Condition: { Null: { "s3:ResourceAccount": "false" }, StringNotEquals: { "s3:ResourceAccount": accountId } } });
        // CreateBucket names the bucket's region in its body: any endpoint in an allowed region
        // creates a bucket anywhere. Absent, the bucket is in the endpoint's region (the rule above).
        statements.push({ Sid: "DenyBucketsOutsideAllowedRegions", Effect: "Deny", Action: ["s3:CreateBucket"], Resource: "*", Condition: { Null: { "s3:LocationConstraint": "false" }, StringNotEquals: { "s3:LocationConstraint": [...regions] } } });
    }
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

/** What the budget action's execution role may do: attach and detach the deny-all policy, on the agent's roles only. */
export function budgetActionExecutionPolicy(agentRoleArns: string | readonly string[], denyAllPolicyArn: string): PolicyDocument {
    const roles = typeof agentRoleArns === "string" ? [agentRoleArns] : [...agentRoleArns];
    return doc({
        Sid: "AttachDenyAllToTheAgentRole",
        Effect: "Allow",
        Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
        Resource: roles.length === 1 ? roles[0] : roles,
        Condition: { ArnEquals: { "iam:PolicyARN": denyAllPolicyArn } },
    });
}

/** The budget's name: one budget per agent and account. */
export function budgetName(agentId: string): string {
    return `agentguard-${agentId}`;
}

/**
 * The module's own machinery that an agent's services could reach: every name it gives starts
 * with `agentguard-` (the backstop's alarm, event rule and runbook; IAM is denied outright).
 */
export const MODULE_RESOURCES: readonly string[] = [
    "arn:*:cloudwatch:*:*:alarm:agentguard-*",
    "arn:*:events:*:*:rule/agentguard-*",
    "arn:*:ssm:*:*:document/agentguard-*",
    "arn:*:ssm:*:*:automation-definition/agentguard-*",
];

/** The backstop's alarm name; also the alarm ARN's last part. */
export function backstopAlarmName(agentId: string): string {
    return `agentguard-${agentId}-estimated-charges`;
}

/**
 * The backstop's CloudWatch alarm on the account's estimated charges (`AWS/Billing`, published in
 * us-east-1 every few hours, sooner than a budget evaluates), as plain alarm arguments.
 */
export function backstopAlarmArgs(agentId: string, usd: number): Record<string, unknown> {
    return {
        name: backstopAlarmName(agentId),
        namespace: "AWS/Billing",
        metricName: "EstimatedCharges",
        dimensions: { Currency: "USD" },
        statistic: "Maximum",
        period: 21600,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: usd,
        treatMissingData: "notBreaching",
    };
}

/** The EventBridge pattern that fires when the backstop alarm goes into ALARM. */
export function backstopEventPattern(alarmArn: string): Record<string, unknown> {
    return { source: ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"], resources: [alarmArn], detail: { state: { value: ["ALARM"] } } };
}

/**
 * The SSM Automation runbook the backstop starts: it attaches the deny-all policy to the agent's
 * roles, the same thing the budget action does. Plain data; the component serialises it.
 */
export function backstopRunbook(roleNames: readonly string[], denyAllPolicyArn: string, automationRoleArn: string): Record<string, unknown> {
    return {
        schemaVersion: "0.3",
        description: "agentguard backstop: attach the deny-all policy to the agent's roles",
        assumeRole: automationRoleArn,
        mainSteps: roleNames.map((role, i) => ({
            name: `AttachDenyAll${i}`,
            action: "aws:executeAwsApi",
            inputs: { Service: "iam", Api: "AttachRolePolicy", RoleName: role, PolicyArn: denyAllPolicyArn },
        })),
    };
}

/** Trust of a role that an AWS service (events, ssm) assumes on the backstop's behalf, limited to this account. */
export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
    return doc({ Sid: "ServiceRunsTheBackstop", Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } });
}

/** What EventBridge may do for the backstop: start that one runbook, passing it that one role. */
export function backstopStartPolicy(automationDefinitionArn: string, automationRoleArn: string): PolicyDocument {
    return doc(
        { Sid: "StartTheBackstopRunbook", Effect: "Allow", Action: "ssm:StartAutomationExecution", Resource: automationDefinitionArn },
        { Sid: "PassTheRunbookItsRole", Effect: "Allow", Action: "iam:PassRole", Resource: automationRoleArn, Condition: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } } },
    );
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

/**
 * The sensitive scopes an agent holds, one phrase each, for the gate: the actions of its AWS
 * `permissions` scopes (resource policies, public access, ACLs, credentials) with their resources,
 * and its sensitive Cloudflare permission groups. Registered as the `sensitiveScopes` input of its
 * `AgentServiceAccount`, where the gate's access check names them (src/gate/access.ts).
 */
export function sensitiveScopes(agent: AgentDefinition): string[] {
    const out: string[] = [];
    for (const scope of agent.aws?.scopes ?? []) {
        if (scope.access !== "permissions") {
            continue;
        }
        const actions = scope.actions ? [...scope.actions] : [...AWS_SERVICES[scope.service].permissions, ...ACCOUNT_LEVEL_PERMISSIONS.filter((a) => a.startsWith(`${scope.service}:`))];
        out.push(`aws ${scope.service} ${actions.sort().join(" ")} on ${scope.resources.join(" ")}`);
    }
    const groups = new Set((agent.cloudflare?.scopes ?? []).flatMap((s) => s.permissions).filter((p) => CLOUDFLARE_GROUPS[p]?.sensitive));
    for (const g of [...groups].sort()) {
        out.push(`cloudflare "${g}"`);
    }
    return out;
}

/** The token's name; the hygiene policy recognises agent tokens by its prefix. */
export function tokenName(agentId: string): string {
    return `${TOKEN_NAME_PREFIX}${agentId}`;
}
