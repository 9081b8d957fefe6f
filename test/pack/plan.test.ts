/**
 * The pack at apply with AGENTGUARD_PLAN: plan-bound tokens count only for what the plan holds.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fileDigest, issueApproval } from "../../src/approvals/issue";
import { EngineResource } from "../../src/pack/facts";
import { GateRun } from "../../src/pack/run";
import { Approver, NOW, approver, fakeEstimator } from "../fixtures";

const STACK = { organization: "organization", project: "shop", stack: "prod" };
const PROVIDER = { type: "pulumi:providers:aws", urn: "urn:pulumi:prod::shop::pulumi:providers:aws::default", name: "default", props: {} };
const topic = (name: string, props: Record<string, unknown> = { name }): EngineResource => ({ type: "aws:sns/topic:Topic", urn: `urn:pulumi:prod::shop::aws:sns/topic:Topic::${name}`, name, props, provider: PROVIDER });
const planDoc = {
    manifest: { version: "v3.274.1" },
    resourcePlans: {
        [PROVIDER.urn]: { goal: { type: PROVIDER.type, name: "default", custom: true, inputDiff: {} }, steps: ["create"] },
        [topic("a").urn]: { goal: { type: "aws:sns/topic:Topic", name: "a", custom: true, provider: `${PROVIDER.urn}::id`, inputDiff: { adds: { name: "a" } } }, steps: ["create"] },
    },
};

let alice: Approver;
let bob: Approver;
let dir: string;
let planFile: string;
let tokens: string;
beforeAll(async () => {
    [alice, bob] = [await approver("alice"), await approver("bob")];
    dir = mkdtempSync(path.join(tmpdir(), "ag-plan-"));
    planFile = path.join(dir, "plan.json");
    writeFileSync(planFile, JSON.stringify(planDoc));
    const digest = fileDigest(Buffer.from(JSON.stringify(planDoc)));
    const t = await Promise.all(
        [alice, bob].map((a) => issueApproval({ keyFile: a.keyFile, key: a.key, stack: STACK, agent: "deploy-bot", scope: { environments: ["production"] }, ttlSeconds: 3600, now: NOW - 60, plan: digest })),
    );
    tokens = t.join(" ");
});

function gate(env: Record<string, string>) {
    return new GateRun(
        {
            PULUMI_NODEJS_STACK: "prod",
            PULUMI_NODEJS_PROJECT: "shop",
            PULUMI_NODEJS_ORGANIZATION: "organization",
            PULUMI_NODEJS_DRY_RUN: "false",
            PULUMI_CONFIG: JSON.stringify({ "agentguard:agent": "deploy-bot", "agentguard:approvals": tokens }),
            ...env,
        },
        fakeEstimator(),
        () => NOW,
    );
}
const call = () => ({ getConfig: () => ({ approvers: [alice.entry, bob.entry] }) });

describe("pack with AGENTGUARD_PLAN", () => {
    it("counts plan-bound tokens for a resource the plan creates with the same inputs, and the stack that matches it", async () => {
        const run = gate({ AGENTGUARD_PLAN: planFile });
        expect(await run.onResource(topic("a"), call())).toEqual([]);
        expect(await run.onStack([topic("a")], call())).toEqual([]);
    });

    it("does not count them for a resource the plan does not hold, or holds with other inputs", async () => {
        const run = gate({ AGENTGUARD_PLAN: planFile });
        const [extra] = await run.onResource(topic("b"), call());
        expect(extra).toContain('declares "urn:pulumi:prod::shop::aws:sns/topic:Topic::b" in production');
        expect(extra).toContain("approvals bound to the plan do not count");
        const changed = await gate({ AGENTGUARD_PLAN: planFile }).onResource(topic("a", { name: "other" }), call());
        expect(changed).toHaveLength(1);
    });

    it("does not count them without AGENTGUARD_PLAN, nor with another plan", async () => {
        // The topic's own item, and (an update judges running totals per resource) the production stack's.
        expect(await gate({}).onResource(topic("a"), call())).toHaveLength(2);
        const other = path.join(dir, "other.json");
        writeFileSync(other, JSON.stringify({ ...planDoc, config: { "shop:x": "1" } }));
        const [msg] = await gate({ AGENTGUARD_PLAN: other }).onResource(topic("a"), call());
        expect(msg).toContain("bound to a saved plan this run does not check or apply");
    });

    it("denies an agent's run when AGENTGUARD_PLAN is relative or unreadable; ignores it when trustInitiatorEnv is false", async () => {
        const [rel] = await gate({ AGENTGUARD_PLAN: "plan.json" }).onResource(topic("a"), call());
        expect(rel).toContain("must be an absolute path");
        const [missing] = await gate({ AGENTGUARD_PLAN: path.join(dir, "nope.json") }).onResource(topic("a"), call());
        expect(missing).toContain("cannot read");
        const untrusted = gate({ AGENTGUARD_PLAN: planFile });
        const [msg] = await untrusted.onResource(topic("a"), { getConfig: () => ({ approvers: [alice.entry, bob.entry], trustInitiatorEnv: false }) });
        expect(msg).toContain("this run applies no saved plan");
    });
});

describe("pack with AGENTGUARD_PLAN: the plan's deletes", () => {
    it("judges a planned delete of a production resource at the first resource: no apply without the destructive approvals", async () => {
        const withDelete = { ...planDoc, resourcePlans: { ...planDoc.resourcePlans, "urn:pulumi:prod::shop::aws:dynamodb/table:Table::db": { steps: ["delete"], state: null } } };
        const file = path.join(dir, "delete.json");
        writeFileSync(file, JSON.stringify(withDelete));
        const run = gate({ AGENTGUARD_PLAN: file, PULUMI_CONFIG: JSON.stringify({ "agentguard:agent": "deploy-bot" }) });
        const messages = await run.onResource({ ...topic("root"), type: "pulumi:pulumi:Stack", urn: "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod", provider: undefined }, call());
        expect(messages.join("\n")).toContain('would delete "urn:pulumi:prod::shop::aws:dynamodb/table:Table::db"');
        const stack = await run.onStack([topic("a")], call());
        expect(stack.join("\n")).toContain("destructive ×1");
    });
});

describe("decision log", () => {
    it("records each item's need and observation and each rejected token's code", async () => {
        const log = path.join(dir, "decisions.jsonl");
        const run = gate({ AGENTGUARD_DECISION_LOG: log });
        await run.onResource(topic("a"), call());
        const line = JSON.parse(readFileSync(log, "utf8").trim().split("\n").at(-1)!);
        expect(line.gates[0]).toMatchObject({ gate: "environment", need: { gate: "environment", environment: "production" }, observed: expect.stringContaining("in production") });
        expect(line.approvals[0]).toMatchObject({ valid: false, code: "ERR_APPROVAL_WRONG_PLAN" });
    });
});
