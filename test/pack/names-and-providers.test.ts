/**
 * Issue 10 items 3–4 over the Analyzer protocol, against the real pack process: production that
 * stack names cannot hide, a run that declares nothing on production, nested Cloudflare ids,
 * Route 53 records on a production hosted zone, and provider identity.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Approver, approver, realNow, sign } from "../fixtures";
import { MANDATORY, Pack, PackOptions, ResourceInput, urnOf } from "./analyzer-client";

let alice: Approver;
let bob: Approver;
const running: Pack[] = [];

beforeAll(async () => {
    alice = await approver("alice");
    bob = await approver("bob");
});

afterEach(() => {
    running.splice(0).forEach((p) => p.stop());
});

async function start(opts: PackOptions & { config?: Record<string, unknown>; tags?: Record<string, string> } = {}): Promise<Pack> {
    const pack = await Pack.start({ stackConfig: { "agentguard:agent": "deploy-bot" }, ...opts });
    running.push(pack);
    await pack.configure({ "agent-change-gate": { approvers: [alice.entry, bob.entry], ...opts.config } });
    await pack.configureStack(opts.tags ?? {});
    return pack;
}

const messages = (ds: { message: string }[]) => ds.map((d) => d.message).join("\n");

describe("production that names cannot hide (Analyzer protocol)", () => {
    it("denies a run that declares no resource on a renamed production stack, and logs it", async () => {
        const log = path.join(mkdtempSync(path.join(tmpdir(), "agentguard-log-")), "decisions.jsonl");
        const pack = await start({ stack: "prod_eu", env: { AGENTGUARD_DECISION_LOG: log } });
        const stack = await pack.analyzeStack([]);
        expect(stack.length).toBeGreaterThan(0);
        expect(stack.every((d) => d.enforcementLevel === MANDATORY)).toBe(true);
        expect(messages(stack)).toContain('agent "deploy-bot" would change stack "organization/shop/prod_eu" in production (stack "prod_eu" has the name token "prod")');
        expect(messages(stack)).toContain("--environment production");
        const entry = JSON.parse(readFileSync(log, "utf8").trim());
        expect(entry).toMatchObject({ decision: "deny", gates: [{ gate: "environment", required: 2, satisfied: false }] });
        expect(entry.gates[0].resource).toBeUndefined();
    });

    it("passes the empty run with two production approvals, but not with tokens restricted to resources", async () => {
        const ref = { organization: "organization", project: "shop", stack: "live-eu" };
        const open = await Promise.all([alice, bob].map((a) => sign(a, { environments: ["production"] }, { stack: ref, now: realNow() - 60 })));
        const ok = await start({ stack: "live-eu", stackConfig: { "agentguard:agent": "deploy-bot", "agentguard:approvals": open.join(" ") } });
        expect(await ok.analyzeStack([])).toEqual([]);
        const scoped = await Promise.all([alice, bob].map((a) => sign(a, { environments: ["production"], resources: ["urn:pulumi:live-eu::shop::aws:s3/bucket:Bucket::x"] }, { stack: ref, now: realNow() - 60 })));
        const no = await start({ stack: "live-eu", stackConfig: { "agentguard:agent": "deploy-bot", "agentguard:approvals": scoped.join(" ") } });
        expect(messages(await no.analyzeStack([]))).toContain("a stack-level item needs a token without --resource");
    });

    it("treats an unlisted stack as staging by default and as configured", async () => {
        expect(messages(await (await start({ stack: "feature-x" })).analyzeStack([]))).toContain("in staging");
        expect(await (await start({ stack: "feature-x", config: { unlistedStacks: "development" } })).analyzeStack([])).toEqual([]);
    });

    it("reads a v6 zone's account.id and a Route 53 record's hosted zone on a dev stack", async () => {
        const pack = await start({ stack: "dev", config: { productionCloudflareAccountIds: ["acct-prod"], productionAwsHostedZoneIds: ["Z0PROD"] } });
        const zone: ResourceInput = { type: "cloudflare:index/zone:Zone", name: "site", props: { name: "example.com", account: { id: "acct-prod" } } };
        expect(messages(await pack.analyze(zone))).toContain(`declares "${urnOf(zone)}" in production (its Cloudflare account.id "acct-prod" is production)`);
        const record: ResourceInput = { type: "aws:route53/record:Record", name: "www", props: { zoneId: "Z0PROD", name: "www", type: "A" } };
        expect(messages(await pack.analyze(record))).toContain('its Route 53 hosted zone "Z0PROD" is production');
        const devRecord: ResourceInput = { type: "aws:route53/record:Record", name: "dev", props: { zoneId: "Z0DEV", name: "dev", type: "A" } };
        expect(await pack.analyze(devRecord)).toEqual([]);
    });
});

describe("provider identity (Analyzer protocol)", () => {
    it("names a provider by __internal download URL and parameterization, and fails closed on unknown keys", async () => {
        const pack = await start({ stack: "dev" });
        const withUrl: ResourceInput = { type: "pulumi:providers:aws", name: "mirror", props: { region: "x", __internal: { pluginDownloadURL: "https://evil.example" } } };
        expect(messages(await pack.analyze(withUrl))).toContain('would use provider package "aws@https://evil.example"');
        const param: ResourceInput = { type: "pulumi:providers:aws", name: "p", props: { __internal: { name: "terraform-provider", parameterization: "cA==" } } };
        expect(messages(await pack.analyze(param))).toContain('"aws[terraform-provider:cA==]"');
        const odd: ResourceInput = { type: "pulumi:providers:aws", name: "q", props: { __internal: { envVarMappings: { PROD_KEY: "AWS_ACCESS_KEY_ID" } } } };
        expect(messages(await pack.analyze(odd))).toContain('aws@<unknown __internal key \\"envVarMappings\\">'.replace(/\\"/g, '"'));
    });

    it("reads the URL from a default provider's name and allows it only when the config names that exact URL", async () => {
        const provider = { type: "pulumi:providers:aws", name: "default_7_0_0_https_/evil.example/p", props: {} };
        const b: ResourceInput = { type: "aws:s3/bucket:Bucket", name: "b", props: {}, provider };
        expect(messages(await (await start({ stack: "dev" })).analyze(b))).toContain('"aws@https_/evil.example/p"');
        const allowed = await start({ stack: "dev", config: { allowedProviders: ["aws", "aws@https://evil.example/p"] } });
        expect(await allowed.analyze(b)).toEqual([]);
    });
});
