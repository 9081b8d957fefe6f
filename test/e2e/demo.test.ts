/**
 * `npm run demo` is the README's first command after install: it must keep telling the story
 * (agent stopped, humans approve exactly what the denial asks, agent passes) on a fresh clone,
 * and its second half: a delete the pack cannot see is stopped by plan check, approved for the
 * exact plan, applied with up --plan, and a changed program is refused.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

/**
 * Runs a command without blocking the test worker (a two-minute spawnSync starves vitest's RPC
 * and fails the run with "Timeout calling onTaskUpdate" even when every test passed).
 */
function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd, env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        child.on("close", (status) => {
            clearTimeout(timer);
            resolve({ status, stdout, stderr });
        });
    });
}

it("npm run demo stops the agent, has two approvers sign what the denial asks, and then passes", async () => {
    const root = path.resolve(__dirname, "../..");
    const r = await run(process.execPath, [path.join(root, "scripts/demo.js")], root, 420_000);
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).toBe(0);
    expect(out).toContain('needs approval for');
    expect(out).toContain("[mandatory]  agent-change-gate");
    expect(out).toMatch(/valid {4}token ".+" from "bob"/);
    expect(out).toMatch(/valid {4}token ".+" from "carol"/);
    // alice@example.com owns deploy-bot in the registry: the denial never sends the agent to her.
    expect(out.replace(/\s*\n\s*/g, " ")).toMatch(/Who can approve: environment "bob", "carol"/);
    expect(out).toContain("pulumi preview → exit 0");
    // The shown command works when pasted: the key file in place of the variable, no VAR=… prefix.
    expect(out).toContain("$ agentguard approve --key bob.agentguard-key.json --stack organization/shop/prod");
    expect(out).not.toContain("AGENTGUARD_KEY=");
    // The second half: the pack alone lets the delete through; plan check stops it until the plan is signed.
    expect(out).toContain("pulumi preview --policy-pack …   → exit 0 (the engine never shows a policy pack a delete)");
    expect(out).toMatch(/would delete "urn:pulumi:prod::shop::aws:dynamodb\/table:Table::orders"/);
    expect(out).toMatch(/\$ agentguard approve --key bob\.agentguard-key\.json .*--destructive --plan plan\.json/);
    expect(out).toContain("--approvals \"<4 tokens>\"   → exit 0");
    expect(out).toContain("→ refused: the change is not in the plan");
    expect(out).toContain("→ exit 0: the orders table is deleted, as the approvers saw");
    expect(out).toMatch(/DENY .*\n.*ALLOW .*approvedBy: bob, carol/);
    expect(out).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack traces
}, 420_000);
