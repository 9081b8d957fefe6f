/**
 * `AwsAgentIdentity`: an agent's AWS identity — two roles with one-hour sessions, each assumable
 * only by a principal of this agent's own: the write role (apply job) with the least-privilege
 * policy from its scopes, and the read-only role (plan job) with their read actions; one
 * permissions boundary on both (which also keeps the agent's cost tag on what it creates); a
 * monthly budget on that tag with a budget action that attaches a deny-all policy to both roles
 * at 100% (the hard cap); and, when the registry asks, a faster backstop (a billing alarm whose
 * state change starts a runbook attaching the same policy).
 *
 * With an account of its own (registry `aws.account`: an existing one, or one created here with
 * `aws.organizations.Account`), all of it lives in that account, reached through the account's
 * access role: the budget then covers the whole account, with no tag filter.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    MAX_SESSION_SECONDS,
    agentTags,
    backstopAlarmArgs,
    backstopEventPattern,
    backstopRunbook,
    backstopStartPolicy,
    planScopePolicy,
    serviceTrustPolicy,
    boundaryPolicy,
    budgetActionExecutionPolicy,
    budgetActionTrustPolicy,
    budgetCostFilters,
    budgetLimitAmount,
    budgetName,
    budgetNotifications,
    denyAllPolicy,
    scopePolicy,
    trustPolicy,
} from "./documents";
import { AgentDefinition, RegistryError, validateDefinition } from "./registry";
import { AwsAccountSpec } from "./own-account";

/** The type token of {@link AwsAgentIdentity}. */
export const AWS_AGENT_IDENTITY_TYPE = "agentguard:index:AwsAgentIdentity";

/** Arguments of {@link AwsAgentIdentity}. */
export interface AwsAgentIdentityArgs {
    /**
     * The agent, as the registry defines it (see `readRegistryFile`), with an `aws` section. Plain
     * data rather than `pulumi.Input`s on purpose: the policy documents are generated from it and
     * checked before any resource is created.
     */
    readonly agent: AgentDefinition;
    /** Tags added to every resource, besides the agent's own (which win). */
    readonly tags?: Readonly<Record<string, string>>;
}

/** Validates component args by the registry's rules; returns the agent or throws a `ResourceError` naming the field. */
export function checkedAgent(agent: AgentDefinition, parent: pulumi.Resource, now?: Date): AgentDefinition {
    try {
        return validateDefinition(agent, { now });
    } catch (e) {
        if (e instanceof RegistryError) {
            throw new pulumi.ResourceError(e.message, parent);
        }
        throw e;
    }
}

/** An agent's AWS role, policies, boundary, budget and hard cap. */
export class AwsAgentIdentity extends pulumi.ComponentResource {
    /** ARN of the role the agent assumes (with `--source-identity <agent id>`). */
    readonly roleArn: pulumi.Output<string>;
    /** Name of that role. */
    readonly roleName: pulumi.Output<string>;
    /** ARN of the read-only role the plan job assumes. */
    readonly planRoleArn: pulumi.Output<string>;
    /** Name of that role. */
    readonly planRoleName: pulumi.Output<string>;
    /** Name of the backstop alarm (undefined without `aws.backstop`). */
    readonly backstopAlarmName: pulumi.Output<string | undefined>;
    /** ARN of the agent's least-privilege policy. */
    readonly policyArn: pulumi.Output<string>;
    /** ARN of the role's permissions boundary. */
    readonly boundaryArn: pulumi.Output<string>;
    /** ARN of the deny-all policy the budget action attaches at 100%. */
    readonly denyAllPolicyArn: pulumi.Output<string>;
    /** Name of the agent's monthly AWS Budget. */
    readonly budgetName: pulumi.Output<string>;
    /** ARN of the role AWS Budgets uses to run the hard cap. */
    readonly budgetActionRoleArn: pulumi.Output<string>;
    /** Id of the budget action (the hard cap). */
    readonly budgetActionId: pulumi.Output<string>;
    /** The AWS account the identity lives in: the agent's own, or the platform's (shared). */
    readonly accountId: pulumi.Output<string>;

    constructor(name: string, args: AwsAgentIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super(AWS_AGENT_IDENTITY_TYPE, name, {}, opts);
        const agent = checkedAgent(args.agent, this);
        if (!agent.aws) {
            throw new pulumi.ResourceError(`agent "${agent.id}": field "aws" is required for an AWS identity`, this);
        }
        const id = agent.id;
        const tags = { ...(args.tags ?? {}), ...agentTags(agent) };
        const own = ownAccount(`${name}-account`, id, agent.aws.account, tags, this);
        const inAccount: pulumi.CustomResourceOptions = { parent: this, ...(own ? { provider: own.provider } : {}) };
        const named = { ...inAccount, deleteBeforeReplace: true };

        const caller = aws.getCallerIdentityOutput({}, inAccount);
        const boundary = new aws.iam.Policy(
            `${name}-boundary`,
            {
                name: `agentguard-${id}-boundary`,
                description: `Permissions boundary of agent ${id}: the most it may ever do`,
                policy: caller.accountId.apply((account) => JSON.stringify(boundaryPolicy(agent, account))),
                tags,
            },
            named,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: `agentguard-${id}`,
                description: `Agent ${id}, owned by ${agent.owner}`,
                assumeRolePolicy: JSON.stringify(trustPolicy(id, agent.aws.trust)),
                maxSessionDuration: MAX_SESSION_SECONDS,
                permissionsBoundary: boundary.arn,
                forceDetachPolicies: true,
                tags,
            },
            named,
        );
        const policy = new aws.iam.Policy(
            `${name}-scopes`,
            {
                name: `agentguard-${id}-scopes`,
                description: `Least-privilege scopes of agent ${id}`,
                policy: JSON.stringify(scopePolicy(agent)),
                tags,
            },
            named,
        );
        new aws.iam.RolePolicyAttachment(`${name}-scopes`, { role: role.name, policyArn: policy.arn }, inAccount);

