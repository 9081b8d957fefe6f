/**
 * agentguard's performance benchmark: `npm run bench` (full, about 7 minutes on 2 cores) or
 * `npm run bench -- --quick` (about 2 minutes). It measures the compiled pack in dist/ (build
 * first) against an empty @pulumi/policy pack started the same way in the same run, and prints
 * every figure and a table of the bounds of docs/performance.md with PASS or MISS.
 * It is a benchmark, not a test: it exits 0 whatever it measures (non-zero only if it cannot run).
 *
 * Options:
 *   --quick              fewer rounds, 1,000 instead of 10,000 resources in the probe run
 *   --only a,b           run only some sections: cold, resource, verify, preview, plan, report
 *   --preview-rounds <n> rounds of the preview comparison (default 5, 1 with --quick)
 *   --json <file>        also write every sample as JSON
 *
 * Sections:
 *   cold      process start → port printed → first GetAnalyzerInfo answered, launched like the
 *             engine does (test/pack/analyzer-client.ts), alternating the two packs.
 *   resource  Analyze over gRPC for 1,000 and 10,000 resources, then AnalyzeStack, agent
 *             "deploy-bot" on stack "prod" with two approvals (the full path); pack CPU time
 *             from /proc/<pid>/stat; peak RSS (VmHWM) of the pack after the run.
 *   verify    16 tokens presented (2 valid, 14 signed for another stack: their signatures are
 *             checked, then they are rejected); bench/pack-probe.js counts jose.compactVerify
 *             calls in the pack at 1 and at 10,000 resources.
 *   preview   `pulumi preview` of a 500-bucket stack on the offline simulators (test/e2e/pulumi.ts),
 *             side by side: no pack, an empty @pulumi/policy directory pack, agentguard's directory
 *             pack, agentguard's executable entry (bin/agentguard-analyzer) and a floor: a no-op
 *             analyzer started the same way on the same server (bench/floor-analyzer.js), which
 *             shows what any Node.js analyzer costs before it checks anything; the full run adds
 *             the directory pack's dev and human runs.
 *   plan      `agentguard plan check` as a process on a 1,000-resource saved plan (bench/plan.ts).
 *   report    `agentguard report` (compiled CLI, a fresh node process) over a generated
 *             100,000-line decision log, text and HTML: bound < 3 s wall time.
 */
import { ChildProcess, spawnSync } from "node:child_process";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { readPresentedTokens } from "../src/approvals/tokens";
import { verifyApprovals } from "../src/approvals/verify";
import { normalizeGateConfig } from "../src/gate/config";
import provisionPulumi from "../test/e2e/global-setup";
import { EXECUTABLE, Workspace } from "../test/e2e/pulumi";
import { Approver, approver, realNow, sign } from "../test/fixtures";
import { bigLog } from "../test/report/log-fixture";
import { Pack, ResourceInput } from "../test/pack/analyzer-client";
import { timePlanCheck } from "./plan";
import { PROBE, ROOT, Row, Stat, childrenCpuMs, cpuMs, fmt, loadAverage, machine, makeEmptyPack, mixedResources, paired, peakRssMiB, readProbe, removeTemp, stat, table, tempDir } from "./lib";

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const optValue = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
};
const SECTIONS = new Set((optValue("--only") ?? "cold,resource,verify,preview,plan,report").split(",").map((s) => s.trim()));
const JSON_OUT = optValue("--json");

const PLAN = QUICK
    ? { coldRounds: 3, smallRounds: 2, bigRounds: 1, verifyBig: 1_000, previewRounds: 1, previewProbe: false }
    : { coldRounds: 9, smallRounds: 5, bigRounds: 3, verifyBig: 10_000, previewRounds: 5, previewProbe: true };
const previewRounds = Number(optValue("--preview-rounds") ?? PLAN.previewRounds);
const SMALL = 1_000;
const BIG = 10_000;
const PREVIEW_RESOURCES = 500;

const AGENT = "deploy-bot";
const PROD = { organization: "organization", project: "shop", stack: "prod" };
const DEV = { organization: "organization", project: "shop", stack: "dev" };

type Which = "empty" | "agentguard";
const WHICH: readonly Which[] = ["empty", "agentguard"];

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const rows: Row[] = [];
const results: Record<string, unknown> = {};
const notes: string[] = [];

// ---------------------------------------------------------------------------------------------
// Shared set-up

let emptyDir = "";
let alice: Approver;
let bob: Approver;
let gateConfig: Record<string, unknown>;

const packDir = (w: Which) => (w === "empty" ? emptyDir : ROOT);
const pidOf = (p: Pack) => (p as unknown as { proc: ChildProcess }).proc.pid!;
/** Alternates the order of the two packs from one round to the next. */
const order = (round: number): readonly Which[] => (round % 2 === 0 ? WHICH : [...WHICH].reverse());
const ms = (from: number) => performance.now() - from;

/** dist/ must not change under the bench (other people may rebuild while it runs). */
const DIST_ENTRY = path.join(ROOT, "dist/pack/index.js");
const distStamp = () => statSync(DIST_ENTRY).mtimeMs;

// ---------------------------------------------------------------------------------------------
// Cold start

