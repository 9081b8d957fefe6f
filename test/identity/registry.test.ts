import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
    DERIVED_NAME_SUFFIXES,
    RegistryError,
    RegistryErrorCode,
    gateAgents,
    parseRegistry,
    readRegistryFile,
    validateDefinition,
    validateRegistry,
} from "../../src/identity/registry";
import { NOW, PLAN_RUNNER, RUNNER, ZONE, rawAgent, rawRegistry, withField } from "./fixtures";

const SHIPPED = path.resolve(__dirname, "../../stacks/agents/agents.yaml");

/** The problems a registry raises (empty when valid). */
function problems(raw: unknown): { code: RegistryErrorCode; agent?: string; field: string; message: string }[] {
    try {
        validateRegistry(raw, { now: NOW });
        return [];
    } catch (e) {
        if (e instanceof RegistryError) {
            return [...e.problems];
        }
        throw e;
    }
}

function only(raw: unknown) {
    const p = problems(raw);
    expect(p, JSON.stringify(p, null, 2)).toHaveLength(1);
    return p[0];
}

describe("agent registry", () => {
    it("accepts the happy-path agent and applies defaults", () => {
        const r = validateRegistry(rawRegistry([rawAgent()]), { now: NOW });
        const a = r.agents[0];
        expect(a.id).toBe("deploy-bot");
        expect(a.aws?.trust).toEqual({ kind: "aws", principals: [RUNNER] });
        expect(a.cloudflare?.tokenTtlDays).toBe(90);
        expect(a.cloudflare?.grantSensitive).toEqual([]);
        expect(a.providers).toEqual([]);
    });

    it("reads the shipped stacks/agents/agents.yaml: two agents, defaults applied", () => {
        const r = readRegistryFile(SHIPPED, { now: NOW });
        expect(r.agents.map((a) => a.id)).toEqual(["deploy-bot", "research-bot"]);
        const [deploy, research] = r.agents;
        expect(deploy.owner).toBe("alice@example.com");
        expect(deploy.monthlyBudgetUsd).toBe(100);
        expect(deploy.aws?.scopes.map((s) => `${s.service}:${s.access}`)).toEqual(["s3:write", "cloudfront:write", "route53:write"]);
        expect(deploy.aws?.regions).toEqual(["us-east-1", "eu-west-1"]);
        expect(deploy.cloudflare?.scopes[0]).toEqual({ permissions: ["DNS Write", "Zone Read"], zones: [ZONE] });
        expect(research.monthlyBudgetUsd).toBe(20);
        expect(research.aws?.scopes.every((s) => s.access === "read")).toBe(true);
        expect(research.aws?.trust.kind).toBe("oidc");
        expect(research.cloudflare?.tokenTtlDays).toBe(30);
    });

    it.each([
        ["owner", "ERR_FIELD_REQUIRED", `agent "deploy-bot": field "owner" is required`],
        ["purpose", "ERR_FIELD_REQUIRED", `agent "deploy-bot": field "purpose" is required`],
        ["environments", "ERR_FIELD_REQUIRED", `agent "deploy-bot": field "environments" is required`],
        ["monthlyBudgetUsd", "ERR_FIELD_REQUIRED", `agent "deploy-bot": field "monthlyBudgetUsd" is required`],
    ] as const)("a missing %s is one clear problem naming the agent and the field", (fieldName, code, message) => {
        const p = only(rawRegistry([withField(rawAgent(), fieldName, undefined)]));
        expect(p).toMatchObject({ code, agent: "deploy-bot", field: fieldName, message });
    });

    it("names an agent without a valid id by its position", () => {
        const p = only(rawRegistry([rawAgent({ id: "research-bot" }), withField(rawAgent(), "id", undefined)]));
        expect(p).toMatchObject({ code: "ERR_FIELD_REQUIRED", agent: "#2", field: "id", message: `agent #2: field "id" is required` });
    });

    it.each([0, -5])("rejects a budget of %s", (budget) => {
        const p = only(rawRegistry([rawAgent({ monthlyBudgetUsd: budget })]));
        expect(p).toMatchObject({ code: "ERR_BUDGET_NOT_POSITIVE", agent: "deploy-bot", field: "monthlyBudgetUsd" });
        expect(p.message).toContain(`is ${budget}; it must be more than 0`);
    });

    it("rejects a budget that is not a number", () => {
        expect(only(rawRegistry([rawAgent({ monthlyBudgetUsd: "100" })]))).toMatchObject({ code: "ERR_FIELD_INVALID", field: "monthlyBudgetUsd" });
    });

    it("rejects a duplicate id, naming both positions", () => {
        const p = only(rawRegistry([rawAgent(), rawAgent({ owner: "bob@example.com" })]));
        expect(p).toMatchObject({ code: "ERR_DUPLICATE_ID", agent: "deploy-bot", field: "id" });
        expect(p.message).toContain("agents #1 and #2");
    });

    it("rejects ids whose resource names clash (ci's plan role is agent ci-plan's role) and ids too long for a backstop's role name", () => {
        const mk = (id: string) =>
            withField(
                withField(withField(rawAgent({ id, environments: ["dev"] }), "aws.trust", { principal: `arn:aws:iam::123456789012:role/runner-${id}` }), "aws.planTrust", { principal: `arn:aws:iam::123456789012:role/runner-${id}-p` }),
                "aws.account",
                undefined,
            );
        const p = only(rawRegistry([mk("ci"), mk("ci-plan")]));
        expect(p).toMatchObject({ code: "ERR_FIELD_INVALID", agent: "ci-plan", field: "id" });
        expect(p.message).toContain('would name a resource "agentguard-ci-plan", as agent "ci" already does');
        expect(problems(rawRegistry([mk("ci"), mk("cid")]))).toEqual([]);
        const long = "a".repeat(40);
        expect(problems(rawRegistry([mk(long)]))).toEqual([]);
        expect(only(rawRegistry([withField(mk(long), "aws.backstop", { estimatedChargesUsd: 100 })])).message).toContain("is too long for an agent with aws.backstop");
        // Every name the module derives is in the list the check uses.
        const code = ["aws.ts", "documents.ts"].map((f) => readFileSync(path.resolve(__dirname, "../../src/identity", f), "utf8")).join("\n");
        const used = [...code.matchAll(/agentguard-\$\{(?:id|agentId)\}([-a-z]*)/g)].map((m) => m[1]);
        expect(used.length).toBeGreaterThan(5);
        expect([...new Set(used)].filter((x) => !DERIVED_NAME_SUFFIXES.includes(x))).toEqual([]);
    });

    it("rejects an unknown AWS service", () => {
        const p = only(rawRegistry([withField(rawAgent(), "aws.scopes.0.service", "ec3")]));
        expect(p).toMatchObject({ code: "ERR_UNKNOWN_SCOPE", agent: "deploy-bot", field: "aws.scopes[0].service" });
        expect(p.message).toMatch(/unknown AWS service "ec3"/);
    });

    it("rejects an access level other than read or write", () => {
        expect(only(rawRegistry([withField(rawAgent(), "aws.scopes.0.access", "admin")]))).toMatchObject({ code: "ERR_FIELD_INVALID", field: "aws.scopes[0].access" });
    });

    it("rejects an unknown Cloudflare permission group", () => {
        const p = only(rawRegistry([withField(rawAgent(), "cloudflare.scopes.0.permissions", ["DNS Writer"])]));
        expect(p).toMatchObject({ code: "ERR_UNKNOWN_SCOPE", field: "cloudflare.scopes[0].permissions[0]" });
    });

    it.each([
        ["aws.scopes.0.resources", ["*"], "aws.scopes[0].resources[0]"],
        ["aws.scopes.0.resources", ["arn:aws:s3:::*"], "aws.scopes[0].resources[0]"],
        ["aws.scopes.1.resources", ["arn:aws:route53:::hostedzone/*"], "aws.scopes[1].resources[0]"],
        ["aws.scopes.0.resources", ["arn:aws:*:::acme"], "aws.scopes[0].resources[0]"],
        ["aws.scopes.0.actions", ["*"], "aws.scopes[0].actions[0]"],
        ["aws.scopes.0.actions", ["s3:*"], "aws.scopes[0].actions[0]"],
        ["aws.regions", ["*"], "aws.regions[0]"],
        ["aws.trust", { principal: "*" }, "aws.trust.principal[0]"],
        ["aws.trust", { oidc: { provider: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", subjects: ["repo:acme/*"] } }, "aws.trust.oidc.subjects[0]"],
        ["cloudflare.scopes.0.zones", ["*"], "cloudflare.scopes[0].zones[0]"],
        ["cloudflare.ipAllowlist", ["0.0.0.0/0"], "cloudflare.ipAllowlist[0]"],
    ])("rejects the wildcard %s = %j", (fieldPath, value, reported) => {
        const p = only(rawRegistry([withField(rawAgent(), fieldPath, value)]));
        expect(p).toMatchObject({ code: "ERR_WILDCARD", agent: "deploy-bot", field: reported });
    });

    it("allows wildcards that narrow inside a named resource (the objects of one bucket)", () => {
        expect(problems(rawRegistry([withField(rawAgent(), "aws.scopes.0.resources", ["arn:aws:s3:::acme-site/*"])]))).toEqual([]);
    });

    it("rejects an ARN of another service than the scope's", () => {
        expect(only(rawRegistry([withField(rawAgent(), "aws.scopes.0.resources", ["arn:aws:sqs:us-east-1:123456789012:q"])]))).toMatchObject({
            code: "ERR_FIELD_INVALID",
            field: "aws.scopes[0].resources[0]",
        });
    });

    it("rejects write actions in a read scope", () => {
        const p = only(rawRegistry([withField(rawAgent(), "aws.scopes.1.actions", ["route53:ChangeResourceRecordSets"])]));
        expect(p).toMatchObject({ code: "ERR_FIELD_INVALID", field: "aws.scopes[1].actions[0]" });
    });

    it("refuses billing, registrar, member and token permissions unless granted explicitly", () => {
        for (const group of ["Billing Write", "Registrar Domains Write", "Account Members Read", "Account API Tokens Write"]) {
            const raw = withField(rawAgent(), "cloudflare.scopes", [{ permissions: [group] }]);
            expect(only(rawRegistry([raw]))).toMatchObject({ code: "ERR_SENSITIVE_PERMISSION", field: "cloudflare.scopes[0].permissions[0]" });
            const granted = withField(raw, "cloudflare.grantSensitive", [group]);
            expect(problems(rawRegistry([granted]))).toEqual([]);
        }
    });

    it("requires zones for zone-level permissions and refuses zones for account-level ones", () => {
        expect(only(rawRegistry([withField(rawAgent(), "cloudflare.scopes", [{ permissions: ["DNS Write"] }])]))).toMatchObject({
            code: "ERR_FIELD_REQUIRED",
            field: "cloudflare.scopes[0].zones",
        });
        expect(only(rawRegistry([withField(rawAgent(), "cloudflare.scopes", [{ permissions: ["Workers Scripts Write"], zones: [ZONE] }])]))).toMatchObject({
            code: "ERR_FIELD_INVALID",
            field: "cloudflare.scopes[0].zones",
        });
    });

    it("rejects user-level permission groups on an account token", () => {
        expect(only(rawRegistry([withField(rawAgent(), "cloudflare.scopes", [{ permissions: ["User Details Read"] }])]))).toMatchObject({ code: "ERR_UNKNOWN_SCOPE" });
    });

    it("rejects misspelt fields instead of dropping them", () => {
        expect(only(rawRegistry([rawAgent({ monthlyBudget: 5 })]))).toMatchObject({ code: "ERR_FIELD_UNKNOWN", field: "monthlyBudget" });
        expect(only(rawRegistry([rawAgent({ monthlyBudget: 5 })])).message).toContain('did you mean "monthlyBudgetUsd"?');
        expect(only(rawRegistry([withField(rawAgent(), "aws.scopes.0.resource", ["arn:aws:s3:::x"])]))).toMatchObject({ code: "ERR_FIELD_UNKNOWN", field: "aws.scopes[0].resource" });
    });

    it("requires trust and regions, from the agent or the defaults", () => {
        const bare = withField(withField(rawAgent(), "aws.trust", undefined), "aws.regions", undefined);
        expect(problems(rawRegistry([bare])).map((p) => [p.code, p.field])).toEqual([
            ["ERR_FIELD_REQUIRED", "aws.trust"],
            ["ERR_FIELD_REQUIRED", "aws.regions"],
        ]);
        const r = validateRegistry(rawRegistry([bare], { defaults: { aws: { trust: { principal: RUNNER }, regions: ["eu-west-1"] } } }), { now: NOW });
        expect(r.agents[0].aws?.regions).toEqual(["eu-west-1"]);
    });

    it("derives the plan and apply subjects of a GitHub repository from one github trust, pinned to a workflow and ref", () => {
        const github = { provider: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", repository: "acme/site", workflow: ".github/workflows/agents.yml", ref: "refs/heads/release", environment: "deploy", planEnvironment: "deploy-plan" };
        const r = validateRegistry(rawRegistry([withField(withField(rawAgent(), "aws.planTrust", undefined), "aws.trust", { github })]), { now: NOW });
        const pin = "job_workflow_ref:acme/site/.github/workflows/agents.yml@refs/heads/release";
        const base = { kind: "oidc", providerArn: github.provider, issuerHost: "token.actions.githubusercontent.com", audience: "sts.amazonaws.com", sourceIdentity: false };
        expect(r.agents[0].aws?.trust).toEqual({ ...base, subjects: [`repo:acme/site:environment:deploy:${pin}`] });
        expect(r.agents[0].aws?.planTrust).toEqual({ ...base, subjects: [`repo:acme/site:environment:deploy-plan:${pin}`] });
        expect(only(rawRegistry([withField(withField(rawAgent(), "aws.planTrust", undefined), "aws.trust", { github: { ...github, planEnvironment: "deploy" } })]))).toMatchObject({ code: "ERR_SHARED_PRINCIPAL" });
        expect(only(rawRegistry([withField(withField(rawAgent(), "aws.planTrust", undefined), "aws.trust", { github: { ...github, workflow: "deploy.yml" } })]))).toMatchObject({ field: "aws.trust.github.workflow" });
        // The old per-environment shortcut gave every agent of a repository the same subjects.
        expect(problems(rawRegistry([withField(rawAgent(), "aws.trust", { oidc: { provider: github.provider, repository: "acme/site" } })]))[0]).toMatchObject({ code: "ERR_FIELD_UNKNOWN", field: "aws.trust.oidc.repository" });
    });

    it("checks a fixed token expiry against the clock", () => {
        expect(only(rawRegistry([withField(rawAgent(), "cloudflare.expiresOn", "2026-01-01")]))).toMatchObject({ field: "cloudflare.expiresOn", code: "ERR_FIELD_INVALID" });
        expect(only(rawRegistry([withField(rawAgent(), "cloudflare.expiresOn", "2029-01-01")]))).toMatchObject({ field: "cloudflare.expiresOn" });
        const ok = validateRegistry(rawRegistry([withField(rawAgent(), "cloudflare.expiresOn", "2026-06-30")]), { now: NOW });
        expect(ok.agents[0].cloudflare?.expiresOn).toBe("2026-06-30T00:00:00Z");
    });

    it("reports every problem at once, one line each", () => {
        const raw = rawRegistry([withField(rawAgent({ monthlyBudgetUsd: 0 }), "owner", undefined), rawAgent({ id: "b2", owner: "not-an-email" })]);
        const err = (() => {
            try {
                validateRegistry(raw, { now: NOW });
            } catch (e) {
                return e as RegistryError;
            }
            throw new Error("no error");
        })();
        expect(err.problems.map((p) => `${p.agent}:${p.field}:${p.code}`)).toEqual(["deploy-bot:owner:ERR_FIELD_REQUIRED", "deploy-bot:monthlyBudgetUsd:ERR_BUDGET_NOT_POSITIVE", "b2:owner:ERR_FIELD_INVALID"]);
        expect(err.message.split("\n")).toHaveLength(4);
        expect(err.code).toBe("ERR_FIELD_REQUIRED");
    });

    it("checks the declared schema strictly at every level, and reads a single value as a one-element list", () => {
        expect(only({ ...rawRegistry([rawAgent()]), defualts: {} })).toMatchObject({ code: "ERR_FIELD_UNKNOWN", field: "defualts", message: 'registry: field "defualts" is not a registry field (did you mean "defaults"?)' });
        expect(only(rawRegistry([rawAgent()], { defaults: { cloudflare: { tokenTtlDay: 30 } } }))).toMatchObject({ code: "ERR_FIELD_UNKNOWN", field: "defaults.cloudflare.tokenTtlDay" });
        expect(only(rawRegistry([rawAgent({ monthlyBudgetUsd: Infinity })]))).toMatchObject({ code: "ERR_FIELD_INVALID", field: "monthlyBudgetUsd" });
        expect(only(rawRegistry([rawAgent(), 5]))).toMatchObject({ code: "ERR_FIELD_INVALID", agent: "#2", field: "agents" });
        const one = validateRegistry(rawRegistry([rawAgent({ environments: "dev", notify: null })]), { now: NOW }).agents[0];
        expect([one.environments, one.notify]).toEqual([["dev"], []]);
    });

    it("checks a trust from the defaults for each agent, after {agent} is put in", () => {
        const bare = withField(withField(rawAgent(), "aws.trust", undefined), "aws.planTrust", undefined);
        const defaults = { defaults: { aws: { trust: { principal: "arn:aws:iam::123456789012:role/{agent}" }, planTrust: { principl: PLAN_RUNNER } } } };
        expect(problems(rawRegistry([bare], defaults)).map((p) => [p.agent, p.code, p.field])).toEqual([["deploy-bot", "ERR_FIELD_UNKNOWN", "defaults.aws.planTrust.principl"]]);
    });

    it("reports YAML syntax errors with the file's name", () => {
        expect(() => parseRegistry("agents: [", { source: "agents.yaml" })).toThrow(/registry "agents.yaml" is not valid YAML/);
        expect(() => readRegistryFile("/nonexistent/agents.yaml")).toThrow(/registry "\/nonexistent\/agents.yaml" does not exist$/);
        expect(() => parseRegistry("version: 1\nagents:\n\t- id: x\n")).toThrow(/not valid YAML: [^\n]*[^:]$/);
    });

    it("re-validates definitions built in code by the same rules", () => {
        const agent = validateRegistry(rawRegistry([rawAgent()]), { now: NOW }).agents[0];
        expect(validateDefinition(agent, { now: NOW })).toEqual(agent);
        expect(() => validateDefinition({ ...agent, monthlyBudgetUsd: 0 }, { now: NOW })).toThrow(`agent "deploy-bot": field "monthlyBudgetUsd" is 0; it must be more than 0`);
    });

    it("maps agents to the gate's agents config: budget, and providers from scopes plus explicit ones", () => {
        const r = validateRegistry(
            rawRegistry([
                rawAgent({ providers: ["random"] }),
                withField(withField(withField(rawAgent({ id: "aws-only" }), "cloudflare", undefined), "aws.trust", { principal: "arn:aws:iam::123456789012:role/aws-only" }), "aws.planTrust", { principal: "arn:aws:iam::123456789012:role/aws-only-plan" }),
                withField(withField(rawAgent({ id: "nothing" }), "cloudflare", undefined), "aws", undefined),
            ]),
            { now: NOW },
        );
        expect(gateAgents(r)).toEqual({
            "deploy-bot": { monthlyBudgetUsd: 100, providers: ["aws", "cloudflare", "random"] },
            "aws-only": { monthlyBudgetUsd: 100, providers: ["aws"] },
            nothing: { monthlyBudgetUsd: 100, providers: [] },
        });
    });
});
