/**
 * Who is running the preview (contract §3).
 */
import { GateConfig } from "./config";
import { RunFacts } from "./facts";

/** Where the initiator was learned from. */
export type InitiatorSource = "env" | "stack-config" | "default";

/** The initiator of a run. `unidentified` runs are rejected when the config says so. */
export type Initiator =
    | { readonly kind: "agent"; readonly id: string; readonly source: InitiatorSource }
    | { readonly kind: "human"; readonly id: string; readonly source: InitiatorSource }
    | { readonly kind: "unidentified"; readonly id: ""; readonly source: "default"; readonly reason: string };

/** The stack config key that names the agent. */
export const AGENT_CONFIG_KEY = "agentguard:agent";
/** The environment variable CI sets from trusted context. */
export const INITIATOR_ENV = "AGENTGUARD_INITIATOR";

const ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/**
 * Resolves the initiator: env wins, then stack config, then `unidentifiedInitiator`. A malformed
 * env value is unidentified and always rejected (the contract's nearest safe reading: it never
 * falls through to `unidentifiedInitiator: "human"`).
 */
export function resolveInitiator(run: RunFacts, config: GateConfig): Initiator {
    let reason: string;
    if (run.initiatorEnv !== undefined && run.initiatorEnv !== "") {
        const m = /^(agent|human):(.+)$/.exec(run.initiatorEnv.trim());
        if (m && ID.test(m[2])) {
            return { kind: m[1] as "agent" | "human", id: m[2], source: "env" };
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
