/**
 * `agentguard approve --set-config` against the real pulumi CLI on a local file backend: the
 * token lands in the stack's plain `agentguard:approvals`, after the unexpired tokens already
 * there, expired ones dropped, at most 16 kept, and a secret value is refused rather than lost.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { tempDir } from "../tmp";

const STACK = "organization/shop/prod";
const saved: Record<string, string | undefined> = {};
let project = "";
let key = "";

function setEnv(vars: Record<string, string>): void {
    for (const [k, v] of Object.entries(vars)) {
        saved[k] = process.env[k];
        process.env[k] = v;
    }
}

function pulumi(...args: string[]): string {
    return execFileSync("pulumi", ["--non-interactive", "--cwd", project, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function approvals(): { value?: string; secret?: boolean } | undefined {
    return JSON.parse(pulumi("config", "--json", "--stack", STACK))["agentguard:approvals"];
}

/** An unsigned JWT with only an `exp`: enough for the command's housekeeping, which never trusts it. */
function fakeToken(exp: number, n: number): string {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${b64({ alg: "EdDSA" })}.${b64({ exp, jti: `fake-${n}` })}.c2ln`;
}

async function approve(...extra: string[]) {
    const out = { stdout: "", stderr: "" };
    const code = await main(["approve", "--key", key, "--stack", STACK, "--agent", "deploy-bot", "--access", "--set-config", "--cwd", project, ...extra], {
        stdout: (s) => (out.stdout += s),
        stderr: (s) => (out.stderr += s),
    });
    return { code, ...out };
}

describe("agentguard approve --set-config (real pulumi CLI)", () => {
    beforeAll(async () => {
        const d = tempDir("agentguard-cli-");
        project = path.join(d, "project");
        mkdirSync(project);
        mkdirSync(path.join(d, "state"));
        writeFileSync(path.join(project, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
        setEnv({
            PULUMI_BACKEND_URL: `file://${path.join(d, "state")}`,
            PULUMI_HOME: path.join(d, ".pulumi"),
            PULUMI_CONFIG_PASSPHRASE: "set-config-test",
            PULUMI_SKIP_UPDATE_CHECK: "true",
        });
        pulumi("stack", "init", STACK);
        key = path.join(d, "alice.json");
        const out = { stdout: "", stderr: "" };
        expect(await main(["keygen", "--id", "alice", "--out", key], { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) })).toBe(0);
    }, 120_000);

    afterAll(() => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) {
                delete process.env[k];
            } else {
                process.env[k] = v;
            }
        }
    });

    it("appends to the plain config, drops expired tokens and keeps at most 16", async () => {
        const now = Math.floor(Date.now() / 1000);
        const live = Array.from({ length: 16 }, (_, i) => fakeToken(now + 3600, i));
        pulumi("config", "set", "agentguard:approvals", [fakeToken(now - 60, 99), ...live].join(" "), "--plaintext", "--stack", STACK);
        const r = await approve();
        expect(r.code).toBe(0);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain("dropped 1 expired or unreadable; dropped the 1 oldest to stay within 16");
        const stored = approvals()!;
        expect(stored.secret).toBe(false);
        const tokens = stored.value!.split(" ");
        expect(tokens).toHaveLength(16);
        expect(tokens.slice(0, 15)).toEqual(live.slice(1));
        expect(tokens[15].split(".")).toHaveLength(3);
        expect(tokens).not.toContain(live[0]);
        // A second approval appends after it.
        expect((await approve()).code).toBe(0);
        expect(approvals()!.value!.split(" ").slice(-2)[0]).toBe(tokens[15]);
    }, 60_000);

    it("passes nothing the agent wrote to pulumi as a flag: an entry that is no compact token is dropped, and the value follows --", async () => {
        const now = Math.floor(Date.now() / 1000);
        const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
        const live = fakeToken(now + 3600, 1);
        // A flag that decodes as a token with an expiry (jose reads the middle part only).
        const flagLike = `--tracing=file:/tmp/agentguard-trace.${b64({ exp: now + 3600 })}.x`;
        pulumi("config", "set", "--plaintext", "--stack", STACK, "--", "agentguard:approvals", [flagLike, live].join(" "));
        const r = await approve();
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain("now holds 2 token(s); dropped 1 expired or unreadable");
        const tokens = approvals()!.value!.split(" ");
        expect(tokens).toHaveLength(2);
        expect(tokens[0]).toBe(live);
        expect(tokens.join(" ")).not.toContain("--tracing");
        pulumi("config", "rm", "agentguard:approvals", "--stack", STACK);
    }, 60_000);

    it("refuses to replace a secret value it cannot read", async () => {
        pulumi("config", "set", "--secret", "agentguard:approvals", "x.y.z", "--stack", STACK);
        const r = await approve();
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("is a secret");
        expect(approvals()!.secret).toBe(true);
        pulumi("config", "rm", "agentguard:approvals", "--stack", STACK);
    }, 60_000);
});
