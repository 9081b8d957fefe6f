/**
 * The gate's configuration: policy pack config under the key `agent-change-gate`. Trust anchors
 * (approver keys, budgets) come only from here, never from stack config, which the agent controls.
 *
 * Declared twice and kept in step: the {@link GateConfig} interface and the JSON {@link gateConfigSchema}
 * the engine validates against. {@link normalizeGateConfig} applies the defaults and rejects anything
 * malformed, so the core never sees a half-valid config.
 */

/** An Ed25519 public key as a JWK. */
export interface Ed25519PublicJwk {
    readonly kty: "OKP";
    readonly crv: "Ed25519";
    readonly x: string;
}

/** A named human who may sign approvals. */
export interface ApproverConfig {
    readonly id: string;
    readonly publicKeyJwk: Ed25519PublicJwk;
    /** Key id used in token headers; defaults to `id`. */
    readonly kid?: string;
}

/** Per-agent limits. */
export interface AgentConfig {
    readonly monthlyBudgetUsd?: number;
    /** Provider packages this agent may use without approval; replaces `allowedProviders` when set. */
    readonly providers?: readonly string[];
}

/** What to do when a run names no initiator. */
export type UnidentifiedInitiatorMode = "reject" | "human";

/** Configuration of the `agent-change-gate` policy (contract §2). */
export interface GateConfig {
    readonly approvers: readonly ApproverConfig[];
    readonly agents: Readonly<Record<string, AgentConfig>>;
    readonly defaultMonthlyBudgetUsd: number;
    readonly allowedProviders: readonly string[];
    readonly productionStacks: readonly string[];
    readonly stagingStacks: readonly string[];
    readonly productionAwsAccountIds: readonly string[];
    readonly productionCloudflareAccountIds: readonly string[];
    readonly productionCloudflareZoneIds: readonly string[];
    readonly maxResources: number;
    readonly maxApprovalTtlSeconds: number;
    readonly clockSkewSeconds: number;
    readonly unidentifiedInitiator: UnidentifiedInitiatorMode;
}

/** The defaults of contract §2. */
export const DEFAULT_GATE_CONFIG: GateConfig = Object.freeze({
    approvers: [],
    agents: {},
    defaultMonthlyBudgetUsd: 100,
    allowedProviders: ["aws", "cloudflare", "random"],
    productionStacks: ["prod", "production", "prd", "live", "*-prod", "prod-*", "*-production", "production-*"],
    stagingStacks: ["staging", "stage", "stg", "*-staging", "staging-*", "*-stage", "stage-*"],
    productionAwsAccountIds: [],
    productionCloudflareAccountIds: [],
    productionCloudflareZoneIds: [],
    maxResources: 200,
    maxApprovalTtlSeconds: 86400,
    clockSkewSeconds: 60,
    unidentifiedInitiator: "reject",
});

const stringList = (def: readonly string[], description: string) => ({
    type: "array",
    items: { type: "string" },
    default: [...def],
    description,
});

