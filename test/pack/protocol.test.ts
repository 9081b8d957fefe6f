/**
 * The real pack, started the way the engine starts it, driven over the Analyzer gRPC protocol:
 * Configure with config, ConfigureStack, Analyze per resource, AnalyzeStack.
 */
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Approver, approver, realNow, sign } from "../fixtures";
import { ADVISORY, MANDATORY, Pack, PackOptions, ResourceInput, UNKNOWN_STRING, urnOf } from "./analyzer-client";

let alice: Approver;
let bob: Approver;
let gateConfig: Record<string, unknown>;
const PROD = { organization: "organization", project: "shop", stack: "prod" };
const running: Pack[] = [];

beforeAll(async () => {
    alice = await approver("alice");
    bob = await approver("bob");
    gateConfig = { approvers: [alice.entry, bob.entry] };
});

afterEach(() => {
    running.splice(0).forEach((p) => p.stop());
});

async function start(opts: PackOptions & { config?: Record<string, unknown>; tags?: Record<string, string> } = {}): Promise<Pack> {
    const pack = await Pack.start(opts);
    running.push(pack);
    await pack.configure({ "agent-change-gate": opts.config ?? gateConfig });
    await pack.configureStack(opts.tags ?? {});
    return pack;
}

function logFile(): string {
    return path.join(mkdtempSync(path.join(tmpdir(), "agentguard-log-")), "decisions.jsonl");
}

