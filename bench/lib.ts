/**
 * Helpers of the benchmark (bench/run.ts): statistics, the empty baseline pack, the synthetic
 * stacks, /proc readers, the probe log and the machine description.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ResourceInput, ROOT } from "../test/pack/analyzer-client";

export { ROOT };
export const PROBE = path.join(ROOT, "bench/pack-probe.js");

// ---------------------------------------------------------------------------------------------
// Statistics

export interface Stat {
    readonly median: number;
    readonly min: number;
    readonly max: number;
    readonly n: number;
    readonly samples: readonly number[];
}

export function stat(samples: readonly number[]): Stat {
    const s = [...samples].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    const median = s.length === 0 ? NaN : s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    return { median, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, n: s.length, samples };
}

/** `812 ms (790–845, n=5)` */
export function fmt(s: Stat, unit: string, digits = 0): string {
    const f = (x: number) => x.toFixed(digits);
    return s.n > 1 ? `${f(s.median)} ${unit} (${f(s.min)}–${f(s.max)}, n=${s.n})` : `${f(s.median)} ${unit} (n=1)`;
}

// ---------------------------------------------------------------------------------------------
// The empty baseline pack: @pulumi/policy with one no-op resource policy and one no-op stack policy.

export function makeEmptyPack(): string {
    const dir = tempDir("empty-pack");
    writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: empty baseline pack for the agentguard bench\n");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "empty-pack", version: "0.0.0", private: true, main: "index.js" }, null, 2));
    writeFileSync(
        path.join(dir, "index.js"),
        `new (require("@pulumi/policy").PolicyPack)("empty", { policies: [` +
            `{ name: "noop", description: "noop", enforcementLevel: "mandatory", validateResource: () => {} }, ` +
            `{ name: "noop-stack", description: "noop", enforcementLevel: "mandatory", validateStack: () => {} }] });\n`,
    );
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

let tempRoot: string | undefined;

/** A fresh directory under this run's temporary root (see {@link removeTemp}). */
export function tempDir(prefix: string): string {
    tempRoot ??= mkdtempSync(path.join(os.tmpdir(), "agentguard-bench-"));
    return mkdtempSync(path.join(tempRoot, `${prefix}-`));
}

/** Removes every directory {@link tempDir} made. */
export function removeTemp(): void {
    if (tempRoot) {
        rmSync(tempRoot, { recursive: true, force: true });
        tempRoot = undefined;
    }
}

// ---------------------------------------------------------------------------------------------
// Synthetic stacks

const AWS = { type: "pulumi:providers:aws", name: "default", props: { region: "us-east-1" } };

/**
 * `n` AWS resources cycling through ten shapes that take every branch of the gate: usage-priced,
 * snapshot-priced (EC2, EBS), free, access-changing (IAM role), an environment tag. Unique names.
 */
export function mixedResources(n: number): ResourceInput[] {
    const out: ResourceInput[] = [];
    for (let i = 0; i < n; i++) {
        const tags = { team: "web", Name: `r${i}` };
        let r: ResourceInput;
        switch (i % 10) {
            case 0:
                r = { type: "aws:s3/bucket:Bucket", name: `bucket-${i}`, props: { bucket: `shop-${i}`, tags } };
                break;
            case 1:
                r = { type: "aws:ec2/instance:Instance", name: `web-${i}`, props: { instanceType: "t3.micro", ami: "ami-0123456789abcdef0", tags } };
                break;
            case 2:
                r = { type: "aws:sqs/queue:Queue", name: `queue-${i}`, props: { name: `queue-${i}`, visibilityTimeoutSeconds: 30, tags } };
                break;
            case 3:
                r = {
                    type: "aws:ec2/securityGroup:SecurityGroup",
                    name: `sg-${i}`,
                    props: { description: "web", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }], tags },
                };
                break;
            case 4:
                r = { type: "aws:dynamodb/table:Table", name: `table-${i}`, props: { billingMode: "PAY_PER_REQUEST", hashKey: "id", attributes: [{ name: "id", type: "S" }], tags } };
                break;
            case 5:
                r = { type: "aws:iam/role:Role", name: `role-${i}`, props: { assumeRolePolicy: '{"Version":"2012-10-17","Statement":[]}', tags } };
                break;
            case 6:
                r = { type: "aws:ebs/volume:Volume", name: `vol-${i}`, props: { availabilityZone: "us-east-1a", size: 20, type: "gp3", tags } };
                break;
            case 7:
                r = { type: "aws:lambda/function:Function", name: `fn-${i}`, props: { runtime: "nodejs20.x", handler: "index.handler", memorySize: 256, tags } };
                break;
            case 8:
                r = { type: "aws:s3/bucket:Bucket", name: `logs-${i}`, props: { bucket: `logs-${i}`, tags: { ...tags, Environment: "prod" } } };
                break;
            default:
                r = { type: "aws:ec2/instance:Instance", name: `api-${i}`, props: { instanceType: "t3.small", ami: "ami-0123456789abcdef0", tags } };
        }
        out.push({ ...r, provider: AWS });
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// /proc

let clkTck: number | undefined;

/** User + system CPU time of a process so far, in ms (clock-tick resolution, 10 ms here). */
export function cpuMs(pid: number): number {
    clkTck ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clkTck;
}

/**
 * CPU time (user + system, ms) of the terminated and waited-for children of this process and
 * their own waited-for descendants (cutime + cstime): for `pulumi preview`, the CLI, the
 * language host, the program, the providers and the pack together.
 */
export function childrenCpuMs(): number {
    clkTck ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / clkTck;
}

/** Peak resident set size (VmHWM) of a process, in MiB. */
export function peakRssMiB(pid: number): number {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
}

// ---------------------------------------------------------------------------------------------
// The probe log written by bench/pack-probe.js

export interface ProbeLog {
    /** Epoch ms of the pack process start (performance.timeOrigin), if the probe saw one. */
    readonly start?: number;
    readonly port?: number;
    /** Epoch ms of each compactVerify call. */
    readonly verifies: readonly number[];
    /** Per Analyzer method: count, summed handler time, first and last completion (epoch ms). */
    readonly calls: Readonly<Record<string, { n: number; handlerMs: number; first: number; last: number }>>;
    readonly loads: readonly { ms: number; depth: number; request: string }[];
    readonly packs: number;
    /** Epoch ms at which the Pulumi program process started (performance.timeOrigin) and exited. */
    readonly programStart?: number;
    readonly programExit?: number;
}

export function readProbe(file: string): ProbeLog {
    const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "") : [];
    let start: number | undefined;
    let port: number | undefined;
    let packs = 0;
    let programStart: number | undefined;
    let programExit: number | undefined;
    const verifies: number[] = [];
    const calls: Record<string, { n: number; handlerMs: number; first: number; last: number }> = {};
    const loads: { ms: number; depth: number; request: string }[] = [];
    for (const l of lines) {
        const [t, kind, a, b] = l.split(" ");
        const at = Number(t);
        if (kind === "start") {
            packs += 1;
            start = Number(b);
        } else if (kind === "program-start") {
            programStart = Number(b);
        } else if (kind === "program-exit") {
            programExit = at;
        } else if (kind === "port") {
            port = at;
        } else if (kind === "verify") {
            verifies.push(at);
        } else if (kind === "call") {
            const c = (calls[a] ??= { n: 0, handlerMs: 0, first: at, last: at });
            c.n += 1;
            c.handlerMs += Number(b);
            c.last = at;
        } else if (kind === "load") {
            loads.push({ ms: Number(a), depth: Number(b), request: l.split(" ").slice(4).join(" ") });
        }
    }
    return { start, port, verifies, calls, loads, packs, programStart, programExit };
}

