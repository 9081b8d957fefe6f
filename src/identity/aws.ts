/**
 * `AwsAgentIdentity`: an agent's AWS identity — a role with a one-hour session that only the
 * configured principal can assume, and only with `sts:SourceIdentity` = the agent id; a
 * least-privilege policy from its scopes; a permissions boundary; a monthly budget on its
 * cost-allocation tag with a budget action that attaches a deny-all policy at 100% (the hard cap).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    MAX_SESSION_SECONDS,
    agentTags,
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

    constructor(name: string, args: AwsAgentIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super(AWS_AGENT_IDENTITY_TYPE, name, {}, opts);
        const agent = checkedAgent(args.agent, this);
        if (!agent.aws) {
            throw new pulumi.ResourceError(`agent "${agent.id}": field "aws" is required for an AWS identity`, this);
        }
        const id = agent.id;
        const tags = { ...(args.tags ?? {}), ...agentTags(agent) };
        const named = { parent: this, deleteBeforeReplace: true };

        const boundary = new aws.iam.Policy(
            `${name}-boundary`,
            {
                name: `agentguard-${id}-boundary`,
                description: `Permissions boundary of agent ${id}: the most it may ever do`,
                policy: JSON.stringify(boundaryPolicy(agent)),
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
        new aws.iam.RolePolicyAttachment(`${name}-scopes`, { role: role.name, policyArn: policy.arn }, { parent: this });

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
                costFilters: budgetCostFilters(id),
                notifications: budgetNotifications(agent),
                tags,
            },
            named,
        );

        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
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
                policy: pulumi.all([role.arn, denyAll.arn]).apply(([roleArn, denyArn]) => JSON.stringify(budgetActionExecutionPolicy(roleArn, denyArn))),
            },
            { parent: this },
        );
        const action = new aws.budgets.BudgetAction(
            `${name}-hard-cap`,
            {
                budgetName: budget.name,
                actionType: "APPLY_IAM_POLICY",
                approvalModel: "AUTOMATIC",
                notificationType: "ACTUAL",
                actionThreshold: { actionThresholdType: "PERCENTAGE", actionThresholdValue: 100 },
                definition: { iamActionDefinition: { policyArn: denyAll.arn, roles: [role.name] } },
                executionRoleArn: actionRole.arn,
                subscribers: [{ address: agent.owner, subscriptionType: "EMAIL" }],
                tags,
            },
            { parent: this, dependsOn: [actionPolicy] },
        );

        this.roleArn = role.arn;
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
            policyArn: this.policyArn,
            boundaryArn: this.boundaryArn,
            denyAllPolicyArn: this.denyAllPolicyArn,
            budgetName: this.budgetName,
            budgetActionRoleArn: this.budgetActionRoleArn,
            budgetActionId: this.budgetActionId,
        });
    }
}
