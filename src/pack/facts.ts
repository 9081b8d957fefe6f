/**
 * Turns what the engine hands a policy into the gate's plain facts. This is the only place that
 * knows how @pulumi/policy represents values: its unknown-checking proxy (whose reads throw
 * `UnknownValueError`, which the SDK would turn into a fail-open advisory) is unwrapped here and
 * every unknown becomes the gate's `UNKNOWN` marker instead.
 * @internal
 */
import * as proxy from "@pulumi/policy/proxy";
import { PROVIDER_TYPE_PREFIX, ProviderFacts, Props, ResourceFacts, RunFacts, UNKNOWN, Value } from "../facts/facts";
import { INITIATOR_ENV, agentMarkersFromEnv } from "../gate/initiator";

/** The sentinels @pulumi/policy uses for values unknown at preview (internal to that package). */
const p = proxy as unknown as Record<string, string>;
const SENTINELS = new Set(
    [
        p.unknownBooleanValue,
        p.unknownNumberValue,
        p.unknownStringValue,
        p.unknownArrayValue,
        p.unknownAssetValue,
        p.unknownArchiveValue,
        p.unknownObjectValue,
    ].filter((s) => typeof s === "string"),
);
if (SENTINELS.size !== 7) {
    // A changed SDK could hide unknowns from us; refuse to load rather than fail open.
    throw new Error("agentguard: @pulumi/policy no longer exposes its unknown-value sentinels; this version is not supported");
}
const TARGET = p.getSpecialProxyTarget ?? "__getSpecialProxyTarget";

/** Reads the object behind the SDK's proxy without triggering its unknown checks. */
function unwrap(v: unknown): unknown {
    if (v !== null && typeof v === "object") {
        const target = (v as Record<string, unknown>)[TARGET];
        if (target !== undefined) {
            return target;
        }
    }
    return v;
}

/** Deep-copies a deserialized value into a gate {@link Value}, mapping sentinels to UNKNOWN. */
export function toValue(v: unknown, depth = 0): Value {
    // Only the top-level bag is the SDK's proxy; below it the target's own data is read as it is,
    // so a nested key spelled like the proxy's can never substitute its contents.
    if (depth === 0) {
        v = unwrap(v);
    }
    if (depth > 64) {
        return UNKNOWN;
    }
    if (typeof v === "string") {
        return SENTINELS.has(v) ? UNKNOWN : v;
    }
    if (v === null || typeof v === "boolean" || typeof v === "number") {
        return v;
    }
    if (Array.isArray(v)) {
        return v.map((x) => toValue(x, depth + 1));
    }
    if (typeof v === "object") {
        const out: { [k: string]: Value } = {};
        for (const k of Object.keys(v as object)) {
            out[k] = toValue((v as Record<string, unknown>)[k], depth + 1);
        }
        return out;
    }
    return null; // functions, undefined, symbols: not data
}

function toProps(v: unknown): Props {
    const val = toValue(v);
    return val !== null && typeof val === "object" && !Array.isArray(val) ? val : {};
}

/** The shape shared by `ResourceValidationArgs` and stack `PolicyResource`. */
export interface EngineResource {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly props: unknown;
    readonly provider?: { readonly type: string; readonly urn: string; readonly name: string; readonly props: unknown };
}

/**
 * Converts one engine resource. Custom resources always have a provider; provider resources
 * have a `pulumi:providers:` type; anything else (components, the root stack) is a component.
 */
export function resourceFacts(r: EngineResource): ResourceFacts {
    const provider: ProviderFacts | undefined = r.provider
        ? { type: r.provider.type, urn: r.provider.urn, name: r.provider.name, props: toProps(r.provider.props) }
        : undefined;
    const kind = r.type.startsWith(PROVIDER_TYPE_PREFIX) ? "provider" : provider ? "custom" : "component";
    return { urn: r.urn, type: r.type, name: r.name, kind, props: toProps(r.props), provider };
}

/** Reads the run's own facts from the environment the engine starts the pack with. */
export function runFactsFromEnv(env: NodeJS.ProcessEnv, stackTags: ReadonlyMap<string, string> | undefined, now: number): RunFacts {
    let stackConfig: Record<string, string> = {};
    const raw = env.PULUMI_CONFIG;
    if (raw) {
        const parsed: unknown = JSON.parse(raw); // a broken PULUMI_CONFIG throws: the caller denies
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
            throw new Error("PULUMI_CONFIG is not a JSON object");
        }
        stackConfig = Object.fromEntries(
            Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        );
    }
    const tags: Record<string, string> = {};
    stackTags?.forEach((v, k) => {
        tags[k] = v;
    });
    const stack = env.PULUMI_NODEJS_STACK ?? env.PULUMI_STACK;
    const project = env.PULUMI_NODEJS_PROJECT ?? env.PULUMI_PROJECT;
    if (!stack || !project) {
        throw new Error("the engine did not tell the pack which stack and project it runs for");
    }
    const organization = env.PULUMI_NODEJS_ORGANIZATION ?? env.PULUMI_ORGANIZATION;
    if (!organization) {
        // Approvals are bound to <organization>/<project>/<stack>; guessing the organization would
        // let a token for one organization's stack count for another's.
        throw new Error("the engine did not tell the pack which organization it runs for (Pulumi CLI ≥ 3.221 does)");
    }
    return {
        stack: { organization, project, stack },
        stackConfig,
        stackTags: tags,
        initiatorEnv: env[INITIATOR_ENV],
        // The engine starts the pack with its own environment, so a coding agent's markers reach us.
        agentMarkers: agentMarkersFromEnv(env),
        dryRun: (env.PULUMI_NODEJS_DRY_RUN ?? env.PULUMI_DRY_RUN) === "true",
        now,
    };
}
