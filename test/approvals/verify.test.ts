import { CompactSign, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ApprovalErrorCode } from "../../src/approvals/errors";
import { readPresentedTokens } from "../../src/approvals/tokens";
import { verifyApprovals } from "../../src/approvals/verify";
import { approversFor } from "../../src/approvals/roles";
import { bindApprovals } from "../../src/gate/run";
import { GateConfig } from "../../src/gate/config";
import { AGENT, Approver, NOW, STACK, approver, config, sign } from "../fixtures";

let alice: Approver;
let mallory: Approver; // holds a key nobody configured
let cfg: GateConfig;

beforeAll(async () => {
    alice = await approver("alice");
    mallory = await approver("mallory");
    cfg = config({ approvers: [alice.entry, { ...(await approver("deploy-bot")).entry }] });
});

async function check(tokens: string | string[], over: { now?: number; agent?: string } = {}) {
    const raw = Array.isArray(tokens) ? JSON.stringify(tokens) : tokens;
    return verifyApprovals(readPresentedTokens(raw), { config: cfg, stack: STACK, agent: over.agent ?? AGENT, now: over.now ?? NOW });
}

async function codeOf(token: string, over: { now?: number; agent?: string } = {}): Promise<ApprovalErrorCode | undefined> {
    const { reports } = await check([token], over);
    expect(reports).toHaveLength(1);
    return reports[0].code;
}

/** Signs an arbitrary payload and header with alice's key. */
function raw(payload: Record<string, unknown>, header: Record<string, unknown> = {}, who: Approver = alice): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", typ: "agentguard-approval+jwt", kid: who.keyFile.kid, ...header }).sign(who.key);
}

const good = () => ({
    iss: "alice",
    aud: "agentguard",
    sub: "organization/shop/dev",
    agent: AGENT,
    iat: NOW - 60,
    exp: NOW + 3600,
    jti: "j-1",
    scope: { environments: ["production"] },
});