/** JSON schema of {@link GateConfig}, with the contract's defaults; the engine validates pack config against it. */
export const gateConfigSchema = {
    properties: {
        approvers: {
            type: "array",
            description: "Humans who may sign approvals, with their Ed25519 public keys (from `agentguard keygen`).",
            default: [],
            items: {
                type: "object",
                required: ["id", "publicKeyJwk"],
                additionalProperties: false,
                properties: {
                    id: { type: "string", minLength: 1 },
                    kid: { type: "string", minLength: 1 },
                    publicKeyJwk: {
                        type: "object",
                        required: ["kty", "crv", "x"],
                        properties: {
                            kty: { type: "string", enum: ["OKP"] },
                            crv: { type: "string", enum: ["Ed25519"] },
                            x: { type: "string", minLength: 43, maxLength: 43 },
                        },
                    },
                },
            },
        },
        agents: {
            type: "object",
            description: "Per-agent budgets and provider allowlists, keyed by agent id.",
            default: {},
            additionalProperties: {
                type: "object",
                additionalProperties: false,
                properties: {
                    monthlyBudgetUsd: { type: "number", minimum: 0 },
                    providers: { type: "array", items: { type: "string" } },
                },
            },
        },
        defaultMonthlyBudgetUsd: {
            type: "number",
            minimum: 0,
            default: DEFAULT_GATE_CONFIG.defaultMonthlyBudgetUsd,
            description: "Monthly budget in USD of an agent with no budget of its own.",
        },
        allowedProviders: stringList(DEFAULT_GATE_CONFIG.allowedProviders, "Provider packages agents may use without approval."),
        productionStacks: stringList(DEFAULT_GATE_CONFIG.productionStacks, "Stack name globs (case-insensitive) that are production."),
        stagingStacks: stringList(DEFAULT_GATE_CONFIG.stagingStacks, "Stack name globs (case-insensitive) that are staging."),
        productionAwsAccountIds: stringList([], "AWS account ids that are production."),
        productionCloudflareAccountIds: stringList([], "Cloudflare account ids that are production."),
        productionCloudflareZoneIds: stringList([], "Cloudflare zone ids that are production."),
        maxResources: {
            type: "integer",
            minimum: 0,
            default: DEFAULT_GATE_CONFIG.maxResources,
            description: "Custom resources a stack may hold before an agent needs approval.",
        },
        maxApprovalTtlSeconds: {
            type: "integer",
            minimum: 1,
            default: DEFAULT_GATE_CONFIG.maxApprovalTtlSeconds,
            description: "Longest lifetime (exp − iat) an approval may have.",
        },
        clockSkewSeconds: {
            type: "integer",
            minimum: 0,
            maximum: 3600,
            default: DEFAULT_GATE_CONFIG.clockSkewSeconds,
            description: "Clock skew tolerated when checking iat, nbf and exp.",
        },
        unidentifiedInitiator: {
            type: "string",
            enum: ["reject", "human"],
            default: DEFAULT_GATE_CONFIG.unidentifiedInitiator,
            description: "What a run that names no initiator is treated as.",
        },
    },
};

/** Thrown when the gate config is malformed; the glue turns it into a denial. */
export class GateConfigError extends Error {
    override readonly name = "GateConfigError";
}

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function strings(raw: Raw, key: keyof GateConfig, def: readonly string[]): readonly string[] {
    const v = raw[key];
    if (v === undefined) {
        return def;
    }
    if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) {
        throw new GateConfigError(`"${key}" must be a list of strings`);
    }
    return v;
}

function num(raw: Raw, key: keyof GateConfig, def: number, opts: { integer?: boolean; min: number }): number {
    const v = raw[key];
    if (v === undefined) {
        return def;
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < opts.min || (opts.integer && !Number.isInteger(v))) {
        throw new GateConfigError(`"${key}" must be ${opts.integer ? "an integer" : "a number"} ≥ ${opts.min}`);
    }
    return v;
}

function approver(v: unknown, i: number): ApproverConfig {
    if (!isObject(v) || typeof v.id !== "string" || v.id === "") {
        throw new GateConfigError(`"approvers[${i}]" needs a non-empty "id"`);
    }
    const jwk = v.publicKeyJwk;
    if (!isObject(jwk) || jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(jwk.x)) {
        throw new GateConfigError(`"approvers[${i}].publicKeyJwk" of "${v.id}" must be an Ed25519 public JWK {kty:"OKP",crv:"Ed25519",x}`);
    }
    if (v.kid !== undefined && (typeof v.kid !== "string" || v.kid === "")) {
        throw new GateConfigError(`"approvers[${i}].kid" of "${v.id}" must be a non-empty string`);
    }
    return { id: v.id, kid: v.kid ?? v.id, publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: jwk.x } };
}

function agents(v: unknown): Record<string, AgentConfig> {
    if (v === undefined) {
        return {};
    }
    if (!isObject(v)) {
        throw new GateConfigError(`"agents" must be an object keyed by agent id`);
    }
    const out: Record<string, AgentConfig> = Object.create(null);
    for (const [id, a] of Object.entries(v)) {
        if (!isObject(a)) {
            throw new GateConfigError(`"agents.${id}" must be an object`);
        }
        const budget = a.monthlyBudgetUsd;
        if (budget !== undefined && (typeof budget !== "number" || !Number.isFinite(budget) || budget < 0)) {
            throw new GateConfigError(`"agents.${id}.monthlyBudgetUsd" must be a number ≥ 0`);
        }
        const providers = a.providers;
        if (providers !== undefined && (!Array.isArray(providers) || !providers.every((p) => typeof p === "string"))) {
            throw new GateConfigError(`"agents.${id}.providers" must be a list of strings`);
        }
        out[id] = { monthlyBudgetUsd: budget as number | undefined, providers: providers as string[] | undefined };
    }
    return out;
}

