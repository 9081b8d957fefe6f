/**
 * The stack module under `pulumi.runtime.setMocks`: what `AgentServiceAccount` registers, with
 * the generated documents asserted as data.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type * as Identity from "../../src/identity";
import { HygieneResource, checkIdentityHygiene, DEFAULT_HYGIENE_CONFIG } from "../../src/policies/identity-hygiene";
import { ACCOUNT, NOW, RUNNER, ZONE, rawAgent, rawRegistry, withField } from "./fixtures";

interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly state: Record<string, unknown>;
}

const registered: Registered[] = [];
const calls: { token: string; inputs: Record<string, unknown> }[] = [];

/** The permission groups the mocked Cloudflare account has; "Logs Read" exists at zone and account level. */
const GROUPS = [
    { id: "g-dns-write", name: "DNS Write", scopes: ["com.cloudflare.api.account.zone"] },
    { id: "g-zone-read", name: "Zone Read", scopes: ["com.cloudflare.api.account.zone"] },
    { id: "g-logs-zone", name: "Logs Read", scopes: ["com.cloudflare.api.account.zone"] },
    { id: "g-logs-account", name: "Logs Read", scopes: ["com.cloudflare.api.account"] },
    { id: "g-billing-write", name: "Billing Write", scopes: ["com.cloudflare.api.account"] },
];

let mod: typeof Identity;

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const state: Record<string, unknown> = { ...args.inputs };
                const [pkg, mid] = args.type.split(":");
                if (pkg === "aws") {
                    const module = mid.split("/")[0];
                    state.arn = `arn:aws:${module}::123456789012:${mid.split("/")[1]}/${(args.inputs.name as string | undefined) ?? args.name}`;
                }
                if (args.type === "cloudflare:index/accountToken:AccountToken") {
                    state.value = "cf-secret-token-value";
                }
                registered.push({ type: args.type, name: args.name, inputs: args.inputs, state });
                return { id: `${args.name}-id`, state };
            },
            call(args) {
                calls.push({ token: args.token, inputs: args.inputs });
                switch (args.token) {
                    case "aws:index/getCallerIdentity:getCallerIdentity":
                        return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/platform", userId: "AIDA" };
                    case "aws:index/getPartition:getPartition":
                        return { partition: "aws", dnsSuffix: "amazonaws.com" };
                    case "aws:index/getRegion:getRegion":
                        return { region: "us-east-1", name: "us-east-1" };
                    case "cloudflare:index/getAccountApiTokenPermissionGroupsList:getAccountApiTokenPermissionGroupsList":
                        return { accountId: args.inputs.accountId, results: GROUPS };
                }
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        "agents",
        "test",
        false,
    );
    mod = await import("../../src/identity");
});

function value<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Waits until resources with these logical names have been registered. */
async function registeredAll(...names: string[]): Promise<Record<string, Registered>> {
    for (let i = 0; i < 400; i++) {
        const found = names.map((n) => registered.find((r) => r.name === n));
        if (found.every((f) => f !== undefined)) {
            return Object.fromEntries(found.map((f) => [f!.name, f!]));
        }
        await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`not registered: ${names.filter((n) => !registered.some((r) => r.name === n)).join(", ")}`);
}

function agent(raw: Record<string, unknown>) {
    return mod.validateRegistry(rawRegistry([raw]), { now: NOW }).agents[0];
}

const json = (s: unknown) => JSON.parse(s as string);
const PARTS = ["role", "plan-role", "plan-scopes", "boundary", "scopes", "deny-all", "budget", "cap", "hard-cap"];
const names = (prefix: string) => PARTS.map((p) => `${prefix}-aws-${p}`);