const bucket: ResourceInput = { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site", tags: { team: "web" } } };
const role: ResourceInput = { type: "aws:iam/role:Role", name: "deployer", props: { assumeRolePolicy: "{}" } };

describe("the pack over the Analyzer protocol", () => {
    it("serves agent-change-gate, mandatory by default, with its config schema", async () => {
        const pack = await start();
        const info = await pack.info();
        expect(info.name).toBe("agentguard");
        const gate = info.policies.find((p) => p.name === "agent-change-gate");
        expect(gate?.enforcementLevel).toBe(MANDATORY);
        expect(JSON.stringify(gate?.configSchema)).toContain("maxApprovalTtlSeconds");
    });

    it("denies an agent on a production stack, says what to sign, and logs the denial", async () => {
        const log = logFile();
        const pack = await start({ stack: "prod", stackConfig: { "agentguard:agent": "deploy-bot" }, env: { AGENTGUARD_DECISION_LOG: log } });
        const { perResource, stack } = await pack.preview([bucket]);
        expect(perResource[0]).toHaveLength(1);
        const d = perResource[0][0];
        expect(d.enforcementLevel).toBe(MANDATORY);
        expect(d.message).toContain(`agent "deploy-bot" declares "${urnOf(bucket, "prod")}" in production`);
        expect(d.message).toContain("needs 2 approvals");
        expect(d.message).toContain("has 0; no approvals presented");
        // The summary, first among the stack's violations, names what to sign; the item's line does not repeat it.
        expect(d.message).not.toContain("agentguard approve");
        // The bucket's item and the stack's own (a run on production needs approval even with no resources).
        expect(stack[0].message).toContain("needs approval for 2 findings");
        expect(stack[0].message).toContain('agentguard approve --key "$AGENTGUARD_KEY" --stack organization/shop/prod --agent deploy-bot --environment production');
        const entry = JSON.parse(readFileSync(log, "utf8").trim());
        expect(entry).toMatchObject({
            stack: "organization/shop/prod",
            dryRun: true,
            initiator: { kind: "agent", id: "deploy-bot", source: "stack-config" },
            gates: [
                { gate: "environment", resource: urnOf(bucket, "prod"), required: 2, approvedBy: [], satisfied: false },
                { gate: "environment", required: 2, approvedBy: [], satisfied: false },
            ],
            decision: "deny",
        });
    });

    it.each(["list", "string"])("allows the same run with two approvals given as a %s in stack config", async (form) => {
        const tokens = [await sign(alice, { environments: ["production"] }, { stack: PROD, now: realNow() - 60 }), await sign(bob, { environments: ["production"] }, { stack: PROD, now: realNow() - 60 })];
        const value = form === "list" ? JSON.stringify(tokens) : tokens.join("\n");
        const log = logFile();
        const pack = await start({ stack: "prod", stackConfig: { "agentguard:agent": "deploy-bot", "agentguard:approvals": value }, env: { AGENTGUARD_DECISION_LOG: log } });
        const { perResource, stack } = await pack.preview([bucket]);
        expect(perResource.flat()).toEqual([]);
        expect(stack).toEqual([]);
        const entry = JSON.parse(readFileSync(log, "utf8").trim());
        expect(entry.decision).toBe("allow");
        expect(entry.gates[0].approvedBy).toEqual(["alice", "bob"]);
        const text = readFileSync(log, "utf8");
        for (const t of tokens) {
            expect(text).not.toContain(t.split(".")[2]);
        }
    });

    it("explains each rejected token in the denial", async () => {
        const expired = await sign(alice, { environments: ["production"] }, { stack: PROD, now: 1_000_000_000, jti: "old-one" });
        const wrongStack = await sign(bob, { environments: ["production"] }, { jti: "dev-only", now: realNow() - 60 });
        const pack = await start({ stack: "prod", stackConfig: { "agentguard:agent": "deploy-bot", "agentguard:approvals": `${expired} ${wrongStack}` } });
        const [d] = await pack.analyze(bucket);
        expect(d.message).toContain('token "old-one" from "alice" rejected: expired');
        expect(d.message).toContain('token "dev-only" from "bob" rejected: issued for another stack');
    });

    it("takes AGENTGUARD_INITIATOR from the environment over stack config", async () => {
        const human = await start({ stack: "prod", stackConfig: { "agentguard:agent": "deploy-bot" }, env: { AGENTGUARD_INITIATOR: "human:carol" } });
        expect((await human.preview([bucket, role])).perResource.flat()).toEqual([]);
        const agent = await start({ stack: "prod", env: { AGENTGUARD_INITIATOR: "agent:ci-bot" } });
        const [d] = await agent.analyze(bucket);
        expect(d.message).toContain('agent "ci-bot"');
    });

    it("rejects a run that names no initiator", async () => {
        const pack = await start();
        const [d] = await pack.analyze(bucket);
        expect(d.enforcementLevel).toBe(MANDATORY);
        expect(d.message).toContain("cannot tell who is running");
        expect((await pack.analyzeStack([bucket]))[0].message).toContain("AGENTGUARD_INITIATOR");
    });

    it("decides unknown values itself: mandatory, never the SDK's advisory", async () => {
        const pack = await start({ stackConfig: { "agentguard:agent": "deploy-bot" }, config: { ...gateConfig, productionAwsAccountIds: ["111111111111"] } });
        const unknownRole = {
            ...bucket,
            provider: { type: "pulumi:providers:aws", name: "p", props: { assumeRole: { roleArn: UNKNOWN_STRING } } },
        };
        const [d, ...rest] = await pack.analyze(unknownRole);
        expect(rest).toEqual([]);
        expect(d.enforcementLevel).toBe(MANDATORY);
        expect(d.message).toContain("unknown at preview");
        const vm: ResourceInput = { type: "aws:ec2/instance:Instance", name: "gpu", props: { instanceType: UNKNOWN_STRING, ami: "ami-1" } };
        const diags = await pack.analyze(vm);
        expect(diags.map((x) => x.enforcementLevel)).not.toContain(ADVISORY);
        expect(diags.map((x) => x.message).join("\n")).toContain("cannot be known at preview");
    });

    it("denies when the gate config is broken, without a crash", async () => {
        const pack = await start({ stackConfig: { "agentguard:agent": "deploy-bot" }, config: { approvers: [{ id: "x", publicKeyJwk: { kty: "RSA" } }] } });
        const [d] = await pack.analyze(bucket);
        expect(d.enforcementLevel).toBe(MANDATORY);
        expect(d.message).toContain('policy pack config of "agent-change-gate" is invalid');
    });

    it("denies when the engine's stack config cannot be read, and does not echo it", async () => {
        const pack = await start({ env: { PULUMI_CONFIG: '{"agentguard:agent": "deploy-bot", "db:password": "hunter2' } });
        const [d] = await pack.analyze(bucket);
        expect(d.enforcementLevel).toBe(MANDATORY);
        expect(d.message).not.toContain("hunter2");
    });

    it("reads stack tags from ConfigureStack", async () => {
        const pack = await start({ stackConfig: { "agentguard:agent": "deploy-bot" }, tags: { environment: "production" } });
        const [d] = await pack.analyze(bucket);
        expect(d.message).toContain('stack tag "environment" is "production"');
    });

    it("raises nothing for components and the root stack", async () => {
        const pack = await start({ stack: "prod", stackConfig: { "agentguard:agent": "deploy-bot" } });
        expect(await pack.analyze({ type: "pulumi:pulumi:Stack", name: "shop-prod" }, { component: true })).toEqual([]);
        expect(await pack.analyze({ type: "shop:index:Site", name: "site" }, { component: true })).toEqual([]);
    });

    it("in an update, refuses the resource that pushes the stack over budget before it exists", async () => {
        const log = logFile();
        const pack = await start({ dryRun: false, stackConfig: { "agentguard:agent": "deploy-bot" }, env: { AGENTGUARD_DECISION_LOG: log } });
        const vm = (name: string): ResourceInput => ({ type: "aws:ec2/instance:Instance", name, props: { instanceType: "m5.large", ami: "ami-1" } });
        expect(await pack.analyze(vm("a"))).toEqual([]);
        const second = await pack.analyze(vm("b"));
        expect(second).toHaveLength(1);
        expect(second[0].message).toMatch(/would spend at least ~\$1\d\d\/month in this stack, over its \$100 budget/);
        expect(existsSync(log)).toBe(true);
        expect(JSON.parse(readFileSync(log, "utf8")).decision).toBe("deny");
    });
});
