/**
 * Attacks on the environment gate (issue 10, items 3): stack names that leave the production
 * globs, unlisted stacks, nested Cloudflare ids, Route 53 records on a production hosted zone,
 * and runs that declare nothing on a production stack (a run that only deletes).
 */
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../src/facts/facts";
import { stackEnvironment } from "../../src/gate/environment";
import { denialMessage, summaryDenial } from "../../src/gate/message";
import { STACK, approver, config, custom, run, sign } from "../fixtures";
import { decide, gatesOf } from "./helpers";

const onStack = (stack: string) => run({ stack: { ...STACK, stack } });
const levelOf = (stack: string, over: Record<string, unknown> = {}) => stackEnvironment(onStack(stack), config(over)).level;

describe("stack names that cannot hide production", () => {
    it.each(["prod_eu", "live-eu", "production2", "eu.prod", "prod2", "PRD_1", "shop_live", "eu-west-1-prod", "x.production.y"])("treats %s as production", (stack) => {
        expect(levelOf(stack)).toBe("production");
    });

    it.each(["stage_2", "stg1", "eu.staging", "STAGING_EU", "qa-stage"])("treats %s as staging", (stack) => {
        expect(levelOf(stack)).toBe("staging");
    });

    it.each(["reproduce", "prodx", "livestream", "staged"])("does not read production or staging inside a longer word (%s): it is unlisted", (stack) => {
        expect(levelOf(stack)).toBe("staging");
        expect(levelOf(stack, { unlistedStacks: "development" })).toBe("development");
    });

    it("gives a stack that matches none of the three lists unlistedStacks (staging by default)", () => {
        expect(levelOf("feature-x")).toBe("staging");
        expect(levelOf("feature-x", { unlistedStacks: "production" })).toBe("production");
        expect(levelOf("feature-x", { unlistedStacks: "development" })).toBe("development");
        expect(levelOf("dev")).toBe("development");
        expect(levelOf("sandbox-alice")).toBe("development");
        expect(levelOf("feature-x", { developmentStacks: ["feature-*"] })).toBe("development");
    });

    it("takes the highest when a name matches several lists", () => {
        expect(levelOf("dev-prod")).toBe("production");
        expect(levelOf("test-live")).toBe("production");
        expect(levelOf("dev_stage")).toBe("staging");
        // A development glob cannot lower a production token.
        expect(levelOf("prod_eu", { developmentStacks: ["*"] })).toBe("production");
        // Nor can unlistedStacks lower a listed stack.
        expect(levelOf("staging", { unlistedStacks: "development" })).toBe("staging");
    });

    it("lets stack config and the stack tag raise a development stack, never lower a production name", () => {
        const raised = stackEnvironment(run({ stackConfig: { "agentguard:agent": "deploy-bot", "agentguard:environment": "live" } }), config());
        expect(raised.level).toBe("production");
        const lowered = stackEnvironment(
            run({ stack: { ...STACK, stack: "prod_eu" }, stackConfig: { "agentguard:agent": "deploy-bot", "agentguard:environment": "development" }, stackTags: { environment: "dev" } }),
            config({ unlistedStacks: "development" }),
        );
        expect(lowered.level).toBe("production");
        expect(lowered.reasons.join("; ")).toContain('stack "prod_eu" has the name token "prod"');
    });
});

