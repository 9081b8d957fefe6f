/**
 * `agentguard report` over generated logs with known anomalies, and hostile strings in every
 * field an agent can choose: ANSI escapes and bidi overrides in text, markup in HTML.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { cleanText, reportHtml, reportJson, reportText } from "../../src/report/render";
import { parseSince, summarizeLog } from "../../src/report/summarize";
import { bigLog, entry } from "./log-fixture";

const at = (hhmm: string, day = "2026-11-02") => `${day}T${hhmm}:00.000Z`;

/** deploy-bot: a quiet baseline, then a new type and provider, a spend jump, a burst, a 3 a.m. run. */
function knownLog(): string {
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) {
        lines.push(entry({ time: at(`1${i}:00`), usd: 10 + i, dryRun: i % 2 === 0, approvers: i === 2 ? ["alice", "bob"] : [], invalidApprover: i === 3 ? "mallory" : undefined }));
    }
    lines.push(entry({ time: at("16:30"), usd: 12, types: ["aws:s3/bucket:Bucket", "cloudflare:index/workersScript:WorkersScript"] }));
    lines.push(entry({ time: at("17:00"), usd: 400, stack: "organization/shop/prod", decision: "deny", dryRun: false }));
    for (let i = 0; i < 22; i++) {
        lines.push(entry({ time: new Date(Date.parse("2026-11-03T09:00:10.000Z") + i * 20_000).toISOString(), usd: 12 }));
    }
    lines.push(entry({ time: "2026-11-04T03:15:00.000Z", usd: 12 }));
    lines.push(entry({ time: at("12:00"), kind: "human", agent: "carol" }));
    lines.push(entry({ time: at("12:00"), kind: "unidentified" }));
    lines.push("not json", "{}", JSON.stringify({ time: "yesterday", stack: "x", dryRun: true, initiator: { kind: "agent", id: "x" }, decision: "allow" }));
    return lines.join("\n") + "\n";
}

describe("report summary", () => {
    const r = summarizeLog(knownLog());
    const bot = r.agents.find((a) => a.id === "deploy-bot")!;

    it("counts runs apart (previews, updates), denials, approvals by whom, stacks; skips malformed lines", () => {
        expect(r.agents.map((a) => a.id)).toEqual(["deploy-bot"]);
        expect(r).toMatchObject({ humanRuns: 1, unidentifiedRuns: 1, malformed: 3 });
        expect(bot.previews + bot.updates).toBe(31);
        expect(bot.updates).toBe(4); // 3 of the baseline and the denied prod update
        expect(bot.deniedUpdates).toBe(1);
        expect(bot.deniedPreviews).toBe(0);
        expect(bot.approvalsBy).toEqual({ alice: 1, bob: 1 }); // mallory's token was invalid
        expect(bot.stacks).toEqual({ "organization/shop/dev": 30, "organization/shop/prod": 1 });
        expect(bot.providers).toEqual(["aws", "cloudflare"]);
    });

    it("flags first use of a type and a provider after the first run, a spend jump, a burst and an unusual hour", () => {
        const kinds = bot.anomalies.map((a) => `${a.kind}:${a.detail}`);
        expect(kinds).toContain("first-type:cloudflare:index/workersScript:WorkersScript");
        expect(kinds).toContain("first-provider:cloudflare");
        expect(kinds.filter((k) => k.startsWith("first-type:aws:s3"))).toEqual([]);
        expect(bot.anomalies.filter((a) => a.kind === "spend-jump").map((a) => a.time)).toEqual([at("17:00")]);
        expect(bot.anomalyCounts.burst).toBe(1);
        expect(bot.anomalies.find((a) => a.kind === "burst")).toMatchObject({ detail: "21 runs within 10 minutes" });
        expect(bot.anomalies.find((a) => a.kind === "burst")?.time).toBe(new Date(Date.parse("2026-11-03T09:00:10.000Z") + 20 * 20_000).toISOString());
        expect(bot.anomalies.filter((a) => a.kind === "unusual-hour").map((a) => a.time)).toEqual(["2026-11-04T03:15:00.000Z"]);
        expect(bot.spend).toHaveLength(31);
        expect(bot.medianUsd).toBe(12);
    });

    it("honours the thresholds and --since", () => {
        expect(summarizeLog(knownLog(), { burstRuns: 30 }).agents[0].anomalyCounts.burst).toBe(0);
        expect(summarizeLog(knownLog(), { workHoursUtc: [0, 24] }).agents[0].anomalyCounts["unusual-hour"]).toBe(0);
        const since = summarizeLog(knownLog(), { sinceMs: Date.parse("2026-11-03T00:00:00Z") });
        expect(since.agents[0].previews + since.agents[0].updates).toBe(23);
        expect(since.skipped).toBe(10);
        expect(parseSince("7d", Date.parse("2026-11-08T00:00:00Z"))).toBe(Date.parse("2026-11-01T00:00:00Z"));
        expect(parseSince("2026-11-01", 0)).toBe(Date.parse("2026-11-01"));
        expect(parseSince("yesterday", 0)).toBeUndefined();
    });
});

