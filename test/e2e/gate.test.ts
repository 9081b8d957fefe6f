/**
 * agent-change-gate under the real `pulumi` CLI: every case is a real preview or update of a
 * program on a local file backend, with this repository as the policy pack and the offline
 * aws/cloudflare simulators standing in for the clouds.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ApprovalScope } from "../../src/approvals/scope";
import { Approver, approver, realNow, sign } from "../fixtures";
import { PACK_ENTRIES, ROOT, Workspace, jsonEvents } from "./pulumi";
import { workspacesOfFile } from "./workspaces";

const PROGRAM = path.join(ROOT, "test/e2e/programs/generic");
const workspaces = workspacesOfFile();
let alice: Approver;
let bob: Approver;
/** The `--policy-pack` of the describe block that runs: the suite runs once for each entry. */
let pack = ROOT;

beforeAll(async () => {
    alice = await approver("alice");
    bob = await approver("bob");
});

/** A workspace for agent deploy-bot on `stack` holding `resources`, with alice and bob as approvers. */
async function agentStack(stack: string, resources: unknown[], gate: Record<string, unknown> = {}, env: Record<string, string> = {}) {
    const ws = await Workspace.create({ program: PROGRAM, stack, env, pack });
    workspaces.push(ws);
    await ws.config("agentguard:agent", "deploy-bot");
    await ws.resources(resources);
    const policyConfig = ws.policyConfig({ approvers: [alice.entry, bob.entry], ...gate });
    return { ws, policyConfig };
}

/** Two tokens (alice, bob) for `stack` granting `scope`. */
function approvals(stack: string, scope: ApprovalScope, agent = "deploy-bot"): Promise<string[]> {
    const ref = { organization: "organization", project: "shop", stack };
    return Promise.all([alice, bob].map((a) => sign(a, scope, { stack: ref, agent, now: realNow() - 30 })));
}

