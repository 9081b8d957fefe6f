/**
 * Plain facts the gate decides on. The policy glue (src/pack) turns the engine's validation
 * arguments into these; the command line and the tests build them directly. Nothing here
 * imports Pulumi.
 */

/** Marks a value the engine could not know at preview time (an output of another resource). */
export const UNKNOWN: unique symbol = Symbol.for("agentguard.unknown");
/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;

/** A property value as the gate sees it: JSON-like data in which any part may be unknown. */
export type Value = null | boolean | number | string | Unknown | Value[] | { [key: string]: Value };

/** A property bag. */
export type Props = { readonly [key: string]: Value };

/** True when `v` is the unknown marker. */
export function isUnknown(v: unknown): v is Unknown {
    return v === UNKNOWN;
}

/** True when `v` or anything inside it is unknown. */
export function containsUnknown(v: unknown): boolean {
    if (isUnknown(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsUnknown);
    }
    if (v !== null && typeof v === "object") {
        return Object.values(v).some(containsUnknown);
    }
    return false;
}

/** The provider resource that manages a custom resource (or a provider resource itself). */
export interface ProviderFacts {
    readonly urn: string;
    /** `pulumi:providers:<package>`. */
    readonly type: string;
    readonly name: string;
    readonly props: Props;
}

/**
 * One resource as registered in the stack. `kind` says what the engine treats it as:
 * `custom` resources are managed by a provider, `provider` resources are providers themselves,
 * `component` resources (and the root stack) manage nothing on their own.
 */
export interface ResourceFacts {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly kind: "custom" | "provider" | "component";
    readonly props: Props;
    /** The managing provider; present for custom resources. */
    readonly provider?: ProviderFacts;
}

/** `<organization>/<project>/<stack>`, the subject approvals are bound to. */
export interface StackRef {
    readonly organization: string;
    readonly project: string;
    readonly stack: string;
}

/** Formats a {@link StackRef} the way approval tokens name it. */
export function stackSubject(s: StackRef): string {
    return `${s.organization}/${s.project}/${s.stack}`;
}

/** What the run itself tells the gate, apart from its resources. */
export interface RunFacts {
    readonly stack: StackRef;
    /** Stack config as the engine hands it to the pack: `"<namespace>:<key>"` → string (structured values JSON-encoded). */
    readonly stackConfig: Readonly<Record<string, string>>;
    /** Stack tags (from the engine's ConfigureStack call). */
    readonly stackTags: Readonly<Record<string, string>>;
    /** The value of env `AGENTGUARD_INITIATOR`, if set. */
    readonly initiatorEnv?: string;
    /** Coding-agent marker variables set in the run's environment (docs/contract.md §3.4), name → value; see `agentMarkersFromEnv`. */
    readonly agentMarkers?: Readonly<Record<string, string>>;
    readonly dryRun: boolean;
    /** Seconds since the epoch. */
    readonly now: number;
}

/** Component and root-stack types never raise items; provider types start with this prefix. */
export const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

/** The package that owns a type token (`aws:s3/bucket:Bucket` → `aws`, `pulumi:providers:aws` → `aws`). */
export function packageOfType(type: string): string {
    if (type.startsWith(PROVIDER_TYPE_PREFIX)) {
        return type.slice(PROVIDER_TYPE_PREFIX.length);
    }
    const i = type.indexOf(":");
    return i < 0 ? type : type.slice(0, i);
}
