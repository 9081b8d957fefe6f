/**
 * The run state behind the policy, driven directly: once-per-run work and failing closed.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GateRun } from "../../src/pack/run";
import { EngineResource } from "../../src/pack/facts";
import { NOW, approver, fakeEstimator, sign } from "../fixtures";
import { CostEstimator } from "../../src/cost/types";

const env = (over: Record<string, string> = {}) => ({
    PULUMI_NODEJS_STACK: "prod",
    PULUMI_NODEJS_PROJECT: "shop",
    PULUMI_NODEJS_ORGANIZATION: "organization",
    PULUMI_NODEJS_DRY_RUN: "true",
    PULUMI_CONFIG: JSON.stringify({ "agentguard:agent": "deploy-bot" }),
    ...over,
});

const res = (i: number): EngineResource => ({
    type: "aws:s3/bucket:Bucket",
    urn: `urn:pulumi:prod::shop::aws:s3/bucket:Bucket::b${i}`,
    name: `b${i}`,
    props: {},
    provider: { type: "pulumi:providers:aws", urn: "urn:pulumi:prod::shop::pulumi:providers:aws::default", name: "default", props: {} },
});

describe("GateRun", () => {
    it("reads config and verifies tokens once per run, whatever the resource count", async () => {
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const stack = { organization: "organization", project: "shop", stack: "prod" };
        const tokens = [await sign(alice, { environments: ["production"] }, { stack }), await sign(bob, { environments: ["production"] }, { stack })];
        const run = new GateRun(env({ PULUMI_CONFIG: JSON.stringify({ "agentguard:agent": "deploy-bot", "agentguard:approvals": tokens.join(" ") }) }), fakeEstimator(), () => NOW);
        let configReads = 0;
        const call = { getConfig: () => (configReads++, { approvers: [alice.entry, bob.entry] }) };
        const results = await Promise.all(Array.from({ length: 200 }, (_, i) => run.onResource(res(i), call)));
        expect(results.flat()).toEqual([]);
        expect(await run.onStack(Array.from({ length: 200 }, (_, i) => res(i)), call)).toEqual([]);
        expect(configReads).toBe(1);
    });

    it("denies (and logs) when the estimator throws, instead of letting the run through", async () => {
        const log = path.join(mkdtempSync(path.join(tmpdir(), "ag-")), "log.jsonl");
        const broken: CostEstimator = {
            estimate: () => {
                throw new Error("secret-value-in-error");
            },
        };
        const run = new GateRun(env({ PULUMI_NODEJS_STACK: "dev", AGENTGUARD_DECISION_LOG: log }), broken);
        const [msg] = await run.onResource(res(1), { getConfig: () => ({}) });
        expect(msg).toContain("denied this run because it could not decide");
        expect(msg).not.toContain("secret-value-in-error");
        expect(JSON.parse(readFileSync(log, "utf8")).decision).toBe("deny");
    });

    it("lets a human's run through untouched, even with a broken gate config", async () => {
        const run = new GateRun(env({ AGENTGUARD_INITIATOR: "human:carol" }), fakeEstimator());
        expect(await run.onResource(res(1), { getConfig: () => ({ approvers: "nope" }) })).toEqual([]);
    });

    it("denies an agent's run when the engine gives no stack name", async () => {
        const run = new GateRun({ PULUMI_CONFIG: "{}" }, fakeEstimator());
        const [msg] = await run.onResource(res(1), { getConfig: () => ({}) });
        expect(msg).toContain("cannot read the run's stack");
    });

    it("prepared before the first resource (executable entry), a failed setup still denies that resource, and a taint after it still applies", async () => {
        // No stack name: the setup throws. prepare() must not leave an unhandled rejection behind.
        const broken = new GateRun({ PULUMI_CONFIG: "{}" }, fakeEstimator());
        let reads = 0;
        broken.prepare({ getConfig: () => (reads++, {}) });
        await new Promise((r) => setImmediate(r));
        const [msg] = await broken.onResource(res(1), { getConfig: () => (reads++, {}) });
        expect(msg).toContain("cannot read the run's stack");
        // A bad gate config, read once at prepare(): the first resource is denied with it.
        const badConfig = new GateRun(env(), fakeEstimator());
        badConfig.prepare({ getConfig: () => (reads++, { approvers: "nope" }) });
        await new Promise((r) => setImmediate(r));
        const denied = (await badConfig.onResource(res(1), { getConfig: () => (reads++, {}) })).join("\n");
        expect(denied).toContain('"approvers" must be array');
        expect(reads).toBe(1);
        // Prepared cleanly, then tainted (a second caller): every later item is denied.
        const tainted = new GateRun(env({ PULUMI_NODEJS_STACK: "dev" }), fakeEstimator());
        tainted.prepare({ getConfig: () => ({}) });
        await new Promise((r) => setImmediate(r));
        tainted.taint("someone else called");
        expect((await tainted.onResource(res(1), { getConfig: () => ({}) })).join("\n")).toContain("someone else called");
    });

    it("reports an outright denial once per preview at resource level, on every resource in an update", async () => {
        const preview = new GateRun(env({ PULUMI_CONFIG: "{}" }), fakeEstimator());
        const p = await Promise.all([1, 2, 3].map((i) => preview.onResource(res(i), { getConfig: () => ({}) })));
        expect(p.flat()).toHaveLength(1);
        const update = new GateRun(env({ PULUMI_CONFIG: "{}", PULUMI_NODEJS_DRY_RUN: "false" }), fakeEstimator());
        const u = await Promise.all([1, 2, 3].map((i) => update.onResource(res(i), { getConfig: () => ({}) })));
        expect(u.flat()).toHaveLength(3);
    });
});
