/**
 * Generated decision logs with known contents, for the report's tests and benchmark.
 */

/** One decision log line, with defaults for what a test does not care about. */
export function entry(over: {
    time: string;
    agent?: string;
    kind?: "agent" | "human" | "unidentified";
    stack?: string;
    dryRun?: boolean;
    decision?: "allow" | "deny";
    usd?: number | null;
    approvers?: string[];
    invalidApprover?: string;
    types?: string[];
    markers?: string[];
}): string {
    const types = over.types ?? ["aws:s3/bucket:Bucket"];
    return JSON.stringify({
        time: over.time,
        stack: over.stack ?? "organization/shop/dev",
        project: "shop",
        dryRun: over.dryRun ?? true,
        initiator: { kind: over.kind ?? "agent", id: over.kind === "unidentified" ? "" : (over.agent ?? "deploy-bot"), source: "env", ...(over.markers ? { markers: over.markers } : {}) },
        resourceTypes: types,
        providers: [...new Set(types.map((t) => t.split(":")[0]))].sort(),
        gates: [],
        approvals: [
            ...(over.approvers ?? []).map((iss, i) => ({ jti: `j${i}`, iss, valid: true })),
            ...(over.invalidApprover ? [{ jti: "bad", iss: over.invalidApprover, valid: false, reason: "expired" }] : []),
        ],
        estimatedMonthlyUsd: over.usd === undefined ? 10 : over.usd,
        decision: over.decision ?? "allow",
    });
}

/** `n` well-behaved runs of several agents, spread over working hours, as one log text. */
export function bigLog(n: number): string {
    const agents = ["deploy-bot", "research-bot", "ops-bot", "docs-bot", "data-bot"];
    const types = ["aws:s3/bucket:Bucket", "aws:ec2/instance:Instance", "cloudflare:index/record:Record", "aws:lambda/function:Function"];
    const start = Date.parse("2026-01-05T08:00:00Z");
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
        const day = Math.floor(i / 400);
        const ms = start + day * 86_400_000 + (i % 400) * 90_000;
        lines.push(
            entry({
                time: new Date(ms).toISOString(),
                agent: agents[i % agents.length],
                stack: `organization/shop/${i % 7 === 0 ? "prod" : "dev"}`,
                dryRun: i % 3 !== 0,
                decision: i % 11 === 0 ? "deny" : "allow",
                usd: 20 + (i % 13),
                approvers: i % 7 === 0 ? ["alice", "bob"] : [],
                types: [types[i % types.length], types[(i + 1) % types.length]],
            }),
        );
    }
    return lines.join("\n") + "\n";
}
