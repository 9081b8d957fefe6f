/**
 * `agentguard revoke`: edits the POLICY pack config, never stack config, and keeps it valid;
 * `agentguard verify` then reports revoked tokens and approver roles with stable codes.
 */
import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseBefore } from "../../src/cli/revoke";
import { main } from "../../src/cli/main";
import { normalizeGateConfig } from "../../src/gate/config";
import { Approver, approver, realNow, sign } from "../fixtures";

let alice: Approver;
let bob: Approver;

beforeAll(async () => {
    [alice, bob] = await Promise.all([approver("alice"), approver("bob")]);
});

async function run(...argv: string[]) {
    const out = { stdout: "", stderr: "" };
    const code = await main(argv, { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) });
    return { code, ...out };
}

function dir(): string {
    return mkdtempSync(path.join(tmpdir(), "agentguard-revoke-"));
}

function policyFile(gate: Record<string, unknown> = { approvers: [alice.entry, bob.entry] }, extra: Record<string, unknown> = {}): string {
    const f = path.join(dir(), "policy-config.json");
    writeFileSync(f, JSON.stringify({ "agent-change-gate": gate, "agent-identity-hygiene": { maxTokenTtlDays: 90 }, ...extra }, null, 4) + "\n");
    return f;
}

const gateOf = (f: string) => JSON.parse(readFileSync(f, "utf8"))["agent-change-gate"];

describe("agentguard revoke", () => {
    it("adds jtis to revoked.jtis, keeps the rest of the file, its indentation and mode, and stays valid", async () => {
        const f = policyFile();
        chmodSync(f, 0o640);
        const r = await run("revoke", "--policy-config", f, "--jti", "leaked-1", "--jti", "leaked-2");
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain('token "leaked-1" revoked');
        const text = readFileSync(f, "utf8");
        expect(text).toMatch(/^ {4}"agent-change-gate"/m);
        expect(statSync(f).mode & 0o777).toBe(0o640);
        const parsed = JSON.parse(text);
        expect(parsed["agent-identity-hygiene"]).toEqual({ maxTokenTtlDays: 90 });
        expect(parsed["agent-change-gate"].revoked).toEqual({ jtis: ["leaked-1", "leaked-2"] });
        expect(normalizeGateConfig(parsed["agent-change-gate"]).revoked.jtis).toEqual(["leaked-1", "leaked-2"]);
        // Again: idempotent.
        expect((await run("revoke", "--policy-config", f, "--jti", "leaked-1")).stderr).toContain("already revoked");
        expect(gateOf(f).revoked.jtis).toEqual(["leaked-1", "leaked-2"]);
    });

    it("revokes an approver's tokens issued before a time; a later time wins, an earlier one never un-revokes", async () => {
        const f = policyFile();
        expect((await run("revoke", "--policy-config", f, "--approver", "alice", "--before", "2026-12-01T09:00:00+01:00")).code).toBe(0);
        expect(gateOf(f).revoked.approvers).toEqual({ alice: "2026-12-01T08:00:00.000Z" });
        const earlier = await run("revoke", "--policy-config", f, "--approver", "alice", "--before", "2026-11-01T00:00:00Z");
        expect(earlier.code).toBe(0);
        expect(earlier.stderr).toContain("already revoked");
        expect(gateOf(f).revoked.approvers).toEqual({ alice: "2026-12-01T08:00:00.000Z" });
        await run("revoke", "--policy-config", f, "--approver", "alice", "--before", "2026-12-02T00:00:00Z");
        expect(gateOf(f).revoked.approvers).toEqual({ alice: "2026-12-02T00:00:00.000Z" });
        expect(normalizeGateConfig(gateOf(f)).revoked.approvers.alice).toBe("2026-12-02T00:00:00.000Z");
    });

    it("keeps enforcementLevel and edits the policies of a version 2 file", async () => {
        const f = path.join(dir(), "v2.json");
        writeFileSync(f, JSON.stringify({ version: 2, policies: { "agent-change-gate": { enforcementLevel: "mandatory", approvers: [alice.entry] } } }));
        expect((await run("revoke", "--policy-config", f, "--jti", "x1")).code).toBe(0);
        const parsed = JSON.parse(readFileSync(f, "utf8"));
        expect(parsed.policies["agent-change-gate"]).toMatchObject({ enforcementLevel: "mandatory", revoked: { jtis: ["x1"] } });
    });

    it.each([
        ["Pulumi.prod.yaml", "config:\n  agentguard:agent: deploy-bot\n", "Pulumi project or stack config"],
        ["Pulumi.yaml", "name: shop\nruntime: nodejs\n", "Pulumi project or stack config"],
        ["policy.yaml", "agent-change-gate:\n  approvers: []\n", "is YAML"],
        ["stack.json", JSON.stringify({ config: { "agentguard:agent": "deploy-bot" }, "agent-change-gate": {} }), 'the key "config"'],
        ["exported.json", JSON.stringify({ "agentguard:approvals": { value: "x" }, "agent-change-gate": {} }), 'the key "agentguard:approvals"'],
        ["other.json", JSON.stringify({ "some-policy": {} }), 'no "agent-change-gate" section'],
        ["garbage.json", "not json", "does not hold a JSON object"],
    ])("refuses to write %s", async (name, content, why) => {
        const f = path.join(dir(), name);
        writeFileSync(f, content);
        const r = await run("revoke", "--policy-config", f, "--jti", "leaked-1");
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("refusing to edit");
        expect(r.stderr).toContain(why);
        expect(readFileSync(f, "utf8")).toBe(content);
    });

    it("refuses a symlink that points at stack config", async () => {
        const d = dir();
        const stack = path.join(d, "Pulumi.prod.yaml");
        writeFileSync(stack, "config: {}\n");
        const link = path.join(d, "policy-config.json");
        symlinkSync(stack, link);
        const r = await run("revoke", "--policy-config", link, "--jti", "leaked-1");
        expect(r.code).toBe(2);
        expect(readFileSync(stack, "utf8")).toBe("config: {}\n");
    });

    it("writes nothing when the result would be invalid or the call is wrong", async () => {
        const f = policyFile();
        const before = readFileSync(f, "utf8");
        for (const argv of [
            ["--jti", "x", "--approver", "alice", "--before", "now"],
            ["--approver", "alice"],
            ["--approver", "mallory", "--before", "now"],
            ["--approver", "alice", "--before", "yesterday"],
            ["--approver", "alice", "--before", "2026-12-01T09:00:00"],
            [],
        ]) {
            const r = await run("revoke", "--policy-config", f, ...argv);
            expect(r.code, argv.join(" ")).toBe(2);
            expect(r.stderr.trim().split("\n")).toHaveLength(1);
        }
        const broken = policyFile({ approvers: [alice.entry], maxResources: -1 });
        const brokenText = readFileSync(broken, "utf8");
        expect((await run("revoke", "--policy-config", broken, "--jti", "x")).code).toBe(2);
        expect(readFileSync(broken, "utf8")).toBe(brokenText);
        expect(readFileSync(f, "utf8")).toBe(before);
    });

    it("parses --before as a zoned ISO time or now", () => {
        expect(parseBefore("now", new Date("2026-12-01T10:00:00.500Z"))).toBe("2026-12-01T10:00:00.000Z");
        expect(parseBefore("2026-12-01T10:00Z")).toBe("2026-12-01T10:00:00.000Z");
        expect(() => parseBefore("2026-12-01")).toThrow();
    });
});

