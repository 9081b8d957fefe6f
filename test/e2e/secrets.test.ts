/**
 * No secret input value in any denial, log line or CLI output (docs/contract.md §5), under the real
 * `pulumi` CLI with both entries: values the program marked `pulumi.secret` — a domain, an AWS
 * account id, a role ARN and a tag — decide as usual but are never echoed.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PACK_ENTRIES, ROOT, Workspace } from "./pulumi";
import { workspacesOfFile } from "./workspaces";

const PROGRAM = path.join(ROOT, "test/e2e/programs/generic");
const workspaces = workspacesOfFile();

const DOMAIN = "hidden-shop-example.io";
const ACCOUNT = "111122223333";
const ROLE_ACCOUNT = "444455556666";
const ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/hidden-deployer`;

const RESOURCES = [
    { kind: "provider", package: "aws", name: "acct", props: { region: "us-east-1", allowedAccountIds: [ACCOUNT] }, secret: ["allowedAccountIds"] },
    { kind: "provider", package: "aws", name: "role", props: { region: "us-east-1", assumeRoles: [{ roleArn: ROLE }] }, secret: ["assumeRoles.0.roleArn"] },
    { type: "aws:s3/bucket:Bucket", name: "in-account", provider: "acct", props: {} },
    { type: "aws:s3/bucket:Bucket", name: "by-role", provider: "role", props: {} },
    { type: "aws:s3/bucket:Bucket", name: "tagged", props: { tags: { Environment: "live" } }, secret: ["tags.Environment"] },
    { type: "aws:route53domains/registeredDomain:RegisteredDomain", name: "domain", props: { domainName: DOMAIN }, secret: ["domainName"] },
    // A number: the gate prints amounts rounded and grouped ("$7,777/month"); no form of it may show.
    { type: "aws:budgets/budget:Budget", name: "cap", props: { budgetType: "COST", limitAmount: "7777.4", limitUnit: "USD", timeUnit: "MONTHLY" }, secret: ["limitAmount"] },
];

describe.each(PACK_ENTRIES)("secret inputs (%s)", (_entry, pack) => {
    it("deny as usual, and never appear in the denial, the CLI output or the decision log", async () => {
        const ws = await Workspace.create({ program: PROGRAM, stack: "dev", pack });
        workspaces.push(ws);
        await ws.config("agentguard:agent", "deploy-bot");
        await ws.resources(RESOURCES);
        const policyConfig = ws.policyConfig({ productionAwsAccountIds: [ACCOUNT, ROLE_ACCOUNT] });
        const r = await ws.preview({ policyConfig });
        expect(r.code).not.toBe(0);
        // The gate still decided on the values: production through the account, the role and the tag, and a purchase.
        expect(r.output).toContain('declares "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::in-account" in production');
        expect(r.output).toContain('declares "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::by-role" in production');
        expect(r.output).toContain('declares "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::tagged" in production');
        expect(r.output).toContain("would buy");
        expect(r.output).toContain("[secret]");
        const log = JSON.stringify(ws.decisions());
        expect(ws.decisions().at(-1)).toMatchObject({ decision: "deny" });
        expect(r.output).toContain('"urn:pulumi:dev::shop::aws:budgets/budget:Budget::cap"');
        for (const secret of [DOMAIN, ACCOUNT, ROLE_ACCOUNT, ROLE, "hidden-deployer", '"live"', "7777", "7,777", "7778"]) {
            expect(r.output).not.toContain(secret);
            expect(log).not.toContain(secret);
        }
    }, 120_000);
});
