/**
 * Coding-agent detection (docs/contract.md §3.4): markers in the run's environment make a run that would
 * be human an agent run — stricter only. The matrix crosses what the environment says with what
 * the config says.
 */
import { describe, expect, it } from "vitest";
import { agentProfile } from "../../src/gate/config";
import { AGENT_MARKER_VARIABLES, agentMarkersFromEnv, detectCodingAgent, resolveInitiator } from "../../src/gate/initiator";
import { logEntry } from "../../src/log/decision-log";
import { runFactsFromEnv } from "../../src/pack/facts";
import { config, custom, run, STACK } from "../fixtures";
import { decide } from "./helpers";

describe("coding-agent markers", () => {
    it("are exactly the variables of the Pulumi CLI v3.274.1's agentdetect.DetectionEnvVars(), in its order", () => {
        expect(AGENT_MARKER_VARIABLES).toEqual([
            "AI_AGENT",
            "CURSOR_TRACE_ID",
            "CURSOR_AGENT",
            "GEMINI_CLI",
            "CODEX_SANDBOX",
            "CODEX_CI",
            "CODEX_THREAD_ID",
            "ANTIGRAVITY_AGENT",
            "AUGMENT_AGENT",
            "OPENCODE",
            "OPENCODE_CALLER",
            "OPENCODE_CLIENT",
            "CLAUDE_CODE_IS_COWORK",
            "CLAUDECODE",
            "CLAUDE_CODE",
            "REPL_ID",
            "COPILOT_MODEL",
            "COPILOT_ALLOW_ALL",
            "COPILOT_GITHUB_TOKEN",
            "GOOSE_PROVIDER",
        ]);
    });

    it("are read from the environment only when set and non-empty", () => {
        expect(agentMarkersFromEnv({ CLAUDECODE: "1", CURSOR_AGENT: "", PATH: "/bin", CLAUDECODE_X: "1" })).toEqual({ CLAUDECODE: "1" });
        const facts = runFactsFromEnv(
            { PULUMI_NODEJS_STACK: "prod", PULUMI_NODEJS_PROJECT: "shop", PULUMI_NODEJS_ORGANIZATION: "org", GEMINI_CLI: "1", HOME: "/root" },
            undefined,
            0,
        );
        expect(facts.agentMarkers).toEqual({ GEMINI_CLI: "1" });
    });

    it.each([
        [{ CLAUDECODE: "1" }, "claude"],
        [{ CLAUDE_CODE: "1" }, "claude"],
        [{ CLAUDE_CODE_IS_COWORK: "1", CLAUDECODE: "1" }, "cowork"],
        [{ CURSOR_TRACE_ID: "abc" }, "cursor"],
        [{ CURSOR_AGENT: "1" }, "cursor-cli"],
        [{ GEMINI_CLI: "1" }, "gemini"],
        [{ CODEX_THREAD_ID: "t" }, "codex"],
        [{ OPENCODE_CLIENT: "x" }, "opencode"],
        [{ AUGMENT_AGENT: "1" }, "augment-cli"],
        [{ ANTIGRAVITY_AGENT: "1" }, "antigravity"],
        [{ REPL_ID: "r" }, "replit"],
        [{ COPILOT_GITHUB_TOKEN: "ghp_secret" }, "github-copilot"],
        [{ GOOSE_PROVIDER: "openai" }, "goose"],
        [{ AI_AGENT: "Amp", CLAUDECODE: "1" }, "amp"],
        [{ AI_AGENT: "github-copilot-cli" }, "github-copilot"],
        [{ AI_AGENT: "evil agent\u001b[31m" }, "unknown"],
        [{ AI_AGENT: "x".repeat(200) }, "unknown"],
    ])("detects %j as %s", (markers, name) => {
        expect(detectCodingAgent(markers)?.name).toBe(name);
    });

    it("detects nothing without markers", () => {
        expect(detectCodingAgent({})).toBeUndefined();
        expect(detectCodingAgent(undefined)).toBeUndefined();
    });
});

type Env = { initiatorEnv?: string; stackAgent?: string; markers?: Record<string, string> };
type Cfg = Record<string, unknown>;
type Expect = { kind: "agent" | "human" | "unidentified"; id?: string; source?: string };