        const planRole = new aws.iam.Role(
            `${name}-plan-role`,
            {
                name: `agentguard-${id}-plan`,
                description: `Agent ${id}, read-only, for its plan job`,
                assumeRolePolicy: JSON.stringify(trustPolicy(id, agent.aws.planTrust)),
                maxSessionDuration: MAX_SESSION_SECONDS,
                permissionsBoundary: boundary.arn,
                forceDetachPolicies: true,
                tags,
            },
            named,
        );
        const planPolicy = new aws.iam.Policy(
            `${name}-plan-scopes`,
            {
                name: `agentguard-${id}-plan-scopes`,
                description: `Read-only scopes of agent ${id} for its plan job`,
                policy: JSON.stringify(planScopePolicy(agent)),
                tags,
            },
            named,
        );
        new aws.iam.RolePolicyAttachment(`${name}-plan-scopes`, { role: planRole.name, policyArn: planPolicy.arn }, inAccount);

        const denyAll = new aws.iam.Policy(
            `${name}-deny-all`,
            {
                name: `agentguard-${id}-deny-all`,
                description: `Attached to agent ${id} by its budget action when it spends its monthly budget`,
                policy: JSON.stringify(denyAllPolicy()),
                tags,
            },
            named,
        );
        const budget = new aws.budgets.Budget(
            `${name}-budget`,
            {
                name: budgetName(id),
                budgetType: "COST",
                limitAmount: budgetLimitAmount(agent.monthlyBudgetUsd),
                limitUnit: "USD",
                timeUnit: "MONTHLY",
                // In the agent's own account the budget covers all of it: nothing to filter, no tag to escape.
                ...(own ? { accountId: own.accountId } : { costFilters: budgetCostFilters(id) }),
                notifications: budgetNotifications(agent),
                tags,
            },
            named,
        );

        const partition = aws.getPartitionOutput({}, inAccount);
        const actionRole = new aws.iam.Role(
            `${name}-cap`,
            {
                name: `agentguard-${id}-cap`,
                description: `Lets AWS Budgets attach the deny-all policy to agent ${id}`,
                assumeRolePolicy: pulumi.all([caller.accountId, partition.partition]).apply(([account, p]) => JSON.stringify(budgetActionTrustPolicy(account, p, budgetName(id)))),
                maxSessionDuration: MAX_SESSION_SECONDS,
                tags,
            },
            named,
        );
        const actionPolicy = new aws.iam.RolePolicy(
            `${name}-cap`,
            {
                role: actionRole.name,
                policy: pulumi.all([role.arn, planRole.arn, denyAll.arn]).apply(([roleArn, planArn, denyArn]) => JSON.stringify(budgetActionExecutionPolicy([roleArn, planArn], denyArn))),
            },
            inAccount,
        );
        const action = new aws.budgets.BudgetAction(
            `${name}-hard-cap`,
            {
                budgetName: budget.name,
                actionType: "APPLY_IAM_POLICY",
                approvalModel: "AUTOMATIC",
                notificationType: "ACTUAL",
                actionThreshold: { actionThresholdType: "PERCENTAGE", actionThresholdValue: 100 },
                definition: { iamActionDefinition: { policyArn: denyAll.arn, roles: [role.name, planRole.name] } },
                executionRoleArn: actionRole.arn,
                subscribers: [{ address: agent.owner, subscriptionType: "EMAIL" }],
                ...(own ? { accountId: own.accountId } : {}),
                tags,
            },
            { ...inAccount, dependsOn: [actionPolicy] },
        );

