/**
 * The gate's configuration: policy pack config under the key `agent-change-gate`. Trust anchors
 * (approver keys, budgets) come only from here, never from stack config, which the agent controls.
 *
 * Declared twice and kept in step: the {@link GateConfig} interface and the JSON {@link gateConfigSchema}
 * the engine validates against and ajv checks strictly (src/schema). {@link normalizeGateConfig}
 * applies the defaults and rejects anything malformed, so the core never sees a half-valid config.
 */
import { Schema, problemText, schemaProblem } from "../schema/check";
import { GATE_IDS } from "./items";
import { publicKeyProblem } from "../approvals/public-key";

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

/** Configuration of the `agent-change-gate` policy (docs/contract.md §2). */
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

/** The defaults of docs/contract.md §2. */
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
                            x: { type: "string", pattern: "^[A-Za-z0-9_-]{43}$" },
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

/**
 * What ajv checks: {@link gateConfigSchema} closed (unknown keys refused with "did you mean"),
 * plus the `enforcementLevel` every policy's config may carry.
 * @internal exported for the test that checks every declared schema against JSON Schema itself
 */
export const STRICT_GATE_CONFIG_SCHEMA: Schema = {
    type: "object",
    additionalProperties: false,
    properties: { ...gateConfigSchema.properties, enforcementLevel: { type: "string", enum: ["advisory", "mandatory", "remediate", "disabled"] } },
};

function isObject(v: unknown): v is Raw {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A private key where a public one belongs is worth its own sentence. */
function refusePrivateKeys(raw: Raw): void {
    if (!Array.isArray(raw.approvers)) {
        return;
    }
    raw.approvers.forEach((a, i) => {
        if (isObject(a) && (a.privateKeyJwk !== undefined || (isObject(a.publicKeyJwk) && a.publicKeyJwk.d !== undefined))) {
            throw new GateConfigError(
                `"approvers[${i}]" holds a private key; put only the public approver entry here (\`agentguard keygen --public <keyfile>\` prints it) and keep the key file secret`,
            );
        }
    });
}

function copyMap<T>(m: Readonly<Record<string, T>> | undefined): Record<string, T> {
    const out: Record<string, T> = Object.create(null);
    for (const [k, v] of Object.entries(m ?? {})) {
        out[k] = v;
    }
    return out;
}

/**
 * Applies defaults to raw policy config and checks every field against {@link gateConfigSchema}
 * (ajv, strict), then the rules that relate approvers to each other. Throws
 * {@link GateConfigError} naming the field when something is malformed.
 */
export function normalizeGateConfig(raw: unknown): GateConfig {
    if (raw === undefined || raw === null) {
        raw = {};
    }
    if (!isObject(raw)) {
        throw new GateConfigError("the config of agent-change-gate must be an object");
    }
    refusePrivateKeys(raw);
    const problem = schemaProblem(STRICT_GATE_CONFIG_SCHEMA, raw);
    if (problem) {
        throw new GateConfigError(problemText(problem, "the config of agent-change-gate"));
    }
    const c = raw as Partial<GateConfig> & { enforcementLevel?: string };
    const approvers: ApproverConfig[] = (c.approvers ?? []).map((a) => ({
        id: a.id,
        kid: a.kid ?? a.id,
        publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: a.publicKeyJwk.x },
        ...(a.gates ? { gates: [...a.gates] } : {}),
    }));
    const kids = new Set<string>();
    const keys = new Map<string, string>();
    for (const a of approvers) {
        if (kids.has(a.kid!)) {
            throw new GateConfigError(`two approvers share the key id "${a.kid}"`);
        }
        kids.add(a.kid!);
        const weak = publicKeyProblem(a.publicKeyJwk.x);
        if (weak !== undefined) {
            throw new GateConfigError(`approver "${a.id}": publicKeyJwk.x ${weak}; use the entry "agentguard keygen" prints`);
        }
        // One key under two ids would let one person count as two approvers.
        const owner = keys.get(a.publicKeyJwk.x);
        if (owner !== undefined && owner !== a.id) {
            throw new GateConfigError(`approvers "${owner}" and "${a.id}" share one public key; each person needs their own key`);
        }
        keys.set(a.publicKeyJwk.x, a.id);
    }
    const agents: Record<string, AgentConfig> = Object.create(null);
    for (const [id, a] of Object.entries(c.agents ?? {})) {
        agents[id] = {
            monthlyBudgetUsd: a.monthlyBudgetUsd,
            providers: a.providers ? [...a.providers] : undefined,
            ...(a.providerBudgetsUsd ? { providerBudgetsUsd: copyMap(a.providerBudgetsUsd) } : {}),
            ...(a.owners ? { owners: [...a.owners] } : {}),
        };
    }
    const d = DEFAULT_GATE_CONFIG;
    return {
        approvers,
        revoked: { jtis: [...(c.revoked?.jtis ?? [])], approvers: { ...copyMap(c.revoked?.approvers) } },
        agents,
        ...(c.defaultProviderMonthlyBudgetUsd !== undefined ? { defaultProviderMonthlyBudgetUsd: c.defaultProviderMonthlyBudgetUsd } : {}),
        detectedAgents: { ...copyMap(c.detectedAgents) },
        trustHumanWithAgentMarkers: c.trustHumanWithAgentMarkers ?? d.trustHumanWithAgentMarkers,
        trustInitiatorEnv: c.trustInitiatorEnv ?? d.trustInitiatorEnv,
        defaultMonthlyBudgetUsd: c.defaultMonthlyBudgetUsd ?? d.defaultMonthlyBudgetUsd,
        allowedProviders: c.allowedProviders ?? d.allowedProviders,
        productionStacks: c.productionStacks ?? d.productionStacks,
        stagingStacks: c.stagingStacks ?? d.stagingStacks,
        developmentStacks: c.developmentStacks ?? d.developmentStacks,
        unlistedStacks: c.unlistedStacks ?? d.unlistedStacks,
        productionAwsAccountIds: c.productionAwsAccountIds ?? d.productionAwsAccountIds,
        productionCloudflareAccountIds: c.productionCloudflareAccountIds ?? d.productionCloudflareAccountIds,
        productionCloudflareZoneIds: c.productionCloudflareZoneIds ?? d.productionCloudflareZoneIds,
        productionAwsHostedZoneIds: c.productionAwsHostedZoneIds ?? d.productionAwsHostedZoneIds,
        maxResources: c.maxResources ?? d.maxResources,
        maxApprovalTtlSeconds: c.maxApprovalTtlSeconds ?? d.maxApprovalTtlSeconds,
        clockSkewSeconds: c.clockSkewSeconds ?? d.clockSkewSeconds,
        unidentifiedInitiator: c.unidentifiedInitiator ?? d.unidentifiedInitiator,
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
