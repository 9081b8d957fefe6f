/**
 * Who may approve what (docs/contract.md §2, §4), over the Analyzer protocol against the real pack:
 * approver `gates`, agent `owners`, `revoked` tokens, and the summary naming who can approve.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Approver, approver, realNow, sign } from "../fixtures";
import { MANDATORY, Pack, PackOptions, ResourceInput } from "./analyzer-client";

let alice: Approver;
let bob: Approver;
let carol: Approver;
const PROD = { organization: "organization", project: "shop", stack: "prod" };
const running: Pack[] = [];

beforeAll(async () => {
    [alice, bob, carol] = await Promise.all([approver("alice"), approver("bob"), approver("carol")]);
});

afterEach(() => {
    running.splice(0).forEach((p) => p.stop());
});

async function start(config: Record<string, unknown>, tokens: string[], opts: PackOptions = {}): Promise<Pack> {
    const pack = await Pack.start({
        stack: "prod",
        stackConfig: { "agentguard:agent": "deploy-bot", ...(tokens.length > 0 ? { "agentguard:approvals": tokens.join(" ") } : {}) },
        ...opts,
    });
    running.push(pack);
    await pack.configure({ "agent-change-gate": config });
    await pack.configureStack({});
    return pack;
}

const bucket: ResourceInput = { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } };
const role: ResourceInput = { type: "aws:iam/role:Role", name: "deployer", props: { assumeRolePolicy: "{}" } };
const prodToken = (a: Approver, jti: string, over: { now?: number; access?: boolean } = {}) =>
    sign(a, { environments: ["production"], ...(over.access ? { access: true } : {}) }, { stack: PROD, now: over.now ?? realNow() - 60, jti });
const text = (ds: { message: string }[]) => ds.map((d) => d.message).join("\n");

describe("approver roles, owners and revocation over the Analyzer protocol", () => {
    it("an approval from an approver outside a gate counts for nothing there; the summary names who can still approve", async () => {
        const config = { approvers: [alice.entry, { ...bob.entry, gates: ["environment", "provider"] }, carol.entry] };
        const tokens = [await prodToken(alice, "a1", { access: true }), await prodToken(bob, "b1", { access: true })];
        const pack = await start(config, tokens);
        const { perResource, stack } = await pack.preview([role]);
        // Production is covered by alice and bob; access only by alice.
        expect(perResource[0]).toHaveLength(1);
        expect(perResource[0][0].enforcementLevel).toBe(MANDATORY);
        expect(perResource[0][0].message).toContain("needs 2 approvals with access: true, has 1 (from \"alice\")");
        expect(perResource[0][0].message).toContain('token "b1" from "bob" does not count for it ("bob" may approve environment, provider; not access)');
        expect(text(stack)).toContain('Who can approve: access "carol".');
    });

    it("an owner approving their agent counts for nothing, with the reason, and is not named as someone to ask", async () => {
        const config = { approvers: [alice.entry, bob.entry, carol.entry], agents: { "deploy-bot": { owners: ["alice@example.com"] } } };
        const pack = await start(config, [await prodToken(alice, "own-1"), await prodToken(bob, "b1")]);
        const { perResource, stack } = await pack.preview([bucket]);
        expect(perResource[0]).toHaveLength(1);
        expect(perResource[0][0].message).toContain('has 1 (from "bob")');
        expect(perResource[0][0].message).toContain('token "own-1" from "alice" rejected: an owner of the agent (agents[id].owners) never counts as its approver: "alice" is owner "alice@example.com" of "deploy-bot"');
        expect(text(stack)).toContain('Who can approve: environment "carol".');
    });

    it("a revoked jti counts for nothing and is named in the denial", async () => {
        const config = { approvers: [alice.entry, bob.entry], revoked: { jtis: ["leaked-1"] } };
        const pack = await start(config, [await prodToken(alice, "leaked-1"), await prodToken(bob, "b1")]);
        const [d] = await pack.analyze(bucket);
        expect(d.message).toContain('token "leaked-1" from "alice" rejected: revoked (its jti is in revoked.jtis)');
        expect(d.message).toContain("has 1");
    });

    it("an approver revoked before a time: tokens issued before it fail, tokens issued after it count", async () => {
        const now = realNow();
        const config = { approvers: [alice.entry, bob.entry], revoked: { approvers: { alice: new Date((now - 600) * 1000).toISOString() } } };
        const old = await start(config, [await prodToken(alice, "a-old", { now: now - 3600 }), await prodToken(bob, "b1")]);
        const [d] = await old.analyze(bucket);
        expect(d.message).toContain('token "a-old" from "alice" rejected: revoked (issued before its approver\'s time in revoked.approvers)');
        const fresh = await start(config, [await prodToken(alice, "a-new", { now: now - 60 }), await prodToken(bob, "b1")]);
        const { perResource, stack } = await fresh.preview([bucket]);
        expect(perResource.flat()).toEqual([]);
        expect(stack).toEqual([]);
    });
});
