/**
 * Gate `provider`: a custom resource whose provider package is not allowed for the agent, or a
 * provider resource of such a package, needs 1 approval. The allowlist is `agents[id].providers`
 * when set, else `allowedProviders`. Dynamic providers count as the package `pulumi-nodejs`.
 * The engine's builtin package `pulumi` (stack references) is always allowed.
 */
import { AgentProfile } from "./config";
import { ResourceFacts, packageOfType } from "./facts";
import { GateItem } from "./items";

/** Packages no agent needs approval for: the engine's own builtins. */
export const BUILTIN_PACKAGES: readonly string[] = ["pulumi"];

/** The provider packages a resource depends on: its provider's and its type's. */
export function packagesOf(r: ResourceFacts): string[] {
    if (r.kind === "component") {
        return [];
    }
    const pkgs = new Set<string>([packageOfType(r.type)]);
    if (r.provider) {
        pkgs.add(packageOfType(r.provider.type));
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
