/**
 * `agentguard instructions`: golden output per format, and no drift — every figure of the policy
 * config the gate judges an agent by shows in the text, so changing it changes the text.
 */
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { agentInstructions, instructionsCommand } from "../../src/cli/instructions";
import { main } from "../../src/cli/main";
import { DEFAULT_GATE_CONFIG, normalizeGateConfig } from "../../src/gate/config";
import { parseRegistry } from "../../src/identity/registry";

const GOLDEN = path.join(__dirname, "golden");
const REGISTRY = path.resolve(__dirname, "../../stacks/agents/agents.yaml");
const X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

const BASE = {
    approvers: [
        { id: "alice", publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: X } },
        { id: "bob", gates: ["environment", "provider"], publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: X.replace("1", "2") } },
    ],
    agents: { "deploy-bot": { monthlyBudgetUsd: 250, providers: ["aws", "cloudflare"], providerBudgetsUsd: { cloudflare: 40 }, owners: ["carol"] } },
    defaultProviderMonthlyBudgetUsd: 60,
    productionAwsAccountIds: ["111122223333"],
};

function render(raw: Record<string, unknown>, format: "markdown" | "text" = "markdown"): string {
    return agentInstructions(normalizeGateConfig(raw), "deploy-bot", { format });
}

function io() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (s: string) => (out.stdout += s), stderr: (s: string) => (out.stderr += s) } };
}

function golden(name: string, text: string): void {
    const file = path.join(GOLDEN, name);
    if (process.env.UPDATE_GOLDEN === "1") {
        writeFileSync(file, text);
    }
    expect(text).toBe(readFileSync(file, "utf8"));
}

