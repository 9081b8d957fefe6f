/**
 * The stack module and the example stacks under the real `pulumi` CLI, on a local file backend,
 * with the offline aws/cloudflare simulators standing in for the clouds (they accept any resource
 * and echo inputs back, so these runs prove what the engine, the module and the policies do — not
 * what AWS or Cloudflare would accept).
 *
 * - `stacks/agents` as shipped: `pulumi up` with just a passphrase and the simulators on PATH.
 * - `agent-identity-hygiene` in a throwaway pack that holds only it (the lead wires it into the
 *   agentguard pack): clean on the module's identities, also at preview when ARNs are unknown;
 *   loud on a hand-made identity that lacks a boundary, a budget and a token expiry.
 * - `stacks/app` previewed under the agentguard pack with the config `agentguard config` makes
 *   from the same registry.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { configCommand } from "../../src/cli/config";
import { tempDir } from "../tmp";
import { ROOT, Workspace } from "./pulumi";
import { workspacesOfFile } from "./workspaces";
import { mayAssume, mayAssumeWithWebIdentity } from "../identity/simulate";

const AGENTS = path.join(ROOT, "stacks/agents");
const APP = path.join(ROOT, "stacks/app");
const GENERIC = path.join(ROOT, "test/e2e/programs/generic");
const REGISTRY = path.join(AGENTS, "agents.yaml");
const TIMEOUT = 180_000;

const workspaces = workspacesOfFile();

/**
 * A NODE_PATH in which `agentguard` is this repository, as `npm install` in stacks/agents links
 * it (package.json: `file:../..`): the stack imports `agentguard/identity` through the package's
 * exports, as a platform team's own stack would.
 */
const AGENTGUARD_PACKAGE = (() => {
    const dir = tempDir("agentguard-package-link-");
    symlinkSync(ROOT, path.join(dir, "agentguard"), "dir");
    return dir;
})();

async function workspace(program: string, stack: string, env: Record<string, string> = {}): Promise<Workspace> {
    const ws = await Workspace.create({ program, stack, env: { NODE_PATH: AGENTGUARD_PACKAGE, ...env } });
    workspaces.push(ws);
    return ws;
}

/** A policy pack holding only agent-identity-hygiene, built from this repository's dist/. */
function hygienePack(ws: Workspace): string {
    const dir = path.join(ws.dir, "hygiene-pack");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: agent-identity-hygiene only (e2e)\n");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "hygiene-e2e", version: "0.0.1", main: "index.js" }));
    writeFileSync(
        path.join(dir, "index.js"),
        `const { PolicyPack } = require("@pulumi/policy");\n` +
            `const { agentIdentityHygiene } = require(${JSON.stringify(path.join(ROOT, "dist/pack/hygiene"))});\n` +
            `new PolicyPack("hygiene-e2e", { policies: [agentIdentityHygiene] });\n`,
    );
    if (!existsSync(path.join(dir, "node_modules"))) {
        symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    }
    return dir;
}

/** The lines of output the hygiene policy reported. */
function hygieneLines(output: string): string[] {
    return output.split("\n").filter((l) => /role "|Cloudflare token "|could not be checked/.test(l));
}

