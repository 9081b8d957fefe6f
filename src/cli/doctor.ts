/**
 * `agentguard doctor <program dir>`: reports what in an agent's program directory would weaken
 * the gate before the agent's code runs — code the repository can get into the pack, the language
 * host or the CLI's plugin lookup, and install hooks that run with the job's credentials.
 *
 * It reads files only (nothing of the directory is executed). Findings are `refuse` (exit 1: CI
 * must not run this program with the pack) or `warn` (exit 0: harmless under the CI recipe,
 * e.g. install scripts that `npm ci --ignore-scripts` skips). The recipe runs it as a trusted
 * step before the agent's code (docs/examples/agentguard-ci.yml).
 * @internal
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { Io, UsageError } from "./io";
import { CommandSpec, parseCommand } from "./options";

/** One thing that would weaken the gate. */
export interface DoctorFinding {
    readonly level: "refuse" | "warn";
    /** Path relative to the program directory. */
    readonly file: string;
    readonly message: string;
}

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"];
/**
 * The project keys a program may use, spelled exactly (pulumi v3.274.1's project.json allows any
 * other key, and Go's JSON decoding matches `"Plugins"` to `plugins`). Everything else is refused:
 * `plugins` and `packages` (binaries and plugin sources of the repository's choosing), `backend`
 * (the state the engine diffs against), YAML merge keys (`<<`), and any other spelling.
 */
const PROJECT_KEYS = ["name", "description", "author", "website", "license", "runtime", "main", "config", "stackConfigDir", "template", "options"];
/** Why a project key is refused, by key; any other key outside {@link PROJECT_KEYS} is refused as unknown. */
const PROJECT_REFUSED: Record<string, string> = {
    plugins: "declares `plugins:` — a language host, provider or analyzer binary of the repository's choosing runs in the engine's process tree (a language host starts the directory pack and can preload code into it)",
    packages: "declares `packages:` — plugin sources and parameterizations of the repository's choosing",
    backend: "declares `backend:` — the engine would read and write a state of the repository's choosing instead of the stack's (set the backend in CI, not in the program)",
    "<<": "uses a YAML merge key (`<<`), which the engine applies and would hide any key from this check",
};
/** npm's lifecycle scripts that run on install. */
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"];
/** .npmrc keys that run code of the repository's choosing. */
const NPMRC_REFUSE = ["node-options", "script-shell", "onload-script", "init-module", "shell", "git", "node-gyp", "editor", "browser", "viewer", "globalconfig", "userconfig"];
/** Node/engine flags that load code before the program (or, through a host, the pack). */
const PRELOAD_FLAG = /(^|\s)(-r|--require|--import|--loader|--experimental-loader|--env-file|--experimental-policy)(\s|=|$)/;

/**
 * A file of the program directory, read only when it is a regular file: a symlink may point at
 * nothing now and at a file of the agent's choosing later (after the checkout is moved, or after
 * `npm ci` fills node_modules), so it is refused, as is anything that cannot be read.
 */
function readChecked(dir: string, name: string, out: DoctorFinding[]): string | undefined {
    let st;
    try {
        st = lstatSync(path.join(dir, name));
    } catch {
        return undefined; // absent
    }
    if (!st.isFile()) {
        out.push({ level: "refuse", file: name, message: st.isSymbolicLink() ? "is a symlink: what the engine or npm reads through it can change after this check" : "is not a regular file" });
        return undefined;
    }
    try {
        return readFileSync(path.join(dir, name), "utf8");
    } catch {
        out.push({ level: "refuse", file: name, message: "cannot be read, so what it declares cannot be checked" });
        return undefined;
    }
}

