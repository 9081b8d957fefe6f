/**
 * The `agent-change-gate` policy: glue between @pulumi/policy and {@link GateRun}. It validates
 * each resource (so an update stops before creating what is denied) and the whole stack (for the
 * stack-level gates and the decision log).
 * @internal
 */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { gateConfigSchema } from "../gate/config";
import { GATE_IDS } from "../gate/items";
import { GateRun } from "./run";

/** The gate's policy name (docs/contract.md §1). */
export const GATE_POLICY_NAME = "agent-change-gate";

/**
 * The policy's description. The CLI repeats it above every violation, so it is one sentence;
 * the gates are described in docs/policies.md (generated from the gate table).
 */
export const GATE_DESCRIPTION = `Stops AI-agent changes (gates: ${GATE_IDS.join(", ")}) until named humans approve them with signed, short-lived tokens.`;

/** Builds the gate policy around one run state. */
export function agentChangeGate(run: GateRun): ResourceValidationPolicy & StackValidationPolicy {
    return {
        name: GATE_POLICY_NAME,
        description: GATE_DESCRIPTION,
        enforcementLevel: "mandatory",
        configSchema: gateConfigSchema as ResourceValidationPolicy["configSchema"],
        remediationSteps:
            "Ask approvers to run the `agentguard approve` command shown in the violation, set the tokens in stack config `agentguard:approvals`, and preview again.",
        validateResource: async (args, report) => {
            const messages = await run.onResource(args, { getConfig: () => args.getConfig(), stackTags: args.stackTags });
            messages.forEach((m) => report(m));
        },
        validateStack: async (args, report) => {
            const messages = await run.onStack(args.resources, { getConfig: () => args.getConfig(), stackTags: args.stackTags });
            messages.forEach((m) => report(m));
        },
    };
}
