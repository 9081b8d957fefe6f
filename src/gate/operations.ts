/**
 * Gate `operations`: a stack that would hold more custom resources (providers not counted) than
 * `maxResources` needs approval whose `maxResources` covers the count.
 */
import { GateConfig } from "./config";
import { ResourceFacts } from "../facts/facts";
import { GateItem } from "./items";

/** The resource count of the operations gate: custom resources other than providers. */
export function countResources(resources: readonly ResourceFacts[]): number {
    return resources.filter((r) => r.kind === "custom").length;
}

/** Raises the stack-level operations item when `count` is over the limit. */
export function detectOperations(count: number, agent: string, config: GateConfig): GateItem[] {
    if (count <= config.maxResources) {
        return [];
    }
    return [
        {
            level: "stack",
            need: { gate: "operations", count },
            observed: `agent "${agent}" would hold ${count} resources in the stack, over maxResources ${config.maxResources}`,
        },
    ];
}
