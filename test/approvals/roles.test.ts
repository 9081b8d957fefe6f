/**
 * Who may approve what (docs/contract.md §2, §4): approver `gates`, agent `owners`, `revoked` tokens —
 * through the same verification and decision core every door uses.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { samePerson } from "../../src/approvals/roles";
import { readPresentedTokens } from "../../src/approvals/tokens";
import { verifyApprovals } from "../../src/approvals/verify";
import { GateConfig } from "../../src/gate/config";
import { denialMessage, summaryDenial } from "../../src/gate/message";
import { decide } from "../gate/helpers";
import { AGENT, Approver, NOW, STACK, approver, config, custom, run, sign } from "../fixtures";

let alice: Approver;
let bob: Approver;
let carol: Approver;

beforeAll(async () => {
    [alice, bob, carol] = await Promise.all([approver("alice"), approver("bob"), approver("carol")]);
});

const prodRun = () => run({ stack: { ...STACK, stack: "prod" } });
const PROD = { ...STACK, stack: "prod" };
const bucket = () => custom("aws:s3/bucket:Bucket", {}, { urn: "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site" });
const role = () => custom("aws:iam/role:Role", {}, { urn: "urn:pulumi:prod::shop::aws:iam/role:Role::deployer", name: "deployer" });

async function verifyWith(cfg: GateConfig, tokens: string[]) {
    return verifyApprovals(readPresentedTokens(tokens.join(" ")), { config: cfg, stack: PROD, agent: AGENT, now: NOW });
}

describe("approver gates", () => {
    it("an approval counts only for the gates its approver may approve, and the denial says why", async () => {
        const cfg = config({ approvers: [alice.entry, { ...bob.entry, gates: ["environment", "provider"] }, carol.entry] });
        const scope = { environments: ["production"], access: true };
        const tokens = [await sign(alice, scope, { stack: PROD, jti: "a1" }), await sign(bob, scope, { stack: PROD, jti: "b1" })];
        const d = await decide([role()], { config: cfg, run: prodRun(), tokens });
        const env = d.gates.find((g) => g.need.gate === "environment")!;
        const access = d.gates.find((g) => g.need.gate === "access")!;
        expect(env.approvedBy).toEqual(["alice", "bob"]);
        expect(env.satisfied).toBe(true);
        expect(access.approvedBy).toEqual(["alice"]);
        expect(access.satisfied).toBe(false);
        const { valid, reports } = await verifyWith(cfg, tokens);
        const m = denialMessage(access, { stack: PROD, agent: AGENT, approvals: { reports, valid } });
        expect(m).toContain('token "b1" from "bob" does not count for it ("bob" may approve environment, provider; not access)');
        expect(m).toContain("has 1");
    });

    it("an approver with an empty gates list approves nothing", async () => {
        const cfg = config({ approvers: [{ ...alice.entry, gates: [] }, bob.entry] });
        const tokens = [await sign(alice, { environments: ["production"] }, { stack: PROD }), await sign(bob, { environments: ["production"] }, { stack: PROD })];
        const d = await decide([bucket()], { config: cfg, run: prodRun(), tokens });
        expect(d.gates[0].approvedBy).toEqual(["bob"]);
        expect(d.decision).toBe("deny");
    });
});

describe("owners never approve their agent", () => {
    it("rejects a token from an owner with ERR_APPROVAL_OWNER, for that agent only", async () => {
        const cfg = config({ approvers: [alice.entry, bob.entry], agents: { [AGENT]: { owners: ["alice"] } } });
        const t = await sign(alice, { environments: ["production"] }, { stack: PROD, jti: "own-1" });
        const { valid, reports } = await verifyWith(cfg, [t]);
        expect(valid).toEqual([]);
        expect(reports[0]).toMatchObject({ jti: "own-1", iss: "alice", valid: false, code: "ERR_APPROVAL_OWNER" });
        expect(reports[0].reason).toContain('"alice" owns "deploy-bot"');
        // Alice owns deploy-bot, not research-bot: there she counts.
        const other = await sign(alice, { environments: ["production"] }, { stack: PROD, agent: "research-bot" });
        const r2 = await verifyApprovals(readPresentedTokens(other), { config: cfg, stack: PROD, agent: "research-bot", now: NOW });
        expect(r2.valid).toHaveLength(1);
    });

    it("an owner named by email (as the registry writes it) is the approver of that local part, in any case", async () => {
        const cfg = config({ approvers: [alice.entry, bob.entry], agents: { [AGENT]: { owners: ["Alice@Example.com"] } } });
        const { reports } = await verifyWith(cfg, [await sign(alice, { environments: ["production"] }, { stack: PROD })]);
        expect(reports[0].code).toBe("ERR_APPROVAL_OWNER");
        expect(samePerson("alice@example.com", "ALICE")).toBe(true);
        expect(samePerson("alice@example.com", "alice@other.org")).toBe(false);
        expect(samePerson("alice@example.com", "bob")).toBe(false);
    });

    it("an owner plus one other approver do not make the two approvals production needs", async () => {
        const cfg = config({ approvers: [alice.entry, bob.entry], agents: { [AGENT]: { owners: ["alice"] } } });
        const tokens = [await sign(alice, { environments: ["production"] }, { stack: PROD }), await sign(bob, { environments: ["production"] }, { stack: PROD })];
        const d = await decide([bucket()], { config: cfg, run: prodRun(), tokens });
        expect(d.gates[0].approvedBy).toEqual(["bob"]);
        expect(d.decision).toBe("deny");
    });
});

describe("revocation", () => {
    it("a revoked jti counts for nothing: ERR_APPROVAL_REVOKED", async () => {
        const cfg = config({ approvers: [alice.entry, bob.entry], revoked: { jtis: ["leaked-1"] } });
        const leaked = await sign(alice, { environments: ["production"] }, { stack: PROD, jti: "leaked-1" });
        const fine = await sign(alice, { environments: ["production"] }, { stack: PROD, jti: "fine-1" });
        const { valid, reports } = await verifyWith(cfg, [leaked, fine]);
        expect(reports.map((r) => [r.jti, r.code])).toEqual([
            ["leaked-1", "ERR_APPROVAL_REVOKED"],
            ["fine-1", undefined],
        ]);
        expect(valid.map((v) => v.jti)).toEqual(["fine-1"]);
    });

    it("an approver revoked before a time: tokens issued before fail, tokens issued at or after count", async () => {
        const cut = new Date((NOW - 600) * 1000).toISOString();
        const cfg = config({ approvers: [alice.entry, bob.entry], revoked: { approvers: { alice: cut } } });
        const before = await sign(alice, { environments: ["production"] }, { stack: PROD, now: NOW - 601, jti: "before" });
        const at = await sign(alice, { environments: ["production"] }, { stack: PROD, now: NOW - 600, jti: "at" });
        const after = await sign(alice, { environments: ["production"] }, { stack: PROD, now: NOW - 60, jti: "after" });
        const bobs = await sign(bob, { environments: ["production"] }, { stack: PROD, now: NOW - 3000, jti: "bobs" });
        const { reports } = await verifyWith(cfg, [before, at, after, bobs]);
        expect(reports.map((r) => [r.jti, r.code])).toEqual([
            ["before", "ERR_APPROVAL_APPROVER_REVOKED"],
            ["at", undefined],
            ["after", undefined],
            ["bobs", undefined],
        ]);
        expect(reports[0].reason).toContain(`tokens of "alice" issued before ${cut} count for nothing`);
    });

    it("names a revoked token in the denial with the reason", async () => {
        const cfg = config({ approvers: [alice.entry, bob.entry], revoked: { jtis: ["leaked-1"] } });
        const tokens = [await sign(alice, { environments: ["production"] }, { stack: PROD, jti: "leaked-1" }), await sign(bob, { environments: ["production"] }, { stack: PROD })];
        const d = await decide([bucket()], { config: cfg, run: prodRun(), tokens });
        expect(d.decision).toBe("deny");
        const { valid, reports } = await verifyWith(cfg, tokens);
        expect(denialMessage(d.gates[0], { stack: PROD, agent: AGENT, approvals: { reports, valid } })).toContain('token "leaked-1" from "alice" rejected: revoked (its jti is in revoked.jtis)');
    });
});

describe("the summary names who can still approve each gate", () => {
    it("lists, per gate, approvers allowed for it, minus owners, the agent and who already approved", async () => {
        const cfg = config({
            approvers: [alice.entry, { ...bob.entry, gates: ["environment"] }, { ...carol.entry, gates: ["access"] }],
            agents: { [AGENT]: { owners: ["carol@example.com"] } },
        });
        const tokens = [await sign(alice, { environments: ["production"] }, { stack: PROD })];
        const d = await decide([role()], { config: cfg, run: prodRun(), tokens });
        const denied = d.gates.filter((g) => !g.satisfied);
        const text = summaryDenial(denied, PROD, AGENT, { config: cfg });
        expect(text).toContain('Who can approve: environment "bob"; access "alice".');
        const noone = summaryDenial(denied, PROD, AGENT, { config: config({ approvers: [{ ...bob.entry, gates: ["environment"] }] }) });
        expect(noone).toContain('access nobody (configure another approver whose "gates" include access and who does not own "deploy-bot")');
    });
});
