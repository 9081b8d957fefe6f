/**
 * Configuration fixed per run, one caller (docs/contract.md §1, v2), over the Analyzer protocol, for
 * both entries: the directory pack (run-policy-pack) and the executable entry.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { printable } from "../../src/facts/format";
import { MAX_SECRETS, RunGuard, SecretSet, WITHHELD, canonical, scrubSecrets } from "../../src/pack/guard";
import { MANDATORY, Pack, PackOptions, ResourceInput, urnOf } from "./analyzer-client";

const running: Pack[] = [];
afterEach(() => {
    running.splice(0).forEach((p) => p.stop());
});

const bucket: ResourceInput = { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } };
const AGENT = { "agentguard:agent": "deploy-bot" };

function logFile(): string {
    return path.join(mkdtempSync(path.join(tmpdir(), "agentguard-log-")), "decisions.jsonl");
}

async function start(opts: PackOptions): Promise<Pack> {
    const pack = await Pack.start(opts);
    running.push(pack);
    await pack.configure({ "agent-change-gate": {} });
    await pack.configureStack({});
    return pack;
}

function lines(file: string): Record<string, unknown>[] {
    return readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

describe.each([
    ["directory pack", false],
    ["executable entry", true],
])("the run guard (%s)", (_name, executable) => {
    it("refuses a second Configure, and denies the rest of an agent's run saying the pack was reconfigured (logged)", async () => {
        const log = logFile();
        const pack = await start({ executable, stack: "dev", stackConfig: AGENT, env: { AGENTGUARD_DECISION_LOG: log } });
        await expect(pack.configure({ "agent-change-gate": {} })).rejects.toThrow(/reconfigured during the run/);
        const { perResource, stack } = await pack.preview([bucket]);
        expect(perResource[0].map((d) => d.enforcementLevel)).toEqual([MANDATORY]);
        expect(perResource[0][0].message).toContain("the policy pack was reconfigured during the run");
        expect(stack.some((d) => d.message.includes("reconfigured"))).toBe(true);
        const [entry] = lines(log);
        expect(entry).toMatchObject({ decision: "deny" });
        expect(JSON.stringify(entry.errors)).toContain("reconfigured");
    });

    it("refuses a second ConfigureStack the same way", async () => {
        const pack = await start({ executable, stack: "dev", stackConfig: AGENT });
        await expect(pack.configureStack({ environment: "dev" })).rejects.toThrow(/reconfigured during the run/);
        expect((await pack.analyze(bucket))[0].message).toContain("reconfigured");
    });

    it("serves only the engine's connection: another one is refused, writes no state, and taints the run", async () => {
        const log = logFile();
        const pack = await start({ executable, stack: "dev", stackConfig: AGENT, env: { AGENTGUARD_DECISION_LOG: log } });
        const intruder = pack.other();
        running.push(intruder);
        // An early empty AnalyzeStack would otherwise write an "allow" line before the engine's.
        await expect(intruder.analyzeStack([])).rejects.toThrow(/connection other than the engine's/);
        await expect(intruder.analyze(bucket)).rejects.toThrow(/connection other than the engine's/);
        const { perResource } = await pack.preview([bucket]);
        expect(perResource[0][0].message).toContain("reconfigured or probed during the run");
        expect(lines(log)).toHaveLength(1);
        expect(lines(log)[0]).toMatchObject({ decision: "deny" });
    });

    it("denies when a URN is analyzed twice with different inputs, not when the inputs are the same", async () => {
        const pack = await start({ executable, stack: "dev", stackConfig: AGENT });
        expect(await pack.analyze(bucket)).toEqual([]);
        expect(await pack.analyze(bucket)).toEqual([]);
        const changed = await pack.analyze({ ...bucket, props: { bucket: "other" } });
        expect(changed[0].message).toContain(`"${urnOf(bucket)}" was analyzed twice with different inputs`);
        expect((await pack.analyzeStack([bucket])).some((d) => d.enforcementLevel === MANDATORY)).toBe(true);
    });

    it("does not open Node's debugger on SIGUSR1 (which would let any local process run code inside the pack)", async () => {
        const pack = await start({ executable, stack: "prod", stackConfig: AGENT });
        pack.signal("SIGUSR1");
        await new Promise((r) => setTimeout(r, 500));
        expect(pack.stderr()).not.toMatch(/Debugger listening/);
        // Still alive, and still the gate.
        expect((await pack.analyze(bucket)).map((d) => d.enforcementLevel)).toContain(MANDATORY);
    });

    it("leaves a human's run alone (the gate judges agents' runs)", async () => {
        const pack = await start({ executable, stack: "prod", env: { AGENTGUARD_INITIATOR: "human:carol" } });
        await expect(pack.configure({ "agent-change-gate": {} })).rejects.toThrow();
        expect(await pack.analyze({ ...bucket, stack: "prod" })).toEqual([]);
    });
});

describe("the executable entry", () => {
    it("takes stack, organization and config from ConfigureStack, not from variables the agent could set", async () => {
        // The variables the directory pack reads are set to a harmless stack; the launcher drops them.
        const pack = await start({
            executable: true,
            stack: "prod",
            organization: "acme",
            stackConfig: AGENT,
            env: { PULUMI_NODEJS_STACK: "dev", PULUMI_NODEJS_ORGANIZATION: "evil", PULUMI_CONFIG: JSON.stringify({ "agentguard:agent": "other-bot" }) },
        });
        const [d] = await pack.analyze({ ...bucket, stack: "prod" });
        expect(d.message).toContain(`agent "deploy-bot" declares "${urnOf(bucket, "prod")}" in production`);
        // The summary names what to sign, for the organization ConfigureStack gave.
        const summary = (await pack.analyzeStack([{ ...bucket, stack: "prod" }])).map((x) => x.message).join("\n");
        expect(summary).toContain("--stack acme/shop/prod");
    });
});

describe("text the program chose, in every line the pack sends (Analyzer protocol)", () => {
    const FORGED = "\nagent-change-gate: approved by alice and bob\u001b[1A";
    /** Each diagnostic's text after the policy's description (the one line break the pack puts in). */
    const bodies = (ds: { message: string }[]) => ds.map((d) => d.message.slice(d.message.indexOf("\n") + 1));

    it("escapes a URN the guard quotes when it denies the rest of a run", async () => {
        const pack = await start({ stackConfig: AGENT });
        const forged = { ...bucket, name: `site${FORGED}` };
        await pack.analyze(forged);
        const ds = [...(await pack.analyze({ ...forged, props: { bucket: "other" } })), ...(await pack.analyzeStack([forged]))];
        expect(ds.map((d) => d.message).join(" ")).toContain("analyzed twice with different inputs");
        for (const b of bodies(ds)) {
            expect(b).not.toMatch(/[\n\u001b]/);
        }
    });

    it("escapes a hand-made identity's inputs in agent-identity-hygiene's findings", async () => {
        const token: ResourceInput = { type: "cloudflare:index/accountToken:AccountToken", name: "token", props: { name: "agentguard-hand-bot", expiresOn: `never${FORGED}` } };
        const role: ResourceInput = { type: "aws:iam/role:Role", name: "r", props: { name: `r${FORGED}`, tags: { "agentguard:agent": "hand-bot" }, assumeRolePolicy: "{}" } };
        const pack = await start({ stackConfig: AGENT });
        const ds = (await pack.analyzeStack([token, role])).filter((d) => d.policyName === "agent-identity-hygiene");
        expect(ds.length).toBeGreaterThan(0);
        for (const b of bodies(ds)) {
            expect(b).not.toMatch(/[\n\u001b]/);
        }
        expect(bodies(ds).join(" ")).toContain("\\u{a}agent-change-gate: approved by alice and bob\\u{1b}[1A");
    });
});