function checkProject(dir: string, out: DoctorFinding[]): void {
    for (const name of PROJECT_FILES) {
        const text = readChecked(dir, name, out);
        if (text === undefined) {
            continue;
        }
        let doc: unknown;
        try {
            doc = name.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
        } catch {
            out.push({ level: "refuse", file: name, message: "cannot be parsed, so what it declares cannot be checked" });
            continue;
        }
        if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
            out.push({ level: "refuse", file: name, message: "is not a mapping of project keys" });
            continue;
        }
        const project = doc as Record<string, unknown>;
        for (const key of Object.keys(project)) {
            if (PROJECT_KEYS.includes(key)) {
                continue;
            }
            const known = [key, key.toLowerCase()].find((k) => Object.prototype.hasOwnProperty.call(PROJECT_REFUSED, k));
            const why = known === undefined ? undefined : PROJECT_REFUSED[known];
            out.push({ level: "refuse", file: name, message: why ?? `has the key \`${printable(key)}\`, which is not a project key spelled as agentguard reviewed it (the engine may read it under another spelling)` });
        }
        const runtime = project.runtime;
        const options = runtime !== null && typeof runtime === "object" ? (runtime as Record<string, unknown>).options : undefined;
        if (options !== null && typeof options === "object") {
            for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
                if (key.toLowerCase() === "nodeargs" && (typeof value !== "string" || PRELOAD_FLAG.test(value))) {
                    out.push({ level: "refuse", file: name, message: `runtime option \`${printable(key)}\` preloads code or cannot be read ("${printable(String(value))}")` });
                }
            }
        }
    }
}

/** A value the repository wrote, shown printable and short. */
function printable(s: string): string {
    return s.replace(/[^\x20-\x7e]/g, "?").slice(0, 80);
}

/**
 * An .npmrc key as npm reads it: unquoted (npm's ini parser reads a double-quoted key as a JSON
 * string), `[]` dropped, `_` as `-`, lower case; undefined for a key npm would expand
 * (`${VAR}`) or that still holds an escape, which cannot be checked.
 */
function npmrcKey(line: string): string | undefined {
    let key = line.split("=")[0].trim();
    if (key.length >= 2 && key[0] === '"' && key.endsWith('"')) {
        try {
            key = String(JSON.parse(key)).trim();
        } catch {
            return undefined;
        }
    } else if (key.length >= 2 && key[0] === "'" && key.endsWith("'")) {
        key = key.slice(1, -1).trim();
    }
    if (key.includes("${") || key.includes("\\")) {
        return undefined;
    }
    return key.replace(/\[\]$/, "").replace(/_/g, "-").toLowerCase();
}

function checkNpmrc(dir: string, out: DoctorFinding[]): void {
    const text = readChecked(dir, ".npmrc", out);
    if (text === undefined) {
        return;
    }
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#") || line.startsWith(";")) {
            continue;
        }
        const key = npmrcKey(line);
        if (key === undefined) {
            out.push({ level: "refuse", file: ".npmrc", message: `has a key npm would expand or unescape ("${printable(line.split("=")[0].trim())}"), which cannot be checked` });
            continue;
        }
        if (NPMRC_REFUSE.includes(key)) {
            out.push({ level: "refuse", file: ".npmrc", message: `sets \`${printable(key)}\`, which makes npm run code (or read settings) of the repository's choosing` });
        } else if (key === "ignore-scripts" && /=\s*false\s*$/i.test(line)) {
            out.push({ level: "warn", file: ".npmrc", message: "sets `ignore-scripts=false`; the CI recipe passes --ignore-scripts on the command line, which wins" });
        }
    }
}

