/**
 * `CloudflareAgentToken`: an agent's account-owned Cloudflare API token with only the permission
 * groups its scopes name, on its listed zones (or its own account), an IP allowlist when given,
 * and always an expiry. The token value leaves the component only as a secret.
 */
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { checkedAgent } from "./aws";
import { CLOUDFLARE_GROUPS, CloudflareGroupKind } from "./catalogue";
import { cloudflarePolicies, tokenExpiry, tokenName } from "./documents";
import { AgentDefinition } from "./registry";

/** The type token of {@link CloudflareAgentToken}. */
export const CLOUDFLARE_AGENT_TOKEN_TYPE = "agentguard:index:CloudflareAgentToken";

/** Arguments of {@link CloudflareAgentToken}. */
export interface CloudflareAgentTokenArgs {
    /**
     * The agent, as the registry defines it, with a `cloudflare` section. Plain data on purpose:
     * its scopes are checked before any resource is created.
     */
    readonly agent: AgentDefinition;
    /**
     * Permission group name → id. When omitted, the ids are looked up in the agent's account
     * (`getAccountApiTokenPermissionGroupsList`), which needs a provider token that may read them.
     */
    readonly permissionGroupIds?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** The clock for the rolling expiry; defaults to now. */
    readonly now?: Date;
}

/** A permission group as the lookup returns it. */
export interface PermissionGroupInfo {
    readonly id: string;
    readonly name: string;
    readonly scopes?: readonly string[];
}

const SCOPE_KEY: Record<Exclude<CloudflareGroupKind, "user">, string> = {
    zone: "com.cloudflare.api.account.zone",
    account: "com.cloudflare.api.account",
};

/**
 * Picks a group's id by name from the account's list. Cloudflare has groups of the same name at
 * zone and account level, so the group's kind must match too. Returns undefined when absent.
 */
export function permissionGroupId(groups: readonly PermissionGroupInfo[], name: string): string | undefined {
    const kind = CLOUDFLARE_GROUPS[name]?.kind;
    const scope = kind && kind !== "user" ? SCOPE_KEY[kind] : undefined;
    const byName = groups.filter((g) => g.name === name);
    const exact = byName.find((g) => scope !== undefined && (g.scopes ?? []).includes(scope));
    return (exact ?? (byName.length === 1 ? byName[0] : undefined))?.id;
}

/** An agent's account-owned Cloudflare API token. */
export class CloudflareAgentToken extends pulumi.ComponentResource {
    /** The token's id (safe to log). */
    readonly tokenId: pulumi.Output<string>;
    /** The token's name, `agentguard-<agent id>`. */
    readonly tokenName: pulumi.Output<string>;
    /** The token value, always a secret. */
    readonly tokenValue: pulumi.Output<string>;
    /** When the token stops working (RFC 3339). */
    readonly expiresOn: pulumi.Output<string>;

    constructor(name: string, args: CloudflareAgentTokenArgs, opts?: pulumi.ComponentResourceOptions) {
        super(CLOUDFLARE_AGENT_TOKEN_TYPE, name, {}, opts);
        const agent = checkedAgent(args.agent, this, args.now);
        const cf = agent.cloudflare;
        if (!cf) {
            throw new pulumi.ResourceError(`agent "${agent.id}": field "cloudflare" is required for a Cloudflare token`, this);
        }
        const specs = cloudflarePolicies(cf);
        const ids: pulumi.Output<Record<string, string>> = args.permissionGroupIds
            ? (pulumi.output(args.permissionGroupIds) as pulumi.Output<Record<string, string>>)
            : cloudflare.getAccountApiTokenPermissionGroupsListOutput({ accountId: cf.accountId }, { parent: this }).results.apply((groups) => {
                  const out: Record<string, string> = {};
                  for (const n of new Set(specs.flatMap((s) => s.permissionGroups))) {
                      const id = permissionGroupId(groups, n);
                      if (id !== undefined) {
                          out[n] = id;
                      }
                  }
                  return out;
              });
        const policies = ids.apply((map) =>
            specs.map((s) => ({
                effect: s.effect,
                permissionGroups: s.permissionGroups.map((n) => {
                    const id = map[n];
                    if (typeof id !== "string" || id === "") {
                        throw new pulumi.ResourceError(`agent "${agent.id}": field "cloudflare.scopes" names the permission group "${n}", which account "${cf.accountId}" does not have`, this);
                    }
                    return { id };
                }),
                resources: JSON.stringify(s.resources),
            })),
        );
        const expiresOn = tokenExpiry(cf, args.now ?? new Date());
        const token = new cloudflare.AccountToken(
            `${name}-token`,
            {
                accountId: cf.accountId,
                name: tokenName(agent.id),
                policies,
                expiresOn,
                ...(cf.ipAllowlist ? { condition: { requestIp: { ins: [...cf.ipAllowlist] } } } : {}),
            },
            { parent: this, additionalSecretOutputs: ["value"] },
        );

        this.tokenId = token.id;
        this.tokenName = token.name;
        this.tokenValue = pulumi.secret(token.value);
        this.expiresOn = pulumi.output(expiresOn);
        this.registerOutputs({ tokenId: this.tokenId, tokenName: this.tokenName, tokenValue: this.tokenValue, expiresOn: this.expiresOn });
    }
}