type ExportedResource = { type: string; urn: string; id?: string; provider?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
type ExportedState = { deployment: { resources: ExportedResource[] } };

/**
 * deploy-bot's identity lives in its own account `own`: every AWS resource of it goes through a
 * provider assuming that account's access role; its budget covers that account with no tag
 * filter, its hard cap acts there; research-bot's budget still filters on its tag.
 */
function expectOwnAccount(state: ExportedState, outputs: Record<string, Record<string, string>>, own: string): void {
    const byType = (t: string) => state.deployment.resources.filter((r) => r.type === t);
    expect(outputs.awsAccountIds).toEqual({ "deploy-bot": own, "research-bot": "123456789012" });
    const provider = byType("pulumi:providers:aws").find((r) => r.urn.endsWith("::deploy-bot-aws-account"))!;
    expect(provider.inputs).toMatchObject({ allowedAccountIds: JSON.stringify([own]), assumeRoles: JSON.stringify([{ roleArn: `arn:aws:iam::${own}:role/OrganizationAccountAccessRole`, sessionName: "agentguard-deploy-bot" }]) });
    const deployBot = state.deployment.resources.filter((r) => r.urn.includes("::deploy-bot-aws-") && r.type.startsWith("aws:") && r.type !== "aws:organizations/account:Account");
    expect(deployBot.length).toBeGreaterThanOrEqual(15);
    for (const r of deployBot) {
        expect(r.provider, r.urn).toMatch(new RegExp(`^${provider.urn.replace(/[$()*+.?[\\\]^{|}]/g, "\\$&")}::`));
    }
    expect(outputs.roleArns["deploy-bot"]).toContain(`:${own}:role/`);
    const budgets = byType("aws:budgets/budget:Budget");
    const budgetOf = (agent: string) => budgets.find((b) => b.urn.endsWith(`::${agent}-aws-budget`))!.inputs!;
    expect(budgetOf("deploy-bot").costFilters).toBeUndefined();
    expect(budgetOf("deploy-bot").accountId).toBe(own);
    expect(budgetOf("research-bot").costFilters).toEqual([{ name: "TagKeyValue", values: ["user:agentguard:agent$research-bot"] }]);
    expect(budgetOf("research-bot").accountId).toBeUndefined();
    const hardCap = byType("aws:budgets/budgetAction:BudgetAction").find((b) => b.urn.endsWith("::deploy-bot-aws-hard-cap"))!;
    expect(hardCap.inputs!.accountId).toBe(own);
    // AWS Budgets may assume the cap role only for this account's budget.
    const capRole = byType("aws:iam/role:Role").find((r) => r.urn.endsWith("::deploy-bot-aws-cap"))!;
    expect(JSON.parse(capRole.inputs!.assumeRolePolicy as string).Statement[0].Condition.StringEquals).toEqual({ "aws:SourceAccount": own });
}

/**
 * The exported trust policies, under a real IAM simulator: each principal (an IAM role of the
 * runner's account, or an OIDC subject) can assume exactly one agent role, also across accounts
 * (`own` holds deploy-bot's two), whatever source identity it claims.
 */
async function expectOnePrincipalPerRole(agentRoles: readonly ExportedResource[], own: string): Promise<void> {
    type Statement = { Principal: { AWS?: string | string[]; Federated?: string }; Condition: { StringEquals: Record<string, string | string[]> } };
    const exported = agentRoles.map((r) => {
        const arn = r.outputs!.arn as string;
        return { arn: `arn:aws:iam::${arn.split(":")[4]}:role/${r.inputs!.name as string}`, trust: JSON.parse(r.inputs!.assumeRolePolicy as string) };
    });
    expect(exported.filter((r) => r.arn.includes(`:${own}:`)).map((r) => r.arn.split("/")[1]).sort()).toEqual(["agentguard-deploy-bot", "agentguard-deploy-bot-plan"]);
    const claims = ["deploy-bot", "research-bot"];
    let principals = 0;
    for (const st of exported.flatMap((r) => r.trust.Statement as Statement[])) {
        const callers: ((doc: never, role: string, claim: string) => Promise<boolean>)[] =
            st.Principal.AWS !== undefined
                ? [st.Principal.AWS].flat().map((p) => (doc, role, claim) => mayAssume(doc, role, p, claim))
                : Object.entries(st.Condition.StringEquals)
                      .filter(([k]) => k.endsWith(":sub"))
                      .flatMap(([k, v]) =>
                          [v].flat().map((sub) => (doc: never, role: string, claim: string) =>
                              mayAssumeWithWebIdentity(doc, role, st.Principal.Federated!, { [k]: sub, [k.replace(/:sub$/, ":aud")]: "sts.amazonaws.com", "sts:SourceIdentity": claim }),
                          ),
                      );
        for (const caller of callers) {
            const assumable = new Set<string>();
            for (const r of exported) {
                for (const claim of claims) {
                    if (await caller(r.trust as never, r.arn, claim)) {
                        assumable.add(r.arn);
                    }
                }
            }
            expect(assumable.size).toBe(1);
            principals++;
        }
    }
    expect(principals).toBe(4);
}

beforeAll(() => {
    if (!existsSync(path.join(ROOT, "dist/identity/index.js")) || !existsSync(path.join(ROOT, "dist/pack/hygiene.js"))) {
        throw new Error("dist/ is not built: run `npm run build` (npm test does) before the e2e suite");
    }
});

describe("stacks/agents under the real pulumi CLI", () => {
    it(
        "pulumi up as shipped creates one identity per registry agent; token values only as secrets; a second preview changes nothing",
        async () => {
            const ws = await workspace(AGENTS, "platform");
            const up = await ws.pulumi(["up", "--yes"]);
            expect(up.code, up.output).toBe(0);
            expect(up.output).toMatch(/\+ 42 created/);

            const outputs = JSON.parse((await ws.pulumi(["stack", "output", "--json"])).stdout);
            expect(outputs.roleArns).toEqual({
                "deploy-bot": expect.stringMatching(/:role\/agentguard-deploy-bot$/),
                "research-bot": expect.stringMatching(/:role\/agentguard-research-bot$/),
            });
            expect(outputs.budgetNames).toEqual({ "deploy-bot": "agentguard-deploy-bot", "research-bot": "agentguard-research-bot" });
            expect(outputs.cloudflareTokens).toBe("[secret]");
            const secrets = JSON.parse((await ws.pulumi(["stack", "output", "cloudflareTokens", "--json", "--show-secrets"])).stdout);
            expect(Object.keys(secrets)).toEqual(["deploy-bot", "research-bot"]);
            expect(up.output).not.toContain(secrets["deploy-bot"]);

            const state = JSON.parse((await ws.pulumi(["stack", "export"])).stdout) as ExportedState;
            const byType = (t: string) => state.deployment.resources.filter((r) => r.type === t);
            expect(byType("agentguard:index:AgentServiceAccount")).toHaveLength(2);
            const role = byType("aws:iam/role:Role").find((r) => r.urn.endsWith("::deploy-bot-aws-role"))!;
            expect(JSON.parse(role.inputs!.assumeRolePolicy as string).Statement[0].Condition).toEqual({ StringEquals: { "sts:SourceIdentity": "deploy-bot" } });
            expect(role.inputs!.maxSessionDuration).toBe(3600);
            expect(byType("aws:budgets/budgetAction:BudgetAction").map((a) => a.inputs!.actionType)).toEqual(["APPLY_IAM_POLICY", "APPLY_IAM_POLICY"]);

            // Every agent role (apply and plan) trusts principals no other role trusts.
            const agentRoles = byType("aws:iam/role:Role").filter((r) => /::(deploy|research)-bot-aws-(plan-)?role$/.test(r.urn));
            expect(agentRoles).toHaveLength(4);
            const principalsOf = (r: (typeof agentRoles)[number]): string[] =>
                (JSON.parse(r.inputs!.assumeRolePolicy as string).Statement as { Principal: { AWS?: string | string[]; Federated?: string }; Condition: { StringEquals: Record<string, string | string[]> } }[]).flatMap((st) =>
                    st.Principal.AWS !== undefined
                        ? [st.Principal.AWS].flat()
                        : Object.entries(st.Condition.StringEquals)
                              .filter(([k]) => k.endsWith(":sub"))
                              .flatMap(([, v]) => [v].flat().map((sub) => `${st.Principal.Federated} ${sub}`)),
                );
            const all = agentRoles.flatMap(principalsOf);
            expect(all.length).toBeGreaterThanOrEqual(4);
            expect(new Set(all).size).toBe(all.length);
            // The plan role holds reads only; the backstop's alarm starts the runbook that caps both roles.
            const planPolicy = byType("aws:iam/policy:Policy").find((r) => r.urn.endsWith("::deploy-bot-aws-plan-scopes"))!;
            const planActions = (JSON.parse(planPolicy.inputs!.policy as string).Statement as { Action: string[] }[]).flatMap((st) => st.Action);
            expect(planActions.filter((x) => !/^[a-z0-9]+:(Get|List|Describe)/.test(x))).toEqual([]);
            expect(byType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs!.metricName)).toEqual(["EstimatedCharges"]);
            expect(byType("aws:cloudwatch/eventTarget:EventTarget")).toHaveLength(1);

            // deploy-bot (production) has an account of its own; research-bot (dev only) stays in
            // the platform's account.
            const own = "210987654321";
            expect(byType("aws:organizations/account:Account")).toEqual([]);
            expectOwnAccount(state, outputs, own);
            await expectOnePrincipalPerRole(agentRoles, own);

            const again = await ws.pulumi(["preview"]);
            expect(again.code, again.output).toBe(0);
            expect(again.output).toMatch(/42 unchanged/);
            expect((await ws.destroy()).code).toBe(0);
        },
        TIMEOUT,
    );

    it(
        "creates a production agent's own account with aws.organizations.Account and puts its identity, whole-account budget and backstop there",
        async () => {
            const ws = await workspace(AGENTS, "own-account");
            const registry = path.join(ws.dir, "agents.yaml");
            const shipped = readFileSync(REGISTRY, "utf8");
            const create = `account:\n        create: { email: aws+deploy-bot@example.com, name: agentguard-deploy-bot, parentId: ou-ab12-cd34ef56 }\n`;
            expect(shipped).toContain(`account:\n        id: "210987654321"\n`);
            writeFileSync(registry, shipped.replace(`account:\n        id: "210987654321"\n`, create));
            await ws.config("agents:registry", registry);
            const up = await ws.pulumi(["up", "--yes"]);
            expect(up.code, up.output).toBe(0);
            const state = JSON.parse((await ws.pulumi(["stack", "export"])).stdout) as ExportedState;
            const outputs = JSON.parse((await ws.pulumi(["stack", "output", "--json"])).stdout);
            const accounts = state.deployment.resources.filter((r) => r.type === "aws:organizations/account:Account");
            expect(accounts).toHaveLength(1);
            // Made in the organization (default provider), never closed or removed by a destroy.
            expect(accounts[0].inputs).toMatchObject({ email: "aws+deploy-bot@example.com", name: "agentguard-deploy-bot", parentId: "ou-ab12-cd34ef56", roleName: "OrganizationAccountAccessRole", closeOnDeletion: false });
            expect(accounts[0].provider).toContain("pulumi:providers:aws::default");
            const own = accounts[0].id!;
            expect(own).toMatch(/^\d{12}$/);
            expect(own).not.toBe("123456789012");
            expectOwnAccount(state, outputs, own);
            await expectOnePrincipalPerRole(state.deployment.resources.filter((r) => r.type === "aws:iam/role:Role" && /::(deploy|research)-bot-aws-(plan-)?role$/.test(r.urn)), own);
            const again = await ws.pulumi(["preview"]);
            expect(again.code, again.output).toBe(0);
            expect(again.output).toMatch(/43 unchanged/);
        },
        TIMEOUT,
    );

    it(
        "stops before creating anything when two agents share a trust principal, in one line naming both",
        async () => {
            const ws = await workspace(AGENTS, "shared");
            const shared = path.join(ws.dir, "shared-agents.yaml");
            const agent = (id: string) =>
                `  - id: ${id}\n    owner: a@example.com\n    purpose: test\n    environments: [dev]\n    monthlyBudgetUsd: 10\n` +
                `    aws:\n      trust: { principal: "arn:aws:iam::123456789012:role/agent-runner" }\n      planTrust: { principal: "arn:aws:iam::123456789012:role/${id}-plan" }\n` +
                `      regions: [us-east-1]\n      scopes: [{ service: s3, access: read, resources: ["arn:aws:s3:::acme"] }]\n`;
            writeFileSync(shared, `agents:\n${agent("big-bot")}${agent("small-bot")}`);
            await ws.config("agents:registry", shared);
            const up = await ws.pulumi(["up", "--yes"]);
            expect(up.code).not.toBe(0);
            const lines = up.output.split("\n").filter((l) => l.includes("must not share a principal"));
            expect(lines.length).toBeGreaterThan(0);
            expect(lines[0]).toContain(`agents "big-bot" and "small-bot" must not share a principal`);
            expect(lines[0]).toContain("arn:aws:iam::123456789012:role/agent-runner");
            expect((await ws.pulumi(["stack", "export"])).stdout).not.toContain("aws:iam/role:Role");
        },
        TIMEOUT,
    );

    it(
        "stops before creating anything when the registry is wrong, naming agent and field",
        async () => {
            const ws = await workspace(AGENTS, "broken");
            const bad = path.join(ws.dir, "bad-agents.yaml");
            writeFileSync(bad, "agents:\n  - id: cheap-bot\n    purpose: test\n    environments: [dev]\n    monthlyBudgetUsd: 10\n");
            await ws.config("agents:registry", bad);
            const up = await ws.pulumi(["up", "--yes"]);
            expect(up.code).not.toBe(0);
            expect(up.output).toContain(`agent "cheap-bot": field "owner" is required`);
            expect((await ws.pulumi(["stack", "export"])).stdout).not.toContain("aws:iam/role:Role");
        },
        TIMEOUT,
    );

    it(
        "agent-identity-hygiene finds nothing wrong with the module's identities, even at preview when their ARNs are unknown",
        async () => {
            const ws = await workspace(AGENTS, "hygiene");
            const pack = hygienePack(ws);
            const preview = await ws.pulumi(["preview", "--policy-pack", pack]);
            expect(preview.code, preview.output).toBe(0);
            expect(preview.output).toContain("hygiene-e2e");
            expect(hygieneLines(preview.output)).toEqual([]);
            const up = await ws.pulumi(["up", "--yes", "--policy-pack", pack]);
            expect(up.code, up.output).toBe(0);
            expect(hygieneLines(up.output)).toEqual([]);
        },
        TIMEOUT,
    );

    it(
        "agent-identity-hygiene reports a hand-made identity without boundary, budget or token expiry (advisory: the preview still passes)",
        async () => {
            const ws = await workspace(GENERIC, "dev");
            await ws.resources([
                {
                    type: "aws:iam/role:Role",
                    name: "hand-bot",
                    props: {
                        name: "hand-bot",
                        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }] }),
                        maxSessionDuration: 43200,
                        tags: { "agentguard:agent": "hand-bot" },
                    },
                },
                { type: "cloudflare:index/accountToken:AccountToken", name: "hand-token", props: { accountId: "b67e14daa5f8dceeb91fe5449ba496eb", name: "agentguard-hand-bot", policies: [] } },
            ]);
            const preview = await ws.pulumi(["preview", "--policy-pack", hygienePack(ws)]);
            expect(preview.code, preview.output).toBe(0);
            expect(preview.output).toContain("agent-identity-hygiene");
            expect(preview.output).toContain(`role "hand-bot" of agent "hand-bot" has no permissions boundary`);
            expect(preview.output).toContain(`role "hand-bot" of agent "hand-bot" allows sessions of 43200 seconds, over the 3600 allowed`);
            expect(preview.output).toContain(`role "hand-bot" of agent "hand-bot" has no AWS Budget in this stack`);
            expect(preview.output).toContain(`Cloudflare token "agentguard-hand-bot" has no expiry`);
        },
        TIMEOUT,
    );
});

