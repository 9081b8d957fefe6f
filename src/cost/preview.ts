/**
 * Turns the output of `pulumi preview --json` (and optionally `pulumi stack export`) into the
 * resource facts the estimator prices: the stack as it would be after the preview.
 *
 * `pulumi preview --json` lists only resources that change unless run with `--show-sames`; the
 * stack export supplies the unchanged ones. Unknown values appear in the JSON as the engine's
 * unknown sentinel (`04da6b54-80e4-46f7-96ec-b56ff0331ba9`) or `[unknown]`; secrets as `[secret]`
 * or as a secret envelope. All become `UNKNOWN`.
 */
import { PROVIDER_TYPE_PREFIX, Props, ProviderFacts, ResourceFacts, UNKNOWN, Value } from "../facts/facts";
import { LinkedResourceFacts } from "./rules/index";

/** The engine's marker for a value not known during preview. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Steps whose resource is not in the stack afterwards (or is not managed by it). */
const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "read", "read-replacement", "read-discard", "remove-pending-replace"]);

/** What the preview says about the stack. */
export interface PreviewStack {
    /** Resources of the stack after the preview, in the order the engine listed them. */
    readonly resources: readonly LinkedResourceFacts[];
    /** URN → the step's operation (`create`, `update`, `same`…); `same` for resources only in the stack export. */
    readonly ops: ReadonlyMap<string, string>;
    /** URNs the preview deletes. */
    readonly deleted: readonly string[];
    /** Problems with the documents that did not stop the conversion. */
    readonly warnings: readonly string[];
}

/** A resource state as both documents write it (apitype.ResourceV3). */
interface StateJson {
    urn?: unknown;
    type?: unknown;
    custom?: unknown;
    external?: unknown;
    delete?: unknown;
    inputs?: unknown;
    provider?: unknown;
    propertyDependencies?: unknown;
}

/** Replaces unknown sentinels and secrets with UNKNOWN, drops what is not JSON. */
export function toValue(v: unknown, depth = 0): Value {
    if (depth > 64) {
        return UNKNOWN;
    }
    if (v === null || typeof v === "boolean") {
        return v;
    }
    if (typeof v === "number") {
        return Number.isFinite(v) ? v : null;
    }
    if (typeof v === "string") {
        return v === UNKNOWN_SENTINEL || v === "[unknown]" || v === "[secret]" ? UNKNOWN : v;
    }
    if (Array.isArray(v)) {
        return v.map((x) => toValue(x, depth + 1));
    }
    if (typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (Object.prototype.hasOwnProperty.call(o, SECRET_SIG)) {
            return UNKNOWN;
        }
        const out: { [key: string]: Value } = {};
        for (const [k, x] of Object.entries(o)) {
            out[k] = toValue(x, depth + 1);
        }
        return out;
    }
    return null;
}

function toProps(v: unknown): Props {
    const p = toValue(v ?? {});
    return p !== null && typeof p === "object" && !Array.isArray(p) ? (p as Props) : {};
}

/** `urn:pulumi:stack::project::parent$type::name` → type and name. */
export function parseUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    const qualified = parts[2] ?? "";
    return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") };
}

