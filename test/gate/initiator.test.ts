import { describe, expect, it } from "vitest";
import { resolveInitiator } from "../../src/gate/initiator";
import { config, custom, run, STACK } from "../fixtures";
import { decide } from "./helpers";

describe("initiator", () => {
    const noAgent = run({ stackConfig: {} });

    it("takes AGENTGUARD_INITIATOR first", () => {
        expect(resolveInitiator(run({ initiatorEnv: "human:carol" }), config())).toEqual({ kind: "human", id: "carol", source: "env" });
        expect(resolveInitiator(run({ initiatorEnv: "agent:ci-bot" }), config())).toEqual({ kind: "agent", id: "ci-bot", source: "env" });
    });

    it("falls back to stack config agentguard:agent", () => {
        expect(resolveInitiator(run(), config())).toEqual({ kind: "agent", id: "deploy-bot", source: "stack-config" });
    });

    it("rejects an unidentified run by default, or treats it as human when configured", () => {
        expect(resolveInitiator(noAgent, config()).kind).toBe("unidentified");
        expect(resolveInitiator(noAgent, config({ unidentifiedInitiator: "human" })).kind).toBe("human");
    });

    it.each(["agent:", "robot:x", "agent", "agent:has space", "human:" + "x".repeat(200), " "])("counts a malformed AGENTGUARD_INITIATOR %j as unidentified", (v) => {
        expect(resolveInitiator(run({ initiatorEnv: v }), config()).kind).toBe("unidentified");
        // Even where unidentified runs count as human, a malformed value is rejected.
        expect(resolveInitiator(run({ initiatorEnv: v }), config({ unidentifiedInitiator: "human" })).kind).toBe("unidentified");
    });

    it("does not let an env claim of human be overridden by stack config", () => {
        expect(resolveInitiator(run({ initiatorEnv: "human:carol", stackConfig: { "agentguard:agent": "x" } }), config()).kind).toBe("human");
    });

    it("lets human runs through untouched and denies unidentified ones", async () => {
        const prod = { ...STACK, stack: "prod" };
        expect((await decide([custom("aws:iam/role:Role")], { run: run({ stack: prod, initiatorEnv: "human:carol" }) })).decision).toBe("allow");
        const d = await decide([custom("aws:s3/bucket:Bucket")], { run: run({ stackConfig: {} }) });
        expect(d.decision).toBe("deny");
        expect(d.errors[0]).toContain("AGENTGUARD_INITIATOR");
    });
});
