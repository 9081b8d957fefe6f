import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../tmp";
import { configCommand } from "../../src/cli/config";
import { normalizeGateConfig } from "../../src/gate/config";

const SHIPPED = path.resolve(__dirname, "../../stacks/agents/agents.yaml");
const X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

async function run(...argv: string[]) {
    const out = { stdout: "", stderr: "" };
    const code = await configCommand(argv, { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) });
    return { code, ...out };
}

function dir(): string {
    return tempDir("agentguard-config-");
}

describe("agentguard config", () => {
    it("generates the gate's agents config from the shipped registry", async () => {
        const r = await run("--registry", SHIPPED);
        expect(r.code).toBe(0);
        const config = JSON.parse(r.stdout);
        expect(config).toEqual({
            "agent-change-gate": {
                agents: {
                    "deploy-bot": { monthlyBudgetUsd: 100, providers: ["aws", "cloudflare"], owners: ["alice@example.com"] },
                    "research-bot": { monthlyBudgetUsd: 20, providers: ["aws", "cloudflare"], owners: ["bob@example.com"] },
                },
            },
        });
        // The gate accepts it as is.
        expect(normalizeGateConfig(config["agent-change-gate"]).agents["research-bot"].monthlyBudgetUsd).toBe(20);
        // The registry's owner never counts as the agent's approver (docs/contract.md §2).
        expect(normalizeGateConfig(config["agent-change-gate"]).agents["deploy-bot"].owners).toEqual(["alice@example.com"]);
    });

    it("keeps the rest of an existing config, replaces agents, and adds approvers from keygen output", async () => {
        const d = dir();
        const base = path.join(d, "base.json");
        writeFileSync(
            base,
            JSON.stringify({
                "agent-change-gate": { productionStacks: ["prod"], agents: { "retired-bot": { monthlyBudgetUsd: 5 } }, approvers: [] },
                "agent-identity-hygiene": { maxTokenTtlDays: 90 },
            }),
        );
        const approvers = path.join(d, "approvers.jsonl");
        writeFileSync(approvers, [JSON.stringify({ id: "alice", kid: "alice", publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: X } }), JSON.stringify({ id: "bob", publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: X.replace("1", "2") } })].join("\n"));
        const out = path.join(d, "policy-config.json");
        const r = await run("--registry", SHIPPED, "--base", base, "--approvers", approvers, "--out", out);
        expect(r.code).toBe(0);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain(`written to ${out}`);
        const config = JSON.parse(readFileSync(out, "utf8"));
        expect(config["agent-identity-hygiene"]).toEqual({ maxTokenTtlDays: 90 });
        expect(config["agent-change-gate"].productionStacks).toEqual(["prod"]);
        expect(Object.keys(config["agent-change-gate"].agents)).toEqual(["deploy-bot", "research-bot"]);
        expect(config["agent-change-gate"].approvers.map((a: { id: string }) => a.id)).toEqual(["alice", "bob"]);
    });

    it("keeps the base's approvers when none are given", async () => {
        const d = dir();
        const base = path.join(d, "base.json");
        const alice = { id: "alice", kid: "alice", publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: X } };
        writeFileSync(base, JSON.stringify({ "agent-change-gate": { approvers: [alice] } }));
        const r = await run("--registry", SHIPPED, "--base", base);
        expect(JSON.parse(r.stdout)["agent-change-gate"].approvers).toEqual([alice]);
    });

    it("fails with the registry's message, naming agent and field, and prints no config", async () => {
        const d = dir();
        const registry = path.join(d, "agents.yaml");
        writeFileSync(registry, "agents:\n  - id: cheap-bot\n    owner: carol@example.com\n    purpose: test\n    environments: [dev]\n    monthlyBudgetUsd: 0\n");
        const r = await run("--registry", registry);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toBe(`agentguard config: agent "cheap-bot": field "monthlyBudgetUsd" is 0; it must be more than 0\n`);
    });

    it("refuses approvers the gate would reject", async () => {
        const d = dir();
        const approvers = path.join(d, "approvers.json");
        writeFileSync(approvers, JSON.stringify([{ id: "mallory", publicKeyJwk: { kty: "RSA" } }]));
        const r = await run("--registry", SHIPPED, "--approvers", approvers);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/the generated "agent-change-gate" config is invalid: "approvers\[0\].publicKeyJwk" needs "crv"/);
    });

    it("needs --registry", async () => {
        await expect(run()).rejects.toThrow("--registry is required");
    });
});
