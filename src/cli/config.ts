/**
 * `agentguard config --registry <file> [--approvers <file>] [--base <file>] [--out <file>]`:
 * generates the pack's gate config (`agents` budgets, providers and owners) from the same agent registry
 * `stacks/agents` creates identities from, so there is one source of truth. Thin: the registry
 * parser and the gate's own config validation do the work.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";
import { GateConfigError, normalizeGateConfig } from "../gate/config";
import { RegistryError, gateAgents, readRegistryFile } from "../identity/registry";
import { GATE_POLICY_NAME } from "../pack/policy";
import { Io, UsageError, unreadable } from "./io";
import { CommandSpec, flag, parseCommand, str } from "./options";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function readText(file: string, what: string): string {
    try {
        return readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError(`${what} "${file}" ${unreadable(e)}`);
    }
}

/**
 * Reads approver entries: a JSON or YAML list, an object with an `approvers` list, or one JSON
 * entry per line (what `agentguard keygen` prints).
 */
export function readApprovers(file: string): unknown[] {
    const text = readText(file, "--approvers file");
    let parsed: unknown;
    try {
        parsed = parse(text);
    } catch {
        try {
            parsed = text
                .split("\n")
                .filter((l) => l.trim() !== "")
                .map((l) => JSON.parse(l) as unknown);
        } catch {
            throw new UsageError(`--approvers file "${file}" is neither JSON, YAML nor one JSON entry per line`);
        }
    }
    if (isObject(parsed) && Array.isArray(parsed.approvers)) {
        return parsed.approvers;
    }
    if (isObject(parsed) && typeof parsed.id === "string") {
        return [parsed];
    }
    if (!Array.isArray(parsed)) {
        throw new UsageError(`--approvers file "${file}" must hold a list of approver entries ({id, kid, publicKeyJwk})`);
    }
    return parsed;
}

/** Builds the policy pack config: `base` with the gate's `agents` (and `approvers`, when given) replaced. */
export function buildPolicyConfig(agents: Json, approvers: unknown[] | undefined, base: Json | undefined): Json {
    const out: Json = { ...(base ?? {}) };
    const gateRaw = out[GATE_POLICY_NAME];
    const gate: Json = isObject(gateRaw) ? { ...gateRaw } : {};
    gate.agents = agents;
    if (approvers !== undefined) {
        gate.approvers = approvers;
    }
    out[GATE_POLICY_NAME] = gate;
    return out;
}

/** `agentguard config` */
export const CONFIG: CommandSpec = {
    name: "config",
    summary: "Generates the policy pack config's agent budgets and providers from the agent registry (one source of truth).",
    options: {
        registry: { type: "string", value: "agents.yaml", help: "the agent registry, e.g. stacks/agents/agents.yaml; required" },
        approvers: { type: "string", value: "file", help: "approver entries: a JSON or YAML list, or what keygen printed, one per line" },
        base: { type: "string", value: "policy-config.json", help: "an existing policy pack config to start from (its other settings are kept)" },
        out: { type: "string", value: "file", help: "write the config here instead of standard output; an existing file is kept unless --force" },
        force: { type: "flag", help: "let --out replace an existing file" },
    },
};

/** `agentguard config --registry <file> [--approvers <file>] [--base <file>] [--out <file> [--force]]` */
export async function configCommand(argv: string[], io: Io): Promise<number> {
    const p = parseCommand(CONFIG, argv, io);
    if (!p) {
        return 0;
    }
    const values = { registry: str(p, "registry"), approvers: str(p, "approvers"), base: str(p, "base"), out: str(p, "out") };
    if (!values.registry) {
        throw new UsageError("--registry is required (the agent registry YAML, e.g. stacks/agents/agents.yaml)");
    }
    if (values.out && existsSync(values.out) && !flag(p, "force")) {
        throw new UsageError(`"${values.out}" already exists; pass --force to replace it, or choose another --out`);
    }
    if (flag(p, "force") && !values.out) {
        throw new UsageError("--force is for --out");
    }
    let agents: Json;
    try {
        const registry = readRegistryFile(values.registry);
        agents = gateAgents(registry) as unknown as Json;
        // The registry's owner runs the agent: never one of its approvers (docs/contract.md §2).
        for (const a of registry.agents) {
            agents[a.id] = { ...(agents[a.id] as Json), owners: [a.owner] };
        }
    } catch (e) {
        if (e instanceof RegistryError) {
            io.stderr(`agentguard config: ${e.message}\n`);
            return 1;
        }
        throw e;
    }
    let base: Json | undefined;
    if (values.base) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(readText(values.base, "--base file"));
        } catch (e) {
            if (e instanceof UsageError) {
                throw e;
            }
            throw new UsageError(`--base file "${values.base}" is not JSON`);
        }
        if (!isObject(parsed)) {
            throw new UsageError(`--base file "${values.base}" must hold a JSON object (policy pack config keyed by policy name)`);
        }
        base = parsed;
    }
    const approvers = values.approvers ? readApprovers(values.approvers) : undefined;
    const config = buildPolicyConfig(agents, approvers, base);
    try {
        normalizeGateConfig(config[GATE_POLICY_NAME]);
    } catch (e) {
        if (e instanceof GateConfigError) {
            io.stderr(`agentguard config: the generated "${GATE_POLICY_NAME}" config is invalid: ${e.message}\n`);
            return 1;
        }
        throw e;
    }
    const gate = config[GATE_POLICY_NAME] as Json;
    if (!Array.isArray(gate.approvers) || gate.approvers.length === 0) {
        io.stderr(
            `agentguard config: warning: the config names no approvers, so every agent change that needs approval will be denied; add them with --approvers (from "agentguard keygen")\n`,
        );
    }
    const text = JSON.stringify(config, null, 2) + "\n";
    if (values.out) {
        writeFileSync(values.out, text);
        io.stderr(`policy pack config for ${Object.keys(agents).length} agent(s) written to ${values.out}; pass it with --policy-pack-config\n`);
    } else {
        io.stdout(text);
    }
    return 0;
}