        let alarmName: pulumi.Output<string | undefined> = pulumi.output<string | undefined>(undefined);
        if (agent.aws.backstop) {
            const automationRole = new aws.iam.Role(
                `${name}-backstop-runbook`,
                {
                    name: `agentguard-${id}-backstop-runbook`,
                    description: `Lets the backstop runbook attach the deny-all policy to agent ${id}`,
                    assumeRolePolicy: caller.accountId.apply((account) => JSON.stringify(serviceTrustPolicy("ssm.amazonaws.com", account))),
                    maxSessionDuration: MAX_SESSION_SECONDS,
                    tags,
                },
                named,
            );
            const automationPolicy = new aws.iam.RolePolicy(
                `${name}-backstop-runbook`,
                {
                    role: automationRole.name,
                    policy: pulumi.all([role.arn, planRole.arn, denyAll.arn]).apply(([roleArn, planArn, denyArn]) => JSON.stringify(budgetActionExecutionPolicy([roleArn, planArn], denyArn))),
                },
                inAccount,
            );
            const runbook = new aws.ssm.Document(
                `${name}-backstop`,
                {
                    name: `agentguard-${id}-backstop`,
                    documentType: "Automation",
                    documentFormat: "JSON",
                    content: pulumi.all([role.name, planRole.name, denyAll.arn, automationRole.arn]).apply(([r, p, d, a]) => JSON.stringify(backstopRunbook([r, p], d, a))),
                    tags,
                },
                named,
            );
            const alarm = new aws.cloudwatch.MetricAlarm(`${name}-backstop`, { ...backstopAlarmArgs(id, agent.aws.backstop.estimatedChargesUsd), tags } as aws.cloudwatch.MetricAlarmArgs, named);
            const rule = new aws.cloudwatch.EventRule(
                `${name}-backstop`,
                { name: `agentguard-${id}-backstop`, description: `Agent ${id}: estimated charges alarm → deny-all`, eventPattern: alarm.arn.apply((arn) => JSON.stringify(backstopEventPattern(arn))), tags },
                named,
            );
            const definitionArn = pulumi.interpolate`arn:${partition.partition}:ssm:${aws.getRegionOutput({}, inAccount).region}:${caller.accountId}:automation-definition/${runbook.name}:$DEFAULT`;
            const eventsRole = new aws.iam.Role(
                `${name}-backstop-events`,
                {
                    name: `agentguard-${id}-backstop-events`,
                    description: `Lets EventBridge start agent ${id}'s backstop runbook`,
                    assumeRolePolicy: caller.accountId.apply((account) => JSON.stringify(serviceTrustPolicy("events.amazonaws.com", account))),
                    maxSessionDuration: MAX_SESSION_SECONDS,
                    inlinePolicies: [{ name: "start-backstop", policy: pulumi.all([definitionArn, automationRole.arn]).apply(([d, a]) => JSON.stringify(backstopStartPolicy(d, a))) }],
                    tags,
                },
                named,
            );
            new aws.cloudwatch.EventTarget(
                `${name}-backstop`,
                { rule: rule.name, arn: definitionArn, roleArn: eventsRole.arn },
                { ...inAccount, dependsOn: [automationPolicy] },
            );
            alarmName = alarm.name;
        }

        this.accountId = own ? own.accountId : caller.accountId;
        this.roleArn = role.arn;
        this.planRoleArn = planRole.arn;
        this.planRoleName = planRole.name;
        this.backstopAlarmName = alarmName;
        this.roleName = role.name;
        this.policyArn = policy.arn;
        this.boundaryArn = boundary.arn;
        this.denyAllPolicyArn = denyAll.arn;
        this.budgetName = budget.name;
        this.budgetActionRoleArn = actionRole.arn;
        this.budgetActionId = action.id;
        this.registerOutputs({
            roleArn: this.roleArn,
            roleName: this.roleName,
            planRoleArn: this.planRoleArn,
            planRoleName: this.planRoleName,
            backstopAlarmName: this.backstopAlarmName,
            policyArn: this.policyArn,
            boundaryArn: this.boundaryArn,
            denyAllPolicyArn: this.denyAllPolicyArn,
            budgetName: this.budgetName,
            budgetActionRoleArn: this.budgetActionRoleArn,
            budgetActionId: this.budgetActionId,
            accountId: this.accountId,
        });
    }
}

/**
 * The agent's own account and a provider acting in it through the account's access role, or
 * undefined for the shared account. A created account is retained when the stack is destroyed:
 * it stays in the organization, since closing or removing an account is a human's decision.
 */
function ownAccount(
    name: string,
    agentId: string,
    account: AwsAccountSpec | undefined,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): { accountId: pulumi.Output<string>; provider: aws.Provider } | undefined {
    if (account === undefined || account.kind === "shared") {
        return undefined;
    }
    const accountId =
        account.kind === "existing"
            ? pulumi.output(account.id)
            : new aws.organizations.Account(
                  name,
                  { email: account.email, name: account.name, parentId: account.parentId, roleName: account.accessRole, iamUserAccessToBilling: "DENY", closeOnDeletion: false, tags },
                  { parent, retainOnDelete: true, ignoreChanges: ["roleName", "iamUserAccessToBilling"] },
              ).id;
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const provider = new aws.Provider(
        name,
        {
            // Budgets, IAM and the AWS/Billing metric the backstop watches are all in us-east-1.
            region: "us-east-1",
            allowedAccountIds: [accountId],
            assumeRoles: [{ roleArn: pulumi.interpolate`arn:${partition}:iam::${accountId}:role/${account.accessRole}`, sessionName: `agentguard-${agentId}` }],
        },
        { parent },
    );
    return { accountId, provider };
}
