/**
 * An AWS account of the agent's own (registry `aws.account`), the strongest spend cap and the
 * default for production agents. The e2e suite (test/e2e/identity.test.ts) runs it under the real
 * CLI: identity in that account, whole-account budget without a tag filter, one principal per
 * role across accounts. Here: the registry's rules, and what the agent's boundary keeps it from
 * doing to the account that caps it (IAM simulator).
 */
import { describe, expect, it } from "vitest";
import { boundaryPolicy, scopePolicy } from "../../src/identity/documents";
import { productionEnvironments } from "../../src/identity/own-account";
import { AgentDefinition, RegistryError, agentToRegistryEntry, validateDefinition, validateRegistry } from "../../src/identity/registry";
import { NOW, rawAgent, rawRegistry, withField } from "./fixtures";
import { ACCOUNT_ID, ADMIN, decide } from "./simulate";

function problems(raw: Record<string, unknown>[]): RegistryError {
    try {
        validateRegistry(rawRegistry(raw), { now: NOW });
    } catch (e) {
        return e as RegistryError;
    }
    throw new Error("the registry was accepted");
}

const agent = (raw: Record<string, unknown>): AgentDefinition => validateRegistry(rawRegistry([raw]), { now: NOW }).agents[0];
const withAccount = (account: unknown, raw = rawAgent()) => withField(raw, "aws.account", account);