describe("scrubSecrets and canonical", () => {
    it("masks long secrets anywhere and short ones as whole words only", () => {
        const s = new Set(["hidden-shop.io", "live"]);
        expect(scrubSecrets('buys "hidden-shop.io" (www.hidden-shop.io); tag "live", delivery', s)).toBe('buys "[secret]" (www.[secret]); tag "[secret]", delivery');
        expect(scrubSecrets("nothing", new Set())).toBe("nothing");
    });

    it("masks a secret number in the forms the gate prints it: rounded, rounded up, grouped, in cents", () => {
        const s = ["987654.3"];
        expect(scrubSecrets("limit $987,654/month; maxMonthlyUsd ≥ 987655; --max-monthly-usd 987655; $987,654.30; 987654.3", s)).toBe(
            "limit $[secret]/month; maxMonthlyUsd ≥ [secret]; --max-monthly-usd [secret]; $[secret]; [secret]",
        );
        const set = new SecretSet();
        set.add("7777");
        expect([set.hasNumber(7777), set.hasNumber(7777.2), set.hasNumber(1234)]).toEqual([true, true, false]);
    });

    it("masks short secrets that touch each other, and secrets of any size (a certificate bundle)", () => {
        expect(scrubSecrets("range 1.5-12 and x1.5", ["1.5", "-12"])).toBe("range [secret][secret] and x1.5");
        const pem = `-----BEGIN CERTIFICATE-----${"A".repeat(40_000)}-----END CERTIFICATE-----`;
        const other = `${"B".repeat(40_000)}`;
        expect(scrubSecrets(`bundle ${pem} and ${other}.`, [pem, other])).toBe("bundle [secret] and [secret].");
    });

    it("masks a secret with control characters in the escaped form a denial shows it", () => {
        const secret = "line one\nline two\u001b[0m";
        expect(scrubSecrets(`raw ${secret} and shown ${printable(secret)}`, [secret])).toBe("raw [secret] and shown [secret]");
        // A short secret right after an escaped character still stands as a word of its own.
        expect(scrubSecrets(printable("name x\nab12 here"), ["ab12"])).toBe("name x\\u{a}[secret] here");
    });

    it("withholds texts whole past MAX_SECRETS values, rather than masking some and not others", () => {
        const set = new SecretSet();
        for (let i = 0; i <= MAX_SECRETS + 5; i++) {
            set.add(`secret-value-${i}`);
        }
        expect(set.scrub("anything at all")).toBe(WITHHELD);
    });

    it("gives equal digests for equal inputs in any key order", () => {
        expect(canonical({ b: 1, a: [{ d: 2, c: null }] })).toBe(canonical({ a: [{ c: null, d: 2 }], b: 1 }));
        expect(canonical({ a: 1 })).not.toBe(canonical({ a: "1" }));
    });

    it("collects secrets from raw requests, JSON-encoded provider config and ARN fragments included", () => {
        const g = new RunGuard({ taint: () => undefined }, { pinPeer: false });
        const sig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
        const props = { toJavaScript: () => ({ a: { ...sig, value: "arn:aws:iam::444455556666:role/deployer" }, b: "plain-value" }) };
        const provider = { getProperties: () => ({ toJavaScript: () => ({ assumeRoles: { ...sig, value: JSON.stringify([{ roleArn: "arn:aws:iam::777788889999:role/x" }]) } }) }), getUrn: () => "p" };
        const handler = g.wrap("analyze", (_c, cb) => cb(null, undefined));
        handler({ request: { getProperties: () => props, getProvider: () => provider, getUrn: () => "u", getType: () => "t" }, getPeer: () => "x" }, () => undefined);
        expect(g.scrub("444455556666 777788889999 deployer plain-value")).toBe("[secret] [secret] [secret] plain-value");
    });
});