const claude = { CLAUDECODE: "1" };
const matrix: [string, Env, Cfg, Expect][] = [
    // A human named by CI: markers make it an agent unless trusted.
    ["human by env, no markers", { initiatorEnv: "human:carol" }, {}, { kind: "human", id: "carol", source: "env" }],
    ["human by env + CLAUDECODE", { initiatorEnv: "human:carol", markers: claude }, {}, { kind: "agent", id: "claude-local", source: "agent-markers" }],
    ["human by env + CLAUDECODE, trusted", { initiatorEnv: "human:carol", markers: claude }, { trustHumanWithAgentMarkers: true }, { kind: "human", id: "carol", source: "env" }],
    ["human by env + CLAUDECODE, detectedAgents", { initiatorEnv: "human:carol", markers: claude }, { detectedAgents: { claude: "laptop-claude" } }, { kind: "agent", id: "laptop-claude", source: "agent-markers" }],
    ["human by env + CLAUDECODE, detectedAgents by variable", { initiatorEnv: "human:carol", markers: claude }, { detectedAgents: { CLAUDECODE: "cc" } }, { kind: "agent", id: "cc", source: "agent-markers" }],
    ["human by env + CLAUDECODE + stack agent", { initiatorEnv: "human:carol", stackAgent: "shop-bot", markers: claude }, {}, { kind: "agent", id: "shop-bot", source: "stack-config" }],
    ["human by env + AI_AGENT junk", { initiatorEnv: "human:carol", markers: { AI_AGENT: "a b" } }, {}, { kind: "agent", id: "unknown-local", source: "agent-markers" }],
    // Unidentified counted as human: markers make it an agent, even when humans with markers are trusted.
    ["unidentified→human + CURSOR_AGENT", { markers: { CURSOR_AGENT: "1" } }, { unidentifiedInitiator: "human" }, { kind: "agent", id: "cursor-cli-local", source: "agent-markers" }],
    ["unidentified→human + CURSOR_AGENT, trusted", { markers: { CURSOR_AGENT: "1" } }, { unidentifiedInitiator: "human", trustHumanWithAgentMarkers: true }, { kind: "agent", id: "cursor-cli-local" }],
    ["unidentified→human, no markers", {}, { unidentifiedInitiator: "human" }, { kind: "human" }],
    // Markers never turn a rejected run into an allowed one.
    ["unidentified + CLAUDECODE", { markers: claude }, {}, { kind: "unidentified" }],
    ["malformed env + CLAUDECODE", { initiatorEnv: "robot:x", markers: claude }, { unidentifiedInitiator: "human" }, { kind: "unidentified" }],
    // Markers never change an agent's id.
    ["agent by env + CLAUDECODE", { initiatorEnv: "agent:ci-bot", markers: claude }, { detectedAgents: { claude: "other" } }, { kind: "agent", id: "ci-bot", source: "env" }],
    ["agent by stack + GEMINI_CLI", { stackAgent: "deploy-bot", markers: { GEMINI_CLI: "1" } }, {}, { kind: "agent", id: "deploy-bot", source: "stack-config" }],
];

describe("initiator × markers × config", () => {
    it.each(matrix)("%s", (_name, env, cfg, want) => {
        const stackConfig: Record<string, string> = env.stackAgent ? { "agentguard:agent": env.stackAgent } : {};
        const got = resolveInitiator(run({ initiatorEnv: env.initiatorEnv, stackConfig, agentMarkers: env.markers }), config(cfg));
        expect(got).toMatchObject(want);
        if (env.markers) {
            expect(got.markers).toEqual(Object.keys(env.markers));
        }
    });

    it("gives a detected agent no more than the defaults, even when detectedAgents maps it to a generous agent", () => {
        const cfg = config({
            detectedAgents: { claude: "deploy-bot" },
            agents: { "deploy-bot": { monthlyBudgetUsd: 5000, providers: ["aws", "gcp"] }, "claude-local": { monthlyBudgetUsd: 9000 } },
        });
        const a = resolveInitiator(run({ initiatorEnv: "human:carol", stackConfig: {}, agentMarkers: claude }), cfg);
        expect(a).toMatchObject({ kind: "agent", id: "deploy-bot" });
        const profile = agentProfile(cfg, a.id, a.source === "env");
        expect(profile.budgetUsd).toBe(100);
        expect(profile.providers).toEqual(["aws"]);
    });

    it("denies a human's run on a production stack as the detected agent's, and lets it through without markers", async () => {
        const prod = { ...STACK, stack: "prod" };
        const withMarkers = await decide([custom("aws:s3/bucket:Bucket")], { run: run({ stack: prod, initiatorEnv: "human:carol", stackConfig: {}, agentMarkers: claude }) });
        expect(withMarkers.decision).toBe("deny");
        expect(withMarkers.initiator).toMatchObject({ kind: "agent", id: "claude-local" });
        expect(withMarkers.gates.map((g) => g.need.gate)).toContain("environment");
        const without = await decide([custom("aws:s3/bucket:Bucket")], { run: run({ stack: prod, initiatorEnv: "human:carol", stackConfig: {} }) });
        expect(without.decision).toBe("allow");
    });

    it("logs the markers' names, never their values", async () => {
        const r = run({ initiatorEnv: "human:carol", stackConfig: {}, agentMarkers: { COPILOT_GITHUB_TOKEN: "ghp_SECRETVALUE", AI_AGENT: "copilot" } });
        const d = await decide([custom("aws:s3/bucket:Bucket")], { run: r });
        const line = JSON.stringify(logEntry(d, r.stack, true, new Date(0)));
        expect(line).toContain('"COPILOT_GITHUB_TOKEN"');
        expect(line).toContain('"AI_AGENT"');
        expect(line).not.toContain("ghp_SECRETVALUE");
        expect(JSON.parse(line).initiator).toMatchObject({ kind: "agent", id: "copilot-local", source: "agent-markers", markers: ["AI_AGENT", "COPILOT_GITHUB_TOKEN"] });
    });
});
