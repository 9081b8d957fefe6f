import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AWS_SERVICE_NAMES } from "../../src/identity/catalogue";
import {
    PolicyDocument,
    agentTags,
    boundaryPolicy,
    budgetActionExecutionPolicy,
    budgetActionTrustPolicy,
    budgetCostFilters,
    budgetNotifications,
    cloudflarePolicies,
    denyAllPolicy,
    scopePolicy,
    tokenExpiry,
    trustPolicy,
} from "../../src/identity/documents";
import { AgentDefinition, validateRegistry } from "../../src/identity/registry";
import { NOW, PLAN_RUNNER, RUNNER, ZONE, rawAgent, rawRegistry, withField } from "./fixtures";
import { ACCOUNT_ID, ADMIN, allows, mayAssume, mayAssumeWithWebIdentity } from "./simulate";

function agent(raw = rawAgent()): AgentDefinition {
    return validateRegistry(rawRegistry([raw]), { now: NOW }).agents[0];
}


describe("trust policy", () => {
    it("trusts only the configured principal, and only with sts:SourceIdentity = the agent id", async () => {
        const doc = trustPolicy("deploy-bot", { kind: "aws", principals: [RUNNER] });
        expect(doc.Statement).toEqual([
            {
                Sid: "AssumeAsAgent",
                Effect: "Allow",
                Principal: { AWS: RUNNER },
                Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
                Condition: { StringEquals: { "sts:SourceIdentity": "deploy-bot" } },
            },
        ]);
        const role = "arn:aws:iam::123456789012:role/agentguard-deploy-bot";
        expect(await mayAssume(doc, role, RUNNER, "deploy-bot")).toBe(true);
        expect(await mayAssume(doc, role, RUNNER, "research-bot")).toBe(false);
        expect(await mayAssume(doc, role, RUNNER)).toBe(false);
        // Another principal of the account, even an administrator, cannot.
        expect(await mayAssume(doc, role, PLAN_RUNNER, "deploy-bot")).toBe(false);
        expect(await mayAssume(doc, role, "arn:aws:iam::123456789012:user/admin", "deploy-bot")).toBe(false);
    });

    it("trusts an OIDC subject through the provider, with audience, subject and source identity conditions", async () => {
        const doc = trustPolicy("deploy-bot", {
            kind: "oidc",
            providerArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            issuerHost: "token.actions.githubusercontent.com",
            subjects: ["repo:acme/site:environment:prod"],
            audience: "sts.amazonaws.com",
            sourceIdentity: true,
        });
        expect(doc.Statement).toHaveLength(1);
        expect(doc.Statement[0]).toMatchObject({
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
            Action: ["sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity"],
            Condition: {
                StringEquals: {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": "repo:acme/site:environment:prod",
                    "sts:SourceIdentity": "deploy-bot",
                },
            },
        });
    });
});

