/**
 * Revocation under the real `pulumi` CLI: `agentguard revoke` edits the policy pack config, the
 * engine still accepts the file against the pack's config schema, and the gate stops counting the
 * revoked tokens — by jti, and an approver's tokens issued before a time (later ones count).
 */
import * as path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { Approver, approver, realNow, sign } from "../fixtures";
import { ROOT, Workspace } from "./pulumi";
import { workspacesOfFile } from "./workspaces";

const PROGRAM = path.join(ROOT, "test/e2e/programs/generic");
const PROD = { organization: "organization", project: "shop", stack: "prod" };
const workspaces = workspacesOfFile();
let alice: Approver;
let bob: Approver;

beforeAll(async () => {
    [alice, bob] = await Promise.all([approver("alice"), approver("bob")]);
});

async function revoke(...argv: string[]): Promise<void> {
    let err = "";
    const code = await main(["revoke", ...argv], { stdout: () => undefined, stderr: (s) => (err += s) });
    expect(code, err).toBe(0);
}

it("revoked tokens stop counting at the next run; the engine accepts the revoked config; later tokens count", async () => {
    const ws = await Workspace.create({ program: PROGRAM, stack: "prod" });
    workspaces.push(ws);
    await ws.config("agentguard:agent", "deploy-bot");
    await ws.resources([{ type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } }]);
    const policyConfig = ws.policyConfig({ approvers: [alice.entry, bob.entry] });
    const scope = { environments: ["production"] };
    const early = realNow() - 30;
    await ws.approvals([await sign(alice, scope, { stack: PROD, now: early, jti: "alice-1" }), await sign(bob, scope, { stack: PROD, now: early, jti: "bob-1" })], "string");
    const before = await ws.preview({ policyConfig });
    expect(before.code, before.output).toBe(0);

    await revoke("--policy-config", policyConfig, "--jti", "alice-1");
    await revoke("--policy-config", policyConfig, "--approver", "bob", "--before", "now");
    const denied = await ws.preview({ policyConfig });
    expect(denied.code).not.toBe(0);
    const flat = denied.output.replace(/\s*\n\s*/g, " ");
    expect(flat).not.toContain("validating policy config");
    expect(flat).toContain('token "alice-1" from "alice" rejected: revoked (its jti is in revoked.jtis)');
    expect(flat).toContain('token "bob-1" from "bob" rejected: revoked (issued before its approver\'s time in revoked.approvers)');
    expect(flat).toContain("has 0");
    expect(ws.decisions().at(-1)).toMatchObject({
        decision: "deny",
        approvals: [
            { jti: "alice-1", iss: "alice", valid: false },
            { jti: "bob-1", iss: "bob", valid: false },
        ],
    });

    // New tokens, issued after bob's revocation time, count again.
    await new Promise((r) => setTimeout(r, 1100));
    const later = realNow();
    await ws.approvals([await sign(alice, scope, { stack: PROD, now: later, jti: "alice-2" }), await sign(bob, scope, { stack: PROD, now: later, jti: "bob-2" })], "list");
    const after = await ws.preview({ policyConfig });
    expect(after.code, after.output).toBe(0);
    expect(ws.decisions().at(-1)).toMatchObject({ decision: "allow" });
}, 300_000);

it("the engine checks the revoked section against the pack's schema: a hand-written time that is not a date-time fails", async () => {
    const ws = await Workspace.create({ program: PROGRAM, stack: "prod" });
    workspaces.push(ws);
    await ws.config("agentguard:agent", "deploy-bot");
    await ws.resources([]);
    const policyConfig = ws.policyConfig({ approvers: [alice.entry, bob.entry], revoked: { approvers: { bob: "yesterday" } } });
    const r = await ws.preview({ policyConfig });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("validating policy config");
    expect(r.output).toContain("revoked.approvers.bob: Does not match format 'date-time'");
}, 300_000);