describe("agentguard verify applies the same rules", () => {
    const stack = { organization: "organization", project: "shop", stack: "prod" };
    const args = (f: string, ...tokens: string[]) => ["verify", "--policy-config", f, "--stack", "organization/shop/prod", "--agent", "deploy-bot", ...tokens];

    it("reports a revoked jti and an approver revoked before a time; tokens after the time are valid", async () => {
        const now = realNow();
        const f = policyFile();
        const leaked = await sign(alice, { environments: ["production"] }, { stack, now: now - 60, jti: "leaked-1" });
        const old = await sign(bob, { environments: ["production"] }, { stack, now: now - 3600, jti: "bob-old" });
        const fresh = await sign(bob, { environments: ["production"] }, { stack, now: now - 60, jti: "bob-new" });
        expect((await run(...args(f, leaked, old, fresh))).code).toBe(0);
        await run("revoke", "--policy-config", f, "--jti", "leaked-1");
        await run("revoke", "--policy-config", f, "--approver", "bob", "--before", new Date((now - 600) * 1000).toISOString());
        const r = await run(...args(f, leaked, old, fresh));
        expect(r.code).toBe(1);
        expect(r.stdout).toContain('invalid  token "leaked-1" from "alice": revoked');
        expect(r.stdout).toContain("[ERR_APPROVAL_REVOKED]");
        expect(r.stdout).toContain('invalid  token "bob-old" from "bob"');
        expect(r.stdout).toContain("[ERR_APPROVAL_APPROVER_REVOKED]");
        expect(r.stdout).toMatch(/valid {4}token "bob-new" from "bob"/);
    });

    it("rejects an owner's token and names an approver's gates", async () => {
        const f = policyFile({ approvers: [alice.entry, { ...bob.entry, gates: ["environment", "provider"] }], agents: { "deploy-bot": { owners: ["alice@example.com"] } } });
        const a = await sign(alice, { environments: ["production"] }, { stack, now: realNow() - 60, jti: "a1" });
        const b = await sign(bob, { environments: ["production"] }, { stack, now: realNow() - 60, jti: "b1" });
        const r = await run(...args(f, a, b));
        expect(r.code).toBe(1);
        expect(r.stdout).toContain('invalid  token "a1" from "alice"');
        expect(r.stdout).toContain("[ERR_APPROVAL_OWNER]");
        expect(r.stdout).toContain("counts only for environment, provider (approvers[].gates)");
    });
});
