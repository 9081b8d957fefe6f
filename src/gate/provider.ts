/**
 * Gate `provider`: a custom resource whose provider package is not allowed for the agent, or a
 * provider resource of such a package, needs 1 approval. The allowlist is `agents[id].providers`
 * when set, else `allowedProviders`. Dynamic providers count as the package `pulumi-nodejs`; a
 * provider with its own `pluginDownloadURL` counts as `<package>@<url>`.
 * The engine's builtin package `pulumi` (stack references) is always allowed.
 */
import { AgentProfile } from "./config";
import { Props, ResourceFacts, isUnknown, packageOfType } from "./facts";
import { asString, field } from "./values";
import { GateItem } from "./items";

/** Packages no agent needs approval for: the engine's own builtins. */
export const BUILTIN_PACKAGES: readonly string[] = ["pulumi"];

/**
 * The package a provider resource runs. A provider whose plugin comes from its own
 * `pluginDownloadURL` is a different binary from the vetted package of that name, so it is
 * named `<package>@<url>` — which no allowlist entry for the plain name covers.
 */
function providerPackage(type: string, props: Props): string {
    const pkg = packageOfType(type);
    const url = asString(field(props, "pluginDownloadURL"));
    return isUnknown(url) ? `${pkg}@<unknown pluginDownloadURL>` : url ? `${pkg}@${url}` : pkg;
}

/** The provider packages a resource depends on: its provider's and its type's. */
export function packagesOf(r: ResourceFacts): string[] {
    if (r.kind === "component") {
        return [];
    }
    if (r.kind === "provider") {
        return [providerPackage(r.type, r.props)];
    }
    const pkgs = new Set<string>([packageOfType(r.type)]);
    if (r.provider) {
        pkgs.add(providerPackage(r.provider.type, r.provider.props));
    }
    return [...pkgs];
}

/** Raises one item per package of `r` that the agent may not use. */
export function detectProvider(r: ResourceFacts, agent: string, profile: AgentProfile): GateItem[] {
    const allowed = new Set([...profile.providers, ...BUILTIN_PACKAGES]);
    return packagesOf(r)
        .filter((p) => !allowed.has(p))
        .map((p) => ({
            gate: "provider" as const,
            level: "resource" as const,
            resource: r.urn,
            required: 1,
            need: { gate: "provider" as const, provider: p },
            observed: `agent "${agent}" would use provider package "${p}" for "${r.urn}", which is not in ${profile.providersSource} [${profile.providers.map((x) => `"${x}"`).join(", ")}]`,
        }));
}
