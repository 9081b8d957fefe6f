import { ApprovalSet, verifyApprovals } from "../../src/approvals/verify";
import { readPresentedTokens } from "../../src/approvals/tokens";
import { GateConfig } from "../../src/gate/config";
import { RunDecision, decideRun } from "../../src/gate/decide";
import { ResourceFacts, RunFacts } from "../../src/gate/facts";
import { resolveInitiator } from "../../src/gate/initiator";
import { CostEstimator } from "../../src/cost/types";
import { AGENT, config as makeConfig, fakeEstimator, run as makeRun } from "../fixtures";

/** Runs the whole decision as the pack would, from facts. */
export async function decide(
    resources: ResourceFacts[],
    opts: { config?: GateConfig; run?: RunFacts; tokens?: string[]; estimator?: CostEstimator } = {},
): Promise<RunDecision> {
    const config = opts.config ?? makeConfig();
    const run = opts.run ?? makeRun();
    const initiator = resolveInitiator(run, config);
    const approvals: ApprovalSet =
        initiator.kind === "agent"
            ? await verifyApprovals(readPresentedTokens(opts.tokens?.join(" ")), { config, stack: run.stack, agent: AGENT, now: run.now })
            : { valid: [], reports: [] };
    return decideRun({ config, run, initiator, resources, estimator: opts.estimator ?? fakeEstimator(), approvals });
}

export function gatesOf(d: RunDecision): string[] {
    return d.gates.map((g) => `${g.gate}:${g.required}:${g.satisfied ? "ok" : "denied"}`);
}