describe("approval tokens", () => {
    it("accepts a well-formed token and reports it by jti", async () => {
        const { valid, reports } = await check([await raw(good())]);
        expect(valid).toHaveLength(1);
        expect(reports).toEqual([{ jti: "j-1", iss: "alice", valid: true }]);
    });

    it("accepts tokens issued by the CLI core", async () => {
        expect((await check([await sign(alice, { access: true })])).valid).toHaveLength(1);
    });

    const cases: [string, () => Promise<string>, ApprovalErrorCode, { now?: number; agent?: string }?][] = [
        ["garbage", async () => "not-a-token", "ERR_APPROVAL_MALFORMED"],
        ["two parts", async () => "eyJhbGciOiJFZERTQSJ9.e30", "ERR_APPROVAL_MALFORMED"],
        ["a header that is not JSON", async () => "bm90anNvbg.e30.AAAA", "ERR_APPROVAL_MALFORMED"],
        ["alg none", async () => `${Buffer.from(JSON.stringify({ alg: "none", typ: "agentguard-approval+jwt", kid: "alice" })).toString("base64url")}.${Buffer.from(JSON.stringify(good())).toString("base64url")}.`, "ERR_APPROVAL_ALG_NOT_ALLOWED"],
        ["alg HS256", async () => new SignJWT(good()).setProtectedHeader({ alg: "HS256", typ: "agentguard-approval+jwt", kid: "alice" }).sign(new TextEncoder().encode("x".repeat(32))), "ERR_APPROVAL_ALG_NOT_ALLOWED"],
        ["wrong typ", () => raw(good(), { typ: "JWT" }), "ERR_APPROVAL_WRONG_TYP"],
        ["no typ", () => raw(good(), { typ: undefined }), "ERR_APPROVAL_WRONG_TYP"],
        ["unknown kid", () => raw(good(), { kid: "mallory" }, mallory), "ERR_APPROVAL_UNKNOWN_KID"],
        ["a forged signature (other key, alice's kid)", () => raw(good(), { kid: "alice" }, mallory), "ERR_APPROVAL_BAD_SIGNATURE"],
        ["issuer not the key's owner", () => raw({ ...good(), iss: "bob" }), "ERR_APPROVAL_ISSUER_MISMATCH"],
        ["wrong audience", () => raw({ ...good(), aud: "someone-else" }), "ERR_APPROVAL_WRONG_AUDIENCE"],
        ["wrong stack", () => raw({ ...good(), sub: "organization/shop/prod" }), "ERR_APPROVAL_WRONG_STACK"],
        ["wrong agent", () => raw({ ...good(), agent: "other-bot" }), "ERR_APPROVAL_WRONG_AGENT"],
        ["missing iat", () => raw({ ...good(), iat: undefined }), "ERR_APPROVAL_MISSING_CLAIM"],
        ["missing exp", () => raw({ ...good(), exp: undefined }), "ERR_APPROVAL_MISSING_CLAIM"],
        ["missing jti", () => raw({ ...good(), jti: undefined }), "ERR_APPROVAL_MISSING_CLAIM"],
        ["empty jti", () => raw({ ...good(), jti: "" }), "ERR_APPROVAL_MISSING_CLAIM"],
        ["missing agent", () => raw({ ...good(), agent: undefined }), "ERR_APPROVAL_MISSING_CLAIM"],
        ["missing scope", () => raw({ ...good(), scope: undefined }), "ERR_APPROVAL_MISSING_CLAIM"],
        ["a string exp", () => raw({ ...good(), exp: String(NOW + 10) }), "ERR_APPROVAL_MISSING_CLAIM"],
        ["a malformed scope", () => raw({ ...good(), scope: { maxMonthlyUsd: "lots" } }), "ERR_APPROVAL_BAD_SCOPE"],
        ["an unknown scope field", () => raw({ ...good(), scope: { everything: true } }), "ERR_APPROVAL_BAD_SCOPE"],
        ["an unknown environment", () => raw({ ...good(), scope: { environments: ["prod"] } }), "ERR_APPROVAL_BAD_SCOPE"],
        ["expired", () => raw({ ...good(), iat: NOW - 7200, exp: NOW - 61 }), "ERR_APPROVAL_EXPIRED"],
        ["not yet valid", () => raw({ ...good(), nbf: NOW + 600 }), "ERR_APPROVAL_NOT_YET_VALID"],
        ["issued in the future", () => raw({ ...good(), iat: NOW + 600, exp: NOW + 1200 }), "ERR_APPROVAL_ISSUED_IN_FUTURE"],
        ["lifetime too long", () => raw({ ...good(), iat: NOW - 10, exp: NOW - 10 + 86401 }), "ERR_APPROVAL_LIFETIME_TOO_LONG"],
    ];
    it.each(cases)("rejects %s", async (_name, make, code, over) => {
        expect(await codeOf(await make(), over)).toBe(code);
    });

    it("tolerates clock skew within clockSkewSeconds, not beyond", async () => {
        expect(await codeOf(await raw({ ...good(), exp: NOW - 30 }))).toBeUndefined();
        expect(await codeOf(await raw({ ...good(), iat: NOW + 30 }))).toBeUndefined();
        expect(await codeOf(await raw({ ...good(), nbf: NOW + 30 }))).toBeUndefined();
    });

    it("rejects self-approval: an approver whose id is the agent's", async () => {
        const bot = cfg.approvers.find((a) => a.id === "deploy-bot")!;
        expect(bot).toBeDefined();
        const botKey = await approver("deploy-bot");
        const c2 = config({ approvers: [alice.entry, botKey.entry] });
        const t = await new SignJWT({ ...good(), iss: "deploy-bot" }).setProtectedHeader({ alg: "EdDSA", typ: "agentguard-approval+jwt", kid: "deploy-bot" }).sign(botKey.key);
        const { reports } = await verifyApprovals(readPresentedTokens(t), { config: c2, stack: STACK, agent: AGENT, now: NOW });
        expect(reports[0].code).toBe("ERR_APPROVAL_SELF_APPROVAL");
    });

    it("rejects self-approval whatever the case: the agent run as \"Deploy-Bot\" is approver \"deploy-bot\"", async () => {
        const botKey = await approver("deploy-bot");
        const c2 = config({ approvers: [alice.entry, botKey.entry] });
        const t = await new SignJWT({ ...good(), iss: "deploy-bot", agent: "Deploy-Bot" }).setProtectedHeader({ alg: "EdDSA", typ: "agentguard-approval+jwt", kid: "deploy-bot" }).sign(botKey.key);
        const { valid, reports } = await verifyApprovals(readPresentedTokens(t), { config: c2, stack: STACK, agent: "Deploy-Bot", now: NOW });
        expect(valid).toEqual([]);
        expect(reports[0].code).toBe("ERR_APPROVAL_SELF_APPROVAL");
        expect(approversFor(c2, "Deploy-Bot", "access")).toEqual(["alice"]);
    });

    it("reports a plan-bound token used outside its plan as rejected even when its jti is not plain (the report names it by label)", async () => {
        const plan = `sha256:${"a".repeat(64)}`;
        const set = await verifyApprovals(readPresentedTokens(await raw({ ...good(), jti: "j 2", plan })), { config: cfg, stack: STACK, agent: AGENT, now: NOW });
        expect(set.reports[0]).toMatchObject({ valid: true, jti: expect.stringMatching(/^#1 \(sha256:/) });
        const bound = bindApprovals(set, undefined);
        expect(bound.valid).toEqual([]);
        expect(bound.reports[0]).toMatchObject({ valid: false, code: "ERR_APPROVAL_WRONG_PLAN" });
    });

    it("rejects a replayed token (same jti twice) the second time", async () => {
        const t = await raw(good());
        const { valid, reports } = await check([t, t]);
        expect(valid).toHaveLength(1);
        expect(reports.map((r) => r.code)).toEqual([undefined, "ERR_APPROVAL_DUPLICATE"]);
    });

    it("rejects a payload that was tampered with after signing", async () => {
        const [h, , s] = (await raw(good())).split(".");
        const p = Buffer.from(JSON.stringify({ ...good(), scope: { access: true } })).toString("base64url");
        expect(await codeOf(`${h}.${p}.${s}`)).toBe("ERR_APPROVAL_BAD_SIGNATURE");
    });

    it("rejects a signed payload that is not a JSON object", async () => {
        const t = await new CompactSign(new TextEncoder().encode("[1,2]")).setProtectedHeader({ alg: "EdDSA", typ: "agentguard-approval+jwt", kid: "alice" }).sign(alice.key);
        expect(await codeOf(t)).toBe("ERR_APPROVAL_MALFORMED");
    });

    it("considers at most 16 tokens and rejects the rest as too many", async () => {
        const t = await raw(good());
        const tokens = Array.from({ length: 18 }, () => t);
        const { reports } = await check(tokens);
        expect(reports.slice(16).map((r) => r.code)).toEqual(["ERR_APPROVAL_TOO_MANY", "ERR_APPROVAL_TOO_MANY"]);
    });

    it("rejects tokens over 8 KiB unread", async () => {
        const big = await raw({ ...good(), scope: { resources: Array.from({ length: 400 }, (_, i) => `urn:pulumi:dev::shop::aws:s3/bucket:Bucket::b${i}`) } });
        expect(big.length).toBeGreaterThan(8192);
        expect(await codeOf(big)).toBe("ERR_APPROVAL_TOO_LARGE");
    });

    it("reads tokens from a string separated by whitespace, newlines or commas", async () => {
        const a = await raw(good());
        const b = await raw({ ...good(), jti: "j-2" });
        for (const joined of [`${a} ${b}`, `${a}\n${b}\n`, `${a},${b}`, ` ${a} ,\n ${b} `]) {
            expect((await check(joined)).valid.map((v) => v.jti)).toEqual(["j-1", "j-2"]);
        }
    });

    it("reads stack config and AGENTGUARD_APPROVALS as one list: numbered across both, at most 16 in all", () => {
        const list = JSON.stringify(Array.from({ length: 10 }, (_, i) => `c${i}.x.y`));
        const env = Array.from({ length: 8 }, (_, i) => `e${i}.x.y`).join(" ");
        const presented = readPresentedTokens(list, env);
        expect(presented.map((p) => p.index)).toEqual(Array.from({ length: 18 }, (_, i) => i));
        expect(presented.slice(0, 16).every((p) => "token" in p)).toBe(true);
        expect(presented.slice(16).map((p) => ("error" in p ? p.error.code : "kept"))).toEqual(["ERR_APPROVAL_TOO_MANY", "ERR_APPROVAL_TOO_MANY"]);
        expect(readPresentedTokens(undefined, "a.b.c")).toEqual([{ index: 0, token: "a.b.c" }]);
        expect(readPresentedTokens(undefined, undefined)).toEqual([]);
    });

    it("explains a token split by a line break", async () => {
        const t = await raw(good());
        const broken = `${t.slice(0, 40)}\n${t.slice(40)}`;
        const { reports } = await check(broken);
        expect(reports.every((r) => r.code === "ERR_APPROVAL_MALFORMED")).toBe(true);
        expect(reports[0].reason).toContain("line break");
    });

    it("never puts token material in reports", async () => {
        const t = await raw({ ...good(), exp: NOW - 1000, iat: NOW - 2000 });
        const { reports } = await check([t, "garbage.token.here"]);
        const text = JSON.stringify(reports);
        for (const part of t.split(".")) {
            expect(text).not.toContain(part);
        }
        expect(text).not.toContain("garbage.token.here");
    });

    it("names a token whose signature does not verify by its hash only, never by the claims it makes", async () => {
        const forged = await raw({ ...good(), jti: "approved-by-cto" }, { kid: "alice" }, mallory);
        const { reports } = await check([forged]);
        expect(reports[0].code).toBe("ERR_APPROVAL_BAD_SIGNATURE");
        expect(reports[0].iss).toBeUndefined();
        expect(reports[0].jti).toMatch(/^#1 \(sha256:[0-9a-f]{8}\)$/);
        // Once the signature verifies, the claims are authentic and name the token.
        const expired = await raw({ ...good(), jti: "old", iat: NOW - 7200, exp: NOW - 3600 });
        expect((await check([expired])).reports[0]).toMatchObject({ jti: "old", iss: "alice", code: "ERR_APPROVAL_EXPIRED" });
    });

    it("does not echo attacker-controlled text from unverified tokens", async () => {
        const evil = await raw({ ...good(), jti: "x\u001b[31m; rm -rf / #", sub: "organization/shop/prod\nforged line" });
        const { reports } = await check([evil]);
        expect(JSON.stringify(reports)).not.toContain("rm -rf");
        expect(JSON.stringify(reports)).not.toContain("forged line");
    });
});

describe("plan and destroy claims", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    it("reads a plan or destroy digest into the approval", async () => {
        expect((await check([await raw({ ...good(), plan: digest })])).valid[0].plan).toBe(digest);
        expect((await check([await raw({ ...good(), destroy: digest })])).valid[0].destroy).toBe(digest);
    });
    it.each([["plan", "sha256:abc"], ["plan", 12], ["destroy", "md5:" + "a".repeat(32)]])("rejects a malformed %s claim %s", async (name, v) => {
        expect(await codeOf(await raw({ ...good(), [name]: v }))).toBe("ERR_APPROVAL_MISSING_CLAIM");
    });
    it("rejects a token bound to both a plan and a destroy", async () => {
        expect(await codeOf(await raw({ ...good(), plan: digest, destroy: digest }))).toBe("ERR_APPROVAL_MISSING_CLAIM");
    });
    it("rejects a destructive scope that is not a boolean", async () => {
        expect(await codeOf(await raw({ ...good(), scope: { destructive: "yes" } }))).toBe("ERR_APPROVAL_BAD_SCOPE");
    });
});