describe("stacks/app under the agentguard pack, with the gate config made from the registry", () => {
    let policyConfig: string;

    beforeAll(async () => {
        const ws = await workspace(APP, "config-holder");
        policyConfig = path.join(ws.dir, "policy-config.json");
        const out = { stdout: "", stderr: "" };
        const code = await configCommand(["--registry", REGISTRY, "--out", policyConfig], { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) });
        expect(code, out.stderr).toBe(0);
    });

    it(
        "denies deploy-bot's preview of prod (environment and access gates); a human's preview passes",
        async () => {
            const ws = await workspace(APP, "prod");
            const denied = await ws.preview({ policyConfig, env: { AGENTGUARD_INITIATOR: "agent:deploy-bot" } });
            expect(denied.code).not.toBe(0);
            expect(denied.output).toContain("agent-change-gate");
            const last = ws.decisions().at(-1) as { decision: string; initiator: { id: string }; gates: { gate: string; resource?: string }[] };
            expect(last).toMatchObject({ decision: "deny", initiator: { kind: "agent", id: "deploy-bot" }, stack: "organization/shop/prod" });
            const gates = new Set(last.gates.map((g) => g.gate));
            expect(gates.has("environment")).toBe(true);
            expect(gates.has("access")).toBe(true);
            expect(last.gates.filter((g) => g.gate === "access").map((g) => g.resource)).toContain("urn:pulumi:prod::shop::aws:s3/bucketPolicy:BucketPolicy::site-public-read");
            expect(gates.has("provider")).toBe(false);

            const human = await ws.preview({ policyConfig, env: { AGENTGUARD_INITIATOR: "human:alice" } });
            expect(human.code, human.output).toBe(0);
            expect(ws.decisions().at(-1)).toMatchObject({ decision: "allow", initiator: { kind: "human", id: "alice" } });
        },
        TIMEOUT,
    );

    it(
        "denies an agent's run of stacks/agents that grants itself sensitive scopes, with an access item on its identity naming them",
        async () => {
            // The attack: deploy-bot edits its own registry entry to grant itself s3 bucket
            // policies and public access, then runs the registry stack.
            const ws = await workspace(AGENTS, "grants");
            const registry = path.join(ws.dir, "agents.yaml");
            const shipped = readFileSync(REGISTRY, "utf8");
            const scope = `      scopes:\n        - service: s3\n          access: write\n`;
            expect(shipped).toContain(scope);
            writeFileSync(registry, shipped.replace(scope, `      grantSensitive: [s3]\n      scopes:\n        - service: s3\n          access: permissions\n`));
            await ws.config("agents:registry", registry);
            const identity = "urn:pulumi:grants::agents::agentguard:index:AgentServiceAccount::deploy-bot";
            const denied = await ws.preview({ policyConfig, env: { AGENTGUARD_INITIATOR: "agent:deploy-bot" } });
            expect(denied.code).not.toBe(0);
            const last = ws.decisions().at(-1) as { decision: string; gates: { gate: string; resource?: string; required: number }[] };
            expect(last.decision).toBe("deny");
            expect(last.gates.filter((g) => g.resource === identity)).toEqual([expect.objectContaining({ gate: "access", required: 2 })]);
            const line = denied.output.split("\n").find((l) => l.includes(identity) && l.includes("sensitive"));
            expect(line, denied.output).toBeDefined();
            expect(line).toContain(`gives agent "deploy-bot" sensitive scopes`);
            expect(line).toContain("s3:PutBucketPolicy");
            expect(line).toContain("s3:PutBucketPublicAccessBlock");

            // As shipped, no agent holds a sensitive scope: the identity itself raises nothing
            // (its IAM resources still raise access items, as any IAM change by an agent does).
            await ws.config("agents:registry", REGISTRY);
            const plain = await ws.preview({ policyConfig, env: { AGENTGUARD_INITIATOR: "agent:deploy-bot" } });
            expect(plain.code).not.toBe(0);
            const again = ws.decisions().at(-1) as { gates: { gate: string; resource?: string }[] };
            expect(again.gates.filter((g) => g.resource === identity)).toEqual([]);
            expect(again.gates.some((g) => g.gate === "access" && g.resource?.endsWith("::deploy-bot-aws-scopes"))).toBe(true);
        },
        TIMEOUT,
    );

    it(
        "holds a domain purchase and a dynamic provider for approval even on dev",
        async () => {
            const ws = await workspace(APP, "dev");
            await ws.config("shop:buyDomain", "true");
            await ws.config("shop:dynamic", "true");
            const denied = await ws.preview({ policyConfig, env: { AGENTGUARD_INITIATOR: "agent:deploy-bot" } });
            expect(denied.code).not.toBe(0);
            const last = ws.decisions().at(-1) as { gates: { gate: string; resource?: string }[] };
            const resources = (gate: string) => last.gates.filter((g) => g.gate === gate).map((g) => g.resource);
            expect(resources("spend")).toContain("urn:pulumi:dev::shop::aws:route53domains/domain:Domain::domain");
            expect(resources("provider")).toContain("urn:pulumi:dev::shop::pulumi-nodejs:dynamic:Resource::build-stamp");
            expect(last.gates.some((g) => g.gate === "environment")).toBe(false);
        },
        TIMEOUT,
    );
});
