/**
 * The pack reads coding-agent markers from the environment the engine starts it with, judges a
 * would-be human run as the detected agent's, and logs marker names, types and providers — and
 * the per-provider running total of an update stops the resource that pushes a provider over.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { EngineResource } from "../../src/pack/facts";
import { GateRun } from "../../src/pack/run";
import { NOW, fakeEstimator } from "../fixtures";

const env = (over: Record<string, string>) => ({
    PULUMI_NODEJS_STACK: "dev",
    PULUMI_NODEJS_PROJECT: "shop",
    PULUMI_NODEJS_ORGANIZATION: "organization",
    PULUMI_NODEJS_DRY_RUN: "true",
    PULUMI_CONFIG: "{}",
    ...over,
});

const worker = (i: number): EngineResource => ({
    type: "cloudflare:index/workersScript:WorkersScript",
    urn: `urn:pulumi:dev::shop::cloudflare:index/workersScript:WorkersScript::w${i}`,
    name: `w${i}`,
    props: {},
    provider: { type: "pulumi:providers:cloudflare", urn: "urn:pulumi:dev::shop::pulumi:providers:cloudflare::default", name: "default", props: {} },
});

const prices = fakeEstimator({ "cloudflare:index/workersScript:WorkersScript": 30 });

describe("GateRun with coding-agent markers", () => {
    it("judges a human's run with CURSOR_AGENT as cursor-cli-local's, and logs names only", async () => {
        const log = path.join(mkdtempSync(path.join(tmpdir(), "ag-")), "log.jsonl");
        const run = new GateRun(
            env({ AGENTGUARD_INITIATOR: "human:carol", CURSOR_AGENT: "secret-session-value", AGENTGUARD_DECISION_LOG: log }),
            prices,
            () => NOW,
        );
        const call = { getConfig: () => ({ defaultProviderMonthlyBudgetUsd: 50 }) };
        await run.onResource(worker(1), call);
        await run.onResource(worker(2), call);
        const messages = await run.onStack([worker(1), worker(2)], call);
        expect(messages.join("\n")).toContain('agent "cursor-cli-local" would spend ~$60.00/month on provider "cloudflare"');
        const line = readFileSync(log, "utf8");
        expect(line).not.toContain("secret-session-value");
        expect(JSON.parse(line)).toMatchObject({
            decision: "deny",
            project: "shop",
            initiator: { kind: "agent", id: "cursor-cli-local", source: "agent-markers", markers: ["CURSOR_AGENT"] },
            resourceTypes: ["cloudflare:index/workersScript:WorkersScript"],
            providers: ["cloudflare"],
        });
    });

    it("stops the resource that pushes a provider over its cap during an update", async () => {
        const run = new GateRun(env({ AGENTGUARD_INITIATOR: "agent:deploy-bot", PULUMI_NODEJS_DRY_RUN: "false" }), prices, () => NOW);
        const call = { getConfig: () => ({ agents: { "deploy-bot": { providerBudgetsUsd: { cloudflare: 50 } } } }) };
        expect(await run.onResource(worker(1), call)).toEqual([]);
        const second = await run.onResource(worker(2), call);
        expect(second.join("\n")).toContain('at least ~$60.00/month on provider "cloudflare"');
    });
});
