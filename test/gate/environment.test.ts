import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../src/facts/facts";
import { AWS_PROVIDER, STACK, approver, config, custom, run, sign } from "../fixtures";
import { decide, gatesOf } from "./helpers";

const bucket = (props = {}, over = {}) => custom("aws:s3/bucket:Bucket", props, over);

describe("environment gate", () => {
    it("allows a development stack", async () => {
        const d = await decide([bucket()]);
        expect(d.decision).toBe("allow");
        expect(d.gates).toEqual([]);
    });

    it.each(["prod", "PROD", "production", "prd", "live", "shop-prod", "prod-eu", "eu-production", "production-1"])("treats stack %s as production needing 2", async (stack) => {
        const d = await decide([bucket()], { run: run({ stack: { ...STACK, stack } }) });
        // The resource's item and the stack's own.
        expect(gatesOf(d)).toEqual(["environment:2:denied", "environment:2:denied"]);
        expect(d.gates.map((g) => g.level)).toEqual(["resource", "stack"]);
        expect(d.gates[0].need).toEqual({ gate: "environment", environment: "production" });
    });

    it.each(["staging", "stage", "stg", "shop-staging", "staging-2", "eu-stage", "stage-x"])("treats stack %s as staging needing 1", async (stack) => {
        const d = await decide([bucket()], { run: run({ stack: { ...STACK, stack } }) });
        expect(gatesOf(d)).toEqual(["environment:1:denied", "environment:1:denied"]);
    });

    it("does not match production as a substring: such a stack is unlisted", async () => {
        const d = await decide([bucket()], { run: run({ stack: { ...STACK, stack: "reproduce" } }) });
        expect(gatesOf(d)).toEqual(["environment:1:denied", "environment:1:denied"]);
        const dev = await decide([bucket()], { config: config({ unlistedStacks: "development" }), run: run({ stack: { ...STACK, stack: "reproduce" } }) });
        expect(dev.decision).toBe("allow");
    });

    it("uses configured globs instead of the defaults; name tokens still count", async () => {
        const cfg = config({ productionStacks: ["main"], unlistedStacks: "development" });
        expect((await decide([bucket()], { config: cfg, run: run({ stack: { ...STACK, stack: "shop-prod" } }) })).gates[0].observed).toContain('name token "prod"');
        expect(gatesOf(await decide([bucket()], { config: cfg, run: run({ stack: { ...STACK, stack: "main" } }) }))).toEqual(["environment:2:denied", "environment:2:denied"]);
        expect((await decide([bucket()], { config: cfg, run: run({ stack: { ...STACK, stack: "feature" } }) })).decision).toBe("allow");
    });

    it("lets stack config and stack tags raise, never lower", async () => {
        const raised = await decide([bucket()], { run: run({ stackConfig: { "agentguard:agent": "deploy-bot", "agentguard:environment": "production" } }) });
        expect(gatesOf(raised)).toEqual(["environment:2:denied", "environment:2:denied"]);
        const tagged = await decide([bucket()], { run: run({ stackTags: { environment: "staging" } }) });
        expect(gatesOf(tagged)).toEqual(["environment:1:denied", "environment:1:denied"]);
        const lowered = await decide([bucket()], {
            run: run({ stack: { ...STACK, stack: "prod" }, stackConfig: { "agentguard:agent": "deploy-bot", "agentguard:environment": "dev" }, stackTags: { environment: "dev" } }),
        });
        expect(gatesOf(lowered)).toEqual(["environment:2:denied", "environment:2:denied"]);
    });

    describe("AWS account of the provider", () => {
        const cfg = config({ productionAwsAccountIds: ["111111111111"] });
        const withProvider = (props: Record<string, unknown>) => bucket({}, { provider: { ...AWS_PROVIDER, props: props as never } });

        it("reads allowedAccountIds as a list", async () => {
            expect(gatesOf(await decide([withProvider({ allowedAccountIds: ["111111111111"] })], { config: cfg }))).toEqual(["environment:2:denied"]);
        });
        it("reads allowedAccountIds as a JSON-encoded string", async () => {
            expect(gatesOf(await decide([withProvider({ allowedAccountIds: '["222222222222","111111111111"]' })], { config: cfg }))).toEqual(["environment:2:denied"]);
        });
        it("reads an assumed role ARN, as an object or JSON", async () => {
            const arn = "arn:aws:iam::111111111111:role/deployer";
            expect(gatesOf(await decide([withProvider({ assumeRole: { roleArn: arn } })], { config: cfg }))).toEqual(["environment:2:denied"]);
            expect(gatesOf(await decide([withProvider({ assumeRole: JSON.stringify({ roleArn: arn }) })], { config: cfg }))).toEqual(["environment:2:denied"]);
            expect(gatesOf(await decide([withProvider({ assumeRoles: JSON.stringify([{ roleArn: arn }]) })], { config: cfg }))).toEqual(["environment:2:denied"]);
        });
        it("allows other accounts", async () => {
            expect((await decide([withProvider({ allowedAccountIds: ["222222222222"], assumeRole: { roleArn: "arn:aws:iam::222222222222:role/x" } })], { config: cfg })).decision).toBe("allow");
        });
        it("fails closed when the provider can redirect or skip its own account check (its STS endpoint could answer for any account)", async () => {
            for (const extra of [{ endpoints: JSON.stringify([{ sts: "http://127.0.0.1:8999" }]) }, { httpsProxy: "http://127.0.0.1:8080" }, { skipRequestingAccountId: true }]) {
                const d = await decide([withProvider({ allowedAccountIds: ["222222222222"], ...extra })], { config: cfg });
                expect(gatesOf(d), JSON.stringify(extra)).toEqual(["environment:2:denied"]);
                expect(d.gates[0].observed).toContain(`sets ${Object.keys(extra)[0]}, which can redirect or skip its own account check`);
            }
        });
        it("fails closed when the provider names no account at all (ambient credentials)", async () => {
            const d = await decide([withProvider({ region: "us-east-1" })], { config: cfg });
            expect(gatesOf(d)).toEqual(["environment:2:denied"]);
            expect(d.gates[0].observed).toContain("names no AWS account");
            // Without production accounts configured, the account does not matter.
            expect((await decide([withProvider({ region: "us-east-1" })])).decision).toBe("allow");
        });
        it("fails closed on role entries that assume nothing (empty or missing ARN) and checks web-identity roles", async () => {
            for (const props of [{ assumeRole: '{"roleArn":""}' }, { assumeRole: {} }, { assumeRoles: "[{}]" }, { allowedAccountIds: [], assumeRole: { roleArn: "not-an-arn" } }]) {
                expect(gatesOf(await decide([withProvider(props)], { config: cfg })), JSON.stringify(props)).toEqual(["environment:2:denied"]);
            }
            const web = { assumeRoleWithWebIdentity: { roleArn: "arn:aws:iam::111111111111:role/ci" } };
            expect(gatesOf(await decide([withProvider(web)], { config: cfg }))).toEqual(["environment:2:denied"]);
            const devWeb = { assumeRoleWithWebIdentity: { roleArn: "arn:aws:iam::222222222222:role/ci" } };
            expect((await decide([withProvider(devWeb)], { config: cfg })).decision).toBe("allow");
        });
        it("fails closed when the account is unknown at preview", async () => {
            expect(gatesOf(await decide([withProvider({ assumeRole: { roleArn: UNKNOWN } })], { config: cfg }))).toEqual(["environment:2:denied"]);
            expect(gatesOf(await decide([withProvider({ allowedAccountIds: UNKNOWN })], { config: cfg }))).toEqual(["environment:2:denied"]);
        });
        it("judges an explicit provider resource by its own inputs", async () => {
            const p = { urn: AWS_PROVIDER.urn, type: "pulumi:providers:aws", name: "prod", kind: "provider" as const, props: { allowedAccountIds: ["111111111111"] } };
            // Provider resources raise only the provider gate (aws is allowed): nothing here.
            expect((await decide([p], { config: cfg })).gates).toEqual([]);
        });
    });

    describe("Cloudflare ids", () => {
        const cfg = config({ productionCloudflareZoneIds: ["zone-prod"], productionCloudflareAccountIds: ["acct-prod"] });
        it("raises production for a production zone or account", async () => {
            expect(gatesOf(await decide([custom("cloudflare:index/record:Record", { zoneId: "zone-prod" })], { config: cfg }))).toEqual(["environment:2:denied"]);
            expect(gatesOf(await decide([custom("cloudflare:index/workersScript:WorkersScript", { accountId: "acct-prod" })], { config: cfg }))).toEqual(["environment:2:denied"]);
        });
        it("allows other zones and fails closed on unknown ones", async () => {
            expect((await decide([custom("cloudflare:index/record:Record", { zoneId: "zone-dev" })], { config: cfg })).decision).toBe("allow");
            expect(gatesOf(await decide([custom("cloudflare:index/record:Record", { zoneId: UNKNOWN })], { config: cfg }))).toEqual(["environment:2:denied"]);
        });
    });

    describe("resource tags", () => {
        it.each([["Environment", "prod"], ["environment", "Production"], ["env", "live"], ["Environment", "prd"]])("raises production for tag %s=%s", async (k, v) => {
            expect(gatesOf(await decide([bucket({ tags: { [k]: v } })]))).toEqual(["environment:2:denied"]);
        });
        it("prefers tagsAll, and reads tags plus provider default tags when tagsAll is unknown", async () => {
            expect(gatesOf(await decide([bucket({ tags: {}, tagsAll: { env: "prod" } })]))).toEqual(["environment:2:denied"]);
            const p = { ...AWS_PROVIDER, props: { defaultTags: JSON.stringify({ tags: { Environment: "production" } }) } };
            expect(gatesOf(await decide([bucket({ tags: { team: "x" }, tagsAll: UNKNOWN }, { provider: p })]))).toEqual(["environment:2:denied"]);
        });
        it("fails closed on an unknown environment tag, not on unrelated unknown tags", async () => {
            expect(gatesOf(await decide([bucket({ tags: { Environment: UNKNOWN } })]))).toEqual(["environment:2:denied"]);
            expect((await decide([bucket({ tags: { owner: UNKNOWN } })])).decision).toBe("allow");
        });
    });

    it("raises nothing for components", async () => {
        const c = { ...bucket(), kind: "component" as const, type: "shop:index:Site", provider: undefined };
        // Only the stack's own item: the component raises none.
        expect((await decide([c], { run: run({ stack: { ...STACK, stack: "prod" } }) })).gates.map((g) => g.level)).toEqual(["stack"]);
    });

    it("is satisfied by two production approvals, and not by staging or by one", async () => {
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry] });
        const prod = run({ stack: { ...STACK, stack: "prod" } });
        const stack = prod.stack;
        const a = await sign(alice, { environments: ["production"] }, { stack });
        const b = await sign(bob, { environments: ["production"] }, { stack });
        const bStaging = await sign(bob, { environments: ["staging"] }, { stack });
        expect((await decide([bucket()], { config: cfg, run: prod, tokens: [a, b] })).decision).toBe("allow");
        expect((await decide([bucket()], { config: cfg, run: prod, tokens: [a] })).decision).toBe("deny");
        expect((await decide([bucket()], { config: cfg, run: prod, tokens: [a, bStaging] })).decision).toBe("deny");
        // The same approver twice counts once.
        const a2 = await sign(alice, { environments: ["production"] }, { stack });
        expect((await decide([bucket()], { config: cfg, run: prod, tokens: [a, a2] })).decision).toBe("deny");
    });
});