/** `<provider urn>::<provider id>` → provider URN. */
function providerUrn(ref: unknown): string | undefined {
    if (typeof ref !== "string" || ref === "") {
        return undefined;
    }
    const i = ref.lastIndexOf("::");
    return i > 0 ? ref.slice(0, i) : ref;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Builds the stack after the preview from `pulumi preview --json` and, optionally, `pulumi stack
 * export` (for resources the preview does not list). Throws only when neither document has the
 * expected shape.
 */
export function stackFromPreview(preview: unknown, stackExport?: unknown): PreviewStack {
    const warnings: string[] = [];
    const doc = asRecord(preview);
    const steps = doc && Array.isArray(doc.steps) ? doc.steps : undefined;
    const exported = asRecord(asRecord(stackExport)?.deployment);
    const exportedResources = exported && Array.isArray(exported.resources) ? exported.resources : undefined;
    if (preview !== undefined && !steps) {
        if (!doc || !("changeSummary" in doc || "config" in doc || "diagnostics" in doc)) {
            throw new Error("not a `pulumi preview --json` document: no steps");
        }
        warnings.push("the preview lists no steps");
    }
    if (stackExport !== undefined && !exportedResources) {
        throw new Error("not a `pulumi stack export` document: no deployment.resources");
    }
    const config: Record<string, unknown> = asRecord(doc?.config) ?? {};

    // URN → state, in order: the stack export first, then the preview's steps over it.
    const states = new Map<string, StateJson>();
    const ops = new Map<string, string>();
    const deleted: string[] = [];
    for (const raw of exportedResources ?? []) {
        const s = asRecord(raw) as StateJson | undefined;
        if (!s || typeof s.urn !== "string" || s.delete === true || s.external === true) {
            continue;
        }
        states.set(s.urn, s);
        ops.set(s.urn, "same");
    }
    for (const raw of steps ?? []) {
        const step = asRecord(raw);
        if (!step) {
            continue;
        }
        const op = typeof step.op === "string" ? step.op : "";
        const urn = typeof step.urn === "string" ? step.urn : undefined;
        if (!urn) {
            continue;
        }
        if (GONE.has(op)) {
            if (op === "delete" || op === "discard") {
                states.delete(urn);
                ops.delete(urn);
                deleted.push(urn);
            }
            continue;
        }
        const s = (asRecord(step.newState) ?? asRecord(step.oldState)) as StateJson | undefined;
        if (!s) {
            warnings.push(`step ${op} of ${urn} has no state`);
            continue;
        }
        if (s.external === true) {
            continue;
        }
        // Keep the order of first appearance but the newest state.
        states.set(urn, { ...s, urn });
        ops.set(urn, op);
    }

    const providers = new Map<string, ProviderFacts>();
    for (const [urn, s] of states) {
        const type = typeof s.type === "string" ? s.type : parseUrn(urn).type;
        if (type.startsWith(PROVIDER_TYPE_PREFIX)) {
            providers.set(urn, { urn, type, name: parseUrn(urn).name, props: toProps(s.inputs) });
        }
    }
    /** A provider the documents do not list (unchanged and hidden): default providers take stack config. */
    const providerFor = (ref: unknown): ProviderFacts | undefined => {
        const urn = providerUrn(ref);
        if (!urn) {
            return undefined;
        }
        const known = providers.get(urn);
        if (known) {
            return known;
        }
        const { type, name } = parseUrn(urn);
        const props: { [key: string]: Value } = {};
        const pkg = type.startsWith(PROVIDER_TYPE_PREFIX) ? type.slice(PROVIDER_TYPE_PREFIX.length) : "";
        if (name.startsWith("default") && pkg) {
            for (const [k, v] of Object.entries(config)) {
                if (k.startsWith(`${pkg}:`) && typeof v === "string") {
                    props[k.slice(pkg.length + 1)] = toValue(v);
                }
            }
        }
        const p: ProviderFacts = { urn, type, name, props };
        providers.set(urn, p);
        return p;
    };

    const facts = new Map<string, { f: ResourceFacts; deps: unknown }>();
    for (const [urn, s] of states) {
        const type = typeof s.type === "string" ? s.type : parseUrn(urn).type;
        const kind: ResourceFacts["kind"] = type.startsWith(PROVIDER_TYPE_PREFIX)
            ? "provider"
            : s.custom === false || type === "pulumi:pulumi:Stack"
              ? "component"
              : "custom";
        const provider = kind === "custom" ? providerFor(s.provider) : undefined;
        const f: ResourceFacts = {
            urn,
            type,
            name: parseUrn(urn).name,
            kind,
            props: toProps(s.inputs),
            ...(provider ? { provider } : {}),
        };
        facts.set(urn, { f, deps: s.propertyDependencies });
    }
    const resources: LinkedResourceFacts[] = [];
    for (const { f, deps } of facts.values()) {
        const d = asRecord(deps);
        if (!d) {
            resources.push(f);
            continue;
        }
        const dependencies: { [input: string]: ResourceFacts[] } = {};
        for (const [k, urns] of Object.entries(d)) {
            const list = (Array.isArray(urns) ? urns : [])
                .map((u) => (typeof u === "string" ? facts.get(u)?.f : undefined))
                .filter((x): x is ResourceFacts => x !== undefined);
            if (list.length > 0) {
                dependencies[k] = list;
            }
        }
        resources.push(Object.keys(dependencies).length > 0 ? { ...f, dependencies } : f);
    }
    return { resources, ops, deleted, warnings };
}
