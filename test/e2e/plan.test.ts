/**
 * The plan gate under the real `pulumi` CLI (docs/plans.md): `pulumi preview --save-plan` with
 * the gate advisory, `agentguard plan check` on the plan and a fresh `pulumi stack export`,
 * tokens bound to the plan, and `AGENTGUARD_PLAN=… pulumi up --plan`. The offline simulators
 * stand in for AWS; deletes and replaces are the engine's own.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { Approver, approver } from "../fixtures";
import { EXECUTABLE, ROOT, Workspace } from "./pulumi";
import { workspacesOfFile } from "./workspaces";

const PROGRAM = path.join(ROOT, "test/e2e/programs/generic");
const workspaces = workspacesOfFile();
let alice: Approver;
let bob: Approver;
let keys: { alice: string; bob: string };

beforeAll(async () => {
    alice = await approver("alice");
    bob = await approver("bob");
});

const HUMAN = { AGENTGUARD_INITIATOR: "human:carol" };

/** A stack deployed by a human with `resources`, then handed to agent deploy-bot. */
async function deployed(stack: string, resources: unknown[]) {
    const ws = await Workspace.create({ program: PROGRAM, stack });
    workspaces.push(ws);
    await ws.config("agentguard:agent", "deploy-bot");
    await ws.resources(resources);
    const gate = { approvers: [alice.entry, bob.entry] };
    const policyConfig = ws.policyConfig(gate);
    // The plan job's config: the gate advisory, so the plan is written even with unapproved items.
    const planConfig = ws.policyConfig({ ...gate, enforcementLevel: "advisory" }, "plan-config.json");
    keys = { alice: path.join(ws.dir, "alice.key.json"), bob: path.join(ws.dir, "bob.key.json") };
    writeFileSync(keys.alice, JSON.stringify(alice.keyFile), { mode: 0o600 });
    writeFileSync(keys.bob, JSON.stringify(bob.keyFile), { mode: 0o600 });
    const up = await ws.up({ policyConfig, env: HUMAN });
    expect(up.code, up.output).toBe(0);
    return { ws, policyConfig, planConfig };
}

async function cli(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
}

/** The plan job: the agent's program, previewed with the gate advisory, the plan saved. */
async function savePlan(ws: Workspace, planConfig: string, name: string): Promise<string> {
    const file = path.join(ws.dir, name);
    const r = await ws.pulumi(["preview", "--save-plan", file, "--policy-pack", ROOT, "--policy-pack-config", planConfig]);
    expect(r.code, r.output).toBe(0);
    return file;
}

/** The check job: exports the state itself, then plan check. */
async function check(ws: Workspace, policyConfig: string, args: string[], tokens: string[] = []) {
    const state = path.join(ws.dir, "state.json");
    const exp = await ws.pulumi(["stack", "export", "--file", state]);
    expect(exp.code, exp.output).toBe(0);
    return cli("plan", "check", ...args, "--state", state, "--policy-config", policyConfig, "--stack", `organization/shop/${ws.opts.stack}`, "--agent", "deploy-bot", "--approvals", tokens.join(" "), "--json");
}

/** Two tokens signed with the CLI: `approve … <flags>`. */
async function sign(stack: string, ...flags: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const key of [keys.alice, keys.bob]) {
        const r = await cli("approve", "--key", key, "--stack", `organization/shop/${stack}`, "--agent", "deploy-bot", ...flags);
        expect(r.code, r.stderr).toBe(0);
        out.push(r.stdout.trim());
    }
    return out;
}

async function urns(ws: Workspace): Promise<string[]> {
    const r = await ws.pulumi(["stack", "export"]);
    return (JSON.parse(r.stdout).deployment.resources as { urn: string }[]).map((x) => x.urn);
}

const site = { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } };
const db = { type: "aws:dynamodb/table:Table", name: "db", props: { name: "orders" } };
const extra = { type: "aws:sns/topic:Topic", name: "extra", props: { name: "extra" } };
const DB_URN = (stack: string) => `urn:pulumi:${stack}::shop::aws:dynamodb/table:Table::db`;