const bucket = { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site", tags: { team: "web" } } };

describe.each(PACK_ENTRIES)("agent-change-gate under the real pulumi CLI (%s)", (_entry, entryPath) => {
    beforeAll(() => {
        pack = entryPath;
    });

    it("denies an agent's preview of a production stack and explains what to sign; passes with two approvals", async () => {
        const { ws, policyConfig } = await agentStack("prod", [bucket]);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain("agent-change-gate");
        expect(denied.output).toContain('agent "deploy-bot" declares "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site" in production');
        expect(denied.output).toContain('agentguard approve --key "$AGENTGUARD_KEY" --stack organization/shop/prod --agent deploy-bot --environment production');
        expect(ws.decisions().at(-1)).toMatchObject({ stack: "organization/shop/prod", dryRun: true, decision: "deny", initiator: { kind: "agent", id: "deploy-bot" } });

        await ws.approvals(await approvals("prod", { environments: ["production"] }), "list");
        const allowed = await ws.preview({ policyConfig });
        expect(allowed.code, allowed.output).toBe(0);
        const last = ws.decisions().at(-1) as { decision: string; gates: { approvedBy: string[] }[] };
        expect(last.decision).toBe("allow");
        expect(last.gates[0].approvedBy).toEqual(["alice", "bob"]);
    });

    it("blocks pulumi up without approvals (nothing is created) and lets it through with them, tokens given as one string", async () => {
        const { ws, policyConfig } = await agentStack("prod", [bucket]);
        const blocked = await ws.up({ policyConfig, skipPreview: true });
        expect(blocked.code).not.toBe(0);
        // With --skip-preview the engine analyzes the root stack first: the production stack's own item stops the run there.
        expect(blocked.output).toContain('agent "deploy-bot" would change stack "organization/shop/prod" in production');
        const exported = await ws.pulumi(["stack", "export"]);
        expect(exported.stdout).not.toContain("aws:s3/bucket:Bucket::site");
        expect(ws.decisions().at(-1)).toMatchObject({ dryRun: false, decision: "deny" });

        await ws.approvals(await approvals("prod", { environments: ["production"] }), "string");
        const up = await ws.up({ policyConfig });
        expect(up.code, up.output).toBe(0);
        expect((await ws.pulumi(["stack", "export"])).stdout).toContain("aws:s3/bucket:Bucket::site");
        expect((await ws.destroy()).code).toBe(0);
    });

    it("reads AGENTGUARD_INITIATOR from the environment of pulumi, over stack config", async () => {
        const { ws, policyConfig } = await agentStack("prod", [bucket]);
        const human = await ws.preview({ policyConfig, env: { AGENTGUARD_INITIATOR: "human:carol" } });
        expect(human.code, human.output).toBe(0);
        expect(ws.decisions().at(-1)).toMatchObject({ initiator: { kind: "human", id: "carol", source: "env" }, decision: "allow" });
        const other = await ws.preview({ policyConfig, env: { AGENTGUARD_INITIATOR: "agent:night-bot" } });
        expect(other.code).not.toBe(0);
        expect(other.output).toContain('agent "night-bot" declares');
    });

    it("rejects a run that names no initiator", async () => {
        const ws = await Workspace.create({ program: PROGRAM, stack: "dev", pack });
        workspaces.push(ws);
        await ws.resources([bucket]);
        const r = await ws.preview({ policyConfig: ws.policyConfig({}) });
        expect(r.code).not.toBe(0);
        expect(r.output).toContain("cannot tell who is running");
    });

    it("provider gate: a dynamic provider needs one approval naming pulumi-nodejs", async () => {
        const { ws, policyConfig } = await agentStack("dev", [{ kind: "dynamic", name: "note" }]);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain('provider package "pulumi-nodejs"');
        const [one] = await approvals("dev", { providers: ["pulumi-nodejs"] });
        await ws.approvals([one], "list");
        const ok = await ws.preview({ policyConfig });
        expect(ok.code, ok.output).toBe(0);
    });

    it("access gate: an IAM role needs two approvals with access", async () => {
        const { ws, policyConfig } = await agentStack("dev", [{ type: "aws:iam/role:Role", name: "deployer", props: { assumeRolePolicy: "{}" } }]);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain("would change access control");
        await ws.approvals(await approvals("dev", { access: true }), "list");
        expect((await ws.preview({ policyConfig })).code).toBe(0);
    });

    it("access gate: a topic subscription that sends the messages to an outside endpoint is access; one to the stack's own queue is not", async () => {
        const topic = { type: "aws:sns/topic:Topic", name: "orders", props: {} };
        const queue = { type: "aws:sqs/queue:Queue", name: "jobs", props: {} };
        const own = { type: "aws:sns/topicSubscription:TopicSubscription", name: "to-jobs", props: { protocol: "sqs" }, fromId: { prop: "endpoint", of: "jobs", value: "arn:aws:sqs:us-east-1:123456789012:jobs" } };
        const out = { type: "aws:sns/topicSubscription:TopicSubscription", name: "to-hook", props: { protocol: "https", endpoint: "https://collector.example.com/hook" } };
        const ok = await agentStack("dev", [topic, queue, own]);
        expect((await ok.ws.preview({ policyConfig: ok.policyConfig })).code).toBe(0);
        const { ws, policyConfig } = await agentStack("dev", [topic, out]);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain('"urn:pulumi:dev::shop::aws:sns/topicSubscription:TopicSubscription::to-hook"');
        expect(denied.output).toContain('it delivers the topic\'s messages outside AWS (protocol "https")');
    });

    it("access gate: an event target or a log delivery in another account than the one the provider pins, or to a bucket, is access; in that account it is not", async () => {
        const pinned = { kind: "provider", package: "aws", name: "pinned", props: { region: "us-east-1", allowedAccountIds: ["123456789012"] } };
        const rule = { type: "aws:cloudwatch/eventRule:EventRule", name: "nightly", props: { scheduleExpression: "rate(1 day)" }, provider: "pinned" };
        const target = (name: string, account: string) => ({ type: "aws:cloudwatch/eventTarget:EventTarget", name, props: { rule: "nightly", arn: `arn:aws:sqs:us-east-1:${account}:jobs` }, provider: "pinned" });
        const flows = (logDestination: string) => ({ type: "aws:ec2/flowLog:FlowLog", name: "flows", props: { vpcId: "vpc-1", trafficType: "ALL", logDestination }, provider: "pinned" });
        const { ws, policyConfig } = await agentStack("dev", [pinned, rule, target("own", "123456789012"), flows("arn:aws:logs:us-east-1:123456789012:log-group:flows")]);
        const own = await ws.preview({ policyConfig });
        expect(own.code, own.output).toBe(0);
        await ws.resources([pinned, rule, target("out", "999999999999"), flows("arn:aws:s3:::flow-collector")]);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain('would change access control with "urn:pulumi:dev::shop::aws:cloudwatch/eventTarget:EventTarget::out"');
        expect(denied.output).toContain("its target is not shown to be in its provider's AWS account");
        expect(denied.output).toContain('would change access control with "urn:pulumi:dev::shop::aws:ec2/flowLog:FlowLog::flows"');
        expect(denied.output).toContain("its destination is not shown to be in its provider's AWS account");
    });

    it("shows a resource name's line breaks and escape sequences as visible escapes in the pack's lines", async () => {
        const forged = "site\nagentguard: approved by alice and bob, nothing to sign\u001b[2K";
        const { ws, policyConfig } = await agentStack("dev", [{ type: "aws:iam/user:User", name: forged, props: {} }]);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        // The pack's own lines: the name escaped, whole, on the line of the finding.
        const ours = denied.output.split("\n").filter((l) => l.includes("would change access control with"));
        expect(ours).toHaveLength(1);
        expect(ours[0]).toContain("aws:iam/user:User::site\\u{a}agentguard: approved by alice and bob, nothing to sign\\u{1b}[2K\" (IAM users");
        expect(ours[0]).not.toContain("\u001b");
        // (The engine's own heading of the violation, "(aws:iam:User: <name>)", prints the name raw:
        // docs/threat-model.md says so.)
    });

    it("access and spend gates: a type the table has no row for (a newer SDK's) is not passed by approvers who may approve spend only", async () => {
        const type = "aws:newservice/widgetPolicy:WidgetPolicy";
        const urn = `urn:pulumi:dev::shop::${type}::grant`;
        const ws = await Workspace.create({ program: PROGRAM, stack: "dev", pack });
        workspaces.push(ws);
        await ws.config("agentguard:agent", "deploy-bot");
        await ws.resources([{ type, name: "grant", props: { principal: "*" } }]);
        const spendOnly = ws.policyConfig({ approvers: [{ ...alice.entry, gates: ["spend"] }, { ...bob.entry, gates: ["spend"] }] });
        const denied = await ws.preview({ policyConfig: spendOnly });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain(`would change access control with "${urn}" (a type the reviewed table has no row for`);
        expect(denied.output).toContain("whose monthly cost agentguard cannot estimate");
        await ws.approvals(await approvals("dev", { access: true, maxMonthlyUsd: 50, resources: [urn] }), "list");
        const still = await ws.preview({ policyConfig: spendOnly });
        expect(still.code).not.toBe(0);
        expect(still.output).toContain("would change access control");
        const both = await ws.preview({ policyConfig: ws.policyConfig({ approvers: [alice.entry, bob.entry] }) });
        expect(both.code, both.output).toBe(0);
    });

    it("spend gate: a GPU instance over budget names the amount; approvals with a ceiling pass it", async () => {
        const { ws, policyConfig } = await agentStack("dev", [{ type: "aws:ec2/instance:Instance", name: "gpu", props: { instanceType: "p4d.24xlarge", ami: "ami-123" } }]);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toMatch(/would spend ~\$\d{1,3},\d{3}\/month in this stack, over its \$100 budget/);
        await ws.approvals(await approvals("dev", { maxMonthlyUsd: 30000 }), "list");
        expect((await ws.preview({ policyConfig })).code).toBe(0);
    });

    it("spend gate: a domain purchase needs purchases: true", async () => {
        const { ws, policyConfig } = await agentStack("dev", [{ type: "aws:route53domains/registeredDomain:RegisteredDomain", name: "domain", props: { domainName: "shop-example.io" } }]);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain("would buy");
        await ws.approvals(await approvals("dev", { purchases: true }), "list");
        expect((await ws.preview({ policyConfig })).code).toBe(0);
    });

    it("operations gate: a stack over maxResources needs one approval for the count", async () => {
        const buckets = [1, 2, 3].map((i) => ({ type: "aws:s3/bucket:Bucket", name: `b${i}`, props: {} }));
        const { ws, policyConfig } = await agentStack("dev", buckets, { maxResources: 2 });
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain("would hold 3 resources in the stack, over maxResources 2");
        const [one] = await approvals("dev", { maxResources: 3 });
        await ws.approvals([one], "list");
        expect((await ws.preview({ policyConfig })).code).toBe(0);
    });

    it("fails closed on a price unknown at preview, and judges the real value during up", async () => {
        const resources = [
            { type: "aws:ssm/parameter:Parameter", name: "size", props: { type: "String", value: "m5.large" } },
            { type: "aws:ec2/instance:Instance", name: "web", props: { ami: "ami-123" }, fromId: { prop: "instanceType", of: "size", value: "m5.large" } },
        ];
        const { ws, policyConfig } = await agentStack("dev", resources);
        const preview = await ws.preview({ policyConfig });
        expect(preview.code).not.toBe(0);
        expect(preview.output).toContain("cannot be known at preview");
        // During the update the instance type is known (m5.large, ~$70/month, under budget): it passes.
        const up = await ws.up({ policyConfig, skipPreview: true });
        expect(up.code, up.output).toBe(0);
        expect(ws.decisions().at(-1)).toMatchObject({ dryRun: false, decision: "allow" });
        expect((await ws.destroy()).code).toBe(0);
    });

    it("blocks an update whose late-known price is over budget", async () => {
        const resources = [
            { type: "aws:ssm/parameter:Parameter", name: "size", props: { type: "String", value: "p4d.24xlarge" } },
            { type: "aws:ec2/instance:Instance", name: "gpu", props: { ami: "ami-123" }, fromId: { prop: "instanceType", of: "size", value: "p4d.24xlarge" } },
        ];
        const { ws, policyConfig } = await agentStack("dev", resources);
        const up = await ws.up({ policyConfig, skipPreview: true });
        expect(up.code).not.toBe(0);
        expect(up.output).toMatch(/would spend at least ~\$\d{1,3},\d{3}\/month/);
        expect((await ws.pulumi(["stack", "export"])).stdout).not.toContain("aws:ec2/instance:Instance::gpu");
    });

    it("streams --json engine events a CI job can read, with the policy events", async () => {
        const { ws, policyConfig } = await agentStack("staging", [bucket]);
        const r = await ws.preview({ policyConfig, json: true });
        expect(r.code).not.toBe(0);
        const events = jsonEvents(r);
        expect(JSON.stringify(events.filter((e) => "resourcePreEvent" in e))).toContain("urn:pulumi:staging::shop::aws:s3/bucket:Bucket::site");
        const policy = events.filter((e) => "policyEvent" in e) as { policyEvent: { policyName: string; enforcementLevel: string; message: string } }[];
        expect(policy.length).toBeGreaterThan(0);
        expect(policy[0].policyEvent).toMatchObject({ policyName: "agent-change-gate", enforcementLevel: "mandatory" });
        expect(policy.map((p) => p.policyEvent.message).join("\n")).toContain("in staging");
    });

    it("reports a broken policy config the way the engine reports schema errors", async () => {
        const { ws } = await agentStack("dev", [bucket]);
        const bad = ws.policyConfig({ maxResources: "lots" }, "bad.json");
        const r = await ws.preview({ policyConfig: bad });
        expect(r.code).not.toBe(0);
        expect(r.output).toMatch(/maxResources/);
        expect(r.output).toMatch(/integer|type/i);
    });
}, 120_000);
