/**
 * Who is running the preview (docs/contract.md §3).
 */
import { GateConfig } from "./config";
import { RunFacts } from "../facts/facts";

/**
 * Where the initiator was learned from; `agent-markers`: a coding agent's environment markers
 * (§3.4); `env-untrusted`: `AGENTGUARD_INITIATOR` where `trustInitiatorEnv` is false (the agent
 * owns the environment), which names an agent with no more than the defaults.
 */
export type InitiatorSource = "env" | "env-untrusted" | "stack-config" | "default" | "agent-markers";

/**
 * The initiator of a run. `unidentified` runs are rejected when the config says so. `markers`
 * names the coding-agent environment variables present in the run (names only, never values).
 */
export type Initiator =
    | { readonly kind: "agent"; readonly id: string; readonly source: InitiatorSource; readonly markers?: readonly string[] }
    | { readonly kind: "human"; readonly id: string; readonly source: InitiatorSource; readonly markers?: readonly string[] }
    | { readonly kind: "unidentified"; readonly id: ""; readonly source: "default"; readonly reason: string; readonly markers?: readonly string[] };

/** The stack config key that names the agent. */
export const AGENT_CONFIG_KEY = "agentguard:agent";
/** The environment variable CI sets from trusted context. */
export const INITIATOR_ENV = "AGENTGUARD_INITIATOR";

const ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/**
 * The environment variables of the Pulumi CLI's own coding-agent detection, v3.274.1
 * (`sdk/go/common/util/agentdetect`: `DetectionEnvVars()`), in its order, with the agent name
 * its `Detect` gives each (`AI_AGENT` carries the name as its value). Copied, not imported: the
 * CLI does not hand its detection to policy packs.
 */
export const AGENT_MARKERS: readonly (readonly [variable: string, agent: string])[] = [
    ["AI_AGENT", ""],
    ["CURSOR_TRACE_ID", "cursor"],
    ["CURSOR_AGENT", "cursor-cli"],
    ["GEMINI_CLI", "gemini"],
    ["CODEX_SANDBOX", "codex"],
    ["CODEX_CI", "codex"],
    ["CODEX_THREAD_ID", "codex"],
    ["ANTIGRAVITY_AGENT", "antigravity"],
    ["AUGMENT_AGENT", "augment-cli"],
    ["OPENCODE", "opencode"],
    ["OPENCODE_CALLER", "opencode"],
    ["OPENCODE_CLIENT", "opencode"],
    ["CLAUDE_CODE_IS_COWORK", "cowork"],
    ["CLAUDECODE", "claude"],
    ["CLAUDE_CODE", "claude"],
    ["REPL_ID", "replit"],
    ["COPILOT_MODEL", "github-copilot"],
    ["COPILOT_ALLOW_ALL", "github-copilot"],
    ["COPILOT_GITHUB_TOKEN", "github-copilot"],
    ["GOOSE_PROVIDER", "goose"],
];

/** The marker variable names, for an environment allowlist (a launcher must keep them). */
export const AGENT_MARKER_VARIABLES: readonly string[] = AGENT_MARKERS.map(([v]) => v);

/** A coding agent detected from the run's environment. */
export interface DetectedCodingAgent {
    /** The agent name, as the Pulumi CLI's `Detect` gives it (`claude`, `cursor`, …); `unknown` for an `AI_AGENT` value that is no valid id. */
    readonly name: string;
    /** The marker variables present, in {@link AGENT_MARKERS} order. */
    readonly markers: readonly string[];
}

/**
 * Picks the marker variables out of an environment: only those set to a non-empty value. The
 * result is what {@link RunFacts.agentMarkers} holds.
 */
export function agentMarkersFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [v] of AGENT_MARKERS) {
        const value = env[v];
        if (typeof value === "string" && value !== "") {
            out[v] = value;
        }
    }
    return out;
}