describe("the plan gate under the real pulumi CLI", () => {
    it("a production delete: denied by plan check, passes with two plan-bound tokens, which count for no other plan, program or AGENTGUARD_PLAN", async () => {
        const { ws, policyConfig, planConfig } = await deployed("prod", [site, db]);
        // The agent removes the database. With a standing production approval the preview alone
        // passes: the pack never sees deletes.
        await ws.resources([site]);
        const standing = await sign("prod", "--environment", "production");
        await ws.approvals(standing, "list");
        const preview = await ws.preview({ policyConfig });
        expect(preview.code, preview.output).toBe(0);
        const planA = await savePlan(ws, planConfig, "plan-a.json");

        const denied = await check(ws, policyConfig, ["--plan", planA], standing);
        expect(denied.code).toBe(1);
        const report = JSON.parse(denied.stdout);
        expect(report.gates.map((g: { gate: string; resource: string }) => `${g.gate}:${g.resource}`)).toEqual([`destructive:${DB_URN("prod")}`, "environment:undefined"]);
        expect(report.messages.at(-1)).toContain(`--destructive --plan ${planA}`);

        const tokensA = await sign("prod", "--environment", "production", "--destructive", "--plan", planA);
        const passed = await check(ws, policyConfig, ["--plan", planA], tokensA);
        expect(passed.code, passed.stdout).toBe(0);
        expect(JSON.parse(passed.stdout).expiresAt).toMatch(/^20/);

        // Plan B deletes one more resource: plan A's tokens do not count for it.
        await ws.resources([]);
        const planB = await savePlan(ws, planConfig, "plan-b.json");
        const otherPlan = await check(ws, policyConfig, ["--plan", planB], tokensA);
        expect(otherPlan.code).toBe(1);
        expect(JSON.parse(otherPlan.stdout).approvals.map((a: { code: string }) => a.code)).toEqual(["ERR_APPROVAL_WRONG_PLAN", "ERR_APPROVAL_WRONG_PLAN"]);

        await ws.approvals(tokensA, "string");
        const before = await urns(ws);
        // At apply with AGENTGUARD_PLAN naming another plan, plan A's tokens count for nothing.
        await ws.resources([site]);
        const elsewhere = await ws.pulumi(["up", "--yes", "--plan", planA, "--policy-pack", ROOT, "--policy-pack-config", policyConfig], { AGENTGUARD_PLAN: planB });
        expect(elsewhere.code).not.toBe(0);
        expect(elsewhere.output).toContain("bound to a saved plan this run does not check or apply");
        // A production resource plan A does not hold gets nothing from its tokens (the pack, without --plan).
        await ws.resources([site, extra]);
        const added = await ws.pulumi(["up", "--yes", "--policy-pack", ROOT, "--policy-pack-config", policyConfig], { AGENTGUARD_PLAN: planA });
        expect(added.code).not.toBe(0);
        expect(added.output).toContain('declares "urn:pulumi:prod::shop::aws:sns/topic:Topic::extra" in production');
        // up --plan A with a changed program changes nothing.
        const changed = await ws.pulumi(["up", "--yes", "--plan", planA, "--policy-pack", ROOT, "--policy-pack-config", policyConfig], { AGENTGUARD_PLAN: planA });
        expect(changed.code).not.toBe(0);
        expect(await urns(ws)).toEqual(before);

        // The approved plan, applied as planned.
        await ws.resources([site]);
        const applied = await ws.pulumi(["up", "--yes", "--plan", planA, "--policy-pack", ROOT, "--policy-pack-config", policyConfig], { AGENTGUARD_PLAN: planA });
        expect(applied.code, applied.output).toBe(0);
        expect(await urns(ws)).not.toContain(DB_URN("prod"));
        expect(ws.decisions().at(-1)).toMatchObject({ decision: "allow", dryRun: false });
    }, 600_000);

    it("a database replace on a dev stack: denied by plan check, passes with two plan-bound tokens and applies", async () => {
        const { ws, policyConfig, planConfig } = await deployed("dev", [db]);
        await ws.resources([{ ...db, props: { name: "orders-v2" } }]);
        const plan = await savePlan(ws, planConfig, "plan.json");
        const denied = await check(ws, policyConfig, ["--plan", plan]);
        expect(denied.code).toBe(1);
        expect(JSON.parse(denied.stdout).gates).toMatchObject([{ gate: "destructive", resource: DB_URN("dev"), required: 2 }]);
        const tokens = await sign("dev", "--destructive", "--plan", plan);
        expect((await check(ws, policyConfig, ["--plan", plan], tokens)).code).toBe(0);
        await ws.approvals(tokens, "list");
        const applied = await ws.pulumi(["up", "--yes", "--plan", plan, "--policy-pack", ROOT, "--policy-pack-config", policyConfig], { AGENTGUARD_PLAN: plan });
        expect(applied.code, applied.output).toBe(0);
        expect(applied.output).toMatch(/1 replaced/);
    }, 600_000);

    it("a program with a dynamic provider: approvals in stack config break up --plan; in AGENTGUARD_APPROVALS they apply (the executable entry lets it through)", async () => {
        const note = { kind: "dynamic", name: "stamp" };
        const { ws, policyConfig, planConfig } = await deployed("dev", [note, db]);
        await ws.resources([note, { ...db, props: { name: "orders-v2" } }]);
        const plan = await savePlan(ws, planConfig, "plan.json");
        const tokens = await sign("dev", "--destructive", "--plan", plan, "--provider", "pulumi-nodejs");
        expect((await check(ws, policyConfig, ["--plan", plan], tokens)).code).toBe(0);
        const applyWith = (pack: string, env: Record<string, string>) => ws.pulumi(["up", "--yes", "--plan", plan, "--policy-pack", pack, "--policy-pack-config", policyConfig], { AGENTGUARD_PLAN: plan, ...env });

        // In stack config the tokens become the dynamic provider's inputs: the engine refuses the plan.
        await ws.approvals(tokens, "string");
        const viaConfig = await applyWith(ROOT, {});
        expect(viaConfig.code).not.toBe(0);
        expect(viaConfig.output).toContain("agentguard:approvals");
        await ws.pulumi(["config", "rm", "agentguard:approvals"]);

        // Without tokens anywhere the pack stops the replace at apply (through the executable entry).
        const bare = await applyWith(EXECUTABLE, {});
        expect(bare.code).not.toBe(0);
        expect(bare.output).toContain("agent-change-gate");
        // Tokens in the environment authenticate themselves: the executable entry lets that variable
        // through its allowlist, and a foreign or malformed value there only adds rejected entries.
        const applied = await applyWith(EXECUTABLE, { AGENTGUARD_APPROVALS: ["not-a-token", ...tokens].join(" ") });
        expect(applied.code, applied.output).toBe(0);
        expect(applied.output).toMatch(/1 replaced/);
        expect(applied.output).not.toContain(tokens[0]);
        const last = ws.decisions().at(-1);
        expect(last).toMatchObject({ decision: "allow", dryRun: false });
        expect(JSON.stringify(last)).not.toContain(tokens[0]);
    }, 600_000);

    it("--destroy of a production stack: denied, passes only with two tokens bound to that state export", async () => {
        const { ws, policyConfig } = await deployed("prod", [site, db]);
        const denied = await check(ws, policyConfig, ["--destroy"]);
        expect(denied.code).toBe(1);
        expect(JSON.parse(denied.stdout).gates.filter((g: { gate: string }) => g.gate === "destructive")).toHaveLength(3); // bucket, table, provider
        const state = path.join(ws.dir, "state.json");
        const planBound = await sign("prod", "--destructive", "--plan", state);
        expect((await check(ws, policyConfig, ["--destroy"], planBound)).code).toBe(1);
        // A destroy of production: destructive, and a run on production.
        const tokens = await sign("prod", "--environment", "production", "--destructive", "--destroy-state", state);
        const ok = await check(ws, policyConfig, ["--destroy"], tokens);
        expect(ok.code, ok.stdout).toBe(0);
        // The destroy tokens never count in the pack.
        await ws.approvals(tokens, "list");
        await ws.resources([site, db, extra]);
        const pack = await ws.preview({ policyConfig });
        expect(pack.code).not.toBe(0);
        expect(pack.output).toContain("counts only in `agentguard plan check --destroy`");
    }, 600_000);

    it("a domain registration is a purchase when the plan creates it, and not on the next plan", async () => {
        const { ws, policyConfig, planConfig } = await deployed("dev", [site]);
        const domain = { type: "aws:route53domains/registeredDomain:RegisteredDomain", name: "shop", props: { domainName: "shop-example.com" } };
        await ws.resources([site, domain]);
        const plan = await savePlan(ws, planConfig, "plan-1.json");
        const first = await check(ws, policyConfig, ["--plan", plan]);
        expect(first.code).toBe(1);
        expect(JSON.parse(first.stdout).gates).toMatchObject([{ gate: "spend", need: { kind: "purchase" } }]);
        const tokens = await sign("dev", "--purchases", "--plan", plan);
        await ws.approvals(tokens, "list");
        const applied = await ws.pulumi(["up", "--yes", "--plan", plan, "--policy-pack", ROOT, "--policy-pack-config", policyConfig], { AGENTGUARD_PLAN: plan });
        expect(applied.code, applied.output).toBe(0);
        const next = await savePlan(ws, planConfig, "plan-2.json");
        const second = await check(ws, policyConfig, ["--plan", next]);
        expect(second.code, second.stdout).toBe(0);
        expect(JSON.parse(second.stdout).gates).toEqual([]);
    }, 600_000);
});
