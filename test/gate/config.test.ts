import { describe, expect, it } from "vitest";
import { DEFAULT_GATE_CONFIG, GateConfigError, gateConfigSchema, normalizeGateConfig } from "../../src/gate/config";
import { approver } from "../fixtures";

describe("gate config", () => {
    it("applies the contract's defaults", () => {
        expect(normalizeGateConfig({})).toEqual({ ...DEFAULT_GATE_CONFIG, approvers: [], agents: {} });
        expect(normalizeGateConfig(undefined).maxResources).toBe(200);
    });

    it("declares the same defaults in its JSON schema", () => {
        for (const [key, value] of Object.entries(DEFAULT_GATE_CONFIG)) {
            expect((gateConfigSchema.properties as unknown as Record<string, { default: unknown }>)[key].default, key).toEqual(value);
        }
    });

    it("defaults kid to id", async () => {
        const a = await approver("alice");
        expect(normalizeGateConfig({ approvers: [{ id: "alice", publicKeyJwk: a.entry.publicKeyJwk }] }).approvers[0].kid).toBe("alice");
    });

    it.each([
        [{ approvers: [{ id: "x", publicKeyJwk: { kty: "RSA", n: "1" } }] }, "publicKeyJwk"],
        [{ approvers: {} }, "approvers"],
        [{ maxResources: -1 }, "maxResources"],
        [{ maxApprovalTtlSeconds: 1.5 }, "maxApprovalTtlSeconds"],
        [{ agents: { bot: { monthlyBudgetUsd: "lots" } } }, "agents.bot.monthlyBudgetUsd"],
        [{ productionStacks: "prod" }, "productionStacks"],
        [{ unidentifiedInitiator: "allow" }, "unidentifiedInitiator"],
    ])("names the broken field: %j", (raw, field) => {
        expect(() => normalizeGateConfig(raw)).toThrow(GateConfigError);
        expect(() => normalizeGateConfig(raw)).toThrow(field);
    });

    it("refuses two approvers sharing a key id or one key", async () => {
        const a = await approver("alice");
        const b = await approver("bob");
        expect(() => normalizeGateConfig({ approvers: [a.entry, { ...b.entry, kid: "alice" }] })).toThrow('share the key id "alice"');
        expect(() => normalizeGateConfig({ approvers: [a.entry, { id: "mallory", publicKeyJwk: a.entry.publicKeyJwk }] })).toThrow("share one public key");
        // The same person under two key ids (rotation) is fine and still counts once.
        expect(normalizeGateConfig({ approvers: [a.entry, { ...b.entry, id: "alice", kid: "alice-2" }] }).approvers).toHaveLength(2);
    });
});
