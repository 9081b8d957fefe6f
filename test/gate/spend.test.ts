import { describe, expect, it } from "vitest";
import { approver, config, custom, fakeEstimator, run, sign } from "../fixtures";
import { decide, gatesOf } from "./helpers";

const vm = (name: string) => custom("aws:ec2/instance:Instance", { instanceType: "m5.large" }, { name });

describe("spend gate", () => {
    const prices = fakeEstimator({ "aws:ec2/instance:Instance": 70.08 });

    it("allows a stack under the default $100 budget", async () => {
        const d = await decide([vm("a")], { estimator: prices });
        expect(d.decision).toBe("allow");
        expect(d.estimatedMonthlyUsd).toBe(70.08);
    });

    it("raises a stack-level item with the rounded-up total over budget", async () => {
        const d = await decide([vm("a"), vm("b")], { estimator: prices });
        expect(gatesOf(d)).toEqual(["spend:2:denied"]);
        expect(d.gates[0]).toMatchObject({ level: "stack", need: { gate: "spend", kind: "total", amountUsd: 141 } });
        expect(d.gates[0].resource).toBeUndefined();
    });

    it("uses the agent's own budget when CI names the agent, never more than the default when only stack config does", async () => {
        const cfg = config({ agents: { "deploy-bot": { monthlyBudgetUsd: 500 } } });
        const fromCi = run({ initiatorEnv: "agent:deploy-bot" });
        expect((await decide([vm("a"), vm("b")], { estimator: prices, config: cfg, run: fromCi })).decision).toBe("allow");
        // Self-named through stack config, an agent could claim a generous entry: capped at the default.
        expect((await decide([vm("a"), vm("b")], { estimator: prices, config: cfg })).decision).toBe("deny");
        const frugal = config({ agents: { "deploy-bot": { monthlyBudgetUsd: 10 } } });
        expect((await decide([vm("a")], { estimator: prices, config: frugal })).decision).toBe("deny");
        const tight = config({ defaultMonthlyBudgetUsd: 10 });
        expect((await decide([vm("a")], { estimator: prices, config: tight })).decision).toBe("deny");
    });

    it("is covered by two approvals with maxMonthlyUsd at or above the amount", async () => {
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry] });
        const enough = [await sign(alice, { maxMonthlyUsd: 141 }), await sign(bob, { maxMonthlyUsd: 500 })];
        const short = [await sign(alice, { maxMonthlyUsd: 140 }), await sign(bob, { maxMonthlyUsd: 500 })];
        expect((await decide([vm("a"), vm("b")], { estimator: prices, config: cfg, tokens: enough })).decision).toBe("allow");
        expect((await decide([vm("a"), vm("b")], { estimator: prices, config: cfg, tokens: short })).decision).toBe("deny");
    });

    it("raises a declared budget above the agent's budget, and an unknown one", async () => {
        const est = fakeEstimator({ "aws:budgets/budget:Budget": { budget: 5000 } });
        const d = await decide([custom("aws:budgets/budget:Budget")], { estimator: est });
        expect(d.gates[0]).toMatchObject({ level: "resource", need: { gate: "spend", kind: "budget", amountUsd: 5000 } });
        const low = fakeEstimator({ "aws:budgets/budget:Budget": { budget: 50 } });
        expect((await decide([custom("aws:budgets/budget:Budget")], { estimator: low })).decision).toBe("allow");
        const unknown = fakeEstimator({ "aws:budgets/budget:Budget": { budget: "unknown" } });
        expect((await decide([custom("aws:budgets/budget:Budget")], { estimator: unknown })).gates[0].need).toEqual({ gate: "spend", kind: "unknown-price" });
    });

    it("raises purchases, covered only by purchases: true", async () => {
        const est = fakeEstimator({ "aws:route53domains/registeredDomain:RegisteredDomain": { purchase: 'domain registration of "shop.io"', usd: 71 } });
        const dom = custom("aws:route53domains/registeredDomain:RegisteredDomain", { domainName: "shop.io" });
        const d = await decide([dom], { estimator: est });
        expect(gatesOf(d)).toEqual(["spend:2:denied"]);
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry] });
        const yes = [await sign(alice, { purchases: true }), await sign(bob, { purchases: true })];
        const money = [await sign(alice, { maxMonthlyUsd: 1e6 }), await sign(bob, { maxMonthlyUsd: 1e6 })];
        expect((await decide([dom], { estimator: est, config: cfg, tokens: yes })).decision).toBe("allow");
        expect((await decide([dom], { estimator: est, config: cfg, tokens: money })).decision).toBe("deny");
    });

    it("fails closed on a price unknown at preview: only tokens naming the URN with a ceiling cover it", async () => {
        const est = fakeEstimator({ "aws:ec2/instance:Instance": "unknown" });
        const r = vm("gpu");
        const d = await decide([r], { estimator: est });
        expect(d.gates[0]).toMatchObject({ resource: r.urn, need: { gate: "spend", kind: "unknown-price" }, satisfied: false });
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry] });
        const broad = [await sign(alice, { maxMonthlyUsd: 1e6 }), await sign(bob, { maxMonthlyUsd: 1e6 })];
        const named = [await sign(alice, { maxMonthlyUsd: 500, resources: [r.urn] }), await sign(bob, { maxMonthlyUsd: 500, resources: [r.urn] })];
        const noCeiling = [await sign(alice, { resources: [r.urn], purchases: true }), await sign(bob, { resources: [r.urn], purchases: true })];
        expect((await decide([r], { estimator: est, config: cfg, tokens: broad })).decision).toBe("deny");
        expect((await decide([r], { estimator: est, config: cfg, tokens: named })).decision).toBe("allow");
        expect((await decide([r], { estimator: est, config: cfg, tokens: noCeiling })).decision).toBe("deny");
    });

    it("never counts a chargeable type it cannot price as $0: it needs a token naming the resource with a ceiling", async () => {
        const est = fakeEstimator({ "aws:sagemaker/endpoint:Endpoint": "unpriced" });
        const r = custom("aws:sagemaker/endpoint:Endpoint", {}, { name: "llm" });
        const d = await decide([r], { estimator: est });
        expect(d.gates[0]).toMatchObject({ resource: r.urn, need: { gate: "spend", kind: "unknown-price" }, satisfied: false });
        expect(d.gates[0].observed).toContain("cannot estimate (no price model for aws:sagemaker/endpoint:Endpoint)");
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry] });
        const named = [await sign(alice, { maxMonthlyUsd: 5000, resources: [r.urn] }), await sign(bob, { maxMonthlyUsd: 5000, resources: [r.urn] })];
        expect((await decide([r], { estimator: est, config: cfg, tokens: named })).decision).toBe("allow");
    });
});
