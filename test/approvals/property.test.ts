import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readPresentedTokens } from "../../src/approvals/tokens";
import { verifyApprovals } from "../../src/approvals/verify";
import { GateConfig, GateConfigError, normalizeGateConfig } from "../../src/gate/config";
import { AGENT, Approver, NOW, STACK, approver, config, sign } from "../fixtures";

let alice: Approver;
let cfg: GateConfig;
let token: string;

beforeAll(async () => {
    alice = await approver("alice");
    cfg = config({ approvers: [alice.entry] });
    token = await sign(alice, { environments: ["production"], maxMonthlyUsd: 10 });
});

const ctx = () => ({ config: cfg, stack: STACK, agent: AGENT, now: NOW });

describe("properties", () => {
    it("a valid token verifies (the baseline the mutations break)", async () => {
        expect((await verifyApprovals(readPresentedTokens(token), ctx())).valid).toHaveLength(1);
    });

    it("any single-character change to a signed token makes it invalid", async () => {
        const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        await fc.assert(
            fc.asyncProperty(fc.nat(), fc.constantFrom(...alphabet.split("")), async (pos, ch) => {
                const i = pos % token.length;
                fc.pre(token[i] !== ch);
                const mutated = token.slice(0, i) + ch + token.slice(i + 1);
                const { valid, reports } = await verifyApprovals(readPresentedTokens(mutated), ctx());
                // Base64url has bits that do not matter in the last character of a segment; those
                // decode to the same bytes and are the only way a mutation may still verify.
                if (valid.length === 1) {
                    const seg = mutated.split(".");
                    const orig = token.split(".");
                    expect(seg.map((s) => Buffer.from(s, "base64url").toString("hex"))).toEqual(orig.map((s) => Buffer.from(s, "base64url").toString("hex")));
                } else {
                    expect(reports.every((r) => !r.valid && r.code !== undefined)).toBe(true);
                }
            }),
            { numRuns: 300 },
        );
    });

    it("random strings never verify and never throw", async () => {
        await fc.assert(
            fc.asyncProperty(fc.string({ maxLength: 400 }), async (s) => {
                const { valid } = await verifyApprovals(readPresentedTokens(s), ctx());
                expect(valid).toEqual([]);
            }),
            { numRuns: 300 },
        );
    });

    it("random JSON as the approvals config value never verifies and never throws", async () => {
        await fc.assert(
            fc.asyncProperty(fc.json({ maxDepth: 3 }), async (j) => {
                const { valid, reports } = await verifyApprovals(readPresentedTokens(j), ctx());
                expect(valid).toEqual([]);
                expect(reports.length).toBeLessThanOrEqual(Math.max(1, j.length));
            }),
            { numRuns: 300 },
        );
    });

    it("random three-part base64url tokens with alice's header never verify", async () => {
        const header = token.split(".")[0];
        await fc.assert(
            fc.asyncProperty(fc.base64String({ maxLength: 200 }), fc.base64String({ maxLength: 120 }), async (p, s) => {
                const t = `${header}.${p.replace(/=/g, "")}.${s.replace(/=/g, "")}`;
                expect((await verifyApprovals(readPresentedTokens(t), ctx())).valid).toEqual([]);
            }),
            { numRuns: 200 },
        );
    });

    it("random gate configs either normalize or throw GateConfigError, nothing else", () => {
        fc.assert(
            fc.property(fc.anything({ maxDepth: 3 }), (raw) => {
                try {
                    const c = normalizeGateConfig(raw);
                    expect(Array.isArray(c.approvers)).toBe(true);
                } catch (e) {
                    expect(e).toBeInstanceOf(GateConfigError);
                }
            }),
            { numRuns: 500 },
        );
        fc.assert(
            fc.property(
                fc.record({
                    approvers: fc.anything(),
                    agents: fc.anything(),
                    maxResources: fc.anything(),
                    productionStacks: fc.anything(),
                    unidentifiedInitiator: fc.anything(),
                }),
                (raw) => {
                    try {
                        normalizeGateConfig(raw);
                    } catch (e) {
                        expect(e).toBeInstanceOf(GateConfigError);
                    }
                },
            ),
            { numRuns: 500 },
        );
    });
});