describe("a run on a production or staging stack raises a stack-level environment item", () => {
    it("denies an agent run that declares no resource at all on production (it would only delete)", async () => {
        const d = await decide([], { run: onStack("prod_eu") });
        expect(d.decision).toBe("deny");
        expect(gatesOf(d)).toEqual(["environment:2:denied"]);
        expect(d.gates[0].resource).toBeUndefined();
        expect(d.gates[0]).toMatchObject({ level: "stack", need: { gate: "environment", environment: "production" } });
        expect(d.gates[0].observed).toBe('agent "deploy-bot" would change stack "organization/shop/prod_eu" in production (stack "prod_eu" has the name token "prod")');
    });

    it("needs one approval on staging, and none on development", async () => {
        expect(gatesOf(await decide([], { run: onStack("staging") }))).toEqual(["environment:1:denied"]);
        expect(gatesOf(await decide([], { run: onStack("feature-x") }))).toEqual(["environment:1:denied"]);
        expect((await decide([], { run: onStack("dev") })).decision).toBe("allow");
    });

    it("is raised beside the resource items, and covered by environments", async () => {
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry] });
        const prod = onStack("live-eu");
        const bucket = custom("aws:s3/bucket:Bucket");
        const d = await decide([bucket], { config: cfg, run: prod });
        expect(d.gates.map((g) => g.level)).toEqual(["resource", "stack"]);
        const tokens = [await sign(alice, { environments: ["production"] }, { stack: prod.stack }), await sign(bob, { environments: ["production"] }, { stack: prod.stack })];
        expect((await decide([bucket], { config: cfg, run: prod, tokens })).decision).toBe("allow");
        expect((await decide([], { config: cfg, run: prod, tokens })).decision).toBe("allow");
    });

    it("is not covered by tokens restricted to resources, which still cover their resources", async () => {
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry] });
        const prod = onStack("prod");
        const bucket = custom("aws:s3/bucket:Bucket", {}, { urn: "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::r" });
        const scoped = { environments: ["production" as const], resources: [bucket.urn] };
        const tokens = [await sign(alice, scoped, { stack: prod.stack }), await sign(bob, scoped, { stack: prod.stack })];
        const d = await decide([bucket], { config: cfg, run: prod, tokens });
        expect(d.decision).toBe("deny");
        expect(d.gates.map((g) => `${g.level}:${g.satisfied}`)).toEqual(["resource:true", "stack:false"]);
        // Nor a stack-level item of another gate.
        const ops = config({ approvers: [alice.entry, bob.entry], maxResources: 0 });
        const opsTokens = [await sign(alice, { maxResources: 5, resources: ["x"] }, { stack: STACK })];
        const dev = await decide([custom("aws:s3/bucket:Bucket")], { config: ops, tokens: opsTokens });
        expect(gatesOf(dev)).toEqual(["operations:1:denied"]);
        const text = denialMessage(d.gates[1], { stack: prod.stack, agent: "deploy-bot", approvals: { reports: [], valid: [] } });
        expect(text).toContain("--environment production");
    });

    it("puts the stack item in the summary and its approve command", async () => {
        const prod = onStack("production2");
        const d = await decide([], { run: prod });
        const text = summaryDenial(d.gates, prod.stack, "deploy-bot");
        expect(text).toContain("(environment ×1)");
        expect(text).toContain("agentguard approve --key \"$AGENTGUARD_KEY\" --stack organization/shop/production2 --agent deploy-bot --environment production --ttl 4h");
    });

    it("says a token restricted to resources does not cover a stack-level item", async () => {
        const alice = await approver("alice");
        const cfg = config({ approvers: [alice.entry] });
        const prod = onStack("prod");
        const t = await sign(alice, { environments: ["production"], resources: ["urn:x"] }, { stack: prod.stack, jti: "scoped-1" });
        const d = await decide([], { config: cfg, run: prod, tokens: [t] });
        const { verifyApprovals } = await import("../../src/approvals/verify");
        const { readPresentedTokens } = await import("../../src/approvals/tokens");
        const set = await verifyApprovals(readPresentedTokens(t), { config: cfg, stack: prod.stack, agent: "deploy-bot", now: prod.now });
        const text = denialMessage(d.gates[0], { stack: prod.stack, agent: "deploy-bot", approvals: set });
        expect(text).toContain('token "scoped-1" from "alice" does not cover it (its resources list restricts it to resources; a stack-level item needs a token without --resource)');
    });
});

