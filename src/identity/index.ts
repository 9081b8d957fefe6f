/**
 * The agentguard stack module: one identity per declared agent. Import it from a Pulumi program
 * (it loads `@pulumi/aws` and `@pulumi/cloudflare`); the registry and document functions are also
 * importable on their own from `./registry` and `./documents`, which do not load Pulumi.
 *
 * ```ts
 * const registry = readRegistryFile("agents.yaml");
 * for (const agent of registry.agents) {
 *     new AgentServiceAccount(agent.id, { agent });
 * }
 * ```
 */
export { AgentServiceAccount, AGENT_SERVICE_ACCOUNT_TYPE } from "./account";
export type { AgentServiceAccountArgs } from "./account";
export { AwsAgentIdentity, AWS_AGENT_IDENTITY_TYPE } from "./aws";
export type { AwsAgentIdentityArgs } from "./aws";
export { CloudflareAgentToken, CLOUDFLARE_AGENT_TOKEN_TYPE, permissionGroupId } from "./cloudflare";
export type { CloudflareAgentTokenArgs, PermissionGroupInfo } from "./cloudflare";
export * from "./registry";
export * from "./documents";
export * from "./catalogue";
