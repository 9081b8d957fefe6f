/**
 * `AgentServiceAccount`: everything one agent is, from its registry entry — an AWS identity
 * (role, scopes, boundary, budget, hard cap) when it has AWS scopes, and a Cloudflare token when
 * it has Cloudflare scopes.
 */
import * as pulumi from "@pulumi/pulumi";
import { AwsAgentIdentity, checkedAgent } from "./aws";
import { CloudflareAgentToken } from "./cloudflare";
import { sensitiveScopes } from "./documents";
import { AgentDefinition } from "./registry";

/** {@link sensitiveScopes} of a definition not validated yet (the constructor validates it right after). */
function sensitiveScopesOf(agent: AgentDefinition | undefined): string[] {
    try {
        return agent ? sensitiveScopes(agent) : [];
    } catch {
        return ["(the agent definition could not be read)"];
    }
}

/** The type token of {@link AgentServiceAccount}. */
export const AGENT_SERVICE_ACCOUNT_TYPE = "agentguard:index:AgentServiceAccount";

/** Arguments of {@link AgentServiceAccount}. */
export interface AgentServiceAccountArgs {
    /**
     * The agent, as the registry defines it (`readRegistryFile(...).agents[i]`). Plain data on
     * purpose: its documents are generated and checked before any resource is created.
     */
    readonly agent: AgentDefinition;
    /** Cloudflare permission group name → id; when omitted they are looked up in the agent's account. */
    readonly cloudflarePermissionGroupIds?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Tags added to every AWS resource, besides the agent's own. */
    readonly tags?: Readonly<Record<string, string>>;
    /** The clock for the token's rolling expiry; defaults to now. */
    readonly now?: Date;
}

/** One agent's identities. */
export class AgentServiceAccount extends pulumi.ComponentResource {
    /** The agent id. */
    readonly agentId: string;
    /** The AWS identity, when the agent has AWS scopes. */
    readonly aws?: AwsAgentIdentity;
    /** The Cloudflare token, when the agent has Cloudflare scopes. */
    readonly cloudflare?: CloudflareAgentToken;
    /** ARN of the agent's AWS role (undefined without AWS scopes). */
    readonly roleArn: pulumi.Output<string | undefined>;
    /** ARN of the agent's read-only role for its plan job (undefined without AWS scopes). */
    readonly planRoleArn: pulumi.Output<string | undefined>;
    /** The AWS account the agent's identity lives in: its own, or the platform's (undefined without AWS scopes). */
    readonly awsAccountId: pulumi.Output<string | undefined>;
    /** Name of the agent's monthly AWS Budget (undefined without AWS scopes). */
    readonly budgetName: pulumi.Output<string | undefined>;
    /** The Cloudflare token value, always a secret (undefined without Cloudflare scopes). */
    readonly tokenValue: pulumi.Output<string | undefined>;
    /** The Cloudflare token's id (undefined without Cloudflare scopes). */
    readonly tokenId: pulumi.Output<string | undefined>;
    /** The Cloudflare token's expiry (undefined without Cloudflare scopes). */
    readonly tokenExpiresOn: pulumi.Output<string | undefined>;

    constructor(name: string, args: AgentServiceAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        // The gate names these when an agent's run touches this identity (src/gate/access.ts).
        super(AGENT_SERVICE_ACCOUNT_TYPE, name, { agentId: args.agent?.id, sensitiveScopes: sensitiveScopesOf(args.agent) }, opts);
        const agent = checkedAgent(args.agent, this, args.now);
        this.agentId = agent.id;
        if (agent.aws) {
            this.aws = new AwsAgentIdentity(`${name}-aws`, { agent, tags: args.tags }, { parent: this });
        }
        if (agent.cloudflare) {
            this.cloudflare = new CloudflareAgentToken(
                `${name}-cloudflare`,
                { agent, permissionGroupIds: args.cloudflarePermissionGroupIds, now: args.now },
                { parent: this },
            );
        }
        const none = pulumi.output<string | undefined>(undefined);
        this.roleArn = this.aws ? this.aws.roleArn : none;
        this.planRoleArn = this.aws ? this.aws.planRoleArn : none;
        this.budgetName = this.aws ? this.aws.budgetName : none;
        this.awsAccountId = this.aws ? this.aws.accountId : none;
        this.tokenValue = this.cloudflare ? pulumi.secret(this.cloudflare.tokenValue) : none;
        this.tokenId = this.cloudflare ? this.cloudflare.tokenId : none;
        this.tokenExpiresOn = this.cloudflare ? this.cloudflare.expiresOn : none;
        this.registerOutputs({
            agentId: this.agentId,
            roleArn: this.roleArn,
            planRoleArn: this.planRoleArn,
            budgetName: this.budgetName,
            awsAccountId: this.awsAccountId,
            tokenValue: this.tokenValue,
            tokenId: this.tokenId,
            tokenExpiresOn: this.tokenExpiresOn,
        });
    }
}
