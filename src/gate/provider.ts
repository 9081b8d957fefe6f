/**
 * Gate `provider`: a custom resource whose provider package is not allowed for the agent, or a
 * provider resource of such a package, needs approval. The allowlist is `agents[id].providers`
 * when set, else `allowedProviders`. Dynamic providers count as the package `pulumi-nodejs`; a
 * provider with its own download URL or parameterization counts as `<package>@<url>` /
 * `<package>[<parameterization>]` (see {@link providerIdentity}).
 * The engine's builtin package `pulumi` (stack references) is always allowed.
 */
import { AgentProfile } from "./config";
import { Props, ResourceFacts, Value, isUnknown, packageOfType } from "../facts/facts";
import { field } from "../facts/values";
import { GateItem } from "./items";

/** Packages no agent needs approval for: the engine's own builtins. */
export const BUILTIN_PACKAGES: readonly string[] = ["pulumi"];

/**
 * Keys the engine keeps under a provider's `__internal` (v3.274 pkg/resource/deploy/providers/registry.go).
 * `version` and `pluginChecksums` only narrow which binary runs; `name`, `parameterization` and
 * `pluginDownloadURL` change it and become part of the identity. Any other key (including
 * `envVarMappings`, which re-points the provider's credentials) is not understood: fail closed.
 */
const NARROWING_INTERNAL_KEYS = new Set(["version", "pluginChecksums"]);
const IDENTITY_INTERNAL_KEYS = new Set(["name", "parameterization", "pluginDownloadURL"]);

/**
 * The engine's `tokens.IntoQName` (sdk/go/common/tokens/names.go): split on `/`, drop empty
 * segments, replace every byte outside `[A-Za-z0-9_.-]` with `_`. Default provider names carry a
 * download URL in this form.
 */
export function intoQName(s: string): string {
    const out = s
        .split("/")
        .filter((seg) => seg !== "")
        .map((seg) => [...Buffer.from(seg, "utf8")].map((b) => (/[A-Za-z0-9_.-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : "_")).join(""));
    return out.length === 0 ? "_" : out.join("/");
}

/**
 * A default provider's name with a download URL: `default`, maybe a version's parts, then the
 * URL as a QName — which has a `/` (from `scheme://`) or a `.` that no version part has.
 */
const DEFAULT_NAME_WITH_URL = /^default_.*[/.]/;

/**
 * The download URL a default provider's name carries (`default_7_0_0_https_/host/path`), as
 * the engine encoded it, or undefined. Explicit providers are named by the program; a name that
 * looks like a default provider's with a URL counts the same (the program chose it).
 */
function urlInDefaultName(name: string, pkg: string, allowed: readonly string[]): { identity: string } | undefined {
    if (!DEFAULT_NAME_WITH_URL.test(name)) {
        return undefined;
    }
    // An allowed `<package>@<url>` whose URL the engine would encode as this name's tail.
    for (const a of allowed) {
        if (a.startsWith(`${pkg}@`) && name.endsWith(`_${intoQName(a.slice(pkg.length + 1))}`)) {
            return { identity: a };
        }
    }
    // Otherwise the name's tail after the version, as the engine encoded the URL (a pre-release
    // part stays in front of it: the exact string is still one no plain entry matches).
    return { identity: `${pkg}@${name.replace(/^default(_\d+_\d+_\d+)?_?/, "")}` };
}

/**
 * Which plugin a provider resource runs: its package, plus — where the engine keeps them, under
 * `__internal` (or at the top level when `__internal` is absent, as the engine falls back) — the
 * plugin name and parameterization of a parameterized package (`<package>[<name>:<value>]`) and a
 * download URL (`<package>@<url>`). Such a provider is a different binary from the vetted package,
 * which no allowlist entry for the plain name covers. Unknown or unrecognized values fail closed
 * as an identity no plain allowlist entry matches.
 *
 * A real engine strips `__internal` before it calls a policy pack (FilterProperties with
 * SkipInternalKeys in pkg/resource/plugin/analyzer_plugin.go), so in the pack the URL of a default
 * provider is seen only in its name, and that of an explicit provider not at all (docs/threat-model.md).
 */
export function providerIdentity(type: string, name: string, props: Props, allowed: readonly string[]): string {
    const pkg = packageOfType(type);
    const raw = field(props, "__internal");
    let src: Value | undefined = props;
    if (isUnknown(raw)) {
        return `${pkg}@<unknown __internal>`;
    }
    if (raw !== undefined && raw !== null) {
        if (typeof raw !== "object" || Array.isArray(raw)) {
            return `${pkg}@<malformed __internal>`;
        }
        const odd = Object.keys(raw)
            .filter((k) => !NARROWING_INTERNAL_KEYS.has(k) && !IDENTITY_INTERNAL_KEYS.has(k))
            .sort();
        if (odd.length > 0) {
            return `${pkg}@<unknown __internal key "${odd[0]}">`;
        }
        src = raw;
    }
    const parts: Record<string, string | undefined> = {};
    for (const key of IDENTITY_INTERNAL_KEYS) {
        const v = field(src, key);
        if (isUnknown(v)) {
            return `${pkg}@<unknown ${key}>`;
        }
        if (v !== undefined && v !== null && typeof v !== "string") {
            return `${pkg}@<malformed ${key}>`;
        }
        parts[key] = v === null || v === "" ? undefined : v;
    }
    let id = pkg;
    const plugin = parts.name !== undefined && parts.name !== pkg ? parts.name : undefined;
    if (parts.parameterization !== undefined) {
        id += `[${plugin !== undefined ? `${plugin}:` : ""}${parts.parameterization}]`;
    } else if (plugin !== undefined) {
        id += `[${plugin}]`;
    }
    if (parts.pluginDownloadURL !== undefined) {
        return `${id}@${parts.pluginDownloadURL}`;
    }
    if (id === pkg) {
        return urlInDefaultName(name, pkg, allowed)?.identity ?? pkg;
    }
    return id;
}

/** The provider packages a resource depends on: its provider's identity and its type's package. */
export function packagesOf(r: ResourceFacts, allowed: readonly string[] = []): string[] {
    if (r.kind === "component") {
        return [];
    }
    if (r.kind === "provider") {
        return [providerIdentity(r.type, r.name, r.props, allowed)];
    }
    const pkgs = new Set<string>([packageOfType(r.type)]);
    if (r.provider) {
        pkgs.add(providerIdentity(r.provider.type, r.provider.name, r.provider.props, allowed));
    }
    return [...pkgs];
}

/** Raises one item per package of `r` that the agent may not use. */
export function detectProvider(r: ResourceFacts, agent: string, profile: AgentProfile): GateItem[] {
    const allowed = new Set([...profile.providers, ...BUILTIN_PACKAGES]);
    return packagesOf(r, [...allowed])
        .filter((p) => !allowed.has(p))
        .map((p) => ({
            level: "resource" as const,
            resource: r.urn,
            need: { gate: "provider" as const, provider: p },
            observed: `agent "${agent}" would use provider package "${p}" for "${r.urn}", which is not in ${profile.providersSource} [${profile.providers.map((x) => `"${x}"`).join(", ")}]`,
        }));
}