async function coldStart(): Promise<void> {
    log(`cold start: ${PLAN.coldRounds} rounds`);
    const port: Record<Which, number[]> = { empty: [], agentguard: [] };
    const serve: Record<Which, number[]> = { empty: [], agentguard: [] };
    for (const w of WHICH) {
        (await Pack.start({ packDir: packDir(w) })).stop(); // warm the file cache
    }
    for (let round = 0; round < PLAN.coldRounds; round++) {
        for (const w of order(round)) {
            const t0 = performance.now();
            const pack = await Pack.start({ packDir: packDir(w) });
            port[w].push(ms(t0));
            await pack.info();
            serve[w].push(ms(t0));
            pack.stop();
        }
    }
    const s = { port: { empty: stat(port.empty), agentguard: stat(port.agentguard) }, serve: { empty: stat(serve.empty), agentguard: stat(serve.agentguard) } };

    // One probed start per pack: what the load path is made of.
    const breakdown: Record<string, { ms: number; depth: number; request: string }[]> = {};
    for (const w of WHICH) {
        const file = path.join(tempDir("probe"), "probe.log");
        const pack = await Pack.start({ packDir: packDir(w), env: { NODE_OPTIONS: `--require ${PROBE}`, AGENTGUARD_BENCH_PROBE: file } });
        await pack.info();
        pack.stop();
        breakdown[w] = [...readProbe(file).loads];
    }
    results.coldStart = { ms: s, loads: breakdown };

    console.log("\n## Cold start (spawn of run-policy-pack → port printed → first GetAnalyzerInfo answered)\n");
    for (const w of WHICH) {
        console.log(`  ${w.padEnd(10)} port ${fmt(s.port[w], "ms")}   serving ${fmt(s.serve[w], "ms")}`);
    }
    console.log("\n  Load path (one probed start each; require times include what a module requires, indented; ≥ 1 ms; in load order of completion):");
    for (const w of WHICH) {
        console.log(`  ${w}:`);
        for (const l of breakdown[w]) {
            console.log(`    ${l.ms.toFixed(1).padStart(7)} ms  ${"  ".repeat(l.depth)}${l.request.replace(ROOT, "<repo>").replace(emptyDir, "<empty pack>")}`);
        }
    }
    const ratio = s.serve.agentguard.median / s.serve.empty.median;
    rows.push({
        what: "cold start to serving",
        agentguard: `${s.serve.agentguard.median.toFixed(0)} ms`,
        baseline: `${s.serve.empty.median.toFixed(0)} ms (empty pack)`,
        ratio,
        bound: "≤ 1.30×",
        pass: ratio <= 1.3,
        ...paired(serve.agentguard, serve.empty, 1.3),
    });
}

// ---------------------------------------------------------------------------------------------
// Analyze over gRPC

interface AnalyzeRun {
    /** Wall time of all Analyze calls, per resource, µs (as the engine waits for them). */
    readonly wallUs: number;
    /** CPU time of the pack process during the Analyze calls, per resource, µs. */
    readonly cpuUs: number;
    /** Wall time of each successive block of 1,000 Analyze calls, ms. */
    readonly blocksMs: number[];
    readonly stackMs: number;
    readonly stackCpuMs: number;
    readonly peakRssMiB: number;
    readonly violations: number;
    readonly decision?: string;
    readonly probe?: ReturnType<typeof readProbe>;
    readonly approvals?: unknown;
}

/**
 * One engine run: a fresh pack process (the pack keeps its run state per process, as under the
 * engine), Configure, ConfigureStack, Analyze for each resource, AnalyzeStack.
 */
async function analyzeRun(w: Which, resources: readonly ResourceInput[], tokens: readonly string[], probe?: string): Promise<AnalyzeRun> {
    const dir = tempDir("run");
    const decisionLog = path.join(dir, "decisions.jsonl");
    const pack = await Pack.start({
        packDir: packDir(w),
        stack: PROD.stack,
        stackConfig: { "agentguard:agent": AGENT, "agentguard:approvals": JSON.stringify(tokens) },
        env: { AGENTGUARD_DECISION_LOG: decisionLog, ...(probe ? { NODE_OPTIONS: `--require ${PROBE}`, AGENTGUARD_BENCH_PROBE: probe } : {}) },
    });
    try {
        const pid = pidOf(pack);
        await pack.configure(w === "agentguard" ? { "agent-change-gate": gateConfig } : { noop: {}, "noop-stack": {} });
        await pack.configureStack({});
        let violations = 0;
        const blocksMs: number[] = [];
        const cpu0 = cpuMs(pid);
        const t0 = performance.now();
        let tBlock = t0;
        for (let i = 0; i < resources.length; i++) {
            violations += (await pack.analyze(resources[i])).length;
            if ((i + 1) % 1000 === 0) {
                blocksMs.push(ms(tBlock));
                tBlock = performance.now();
            }
        }
        const wall = ms(t0);
        const cpu1 = cpuMs(pid);
        const t1 = performance.now();
        violations += (await pack.analyzeStack([...resources])).length;
        const stackMs = ms(t1);
        const cpu2 = cpuMs(pid);
        const rss = peakRssMiB(pid);
        let decision: string | undefined;
        let approvals: unknown;
        if (w === "agentguard") {
            try {
                const last = JSON.parse(readFileSync(decisionLog, "utf8").trim().split("\n").pop()!);
                decision = last.decision;
                approvals = last.approvals;
            } catch {
                decision = "no decision logged";
            }
        }
        return {
            wallUs: (wall * 1000) / resources.length,
            cpuUs: ((cpu1 - cpu0) * 1000) / resources.length,
            blocksMs,
            stackMs,
            stackCpuMs: cpu2 - cpu1,
            peakRssMiB: rss,
            violations,
            decision,
            approvals,
            probe: probe ? readProbe(probe) : undefined,
        };
    } finally {
        pack.stop();
        rmSync(dir, { recursive: true, force: true });
    }
}

