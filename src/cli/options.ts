/**
 * One declaration per command: its options, from which both the parser and the help text are
 * made, so the help can never list an option the parser refuses or leave one out. Errors are in
 * agentguard's words, one sentence each.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { didYouMean } from "../schema/check";
import { Io, UsageError } from "./io";

/** One option of a command. */
export interface OptionSpec {
    /** `string` takes a value; `flag` does not. */
    readonly type: "string" | "flag";
    /** What the value is, in the help: `--stack <org/project/stack>`. */
    readonly value?: string;
    /** May be given more than once. */
    readonly multiple?: boolean;
    /** One line of help. */
    readonly help: string;
}

/** A command: its name, what it does, its options and what its positional arguments are. */
export interface CommandSpec {
    readonly name: string;
    /** One line: what it does. */
    readonly summary: string;
    readonly options: Readonly<Record<string, OptionSpec>>;
    /** Positional arguments, e.g. `<token>…`; absent means none are accepted. */
    readonly positionals?: string;
    /** Paragraphs printed after the options. */
    readonly notes?: string;
}

/** Parsed arguments. */
export interface Parsed {
    readonly values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
    readonly positionals: readonly string[];
}

/** The package's version, from its package.json. */
export function packageVersion(): string {
    // dist/cli/ and src/cli/ are both two levels below the package root.
    return (JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
}

function optionLabel(name: string, o: OptionSpec): string {
    return `--${name}${o.type === "string" ? ` <${o.value ?? "value"}>` : ""}${o.multiple ? "…" : ""}`;
}

/** The one-line synopsis of a command. */
export function synopsis(spec: CommandSpec): string {
    return `agentguard ${spec.name} [options]${spec.positionals ? ` ${spec.positionals}` : ""}`;
}

/** The command's help, made from its spec. */
export function helpText(spec: CommandSpec): string {
    const rows = Object.entries(spec.options).map(([n, o]) => [optionLabel(n, o), o.help] as const);
    rows.push(["-h, --help", "print this help"], ["--version", "print agentguard's version"]);
    const width = Math.max(...rows.map(([l]) => l.length));
    const lines = [`usage: ${synopsis(spec)}`, "", spec.summary, "", "options:", ...rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`)];
    if (spec.notes) {
        lines.push("", spec.notes.trim());
    }
    return lines.join("\n") + "\n";
}

/**
 * Parses `argv` by `spec`. Returns undefined after printing help or the version (exit 0).
 * A string option takes the next argument as its value even when it starts with one dash
 * (`--max-monthly-usd -5` reaches the number check), never when it starts with two.
 */
export function parseCommand(spec: CommandSpec, argv: readonly string[], io: Io): Parsed | undefined {
    const values: Record<string, string | boolean | string[] | undefined> = Object.create(null);
    const positionals: string[] = [];
    const known = Object.keys(spec.options);
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--") {
            positionals.push(...argv.slice(i + 1));
            break;
        }
        if (arg === "-h" || arg === "--help") {
            io.stdout(helpText(spec));
            return undefined;
        }
        if (arg === "--version") {
            io.stdout(`agentguard ${packageVersion()}\n`);
            return undefined;
        }
        if (!arg.startsWith("-") || arg === "-") {
            positionals.push(arg);
            continue;
        }
        const eq = arg.indexOf("=");
        const name = arg.startsWith("--") ? arg.slice(2, eq < 0 ? undefined : eq) : "";
        const o = Object.prototype.hasOwnProperty.call(spec.options, name) ? spec.options[name] : undefined;
        if (!o) {
            const guess = name ? didYouMean(name, known) : undefined;
            throw new UsageError(`unknown option "${eq < 0 ? arg : arg.slice(0, eq)}"; ${guess ? `did you mean "--${guess}"? ` : ""}see agentguard ${spec.name} --help`);
        }
        let value: string | boolean;
        if (o.type === "flag") {
            if (eq >= 0) {
                throw new UsageError(`--${name} takes no value`);
            }
            value = true;
        } else if (eq >= 0) {
            value = arg.slice(eq + 1);
        } else {
            const next = argv[i + 1];
            if (next === undefined || next.startsWith("--")) {
                throw new UsageError(`--${name} needs a value: ${optionLabel(name, o)}`);
            }
            value = next;
            i++;
        }
        if (o.multiple) {
            values[name] = [...((values[name] as string[] | undefined) ?? []), value as string];
        } else if (values[name] !== undefined) {
            throw new UsageError(`--${name} is given twice`);
        } else {
            values[name] = value;
        }
    }
    if (positionals.length > 0 && !spec.positionals) {
        throw new UsageError(`unexpected argument "${positionals[0]}"; see agentguard ${spec.name} --help`);
    }
    return { values, positionals };
}

/** A string option's value. */
export function str(p: Parsed, name: string): string | undefined {
    return p.values[name] as string | undefined;
}

/** A flag's value. */
export function flag(p: Parsed, name: string): boolean {
    return p.values[name] === true;
}

/** A repeatable option's values, undefined when never given. */
export function list(p: Parsed, name: string): readonly string[] | undefined {
    return p.values[name] as readonly string[] | undefined;
}
