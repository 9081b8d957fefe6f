import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { JWK, SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from "jose";
import { describe, expect, it } from "vitest";
import { tempDir } from "../tmp";
import { parseTtl } from "../../src/cli/approvals";
import { main } from "../../src/cli/main";

function capture() {
    const out = { stdout: "", stderr: "" };
    return { io: { stdout: (s: string) => (out.stdout += s), stderr: (s: string) => (out.stderr += s) }, out };
}

async function run(...argv: string[]) {
    const { io, out } = capture();
    const code = await main(argv, io);
    return { code, ...out };
}

function dir(): string {
    return tempDir("agentguard-cli-");
}

async function setup() {
    const d = dir();
    const keys: Record<string, string> = {};
    const approvers = [];
    for (const id of ["alice", "bob"]) {
        const out = path.join(d, `${id}.json`);
        const r = await run("keygen", "--id", id, "--out", out);
        expect(r.code).toBe(0);
        keys[id] = out;
        approvers.push(JSON.parse(r.stdout));
    }
    const policyConfig = path.join(d, "policy-config.json");
    writeFileSync(policyConfig, JSON.stringify({ "agent-change-gate": { approvers } }));
    return { d, keys, approvers, policyConfig };
}

describe("agentguard command line", () => {
    it("keygen writes a 0600 private key and prints the approver entry only", async () => {
        const d = dir();
        const out = path.join(d, "alice.json");
        const r = await run("keygen", "--id", "alice", "--out", out);
        expect(r.code).toBe(0);
        expect(statSync(out).mode & 0o777).toBe(0o600);
        const entry = JSON.parse(r.stdout);
        expect(entry).toMatchObject({ id: "alice", kid: "alice", publicKeyJwk: { kty: "OKP", crv: "Ed25519" } });
        expect(entry.publicKeyJwk.d).toBeUndefined();
        const priv = JSON.parse(readFileSync(out, "utf8"));
        expect(r.stdout + r.stderr).not.toContain(priv.privateKeyJwk.d);
        // Never overwrites a key.
        expect((await run("keygen", "--id", "alice", "--out", out)).code).toBe(2);
    });

    it("approve prints one token bound to stack, agent and scope; verify accepts it", async () => {
        const { keys, policyConfig } = await setup();
        const a = await run("approve", "--key", keys.alice, "--stack", "organization/shop/prod", "--agent", "deploy-bot", "--environment", "production", "--provider", "gcp", "--max-monthly-usd", "500", "--ttl", "30m");
        expect(a.code).toBe(0);
        const token = a.stdout.trim();
        expect(token.split(".")).toHaveLength(3);
        expect(decodeProtectedHeader(token)).toEqual({ alg: "EdDSA", typ: "agentguard-approval+jwt", kid: "alice" });
        const claims = decodeJwt(token);
        expect(claims).toMatchObject({ iss: "alice", aud: "agentguard", sub: "organization/shop/prod", agent: "deploy-bot", scope: { environments: ["production"], providers: ["gcp"], maxMonthlyUsd: 500 } });
        expect(claims.exp! - claims.iat!).toBe(1800);
        const v = await run("verify", "--policy-config", policyConfig, "--stack", "organization/shop/prod", "--agent", "deploy-bot", token);
        expect(v.code).toBe(0);
        expect(v.stdout).toMatch(/^valid {4}token ".+" from "alice"/);
    });

    it("verify explains each invalid token and exits non-zero", async () => {
        const { keys, policyConfig } = await setup();
        const token = (await run("approve", "--key", keys.bob, "--stack", "organization/shop/dev", "--agent", "deploy-bot", "--access")).stdout.trim();
        const v = await run("verify", "--policy-config", policyConfig, "--stack", "organization/shop/prod", "--agent", "deploy-bot", token, "garbage");
        expect(v.code).toBe(1);
        expect(v.stdout).toContain('issued for another stack: it names "organization/shop/dev", this run is "organization/shop/prod" [ERR_APPROVAL_WRONG_STACK]');
        expect(v.stdout).toContain("[ERR_APPROVAL_MALFORMED]");
        expect(v.stdout).not.toContain(token);
    });

    it("verify names a token whose jti is not plain by its label, and prints a signed scope's odd text escaped on one line", async () => {
        const { keys, policyConfig } = await setup();
        const file = JSON.parse(readFileSync(keys.bob, "utf8")) as { id: string; privateKeyJwk: JWK };
        const key = await importJWK(file.privateKeyJwk, "EdDSA");
        const now = Math.floor(Date.now() / 1000);
        const sign = (jti: string, scope: object) =>
            new SignJWT({ iss: "bob", aud: "agentguard", sub: "organization/shop/prod", agent: "deploy-bot", jti, iat: now, exp: now + 600, scope })
                .setProtectedHeader({ alg: "EdDSA", typ: "agentguard-approval+jwt", kid: "bob" })
                .sign(key);
        const spaced = await run("verify", "--policy-config", policyConfig, "--stack", "organization/shop/prod", "--agent", "deploy-bot", await sign("j 2", { access: true }));
        expect(spaced.code, spaced.stderr).toBe(0);
        expect(spaced.stdout).toMatch(/^valid {4}token "#1 \(sha256:[0-9a-f]+\)" from "bob", expires .*, grants \{"access":true\}\n$/);
        const forged = await run("verify", "--policy-config", policyConfig, "--stack", "organization/shop/prod", "--agent", "deploy-bot", await sign("j9", { 'x\nvalid    token "j9" from "alice", grants {"access":true}': 1 }));
        expect(forged.code).toBe(1);
        expect(forged.stdout.split("\n").filter((l) => l !== "")).toHaveLength(1);
        expect(forged.stdout).toContain("[ERR_APPROVAL_BAD_SCOPE]");
        expect(forged.stdout).toContain("\\u{a}valid");
    });

    it("approve refuses lifetimes over the default maximum unless told", async () => {
        const { keys } = await setup();
        const args = ["approve", "--key", keys.alice, "--stack", "o/p/s", "--agent", "bot", "--access", "--ttl", "2d"];
        const refused = await run(...args);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain("--allow-long-ttl");
        expect((await run(...args, "--allow-long-ttl")).code).toBe(0);
    });

    it("approve refuses an empty grant, a bad stack, an approver approving itself, and a readable key", async () => {
        const { keys } = await setup();
        expect((await run("approve", "--key", keys.alice, "--stack", "o/p/s", "--agent", "bot")).stderr).toContain("must grant something");
        expect((await run("approve", "--key", keys.alice, "--stack", "prod", "--agent", "bot", "--access")).stderr).toContain("<organization>/<project>/<stack>");
        expect((await run("approve", "--key", keys.alice, "--stack", "o/p/s", "--agent", "alice", "--access")).stderr).toContain("cannot approve its own run");
        const { chmodSync } = await import("node:fs");
        chmodSync(keys.bob, 0o644);
        const r = await run("approve", "--key", keys.bob, "--stack", "o/p/s", "--agent", "bot", "--access");
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("chmod 600");
    });

    it("parses TTLs", () => {
        expect(parseTtl("4h")).toBe(14400);
        expect(parseTtl("30m")).toBe(1800);
        expect(parseTtl("90")).toBe(90);
        expect(parseTtl("1d")).toBe(86400);
        expect(() => parseTtl("soon")).toThrow();
    });

    it("answers unknown commands and missing flags with one sentence", async () => {
        expect((await run("frobnicate")).code).toBe(2);
        const r = await run("approve", "--stack", "o/p/s", "--agent", "x", "--access");
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });

    const COMMANDS = ["keygen", "approve", "verify", "config", "cost", "plan check", "revoke", "doctor", "instructions", "report"];

    it.each(COMMANDS)("%s --help and -h print help made from its options", async (cmd) => {
        for (const flag of ["--help", "-h"]) {
            const r = await run(...cmd.split(" "), flag);
            expect(r.code).toBe(0);
            expect(r.stdout).toMatch(new RegExp(`^usage: agentguard ${cmd} \\[options\\]`));
            expect(r.stdout).toContain("--version");
        }
        expect((await run("help", cmd.split(" ")[0])).stdout).toBe((await run(...cmd.split(" "), "--help")).stdout);
    });

    it("help lists the options the usage text used to leave out", async () => {
        expect((await run("keygen", "--help")).stdout).toContain("--kid <key id>");
        expect((await run("keygen", "--help")).stdout).toContain("--public <keyfile>");
        expect((await run("approve", "--help")).stdout).toContain("--allow-long-ttl");
        expect((await run("approve", "--help")).stdout).toContain("--set-config");
        expect((await run("verify", "--help")).stdout).toContain("--json");
        expect((await run("plan", "check", "--help")).stdout).toContain("--stack-tags <tags.json>");
        expect((await run("revoke", "--help")).stdout).toContain("--jti <id>…");
        expect((await run("report", "--help")).stdout).toContain("--work-hours <start-end>");
        const top = await run("--help");
        for (const cmd of COMMANDS) {
            expect(top.stdout).toContain(`agentguard ${cmd} [options]`);
        }
    });

    it("prints its version on every command", async () => {
        const { version } = JSON.parse(readFileSync(path.join(__dirname, "../../package.json"), "utf8"));
        expect((await run("--version")).stdout).toBe(`agentguard ${version}\n`);
        for (const cmd of COMMANDS) {
            expect((await run(...cmd.split(" "), "--version")).stdout).toBe(`agentguard ${version}\n`);
        }
    });

    it.each([
        [["approve", "--max-monthly-usd", "-5"], "--max-monthly-usd must be a number ≥ 0"],
        [["approve", "--max-monthly-usd"], "--max-monthly-usd needs a value"],
        [["keygen", "--idd", "alice"], 'unknown option "--idd"; did you mean "--id"?'],
        [["approve", "--stack", "o/p/s", "--stack", "o/p/t"], "--stack is given twice"],
        [["approve", "--access=yes"], "--access takes no value"],
        [["keygen", "alice"], 'unexpected argument "alice"'],
        [["plan", "check", "--polcy-config", "x"], 'unknown option "--polcy-config"; did you mean "--policy-config"?'],
        [["revoke", "--jtis", "x"], 'did you mean "--jti"?'],
        [["report", "--log"], "--log needs a value"],
        [["instructions", "--agent", "a", "--agent", "b"], "--agent is given twice"],
        [["doctor", "--fix", "."], 'unknown option "--fix"'],
        [["plan", "check", "eyJtoken"], 'unexpected argument "eyJtoken"'],
    ])("answers %j in its own words", async (argv, text) => {
        const r = await run(...argv, ...(argv[0] === "approve" && !argv.includes("--stack") ? ["--stack", "o/p/s", "--agent", "bot"] : []));
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(text);
        expect(r.stderr).not.toMatch(/ambiguous|XYZ|ERR_PARSE_ARGS/);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });

    it.each(["../evil", "Alice Smith", "agent:x", "a/b", ""])("keygen refuses the id %j", async (id) => {
        const d = dir();
        const r = await run("keygen", "--id", id, "--out", path.join(d, "k.json"));
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/is not an approver id|--id needs a value|--id is required/);
        expect(readdirSync(d)).toEqual([]);
    });

    it("keygen --public re-prints the approver entry of a key file, and only that", async () => {
        const d = dir();
        const out = path.join(d, "alice.json");
        const made = await run("keygen", "--id", "alice", "--kid", "alice-2026", "--out", out);
        const again = await run("keygen", "--public", out);
        expect(again.code).toBe(0);
        expect(JSON.parse(again.stdout)).toEqual(JSON.parse(made.stdout));
        expect(again.stdout).not.toContain(JSON.parse(readFileSync(out, "utf8")).privateKeyJwk.d);
        expect((await run("keygen", "--public", out, "--id", "bob")).code).toBe(2);
    });

    it("says what is wrong with a key file instead of raw errors", async () => {
        const d = dir();
        const approve = (key: string) => run("approve", "--key", key, "--stack", "o/p/s", "--agent", "bot", "--access");
        expect((await approve(path.join(d, "missing.json"))).stderr).toBe(`agentguard approve: key file "${path.join(d, "missing.json")}" does not exist\n`);
        const dirR = await approve(d);
        expect(dirR.stderr).toContain("is a directory");
        expect(dirR.stderr).not.toContain("chmod");
        const damaged = path.join(d, "damaged.json");
        writeFileSync(damaged, JSON.stringify({ id: "alice", kid: "alice", privateKeyJwk: { kty: "OKP", crv: "Ed25519", x: "abc", d: "def" } }), { mode: 0o600 });
        const dmg = await approve(damaged);
        expect(dmg.stderr).toContain("damaged Ed25519 key");
        expect(dmg.stderr).not.toContain("keyData");
        const entry = path.join(d, "entry.json");
        writeFileSync(entry, JSON.stringify({ id: "alice", kid: "alice", publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: "abc" } }), { mode: 0o600 });
        expect((await approve(entry)).stderr).toContain("holds an approver entry (a public key)");
    });

    it("verify --json reports each token without printing it", async () => {
        const { keys, policyConfig } = await setup();
        const token = (await run("approve", "--key", keys.alice, "--stack", "o/p/s", "--agent", "bot", "--access")).stdout.trim();
        const v = await run("verify", "--json", "--policy-config", policyConfig, "--stack", "o/p/s", "--agent", "bot", token, "garbage");
        expect(v.code).toBe(1);
        const reports = JSON.parse(v.stdout);
        expect(reports).toEqual([
            { jti: decodeJwt(token).jti, iss: "alice", valid: true, expires: expect.any(String), scope: { access: true } },
            { jti: expect.stringMatching(/^#2/), valid: false, code: "ERR_APPROVAL_MALFORMED", reason: expect.any(String) },
        ]);
        expect(v.stdout).not.toContain(token);
    });

    it("verify names a missing policy config, a typo in it, and a private key put where the public entry belongs", async () => {
        const { d, keys } = await setup();
        const args = ["--stack", "o/p/s", "--agent", "bot", "x.y.z"];
        expect((await run("verify", "--policy-config", path.join(d, "nope.json"), ...args)).stderr).toContain("does not exist");
        const typo = path.join(d, "typo.json");
        writeFileSync(typo, JSON.stringify({ "agent-change-gate": { productionAwsAcountIds: ["123456789012"] } }));
        expect((await run("verify", "--policy-config", typo, ...args)).stderr).toContain('did you mean "productionAwsAccountIds"?');
        const priv = path.join(d, "priv.json");
        writeFileSync(priv, JSON.stringify({ "agent-change-gate": { approvers: [JSON.parse(readFileSync(keys.alice, "utf8"))] } }));
        expect((await run("verify", "--policy-config", priv, ...args)).stderr).toContain("holds a private key");
    });

    it("config --out keeps an existing file unless --force, and warns when no approvers are named", async () => {
        const d = dir();
        const out = path.join(d, "policy-config.json");
        writeFileSync(out, "keep me");
        const registry = path.join(__dirname, "../../stacks/agents/agents.yaml");
        const r = await run("config", "--registry", registry, "--out", out);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("--force");
        expect(readFileSync(out, "utf8")).toBe("keep me");
        const forced = await run("config", "--registry", registry, "--out", out, "--force");
        expect(forced.code).toBe(0);
        expect(forced.stderr).toContain("names no approvers");
        expect(JSON.parse(readFileSync(out, "utf8"))["agent-change-gate"].agents).toBeDefined();
    });

    it("config says a missing registry does not exist and a YAML error without a dangling colon", async () => {
        const d = dir();
        expect((await run("config", "--registry", path.join(d, "agents.yaml"))).stderr).toMatch(/registry ".*agents.yaml" does not exist\n$/);
        writeFileSync(path.join(d, "tabs.yaml"), "version: 1\nagents:\n\t- id: x\n");
        const r = await run("config", "--registry", path.join(d, "tabs.yaml"));
        expect(r.stderr).toContain("is not valid YAML");
        expect(r.stderr).not.toMatch(/:\n$/);
    });
});

describe("agentguard approve --plan / --destroy-state", () => {
    it("binds a token to the digest of the plan's exact bytes and verify shows it", async () => {
        const { d, keys, policyConfig } = await setup();
        const plan = path.join(d, "plan.json");
        writeFileSync(plan, '{"resourcePlans":{}}');
        const r = await run("approve", "--key", keys.alice, "--stack", "organization/shop/prod", "--agent", "deploy-bot", "--destructive", "--plan", plan);
        expect(r.code, r.stderr).toBe(0);
        const claims = decodeJwt(r.stdout.trim());
        expect(claims.plan).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(claims.scope).toEqual({ destructive: true });
        const v = await run("verify", "--policy-config", policyConfig, "--stack", "organization/shop/prod", "--agent", "deploy-bot", r.stdout.trim());
        expect(v.stdout).toContain(`bound to plan ${claims.plan}`);
        const s = await run("approve", "--key", keys.bob, "--stack", "organization/shop/prod", "--agent", "deploy-bot", "--destructive", "--destroy-state", plan);
        expect(decodeJwt(s.stdout.trim()).destroy).toBe(claims.plan);
    });

    it("refuses --destructive without a plan, both bindings, and an unreadable plan", async () => {
        const { keys } = await setup();
        const base = ["approve", "--key", keys.alice, "--stack", "organization/shop/prod", "--agent", "deploy-bot", "--destructive"];
        expect((await run(...base)).code).toBe(2);
        expect((await run(...base, "--plan", "/nonexistent/plan.json")).code).toBe(2);
        expect((await run(...base, "--plan", keys.bob, "--destroy-state", keys.bob)).code).toBe(2);
    });
});

describe("agentguard plan check exit codes", () => {
    it("exits 2 on usage errors and unreadable files, 1 on a plan it does not understand, never with a stack trace", async () => {
        const { d, policyConfig } = await setup();
        const state = path.join(d, "state.json");
        writeFileSync(state, JSON.stringify({ version: 3, deployment: { resources: [] } }));
        const bad = path.join(d, "plan.json");
        writeFileSync(bad, '{"manifest": {"version": "v3.274.1"}, "resourcePlans": {"urn:pulumi:prod::shop::a:b:C::x": {"steps": ["teleport"]}}}');
        const base = ["plan", "check", "--state", state, "--policy-config", policyConfig, "--stack", "organization/shop/prod", "--agent", "deploy-bot"];
        expect((await run(...base)).code).toBe(2);
        expect((await run(...base, "--plan", path.join(d, "missing.json"))).code).toBe(2);
        const denied = await run(...base, "--plan", bad);
        expect(denied.code).toBe(1);
        expect(denied.stdout).toContain('a step "teleport" that plan check does not understand');
        expect(denied.stdout + denied.stderr).not.toMatch(/\n\s+at /);
        const exceptions = path.join(d, "exceptions.json");
        writeFileSync(exceptions, JSON.stringify({ "agent-change-gate": { enforcementLevel: "advisory", exceptions: [] } }));
        expect((await run("plan", "check", "--plan", bad, "--state", state, "--policy-config", exceptions, "--stack", "organization/shop/prod", "--agent", "deploy-bot")).code).toBe(2);
        const empty = path.join(d, "empty-plan.json");
        writeFileSync(empty, '{"manifest": {"version": "v3.274.1"}}');
        // An empty plan on production still raises the stack's own environment item.
        const onProd = await run(...base, "--plan", empty, "--json");
        expect(onProd.code, onProd.stdout).toBe(1);
        expect(JSON.parse(onProd.stdout).gates.map((g: { gate: string; resource?: string }) => `${g.gate}:${g.resource ?? "stack"}`)).toEqual(["environment:stack"]);
        const allowed = await run(...base.map((a) => (a === "organization/shop/prod" ? "organization/shop/dev" : a)), "--plan", empty, "--json");
        expect(allowed.code, allowed.stdout).toBe(0);
        expect(JSON.parse(allowed.stdout)).toMatchObject({ decision: "allow", plan: expect.stringMatching(/^sha256:/) });
    });
});