function checkAllowed(r: AnalyzeRun, what: string): void {
    if (r.violations > 0 || r.decision !== "allow") {
        notes.push(`${what}: the gate did not allow the run (${r.violations} violations, decision ${r.decision}); the figures are not of the full allowed path`);
    }
}

async function perResource(tokens: readonly string[]): Promise<void> {
    const all = mixedResources(BIG);
    const runs: Record<number, Record<Which, AnalyzeRun[]>> = {};
    for (const [n, rounds] of [
        [SMALL, PLAN.smallRounds],
        [BIG, PLAN.bigRounds],
    ] as const) {
        log(`Analyze × ${n}: ${rounds} rounds per pack`);
        runs[n] = { empty: [], agentguard: [] };
        for (let round = 0; round < rounds; round++) {
            for (const w of order(round)) {
                const r = await analyzeRun(w, all.slice(0, n), tokens);
                if (w === "agentguard") {
                    checkAllowed(r, `Analyze × ${n}`);
                }
                runs[n][w].push(r);
                log(`  ${w} × ${n}: ${r.wallUs.toFixed(0)} µs/resource, stack ${r.stackMs.toFixed(0)} ms, peak RSS ${r.peakRssMiB.toFixed(0)} MiB`);
            }
        }
    }
    const S = (n: number, w: Which, f: (r: AnalyzeRun) => number): Stat => stat(runs[n][w].map(f));
    const summary: Record<string, Record<string, Record<string, Stat>>> = {};
    for (const n of [SMALL, BIG]) {
        summary[n] = {};
        for (const w of WHICH) {
            summary[n][w] = {
                wallUs: S(n, w, (r) => r.wallUs),
                cpuUs: S(n, w, (r) => r.cpuUs),
                stackMs: S(n, w, (r) => r.stackMs),
                stackCpuMs: S(n, w, (r) => r.stackCpuMs),
                peakRssMiB: S(n, w, (r) => r.peakRssMiB),
            };
        }
    }
    results.perResource = { summary, runs };

    console.log(`\n## Analyze over gRPC (agent "${AGENT}" on "prod", two approvals, mixed AWS resources; fresh pack per run)\n`);
    for (const n of [SMALL, BIG]) {
        for (const w of WHICH) {
            const s = summary[n][w];
            console.log(
                `  ${String(n).padStart(6)} ${w.padEnd(10)} Analyze ${fmt(s.wallUs, "µs/resource")}  pack CPU ${fmt(s.cpuUs, "µs/resource")}\n` +
                    `  ${"".padStart(6)} ${"".padEnd(10)} AnalyzeStack ${fmt(s.stackMs, "ms")}  pack CPU ${fmt(s.stackCpuMs, "ms")}  peak RSS ${fmt(s.peakRssMiB, "MiB")}`,
            );
        }
    }
    const blocks = (w: Which) => runs[BIG][w][Math.floor(runs[BIG][w].length / 2)].blocksMs;
    console.log(`\n  Wall time of each block of 1,000 Analyze calls in a ${BIG.toLocaleString("en-US")}-resource run (ms), median run:`);
    for (const w of WHICH) {
        console.log(`  ${w.padEnd(10)} ${blocks(w).map((b) => b.toFixed(0)).join(" ")}`);
    }

    for (const n of [SMALL, BIG]) {
        const a = summary[n].agentguard.wallUs.median;
        const e = summary[n].empty.wallUs.median;
        rows.push({
            what: `Analyze per resource @ ${n.toLocaleString("en-US")}`,
            agentguard: `${a.toFixed(0)} µs`,
            baseline: `${e.toFixed(0)} µs`,
            ratio: a / e,
            bound: "≤ 2×",
            pass: a / e <= 2,
            ...paired(runs[n].agentguard.map((r) => r.wallUs), runs[n].empty.map((r) => r.wallUs), 2),
        });
        const ac = summary[n].agentguard.cpuUs.median;
        const ec = summary[n].empty.cpuUs.median;
        rows.push({
            what: `  pack CPU per resource @ ${n.toLocaleString("en-US")}`,
            agentguard: `${ac.toFixed(0)} µs`,
            baseline: `${ec.toFixed(0)} µs`,
            ratio: ac / ec,
            range: paired(runs[n].agentguard.map((r) => r.cpuUs), runs[n].empty.map((r) => r.cpuUs), 2).range,
            bound: "(≤ 2×)",
            pass: undefined,
        });
    }
    const as = summary[BIG].agentguard.stackMs.median;
    const es = summary[BIG].empty.stackMs.median;
    rows.push({
        what: `AnalyzeStack @ ${BIG.toLocaleString("en-US")}`,
        agentguard: `${as.toFixed(0)} ms`,
        baseline: `${es.toFixed(0)} ms`,
        ratio: as / es,
        bound: "≤ 2×",
        pass: as / es <= 2,
        ...paired(runs[BIG].agentguard.map((r) => r.stackMs), runs[BIG].empty.map((r) => r.stackMs), 2),
    });

    // Linear growth: the cost per resource does not rise with the resource count.
    const lin = (w: Which) => summary[BIG][w].wallUs.median / summary[SMALL][w].wallUs.median;
    rows.push({
        what: `linear: Analyze/resource ${BIG / 1000}k ÷ ${SMALL / 1000}k`,
        agentguard: `${summary[BIG].agentguard.wallUs.median.toFixed(0)} ÷ ${summary[SMALL].agentguard.wallUs.median.toFixed(0)} µs`,
        baseline: `empty: ${lin("empty").toFixed(2)}×`,
        ratio: lin("agentguard"),
        bound: "≤ 1.25×",
        pass: lin("agentguard") <= 1.25,
    });
    const b = blocks("agentguard");
    const lastVsMedian = b[b.length - 1] / stat(b).median;
    rows.push({
        what: `linear: last 1k block ÷ median block @ ${BIG / 1000}k`,
        agentguard: `${b[b.length - 1].toFixed(0)} ÷ ${stat(b).median.toFixed(0)} ms`,
        baseline: `empty: ${(blocks("empty")[blocks("empty").length - 1] / stat(blocks("empty")).median).toFixed(2)}×`,
        ratio: lastVsMedian,
        bound: "≤ 1.25×",
        pass: lastVsMedian <= 1.25,
    });
    const stackLin = (w: Which) => summary[BIG][w].stackMs.median / BIG / (summary[SMALL][w].stackMs.median / SMALL);
    rows.push({
        what: `linear: AnalyzeStack/resource ${BIG / 1000}k ÷ ${SMALL / 1000}k`,
        agentguard: `${summary[BIG].agentguard.stackMs.median.toFixed(0)} ms ÷ 10 × ${summary[SMALL].agentguard.stackMs.median.toFixed(0)} ms`,
        baseline: `empty: ${stackLin("empty").toFixed(2)}×`,
        ratio: stackLin("agentguard"),
        bound: "≤ 1.25×",
        pass: stackLin("agentguard") <= 1.25,
    });
    const ar = summary[BIG].agentguard.peakRssMiB.median;
    const er = summary[BIG].empty.peakRssMiB.median;
    rows.push({ what: `peak RSS of the pack @ ${BIG.toLocaleString("en-US")}`, agentguard: `${ar.toFixed(0)} MiB`, baseline: `${er.toFixed(0)} MiB`, ratio: ar / er, bound: "(report)", pass: undefined });
    // Peak RSS growth from 1,000 to 10,000 resources, per resource.
    const growth = (w: Which) => ((summary[BIG][w].peakRssMiB.median - summary[SMALL][w].peakRssMiB.median) * 1024) / (BIG - SMALL);
    console.log(`\n  Peak RSS grows by ${growth("agentguard").toFixed(1)} KiB per resource with agentguard, ${growth("empty").toFixed(1)} KiB with the empty pack (from ${SMALL.toLocaleString("en-US")} to ${BIG.toLocaleString("en-US")} resources).`);
}

