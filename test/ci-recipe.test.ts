/**
 * The CI recipe (docs/examples/agentguard-ci.yml) keeps the trust anchors out of the agent's
 * reach. The workflow is parsed and each rule of docs/ci.md is checked on its steps.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const RECIPE = path.join(ROOT, "docs/examples/agentguard-ci.yml");

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    env?: Record<string, string>;
    with?: Record<string, unknown>;
    if?: string;
}
interface Job {
    steps: Step[];
    env?: Record<string, string>;
    permissions?: Record<string, string>;
    environment?: string;
    needs?: string | string[];
}
const workflow = parse(readFileSync(RECIPE, "utf8")) as { on: Record<string, unknown>; env: Record<string, string>; jobs: Record<string, Job>; permissions: Record<string, string> };
const jobs = Object.entries(workflow.jobs);
const text = (s: Step) => JSON.stringify(s);
const isAgent = (s: Step) => /^\[agent\]/.test(s.name ?? "");
const agentJobs = jobs.filter(([, j]) => j.steps.some(isAgent));
/** Variables that load code into node, the dynamic linker or the shell. */
const PRELOAD_VARS = ["NODE_OPTIONS", "NODE_PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "BASH_ENV", "ENV", "NODE_EXTRA_CA_CERTS"];

describe("the CI recipe", () => {
    it("names every step trusted, agent or agent output, and has jobs that run agent code (plan, apply) and one that runs none (check)", () => {
        for (const [, j] of jobs) {
            for (const s of j.steps) {
                expect(s.name, text(s)).toMatch(/^\[(trusted|agent|agent output)\] /);
            }
        }
        expect(agentJobs.map(([n]) => n).sort()).toEqual(["apply", "plan"]);
        expect(workflow.jobs.check.steps.some(isAgent)).toBe(false);
        expect(workflow.jobs.check.needs).toBe("plan");
        expect(workflow.jobs.apply.needs).toBe("check");
    });

    it("runs this file as main has it (pull_request_target), never the pull request's copy, and checks the agent's code out as data by its head commit", () => {
        expect(Object.keys(workflow.on)).toEqual(["pull_request_target"]);
        expect(workflow.env.HEAD_SHA).toBe("${{ github.event.pull_request.head.sha }}");
        for (const [name, j] of agentJobs) {
            const own = j.steps.filter((s) => s.uses?.startsWith("actions/checkout@") && !s.with?.repository);
            expect(own, name).toHaveLength(1);
            expect(own[0].with!.ref).toBe("${{ env.HEAD_SHA }}");
            expect(own[0].with!["persist-credentials"]).toBe(false);
        }
        expect(workflow.jobs.check.steps.some((s) => s.uses?.startsWith("actions/checkout@") && !s.with?.repository)).toBe(false);
    });

    it("runs each job in the environment the stack module's roles trust, and keeps every secret in an environment", () => {
        // docs/stack-module.md: the plan role trusts environment agentguard-<id>-plan, the write role agentguard-<id>.
        expect(workflow.jobs.plan.environment).toBe(`agentguard-${workflow.env.AGENT}-plan`);
        expect(workflow.jobs.apply.environment).toBe(`agentguard-${workflow.env.AGENT}`);
        for (const [name, j] of jobs) {
            if (JSON.stringify(j).includes("secrets.")) {
                expect(j.environment, name).toMatch(/^agentguard-/);
            }
        }
        expect(JSON.stringify(workflow.env)).not.toContain("secrets.");
    });

    it("takes pack and config from pinned commits of repositories the agent cannot push to", () => {
        expect(workflow.env.AGENTGUARD_SHA).toMatch(/^[0-9a-f]{40}$/);
        expect(workflow.env.POLICY_SHA).toMatch(/^[0-9a-f]{40}$/);
        for (const [, j] of jobs) {
            const checkouts = j.steps.filter((s) => s.uses?.startsWith("actions/checkout@") && s.with?.repository);
            expect(checkouts.length).toBe(2);
            for (const c of checkouts) {
                expect(c.with!.ref).toMatch(/^\$\{\{ env\.(AGENTGUARD|POLICY)_SHA \}\}$/);
                expect(c.with!["persist-credentials"]).toBe(false);
            }
        }
    });

    it("runs the agent's program only with the executable entry and a root-owned config, where the agent's user cannot write", () => {
        for (const [name, j] of agentJobs) {
            const install = j.steps.find((s) => /install pack, config and CLI/.test(s.name ?? ""))!;
            expect(install.run, name).toMatch(/chown -R root:root \/opt\/agentguard \/opt\/agentguard-config \/opt\/pulumi/);
            expect(install.run, name).toMatch(/chmod -R go-w/);
            const agent = j.steps.filter(isAgent);
            expect(agent).toHaveLength(1);
            const run = agent[0].run!;
            expect(run).toMatch(/^sudo -u agent env -i /);
            expect(run).not.toMatch(/sudo -u agent (?!env -i)/);
            expect([...run.matchAll(/--policy-pack (\S+)/g)].map((m) => m[1])).toEqual(["/opt/agentguard/bin/agentguard-analyzer"]);
            expect([...run.matchAll(/--policy-pack-config (\S+)/g)].every((m) => m[1].startsWith("/opt/agentguard-config/"))).toBe(true);
            // The user "agent" is created without sudo, and the code is handed to it, not to root.
            expect(j.steps.some((s) => /useradd .*agent$/.test(s.run ?? "") && !/sudo.*usermod|sudoers/.test(s.run ?? ""))).toBe(true);
        }
    });

    it("installs the agent's dependencies with --ignore-scripts, and clears NODE_OPTIONS and the like", () => {
        for (const [name, j] of agentJobs) {
            const run = j.steps.find(isAgent)!.run!;
            const installs = [...run.matchAll(/npm (ci|install|i)\b[^&;\n]*/g)].map((m) => m[0]);
            expect(installs.length, name).toBeGreaterThan(0);
            installs.forEach((i) => expect(i).toContain("--ignore-scripts"));
            expect(run).not.toMatch(/\b(yarn|pnpm|npx)\b/);
            for (const v of PRELOAD_VARS) {
                expect(run).not.toContain(`${v}=`);
                expect(JSON.stringify(j.env ?? {})).not.toContain(v);
                expect(JSON.stringify(workflow.env)).not.toContain(v);
                j.steps.forEach((s) => expect(Object.keys(s.env ?? {})).not.toContain(v));
            }
        }
    });

    it("lets the AWS provider read no file, metadata service or endpoint the program could write or run", () => {
        for (const [name, j] of agentJobs) {
            const run = j.steps.find(isAgent)!.run!;
            for (const v of ["AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true"]) {
                expect(run, `${name}: ${v}`).toContain(v);
            }
            expect(run, name).not.toMatch(/AWS_(ENDPOINT_URL|PROFILE|CA_BUNDLE)|HTTPS?_PROXY/i);
        }
    });

    it("refuses a program with plugins: (agentguard doctor) before the agent's code runs, and before the code is the agent's", () => {
        for (const [, j] of agentJobs) {
            const doctorAt = j.steps.findIndex((s) => /\/opt\/agentguard\/dist\/cli\/main\.js doctor agent-src\n(.*\n)*sudo mv agent-src \/home\/agent\/src/.test(s.run ?? ""));
            expect(doctorAt).toBeGreaterThanOrEqual(0);
            expect(doctorAt).toBeLessThan(j.steps.findIndex(isAgent));
        }
    });

    it("gives a job that runs agent code only the agent's own role, and runs no trusted step after the agent's code", () => {
        for (const [name, j] of agentJobs) {
            const roles = j.steps.filter((s) => s.with?.["role-to-assume"]).map((s) => String(s.with!["role-to-assume"]));
            expect(roles, name).toHaveLength(1);
            expect(roles[0]).toMatch(/:role\/agentguard-agent-deploy-bot-(plan|apply)$/);
            const at = j.steps.findIndex(isAgent);
            for (const s of j.steps.slice(at + 1)) {
                expect(s.name, name).toMatch(/^\[agent output\] /);
                expect(text(s)).not.toContain("secrets.");
                if (s.uses) {
                    // Uploads only what was copied as the agent's user: a symlink in the agent's home reaches no runner file.
                    expect(s.uses).toMatch(/^actions\/upload-artifact@/);
                    expect(s.with?.path).toBe("agent-output/");
                } else {
                    const lines = (s.run ?? "").trim().split("\n");
                    // Bounded: a FIFO or a link to /dev/zero in the agent's home neither hangs the job nor fills its disk.
                    lines.forEach((l) => expect(l).toMatch(/^(mkdir -p agent-output|sudo -u agent timeout 30 head -c 67108864 \/home\/agent\/[a-z.]+ > agent-output\/[a-z.]+ \|\| true)$/));
                }
            }
            // Secrets reach only the agent's own step (its backend token), never a step after it.
            const secretSteps = j.steps.filter((s) => text(s).includes("secrets."));
            expect(secretSteps.every(isAgent)).toBe(true);
            expect(j.permissions).toEqual({ contents: "read", "id-token": "write" });
        }
    });

    it("plans with advisory pack config, applies only the checked plan, and never skips the preview", () => {
        const plan = workflow.jobs.plan.steps.find(isAgent)!.run!;
        expect(plan).toMatch(/pulumi preview .*--save-plan/);
        expect(plan).toContain("/opt/agentguard-config/plan-config.json");
        const apply = workflow.jobs.apply.steps.find(isAgent)!.run!;
        // The checked plan sits in a root-owned directory: the agent could rename a root-owned file out of its own home.
        expect(apply).toMatch(/pulumi up --yes .*--plan \/opt\/agentguard-run\/plan\.json/);
        expect(apply).toContain("AGENTGUARD_PLAN=/opt/agentguard-run/plan.json");
        const handOver = workflow.jobs.apply.steps.map((s) => s.run ?? "").join("\n");
        expect(handOver).toContain("sudo install -d -o root -g root -m 0755 /opt/agentguard-run");
        expect(handOver).toContain("sudo install -o root -g root -m 0644 plan/plan.json /opt/agentguard-run/plan.json");
        expect(apply).toContain("/opt/agentguard-config/policy-config.json");
        expect(jobs.flatMap(([, j]) => j.steps.map((s) => s.run ?? "")).join("\n")).not.toContain("--skip-preview");
        expect(workflow.jobs.apply.environment).toBeTruthy();
        expect(workflow.jobs.check.steps.map((s) => s.run ?? "").join("\n")).toMatch(/plan check --plan untrusted\/plan\.json --state state\.json/);
    });

    it("hands the approvers' tokens to the check and to the apply (in AGENTGUARD_APPROVALS: stack config is a dynamic provider's input)", () => {
        const check = workflow.jobs.check.steps.find((s) => /plan check/.test(s.run ?? ""))!;
        expect(check.env?.APPROVALS).toBe("${{ vars.AGENTGUARD_APPROVALS }}");
        expect(check.run).toContain('--approvals "$APPROVALS"');
        const apply = workflow.jobs.apply.steps.find(isAgent)!;
        expect(apply.env?.APPROVALS).toBe("${{ vars.AGENTGUARD_APPROVALS }}");
        expect(apply.run).toContain('AGENTGUARD_APPROVALS="$APPROVALS"');
    });
});
