/**
 * Runs docs/examples/plan-gate.yml locally: every job's `run:` steps, in a directory of its own,
 * with only the job's checkouts and the artifacts it declares (upload/download-artifact) passed
 * in — so the workflow is executed, not just parsed. The real `pulumi` CLI, a shared file backend
 * standing in for the team's backend, the offline simulators for AWS. `uses:` steps are played
 * by the runner below (checkout: the program, the pinned pack, the trusted policy repository;
 * setup-node and pulumi/actions: already on PATH); steps named "Install …" are skipped (the
 * pack here is this built repository, the program's node_modules a link).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Approver, approver } from "../fixtures";
import { ROOT, Workspace } from "./pulumi";

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, string>;
    readonly env?: Record<string, string>;
}
interface Job {
    readonly steps: readonly Step[];
    readonly needs?: string | string[];
}

const WORKFLOW = parse(readFileSync(path.join(ROOT, "docs/examples/plan-gate.yml"), "utf8")) as { jobs: Record<string, Job>; env: Record<string, string> };

let ws: Workspace;
let alice: Approver;
let bob: Approver;
let policyRepo: string;
const artifacts = new Map<string, Map<string, Buffer>>();

beforeAll(async () => {
    [alice, bob] = [await approver("alice"), await approver("bob")];
    ws = await Workspace.create({ program: path.join(ROOT, "test/e2e/programs/generic"), stack: "prod" });
    await ws.resources([
        { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } },
        { type: "aws:dynamodb/table:Table", name: "db", props: { name: "orders" } },
    ]);
    const gate = { approvers: [alice.entry, bob.entry] };
    policyRepo = mkdtempSync(path.join(tmpdir(), "agentguard-policy-"));
    writeFileSync(path.join(policyRepo, "policy-config.json"), JSON.stringify({ "agent-change-gate": gate }));
    writeFileSync(path.join(policyRepo, "plan-config.json"), JSON.stringify({ "agent-change-gate": { ...gate, enforcementLevel: "advisory" } }));
    const up = await ws.up({ policyConfig: path.join(policyRepo, "policy-config.json"), env: { AGENTGUARD_INITIATOR: "human:carol" } });
    expect(up.code, up.output).toBe(0);
});

afterAll(() => ws?.cleanup());

/** Plays one job: its checkouts and artifacts, then its `run:` steps. Returns the failing step's output, if any. */
/** Runs a script with bash without blocking the test worker. */
function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn("bash", ["-eo", "pipefail", "-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, output });
        });
    });
}

async function runJob(name: string, inputs: { approvals?: string }): Promise<{ ok: boolean; output: string; dir: string }> {
    const job = WORKFLOW.jobs[name];
    const dir = mkdtempSync(path.join(tmpdir(), `agentguard-job-${name}-`));
    const baseEnv = (ws as unknown as { env: Record<string, string> }).env;
    const env: Record<string, string> = {
        ...baseEnv,
        STACK: "prod",
        AGENT: "deploy-bot",
        PULUMI_ORG: "organization",
        PROJECT: "shop",
        AGENTGUARD_DECISION_LOG: ws.decisionLog,
    };
    let output = "";
    for (const step of job.steps) {
        const uses = step.uses?.split("@")[0];
        if (uses === "actions/checkout") {
            const repo = step.with?.repository;
            const target = path.join(dir, step.with?.path ?? ".");
            if (repo === undefined) {
                cpSync(ws.programDir, target, { recursive: true, verbatimSymlinks: true });
            } else if (repo.endsWith("/agentguard")) {
                symlinkSync(ROOT, target, "dir");
            } else if (repo.endsWith("/agentguard-policy")) {
                cpSync(policyRepo, target, { recursive: true });
            } else {
                throw new Error(`the workflow checks out ${repo}, which this test does not know`);
            }
        } else if (uses === "actions/upload-artifact") {
            const files = new Map<string, Buffer>();
            for (const p of String(step.with!.path).split("\n").filter((s) => s.trim() !== "")) {
                files.set(p, readFileSync(path.join(dir, p)));
            }
            artifacts.set(step.with!.name, files);
        } else if (uses === "actions/download-artifact") {
            const files = artifacts.get(step.with!.name);
            if (!files) {
                throw new Error(`artifact "${step.with!.name}" was never uploaded`);
            }
            files.forEach((b, p) => writeFileSync(path.join(dir, p), b));
        } else if (uses === "actions/setup-node" || uses === "pulumi/actions") {
            continue; // node and the pulumi CLI are on PATH
        } else if (step.run !== undefined) {
            if (step.name?.startsWith("Install")) {
                continue;
            }
            const stepEnv = { ...env, ...(step.env?.APPROVALS !== undefined ? { APPROVALS: inputs.approvals ?? "" } : {}) };
            const r = await bash(step.run, dir, stepEnv);
            output += r.output;
            if (r.code !== 0) {
                return { ok: false, output, dir };
            }
        } else {
            throw new Error(`step ${step.name ?? step.uses} of job ${name} is neither run nor a known action`);
        }
    }
    return { ok: true, output, dir };
}

