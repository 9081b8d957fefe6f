/**
 * The gate's configuration: policy pack config under the key `agent-change-gate`. Trust anchors
 * (approver keys, budgets) come only from here, never from stack config, which the agent controls.
 *
 * Declared twice and kept in step: the {@link GateConfig} interface and the JSON {@link gateConfigSchema}
 * the engine validates against. {@link normalizeGateConfig} applies the defaults and rejects anything
 * malformed, so the core never sees a half-valid config.
 */
import { GATE_IDS } from "./items";

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
    /** The gates this approver may approve; absent means every gate. */
    readonly gates?: readonly string[];
}

/** Tokens that count for nothing: by `jti`, and an approver's tokens issued before a time. */
export interface RevokedConfig {
    readonly jtis: readonly string[];
    /** Approver id → ISO time; their tokens with `iat` before it are revoked. */
    readonly approvers: Readonly<Record<string, string>>;
}

/** Per-agent limits. */
export interface AgentConfig {
    readonly monthlyBudgetUsd?: number;
    /** Provider packages this agent may use without approval; replaces `allowedProviders` when set. */
    readonly providers?: readonly string[];
    /** Per-provider monthly caps in USD, keyed by provider package. */
    readonly providerBudgetsUsd?: Readonly<Record<string, number>>;
    /** People who run or own the agent; never counted as its approvers. */
    readonly owners?: readonly string[];
}

/** The environment of a stack whose name matches none of the three lists. */
export type UnlistedStackEnvironment = "development" | "staging" | "production";

/** What to do when a run names no initiator. */
export type UnidentifiedInitiatorMode = "reject" | "human";

/** Configuration of the `agent-change-gate` policy (contract §2). */
export interface GateConfig {
    readonly approvers: readonly ApproverConfig[];
    readonly revoked: RevokedConfig;
    readonly agents: Readonly<Record<string, AgentConfig>>;
    /** Per-provider cap for agents without `providerBudgetsUsd`; undefined = off. */
    readonly defaultProviderMonthlyBudgetUsd?: number;
    /** Coding-agent marker name → agent id. */
    readonly detectedAgents: Readonly<Record<string, string>>;
    readonly trustHumanWithAgentMarkers: boolean;
    /** False where the agent owns the environment: `AGENTGUARD_INITIATOR` may then name an agent, never a human. */
    readonly trustInitiatorEnv: boolean;
    readonly defaultMonthlyBudgetUsd: number;
    readonly allowedProviders: readonly string[];
    readonly productionStacks: readonly string[];
    readonly stagingStacks: readonly string[];
    readonly developmentStacks: readonly string[];
    readonly unlistedStacks: UnlistedStackEnvironment;
    readonly productionAwsAccountIds: readonly string[];
    readonly productionCloudflareAccountIds: readonly string[];
    readonly productionCloudflareZoneIds: readonly string[];
    readonly productionAwsHostedZoneIds: readonly string[];
    readonly maxResources: number;
    readonly maxApprovalTtlSeconds: number;
    readonly clockSkewSeconds: number;
    readonly unidentifiedInitiator: UnidentifiedInitiatorMode;
}

