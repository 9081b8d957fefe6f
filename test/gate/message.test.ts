import { describe, expect, it } from "vitest";
import { JudgedItem } from "../../src/gate/decide";
import { approveCommand, denialMessage, summaryDenial } from "../../src/gate/message";
import { STACK } from "../fixtures";

const prod = { ...STACK, stack: "prod" };
const item = (over: Partial<JudgedItem> = {}): JudgedItem => ({
    level: "resource",
    resource: "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site",
    required: 2,
    need: { gate: "environment", environment: "production" },
    observed: 'agent "deploy-bot" declares "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site" in production (stack "prod" matches productionStacks)',
    approvedBy: [],
    satisfied: false,
    ...over,
});

describe("denial text", () => {
    it("says what was observed, what is needed and has, and the command that covers it", () => {
        const m = denialMessage(item(), { stack: prod, agent: "deploy-bot", approvals: { reports: [], valid: [] } });
        expect(m).toBe(
            'agent "deploy-bot" declares "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site" in production (stack "prod" matches productionStacks); ' +
                'needs 2 approvals with environments containing "production", has 0; no approvals presented. ' +
                'Sign (2 approvers, not "deploy-bot"): agentguard approve --key "$AGENTGUARD_KEY" --stack organization/shop/prod --agent deploy-bot --environment production --ttl 4h',
        );
    });

    it("counts what is still missing and explains tokens that do not count", () => {
        const valid = [{ jti: "j1", iss: "alice", exp: 0, scope: { environments: ["production"] } }, { jti: "j2", iss: "bob", exp: 0, scope: { environments: ["staging"] } }];
        const reports = [
            { jti: "j1", iss: "alice", valid: true },
            { jti: "j2", iss: "bob", valid: true },
            { jti: "j3", iss: "carol", valid: false, code: "ERR_APPROVAL_EXPIRED" as const, reason: "expired" },
        ];
        const m = denialMessage(item({ approvedBy: ["alice"] }), { stack: prod, agent: "deploy-bot", approvals: { reports, valid } });
        expect(m).toContain('has 1 (from "alice")');
        expect(m).toContain('token "j2" from "bob" does not cover it (its scope lacks environments containing "production")');
        expect(m).toContain('token "j3" from "carol" rejected: expired');
        expect(m).toContain('Sign (one more approver, not "deploy-bot")');
    });

    it("asks for the resource URN when a price is unknown", () => {
        const i = item({ need: { gate: "spend", kind: "unknown-price" } });
        expect(approveCommand(i, prod, "deploy-bot")).toContain("--max-monthly-usd CEILING --resource urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site");
    });
});

describe("the command in a denial", () => {
    it("quotes anything the agent's program chose, so pasting it runs nothing else", async () => {
        const { execFileSync } = await import("node:child_process");
        const evil = "urn:pulumi:prod::shop::aws:ec2/instance:Instance::web'; touch /tmp/agentguard-pwned; echo '";
        const cmd = approveCommand(item({ resource: evil, need: { gate: "spend", kind: "unknown-price" } }), prod, "deploy-bot");
        // The shell must hand the URN back as one argument, unchanged.
        const args = execFileSync("bash", ["-c", `printf '%s\\n' ${cmd.replace(/^agentguard approve /, "").replace('"$AGENTGUARD_KEY"', "k")}`], { encoding: "utf8" }).trim().split("\n");
        expect(args).toContain(evil);
        const pkg = approveCommand(item({ need: { gate: "provider", provider: "x;id" } }), prod, "deploy-bot");
        expect(pkg).toContain("--provider 'x;id'");
    });
});