describe("least-privilege policy and boundary", () => {
    const a = agent();
    const scopes = scopePolicy(a);
    const boundary = boundaryPolicy(a, ACCOUNT_ID);

    it("grants each scope's actions on its resources only", async () => {
        const put = async (resource: string, region = "us-east-1") => allows([scopes], boundary, { action: "s3:PutObject", resource, region });
        expect(await put("arn:aws:s3:::acme-site/index.html")).toBe(true);
        expect(await put("arn:aws:s3:::someone-elses-bucket/index.html")).toBe(false);
        // route53 is a read scope.
        const zone = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ";
        expect(await allows([scopes], boundary, { action: "route53:ListResourceRecordSets", resource: zone })).toBe(true);
        expect(await allows([scopes], boundary, { action: "route53:ChangeResourceRecordSets", resource: zone })).toBe(false);
    });

    it("never grants * on *, nor a whole service", async () => {
        for (const st of scopes.Statement) {
            for (const action of [st.Action ?? []].flat()) {
                expect(action).not.toMatch(/^(\*|\*:\*|[a-z0-9-]+:\*)$/);
            }
        }
        expect(scopes.Statement.every((s) => s.Effect === "Allow" && s.NotAction === undefined)).toBe(true);
    });

    it("stays least-privilege for any combination of catalogue scopes (property)", async () => {
        fc.assert(
            fc.property(fc.uniqueArray(fc.constantFrom(...AWS_SERVICE_NAMES), { minLength: 1, maxLength: 5 }), fc.boolean(), (services, write) => {
                const raw = withField(
                    rawAgent(),
                    "aws.scopes",
                    services.map((s) => ({ service: s, access: write ? "write" : "read", resources: [s === "s3" ? "arn:aws:s3:::acme" : `arn:aws:${s}:us-east-1:123456789012:thing/acme`] })),
                );
                const doc = scopePolicy(agent(raw));
                for (const st of doc.Statement) {
                    const actions = [st.Action ?? []].flat();
                    if (actions.some((x) => /^(\*|\*:\*|[a-z0-9-]+:\*)$/.test(x))) {
                        return false;
                    }
                    // Resource "*" only for named account-level reads.
                    if ([st.Resource].flat().includes("*") && actions.some((x) => x.includes("*"))) {
                        return false;
                    }
                }
                return true;
            }),
        );
    });

    it("denies, whatever the agent's own policies say, IAM, Organizations, account, billing, purchases and CloudTrail tampering", async () => {
        const admin: PolicyDocument = ADMIN;
        const b = boundaryPolicy(a, ACCOUNT_ID);
        for (const action of [
            "iam:CreateUser",
            "iam:PassRole",
            "iam:DetachRolePolicy",
            "organizations:LeaveOrganization",
            "account:CloseAccount",
            "aws-portal:ModifyBilling",
            "billing:UpdateBillingPreferences",
            "budgets:DeleteBudgetAction",
            "route53domains:RegisterDomain",
            "route53domains:TransferDomain",
            "shield:CreateSubscription",
            "ec2:PurchaseReservedInstancesOffering",
            "savingsplans:CreateSavingsPlan",
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
        ]) {
            expect(await allows([admin], b, { action, resource: "*" }), action).toBe(false);
        }
        const byName = Object.fromEntries(b.Statement.map((s) => [s.Sid, s]));
        expect(byName.DenyIdentityOrganizationsAndBilling.Action).toEqual(expect.arrayContaining(["iam:*", "organizations:*", "account:*", "aws-portal:*", "billing:*"]));
        expect(byName.DenyDomainRegistrationAndTransfer.Action).toEqual(expect.arrayContaining(["route53domains:RegisterDomain", "route53domains:TransferDomain"]));
        expect(byName.DenyCommitmentPurchases.Action).toEqual(expect.arrayContaining(["shield:CreateSubscription", "ec2:PurchaseReservedInstancesOffering", "savingsplans:CreateSavingsPlan"]));
        expect(byName.DenyAuditTrailTampering.Action).toEqual(expect.arrayContaining(["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"]));
    });

    it("denies regions outside the allowlist, but not global services", async () => {
        const admin: PolicyDocument = ADMIN;
        const region = boundary.Statement.find((s) => s.Sid === "DenyOutsideAllowedRegions")!;
        expect(region).toMatchObject({ Effect: "Deny", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } } });
        expect(region.NotAction).toEqual(expect.arrayContaining(["iam:*", "sts:*", "route53:*", "cloudfront:*"]));
        const put = async (r: string) => allows([admin], boundary, { action: "s3:PutObject", resource: "arn:aws:s3:::acme-site/x", region: r });
        expect(await put("eu-west-1")).toBe(true);
        expect(await put("ap-south-1")).toBe(false);
        expect(await allows([admin], boundary, { action: "route53:ChangeResourceRecordSets", resource: "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ" })).toBe(true);
    });

    it("allows only the declared services even under an admin policy", async () => {
        const admin: PolicyDocument = ADMIN;
        expect(await allows([admin], boundary, { action: "ec2:RunInstances", resource: "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0" })).toBe(false);
        expect(await allows([admin], boundary, { action: "sts:GetCallerIdentity", resource: "*" })).toBe(true);
    });

    it("keeps a read-only agent read-only", async () => {
        const research = agent(withField(rawAgent({ id: "research-bot" }), "aws.scopes", [{ service: "s3", access: "read", resources: ["arn:aws:s3:::acme-reports", "arn:aws:s3:::acme-reports/*"] }]));
        const p = [scopePolicy(research)];
        const b = boundaryPolicy(research, ACCOUNT_ID);
        expect(await allows(p, b, { action: "s3:GetObject", resource: "arn:aws:s3:::acme-reports/q1.csv" })).toBe(true);
        expect(await allows(p, b, { action: "s3:PutObject", resource: "arn:aws:s3:::acme-reports/q1.csv" })).toBe(false);
        expect(await allows(p, b, { action: "s3:DeleteBucket", resource: "arn:aws:s3:::acme-reports" })).toBe(false);
    });
});

