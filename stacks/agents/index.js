// The platform's agent registry stack: reads the registry (config "agents:registry", default
// agents.yaml next to this file) and creates one AgentServiceAccount per agent. See
// docs/stack-module.md.
//
// It imports agentguard's stack module as a package, `agentguard/identity` (package.json links
// this repository: `npm install` here after `npm run build` there).
"use strict";
const path = require("path");
const pulumi = require("@pulumi/pulumi");

let identity;
try {
    identity = require("agentguard/identity");
} catch (e) {
    if (e && e.code === "MODULE_NOT_FOUND" && /agentguard/.test(e.message)) {
        throw new pulumi.RunError('agentguard is not installed for this stack: run "npm run build" in the agentguard repository, then "npm install" here (package.json links it)');
    }
    throw e;
}
const aws = require("@pulumi/aws");

const config = new pulumi.Config("agents");
const registryFile = path.resolve(__dirname, config.get("registry") || "agents.yaml");

// Every registry problem is reported here, before any resource is registered.
let registry;
try {
    registry = identity.readRegistryFile(registryFile);
} catch (e) {
    if (e instanceof identity.RegistryError) {
        throw new pulumi.RunError(e.message);
    }
    throw e;
}

// Budgets filter on the user cost-allocation tag "agentguard:agent", which must be active in the
// account's billing settings. AWS only accepts activation once the tag has appeared in billing
// data (up to 24 hours after the first tagged resource): set agents:activateCostAllocationTag to
// false for the very first run if AWS says the tag key is unknown, then back to true.
if (config.getBoolean("activateCostAllocationTag") !== false) {
    new aws.costexplorer.CostAllocationTag("agent-cost-allocation-tag", { tagKey: identity.AGENT_TAG, status: "Active" });
}

const accounts = registry.agents.map((agent) => new identity.AgentServiceAccount(agent.id, { agent }));

const byAgent = (pick) => Object.fromEntries(accounts.map((a) => [a.agentId, pick(a)]));

/** Write-role ARN per agent, for its apply job (assume it with --source-identity <agent id>). */
exports.roleArns = byAgent((a) => a.roleArn);
/** Read-only role ARN per agent, for its plan job. */
exports.planRoleArns = byAgent((a) => a.planRoleArn);
/** The AWS account each agent's identity lives in (its own for production agents). */
exports.awsAccountIds = byAgent((a) => a.awsAccountId);
/** Monthly AWS Budget per agent (with the hard-cap budget action). */
exports.budgetNames = byAgent((a) => a.budgetName);
/** Cloudflare token id and expiry per agent (safe to show). */
exports.cloudflareTokenIds = byAgent((a) => a.tokenId);
exports.cloudflareTokenExpiry = byAgent((a) => a.tokenExpiresOn);
/** Cloudflare token values: secret; read one with `pulumi stack output cloudflareTokens --show-secrets`. */
exports.cloudflareTokens = pulumi.secret(byAgent((a) => a.tokenValue));
