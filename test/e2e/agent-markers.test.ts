/**
 * Coding-agent markers under the real `pulumi` CLI (docs/contract.md §3.4): the engine starts the pack
 * with its own environment, so a human's run from inside a coding agent (CLAUDECODE=1) on a
 * production stack is judged as that agent's run and denied.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, Workspace } from "./pulumi";
import { workspacesOfFile } from "./workspaces";

const PROGRAM = path.join(ROOT, "test/e2e/programs/generic");
const workspaces = workspacesOfFile();

describe("coding-agent markers under the real pulumi CLI", () => {
    it("denies a human's preview of prod as the detected agent's when CLAUDECODE=1; logs the marker names, types and providers", async () => {
        const ws = await Workspace.create({ program: PROGRAM, stack: "prod" });
        workspaces.push(ws);
        await ws.resources([{ type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } }]);
        const policyConfig = ws.policyConfig({});

        const human = await ws.preview({ policyConfig, env: { AGENTGUARD_INITIATOR: "human:carol" } });
        expect(human.code, human.output).toBe(0);
        expect(ws.decisions().at(-1)).toMatchObject({ initiator: { kind: "human", id: "carol", source: "env" }, decision: "allow" });

        const marked = await ws.preview({ policyConfig, env: { AGENTGUARD_INITIATOR: "human:carol", CLAUDECODE: "1" } });
        expect(marked.code).not.toBe(0);
        expect(marked.output).toContain('agent "claude-local" declares "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site" in production');
        const last = ws.decisions().at(-1);
        expect(last).toMatchObject({
            project: "shop",
            decision: "deny",
            initiator: { kind: "agent", id: "claude-local", source: "agent-markers", markers: ["CLAUDECODE"] },
            resourceTypes: ["aws:s3/bucket:Bucket"],
            providers: ["aws"],
        });

        const trusted = ws.policyConfig({ trustHumanWithAgentMarkers: true }, "trusted.json");
        const allowed = await ws.preview({ policyConfig: trusted, env: { AGENTGUARD_INITIATOR: "human:carol", CLAUDECODE: "1" } });
        expect(allowed.code, allowed.output).toBe(0);
        expect(ws.decisions().at(-1)).toMatchObject({ initiator: { kind: "human", id: "carol", markers: ["CLAUDECODE"] }, decision: "allow" });
    }, 240_000);
});