/** The defaults of contract §2. */
export const DEFAULT_GATE_CONFIG: GateConfig = Object.freeze({
    approvers: [],
    revoked: { jtis: [], approvers: {} },
    agents: {},
    detectedAgents: {},
    trustHumanWithAgentMarkers: false,
    trustInitiatorEnv: true,
    defaultMonthlyBudgetUsd: 100,
    allowedProviders: ["aws", "cloudflare", "random"],
    productionStacks: ["prod", "production", "prd", "live", "*-prod", "prod-*", "*-production", "production-*"],
    stagingStacks: ["staging", "stage", "stg", "*-staging", "staging-*", "*-stage", "stage-*"],
    developmentStacks: ["dev", "development", "sandbox", "test", "*-dev", "dev-*", "*-sandbox", "sandbox-*", "*-test", "test-*"],
    unlistedStacks: "staging",
    productionAwsAccountIds: [],
    productionCloudflareAccountIds: [],
    productionCloudflareZoneIds: [],
    productionAwsHostedZoneIds: [],
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
                    gates: {
                        type: "array",
                        items: { type: "string", enum: [...GATE_IDS] },
                        description: "The gates this approver may approve (default: all).",
                    },
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
        revoked: {
            type: "object",
            description: "Tokens that count for nothing: `jtis` by token id, `approvers` maps an approver id to an ISO time before which their tokens are revoked.",
            default: { jtis: [], approvers: {} },
            additionalProperties: false,
            properties: {
                jtis: { type: "array", items: { type: "string", minLength: 1 } },
                approvers: { type: "object", additionalProperties: { type: "string", format: "date-time" } },
            },
        },
        agents: {
            type: "object",
            description: "Per-agent budgets, provider allowlists, per-provider caps and owners, keyed by agent id.",
            default: {},
            additionalProperties: {
                type: "object",
                additionalProperties: false,
                properties: {
                    monthlyBudgetUsd: { type: "number", minimum: 0 },
                    providers: { type: "array", items: { type: "string" } },
                    providerBudgetsUsd: { type: "object", additionalProperties: { type: "number", minimum: 0 } },
                    owners: { type: "array", items: { type: "string", minLength: 1 } },
                },
            },
        },
        defaultProviderMonthlyBudgetUsd: {
            type: "number",
            minimum: 0,
            description: "Monthly cap in USD per provider package for agents without providerBudgetsUsd (unset: off).",
        },
        detectedAgents: {
            type: "object",
            default: {},
            additionalProperties: { type: "string", minLength: 1 },
            description: "Which agent a coding agent's environment marker means (marker name → agent id); default `<name>-local`.",
        },
        trustHumanWithAgentMarkers: {
            type: "boolean",
            default: DEFAULT_GATE_CONFIG.trustHumanWithAgentMarkers,
            description: "Let AGENTGUARD_INITIATOR=human:… stay human when coding-agent markers are in the environment.",
        },
        trustInitiatorEnv: {
            type: "boolean",
            default: DEFAULT_GATE_CONFIG.trustInitiatorEnv,
            description: "False where the agent owns the environment (packs required server-side, a laptop): AGENTGUARD_INITIATOR may then name an agent but never a human.",
        },
        defaultMonthlyBudgetUsd: {
            type: "number",
            minimum: 0,
            default: DEFAULT_GATE_CONFIG.defaultMonthlyBudgetUsd,
            description: "Monthly budget in USD of an agent with no budget of its own.",
        },
        allowedProviders: stringList(DEFAULT_GATE_CONFIG.allowedProviders, "Provider packages agents may use without approval. A provider with its own download URL or parameterization is `<package>@<url>` / `<package>[<parameterization>]` and is allowed only by that exact string."),
        productionStacks: stringList(DEFAULT_GATE_CONFIG.productionStacks, "Stack name globs (case-insensitive) that are production. Whatever the globs, a name token (split on `-`, `_`, `.`, digits) `prod`, `production`, `prd` or `live` is production, and `staging`, `stage` or `stg` staging."),
        stagingStacks: stringList(DEFAULT_GATE_CONFIG.stagingStacks, "Stack name globs (case-insensitive) that are staging."),
        developmentStacks: stringList(DEFAULT_GATE_CONFIG.developmentStacks, "Stack name globs (case-insensitive) that are development."),
        unlistedStacks: {
            type: "string",
            enum: ["development", "staging", "production"],
            default: DEFAULT_GATE_CONFIG.unlistedStacks,
            description: "Environment of a stack whose name matches none of the three lists.",
        },
        productionAwsAccountIds: stringList([], "AWS account ids that are production."),
        productionCloudflareAccountIds: stringList([], "Cloudflare account ids that are production."),
        productionCloudflareZoneIds: stringList([], "Cloudflare zone ids that are production."),
        productionAwsHostedZoneIds: stringList([], "Route 53 hosted zone ids whose records are production."),
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
    const gates = v.gates;
    if (gates !== undefined && (!Array.isArray(gates) || !gates.every((g) => (GATE_IDS as readonly unknown[]).includes(g)))) {
        throw new GateConfigError(`"approvers[${i}].gates" of "${v.id}" must be a list of gates (${GATE_IDS.join(", ")})`);
    }
    return { id: v.id, kid: v.kid ?? v.id, publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: jwk.x }, ...(gates ? { gates: gates as string[] } : {}) };
}

