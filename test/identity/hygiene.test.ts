import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PolicyResource } from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";
import { describe, expect, it } from "vitest";
import { UNKNOWN, Value } from "../../src/facts/facts";
import { agentIdentityHygiene, validateIdentityHygiene } from "../../src/pack/hygiene";
import { DEFAULT_HYGIENE_CONFIG, HygieneCheck, HygieneResource, checkIdentityHygiene, normalizeHygieneConfig, wildcardAdminIn } from "../../src/policies/identity-hygiene";

const NOW = Date.parse("2026-03-10T12:00:00Z");
const ARN = "arn:aws:iam::123456789012";

type Props = Record<string, Value>;

function res(type: string, name: string, props: Props, extra: Partial<HygieneResource> = {}): HygieneResource {
    return { urn: `urn:pulumi:dev::p::${type}::${name}`, type, name, props, propertyDependencies: {}, ...extra };
}

const agentTags = { "agentguard:agent": "hand-bot" };
const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `${ARN}:role/runner` }, Action: "sts:AssumeRole" }] });

/** A hand-made agent identity that passes every check; each test breaks one thing. */
function identity(overrides: { role?: Props; policy?: Props; budget?: Props | null; action?: Props | null; token?: Props | null } = {}): HygieneResource[] {
    const out = [
        res("aws:iam/policy:Policy", "boundary", { arn: `${ARN}:policy/boundary`, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:*", Resource: "*" }] }) }),
        res("aws:iam/role:Role", "hand-bot", {
            name: "hand-bot",
            arn: `${ARN}:role/hand-bot`,
            assumeRolePolicy: trust,
            permissionsBoundary: `${ARN}:policy/boundary`,
            maxSessionDuration: 3600,
            tags: agentTags,
            ...overrides.role,
        }),
        res("aws:iam/policy:Policy", "scopes", {
            arn: `${ARN}:policy/scopes`,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }] }),
            ...overrides.policy,
        }),
        res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "scopes", { role: "hand-bot", policyArn: `${ARN}:policy/scopes` }),
    ];
    if (overrides.budget !== null) {
        out.push(res("aws:budgets/budget:Budget", "budget", { name: "hand-bot-budget", costFilters: [{ name: "TagKeyValue", values: ["user:agentguard:agent$hand-bot"] }], ...overrides.budget }));
    }
    if (overrides.action !== null) {
        out.push(
            res("aws:budgets/budgetAction:BudgetAction", "cap", {
                budgetName: "hand-bot-budget",
                actionType: "APPLY_IAM_POLICY",
                definition: { iamActionDefinition: { policyArn: `${ARN}:policy/deny`, roles: ["hand-bot"] } },
                ...overrides.action,
            }),
        );
    }
    if (overrides.token !== null) {
        out.push(res("cloudflare:index/accountToken:AccountToken", "token", { name: "agentguard-hand-bot", expiresOn: "2026-06-01T00:00:00Z", ...overrides.token }));
    }
    return out;
}

function checks(resources: HygieneResource[], config = DEFAULT_HYGIENE_CONFIG): HygieneCheck[] {
    return checkIdentityHygiene(resources, config, NOW).map((f) => f.check);
}

function messages(resources: HygieneResource[]): string[] {
    return checkIdentityHygiene(resources, DEFAULT_HYGIENE_CONFIG, NOW).map((f) => f.message);
}