function checkPackageJson(dir: string, out: DoctorFinding[]): void {
    const text = readChecked(dir, "package.json", out);
    if (text !== undefined) {
        try {
            const pkg = JSON.parse(text) as { scripts?: Record<string, unknown> };
            for (const s of INSTALL_SCRIPTS) {
                if (pkg.scripts && typeof pkg.scripts[s] === "string") {
                    out.push({ level: "warn", file: "package.json", message: `has a "${s}" script, which runs on install unless installed with --ignore-scripts` });
                }
            }
        } catch {
            out.push({ level: "refuse", file: "package.json", message: "cannot be parsed" });
        }
    }
    const lock = readChecked(dir, "package-lock.json", out);
    if (lock !== undefined) {
        try {
            const packages = (JSON.parse(lock) as { packages?: Record<string, { hasInstallScript?: boolean }> }).packages ?? {};
            const withScripts = Object.entries(packages)
                .filter(([k, v]) => k !== "" && v?.hasInstallScript === true)
                .map(([k]) => k.replace(/^.*node_modules\//, ""));
            if (withScripts.length > 0) {
                out.push({
                    level: "warn",
                    file: "package-lock.json",
                    message: `${withScripts.length} dependencies have install scripts (${withScripts.slice(0, 5).join(", ")}${withScripts.length > 5 ? ", …" : ""}), which run unless installed with --ignore-scripts`,
                });
            }
        } catch {
            out.push({ level: "warn", file: "package-lock.json", message: "cannot be parsed" });
        }
    }
}

function checkOtherHooks(dir: string, out: DoctorFinding[]): void {
    const yarnrc = readChecked(dir, ".yarnrc.yml", out);
    if (yarnrc !== undefined && /^\s*(yarnPath|plugins|injectEnvironmentFiles)\s*:/m.test(yarnrc)) {
        out.push({ level: "refuse", file: ".yarnrc.yml", message: "sets yarnPath, plugins or environment files: yarn would run the repository's code" });
    }
    const yarnrc1 = readChecked(dir, ".yarnrc", out);
    if (yarnrc1 !== undefined && /^\s*yarn-path\s/m.test(yarnrc1)) {
        out.push({ level: "refuse", file: ".yarnrc", message: "sets yarn-path: yarn would run the repository's code" });
    }
    for (const f of [".pnpmfile.cjs", ".pnpmfile.mjs"]) {
        if (existsSync(path.join(dir, f))) {
            out.push({ level: "refuse", file: f, message: "is a pnpm hook file: pnpm would run it on install" });
        }
    }
    if (existsSync(path.join(dir, "node_modules"))) {
        out.push({ level: "refuse", file: "node_modules", message: "is committed: install from the lock file instead (npm ci --ignore-scripts), so no prebuilt code comes with the repository" });
    }
    // Plugin binaries the CLI could pick up from the working directory or a PATH entry like ".".
    let entries: string[] = [];
    try {
        entries = readdirSync(dir);
    } catch {
        return;
    }
    for (const e of entries) {
        if (/^pulumi-(language|resource|analyzer|converter|tool)-/.test(e) || e === "pulumi") {
            out.push({ level: "refuse", file: e, message: "is named like a Pulumi plugin or the CLI itself: keep binaries the engine could launch out of the program" });
        }
    }
}

/** Checks a program directory. */
export function doctor(dir: string): DoctorFinding[] {
    const out: DoctorFinding[] = [];
    checkProject(dir, out);
    checkNpmrc(dir, out);
    checkPackageJson(dir, out);
    checkOtherHooks(dir, out);
    return out;
}

/** `agentguard doctor <program dir>`. */
/** `agentguard doctor` */
export const DOCTOR: CommandSpec = {
    name: "doctor",
    summary: "Reports what in a program directory would weaken the gate (plugins, preload hooks, install scripts); exit 1 if anything must be refused.",
    options: {},
    positionals: "<program dir>",
};

export async function doctorCommand(argv: string[], io: Io): Promise<number> {
    const p = parseCommand(DOCTOR, argv, io);
    if (!p) {
        return 0;
    }
    const [dir] = p.positionals;
    if (!dir || p.positionals.length > 1) {
        throw new UsageError("give one program directory: agentguard doctor <program dir>");
    }
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new UsageError(`"${dir}" is not a directory`);
    }
    if (!PROJECT_FILES.some((f) => existsSync(path.join(dir, f)))) {
        io.stderr(`agentguard doctor: "${dir}" holds no Pulumi.yaml\n`);
        return 1;
    }
    const findings = doctor(dir);
    for (const f of findings) {
        io.stdout(`${f.level === "refuse" ? "REFUSE" : "warn  "} ${f.file}: ${f.message}\n`);
    }
    const refused = findings.filter((f) => f.level === "refuse").length;
    io.stdout(refused > 0 ? `${refused} finding(s) would weaken agent-change-gate: do not run this program with the pack until they are removed\n` : "nothing found that would weaken agent-change-gate\n");
    return refused > 0 ? 1 : 0;
}
