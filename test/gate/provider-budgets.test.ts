/**
 * Per-provider monthly caps: `agents[id].providerBudgetsUsd` and
 * `defaultProviderMonthlyBudgetUsd` raise a stack-level spend item naming the provider package.
 */
import { describe, expect, it } from "vitest";
import { agentProfile, providerCapUsd } from "../../src/gate/config";
import { denialMessage } from "../../src/gate/message";
import { approver, config, custom, fakeEstimator, run, sign, STACK } from "../fixtures";
import { decide, gatesOf } from "./helpers";

const prices = fakeEstimator({ "aws:ec2/instance:Instance": 40, "cloudflare:index/workersScript:WorkersScript": 30 });
const vm = (name: string) => custom("aws:ec2/instance:Instance", {}, { name });
const worker = (name: string) => custom("cloudflare:index/workersScript:WorkersScript", {}, { name });
const fromCi = run({ initiatorEnv: "agent:deploy-bot" });

describe("per-provider caps", () => {
    it("are off by default: only the total budget counts", async () => {
        const d = await decide([worker("a"), worker("b")], { estimator: prices, run: fromCi });
        expect(d.decision).toBe("allow");
    });

    it("raise a spend item naming the provider when its spend is over the agent's cap", async () => {
        const cfg = config({ agents: { "deploy-bot": { providerBudgetsUsd: { cloudflare: 50 } } } });
        const d = await decide([worker("a"), worker("b"), vm("v")], { estimator: prices, config: cfg, run: fromCi });
        // $100 in all is within the $100 budget: only the cloudflare cap is exceeded.
        expect(gatesOf(d)).toEqual(["spend:2:denied"]);
        const item = d.gates.find((g) => g.need.gate === "spend" && "provider" in g.need && g.need.provider !== undefined)!;
        expect(item).toMatchObject({ level: "stack", need: { kind: "total", amountUsd: 60, provider: "cloudflare" } });
        expect(item.observed).toBe('agent "deploy-bot" would spend ~$60.00/month on provider "cloudflare" in this stack, over its $50.00 cap for "cloudflare" (agents["deploy-bot"].providerBudgetsUsd)');
        const text = denialMessage(item, { stack: STACK, agent: "deploy-bot", approvals: { reports: [], valid: [] } });
        expect(text).toContain("--max-monthly-usd 60");
    });

    it("leave providers without a cap alone when the agent has its own map", async () => {
        const cfg = config({ defaultProviderMonthlyBudgetUsd: 10, agents: { "deploy-bot": { monthlyBudgetUsd: 1000, providerBudgetsUsd: { cloudflare: 100 } } } });
        expect((await decide([vm("a"), vm("b"), worker("w")], { estimator: prices, config: cfg, run: fromCi })).decision).toBe("allow");
    });

    it("apply defaultProviderMonthlyBudgetUsd to every provider of an agent without its own map", async () => {
        const cfg = config({ defaultProviderMonthlyBudgetUsd: 35 });
        const d = await decide([vm("a"), worker("w")], { estimator: prices, config: cfg, run: fromCi });
        expect(d.gates.map((g) => (g.need.gate === "spend" && "provider" in g.need ? g.need.provider : g.need.gate))).toEqual(["aws"]);
    });

    it("give an agent not named by CI no more than the default cap", () => {
        const cfg = config({ defaultProviderMonthlyBudgetUsd: 20, agents: { "deploy-bot": { providerBudgetsUsd: { cloudflare: 500 } } } });
        expect(providerCapUsd(agentProfile(cfg, "deploy-bot", true), "cloudflare")).toBe(500);
        expect(providerCapUsd(agentProfile(cfg, "deploy-bot", true), "aws")).toBeUndefined();
        expect(providerCapUsd(agentProfile(cfg, "deploy-bot", false), "cloudflare")).toBe(20);
        expect(providerCapUsd(agentProfile(cfg, "deploy-bot", false), "aws")).toBe(20);
        expect(providerCapUsd(agentProfile(config({ agents: { x: { providerBudgetsUsd: { aws: 5 } } } }), "x", false), "aws")).toBe(5);
        // A package named like an Object prototype key is not a cap.
        expect(providerCapUsd(agentProfile(cfg, "deploy-bot", true), "constructor")).toBeUndefined();
    });

    it("are covered by two approvals with maxMonthlyUsd at or above the provider's amount", async () => {
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry], agents: { "deploy-bot": { providerBudgetsUsd: { cloudflare: 50 } } } });
        const r = run({ initiatorEnv: "agent:deploy-bot" });
        const enough = [await sign(alice, { maxMonthlyUsd: 60 }), await sign(bob, { maxMonthlyUsd: 60 })];
        const short = [await sign(alice, { maxMonthlyUsd: 59 }), await sign(bob, { maxMonthlyUsd: 60 })];
        expect((await decide([worker("a"), worker("b")], { estimator: prices, config: cfg, run: r, tokens: enough })).decision).toBe("allow");
        expect((await decide([worker("a"), worker("b")], { estimator: prices, config: cfg, run: r, tokens: short })).decision).toBe("deny");
    });
});
