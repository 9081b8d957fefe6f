/**
 * Issue 10 items 3–4 under the real `pulumi` CLI: a program that declares nothing on a renamed
 * production stack (it would delete production), nested Cloudflare ids and Route 53 records on a
 * dev stack, and a provider whose plugin comes from its own download URL.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Approver, approver, realNow, sign } from "../fixtures";
import { ROOT, Workspace } from "./pulumi";
import { workspacesOfFile } from "./workspaces";

const PROGRAM = path.join(ROOT, "test/e2e/programs/generic");
/** Several real CLI runs per case, on a shared 2-core machine. */
const E2E_TIMEOUT = 300_000;
const workspaces = workspacesOfFile();
let alice: Approver;
let bob: Approver;

beforeAll(async () => {
    alice = await approver("alice");
    bob = await approver("bob");
});

async function agentStack(stack: string, resources: unknown[], gate: Record<string, unknown> = {}) {
    const ws = await Workspace.create({ program: PROGRAM, stack });
    workspaces.push(ws);
    await ws.config("agentguard:agent", "deploy-bot");
    await ws.resources(resources);
    return { ws, policyConfig: ws.policyConfig({ approvers: [alice.entry, bob.entry], ...gate }) };
}

const bucket = { type: "aws:s3/bucket:Bucket", name: "data", props: { bucket: "shop-data" } };
const HUMAN = { AGENTGUARD_INITIATOR: "human:carol" };

describe("production that names cannot hide, under the real pulumi CLI", () => {
    it("denies an agent program that declares nothing on stack prod_eu in preview and up: production is not deleted", async () => {
        const { ws, policyConfig } = await agentStack("prod_eu", [bucket]);
        // A person created production.
        const made = await ws.up({ policyConfig, env: HUMAN });
        expect(made.code, made.output).toBe(0);
        // The agent's program now declares nothing: an update would delete the bucket.
        await ws.resources([]);
        const preview = await ws.preview({ policyConfig });
        expect(preview.code).not.toBe(0);
        expect(preview.output).toContain('agent "deploy-bot" would change stack "organization/shop/prod_eu" in production (stack "prod_eu" has the name token "prod")');
        expect(preview.output).toContain("agentguard approve --key \"$AGENTGUARD_KEY\" --stack organization/shop/prod_eu --agent deploy-bot --environment production --ttl 4h");
        const previewLog = ws.decisions().at(-1) as { decision: string; dryRun: boolean; gates: { gate: string; resource?: string }[] };
        expect(previewLog).toMatchObject({ decision: "deny", dryRun: true });
        expect(previewLog.gates).toEqual([expect.objectContaining({ gate: "environment", required: 2, satisfied: false })]);

        const up = await ws.up({ policyConfig });
        expect(up.code).not.toBe(0);
        expect((await ws.pulumi(["stack", "export"])).stdout).toContain("aws:s3/bucket:Bucket::data");
        // Without the preview the engine still analyzes the root stack first, before any delete.
        const skipped = await ws.up({ policyConfig, skipPreview: true });
        expect(skipped.code).not.toBe(0);
        expect(skipped.output).toContain('would change stack "organization/shop/prod_eu" in production');
        expect((await ws.pulumi(["stack", "export"])).stdout).toContain("aws:s3/bucket:Bucket::data");

        // Two production approvals let the agent's delete through.
        const ref = { organization: "organization", project: "shop", stack: "prod_eu" };
        const tokens = await Promise.all([alice, bob].map((a) => sign(a, { environments: ["production"] }, { stack: ref, now: realNow() - 30 })));
        await ws.approvals(tokens, "string");
        const approved = await ws.up({ policyConfig });
        expect(approved.code, approved.output).toBe(0);
        expect((await ws.pulumi(["stack", "export"])).stdout).not.toContain("aws:s3/bucket:Bucket::data");
        expect(ws.decisions().at(-1)).toMatchObject({ decision: "allow", dryRun: false });
    }, E2E_TIMEOUT);

    it("treats a v6 zone's account.id and a Route 53 record on the production hosted zone as production on a dev stack", async () => {
        const zone = { type: "cloudflare:index/zone:Zone", name: "site", props: { name: "shop.example", account: { id: "acct-prod" } } };
        const record = { type: "aws:route53/record:Record", name: "www", props: { zoneId: "Z0PROD", name: "www.shop.example", type: "CNAME", ttl: 300, records: ["shop.example"] } };
        const gate = { productionCloudflareAccountIds: ["acct-prod"], productionAwsHostedZoneIds: ["Z0PROD"] };
        const { ws, policyConfig } = await agentStack("dev", [zone, record], gate);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain('declares "urn:pulumi:dev::shop::cloudflare:index/zone:Zone::site" in production (its Cloudflare account.id "acct-prod" is production)');
        expect(denied.output).toContain('declares "urn:pulumi:dev::shop::aws:route53/record:Record::www" in production (its Route 53 hosted zone "Z0PROD" is production)');
        const up = await ws.up({ policyConfig, skipPreview: true });
        expect(up.code).not.toBe(0);
        expect((await ws.pulumi(["stack", "export"])).stdout).not.toContain("aws:route53/record:Record::www");

        await ws.resources([{ ...zone, props: { ...zone.props, account: { id: "acct-dev" } } }, { ...record, props: { ...record.props, zoneId: "Z0DEV" } }]);
        const allowed = await ws.preview({ policyConfig });
        expect(allowed.code, allowed.output).toBe(0);
    }, E2E_TIMEOUT);
});

describe("provider identity under the real pulumi CLI", () => {
    it("names a provider whose plugin comes from its own download URL, and allows only that exact URL", async () => {
        const url = "https://plugins.example.test/aws";
        const { ws, policyConfig } = await agentStack("dev", [{ ...bucket, pluginDownloadURL: url }]);
        const denied = await ws.preview({ policyConfig });
        expect(denied.code).not.toBe(0);
        expect(denied.output).toContain('would use provider package "aws@https_/plugins.example.test/aws"');
        expect(denied.output).toContain("--provider aws@https_/plugins.example.test/aws");
        const up = await ws.up({ policyConfig, skipPreview: true });
        expect(up.code).not.toBe(0);
        expect((await ws.pulumi(["stack", "export"])).stdout).not.toContain("aws:s3/bucket:Bucket::data");

        const vetted = ws.policyConfig({ approvers: [alice.entry, bob.entry], allowedProviders: ["aws", "cloudflare", "random", `aws@${url}`] }, "vetted.json");
        const allowed = await ws.preview({ policyConfig: vetted });
        expect(allowed.code, allowed.output).toBe(0);
        const other = ws.policyConfig({ approvers: [alice.entry, bob.entry], allowedProviders: ["aws", "aws@https://plugins.example.test/other"] }, "other.json");
        expect((await ws.preview({ policyConfig: other })).code).not.toBe(0);
    }, E2E_TIMEOUT);
});