// ---------------------------------------------------------------------------------------------
// The machine

export interface Machine {
    readonly cpus: number;
    readonly model: string;
    readonly memGiB: number;
    readonly node: string;
    readonly pulumi: string;
    readonly kernel: string;
    readonly policySdk: string;
    readonly pulumiSdk: string;
}

export function machine(): Machine {
    const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
    const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown";
    const mem = Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0) / 1024 / 1024;
    let pulumi = "not found";
    try {
        pulumi = execFileSync("pulumi", ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }).trim();
    } catch {
        // reported as not found
    }
    const version = (pkg: string) => JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string;
    return {
        cpus: os.cpus().length,
        model,
        memGiB: Math.round(mem * 10) / 10,
        node: process.version,
        pulumi,
        kernel: `${os.type()} ${os.release()}`,
        policySdk: version("@pulumi/policy"),
        pulumiSdk: version("@pulumi/pulumi"),
    };
}

export function loadAverage(): string {
    return os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ");
}

// ---------------------------------------------------------------------------------------------
// The summary table

export interface Row {
    readonly what: string;
    readonly agentguard: string;
    readonly baseline: string;
    readonly ratio?: number;
    readonly bound: string;
    /** undefined: informational, no bound. */
    readonly pass?: boolean;
    /** Lowest and highest ratio of paired samples (same round), when there are several. */
    readonly range?: readonly [number, number];
    /** The verdict would flip within `range` (or there is one round only): shown as "(noisy)". */
    readonly noisy?: boolean;
}

/**
 * Ratios of paired samples: a[i] / b[i], where a[i] and b[i] were measured in the same round
 * (one after the other), so slow drifts in machine load cancel. `noisy` when there is only one
 * pair or when `bound` lies between the lowest and highest paired ratio.
 */
export function paired(a: readonly number[], b: readonly number[], bound: number): { range?: [number, number]; noisy: boolean } {
    const r = a.map((x, i) => x / b[i]).filter((x) => Number.isFinite(x));
    if (r.length < 2) {
        return { noisy: true };
    }
    const range: [number, number] = [Math.min(...r), Math.max(...r)];
    return { range, noisy: range[0] <= bound && bound <= range[1] };
}

export function table(rows: readonly Row[]): string {
    const head = ["measure", "agentguard", "baseline", "ratio (paired range)", "bound", "result"];
    const ratio = (r: Row) => (r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×${r.range ? ` (${r.range[0].toFixed(2)}–${r.range[1].toFixed(2)})` : ""}`);
    const body = rows.map((r) => [r.what, r.agentguard, r.baseline, ratio(r), r.bound, r.pass === undefined ? "info" : `${r.pass ? "PASS" : "MISS  <<<"}${r.noisy ? " (noisy)" : ""}`]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