describe("the hard cap", () => {
    it("the deny-all policy stops everything the agent could do", async () => {
        const a = agent();
        expect(denyAllPolicy().Statement).toEqual([{ Sid: "AgentBudgetExhausted", Effect: "Deny", Action: "*", Resource: "*" }]);
        expect(await allows([scopePolicy(a)], boundaryPolicy(a, ACCOUNT_ID), { action: "s3:PutObject", resource: "arn:aws:s3:::acme-site/x" })).toBe(true);
        expect(await allows([scopePolicy(a), denyAllPolicy()], boundaryPolicy(a, ACCOUNT_ID), { action: "s3:PutObject", resource: "arn:aws:s3:::acme-site/x" })).toBe(false);
    });

    it("AWS Budgets may attach only the deny-all policy, only to the agent's role, only for this account's budget", async () => {
        const trust = budgetActionTrustPolicy("123456789012", "aws", "agentguard-deploy-bot");
        expect(trust.Statement[0]).toMatchObject({
            Principal: { Service: "budgets.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:budgets::123456789012:budget/agentguard-deploy-bot/action/*" } },
        });
        const exec = budgetActionExecutionPolicy("arn:aws:iam::123456789012:role/agentguard-deploy-bot", "arn:aws:iam::123456789012:policy/agentguard-deploy-bot-deny-all");
        expect(exec.Statement).toEqual([
            {
                Sid: "AttachDenyAllToTheAgentRole",
                Effect: "Allow",
                Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
                Resource: "arn:aws:iam::123456789012:role/agentguard-deploy-bot",
                Condition: { ArnEquals: { "iam:PolicyARN": "arn:aws:iam::123456789012:policy/agentguard-deploy-bot-deny-all" } },
            },
        ]);
    });

    it("the budget is filtered to the agent's cost-allocation tag and notifies the owner at 80% forecast and 100% actual", async () => {
        expect(budgetCostFilters("deploy-bot")).toEqual([{ name: "TagKeyValue", values: ["user:agentguard:agent$deploy-bot"] }]);
        expect(budgetNotifications(agent(rawAgent({ notify: ["finops@example.com"] })))).toEqual([
            { comparisonOperator: "GREATER_THAN", notificationType: "FORECASTED", threshold: 80, thresholdType: "PERCENTAGE", subscriberEmailAddresses: ["alice@example.com", "finops@example.com"] },
            { comparisonOperator: "GREATER_THAN", notificationType: "ACTUAL", threshold: 100, thresholdType: "PERCENTAGE", subscriberEmailAddresses: ["alice@example.com", "finops@example.com"] },
        ]);
    });
});

describe("tags", () => {
    it("name the agent, its owner and purpose, in values AWS accepts", async () => {
        expect(agentTags(agent(rawAgent({ purpose: "Deploys the site (and DNS); see #42" })))).toEqual({
            "agentguard:agent": "deploy-bot",
            "agentguard:owner": "alice@example.com",
            "agentguard:purpose": "Deploys the site and DNS see 42",
            "agentguard:environments": "dev prod",
        });
    });
});

describe("Cloudflare token", () => {
    it("holds zone groups on the listed zones and account groups on the agent's own account only", async () => {
        const a = agent(
            withField(rawAgent(), "cloudflare.scopes", [
                { permissions: ["DNS Write", "Zone Read"], zones: [ZONE] },
                { permissions: ["Workers Scripts Write"] },
            ]),
        );
        expect(cloudflarePolicies(a.cloudflare!)).toEqual([
            { effect: "allow", permissionGroups: ["DNS Write", "Zone Read"], resources: { [`com.cloudflare.api.account.zone.${ZONE}`]: "*" } },
            { effect: "allow", permissionGroups: ["Workers Scripts Write"], resources: { "com.cloudflare.api.account.b67e14daa5f8dceeb91fe5449ba496eb": "*" } },
        ]);
    });

    it("always expires: a fixed date, or a rolling one that keeps at least half its lifetime and moves at most once a step", async () => {
        expect(tokenExpiry({ expiresOn: "2026-06-30T00:00:00Z", tokenTtlDays: 90 }, NOW)).toBe("2026-06-30T00:00:00Z");
        const day = 86400_000;
        const e = Date.parse(tokenExpiry({ tokenTtlDays: 90 }, NOW));
        expect(e).toBeGreaterThanOrEqual(NOW.getTime() + 60 * day);
        expect(e).toBeLessThanOrEqual(NOW.getTime() + 90 * day);
        expect(tokenExpiry({ tokenTtlDays: 90 }, new Date(NOW.getTime() + 3600_000))).toBe(tokenExpiry({ tokenTtlDays: 90 }, NOW));
        fc.assert(
            fc.property(fc.integer({ min: 2, max: 365 }), fc.integer({ min: 0, max: 4e12 }), (ttl, t) => {
                const exp = Date.parse(tokenExpiry({ tokenTtlDays: ttl }, new Date(t)));
                return exp > t + (ttl / 2 - 1) * day && exp <= t + ttl * day;
            }),
        );
    });
});