describe("agent-identity-hygiene", () => {
    it("passes a complete hand-made identity", () => {
        expect(checks(identity())).toEqual([]);
    });

    it("requires a permissions boundary", () => {
        expect(messages(identity({ role: { permissionsBoundary: null } }))).toEqual([
            `role "hand-bot" of agent "hand-bot" has no permissions boundary; agent roles need one that denies IAM, billing, purchases and other regions`,
        ]);
    });

    it("requires a session limit of an hour (AWS's default counts)", () => {
        expect(messages(identity({ role: { maxSessionDuration: 43200 } }))).toEqual([`role "hand-bot" of agent "hand-bot" allows sessions of 43200 seconds, over the 3600 allowed`]);
        const { maxSessionDuration: _, ...rest } = identity()[1].props;
        expect(checks(identity({ role: { ...rest, maxSessionDuration: null } }))).toEqual([]);
        expect(checks(identity({ role: { maxSessionDuration: 7200 } }), normalizeHygieneConfig({ maxSessionSeconds: 7200 }))).toEqual([]);
    });

    it.each([
        ["an attached policy allowing *", { policy: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) } }],
        ["an attached policy allowing iam:*", { policy: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "iam:*"], Resource: "*" }] }) } }],
        ["an attached policy allowing NotAction", { policy: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }) } }],
        ["an inline policy allowing *:*", { role: { inlinePolicies: [{ name: "x", policy: JSON.stringify({ Statement: { Effect: "Allow", Action: "*:*", Resource: "*" } }) }] } }],
        ["the AdministratorAccess managed policy", { role: { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } }],
    ])("flags wildcard admin from %s", (_, overrides) => {
        expect(checks(identity(overrides as Parameters<typeof identity>[0]))).toEqual(["wildcard-admin"]);
    });

    it("does not flag deny-all policies or AWS managed read-only policies", () => {
        const rs = identity({ policy: { policy: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }) } });
        rs.push(res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ro", { role: "hand-bot", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
        expect(checks(rs)).toEqual([]);
    });

    it("flags policies from outside the stack, which it cannot read", () => {
        const rs = identity();
        rs.push(res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "elsewhere", { role: "hand-bot", policyArn: `${ARN}:policy/made-elsewhere` }));
        expect(messages(rs)).toEqual([`role "hand-bot" of agent "hand-bot" has policy "${ARN}:policy/made-elsewhere" attached by "elsewhere", which is not in this stack, so it cannot be checked for wildcard admin`]);
    });

    it("requires a budget on the agent's tag with an APPLY_IAM_POLICY action capping this role", () => {
        expect(messages(identity({ budget: null, action: null }))).toEqual([
            `role "hand-bot" of agent "hand-bot" has no AWS Budget in this stack filtered to tag "agentguard:agent" = "hand-bot", so nothing caps its spend`,
        ]);
        expect(checks(identity({ action: null }))).toEqual(["budget-action"]);
        expect(checks(identity({ action: { actionType: "RUN_SSM_DOCUMENTS" } }))).toEqual(["budget-action"]);
        expect(checks(identity({ action: { definition: { iamActionDefinition: { policyArn: "x", roles: ["another-role"] } } } }))).toEqual(["budget-action"]);
        // A budget recognised by its tag rather than its filter.
        expect(checks(identity({ budget: { costFilters: null, tags: agentTags } }))).toEqual([]);
    });

    it("fails closed on unknowns it cannot resolve, and resolves those the stack explains", () => {
        expect(checks(identity({ role: { permissionsBoundary: UNKNOWN } }))).toEqual(["boundary"]);
        const [boundary, role, ...rest] = identity({ role: { permissionsBoundary: UNKNOWN, name: UNKNOWN } });
        const explained = { ...role, propertyDependencies: { permissionsBoundary: [boundary.urn] } };
        // Role name unknown: the attachment and the budget action point at it by dependency.
        const deps = rest.map((r) =>
            r.type.endsWith("RolePolicyAttachment") ? { ...r, props: { ...r.props, role: UNKNOWN }, propertyDependencies: { role: [role.urn] } } : r.type.endsWith("BudgetAction") ? { ...r, props: { ...r.props, definition: UNKNOWN }, propertyDependencies: { definition: [role.urn] } } : r,
        ) as HygieneResource[];
        expect(checks([boundary, explained, ...deps])).toEqual([]);
        expect(checks(identity({ role: { maxSessionDuration: UNKNOWN } }))).toEqual(["session-limit"]);
        expect(checks(identity({ policy: { policy: UNKNOWN } }))).toEqual(["wildcard-admin"]);
        expect(checks(identity({ role: { tags: UNKNOWN } }))).toEqual(["budget-action"]);
        expect(checks(identity({ token: { expiresOn: UNKNOWN } }))).toEqual(["token-expiry"]);
    });

    it("leaves service roles and untagged roles alone", () => {
        const service = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "budgets.amazonaws.com" }, Action: "sts:AssumeRole" }] });
        expect(checks([res("aws:iam/role:Role", "cap", { assumeRolePolicy: service, tags: agentTags, maxSessionDuration: 43200 })])).toEqual([]);
        expect(checks([res("aws:iam/role:Role", "app", { assumeRolePolicy: trust, tags: { team: "web" } })])).toEqual([]);
    });

    it("checks roles of the stack module even without the tag", () => {
        const r = res("aws:iam/role:Role", "x-aws-role", { assumeRolePolicy: trust }, { parentType: "agentguard:index:AwsAgentIdentity" });
        expect(checks([r])).toEqual(["boundary", "budget-action"]);
    });

    it("requires agent tokens to expire, within the configured lifetime", () => {
        expect(messages(identity({ token: { expiresOn: null } }))).toEqual([`Cloudflare token "agentguard-hand-bot" has no expiry; agent tokens expire within 365 days`]);
        expect(checks(identity({ token: { expiresOn: "2026-01-01T00:00:00Z" } }))).toEqual(["token-expiry"]);
        expect(checks(identity({ token: { expiresOn: "2031-01-01T00:00:00Z" } }))).toEqual(["token-expiry"]);
        expect(checks(identity({ token: { expiresOn: "next tuesday" } }))).toEqual(["token-expiry"]);
        // Other tokens are not agent tokens, unless the module made them.
        expect(checks(identity({ token: { name: "ci-deploy", expiresOn: null } }))).toEqual([]);
        const moduleToken = res("cloudflare:index/accountToken:AccountToken", "t", { name: "custom" }, { parentType: "agentguard:index:CloudflareAgentToken" });
        expect(checks([moduleToken])).toEqual(["token-expiry"]);
    });

    it("explains why a document grants admin", () => {
        expect(wildcardAdminIn(JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }))).toBe(`allows "*" on "*"`);
        expect(wildcardAdminIn("{not json")).toBe("unknown");
        expect(wildcardAdminIn(undefined)).toBeUndefined();
    });
});