describe("agentguard instructions", () => {
    const registryAgent = parseRegistry(readFileSync(REGISTRY, "utf8")).agents.find((a) => a.id === "deploy-bot");

    it("matches the golden markdown", () => {
        golden("instructions.md", agentInstructions(normalizeGateConfig(BASE), "deploy-bot", { format: "markdown", registry: registryAgent }));
    });

    it("matches the golden plain text, which carries no markdown", () => {
        const text = agentInstructions(normalizeGateConfig(BASE), "deploy-bot", { format: "text", registry: registryAgent });
        golden("instructions.txt", text);
        expect(text).not.toMatch(/`|^#|^- /m);
    });

    it("says the rules a careless agent would otherwise break", () => {
        const text = render(BASE);
        expect(text).toContain("Show the denial to a human");
        expect(text).toContain("no retry under another agent name");
        expect(text).toContain("no edits to stack config `agentguard:approvals`");
        expect(text).toContain("no run without the policy pack");
        expect(text).toContain('agentguard approve --key "$AGENTGUARD_KEY" --stack <organization>/<project>/<stack> --agent deploy-bot');
        expect(text).toContain("applies to each stack on its own");
    });

    // Every key of the gate config: how to change it, or why the agent's rules do not depend on it.
    const NOT_IN_INSTRUCTIONS: Record<string, string> = {
        revoked: "which tokens are revoked is for approvers, not for the agent's rules",
        clockSkewSeconds: "a tolerance of the token check, not a rule",
    };
    const MUTATIONS: Record<string, Record<string, unknown>[]> = {
        approvers: [{ approvers: [BASE.approvers[0]] }, { approvers: [BASE.approvers[0], { ...BASE.approvers[1], gates: ["environment"] }] }],
        agents: [
            { agents: { "deploy-bot": { ...BASE.agents["deploy-bot"], monthlyBudgetUsd: 251 } } },
            { agents: { "deploy-bot": { ...BASE.agents["deploy-bot"], monthlyBudgetUsd: 250.5 } } },
            { agents: { "deploy-bot": { ...BASE.agents["deploy-bot"], providers: ["aws"] } } },
            { agents: { "deploy-bot": { ...BASE.agents["deploy-bot"], providerBudgetsUsd: { cloudflare: 41 } } } },
            { agents: { "deploy-bot": { ...BASE.agents["deploy-bot"], providerBudgetsUsd: { cloudflare: 40, aws: 90 } } } },
            { agents: { "deploy-bot": { ...BASE.agents["deploy-bot"], owners: ["dave"] } } },
        ],
        defaultProviderMonthlyBudgetUsd: [{ defaultProviderMonthlyBudgetUsd: 61 }, { defaultProviderMonthlyBudgetUsd: undefined }],
        detectedAgents: [{ detectedAgents: { claude: "deploy-bot" } }],
        trustHumanWithAgentMarkers: [{ trustHumanWithAgentMarkers: true }],
        trustInitiatorEnv: [{ trustInitiatorEnv: false }],
        defaultMonthlyBudgetUsd: [{ defaultMonthlyBudgetUsd: 99 }],
        allowedProviders: [{ allowedProviders: ["aws", "random"] }],
        productionStacks: [{ productionStacks: ["prod"] }],
        stagingStacks: [{ stagingStacks: ["staging"] }],
        developmentStacks: [{ developmentStacks: ["dev"] }],
        unlistedStacks: [{ unlistedStacks: "development" }, { unlistedStacks: "production" }],
        productionAwsAccountIds: [{ productionAwsAccountIds: ["111122223334"] }],
        productionCloudflareAccountIds: [{ productionCloudflareAccountIds: ["b67e14daa5f8dceeb91fe5449ba496eb"] }],
        productionCloudflareZoneIds: [{ productionCloudflareZoneIds: ["023e105f4ecef8ad9ca31a8372d0c353"] }],
        productionAwsHostedZoneIds: [{ productionAwsHostedZoneIds: ["Z123456ABCDEFG"] }],
        maxResources: [{ maxResources: 201 }],
        maxApprovalTtlSeconds: [{ maxApprovalTtlSeconds: 3600 }, { maxApprovalTtlSeconds: 86399 }],
        unidentifiedInitiator: [{ unidentifiedInitiator: "human" }],
    };

    it("has a mutation or a reason for every key of the gate config", () => {
        const keys = new Set([...Object.keys(DEFAULT_GATE_CONFIG), "defaultProviderMonthlyBudgetUsd"]);
        expect([...keys].filter((k) => !(k in MUTATIONS) && !(k in NOT_IN_INSTRUCTIONS))).toEqual([]);
    });

    const cases = Object.entries(MUTATIONS).flatMap(([key, list]) => list.map((m, i) => [`${key} #${i + 1}`, m] as const));
    it.each(cases)("changes when %s changes", (_name, mutation) => {
        const changed = { ...BASE, ...mutation };
        for (const format of ["markdown", "text"] as const) {
            expect(render(changed, format)).not.toBe(render(BASE, format));
        }
    });

    it("runs as a command, reading the policy config file and the registry", async () => {
        const d = mkdtempSync(path.join(tmpdir(), "agentguard-instr-"));
        const file = path.join(d, "policy-config.json");
        writeFileSync(file, JSON.stringify({ "agent-change-gate": BASE }));
        const ok = io();
        expect(await main(["instructions", "--policy-config", file, "--agent", "deploy-bot", "--registry", REGISTRY, "--format", "text"], ok.io)).toBe(0);
        expect(ok.out.stdout).toBe(readFileSync(path.join(GOLDEN, "instructions.txt"), "utf8"));
        const unknown = io();
        expect(await instructionsCommand(["--policy-config", file, "--agent", "ghost-bot", "--registry", REGISTRY], unknown.io)).toBe(1);
        expect(unknown.out.stderr).toContain('"ghost-bot" is not in the registry');
        const bad = io();
        expect(await main(["instructions", "--policy-config", file, "--agent", "deploy-bot", "--format", "html"], bad.io)).toBe(2);
        const noAgent = io();
        expect(await main(["instructions", "--policy-config", file], noAgent.io)).toBe(2);
    });
});