/**
 * Applies defaults to raw policy config and checks every field. Throws {@link GateConfigError}
 * naming the field when something is malformed.
 */
export function normalizeGateConfig(raw: unknown): GateConfig {
    if (raw === undefined || raw === null) {
        raw = {};
    }
    if (!isObject(raw)) {
        throw new GateConfigError("the config of agent-change-gate must be an object");
    }
    const approversRaw = raw.approvers ?? [];
    if (!Array.isArray(approversRaw)) {
        throw new GateConfigError(`"approvers" must be a list`);
    }
    const approvers = approversRaw.map(approver);
    const kids = new Set<string>();
    const keys = new Map<string, string>();
    for (const a of approvers) {
        if (kids.has(a.kid!)) {
            throw new GateConfigError(`two approvers share the key id "${a.kid}"`);
        }
        kids.add(a.kid!);
        // One key under two ids would let one person count as two approvers.
        const owner = keys.get(a.publicKeyJwk.x);
        if (owner !== undefined && owner !== a.id) {
            throw new GateConfigError(`approvers "${owner}" and "${a.id}" share one public key; each person needs their own key`);
        }
        keys.set(a.publicKeyJwk.x, a.id);
    }
    const mode = raw.unidentifiedInitiator ?? DEFAULT_GATE_CONFIG.unidentifiedInitiator;
    if (mode !== "reject" && mode !== "human") {
        throw new GateConfigError(`"unidentifiedInitiator" must be "reject" or "human"`);
    }
    const d = DEFAULT_GATE_CONFIG;
    return {
        approvers,
        agents: agents(raw.agents),
        defaultMonthlyBudgetUsd: num(raw, "defaultMonthlyBudgetUsd", d.defaultMonthlyBudgetUsd, { min: 0 }),
        allowedProviders: strings(raw, "allowedProviders", d.allowedProviders),
        productionStacks: strings(raw, "productionStacks", d.productionStacks),
        stagingStacks: strings(raw, "stagingStacks", d.stagingStacks),
        productionAwsAccountIds: strings(raw, "productionAwsAccountIds", d.productionAwsAccountIds),
        productionCloudflareAccountIds: strings(raw, "productionCloudflareAccountIds", d.productionCloudflareAccountIds),
        productionCloudflareZoneIds: strings(raw, "productionCloudflareZoneIds", d.productionCloudflareZoneIds),
        maxResources: num(raw, "maxResources", d.maxResources, { integer: true, min: 0 }),
        maxApprovalTtlSeconds: num(raw, "maxApprovalTtlSeconds", d.maxApprovalTtlSeconds, { integer: true, min: 1 }),
        clockSkewSeconds: num(raw, "clockSkewSeconds", d.clockSkewSeconds, { integer: true, min: 0 }),
        unidentifiedInitiator: mode,
    };
}

/** The limits that apply to one agent's run. */
export interface AgentProfile {
    readonly budgetUsd: number;
    /** Provider packages it may use without approval. */
    readonly providers: readonly string[];
    /** Where `providers` came from, for denials. */
    readonly providersSource: string;
}

/**
 * The limits of agent `agentId`. `trusted` says whether CI named the agent (env
 * `AGENTGUARD_INITIATOR`); an agent named only by its own stack config could claim another
 * agent's more generous entry, so it gets no more than the defaults: the lower budget and only
 * providers on both lists.
 */
export function agentProfile(config: GateConfig, agentId: string, trusted: boolean): AgentProfile {
    const entry = Object.prototype.hasOwnProperty.call(config.agents, agentId) ? config.agents[agentId] : undefined;
    const own = entry?.providers;
    if (trusted) {
        return {
            budgetUsd: entry?.monthlyBudgetUsd ?? config.defaultMonthlyBudgetUsd,
            providers: own ?? config.allowedProviders,
            providersSource: own ? `agents["${agentId}"].providers` : "allowedProviders",
        };
    }
    return {
        budgetUsd: Math.min(entry?.monthlyBudgetUsd ?? config.defaultMonthlyBudgetUsd, config.defaultMonthlyBudgetUsd),
        providers: own ? own.filter((p) => config.allowedProviders.includes(p)) : config.allowedProviders,
        providersSource: own ? `agents["${agentId}"].providers ∩ allowedProviders (the agent is named by stack config, not CI)` : "allowedProviders",
    };
}
