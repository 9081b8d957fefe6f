/**
 * The destructive gate and plan-bound approvals, through the run core with plan steps.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { fileDigest } from "../../src/approvals/issue";
import { DATA_BEARING_TYPES, PlanBinding } from "../../src/gate/destructive";
import { TYPE_TABLE } from "../../src/cost/catalog";
import { Approver, STACK, approver, config, custom, fakeEstimator, run, sign } from "../fixtures";
import { decide, gatesOf } from "./helpers";
import { issueApproval } from "../../src/approvals/issue";
import { NOW, AGENT } from "../fixtures";
import { ApprovalScope } from "../../src/approvals/scope";

const PLAN_A: PlanBinding = { kind: "plan", digest: fileDigest(Buffer.from("plan A")) };
const PLAN_B: PlanBinding = { kind: "plan", digest: fileDigest(Buffer.from("plan B")) };
const prod = run({ stack: { ...STACK, stack: "prod" } });
const db = custom("aws:rds/instance:Instance", { instanceClass: "db.t3.micro" }, { name: "db" });
const topic = custom("aws:sns/topic:Topic", {}, { name: "topic" });

let alice: Approver;
let bob: Approver;
let cfg: ReturnType<typeof config>;
beforeAll(async () => {
    [alice, bob] = [await approver("alice"), await approver("bob")];
    cfg = config({ approvers: [alice.entry, bob.entry] });
});

function bound(a: Approver, scope: ApprovalScope, binding: { plan?: string; destroy?: string }, stack = STACK): Promise<string> {
    return issueApproval({ keyFile: a.keyFile, key: a.key, stack, agent: AGENT, scope, ttlSeconds: 3600, now: NOW - 60, ...binding });
}

describe("destructive gate", () => {
    it("denies deleting a data-bearing resource on a dev stack; two tokens bound to this plan pass", async () => {
        const steps = { [db.urn]: "delete" as const };
        const denied = await decide([db], { config: cfg, binding: PLAN_A, steps });
        expect(gatesOf(denied)).toEqual(["destructive:2:denied"]);
        expect(denied.gates[0].observed).toContain(`would delete "${db.urn}" (holding data)`);
        const tokens = [await bound(alice, { destructive: true }, { plan: PLAN_A.digest }), await bound(bob, { destructive: true }, { plan: PLAN_A.digest })];
        expect((await decide([db], { config: cfg, binding: PLAN_A, steps, tokens })).decision).toBe("allow");
    });

    // Found by an attacker's pass: each of these holds data its delete loses, and was missing.
    it.each([
        "aws:dsql/cluster:Cluster",
        "aws:msk/cluster:Cluster",
        "aws:mq/broker:Broker",
        "aws:qldb/ledger:Ledger",
        "aws:cognito/userPool:UserPool",
        "aws:codecommit/repository:Repository",
        "aws:s3tables/tableBucket:TableBucket",
        "aws:ec2/ami:Ami",
        "aws:lightsail/database:Database",
        "aws:kms/externalKey:ExternalKey",
        "cloudflare:index/accountToken:AccountToken",
        "cloudflare:index/stream:Stream",
        // the second pass: a whole account, a released address, a user directory
        "cloudflare:index/account:Account",
        "aws:ec2/eip:Eip",
        "aws:directoryservice/directory:Directory",
    ])("denies deleting a %s on a dev stack", async (type) => {
        const r = custom(type, {}, { name: "victim" });
        expect(gatesOf(await decide([r], { config: cfg, binding: PLAN_A, steps: { [r.urn]: "delete" } }))).toEqual(["destructive:2:denied"]);
    });

    it("lists only types with a row in the reviewed type table (no typo lets a type go unseen), besides random and tls secrets", () => {
        const rowless = [...DATA_BEARING_TYPES].filter((t) => !TYPE_TABLE.has(t));
        expect(rowless).toEqual(["tls:index/privateKey:PrivateKey"]);
    });

    it("does not count tokens bound to another plan, nor destructive tokens without a plan", async () => {
        const steps = { [db.urn]: "delete" as const };
        const otherPlan = [await bound(alice, { destructive: true }, { plan: PLAN_B.digest }), await bound(bob, { destructive: true }, { plan: PLAN_B.digest })];
        const d = await decide([db], { config: cfg, binding: PLAN_A, steps, tokens: otherPlan });
        expect(d.decision).toBe("deny");
        expect(d.approvals.map((a) => a.code)).toEqual(["ERR_APPROVAL_WRONG_PLAN", "ERR_APPROVAL_WRONG_PLAN"]);
        const unbound = [await sign(alice, { destructive: true }), await sign(bob, { destructive: true })];
        expect((await decide([db], { config: cfg, binding: PLAN_A, steps, tokens: unbound })).decision).toBe("deny");
    });

    it("counts plan-bound tokens in no run without that plan (the pack without AGENTGUARD_PLAN)", async () => {
        const tokens = [await bound(alice, { environments: ["production"] }, { plan: PLAN_A.digest }, prod.stack), await bound(bob, { environments: ["production"] }, { plan: PLAN_A.digest }, prod.stack)];
        const d = await decide([topic], { config: cfg, run: prod, tokens });
        // The topic's own item and the production stack's (every agent run there raises one).
        expect(gatesOf(d)).toEqual(["environment:2:denied", "environment:2:denied"]);
        expect(d.approvals.every((a) => a.code === "ERR_APPROVAL_WRONG_PLAN")).toBe(true);
    });

    it("counts destroy-bound tokens only in the check of that destroy", async () => {
        const destroy: PlanBinding = { kind: "destroy", digest: fileDigest(Buffer.from("state")) };
        // A destroy of a production stack is a destructive change and a run on production.
        const scope = { destructive: true, environments: ["production"] };
        const tokens = [await bound(alice, scope, { destroy: destroy.digest }, prod.stack), await bound(bob, scope, { destroy: destroy.digest }, prod.stack)];
        const steps = { [topic.urn]: "delete" as const };
        expect((await decide([topic], { config: cfg, run: prod, binding: destroy, steps, tokens })).decision).toBe("allow");
        const asPlan = await decide([topic], { config: cfg, run: prod, binding: PLAN_A, steps, tokens });
        expect(asPlan.approvals.map((a) => a.code)).toEqual(["ERR_APPROVAL_WRONG_DESTROY", "ERR_APPROVAL_WRONG_DESTROY"]);
    });

    it("raises 2 for a production delete, 1 for staging, none for a plain dev resource", async () => {
        const steps = { [topic.urn]: "delete" as const };
        // Each with the stack-level environment item of a run on production or staging.
        expect(gatesOf(await decide([topic], { config: cfg, run: prod, binding: PLAN_A, steps }))).toEqual(["destructive:2:denied", "environment:2:denied"]);
        const staging = run({ stack: { ...STACK, stack: "staging" } });
        expect(gatesOf(await decide([topic], { config: cfg, run: staging, binding: PLAN_A, steps }))).toEqual(["destructive:1:denied", "environment:1:denied"]);
        expect((await decide([topic], { config: cfg, binding: PLAN_A, steps })).decision).toBe("allow");
    });

    it("judges a replace as a create plus a destroy", async () => {
        const steps = { [db.urn]: "replace" as const };
        expect(gatesOf(await decide([db], { config: cfg, run: prod, binding: PLAN_A, steps }))).toEqual(["environment:2:denied", "destructive:2:denied", "environment:2:denied"]);
    });

    it("raises nothing for a same step, and a purchase when created or updated beyond its tags", async () => {
        const domain = custom("aws:route53domains/registeredDomain:RegisteredDomain", {}, { name: "shop" });
        const estimator = fakeEstimator({ "aws:route53domains/registeredDomain:RegisteredDomain": { purchase: "a domain", usd: 12 } });
        const role = custom("aws:iam/role:Role", {}, { name: "role" });
        expect(gatesOf(await decide([domain, role], { config: cfg, estimator, binding: PLAN_A }))).toEqual(["spend:2:denied", "access:2:denied"]);
        const same = { [domain.urn]: "same" as const, [role.urn]: "same" as const };
        expect((await decide([domain, role], { config: cfg, estimator, binding: PLAN_A, steps: same })).gates).toEqual([]);
        // What an update changes is not known here: it may buy again.
        const update = { [domain.urn]: "update" as const };
        expect(gatesOf(await decide([domain], { config: cfg, estimator, binding: PLAN_A, steps: update }))).toEqual(["spend:2:denied"]);
        const retag = { [domain.urn]: { step: "update" as const, changed: ["tags", "tagsAll"] } };
        expect(gatesOf(await decide([domain], { config: cfg, estimator, binding: PLAN_A, steps: retag }))).toEqual([]);
        const renew = { [domain.urn]: { step: "update" as const, changed: ["tags", "autoRenew"] } };
        expect(gatesOf(await decide([domain], { config: cfg, estimator, binding: PLAN_A, steps: renew }))).toEqual(["spend:2:denied"]);
    });

    it("counts deleted resources out of the stack's new total", async () => {
        const estimator = fakeEstimator({ "aws:rds/instance:Instance": 500 });
        const steps = { [db.urn]: "delete" as const };
        const d = await decide([db, topic], { config: cfg, estimator, binding: PLAN_A, steps });
        expect(d.estimatedMonthlyUsd).toBe(0);
        expect(gatesOf(d)).toEqual(["destructive:2:denied"]);
    });
});