describe("AgentServiceAccount", () => {
    it("creates the role: trusted principal, sts:SourceIdentity = agent id, one-hour sessions, the boundary", async () => {
        const acct = new mod.AgentServiceAccount("a1", { agent: agent(rawAgent()), now: NOW });
        const r = await registeredAll(...names("a1"));
        const role = r["a1-aws-role"];
        expect(role.type).toBe("aws:iam/role:Role");
        expect(json(role.inputs.assumeRolePolicy).Statement).toEqual([
            {
                Sid: "AssumeAsAgent",
                Effect: "Allow",
                Principal: { AWS: RUNNER },
                Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
                Condition: { StringEquals: { "sts:SourceIdentity": "deploy-bot" } },
            },
        ]);
        expect(role.inputs.maxSessionDuration).toBe(3600);
        expect(role.inputs.permissionsBoundary).toBe(r["a1-aws-boundary"].state.arn);
        expect(await value(acct.roleArn)).toBe(role.state.arn);
        // No IAM user, no access key: nothing long-lived.
        expect(registered.filter((x) => /aws:iam\/(user|accessKey)/.test(x.type))).toEqual([]);
    });

    it("uses web identity for an OIDC subject", async () => {
        const raw = withField(rawAgent({ id: "oidc-bot" }), "aws.trust", {
            oidc: { provider: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", subjects: ["repo:acme/site:ref:refs/heads/main"] },
        });
        new mod.AgentServiceAccount("a2", { agent: agent(raw), now: NOW });
        const { "a2-aws-role": role } = await registeredAll("a2-aws-role");
        const [st] = json(role.inputs.assumeRolePolicy).Statement;
        expect(st.Principal).toEqual({ Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" });
        expect(st.Action).toEqual(["sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity"]);
        expect(st.Condition.StringEquals).toEqual({
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:acme/site:ref:refs/heads/main",
            "sts:SourceIdentity": "oidc-bot",
        });
    });

    it("attaches the least-privilege policy (never * on *) and a boundary with the fixed denies", async () => {
        new mod.AgentServiceAccount("a3", { agent: agent(rawAgent()), now: NOW });
        const r = await registeredAll(...names("a3"), "a3-aws-scopes");
        const scopes = json(r["a3-aws-scopes"].inputs.policy);
        expect(scopes.Statement[0]).toMatchObject({ Sid: "S3Write0", Effect: "Allow", Resource: ["arn:aws:s3:::acme-site", "arn:aws:s3:::acme-site/*"] });
        expect(scopes.Statement[0].Action).toEqual(expect.arrayContaining(["s3:PutObject", "s3:GetObject"]));
        for (const st of scopes.Statement) {
            expect([st.Action].flat().some((a: string) => a === "*" || /^[a-z0-9-]+:\*$/.test(a))).toBe(false);
        }
        const attachment = registered.find((x) => x.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && x.name === "a3-aws-scopes")!;
        expect(attachment.inputs).toMatchObject({ role: "agentguard-deploy-bot", policyArn: r["a3-aws-scopes"].state.arn });

        const boundary = json(r["a3-aws-boundary"].inputs.policy);
        const denied = boundary.Statement.filter((s: { Effect: string }) => s.Effect === "Deny").flatMap((s: { Action?: string[] }) => s.Action ?? []);
        expect(denied).toEqual(
            expect.arrayContaining([
                "iam:*",
                "organizations:*",
                "account:*",
                "aws-portal:*",
                "billing:*",
                "route53domains:RegisterDomain",
                "route53domains:TransferDomain",
                "shield:CreateSubscription",
                "ec2:PurchaseReservedInstancesOffering",
                "savingsplans:CreateSavingsPlan",
                "cloudtrail:StopLogging",
                "cloudtrail:DeleteTrail",
            ]),
        );
        expect(boundary.Statement.find((s: { Sid: string }) => s.Sid === "DenyOutsideAllowedRegions").Condition).toEqual({
            StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] },
        });
    });

    it("creates the monthly budget on the agent's tag and the hard cap that attaches deny-all to the role at 100%", async () => {
        const acct = new mod.AgentServiceAccount("a4", { agent: agent(rawAgent()), now: NOW });
        const r = await registeredAll(...names("a4"));
        expect(r["a4-aws-budget"].inputs).toMatchObject({
            name: "agentguard-deploy-bot",
            budgetType: "COST",
            limitAmount: "100.00",
            limitUnit: "USD",
            timeUnit: "MONTHLY",
            costFilters: [{ name: "TagKeyValue", values: ["user:agentguard:agent$deploy-bot"] }],
            notifications: [
                { notificationType: "FORECASTED", threshold: 80, thresholdType: "PERCENTAGE", comparisonOperator: "GREATER_THAN", subscriberEmailAddresses: ["alice@example.com"] },
                { notificationType: "ACTUAL", threshold: 100, thresholdType: "PERCENTAGE", comparisonOperator: "GREATER_THAN", subscriberEmailAddresses: ["alice@example.com"] },
            ],
        });
        expect(json(r["a4-aws-deny-all"].inputs.policy).Statement).toEqual([{ Sid: "AgentBudgetExhausted", Effect: "Deny", Action: "*", Resource: "*" }]);
        expect(r["a4-aws-hard-cap"].inputs).toMatchObject({
            budgetName: "agentguard-deploy-bot",
            actionType: "APPLY_IAM_POLICY",
            approvalModel: "AUTOMATIC",
            notificationType: "ACTUAL",
            actionThreshold: { actionThresholdType: "PERCENTAGE", actionThresholdValue: 100 },
            definition: { iamActionDefinition: { policyArn: r["a4-aws-deny-all"].state.arn, roles: ["agentguard-deploy-bot", "agentguard-deploy-bot-plan"] } },
            executionRoleArn: r["a4-aws-cap"].state.arn,
            subscribers: [{ address: "alice@example.com", subscriptionType: "EMAIL" }],
        });
        const capTrust = json(r["a4-aws-cap"].inputs.assumeRolePolicy).Statement[0];
        expect(capTrust.Principal).toEqual({ Service: "budgets.amazonaws.com" });
        expect(capTrust.Condition.StringEquals).toEqual({ "aws:SourceAccount": "123456789012" });
        const capPolicy = registered.find((x) => x.type === "aws:iam/rolePolicy:RolePolicy" && x.name === "a4-aws-cap")!;
        expect(json(capPolicy.inputs.policy).Statement[0]).toMatchObject({
            Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            Resource: [r["a4-aws-role"].state.arn, r["a4-aws-plan-role"].state.arn],
            Condition: { ArnEquals: { "iam:PolicyARN": r["a4-aws-deny-all"].state.arn } },
        });
        expect(await value(acct.budgetName)).toBe("agentguard-deploy-bot");
    });

    it("creates the read-only plan role with its own principal, and the backstop only when the registry asks", async () => {
        const r = await registeredAll(...names("a4"));
        expect(json(r["a4-aws-plan-role"].inputs.assumeRolePolicy).Statement[0].Principal).toEqual({ AWS: "arn:aws:iam::123456789012:role/agent-runner-plan" });
        expect(r["a4-aws-plan-role"].inputs.permissionsBoundary).toBe(r["a4-aws-boundary"].state.arn);
        const actions = json(r["a4-aws-plan-scopes"].inputs.policy).Statement.flatMap((s: { Action: string[] }) => s.Action);
        expect(actions).toContain("s3:GetObject");
        expect(actions.filter((x: string) => !/:(Get|List|Describe)/.test(x))).toEqual([]);
        expect(registered.some((x) => x.name.startsWith("a4-aws-backstop"))).toBe(false);

        new mod.AgentServiceAccount("a10", { agent: agent(withField(rawAgent({ id: "fast-bot" }), "aws.backstop", { estimatedChargesUsd: 150 })), now: NOW });
        const b = await registeredAll("a10-aws-backstop", "a10-aws-backstop-runbook", "a10-aws-backstop-events");
        const alarm = registered.find((x) => x.name === "a10-aws-backstop" && x.type === "aws:cloudwatch/metricAlarm:MetricAlarm")!;
        expect(alarm.inputs).toMatchObject({ namespace: "AWS/Billing", metricName: "EstimatedCharges", threshold: 150, comparisonOperator: "GreaterThanOrEqualToThreshold" });
        const rule = registered.find((x) => x.name === "a10-aws-backstop" && x.type === "aws:cloudwatch/eventRule:EventRule")!;
        expect(json(rule.inputs.eventPattern)).toMatchObject({ "detail-type": ["CloudWatch Alarm State Change"], resources: [alarm.state.arn], detail: { state: { value: ["ALARM"] } } });
        const doc = registered.find((x) => x.name === "a10-aws-backstop" && x.type === "aws:ssm/document:Document")!;
        const steps = json(doc.inputs.content).mainSteps;
        expect(steps.map((st: { inputs: { RoleName: string; Api: string } }) => [st.inputs.Api, st.inputs.RoleName])).toEqual([
            ["AttachRolePolicy", "agentguard-fast-bot"],
            ["AttachRolePolicy", "agentguard-fast-bot-plan"],
        ]);
        const denyAll = registered.find((x) => x.name === "a10-aws-deny-all")!;
        expect(steps[0].inputs.PolicyArn).toBe(denyAll.state.arn);
        const runbookPolicy = registered.find((x) => x.type === "aws:iam/rolePolicy:RolePolicy" && x.name === "a10-aws-backstop-runbook")!;
        expect(json(runbookPolicy.inputs.policy).Statement[0].Condition).toEqual({ ArnEquals: { "iam:PolicyARN": denyAll.state.arn } });
        for (let i = 0; i < 200 && !registered.some((x) => x.type === "aws:cloudwatch/eventTarget:EventTarget" && x.name === "a10-aws-backstop"); i++) {
            await new Promise((res) => setTimeout(res, 5));
        }
        const t = registered.find((x) => x.type === "aws:cloudwatch/eventTarget:EventTarget" && x.name === "a10-aws-backstop");
        expect(t?.inputs.arn).toMatch(/:automation-definition\/agentguard-fast-bot-backstop:\$DEFAULT$/);
        expect(t?.inputs.roleArn).toBe(b["a10-aws-backstop-events"].state.arn);
    });

    it("tags every taggable AWS resource with the agent id, owner and purpose", async () => {
        new mod.AgentServiceAccount("a5", { agent: agent(rawAgent()), tags: { team: "platform" }, now: NOW });
        const r = await registeredAll(...names("a5"));
        for (const res of Object.values(r)) {
            expect(res.inputs.tags, res.name).toMatchObject({
                "agentguard:agent": "deploy-bot",
                "agentguard:owner": "alice@example.com",
                "agentguard:purpose": "Deploys the marketing site",
                team: "platform",
            });
        }
    });

    it("creates the Cloudflare token with only the named groups, on the listed zone, from the allowed IPs, with an expiry", async () => {
        const acct = new mod.AgentServiceAccount("a6", { agent: agent(rawAgent()), now: NOW });
        const { "a6-cloudflare-token": token } = await registeredAll("a6-cloudflare-token");
        expect(token.type).toBe("cloudflare:index/accountToken:AccountToken");
        expect(token.inputs).toMatchObject({
            accountId: ACCOUNT,
            name: "agentguard-deploy-bot",
            condition: { requestIp: { ins: ["203.0.113.0/24"] } },
            expiresOn: "2026-06-06T00:00:00Z",
        });
        expect(token.inputs.policies).toEqual([{ effect: "allow", permissionGroups: [{ id: "g-dns-write" }], resources: JSON.stringify({ [`com.cloudflare.api.account.zone.${ZONE}`]: "*" }) }]);
        expect(calls.some((c) => c.token.endsWith("getAccountApiTokenPermissionGroupsList") && c.inputs.accountId === ACCOUNT)).toBe(true);
        expect(await value(acct.tokenExpiresOn)).toBe("2026-06-06T00:00:00Z");
    });

    it("returns the token value only as a secret", async () => {
        const acct = new mod.AgentServiceAccount("a7", { agent: agent(rawAgent()), now: NOW });
        expect(await pulumi.isSecret(acct.tokenValue)).toBe(true);
        expect(await pulumi.isSecret(acct.cloudflare!.tokenValue)).toBe(true);
        expect(await pulumi.isSecret(acct.roleArn)).toBe(false);
        expect(await value(acct.tokenValue)).toBe("cf-secret-token-value");
    });

    it("picks the group of the right level when names repeat, and takes ids given explicitly without a lookup", async () => {
        expect(mod.permissionGroupId(GROUPS, "Logs Read")).toBe("g-logs-account");
        expect(mod.permissionGroupId(GROUPS, "Workers Scripts Write")).toBeUndefined();
        const before = calls.length;
        new mod.AgentServiceAccount("a8", { agent: agent(rawAgent()), cloudflarePermissionGroupIds: { "DNS Write": "explicit-dns-write" }, now: NOW });
        const { "a8-cloudflare-token": token } = await registeredAll("a8-cloudflare-token");
        expect((token.inputs.policies as { permissionGroups: unknown }[])[0].permissionGroups).toEqual([{ id: "explicit-dns-write" }]);
        expect(calls.slice(before).some((c) => c.token.endsWith("getAccountApiTokenPermissionGroupsList"))).toBe(false);
    });

    it("grants sensitive groups only when the registry grants them explicitly", async () => {
        const raw = withField(withField(rawAgent({ id: "billing-bot" }), "cloudflare.scopes", [{ permissions: ["Billing Write"] }]), "cloudflare.grantSensitive", ["Billing Write"]);
        new mod.AgentServiceAccount("a9", { agent: agent(raw), now: NOW });
        const { "a9-cloudflare-token": token } = await registeredAll("a9-cloudflare-token");
        expect(token.inputs.policies).toEqual([{ effect: "allow", permissionGroups: [{ id: "g-billing-write" }], resources: JSON.stringify({ [`com.cloudflare.api.account.${ACCOUNT}`]: "*" }) }]);
        const ungranted = mod.validateRegistry;
        expect(() => ungranted(rawRegistry([withField(raw, "cloudflare.grantSensitive", [])]), { now: NOW })).toThrow(/grant it explicitly/);
    });

    it("creates only what the agent has scopes for", async () => {
        const awsOnly = new mod.AgentServiceAccount("b1", { agent: agent(withField(rawAgent({ id: "aws-only" }), "cloudflare", undefined)), now: NOW });
        const cfOnly = new mod.AgentServiceAccount("b2", { agent: agent(withField(rawAgent({ id: "cf-only" }), "aws", undefined)), now: NOW });
        await registeredAll("b1-aws-hard-cap", "b2-cloudflare-token");
        expect(awsOnly.cloudflare).toBeUndefined();
        expect(await value(awsOnly.tokenValue)).toBeUndefined();
        expect(cfOnly.aws).toBeUndefined();
        expect(await value(cfOnly.roleArn)).toBeUndefined();
        expect(registered.some((x) => x.name.startsWith("b1-cloudflare") || x.name.startsWith("b2-aws"))).toBe(false);
    });

    it("throws a ResourceError naming the agent and field before creating anything when args are invalid", () => {
        const good = agent(rawAgent({ id: "bad-bot" }));
        const count = registered.length;
        const bad = { ...good, monthlyBudgetUsd: 0 };
        expect(() => new mod.AgentServiceAccount("c1", { agent: bad, now: NOW })).toThrow(pulumi.ResourceError);
        expect(() => new mod.AgentServiceAccount("c2", { agent: bad, now: NOW })).toThrow(`agent "bad-bot": field "monthlyBudgetUsd" is 0; it must be more than 0`);
        const wildcard = { ...good, aws: { ...good.aws!, scopes: [{ service: "s3", access: "write" as const, resources: ["*"] }] } };
        expect(() => new mod.AwsAgentIdentity("c3", { agent: wildcard })).toThrow(`agent "bad-bot": field "aws.scopes[0].resources[0]" is the wildcard "*"`);
        const noOwner = { ...good, owner: "" };
        expect(() => new mod.CloudflareAgentToken("c4", { agent: noOwner, now: NOW })).toThrow(`agent "bad-bot": field "owner" is required`);
        expect(registered.slice(count).filter((x) => /^c\d/.test(x.name) && x.type !== "agentguard:index:AgentServiceAccount")).toEqual([]);
    });

    it("registers components under agentguard:index type tokens", async () => {
        new mod.AgentServiceAccount("d1", { agent: agent(rawAgent()), now: NOW });
        await registeredAll("d1", "d1-aws", "d1-cloudflare");
        expect(registered.filter((x) => x.name.startsWith("d1") && x.type.startsWith("agentguard:")).map((x) => `${x.type} ${x.name}`).sort()).toEqual([
            "agentguard:index:AgentServiceAccount d1",
            "agentguard:index:AwsAgentIdentity d1-aws",
            "agentguard:index:CloudflareAgentToken d1-cloudflare",
        ]);
    });

    it("makes identities that pass agent-identity-hygiene", async () => {
        new mod.AgentServiceAccount("e1", { agent: agent(rawAgent({ id: "hygienic-bot" })), now: NOW });
        await registeredAll(...names("e1"), "e1-cloudflare-token");
        await new Promise((r) => setTimeout(r, 20));
        const resources: HygieneResource[] = registered
            .filter((x) => x.name.startsWith("e1-"))
            .map((x) => ({ urn: `urn:pulumi:test::agents::${x.type}::${x.name}`, type: x.type, name: x.name, props: x.state as HygieneResource["props"], propertyDependencies: {} }));
        expect(resources.map((x) => x.type)).toEqual(expect.arrayContaining(["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/rolePolicy:RolePolicy"]));
        expect(checkIdentityHygiene(resources, DEFAULT_HYGIENE_CONFIG, NOW.getTime())).toEqual([]);
    });
});
