/**
 * The plan section of the benchmark: `agentguard plan check` as a process (node start included)
 * on a synthetic saved plan and state export of a production stack with 1,000 custom resources
 * (buckets, instances, IAM roles): 700 unchanged, 150 updated, 100 created, 50 deleted, covered
 * by two plan-bound tokens. Bound (docs/performance.md): under 2 s.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileDigest, issueApproval } from "../src/approvals/issue";
import { Approver, realNow } from "../test/fixtures";
import { ROOT, Stat, stat } from "./lib";

const STACK = "urn:pulumi:prod::shop::";
const PROVIDER = `${STACK}pulumi:providers:aws::default`;
const REF = `${PROVIDER}::4c428572-7205-4db3-b0f8-631518e11cfb`;
const TYPES = ["aws:s3/bucket:Bucket", "aws:ec2/instance:Instance", "aws:iam/role:Role", "aws:sqs/queue:Queue"];

function inputs(type: string, i: number): Record<string, unknown> {
    switch (type) {
        case "aws:ec2/instance:Instance":
            return { instanceType: "t3.micro", ami: "ami-123", tags: { Name: `vm-${i}` } };
        case "aws:iam/role:Role":
            return { assumeRolePolicy: '{"Version":"2012-10-17","Statement":[]}', name: `role-${i}` };
        default:
            return { name: `r-${i}`, tags: { team: "web" } };
    }
}

/** Writes plan.json, state.json and policy-config.json for `n` resources into `dir`. */
export function writePlanFixture(dir: string, n: number, approvers: readonly Approver[]): { plan: string; state: string; policyConfig: string } {
    const resources: unknown[] = [
        { urn: `${STACK}pulumi:pulumi:Stack::shop-prod`, custom: false, type: "pulumi:pulumi:Stack" },
        { urn: PROVIDER, custom: true, id: "4c428572-7205-4db3-b0f8-631518e11cfb", type: "pulumi:providers:aws", inputs: { region: "us-east-1" } },
    ];
    const plans: Record<string, unknown> = {
        [`${STACK}pulumi:pulumi:Stack::shop-prod`]: { goal: { type: "pulumi:pulumi:Stack", name: "shop-prod", custom: false, inputDiff: {} }, steps: ["same"] },
        [PROVIDER]: { goal: { type: "pulumi:providers:aws", name: "default", custom: true, inputDiff: {} }, steps: ["same"] },
    };
    for (let i = 0; i < n; i++) {
        const type = TYPES[i % TYPES.length];
        const urn = `${STACK}${type}::r${i}`;
        const kind = i < 700 ? "same" : i < 850 ? "update" : i < 950 ? "create" : "delete";
        if (kind !== "create") {
            resources.push({ urn, custom: true, id: `id-${i}`, type, inputs: inputs(type, i), outputs: {}, provider: REF });
        }
        const goal = (inputDiff: unknown) => ({ type, name: `r${i}`, custom: true, provider: REF, inputDiff });
        plans[urn] =
            kind === "same"
                ? { goal: goal({}), steps: ["same"] }
                : kind === "update"
                  ? { goal: goal({ updates: { tags: { team: "web", rev: "2" } } }), steps: ["update"] }
                  : kind === "create"
                    ? { goal: goal({ adds: inputs(type, i) }), steps: ["create"] }
                    : { steps: ["delete"], state: null };
    }
    const plan = path.join(dir, "plan.json");
    const state = path.join(dir, "state.json");
    const policyConfig = path.join(dir, "policy-config.json");
    writeFileSync(plan, JSON.stringify({ manifest: { time: new Date().toISOString(), magic: "bench", version: "v3.274.1" }, config: {}, resourcePlans: plans }, null, 4));
    writeFileSync(state, JSON.stringify({ version: 3, deployment: { manifest: {}, resources } }, null, 4));
    writeFileSync(policyConfig, JSON.stringify({ "agent-change-gate": { approvers: approvers.map((a) => a.entry), maxResources: 2_000 } }));
    return { plan, state, policyConfig };
}

/** Times `plan check` `rounds` times; returns the wall-clock stat and the last exit code. */
export async function timePlanCheck(dir: string, n: number, approvers: readonly Approver[], rounds: number): Promise<{ wall: Stat; code: number }> {
    const files = writePlanFixture(dir, n, approvers);
    const digest = fileDigest(readFileSync(files.plan));
    const scope = { environments: ["production"], access: true, destructive: true, maxMonthlyUsd: 1_000_000, maxResources: 2_000 };
    const now = realNow() - 60;
    const tokens = await Promise.all(
        approvers.map((a) => issueApproval({ keyFile: a.keyFile, key: a.key, stack: "organization/shop/prod", agent: "deploy-bot", scope, ttlSeconds: 3600, now, plan: digest })),
    );
    const args = [path.join(ROOT, "dist/cli/main.js"), "plan", "check", "--plan", files.plan, "--state", files.state, "--policy-config", files.policyConfig];
    args.push("--stack", "organization/shop/prod", "--agent", "deploy-bot", "--approvals", tokens.join(" "));
    const samples: number[] = [];
    let code = 0;
    for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        try {
            execFileSync(process.execPath, args, { stdio: "pipe" });
            code = 0;
        } catch (e) {
            code = (e as { status?: number }).status ?? -1;
        }
        samples.push(performance.now() - t0);
    }
    return { wall: stat(samples), code };
}