const AGENT_KEYS = ["monthlyBudgetUsd", "providers", "providerBudgetsUsd", "owners"];

function revoked(v: unknown): RevokedConfig {
    if (v === undefined) {
        return { jtis: [], approvers: {} };
    }
    if (!isObject(v) || Object.keys(v).some((k) => k !== "jtis" && k !== "approvers")) {
        throw new GateConfigError(`"revoked" must be an object with "jtis" and/or "approvers"`);
    }
    const jtis = v.jtis ?? [];
    if (!Array.isArray(jtis) || !jtis.every((j) => typeof j === "string" && j !== "")) {
        throw new GateConfigError(`"revoked.jtis" must be a list of token ids`);
    }
    const approvers = v.approvers ?? {};
    if (!isObject(approvers)) {
        throw new GateConfigError(`"revoked.approvers" must map approver ids to ISO times`);
    }
    for (const [id, t] of Object.entries(approvers)) {
        if (typeof t !== "string" || !/^\d{4}-\d\d-\d\dT/.test(t) || Number.isNaN(Date.parse(t))) {
            throw new GateConfigError(`"revoked.approvers.${id}" must be an ISO time such as 2026-12-01T00:00:00Z`);
        }
    }
    return { jtis: jtis as string[], approvers: { ...(approvers as Record<string, string>) } };
}

function stringMap(raw: Raw, key: keyof GateConfig): Record<string, string> {
    const v = raw[key] ?? {};
    if (!isObject(v) || !Object.values(v).every((s) => typeof s === "string" && s !== "")) {
        throw new GateConfigError(`"${key}" must map names to non-empty strings`);
    }
    return { ...(v as Record<string, string>) };
}

