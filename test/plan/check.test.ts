/**
 * `plan check` on hand-made plans and state exports in the engine's formats (apitype
 * DeploymentPlanV1 and UntypedDeployment v3): what it judges, and every bad input it denies.
 * The real-engine files are checked in test/e2e/plan.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { issueApproval } from "../../src/approvals/issue";
import { fileDigest } from "../../src/approvals/issue";
import { ApprovalScope } from "../../src/approvals/scope";
import { CheckInput, checkPlan } from "../../src/cli/plan";
import { repeatedKey } from "../../src/plan/read";
import { AGENT, Approver, NOW, approver, config, fakeEstimator } from "../fixtures";

const STACK = { organization: "organization", project: "shop", stack: "prod" };
const PROVIDER = "urn:pulumi:prod::shop::pulumi:providers:aws::default";
const REF = `${PROVIDER}::4c428572-7205-4db3-b0f8-631518e11cfb`;
const DB = "urn:pulumi:prod::shop::aws:rds/instance:Instance::db";
const TOPIC = "urn:pulumi:prod::shop::aws:sns/topic:Topic::topic";
const ROOT = "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod";
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };

const state = (resources: unknown[] = [
    { urn: ROOT, custom: false, type: "pulumi:pulumi:Stack" },
    { urn: PROVIDER, custom: true, id: "4c428572-7205-4db3-b0f8-631518e11cfb", type: "pulumi:providers:aws", inputs: { region: "us-east-1" } },
    { urn: DB, custom: true, id: "db-1", type: "aws:rds/instance:Instance", inputs: { instanceClass: "db.t3.micro" }, provider: REF },
]) => ({ version: 3, deployment: { manifest: {}, resources } });

const same = (type: string, custom = true) => ({ goal: { type, name: "x", custom, inputDiff: {}, ...(custom && !type.startsWith("pulumi:providers:") ? { provider: REF } : {}) }, steps: ["same"], state: {} });
const basePlan = (extra: Record<string, unknown> = {}, drop: string[] = []) => {
    const rp: Record<string, unknown> = {
        [ROOT]: same("pulumi:pulumi:Stack", false),
        [PROVIDER]: same("pulumi:providers:aws"),
        [DB]: same("aws:rds/instance:Instance"),
        ...extra,
    };
    for (const d of drop) {
        delete rp[d];
    }
    return { manifest: { time: "2026-12-01T00:00:00Z", magic: "m", version: "v3.274.1" }, config: { "shop:x": "1" }, resourcePlans: rp };
};
const bytes = (doc: unknown) => Buffer.from(typeof doc === "string" ? doc : JSON.stringify(doc));

let alice: Approver;
let bob: Approver;
beforeAll(async () => {
    [alice, bob] = [await approver("alice"), await approver("bob")];
});

function check(plan: unknown, over: Partial<CheckInput> = {}) {
    return checkPlan({
        config: config({ approvers: [alice.entry, bob.entry] }),
        stack: STACK,
        agent: AGENT,
        planBytes: plan === undefined ? undefined : bytes(plan),
        stateBytes: bytes(state()),
        tags: {},
        tokens: "",
        boundFile: "plan.json",
        now: NOW,
        estimator: fakeEstimator({ "aws:rds/instance:Instance": 15 }),
        ...over,
    });
}

async function tokens(scope: ApprovalScope, binding: { plan?: string; destroy?: string }): Promise<string> {
    const t = await Promise.all([alice, bob].map((a) => issueApproval({ keyFile: a.keyFile, key: a.key, stack: STACK, agent: AGENT, scope, ttlSeconds: 3600, now: NOW - 60, ...binding })));
    return t.join(" ");
}

describe("plan check", () => {
    it("raises no resource-level item for an all-same plan of a production stack: only the stack's own environment item", async () => {
        const r = await check(basePlan());
        expect(r.decision.gates.map((g) => `${g.need.gate}:${g.level}:${g.required}`)).toEqual(["environment:stack:2"]);
        expect(r.decision.estimatedMonthlyUsd).toBe(15);
        const ok = await check(basePlan(), { tokens: await tokens({ environments: ["production"] }, { plan: fileDigest(bytes(basePlan())) }) });
        expect(ok.decision.decision).toBe("allow");
    });

    it("denies deleting the production database, and passes with two tokens bound to this plan", async () => {
        const plan = basePlan({ [DB]: { steps: ["delete"], state: null } });
        const denied = await check(plan);
        expect(denied.decision.gates.map((g) => `${g.need.gate}:${g.required}`)).toEqual(["destructive:2", "environment:2"]);
        expect(denied.messages.at(-1)).toContain("--destructive --plan plan.json");
        expect(denied.decision.estimatedMonthlyUsd).toBe(0);
        expect(denied.currentMonthlyUsd).toBe(15);
        const ok = await check(plan, { tokens: await tokens({ destructive: true, environments: ["production"] }, { plan: fileDigest(bytes(plan)) }) });
        expect(ok.decision.decision).toBe("allow");
        expect(ok.expiresAt).toBe(NOW + 3540);
        const otherPlan = await check(plan, { tokens: await tokens({ destructive: true }, { plan: fileDigest(bytes({ ...plan, config: {} })) }) });
        expect(otherPlan.decision.decision).toBe("deny");
        expect(otherPlan.decision.approvals.map((a) => a.code)).toEqual(["ERR_APPROVAL_WRONG_PLAN", "ERR_APPROVAL_WRONG_PLAN"]);
    });

    it("--destroy deletes every resource of the state; only destroy-bound tokens count", async () => {
        const denied = await check(undefined);
        expect(denied.binding.kind).toBe("destroy");
        expect(denied.decision.gates.map((g) => `${g.need.gate}:${g.resource}`)).toEqual([`destructive:${DB}`, `destructive:${PROVIDER}`, "environment:undefined"]);
        const planTokens = await check(undefined, { tokens: await tokens({ destructive: true }, { plan: fileDigest(bytes(state())) }) });
        expect(planTokens.decision.decision).toBe("deny");
        const ok = await check(undefined, { tokens: await tokens({ destructive: true, environments: ["production"] }, { destroy: fileDigest(bytes(state())) }) });
        expect(ok.decision.decision).toBe("allow");
    });

    it("rebuilds an update's inputs from the state and the diff, and judges them", async () => {
        const plan = basePlan({ [DB]: { goal: { type: "aws:rds/instance:Instance", name: "db", custom: true, provider: REF, inputDiff: { updates: { tags: { Environment: "prod" } } } }, steps: ["update"] } });
        const r = await check(plan, { stack: { ...STACK } });
        expect(r.decision.gates.map((g) => `${g.need.gate}:${g.level}`)).toEqual(["environment:resource", "environment:stack"]);
    });

    it("treats a secret input as unknown: a price that needs it fails closed", async () => {
        const plan = basePlan({ [TOPIC]: { goal: { type: "aws:ec2/instance:Instance", name: "topic", custom: true, provider: REF, inputDiff: { adds: { instanceType: SECRET } } }, steps: ["create"] } });
        // The URN names the type the goal gives: a mismatch is not understood.
        expect((await check(plan)).notUnderstood).toContain("not the URN's");
        const vm = "urn:pulumi:prod::shop::aws:ec2/instance:Instance::vm";
        const ok = basePlan({ [vm]: { goal: { type: "aws:ec2/instance:Instance", name: "vm", custom: true, provider: REF, inputDiff: { adds: { instanceType: SECRET } } }, steps: ["create"] } });
        const r = await check(ok, { estimator: undefined });
        expect(r.decision.gates.some((g) => g.need.gate === "spend" && g.need.gate === "spend" && g.need.kind === "unknown-price")).toBe(true);
        expect(JSON.stringify(r)).not.toContain("v1:abc");
    });

    it.each([
        ["a truncated plan", () => JSON.stringify(basePlan()).slice(0, 80), "not valid JSON"],
        ["a foreign document", () => ({ hello: "world" }), "not a saved update plan"],
        ["a plan of another stack", () => basePlan({ "urn:pulumi:dev::shop::aws:sns/topic:Topic::t": { steps: ["delete"] } }), 'is for stack "shop/dev"'],
        ["an unknown step", () => basePlan({ [DB]: { goal: { type: "aws:rds/instance:Instance", name: "db", custom: true, provider: REF }, steps: ["discard"] } }), "does not understand"],
        ["a state resource the plan omits", () => basePlan({}, [DB]), "which the plan does not mention"],
        ["a create of what exists", () => basePlan({ [DB]: { goal: { type: "aws:rds/instance:Instance", name: "db", custom: true, provider: REF, inputDiff: {} }, steps: ["create"] } }), "already holds"],
        ["an update of what does not exist", () => basePlan({ [TOPIC]: { goal: { type: "aws:sns/topic:Topic", name: "topic", custom: true, provider: REF, inputDiff: {} }, steps: ["update"] } }), "does not hold it"],
        ["an unknown top-level field", () => ({ ...basePlan(), extra: 1 }), 'field "extra"'],
        // The engine (Go's encoding/json) reads struct fields ignoring case and folding ſ/K; a field
        // it would read and plan check would not is refused at every level.
        ["a folded twin of steps", () => basePlan({ [DB]: { ...same("aws:rds/instance:Instance"), Steps: ["delete"] } }), 'field "Steps"'],
        ["a folded twin of goal", () => basePlan({ [DB]: { ...same("aws:rds/instance:Instance"), Goal: null } }), 'field "Goal"'],
        ["a Unicode-folded twin", () => basePlan({ [DB]: { ...same("aws:rds/instance:Instance"), "ſteps": ["delete"] } }), 'field "ſteps"'],
        ["a folded twin of inputDiff", () => basePlan({ [DB]: { goal: { ...same("aws:rds/instance:Instance").goal, InputDiff: { updates: { instanceClass: "db.r5.24xlarge" } } }, steps: ["same"] } }), 'field "InputDiff"'],
        ["a folded twin in the input diff", () => basePlan({ [DB]: { goal: { ...same("aws:rds/instance:Instance").goal, inputDiff: { Updates: { instanceClass: "x" } } }, steps: ["same"] } }), 'field "Updates"'],
        ["a folded twin in the manifest", () => ({ ...basePlan(), manifest: { version: "v3.274.1", Version: "x" } }), 'field "Version"'],
        ["a key repeated in one object", () => JSON.stringify(basePlan()).replace('"steps":["same"]', '"steps":["same"],"steps":["delete"]'), 'repeats the key "steps"'],
        ["a custom resource without a provider", () => basePlan({ [TOPIC]: { goal: { type: "aws:sns/topic:Topic", name: "topic", custom: true, inputDiff: {} }, steps: ["create"] } }), "names no provider"],
    ])("denies %s", async (_, make, why) => {
        const r = await check(make(), { tokens: await tokens({ destructive: true, environments: ["production"] }, {}) });
        expect(r.decision.decision).toBe("deny");
        expect(r.notUnderstood).toContain(why);
    });

    it("shows a URN's line breaks and escape sequences escaped when it says what it does not understand", async () => {
        const forged = "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::x\napproved: nothing in it needs approval\n\u001b[2K";
        const r = await check(basePlan({ [forged]: { goal: { type: "aws:s3/bucket:Bucket", name: "x", custom: true, provider: REF }, steps: ["teleport"] } }));
        expect(r.decision.decision).toBe("deny");
        for (const text of [r.notUnderstood ?? "", ...r.messages]) {
            expect(text).not.toMatch(/[\n\u001b]/);
        }
        expect(r.messages.join(" ")).toContain("::x\\u{a}approved: nothing in it needs approval\\u{a}\\u{1b}[2K");
    });

    it("finds a repeated key at any depth, not one inside a string or in sibling objects", () => {
        expect(repeatedKey('{"a":{"b":1,"c":{"b":2}},"d":[{"b":1},{"b":2}]}')).toBeUndefined();
        expect(repeatedKey('{"a":"x\\",\\"a\\":1","b":2}')).toBeUndefined();
        expect(repeatedKey('{"a":[1,{"x":1,"y":[],"x":2}]}')).toBe("x");
        expect(repeatedKey('{"a\\u0062":1,"ab":2}')).toBe("ab");
    });

    it("denies a state export of another stack, and one that is not an export", async () => {
        const other = state([{ urn: "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev", custom: false, type: "pulumi:pulumi:Stack" }]);
        expect((await check(basePlan(), { stateBytes: bytes(other) })).notUnderstood).toContain('is for stack "shop/dev"');
        expect((await check(basePlan(), { stateBytes: bytes({ version: 2 }) })).notUnderstood).toContain("not a `pulumi stack export`");
    });

    it("flags a purchase when the plan creates it, not on a later plan that keeps it", async () => {
        const domain = "urn:pulumi:prod::shop::aws:route53domains/registeredDomain:RegisteredDomain::shop";
        const dev = { ...STACK, stack: "dev" };
        const est = fakeEstimator({ "aws:route53domains/registeredDomain:RegisteredDomain": { purchase: "a domain", usd: 12 } });
        const at = (u: string) => u.replace(":prod::", ":dev::");
        const devState = (withDomain: boolean) =>
            state([
                { urn: at(PROVIDER), custom: true, type: "pulumi:providers:aws", inputs: {} },
                ...(withDomain ? [{ urn: at(domain), custom: true, type: "aws:route53domains/registeredDomain:RegisteredDomain", inputs: { domainName: "shop.example" }, provider: at(REF) }] : []),
            ]);
        const goal = { type: "aws:route53domains/registeredDomain:RegisteredDomain", name: "shop", custom: true, provider: at(REF) };
        const create = { manifest: { version: "v3.274.1" }, resourcePlans: { [at(PROVIDER)]: same("pulumi:providers:aws"), [at(domain)]: { goal: { ...goal, inputDiff: { adds: { domainName: "shop.example" } } }, steps: ["create"] } } };
        const first = await check(create, { stack: dev, stateBytes: bytes(devState(false)), estimator: est });
        expect(first.decision.gates.map((g) => g.need)).toEqual([{ gate: "spend", kind: "purchase", amountUsd: 12, what: "a domain" }]);
        const later = { manifest: { version: "v3.274.1" }, resourcePlans: { [at(PROVIDER)]: same("pulumi:providers:aws"), [at(domain)]: { goal: { ...goal, inputDiff: {} }, steps: ["same"] } } };
        expect((await check(later, { stack: dev, stateBytes: bytes(devState(true)), estimator: est })).decision.decision).toBe("allow");
    });
});

/** A development stack whose resources may still be production by their tags or their provider's account. */
describe("plan check judges a change by what the resource was, too", () => {
    const DEV = { ...STACK, stack: "dev" };
    const at = (u: string) => u.replace(":prod::", ":dev::");
    const PROD_P = "urn:pulumi:dev::shop::pulumi:providers:aws::prodacct";
    const DEV_P = "urn:pulumi:dev::shop::pulumi:providers:aws::devacct";
    const PREF = `${PROD_P}::11111111-1111-1111-1111-111111111111`;
    const DREF = `${DEV_P}::22222222-2222-2222-2222-222222222222`;
    const T = at(TOPIC);
    const DOMAIN = "urn:pulumi:dev::shop::aws:route53domains/registeredDomain:RegisteredDomain::shop";
    const devState = state([
        { urn: at(ROOT), custom: false, type: "pulumi:pulumi:Stack" },
        { urn: PROD_P, custom: true, id: "11111111-1111-1111-1111-111111111111", type: "pulumi:providers:aws", inputs: { region: "us-east-1", allowedAccountIds: ["111111111111"] } },
        { urn: DEV_P, custom: true, id: "22222222-2222-2222-2222-222222222222", type: "pulumi:providers:aws", inputs: { region: "us-east-1", allowedAccountIds: ["222222222222"] } },
        { urn: T, custom: true, id: "t-1", type: "aws:sns/topic:Topic", inputs: { name: "orders", tags: { Environment: "production" } }, provider: DREF },
        { urn: at(DB), custom: true, id: "db-1", type: "aws:rds/instance:Instance", inputs: { instanceClass: "db.t3.micro" }, provider: PREF },
        { urn: DOMAIN, custom: true, id: "d-1", type: "aws:route53domains/registeredDomain:RegisteredDomain", inputs: { domainName: "shop.example", autoRenew: false }, provider: DREF },
    ]);
    const keep = (type: string, provider?: string) => ({ goal: { type, name: "x", custom: provider !== undefined || type.startsWith("pulumi:providers:"), inputDiff: {}, ...(provider ? { provider } : {}) }, steps: ["same"] });
    const devPlan = (changes: Record<string, unknown>) => ({
        manifest: { version: "v3.274.1" },
        resourcePlans: {
            [at(ROOT)]: keep("pulumi:pulumi:Stack"),
            [PROD_P]: keep("pulumi:providers:aws"),
            [DEV_P]: keep("pulumi:providers:aws"),
            [T]: keep("aws:sns/topic:Topic", DREF),
            [at(DB)]: keep("aws:rds/instance:Instance", PREF),
            [DOMAIN]: keep("aws:route53domains/registeredDomain:RegisteredDomain", DREF),
            ...changes,
        },
    });
    const checkDev = (plan: unknown) =>
        check(plan, {
            stack: DEV,
            stateBytes: bytes(devState),
            config: config({ approvers: [alice.entry, bob.entry], developmentStacks: ["dev"], productionAwsAccountIds: ["111111111111"] }),
            estimator: fakeEstimator({ "aws:route53domains/registeredDomain:RegisteredDomain": { purchase: "a domain", usd: 12 } }),
        });
    const needs = (r: Awaited<ReturnType<typeof check>>) => r.decision.gates.map((g) => `${g.need.gate}:${g.required}:${g.resource ?? "stack"}`);

    it("a replace that drops a production tag is a production replace", async () => {
        const r = await checkDev(devPlan({ [T]: { goal: { type: "aws:sns/topic:Topic", name: "t", custom: true, provider: DREF, inputDiff: { updates: { name: "orders-2" }, deletes: ["tags"] } }, steps: ["replace"] } }));
        expect(r.decision.decision).toBe("deny");
        expect(needs(r)).toEqual([`environment:2:${T}`, `destructive:2:${T}`]);
    });

    it("an update that drops a production tag is a production change", async () => {
        const r = await checkDev(devPlan({ [T]: { goal: { type: "aws:sns/topic:Topic", name: "t", custom: true, provider: DREF, inputDiff: { deletes: ["tags"] } }, steps: ["update"] } }));
        expect(needs(r)).toEqual([`environment:2:${T}`]);
    });

    it("a replace onto a development account's provider still deletes in the production account", async () => {
        const r = await checkDev(devPlan({ [at(DB)]: { goal: { type: "aws:rds/instance:Instance", name: "db", custom: true, provider: DREF, inputDiff: {} }, steps: ["create-replacement", "replace", "delete-replaced"] } }));
        expect(r.decision.decision).toBe("deny");
        expect(needs(r)).toContain(`environment:2:${at(DB)}`);
        expect(needs(r)).toContain(`destructive:2:${at(DB)}`);
    });

    it("an update of a purchase buys again unless it changes only tags", async () => {
        const goal = { type: "aws:route53domains/registeredDomain:RegisteredDomain", name: "shop", custom: true, provider: DREF };
        const renew = await checkDev(devPlan({ [DOMAIN]: { goal: { ...goal, inputDiff: { updates: { autoRenew: true } } }, steps: ["update"] } }));
        expect(renew.decision.gates.map((g) => g.need)).toEqual([{ gate: "spend", kind: "purchase", amountUsd: 12, what: "a domain" }]);
        const tags = await checkDev(devPlan({ [DOMAIN]: { goal: { ...goal, inputDiff: { adds: { tags: { team: "web" } } } }, steps: ["update"] } }));
        expect(tags.decision.decision).toBe("allow");
    });
});