describe("registry aws.account", () => {
    it("rejects a production agent with AWS scopes and no account of its own, in one line naming the environment and the way out", () => {
        const err = problems([withAccount(undefined)]);
        expect(err.code).toBe("ERR_PRODUCTION_SHARED_ACCOUNT");
        expect(err.problems).toHaveLength(1);
        expect(err.problems[0]).toMatchObject({ agent: "deploy-bot", field: "aws.account" });
        expect(err.message).toContain(`agent "deploy-bot": field "aws.account" is required for an agent that deploys to production ("prod")`);
        expect(err.message).toContain("{ shared: true }");
        expect(err.message.split("\n")).toHaveLength(1);
    });

    it.each([["production"], ["prd"], ["live"], ["prod-eu"], ["eu-prod2"]])("counts %s as a production environment", (env) => {
        expect(productionEnvironments([env])).toEqual([env]);
        expect(problems([withAccount(undefined, rawAgent({ environments: ["dev", env] }))]).code).toBe("ERR_PRODUCTION_SHARED_ACCOUNT");
    });

    it("lets dev and staging agents, and production agents without AWS scopes, stay in the platform's account", () => {
        expect(productionEnvironments(["dev", "staging", "products", "preprod"])).toEqual([]);
        expect(agent(withAccount(undefined, rawAgent({ environments: ["dev", "staging"] }))).aws!.account).toBeUndefined();
        expect(agent(withField(rawAgent(), "aws", undefined)).aws).toBeUndefined();
    });

    it("reads an existing account, a created one, and the explicit shared opt-out; round-trips them", () => {
        const existing = agent(withAccount({ id: "210987654321" }));
        expect(existing.aws!.account).toEqual({ kind: "existing", id: "210987654321", accessRole: "OrganizationAccountAccessRole" });
        // YAML reads an unquoted account id as a number.
        expect(agent(withAccount({ id: 210987654321, accessRole: "PlatformAccess" })).aws!.account).toEqual({ kind: "existing", id: "210987654321", accessRole: "PlatformAccess" });
        const created = agent(withAccount({ create: { email: "aws+bot@example.com", name: "agentguard-bot", parentId: "ou-ab12-cd34ef56" } }));
        expect(created.aws!.account).toEqual({ kind: "create", email: "aws+bot@example.com", name: "agentguard-bot", parentId: "ou-ab12-cd34ef56", accessRole: "OrganizationAccountAccessRole" });
        expect(agent(withAccount({ shared: true })).aws!.account).toEqual({ kind: "shared" });
        for (const a of [existing, created]) {
            expect(validateDefinition(a, { now: NOW })).toEqual(a);
            expect(agentToRegistryEntry(a).aws).toHaveProperty("account");
        }
    });

    it.each([
        [{ id: "21098765432" }, "aws.account.id", "ERR_FIELD_INVALID"],
        [{ id: "210987654321", shared: true }, "aws.account", "ERR_FIELD_INVALID"],
        [{ shared: false }, "aws.account.shared", "ERR_FIELD_INVALID"],
        [{ shared: true, accessRole: "X" }, "aws.account.accessRole", "ERR_FIELD_UNKNOWN"],
        [{ id: "210987654321", acessRole: "X" }, "aws.account.acessRole", "ERR_FIELD_UNKNOWN"],
        [{ create: { email: "not-an-email", name: "n", parentId: "ou-ab12-cd34ef56" } }, "aws.account.create.email", "ERR_FIELD_INVALID"],
        [{ create: { email: "a@example.com", name: "n", parentId: "o-abcdefghij" } }, "aws.account.create.parentId", "ERR_FIELD_INVALID"],
        [{ create: { email: "a@example.com", parentId: "r-ab12" } }, "aws.account.create.name", "ERR_FIELD_REQUIRED"],
        ["210987654321", "aws.account", "ERR_FIELD_INVALID"],
    ])("rejects aws.account = %j at %s", (account, field, code) => {
        const err = problems([withAccount(account)]);
        expect(err.problems.map((p) => [p.field, p.code])).toContainEqual([field, code]);
        // A wrong account never falls back to the shared one silently.
        expect(err.problems.some((p) => p.code === "ERR_PRODUCTION_SHARED_ACCOUNT")).toBe(false);
    });

    it("rejects a scope that names another account's resource: the agent's budget covers its own account only", () => {
        const scoped = (arn: string) => withField(withAccount({ id: "210987654321" }), "aws.scopes.1", { service: "sqs", access: "write", resources: [arn] });
        expect(agent(scoped("arn:aws:sqs:us-east-1:210987654321:orders")).aws!.scopes[1].resources).toEqual(["arn:aws:sqs:us-east-1:210987654321:orders"]);
        for (const arn of ["arn:aws:sqs:us-east-1:123456789012:prod-orders", "arn:aws:sqs:us-east-1:*:orders"]) {
            const err = problems([scoped(arn)]);
            expect(err.problems.map((p) => [p.field, p.code])).toContainEqual(["aws.scopes[1].resources[0]", "ERR_FIELD_INVALID"]);
            expect(err.message).toContain(`not the agent's own account "210987654321"`);
        }
    });

    it("rejects an OIDC trust whose provider is not in the agent's own account: a role trusts only its account's providers", () => {
        const oidc = (account: string) => ({ oidc: { provider: `arn:aws:iam::${account}:oidc-provider/agents.example.com`, subjects: ["agent:deploy-bot:apply"] } });
        expect(agent(withField(withAccount({ id: "210987654321" }), "aws.trust", oidc("210987654321"))).aws!.trust).toMatchObject({ kind: "oidc" });
        for (const raw of [withField(withAccount({ id: "210987654321" }), "aws.trust", oidc("123456789012")), withField(withAccount({ create: { email: "a@example.com", name: "n", parentId: "ou-ab12-cd34ef56" } }), "aws.trust", oidc("123456789012"))]) {
            const err = problems([raw]);
            expect(err.problems.map((p) => [p.field, p.code])).toContainEqual(["aws.trust", "ERR_FIELD_INVALID"]);
            expect(err.message).toContain("a role trusts only an OIDC provider of its own account");
        }
        // In the platform's account the provider is the platform's.
        expect(agent(withField(withAccount({ shared: true }), "aws.trust", oidc("123456789012"))).aws!.trust).toMatchObject({ kind: "oidc" });
    });

    it("rejects two agents with the same own account (by id, or by the email of one to create), naming both", () => {
        const second = (account: unknown) =>
            withAccount(account, withField(withField(rawAgent({ id: "other-bot" }), "aws.trust", { principal: "arn:aws:iam::123456789012:role/other" }), "aws.planTrust", { principal: "arn:aws:iam::123456789012:role/other-plan" }));
        const byId = problems([withAccount({ id: "210987654321" }), second({ id: "210987654321" })]);
        expect(byId.code).toBe("ERR_SHARED_ACCOUNT");
        expect(byId.message).toContain(`agents "deploy-bot" and "other-bot" must not share an account`);
        const create = (email: string) => ({ create: { email, name: "n", parentId: "r-ab12" } });
        expect(problems([withAccount(create("Bot@example.com")), second(create("bot@example.com"))]).code).toBe("ERR_SHARED_ACCOUNT");
        // Shared is shared: many agents may say so.
        expect(() => validateRegistry(rawRegistry([withAccount({ shared: true }), second({ shared: true })]), { now: NOW })).not.toThrow();
    });
});

describe("what the agent cannot do to the account that caps it (IAM simulator)", () => {
    const a = agent(withAccount({ id: "210987654321" }));
    // Whatever its own policies allow, the boundary holds.
    const identity = [ADMIN, scopePolicy(a)];
    const boundary = boundaryPolicy(a, ACCOUNT_ID);

    it.each([
        ["organizations:LeaveOrganization", "*"],
        ["budgets:ModifyBudget", "arn:aws:budgets::210987654321:budget/agentguard-deploy-bot"],
        ["budgets:DeleteBudgetAction", "arn:aws:budgets::210987654321:budget/agentguard-deploy-bot/action/a1b2c3d4-0000-0000-0000-000000000000"],
        ["iam:DetachRolePolicy", "arn:aws:iam::210987654321:role/agentguard-deploy-bot"],
        ["iam:CreateRole", "arn:aws:iam::210987654321:role/escape"],
        ["account:CloseAccount", "*"],
        ["cloudwatch:DeleteAlarms", "arn:aws:cloudwatch:us-east-1:210987654321:alarm:agentguard-deploy-bot-estimated-charges"],
    ])("%s is denied", async (action, resource) => {
        expect(await decide(identity, boundary, { action, resource })).not.toBe("Allowed");
    });
});
