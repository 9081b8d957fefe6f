/**
 * `npm run demo` is the README's first command after install: it must keep telling the story
 * (agent stopped, humans approve exactly what the denial asks, agent passes) on a fresh clone.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

it("npm run demo stops the agent, has two approvers sign what the denial asks, and then passes", () => {
    const root = path.resolve(__dirname, "../..");
    const r = spawnSync(process.execPath, [path.join(root, "scripts/demo.js")], { cwd: root, encoding: "utf8", timeout: 240_000, env: { ...process.env } });
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
    expect(out).toMatch(/DENY .*\n.*ALLOW .*approvedBy: bob, carol/);
    expect(out).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack traces
}, 240_000);
