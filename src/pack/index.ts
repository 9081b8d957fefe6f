/**
 * The agentguard policy pack. Importing this module starts the pack's gRPC server, so it is the
 * only file that calls `new PolicyPack(...)`.
 */
import { PolicyPack } from "@pulumi/policy";
import { createEstimator } from "../cost";
import { agentIdentityHygiene } from "../policies/identity-hygiene";
import { agentChangeGate } from "./policy";
import { GateRun } from "./run";

new PolicyPack("agentguard", {
    policies: [agentChangeGate(new GateRun(process.env, createEstimator())), agentIdentityHygiene],
});