// ---------------------------------------------------------------------------------------------
// Token verification: once per run

async function verification(valid: readonly string[]): Promise<void> {
    log("token verification: 16 tokens presented");
    // 14 more tokens, signed by the same approvers for stack "staging": each signature is verified,
    // then the token is rejected (wrong stack), so they add verification work but no approvals.
    const staging = { ...PROD, stack: "staging" };
    const extra = await Promise.all(Array.from({ length: 14 }, (_, i) => sign(i % 2 ? bob : alice, { environments: ["production"] }, { stack: staging, now: realNow() - 60 })));
    const tokens = [...valid, ...extra];

    // In-process: what verifying the 16 costs, once.
    const config = normalizeGateConfig(gateConfig);
    const presented = readPresentedTokens(JSON.stringify(tokens));
    const once: number[] = [];
    let set = await verifyApprovals(presented, { config, stack: PROD, agent: AGENT, now: realNow() });
    for (let i = 0; i < 21; i++) {
        const t0 = performance.now();
        set = await verifyApprovals(presented, { config, stack: PROD, agent: AGENT, now: realNow() });
        once.push(ms(t0));
    }
    const verify16 = stat(once);

    // In the pack: count compactVerify calls at 1 resource and at many.
    const counts: Record<number, { verifies: number; beforeFirstAnalyze: boolean; wallUs: number; decision?: string }> = {};
    for (const n of [1, PLAN.verifyBig]) {
        const file = path.join(tempDir("probe"), "probe.log");
        const r = await analyzeRun("agentguard", mixedResources(n), tokens, file);
        checkAllowed(r, `verification probe × ${n}`);
        const firstAnalyze = r.probe!.calls.analyze?.first ?? Infinity;
        counts[n] = { verifies: r.probe!.verifies.length, beforeFirstAnalyze: r.probe!.verifies.every((t) => t <= firstAnalyze), wallUs: r.wallUs, decision: r.decision };
    }
    results.verification = { inProcessMs: verify16, valid: set.valid.length, rejected: set.reports.filter((x) => !x.valid).length, counts };

    const perToken = verify16.median / tokens.length;
    console.log("\n## Token verification (16 tokens: 2 valid, 14 signed for another stack)\n");
    console.log(`  in process: verifying all 16 takes ${fmt(verify16, "ms", 2)} (${(perToken * 1000).toFixed(0)} µs per token); ${set.valid.length} valid, ${set.reports.length - set.valid.length} rejected`);
    for (const n of [1, PLAN.verifyBig]) {
        const c = counts[n];
        console.log(
            `  in the pack, ${String(n).padStart(6)} resource${n === 1 ? " " : "s"}: jose.compactVerify called ${c.verifies}× ` +
                `(${c.beforeFirstAnalyze ? "all before the first Analyze answered" : "NOT all during the first Analyze"}), decision ${c.decision}`,
        );
    }
    const big = PLAN.verifyBig;
    console.log(
        `  were tokens verified per resource, ${big.toLocaleString("en-US")} resources would add ≈ ${((perToken * tokens.length * big) / 1000).toFixed(1)} s ` +
            `(${tokens.length} × ${(perToken * 1000).toFixed(0)} µs × ${big.toLocaleString("en-US")}); once per run it is ${verify16.median.toFixed(1)} ms in all`,
    );
    const ok = counts[1].verifies === tokens.length && counts[big].verifies === tokens.length && counts[1].beforeFirstAnalyze && counts[big].beforeFirstAnalyze;
    rows.push({
        what: "token verifications per run (16 presented)",
        agentguard: `${counts[1].verifies} @ 1, ${counts[big].verifies} @ ${big.toLocaleString("en-US")}`,
        baseline: "—",
        bound: "16, independent of resources",
        pass: ok,
    });
}