const ESC = "\u001b";
const hostile = [
    entry({ time: at("10:00"), agent: `evil${ESC}[2J${ESC}]0;pwned\u0007-bot`, stack: "org/shop/\u202eprod\u202c", types: ["aws:s3/bucket:Bucket"] }),
    entry({
        time: at("11:00"),
        agent: `evil${ESC}[2J${ESC}]0;pwned\u0007-bot`,
        stack: 'org/shop/<script>document.title="pwned"</script>',
        types: ['x:<img src=x onerror="document.body.dataset.pwned=1">:T', "aws:s3/bucket:Bucket"],
        approvers: ['"><svg onload=alert(1)>'],
        usd: 900,
    }),
].join("\n");

describe("report output against hostile strings", () => {
    const r = summarizeLog(hostile);

    it("text strips control and bidi characters", () => {
        const text = reportText(r);
        expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        expect(text).toContain("evil[2J]0;pwned-bot");
        expect(text).toContain("org/shop/prod");
        expect(cleanText("a\u2067b\u200fc\u2028d")).toBe("abcd");
    });

    it("JSON keeps the data but escapes the characters", () => {
        const json = reportJson(r);
        expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202a-\u202e]/);
        expect(JSON.parse(json).agents[0].id).toBe(`evil${ESC}[2J${ESC}]0;pwned\u0007-bot`);
        // Unicode tags (read by a model, unseen by a person) are escaped as surrogate pairs.
        const tagged = reportJson(summarizeLog(entry({ time: at("10:00"), agent: "bot\u{e0041}\u{e0042}", stack: "org/shop/dev", types: ["aws:s3/bucket:Bucket"] })));
        expect(tagged).not.toMatch(/[\u{e0000}-\u{e007f}]/u);
        expect(tagged).toContain("bot\\udb40\\udc41\\udb40\\udc42");
        expect(JSON.parse(tagged).agents[0].id).toBe("bot\u{e0041}\u{e0042}");
    });

    it("HTML escapes every string, loads nothing and draws the chart inline", () => {
        const html = reportHtml(r);
        expect(html).not.toContain("<script");
        expect(html).not.toContain("<img");
        expect(html).not.toContain("<svg onload");
        expect(html).toContain("&#60;script&#62;");
        expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
        expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" id="spend-chart"');
        expect(html).not.toMatch(/\u001b|\u202e/);
    });
});

/** The Debian package's binary; CI installs it (.ci/run). A missing browser fails: it never skips. */
function chromium(): string {
    for (const c of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
        if (existsSync(c)) {
            return c;
        }
    }
    throw new Error("Chromium is not installed: apt-get install -y chromium (.ci/run does this); the HTML report test needs a real browser");
}

describe("report HTML in a real headless Chromium", () => {
    it("renders the chart, runs no injected markup and violates no content security policy", () => {
        const d = mkdtempSync(path.join(tmpdir(), "agentguard-report-"));
        const log = path.join(d, "decisions.jsonl");
        writeFileSync(log, hostile + "\n" + knownLog());
        const html = path.join(d, "report.html");
        const out = { stdout: "", stderr: "" };
        return main(["report", "--log", log, "--html", html], { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) }).then((code) => {
            expect(code).toBe(0);
            const browser = spawnSync(
                chromium(),
                ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", `--user-data-dir=${path.join(d, "profile")}`, "--enable-logging=stderr", "--v=0", "--dump-dom", `file://${html}`],
                { encoding: "utf8", timeout: 90_000 },
            );
            expect(browser.status, browser.stderr).toBe(0);
            const dom = browser.stdout;
            // The chart is in the rendered DOM: one series per agent.
            expect(dom).toContain('id="spend-chart"');
            expect((dom.match(/<polyline class="series"/g) ?? []).length + (dom.match(/<circle class="series"/g) ?? []).length).toBe(2);
            // Injected markup stayed text.
            expect(dom).not.toMatch(/<script|<img|<svg onload/);
            expect(dom).toContain("&lt;script&gt;");
            expect(dom).not.toContain("data-pwned");
            // Chromium reports blocked content as CSP violations on its console: there must be none
            // (the page needs nothing but its own hashed style).
            expect(browser.stderr).not.toMatch(/Content Security Policy|Refused to/);
            expect(readFileSync(html, "utf8")).toContain("default-src 'none'");
        });
    }, 120_000);

    it("is found where CI installs it", () => {
        expect(() => execFileSync(chromium(), ["--version"], { encoding: "utf8" })).not.toThrow();
    });
});

describe("agentguard report command", () => {
    it("prints text or JSON, rejects bad options", async () => {
        const d = mkdtempSync(path.join(tmpdir(), "agentguard-report-"));
        const log = path.join(d, "decisions.jsonl");
        writeFileSync(log, bigLog(500));
        const run = async (...argv: string[]) => {
            const out = { stdout: "", stderr: "" };
            const code = await main(["report", ...argv], { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) });
            return { code, ...out };
        };
        const text = await run("--log", log);
        expect(text.code).toBe(0);
        expect(text.stdout).toContain("agent deploy-bot");
        const json = await run("--log", log, "--json", "--since", "2026-01-05T12:00:00Z");
        expect(JSON.parse(json.stdout).agents).toHaveLength(5);
        expect((await run("--log", log, "--since", "soon")).code).toBe(2);
        expect((await run("--log", path.join(d, "missing.jsonl"))).code).toBe(2);
        expect((await run()).code).toBe(2);
        expect((await run("--log", log, "--burst-runs", "0")).code).toBe(2);
    });
});
