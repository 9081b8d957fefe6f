import { verifyApprovals } from "../../src/approvals/verify";
import { readPresentedTokens } from "../../src/approvals/tokens";
import { GateConfig } from "../../src/gate/config";
import { RunDecision } from "../../src/gate/decide";
import { ResourceFacts, RunFacts } from "../../src/facts/facts";
import { PlanStep, PlannedChange, judgeRun, openRun } from "../../src/gate/run";
import { PlanBinding } from "../../src/gate/destructive";
import { CostEstimator } from "../../src/cost/types";
import { config as makeConfig, fakeEstimator, run as makeRun } from "../fixtures";

/** Runs the whole decision through the run core, as the pack and `plan check` do. */
export async function decide(
    resources: ResourceFacts[],
    opts: { config?: GateConfig; run?: RunFacts; tokens?: string[]; estimator?: CostEstimator; binding?: PlanBinding; steps?: Record<string, PlanStep | PlannedChange> } = {},
): Promise<RunDecision> {
    const open = await openRun({
        run: opts.run ?? makeRun(),
        config: opts.config ?? makeConfig(),
        estimator: opts.estimator ?? fakeEstimator(),
        verify: (ctx) => verifyApprovals(readPresentedTokens(opts.tokens?.join(" ")), ctx),
        binding: opts.binding,
        bindingFile: opts.binding ? "plan.json" : undefined,
    });
    return judgeRun(open, resources, undefined, (urn) => opts.steps?.[urn] ?? "create").decision;
}

export function gatesOf(d: RunDecision): string[] {
    return d.gates.map((g) => `${g.need.gate}:${g.required}:${g.satisfied ? "ok" : "denied"}`);
}