/** Detects a coding agent the way the Pulumi CLI does: `AI_AGENT`'s value first, then the first marker present. */
export function detectCodingAgent(markers: Readonly<Record<string, string>> | undefined): DetectedCodingAgent | undefined {
    if (!markers) {
        return undefined;
    }
    const present = AGENT_MARKERS.filter(([v]) => Object.prototype.hasOwnProperty.call(markers, v) && markers[v] !== "").map(([v]) => v);
    if (present.length === 0) {
        return undefined;
    }
    const declared = (markers.AI_AGENT ?? "").trim().toLowerCase();
    if (declared !== "") {
        const name = declared === "github-copilot-cli" ? "github-copilot" : declared;
        // `<name>-local` must itself be a valid id; anything else (spaces, control characters, too long) is "unknown".
        return { name: ID.test(`${name}-local`) ? name : "unknown", markers: present };
    }
    const first = AGENT_MARKERS.find(([v]) => v !== "AI_AGENT" && present.includes(v));
    // Whitespace-only AI_AGENT and nothing else: present but nameless.
    return { name: first ? first[1] : "unknown", markers: present };
}

/**
 * Resolves the initiator (docs/contract.md §3): env wins, then stack config, then `unidentifiedInitiator`;
 * then (§3.4) coding-agent markers make a run that would be human an agent run — stricter only.
 */
export function resolveInitiator(run: RunFacts, config: GateConfig): Initiator {
    const base = resolveDeclared(run, config);
    const detected = detectCodingAgent(run.agentMarkers);
    if (!detected) {
        return base;
    }
    const markers = detected.markers;
    if (base.kind !== "human") {
        // Markers never change an agent's id and never turn a rejected run into an allowed one.
        return { ...base, markers };
    }
    if (config.trustHumanWithAgentMarkers && base.source === "env") {
        return { ...base, markers };
    }
    // The agent named by stack config if any (AGENTGUARD_INITIATOR named a human here), else the
    // configured one for the detected name, else `<name>-local`; never trusted (defaults at most).
    const named = run.stackConfig[AGENT_CONFIG_KEY]?.trim();
    if (named !== undefined && ID.test(named)) {
        return { kind: "agent", id: named, source: "stack-config", markers };
    }
    const own = (key: string) => (Object.prototype.hasOwnProperty.call(config.detectedAgents, key) ? config.detectedAgents[key] : undefined);
    const configured = own(detected.name) ?? markers.map(own).find((id) => id !== undefined);
    const id = configured !== undefined && ID.test(configured) ? configured : `${detected.name}-local`;
    return { kind: "agent", id, source: "agent-markers", markers };
}

/**
 * Resolves the initiator the run declares: env wins, then stack config, then `unidentifiedInitiator`. A malformed
 * env value is unidentified and always rejected (the contract's nearest safe reading: it never
 * falls through to `unidentifiedInitiator: "human"`).
 */
function resolveDeclared(run: RunFacts, config: GateConfig): Initiator {
    let reason: string;
    if (run.initiatorEnv !== undefined && run.initiatorEnv !== "") {
        const m = /^(agent|human):(.+)$/.exec(run.initiatorEnv.trim());
        if (m && ID.test(m[2])) {
            if (config.trustInitiatorEnv) {
                return { kind: m[1] as "agent" | "human", id: m[2], source: "env" };
            }
            if (m[1] === "agent") {
                return { kind: "agent", id: m[2], source: "env-untrusted" };
            }
            // Where the agent owns the environment, anyone can claim to be a human: never trusted.
            return {
                kind: "unidentified",
                id: "",
                source: "default",
                reason: `${INITIATOR_ENV} names a human, but trustInitiatorEnv is false (the environment is not trusted to say who is human)`,
            };
        }
        // Malformed is not absent: whoever set it meant something, so it is rejected even where
        // unidentified runs are treated as human.
        return { kind: "unidentified", id: "", source: "default", reason: `${INITIATOR_ENV} is malformed (expected "agent:<id>" or "human:<id>")` };
    } else {
        const fromConfig = run.stackConfig[AGENT_CONFIG_KEY];
        if (fromConfig !== undefined) {
            const id = fromConfig.trim();
            if (ID.test(id)) {
                return { kind: "agent", id, source: "stack-config" };
            }
            reason = `stack config "${AGENT_CONFIG_KEY}" is not a valid agent id`;
        } else {
            reason = `neither ${INITIATOR_ENV} nor stack config "${AGENT_CONFIG_KEY}" names who is running`;
        }
    }
    if (config.unidentifiedInitiator === "human") {
        return { kind: "human", id: "unidentified", source: "default" };
    }
    return { kind: "unidentified", id: "", source: "default", reason };
}