describe("the summary of a denied run", () => {
    const findings = [
        item({ level: "stack", resource: undefined, need: { gate: "spend", kind: "total", amountUsd: 140.2 } }),
        item({ need: { gate: "access" } }),
        item({ required: 1, need: { gate: "provider", provider: "pulumi-nodejs" } }),
        item(),
        item({ level: "stack", resource: undefined, required: 1, need: { gate: "operations", count: 250 } }),
    ];

    it("names one command per approver covering every finding, first, in table order whatever the arrival order", () => {
        const text = summaryDenial(findings, prod, "deploy-bot");
        expect(text.split("\n")[0]).toBe('agent "deploy-bot" needs approval for 5 findings on "organization/shop/prod" (environment ×1, provider ×1, access ×1, spend ×1, operations ×1).');
        expect(text.split("\n")[1]).toBe(
            'To cover them all, 2 approvers (not "deploy-bot") each run: agentguard approve --key "$AGENTGUARD_KEY" --stack organization/shop/prod --agent deploy-bot --environment production --provider pulumi-nodejs --access --max-monthly-usd 141 --max-resources 250 --ttl 4h',
        );
        expect(text).toContain("add the 2 tokens");
        expect(text).toContain("docs/plans.md");
        expect(summaryDenial([...findings].reverse(), prod, "deploy-bot")).toBe(text);
    });

    it("subtracts approvals already valid: with Bob's token counted, one more approver who is not Bob", () => {
        const text = summaryDenial(
            findings.map((f) => ({ ...f, approvedBy: f.required === 2 ? ["bob"] : [] })),
            prod,
            "deploy-bot",
        );
        expect(text).toContain('To cover them all, 1 more approver (not "deploy-bot", "bob") each run:');
        expect(text).toContain("add the 1 token");
        // Where one finding still needs two, two are asked for, and Bob may be one of them.
        const mixed = summaryDenial([item({ approvedBy: ["bob"] }), item({ need: { gate: "access" } })], prod, "deploy-bot");
        expect(mixed).toContain('2 approvers (not "deploy-bot") each run:');
    });

    it("asks for one more token naming every unknown price, with a concrete ceiling", () => {
        const unpriced = ["a", "b", "c", "d"].map((n) =>
            item({ resource: `urn:pulumi:prod::shop::x:index:Thing::${n}`, need: { gate: "spend", kind: "unknown-price" } }),
        );
        const text = summaryDenial([item(), ...unpriced], prod, "deploy-bot", { ceilingUsd: 100 });
        expect(text).toContain('For all but the unknown prices, 2 approvers (not "deploy-bot") each run: agentguard approve --key "$AGENTGUARD_KEY" --stack organization/shop/prod --agent deploy-bot --environment production --ttl 4h');
        expect(text).toContain(
            'For the unknown prices of 4 resources, 2 approvers (not "deploy-bot") each run: agentguard approve --key "$AGENTGUARD_KEY" --stack organization/shop/prod --agent deploy-bot --max-monthly-usd 100 ' +
                "--resource urn:pulumi:prod::shop::x:index:Thing::a --resource urn:pulumi:prod::shop::x:index:Thing::b --resource urn:pulumi:prod::shop::x:index:Thing::c --resource urn:pulumi:prod::shop::x:index:Thing::d --ttl 4h",
        );
        expect(text).toContain("add the 4 tokens");
        expect(text).not.toContain("CEILING");
    });

    it("leaves an item's own command out when the summary names it", () => {
        expect(denialMessage(item(), { stack: prod, agent: "deploy-bot", approvals: { reports: [], valid: [] }, summarized: true })).toBe(
            'agent "deploy-bot" declares "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site" in production (stack "prod" matches productionStacks); needs 2 approvals with environments containing "production", has 0; no approvals presented.',
        );
    });
});

describe("text the agent's program chose", () => {
    // A resource name is the program's: a newline would forge a line of the denial, an escape
    // sequence would erase or recolour one, a bidi override would reorder what the approver reads.
    const forged = "site\nagentguard: approved by alice and bob, nothing to sign\u001b[2K\u001b[1A\u202etxet";
    const urn = `urn:pulumi:prod::shop::aws:s3/bucket:Bucket::${forged}`;
    const evil = item({ resource: urn, need: { gate: "access" }, observed: `agent "deploy-bot" would change access control with "${urn}"` });
    const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

    it("shows control, escape and bidi characters as visible escapes in an item's text and command", () => {
        const m = denialMessage(evil, { stack: prod, agent: "deploy-bot", approvals: { reports: [], valid: [] } });
        expect(m).not.toMatch(UNSAFE);
        expect(m).not.toContain("\n");
        expect(m).toContain("site\\u{a}agentguard: approved by alice and bob, nothing to sign\\u{1b}[2K\\u{1b}[1A\\u{202e}txet");
    });

    it("keeps the summary's own lines and escapes every line break inside them", () => {
        // An unknown price names its resource in the command.
        const s = summaryDenial([{ ...evil, need: { gate: "spend", kind: "unknown-price" } }], prod, "deploy-bot");
        expect(s).toContain("--resource 'urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site\\u{a}agentguard");
        expect(s).not.toMatch(UNSAFE);
        expect(s.split("\n").some((l) => l.startsWith("agentguard: approved"))).toBe(false);
        expect(s.split("\n").length).toBe(3);
    });
});
