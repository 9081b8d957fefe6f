/**
 * The agent attacks the gate through its own program, environment and repository (issue 10),
 * under the real `pulumi` CLI. Each attack is one an agent's program can mount on the CI runner:
 * reconfigure the pack over its unauthenticated gRPC port, preload code into it with
 * NODE_OPTIONS, or ship its own language host in Pulumi.yaml.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { Approver, approver, realNow, sign } from "../fixtures";
import { EXECUTABLE, PACK_ENTRIES, ROOT, Workspace } from "./pulumi";
import { workspacesOfFile } from "./workspaces";

const GENERIC = path.join(ROOT, "test/e2e/programs/generic");
const RECONFIGURE = path.join(ROOT, "test/e2e/programs/reconfigure");
const PRELOAD = path.join(ROOT, "test/e2e/attacks/preload.js");
const workspaces = workspacesOfFile();
let alice: Approver;
let bob: Approver;

beforeAll(async () => {
    alice = await approver("alice");
    bob = await approver("bob");
});

/** What the attacker created on production: a bucket and an admin role. */
const PRODUCTION_CHANGE = [
    { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } },
    { type: "aws:iam/role:Role", name: "admin", props: { assumeRolePolicy: "{}" } },
];

async function prodStack(program: string, pack: string, env: Record<string, string> = {}) {
    const ws = await Workspace.create({ program, stack: "prod", pack, env });
    workspaces.push(ws);
    await ws.config("agentguard:agent", "deploy-bot");
    await ws.resources(PRODUCTION_CHANGE);
    return { ws, policyConfig: ws.policyConfig({ approvers: [alice.entry, bob.entry] }) };
}

async function created(ws: Workspace): Promise<string> {
    return (await ws.pulumi(["stack", "export"])).stdout;
}

describe.each(PACK_ENTRIES)("a program that reconfigures the pack over gRPC (%s)", (_entry, pack) => {
    it("is refused, and the run is denied in preview and in up, with a decision-log line; nothing is created", async () => {
        const { ws, policyConfig } = await prodStack(RECONFIGURE, pack);
        // Approvals for production itself, so the stack's own item passes and the program runs:
        // what stops it then is the reconfiguration (and the admin role's access item).
        const stack = { organization: "organization", project: "shop", stack: "prod" };
        await ws.approvals([await sign(alice, { environments: ["production"] }, { stack, now: realNow() }), await sign(bob, { environments: ["production"] }, { stack, now: realNow() })], "list");
        const report = path.join(ws.dir, "attack.jsonl");
        const env = { ATTACK_REPORT: report, GENERIC_PROGRAM: path.join(GENERIC, "index.js") };

        const preview = await ws.preview({ policyConfig, env });
        expect(preview.code).not.toBe(0);
        expect(preview.output).toContain("reconfigured");
        // The attack reached the pack and was refused (not merely unable to find it).
        const tries = readFileSync(report, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
        expect(tries.some((t) => /^(7|9) .*(agentguard refused|reconfigured)/.test(t.configure))).toBe(true);
        expect(tries.every((t) => t.configure !== "ok" || !/agentguard/.test(JSON.stringify(t)))).toBe(true);
        const logged = ws.decisions();
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatchObject({ dryRun: true, decision: "deny" });
        expect(JSON.stringify(logged[0].errors)).toContain("reconfigured");

        const up = await ws.up({ policyConfig, env, skipPreview: true });
        expect(up.code).not.toBe(0);
        expect(up.output).toContain("reconfigured");
        const state = await created(ws);
        expect(state).not.toContain("aws:s3/bucket:Bucket::site");
        expect(state).not.toContain("aws:iam/role:Role::admin");
        expect(ws.decisions().at(-1)).toMatchObject({ dryRun: false, decision: "deny" });
        expect(JSON.stringify(ws.decisions().at(-1)!.errors)).toContain("reconfigured");
    }, 120_000);
});

describe("code preloaded into the pack", () => {
    it("NODE_OPTIONS=--require: the executable entry never loads it, and denies the production change in preview and up", async () => {
        const { ws, policyConfig } = await prodStack(GENERIC, EXECUTABLE);
        const marks = path.join(ws.dir, "marks.txt");
        const env = { NODE_OPTIONS: `--require ${PRELOAD}`, EVIL_MARK: marks };
        const preview = await ws.preview({ policyConfig, env });
        expect(preview.code).not.toBe(0);
        expect(preview.output).toContain('agent "deploy-bot" declares "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site" in production');
        const up = await ws.up({ policyConfig, env, skipPreview: true });
        expect(up.code).not.toBe(0);
        expect(await created(ws)).not.toContain("aws:s3/bucket:Bucket::site");
        // The preload ran (in the program), but never inside the pack.
        const text = readFileSync(marks, "utf8");
        expect(text).toContain("loaded");
        expect(text).not.toContain("neutered");
        expect(ws.decisions().map((d) => d.decision)).toEqual(["deny", "deny"]);
    }, 120_000);

    it("NODE_OPTIONS=--require switches the directory pack off — why CI uses the executable entry (docs/threat-model.md)", async () => {
        const { ws, policyConfig } = await prodStack(GENERIC, ROOT);
        const marks = path.join(ws.dir, "marks.txt");
        const r = await ws.preview({ policyConfig, env: { NODE_OPTIONS: `--require ${PRELOAD}`, EVIL_MARK: marks } });
        expect(readFileSync(marks, "utf8")).toContain("neutered");
        expect(r.code, r.output).toBe(0);
    }, 120_000);

    it("a language host the repository supplies (Pulumi.yaml plugins.languages) cannot reach the executable entry", async () => {
        const { ws, policyConfig } = await prodStack(GENERIC, EXECUTABLE);
        const marks = path.join(ws.dir, "marks.txt");
        const real = execFileSync("sh", ["-c", "command -v pulumi-language-nodejs"], { env: process.env, encoding: "utf8" }).trim();
        expect(existsSync(real)).toBe(true);
        const hostDir = path.join(ws.programDir, "host");
        mkdirSync(hostDir);
        const host = path.join(hostDir, "pulumi-language-nodejs");
        writeFileSync(host, `#!/bin/sh\nNODE_OPTIONS="--require ${PRELOAD}" EVIL_MARK="${marks}" exec "${real}" "$@"\n`);
        chmodSync(host, 0o755);
        const yaml = path.join(ws.programDir, "Pulumi.yaml");
        writeFileSync(yaml, `${readFileSync(yaml, "utf8")}plugins:\n  languages:\n    - name: nodejs\n      path: ./host\n`);

        const preview = await ws.preview({ policyConfig });
        expect(preview.code).not.toBe(0);
        expect(preview.output).toContain("in production");
        const up = await ws.up({ policyConfig, skipPreview: true });
        expect(up.code).not.toBe(0);
        expect(await created(ws)).not.toContain("aws:iam/role:Role::admin");
        const text = readFileSync(marks, "utf8");
        expect(text).toContain("loaded"); // the repository's host ran the program with the preload
        expect(text).not.toContain("neutered");
    }, 120_000);
});
