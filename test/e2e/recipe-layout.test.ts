/**
 * The CI recipe's layout (docs/examples/agentguard-ci.yml) under the real `pulumi` CLI: the
 * agent's program runs as an unprivileged user; the pack (executable entry), its config and the
 * CLI belong to root. `pulumi up` starts the pack again for its update phase and re-reads the
 * config from disk after the program ran in the preview phase — so a program that rewrites the
 * config in the preview and declares a production resource only in the update phase must still
 * be denied. With a config file the program can write, the same attack gets through: that is
 * why the recipe puts it where the agent cannot write.
 */
import { chmodSync, copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chownSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXECUTABLE, ROOT, SIMULATORS, Workspace } from "./pulumi";
import { workspacesOfFile } from "./workspaces";

const PROGRAM = path.join(ROOT, "test/e2e/programs/rewrite");
const AGENT_USER = { uid: 65534, gid: 65534 }; // nobody: the recipe's `agent` user
let trusted: string;
const workspaces = workspacesOfFile();

beforeAll(() => {
    // Root-owned, world-readable: the CLI and its language host, where the agent cannot write.
    trusted = mkdtempSync(path.join(tmpdir(), "agentguard-trusted-"));
    chmodSync(trusted, 0o755);
    const bin = path.join(trusted, "bin");
    mkdirSync(bin);
    for (const tool of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
        const from = execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim();
        try {
            linkSync(from, path.join(bin, tool));
        } catch {
            copyFileSync(from, path.join(bin, tool));
            chmodSync(path.join(bin, tool), 0o755);
        }
    }
});

afterAll(() => {
    rmSync(trusted, { recursive: true, force: true });
});

async function agentRun(configOwner: "root" | "agent") {
    const env = { PATH: `${path.join(trusted, "bin")}:${SIMULATORS}:/usr/bin:/bin` };
    const ws = await Workspace.create({ program: PROGRAM, stack: "dev", pack: EXECUTABLE, user: AGENT_USER, env });
    workspaces.push(ws);
    await ws.config("agentguard:agent", "deploy-bot");
    const dir = configOwner === "root" ? mkdtempSync(path.join(trusted, "config-")) : ws.dir;
    chmodSync(dir, 0o755);
    const config = path.join(dir, "policy-config.json");
    writeFileSync(config, JSON.stringify({ "agent-change-gate": {} }), { mode: 0o644 });
    if (configOwner === "agent") {
        chownSync(config, AGENT_USER.uid, AGENT_USER.gid);
    }
    const report = path.join(ws.dir, "attack.txt");
    writeFileSync(report, "");
    chownSync(report, AGENT_USER.uid, AGENT_USER.gid);
    const up = await ws.pulumi(["up", "--yes", "--policy-pack", EXECUTABLE, "--policy-pack-config", config], { ATTACK_REPORT: report });
    const state = (await ws.pulumi(["stack", "export"])).stdout;
    return { ws, up, state, attack: readFileSync(report, "utf8"), config: readFileSync(config, "utf8") };
}

describe("the CI recipe's layout", () => {
    it("denies a program that rewrites the pack config in the preview phase and declares production only in the update phase", async () => {
        const { ws, up, state, attack, config } = await agentRun("root");
        expect(attack).toMatch(/^EACCES /); // the program tried, and could not
        expect(config).toBe(JSON.stringify({ "agent-change-gate": {} }));
        expect(up.code).not.toBe(0);
        expect(up.output).toContain('declares "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::site" in production');
        expect(state).not.toContain("aws:s3/bucket:Bucket::site");
        expect(ws.decisions().map((d) => [d.dryRun, d.decision])).toEqual([
            [true, "allow"],
            [false, "deny"],
        ]);
    }, 180_000);

    it("lets the same attack through when the config is where the program can write (why the recipe keeps it in /opt)", async () => {
        const { up, state, attack } = await agentRun("agent");
        expect(attack).toMatch(/^rewritten /);
        expect(up.code, up.output).toBe(0);
        expect(state).toContain("aws:s3/bucket:Bucket::site");
    }, 180_000);
});