function approve(file: string, ...flags: string[]): string {
    const tokens: string[] = [];
    for (const a of [alice, bob]) {
        const key = path.join(policyRepo, `${a.keyFile.id}.key.json`);
        if (!existsSync(key)) {
            writeFileSync(key, JSON.stringify(a.keyFile), { mode: 0o600 });
        }
        const out = execFileSync(process.execPath, [path.join(ROOT, "dist/cli/main.js"), "approve", "--key", key, "--stack", "organization/shop/prod", "--agent", "deploy-bot", ...flags, file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
        tokens.push(out.trim());
    }
    return tokens.join(" ");
}

function stateUrns(): string[] {
    const out = execFileSync("pulumi", ["stack", "export", "--stack", "prod"], { cwd: ws.programDir, env: (ws as unknown as { env: Record<string, string> }).env, encoding: "utf8" });
    return ((JSON.parse(out).deployment.resources ?? []) as { urn: string }[]).map((r) => r.urn);
}

describe("docs/examples/plan-gate.yml, run job by job", () => {
    it("plan → check (denied) → approvers sign the plan artifact → check → apply; then destroy-check → destroy", async () => {
        // The agent's commit removes the production database.
        const specs = [{ type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } }];
        execFileSync("pulumi", ["config", "set", "--plaintext", "shop:resources", JSON.stringify(specs), "--non-interactive"], { cwd: ws.programDir, env: (ws as unknown as { env: Record<string, string> }).env });

        const plan = await runJob("plan", {});
        expect(plan.ok, plan.output).toBe(true);
        const denied = await runJob("check", {});
        expect(denied.ok).toBe(false);
        expect(denied.output).toContain('would delete "urn:pulumi:prod::shop::aws:dynamodb/table:Table::db"');
        // Run out of order (the workflow makes apply need check): the pack still judges the plan's deletes.
        expect((await runJob("apply", {})).ok).toBe(false);

        // Approvers sign the plan artifact they were shown.
        const planFile = path.join(mkdtempSync(path.join(tmpdir(), "agentguard-approver-")), "plan.json");
        writeFileSync(planFile, artifacts.get("plan")!.get("plan.json")!);
        const tokens = approve(planFile, "--environment", "production", "--destructive", "--plan");
        const checked = await runJob("check", { approvals: tokens });
        expect(checked.ok, checked.output).toBe(true);
        expect(checked.output).toContain("approved:");
        const applied = await runJob("apply", { approvals: tokens });
        expect(applied.ok, applied.output).toBe(true);
        expect(stateUrns()).not.toContain("urn:pulumi:prod::shop::aws:dynamodb/table:Table::db");

        // Destroy: checked on a fresh export, approved for that export, destroyed only if unchanged.
        expect((await runJob("destroy-check", {})).ok).toBe(false);
        const stateFile = path.join(mkdtempSync(path.join(tmpdir(), "agentguard-approver-")), "state.json");
        execFileSync("pulumi", ["stack", "export", "--stack", "prod", "--file", stateFile], { cwd: ws.programDir, env: (ws as unknown as { env: Record<string, string> }).env });
        const destroyTokens = approve(stateFile, "--environment", "production", "--destructive", "--destroy-state");
        const destroyCheck = await runJob("destroy-check", { approvals: destroyTokens });
        expect(destroyCheck.ok, destroyCheck.output).toBe(true);
        const destroyed = await runJob("destroy", {});
        expect(destroyed.ok, destroyed.output).toBe(true);
        expect(stateUrns()).toEqual([]);
    }, 600_000);
});
