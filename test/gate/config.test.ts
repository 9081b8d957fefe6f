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
            expect((gateConfigSchema.properties as Record<string, { default?: unknown }>)[key].default, key).toEqual(value);
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

    it.each([
        [{ productionAwsAcountIds: ["123456789012"] }, '"productionAwsAcountIds"; did you mean "productionAwsAccountIds"?'],
        [{ maxResource: 5 }, 'did you mean "maxResources"?'],
        [{ agents: { bot: { monthlyBudget: 5 } } }, '"agents.bot" has unknown key "monthlyBudget"; did you mean "monthlyBudgetUsd"?'],
        [{ revoked: { jti: [] } }, 'did you mean "jtis"?'],
        [{ wholly: 1 }, "allowed: approvers, revoked"],
    ])("refuses unknown keys at every level, with a guess: %j", (raw, text) => {
        expect(() => normalizeGateConfig(raw)).toThrow(GateConfigError);
        expect(() => normalizeGateConfig(raw)).toThrow(text);
    });

    it("accepts the enforcementLevel every policy config may carry", () => {
        expect(normalizeGateConfig({ enforcementLevel: "mandatory" }).maxResources).toBe(200);
    });

    it("says so when an approver entry holds a private key", async () => {
        const a = await approver("alice");
        expect(() => normalizeGateConfig({ approvers: [{ id: "alice", publicKeyJwk: { ...a.entry.publicKeyJwk, d: "secret" } }] })).toThrow("holds a private key");
        expect(() => normalizeGateConfig({ approvers: [{ id: "alice", kid: "alice", privateKeyJwk: {} }] })).toThrow("agentguard keygen --public");
    });
});
