/**
 * The agentguard policy pack. Importing this module starts the pack's gRPC server, so it is the
 * only file that calls `new PolicyPack(...)`.
 */
// First: before anything else runs, SIGUSR1 no longer opens the debugger (no-inspector.ts).
import "./no-inspector";
import { PolicyPack } from "@pulumi/policy";
import { createEstimator } from "../cost";
import { agentIdentityHygiene } from "./hygiene";
import { RunGuard } from "./guard";
import { guardPolicyServer } from "./guard-sdk";
import { agentChangeGate } from "./policy";
import { GateRun } from "./run";

const run = new GateRun(process.env, createEstimator());
// One caller, one configuration per run; secret inputs out of every diagnostic (guard.ts).
const guard = new RunGuard(run);
run.useScrubber(guard);
guardPolicyServer(guard);

new PolicyPack("agentguard", {
    policies: [agentChangeGate(run), agentIdentityHygiene],
});