// ---------------------------------------------------------------------------------------------
// A real preview

/** The preview comparison's floor variant (bench/floor-analyzer.js). */
const FLOOR = "floor: no-op executable analyzer";

async function realPreview(): Promise<void> {
    log(`pulumi preview of ${PREVIEW_RESOURCES} buckets`);
    const ws = await Workspace.create({ program: path.join(ROOT, "test/e2e/programs/generic"), stack: DEV.stack });
    try {
        await ws.config("agentguard:agent", AGENT);
        await ws.resources(Array.from({ length: PREVIEW_RESOURCES }, (_, i) => ({ type: "aws:s3/bucket:Bucket", name: `bucket-${i}`, props: { bucket: `shop-${i}`, tags: { team: "web" } } })));
        const scope = { environments: ["production"], maxResources: 1000 };
        await ws.approvals(await Promise.all([alice, bob].map((a) => sign(a, scope, { stack: DEV, now: realNow() - 60, ttl: 4 * 3600 }))), "string");
        const approvers = [alice.entry, bob.entry];
        // dev: limits raised so the agent passes without approvals; production: the stack is made
        // production by policy config and the two approvals presented above are required.
        const devConfig = ws.policyConfig({ approvers, maxResources: 1000, defaultMonthlyBudgetUsd: 100_000 }, "policy-dev.json");
        const prodConfig = ws.policyConfig({ approvers, productionStacks: [DEV.stack] }, "policy-prod.json");

        type Variant = { name: string; run: (env?: Record<string, string>) => ReturnType<Workspace["pulumi"]>; gate?: "agent-prod" | "agent-dev" | "human" };
        const variants: Variant[] = [
            { name: "no pack", run: (env) => ws.pulumi(["preview"], env) },
            { name: "empty pack", run: (env) => ws.pulumi(["preview", "--policy-pack", emptyDir], env) },
            { name: "agentguard: agent, production, 2 approvals", run: (env) => ws.preview({ policyConfig: prodConfig, env }), gate: "agent-prod" },
            {
                name: "agentguard executable: agent, production",
                run: (env) => ws.pulumi(["preview", "--policy-pack", EXECUTABLE, "--policy-pack-config", prodConfig], env),
                gate: "agent-prod",
            },
            { name: FLOOR, run: (env) => ws.pulumi(["preview", "--policy-pack", path.join(ROOT, "bench/floor-analyzer")], env) },
            // The directory pack's other initiators (the full run only; --quick keeps the four above).
            ...(QUICK
                ? []
                : ([
                      { name: "agentguard: agent, dev", run: (env) => ws.preview({ policyConfig: devConfig, env }), gate: "agent-dev" },
                      { name: "agentguard: human", run: (env) => ws.preview({ policyConfig: devConfig, env: { AGENTGUARD_INITIATOR: "human:bench", ...env } }), gate: "human" },
                  ] as Variant[])),
        ];
        const cpu: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
        const once = async (v: Variant, env?: Record<string, string>): Promise<number> => {
            const before = ws.decisions().length;
            const c0 = childrenCpuMs();
            const t0 = performance.now();
            const r = await v.run(env);
            const wall = ms(t0);
            if (!env) {
                cpu[v.name].push(childrenCpuMs() - c0);
            }
            if (r.code !== 0) {
                throw new Error(`preview "${v.name}" failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
            }
            if (v.gate) {
                const d = ws.decisions().slice(before).pop() as { decision?: string; initiator?: { kind?: string }; gates?: unknown[] } | undefined;
                const want = v.gate === "human" ? "human" : "agent";
                if (d?.decision !== "allow" || d.initiator?.kind !== want) {
                    notes.push(`preview "${v.name}": expected an allowed ${want} run, the decision log says ${JSON.stringify(d)?.slice(0, 200)}`);
                }
                if (v.gate === "agent-prod" && (d?.gates?.length ?? 0) < PREVIEW_RESOURCES) {
                    notes.push(`preview "${v.name}": expected ≥ ${PREVIEW_RESOURCES} gate items (production), the log has ${d?.gates?.length}`);
                }
            }
            return wall;
        };

        log("  warm-up previews (not timed)");
        await once(variants[0]);
        await once(variants[2]);
        await once(variants[3]);
        Object.values(cpu).forEach((c) => c.splice(0));
        const samples: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
        for (let round = 0; round < previewRounds; round++) {
            // Rotate the order every round so drift in machine load spreads over all variants.
            for (let k = 0; k < variants.length; k++) {
                const v = variants[(k + round) % variants.length];
                const wall = await once(v);
                samples[v.name].push(wall);
                log(`  round ${round + 1}: ${v.name}: ${(wall / 1000).toFixed(2)} s`);
            }
        }
        const S = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stat(v)]));
        const C = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, stat(v)]));

        // Where the pack's time goes in a preview: one probed run each of the empty pack and agentguard.
        const timelines: Record<string, unknown> = {};
        if (PLAN.previewProbe) {
            for (const v of [variants[0], variants[1], variants[2]]) {
                const file = path.join(tempDir("probe"), "probe.log");
                const t0 = Date.now();
                const wall = await once(v, { NODE_OPTIONS: `--require ${PROBE}`, AGENTGUARD_BENCH_PROBE: file });
                const p = readProbe(file);
                const rel = (t?: number) => (t === undefined ? NaN : t - t0);
                const handler = Object.values(p.calls).reduce((a, c) => a + c.handlerMs, 0);
                timelines[v.name] = {
                    wallMs: wall,
                    programStartMs: rel(p.programStart),
                    programExitMs: rel(p.programExit),
                    packStartMs: rel(p.start),
                    packServingMs: rel(p.port),
                    firstResourceCallMs: Math.min(rel(p.calls.remediate?.first), rel(p.calls.analyze?.first)),
                    lastAnalyzeMs: rel(p.calls.analyze?.last),
                    analyzeStackDoneMs: rel(p.calls.analyzeStack?.last),
                    handlerMsTotal: handler,
                    calls: p.calls,
                };
            }
        }
        results.preview = { samples: S, cpuMs: C, timelines };

        console.log(`\n## pulumi preview, ${PREVIEW_RESOURCES} aws:s3/bucket:Bucket, offline simulators (${previewRounds} rounds, order rotated)\n`);
        const none = S["no pack"].median;
        const noneCpu = C["no pack"].median;
        const secs = (s: Stat) => ({ ...s, median: s.median / 1000, min: s.min / 1000, max: s.max / 1000 });
        console.log(`  ${"".padEnd(44)} wall time                       vs no pack   CPU time of all processes      vs no pack`);
        for (const v of variants) {
            const s = S[v.name];
            const c = C[v.name];
            const pct = (x: number, base: number) => `${x >= base ? "+" : ""}${((x / base - 1) * 100).toFixed(1)} %`.padStart(9);
            console.log(`  ${v.name.padEnd(44)} ${fmt(secs(s), "s", 2).padEnd(31)} ${pct(s.median, none)}   ${fmt(secs(c), "s", 2).padEnd(30)} ${pct(c.median, noneCpu)}`);
        }
        if (PLAN.previewProbe) {
            console.log("\n  Where the pack's time goes (one probed preview each; ms from the start of `pulumi preview`):");
            for (const [name, t] of Object.entries(timelines) as [string, Record<string, number> & { calls: Record<string, { n: number; handlerMs: number }> }][]) {
                console.log(`  ${name}: program process starts ${t.programStartMs.toFixed(0)}, exits ${t.programExitMs.toFixed(0)}, preview ends ${t.wallMs.toFixed(0)}`);
                if (Object.keys(t.calls).length === 0) {
                    continue;
                }
                const calls = Object.entries(t.calls)
                    .map(([m, c]) => `${m} ${c.n}× ${c.handlerMs.toFixed(0)} ms`)
                    .join(", ");
                console.log(
                    `    pack process starts ${t.packStartMs.toFixed(0)}, serves ${t.packServingMs.toFixed(0)}; first resource call ${t.firstResourceCallMs.toFixed(0)}, ` +
                        `last Analyze ${t.lastAnalyzeMs.toFixed(0)}, AnalyzeStack done ${t.analyzeStackDoneMs.toFixed(0)}\n` +
                        `    time inside the pack's handlers: ${t.handlerMsTotal.toFixed(0)} ms (${calls})`,
                );
                // The two structural costs: the program waits for the pack to serve, and each
                // registration waits for Remediate + Analyze.
                const base = timelines["no pack"] as Record<string, number>;
                const delay = t.programStartMs - base.programStartMs;
                const stretch = t.programExitMs - t.programStartMs - (base.programExitMs - base.programStartMs);
                console.log(
                    `    vs no pack: the program starts ${delay.toFixed(0)} ms later (it waits for the pack to serve) and runs ${stretch.toFixed(0)} ms longer ` +
                        `(${(stretch / PREVIEW_RESOURCES).toFixed(2)} ms per resource, of which ${(((t.calls.remediate?.handlerMs ?? 0) + (t.calls.analyze?.handlerMs ?? 0)) / PREVIEW_RESOURCES).toFixed(2)} ms inside the pack's Remediate + Analyze handlers)`,
                );
            }
        }
        for (const v of variants.filter((v) => v.gate)) {
            const r = S[v.name].median / none;
            rows.push({
                what: `preview ${PREVIEW_RESOURCES}: ${v.name.replace("agentguard: ", "")}`,
                agentguard: `${(S[v.name].median / 1000).toFixed(2)} s`,
                baseline: `${(none / 1000).toFixed(2)} s (no pack)`,
                ratio: r,
                bound: "≤ 1.10×",
                pass: r <= 1.1,
                ...paired(samples[v.name], samples["no pack"], 1.1),
            });
        }
        const pc = C[variants[2].name].median;
        rows.push({
            what: `  CPU of all processes: agent, production`,
            agentguard: `${(pc / 1000).toFixed(2)} s`,
            baseline: `${(noneCpu / 1000).toFixed(2)} s (no pack)`,
            ratio: pc / noneCpu,
            range: paired(cpu[variants[2].name], cpu["no pack"], 1.1).range,
            bound: "(reference)",
            pass: undefined,
        });
        const e = S["empty pack"].median;
        // The executable entry (docs/contract.md §1): no language host, no ts-node, no @pulumi/pulumi runtime.
        const x = S[variants[3].name].median;
        rows.push({
            what: `preview ${PREVIEW_RESOURCES}: executable entry vs empty directory pack`,
            agentguard: `${(x / 1000).toFixed(2)} s`,
            baseline: `${(e / 1000).toFixed(2)} s (empty)`,
            ratio: x / e,
            bound: "≤ 0.85× (≥ 15 % faster)",
            pass: x / e <= 0.85,
            ...paired(samples[variants[3].name], samples["empty pack"], 0.85),
        });
        // The floor: what a Node.js analyzer that checks nothing costs here, and agentguard's share above it.
        const f = S[FLOOR].median;
        rows.push({
            what: `preview ${PREVIEW_RESOURCES}: floor (no-op analyzer)`,
            agentguard: `${(f / 1000).toFixed(2)} s (floor)`,
            baseline: `${(none / 1000).toFixed(2)} s (no pack)`,
            ratio: f / none,
            range: paired(samples[FLOOR], samples["no pack"], 1.1).range,
            bound: "(reference)",
            pass: undefined,
        });
        rows.push({
            what: `preview ${PREVIEW_RESOURCES}: executable entry vs floor`,
            agentguard: `${(x / 1000).toFixed(2)} s`,
            baseline: `${(f / 1000).toFixed(2)} s (floor)`,
            ratio: x / f,
            range: paired(samples[variants[3].name], samples[FLOOR], 1.1).range,
            bound: "(reference)",
            pass: undefined,
        });
        rows.push({
            what: `preview ${PREVIEW_RESOURCES}: empty pack`,
            agentguard: `${(e / 1000).toFixed(2)} s (empty)`,
            baseline: `${(none / 1000).toFixed(2)} s (no pack)`,
            ratio: e / none,
            range: paired(samples["empty pack"], samples["no pack"], 1.1).range,
            bound: "(reference)",
            pass: undefined,
        });
        const p = S[variants[2].name].median;
        rows.push({
            what: `preview ${PREVIEW_RESOURCES}: agent prod vs empty pack`,
            agentguard: `${(p / 1000).toFixed(2)} s`,
            baseline: `${(e / 1000).toFixed(2)} s (empty)`,
            ratio: p / e,
            range: paired(samples[variants[2].name], samples["empty pack"], 1.1).range,
            bound: "(reference)",
            pass: undefined,
        });
    } finally {
        ws.cleanup();
    }
}

// ---------------------------------------------------------------------------------------------
// agentguard report over a 100,000-line decision log

const REPORT_LINES = 100_000;
const REPORT_BOUND_MS = 3_000;

async function reportSummary(): Promise<void> {
    const dir = tempDir("report");
    const logFile = path.join(dir, "decisions.jsonl");
    writeFileSync(logFile, bigLog(REPORT_LINES));
    const rounds = QUICK ? 1 : 3;
    const samples: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < rounds; i++) {
        const c0 = childrenCpuMs();
        const t = performance.now();
        const r = spawnSync(process.execPath, [path.join(ROOT, "dist/cli/main.js"), "report", "--log", logFile, "--html", path.join(dir, "report.html")], { encoding: "utf8", maxBuffer: 64 << 20 });
        samples.push(ms(t));
        cpu.push(childrenCpuMs() - c0);
        if (r.status !== 0 || !r.stdout.includes("agent deploy-bot")) {
            throw new Error(`agentguard report failed: ${r.stderr}`);
        }
    }
    const s = stat(samples);
    const c = stat(cpu);
    log(`report ${REPORT_LINES} lines: ${fmt(s, "ms")} wall, ${fmt(c, "ms")} CPU`);
    results.report = { wall: s, cpu: c };
    rows.push({
        what: `agentguard report: ${REPORT_LINES.toLocaleString("en-US")}-line log (text + HTML)`,
        agentguard: fmt(s, "ms"),
        baseline: "",
        bound: `< ${REPORT_BOUND_MS} ms`,
        pass: s.median < REPORT_BOUND_MS,
    });
    rows.push({ what: "  CPU of the report process", agentguard: fmt(c, "ms"), baseline: "", bound: "(reference)", pass: undefined });
}

// ---------------------------------------------------------------------------------------------

/** `agentguard plan check` on 1,000 resources, as a process: under 2 s. */
async function planCheck(): Promise<void> {
    log("plan check on a 1,000-resource plan");
    const { wall, code } = await timePlanCheck(tempDir("plan"), 1_000, [alice, bob], QUICK ? 3 : 7);
    results.planCheck = { wall, code };
    console.log(`\n## plan check\n\n  1,000 resources (700 same, 150 update, 100 create, 50 delete), approved (exit ${code}): ${fmt(wall, "ms")}`);
    if (code !== 0) {
        notes.push(`plan check exited ${code} on the benchmark plan (expected 0: approved)`);
    }
    rows.push({ what: "plan check @ 1,000 resources (wall, node start included)", agentguard: `${wall.median.toFixed(0)} ms`, baseline: "-", bound: "< 2000 ms", pass: code === 0 && wall.median < 2000 });
}

async function main(): Promise<void> {
    const started = performance.now();
    if (SECTIONS.has("preview")) {
        provisionPulumi(); // so the machine description can name the CLI
    }
    const m = machine();
    const load0 = loadAverage();
    const stamp0 = distStamp();
    results.machine = m;
    console.log(`# agentguard bench${QUICK ? " (--quick)" : ""}\n`);
    console.log(`  machine: ${m.cpus} × ${m.model}, ${m.memGiB} GiB, ${m.kernel}`);
    console.log(`  node ${m.node}, pulumi ${m.pulumi}, @pulumi/pulumi ${m.pulumiSdk}, @pulumi/policy ${m.policySdk}`);
    console.log(`  load average at start: ${load0}`);

    emptyDir = makeEmptyPack();
    alice = await approver("alice");
    bob = await approver("bob");
    gateConfig = { approvers: [alice.entry, bob.entry] };
    // The full path: production (stack "prod"), two approvals covering every gate the stack raises.
    const scope = { environments: ["production"], access: true, maxResources: 20_000, maxMonthlyUsd: 1_000_000 };
    const tokens = await Promise.all([alice, bob].map((a) => sign(a, scope, { stack: PROD, now: realNow() - 60, ttl: 4 * 3600 })));

    try {
        if (SECTIONS.has("cold")) {
            await coldStart();
        }
        if (SECTIONS.has("resource")) {
            await perResource(tokens);
        }
        if (SECTIONS.has("verify")) {
            await verification(tokens);
        }
        if (SECTIONS.has("preview")) {
            await realPreview();
        }
        if (SECTIONS.has("plan")) {
            await planCheck();
        }
        if (SECTIONS.has("report")) {
            await reportSummary();
        }
    } catch (e) {
        notes.push(`the bench stopped early: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
        removeTemp();
    }

    if (distStamp() !== stamp0) {
        notes.push("dist/ was rebuilt while the bench ran: some figures may be of a different build");
    }
    const minutes = ms(started) / 60_000;
    console.log(`\n## Bounds\n`);
    console.log(table(rows));
    const missed = rows.filter((r) => r.pass === false);
    console.log(`\n  ${missed.length === 0 ? "All bounds PASS." : `MISS: ${missed.map((r) => r.what.trim()).join("; ")}`}`);
    if (rows.some((r) => r.noisy)) {
        console.log("  (noisy): the bound lies within the range of the paired per-round ratios (or there is one round only); rerun on an idle machine or with more rounds before trusting the verdict.");
    }
    for (const n of notes) {
        console.log(`  NOTE: ${n}`);
    }
    console.log(`  load average at end: ${loadAverage()} (start: ${load0}); ${minutes.toFixed(1)} min`);
    results.rows = rows;
    results.notes = notes;
    if (JSON_OUT) {
        writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
        console.log(`  samples written to ${JSON_OUT}`);
    }
}

main().then(
    () => process.exit(0),
    (e) => {
        console.error(e);
        process.exit(1);
    },
);
