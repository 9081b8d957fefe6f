/**
 * The registry carries per-provider caps to the gate through `agentguard config`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { configCommand } from "../../src/cli/config";
import { normalizeGateConfig } from "../../src/gate/config";
import { RegistryError, gateAgents, parseRegistry } from "../../src/identity/registry";

const SHIPPED = path.resolve(__dirname, "../../stacks/agents/agents.yaml");

function registryWith(providerBudgetsUsd: unknown): string {
    const doc = parseRegistryDoc();
    (doc.agents as Record<string, unknown>[])[0].providerBudgetsUsd = providerBudgetsUsd;
    return stringify(doc);
}

function parseRegistryDoc(): Record<string, unknown> {
    // The shipped registry, as data, so these tests follow it.
    return parse(readFileSync(SHIPPED, "utf8")) as Record<string, unknown>;
}

describe("registry providerBudgetsUsd", () => {
    it("is carried into the gate's agents config", () => {
        const reg = parseRegistry(registryWith({ cloudflare: 25, aws: 80 }));
        expect(gateAgents(reg)["deploy-bot"]).toMatchObject({ providerBudgetsUsd: { cloudflare: 25, aws: 80 } });
        expect(gateAgents(reg)["research-bot"].providerBudgetsUsd).toBeUndefined();
    });

    it.each([[{ cloudflare: -1 }], [{ cloudflare: "50" }], [{ "Not A Package": 5 }], [[50]]])("rejects %j", (bad) => {
        expect(() => parseRegistry(registryWith(bad))).toThrow(RegistryError);
    });

    it("reaches the policy config through agentguard config, beside a defaultProviderMonthlyBudgetUsd kept from --base", async () => {
        const d = mkdtempSync(path.join(tmpdir(), "agentguard-pb-"));
        const reg = path.join(d, "agents.yaml");
        writeFileSync(reg, registryWith({ cloudflare: 25 }));
        const base = path.join(d, "base.json");
        writeFileSync(base, JSON.stringify({ "agent-change-gate": { defaultProviderMonthlyBudgetUsd: 40 } }));
        let stdout = "";
        const code = await configCommand(["--registry", reg, "--base", base], { stdout: (s) => (stdout += s), stderr: () => undefined });
        expect(code).toBe(0);
        const gate = normalizeGateConfig(JSON.parse(stdout)["agent-change-gate"]);
        expect(gate.agents["deploy-bot"].providerBudgetsUsd).toEqual({ cloudflare: 25 });
        expect(gate.defaultProviderMonthlyBudgetUsd).toBe(40);
    });
});