/** The SDK's proxy helpers are internal to @pulumi/policy (not in its typings). */
const proxy = proxyModule as unknown as { unknownCheckingProxy(v: unknown): unknown; unknownStringValue: string };

describe("the policy glue", () => {
    /** An engine resource as @pulumi/policy hands it over: props behind the unknown-checking proxy. */
    function engine(r: HygieneResource, raw: Record<string, unknown>): PolicyResource {
        return {
            type: r.type,
            urn: r.urn,
            name: r.name,
            props: proxy.unknownCheckingProxy(raw),
            opts: {} as PolicyResource["opts"],
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        } as unknown as PolicyResource;
    }

    it("reads unknowns behind the SDK's proxy as 'cannot confirm' instead of letting it skip the policy", () => {
        const [, role] = identity();
        const raw = { ...(role.props as Record<string, unknown>), permissionsBoundary: proxy.unknownStringValue };
        const reports: [string, string | undefined][] = [];
        validateIdentityHygiene([engine(role, raw)], {}, (m, urn) => reports.push([m, urn]), NOW);
        expect(reports.map(([m, urn]) => [m.split(" has ")[0], urn])).toEqual([
            [`role "hand-bot" of agent "hand-bot"`, role.urn],
            [`role "hand-bot" of agent "hand-bot"`, role.urn],
        ]);
        expect(reports[0][0]).toContain("permissions boundary that is unknown at preview");
    });

    it("reports an internal error as a violation rather than passing", () => {
        const broken = { get type(): string { throw new Error("boom"); } } as unknown as PolicyResource;
        const reports: string[] = [];
        validateIdentityHygiene([broken], {}, (m) => reports.push(m), NOW);
        expect(reports).toHaveLength(1);
        expect(reports[0]).toMatch(/could not be checked/);
    });

    it("is advisory by default, with config defaults kept in step with the interface", () => {
        expect(agentIdentityHygiene.name).toBe("agent-identity-hygiene");
        expect(agentIdentityHygiene.enforcementLevel).toBe("advisory");
        const props = agentIdentityHygiene.configSchema!.properties;
        expect(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, (v as { default?: unknown }).default]))).toEqual({ ...DEFAULT_HYGIENE_CONFIG });
    });

    it("keeps the pack light: no cloud SDK imports, and the checks free of Pulumi", () => {
        const glue = readFileSync(path.resolve(__dirname, "../../src/pack/hygiene.ts"), "utf8");
        expect(glue).not.toMatch(/from "@pulumi\/(aws|cloudflare)"|require\("@pulumi\/(aws|cloudflare)"\)/);
        const checks = readFileSync(path.resolve(__dirname, "../../src/policies/identity-hygiene.ts"), "utf8");
        expect(checks).not.toMatch(/from "@pulumi\/|require\("@pulumi\/|from "\.\.\/pack\//);
    });
});

describe("agent-identity-hygiene config", () => {
    it("refuses unknown keys and bad values instead of falling back", () => {
        expect(() => normalizeHygieneConfig({ maxSessionSecond: 7200 })).toThrow('did you mean "maxSessionSeconds"?');
        expect(() => normalizeHygieneConfig({ maxSessionSeconds: 60 })).toThrow('"maxSessionSeconds"');
        expect(() => normalizeHygieneConfig({ tokenNamePrefix: "" })).toThrow('"tokenNamePrefix"');
        expect(normalizeHygieneConfig({ enforcementLevel: "mandatory" })).toEqual(DEFAULT_HYGIENE_CONFIG);
    });

    it("reports a broken config as a finding rather than checking with a guess", () => {
        const reports: string[] = [];
        validateIdentityHygiene([], { maxTokenTtlDay: 30 }, (m: string) => reports.push(m));
        expect(reports).toEqual([expect.stringContaining('not checked: the config of agent-identity-hygiene has unknown key "maxTokenTtlDay"; did you mean "maxTokenTtlDays"?')]);
    });
});