function bool(raw: Raw, key: keyof GateConfig, def: boolean): boolean {
    const v = raw[key] ?? def;
    if (typeof v !== "boolean") {
        throw new GateConfigError(`"${key}" must be true or false`);
    }
    return v;
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
        const caps = a.providerBudgetsUsd;
        if (caps !== undefined && (!isObject(caps) || !Object.values(caps).every((c) => typeof c === "number" && Number.isFinite(c) && c >= 0))) {
            throw new GateConfigError(`"agents.${id}.providerBudgetsUsd" must map provider packages to numbers ≥ 0`);
        }
        const owners = a.owners;
        if (owners !== undefined && (!Array.isArray(owners) || !owners.every((o) => typeof o === "string" && o !== ""))) {
            throw new GateConfigError(`"agents.${id}.owners" must be a list of non-empty strings`);
        }
        const unknown = Object.keys(a).filter((k) => !AGENT_KEYS.includes(k));
        if (unknown.length > 0) {
            throw new GateConfigError(`"agents.${id}" has unknown key "${unknown[0]}" (allowed: ${AGENT_KEYS.join(", ")})`);
        }
        out[id] = {
            monthlyBudgetUsd: budget as number | undefined,
            providers: providers as string[] | undefined,
            ...(caps ? { providerBudgetsUsd: { ...(caps as Record<string, number>) } } : {}),
            ...(owners ? { owners: owners as string[] } : {}),
        };
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
    const unlisted = raw.unlistedStacks ?? DEFAULT_GATE_CONFIG.unlistedStacks;
    if (unlisted !== "development" && unlisted !== "staging" && unlisted !== "production") {
        throw new GateConfigError(`"unlistedStacks" must be "development", "staging" or "production"`);
    }
    const d = DEFAULT_GATE_CONFIG;
    return {
        approvers,
        revoked: revoked(raw.revoked),
        agents: agents(raw.agents),
        ...(raw.defaultProviderMonthlyBudgetUsd !== undefined
            ? { defaultProviderMonthlyBudgetUsd: num(raw, "defaultProviderMonthlyBudgetUsd", 0, { min: 0 }) }
            : {}),
        detectedAgents: stringMap(raw, "detectedAgents"),
        trustHumanWithAgentMarkers: bool(raw, "trustHumanWithAgentMarkers", d.trustHumanWithAgentMarkers),
        trustInitiatorEnv: bool(raw, "trustInitiatorEnv", d.trustInitiatorEnv),
        defaultMonthlyBudgetUsd: num(raw, "defaultMonthlyBudgetUsd", d.defaultMonthlyBudgetUsd, { min: 0 }),
        allowedProviders: strings(raw, "allowedProviders", d.allowedProviders),
        productionStacks: strings(raw, "productionStacks", d.productionStacks),
        stagingStacks: strings(raw, "stagingStacks", d.stagingStacks),
        developmentStacks: strings(raw, "developmentStacks", d.developmentStacks),
        unlistedStacks: unlisted,
        productionAwsAccountIds: strings(raw, "productionAwsAccountIds", d.productionAwsAccountIds),
        productionCloudflareAccountIds: strings(raw, "productionCloudflareAccountIds", d.productionCloudflareAccountIds),
        productionCloudflareZoneIds: strings(raw, "productionCloudflareZoneIds", d.productionCloudflareZoneIds),
        productionAwsHostedZoneIds: strings(raw, "productionAwsHostedZoneIds", d.productionAwsHostedZoneIds),
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
    /** Monthly USD caps of named provider packages. */
    readonly providerCapsUsd: Readonly<Record<string, number>>;
    /** Monthly USD cap of every other provider package; undefined: none. */
    readonly otherProvidersCapUsd?: number;
    /** Where the caps came from, for denials. */
    readonly providerCapsSource: string;
}

/** The monthly cap of provider package `pkg` for `profile`, if it has one. */
export function providerCapUsd(profile: AgentProfile, pkg: string): number | undefined {
    return Object.prototype.hasOwnProperty.call(profile.providerCapsUsd, pkg) ? profile.providerCapsUsd[pkg] : profile.otherProvidersCapUsd;
}

/**
 * The per-provider caps of an agent: its own `providerBudgetsUsd` if it has one, else
 * `defaultProviderMonthlyBudgetUsd` for every package. Untrusted (named by stack config or
 * markers), the lower of its own cap and the default applies: no more than the defaults.
 */
function providerCaps(config: GateConfig, agentId: string, entry: AgentConfig | undefined, trusted: boolean): Pick<AgentProfile, "providerCapsUsd" | "otherProvidersCapUsd" | "providerCapsSource"> {
    const own = entry?.providerBudgetsUsd;
    const def = config.defaultProviderMonthlyBudgetUsd;
    const other = def !== undefined ? { otherProvidersCapUsd: def } : {};
    if (!own) {
        return { providerCapsUsd: {}, ...other, providerCapsSource: "defaultProviderMonthlyBudgetUsd" };
    }
    if (trusted) {
        return { providerCapsUsd: { ...own }, providerCapsSource: `agents["${agentId}"].providerBudgetsUsd` };
    }
    const capped = Object.fromEntries(Object.entries(own).map(([p, c]) => [p, def !== undefined ? Math.min(c, def) : c]));
    return { providerCapsUsd: capped, ...other, providerCapsSource: `agents["${agentId}"].providerBudgetsUsd, at most defaultProviderMonthlyBudgetUsd (the agent is not named by CI)` };
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
            ...providerCaps(config, agentId, entry, true),
        };
    }
    return {
        budgetUsd: Math.min(entry?.monthlyBudgetUsd ?? config.defaultMonthlyBudgetUsd, config.defaultMonthlyBudgetUsd),
        providers: own ? own.filter((p) => config.allowedProviders.includes(p)) : config.allowedProviders,
        providersSource: own ? `agents["${agentId}"].providers ∩ allowedProviders (the agent is named by stack config, not CI)` : "allowedProviders",
        ...providerCaps(config, agentId, entry, false),
    };
}