describe("nested Cloudflare ids", () => {
    const cfg = config({ productionCloudflareZoneIds: ["zone-prod"], productionCloudflareAccountIds: ["acct-prod"] });

    it("reads account.id of a v6 zone and zone.id wherever they are nested", async () => {
        expect(gatesOf(await decide([custom("cloudflare:index/zone:Zone", { name: "example.com", account: { id: "acct-prod" } })], { config: cfg }))).toEqual(["environment:2:denied"]);
        expect(gatesOf(await decide([custom("cloudflare:index/zone:Zone", { name: "example.com", account: JSON.stringify({ id: "acct-prod" }) })], { config: cfg }))).toEqual(["environment:2:denied"]);
        expect(gatesOf(await decide([custom("cloudflare:index/record:Record", { zone: { id: "zone-prod" } })], { config: cfg }))).toEqual(["environment:2:denied"]);
        expect(gatesOf(await decide([custom("cloudflare:index/ruleset:Ruleset", { phase: "http_request_cache_settings", rules: [{ action: { zoneId: "zone-prod" } }] })], { config: cfg }))).toEqual(["environment:2:denied"]);
        expect(gatesOf(await decide([custom("cloudflare:index/webAnalyticsSite:WebAnalyticsSite", { zoneTag: "zone-prod" })], { config: cfg }))).toEqual(["environment:2:denied"]);
        // (a tunnel is an access change as well: its secret publishes private networks)
        expect(gatesOf(await decide([custom("cloudflare:index/tunnel:Tunnel", { accountTag: "acct-prod" })], { config: cfg }))).toContain("environment:2:denied");
    });

    it("allows other ids and fails closed on nested unknown ones", async () => {
        expect((await decide([custom("cloudflare:index/zone:Zone", { account: { id: "acct-dev" } })], { config: cfg })).decision).toBe("allow");
        expect(gatesOf(await decide([custom("cloudflare:index/zone:Zone", { account: { id: UNKNOWN } })], { config: cfg }))).toEqual(["environment:2:denied"]);
        expect(gatesOf(await decide([custom("cloudflare:index/zone:Zone", { account: UNKNOWN })], { config: cfg }))).toEqual(["environment:2:denied"]);
        expect(gatesOf(await decide([custom("cloudflare:index/record:Record", { zone: { id: UNKNOWN } })], { config: cfg }))).toEqual(["environment:2:denied"]);
    });

    it("does not read ids when no production ids are configured", async () => {
        expect((await decide([custom("cloudflare:index/zone:Zone", { account: { id: UNKNOWN } })])).decision).toBe("allow");
    });
});

describe("Route 53 records on a production hosted zone", () => {
    const cfg = config({ productionAwsHostedZoneIds: ["Z0PROD"] });
    const record = (props: Record<string, unknown>) => custom("aws:route53/record:Record", props as never);

    it("treats a dev stack writing a record on the production zone as production", async () => {
        const d = await decide([record({ zoneId: "Z0PROD", name: "www", type: "A" })], { config: cfg });
        expect(gatesOf(d)).toEqual(["environment:2:denied"]);
        expect(d.gates[0].observed).toContain('its Route 53 hosted zone "Z0PROD" is production');
        expect(gatesOf(await decide([record({ zoneId: "/hostedzone/Z0PROD" })], { config: cfg }))).toEqual(["environment:2:denied"]);
    });

    it("reads any AWS type with a hosted zone id, not only records", async () => {
        expect(gatesOf(await decide([custom("aws:route53/hostedZoneDnsSec:HostedZoneDnsSec", { hostedZoneId: "Z0PROD" })], { config: cfg }))).toEqual(["environment:2:denied"]);
        // (a zone association is an access change as well: another VPC may resolve the zone)
        expect(gatesOf(await decide([custom("aws:route53/zoneAssociation:ZoneAssociation", { zoneId: "Z0PROD", vpcId: "vpc-1" })], { config: cfg }))).toContain("environment:2:denied");
    });

    it("allows other zones and fails closed on unknown ones", async () => {
        expect((await decide([record({ zoneId: "Z0DEV" })], { config: cfg })).decision).toBe("allow");
        expect(gatesOf(await decide([record({ zoneId: UNKNOWN })], { config: cfg }))).toEqual(["environment:2:denied"]);
        expect((await decide([record({ zoneId: UNKNOWN })])).decision).toBe("allow");
    });
});
