/**
 * Drives the real `pulumi` CLI for e2e tests: a temporary file backend, passphrase secrets,
 * stack init, config (including structured `agentguard:approvals`), and preview / up / destroy
 * with this repository as `--policy-pack`, capturing exit code, output and `--json` events.
 * The aws and cloudflare providers are the offline simulators in test/simulators (on PATH).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
export const SIMULATORS = path.join(ROOT, "test/simulators/bin");
export const PASSPHRASE = "e2e-passphrase";

/** The result of one CLI command. */
export interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    /** stdout + stderr, for assertions on what a person would read. */
    readonly output: string;
}

/** Options of one workspace: a program copied into a temp dir with its own backend. */
export interface WorkspaceOptions {
    /** Directory of the program (copied, not modified). */
    readonly program: string;
    readonly stack: string;
    /** Extra environment for every command (e.g. AGENTGUARD_INITIATOR). */
    readonly env?: Record<string, string>;
    /** The `--policy-pack` path: the repository (directory pack, the default) or {@link EXECUTABLE}. */
    readonly pack?: string;
    /** Run every command as this user (the CI recipe's unprivileged `agent`); the workspace is given to it. */
    readonly user?: { readonly uid: number; readonly gid: number };
}

/** The executable entry (docs/contract.md §1): the engine starts it as a binary analyzer plugin. */
export const EXECUTABLE = path.join(ROOT, "bin/agentguard-analyzer");
/** Both entries, for suites that must hold for each. */
export const PACK_ENTRIES: readonly [string, string][] = [
    ["directory pack", ROOT],
    ["executable entry", EXECUTABLE],
];

/** A program, a stack and a file backend in a temp dir. */
export class Workspace {
    readonly dir: string;
    readonly programDir: string;
    readonly decisionLog: string;
    private env: Record<string, string>;

    private constructor(readonly opts: WorkspaceOptions) {
        this.dir = mkdtempSync(path.join(tmpdir(), "agentguard-e2e-"));
        this.programDir = path.join(this.dir, "program");
        cpSync(opts.program, this.programDir, { recursive: true, filter: (src) => !src.includes("node_modules") });
        if (!existsSync(path.join(this.programDir, "node_modules"))) {
            symlinkSync(path.join(ROOT, "node_modules"), path.join(this.programDir, "node_modules"), "dir");
        }
        this.decisionLog = path.join(this.dir, "decisions.jsonl");
        mkdirSync(path.join(this.dir, "state"));
        if (opts.user) {
            execFileSync("chown", ["-R", "-h", `${opts.user.uid}:${opts.user.gid}`, this.dir]);
        }
        this.env = {
            PATH: `${SIMULATORS}:${process.env.PATH}`,
            HOME: opts.user ? this.dir : (process.env.HOME ?? this.dir),
            PULUMI_HOME: path.join(this.dir, ".pulumi"),
            PULUMI_BACKEND_URL: `file://${path.join(this.dir, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            AGENTGUARD_DECISION_LOG: this.decisionLog,
            NO_COLOR: "1",
            ...opts.env,
        };
    }

    /** Creates the workspace and initialises its stack. */
    static async create(opts: WorkspaceOptions): Promise<Workspace> {
        const ws = new Workspace(opts);
        const init = await ws.pulumi(["stack", "init", opts.stack]);
        if (init.code !== 0) {
            throw new Error(`pulumi stack init failed: ${init.output}`);
        }
        return ws;
    }

    /** Runs `pulumi <args>` in the program directory. */
    pulumi(args: string[], env: Record<string, string> = {}, timeoutMs = 300_000): Promise<Run> {
        return new Promise((resolve, reject) => {
            const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: this.programDir, env: { ...this.env, ...env }, stdio: ["ignore", "pipe", "pipe"], ...(this.opts.user ?? {}) });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
            child.on("error", reject);
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code: code ?? -1, stdout, stderr, output: stdout + stderr });
            });
        });
    }

    /** `pulumi config set`, plain, secret or structured (`--path`). */
    async config(key: string, value: string, opts: { secret?: boolean; path?: boolean } = {}): Promise<void> {
        const r = await this.pulumi(["config", "set", ...(opts.path ? ["--path"] : []), ...(opts.secret ? ["--secret"] : ["--plaintext"]), key, value]);
        if (r.code !== 0) {
            throw new Error(`pulumi config set ${key} failed: ${r.output}`);
        }
    }

    /** Sets the program's resources (config `shop:resources`). */
    resources(specs: unknown[]): Promise<void> {
        return this.config("shop:resources", JSON.stringify(specs));
    }

    /** Presents approval tokens: as a structured list (one `--path` entry each) or one string. */
    async approvals(tokens: string[], form: "list" | "string"): Promise<void> {
        await this.pulumi(["config", "rm", "agentguard:approvals"]);
        if (form === "string") {
            await this.config("agentguard:approvals", tokens.join(" "), { secret: true });
            return;
        }
        for (const [i, t] of tokens.entries()) {
            await this.config(`agentguard:approvals[${i}]`, t, { path: true, secret: true });
        }
    }

    /** Writes a policy pack config file and returns its path. */
    policyConfig(gate: Record<string, unknown>, name = "policy-config.json"): string {
        const file = path.join(this.dir, name);
        writeFileSync(file, JSON.stringify({ "agent-change-gate": gate }, null, 2));
        return file;
    }

    private policyArgs(policyConfig?: string): string[] {
        return ["--policy-pack", this.opts.pack ?? ROOT, ...(policyConfig ? ["--policy-pack-config", policyConfig] : [])];
    }

    /** `pulumi preview`; with `json`, the engine's events streamed as JSON lines (see {@link jsonEvents}). */
    preview(opts: { policyConfig?: string; env?: Record<string, string>; json?: boolean } = {}): Promise<Run> {
        const json: Record<string, string> = opts.json ? { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" } : {};
        return this.pulumi(["preview", ...this.policyArgs(opts.policyConfig), ...(opts.json ? ["--json"] : [])], { ...json, ...opts.env });
    }

    up(opts: { policyConfig?: string; env?: Record<string, string>; skipPreview?: boolean } = {}): Promise<Run> {
        return this.pulumi(["up", "--yes", ...(opts.skipPreview ? ["--skip-preview"] : []), ...this.policyArgs(opts.policyConfig)], opts.env);
    }

    destroy(): Promise<Run> {
        return this.pulumi(["destroy", "--yes"]);
    }

    /** The decision log lines written so far. */
    decisions(): Record<string, unknown>[] {
        if (!existsSync(this.decisionLog)) {
            return [];
        }
        return readFileSync(this.decisionLog, "utf8")
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map((l) => JSON.parse(l));
    }

    cleanup(): void {
        rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Parses the engine events of `preview({ json: true })`: one JSON object per line. */
export function jsonEvents(run: Run): Record<string, unknown>[] {
    return run.stdout
        .split("\n")
        .filter((l) => l.trim().startsWith("{"))
        .map((l) => JSON.parse(l));
}
