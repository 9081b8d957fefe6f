import { describe, expect, it } from "vitest";
import { resolveInitiator } from "../../src/gate/initiator";
import { config, custom, fakeEstimator, run, STACK } from "../fixtures";
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

    describe("with trustInitiatorEnv: false (the agent owns the environment)", () => {
        const untrusted = config({
            trustInitiatorEnv: false,
            unidentifiedInitiator: "human",
            defaultMonthlyBudgetUsd: 100,
            agents: { "big-bot": { monthlyBudgetUsd: 5000, providers: ["aws", "stripe"] } },
        });

        it("never lets AGENTGUARD_INITIATOR make a run human, even where unidentified runs count as human", () => {
            const r = resolveInitiator(run({ initiatorEnv: "human:carol", stackConfig: {} }), untrusted);
            expect(r.kind).toBe("unidentified");
            expect(r.kind === "unidentified" && r.reason).toContain("trustInitiatorEnv is false");
        });

        it("lets it name an agent, with no more than the defaults", async () => {
            expect(resolveInitiator(run({ initiatorEnv: "agent:big-bot" }), untrusted)).toEqual({ kind: "agent", id: "big-bot", source: "env-untrusted" });
            // A $200 instance is over the default budget of 100 though "big-bot" has 5000 of its own.
            const estimator = fakeEstimator({ "aws:ec2/instance:Instance": 200 });
            const d = await decide([custom("aws:ec2/instance:Instance", { instanceType: "m5.2xlarge" })], {
                config: untrusted,
                run: run({ initiatorEnv: "agent:big-bot" }),
                estimator,
            });
            expect(d.gates.filter((g) => g.need.gate === "spend" && !g.satisfied).length).toBeGreaterThan(0);
            const trusted = await decide([custom("aws:ec2/instance:Instance", { instanceType: "m5.2xlarge" })], {
                config: config({ ...untrusted, trustInitiatorEnv: true }),
                run: run({ initiatorEnv: "agent:big-bot" }),
                estimator,
            });
            expect(trusted.gates.filter((g) => g.need.gate === "spend" && !g.satisfied)).toEqual([]);
        });
    });
});
