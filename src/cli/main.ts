#!/usr/bin/env node
/**
 * `agentguard`: create approver keys, issue and verify approvals, generate the pack config,
 * estimate cost. Thin: every command calls the same core as the policy pack. Each command's help
 * is made from the same option declarations its parser uses (./options).
 */
import { APPROVE, KEYGEN, VERIFY, approve, keygen, verify } from "./approvals";
import { CONFIG, configCommand } from "./config";
import { COST, costCommand } from "./cost";
import { doctorCommand } from "./doctor";
import { INSTRUCTIONS_USAGE, instructionsCommand } from "./instructions";
import { Io, UsageError, processIo } from "./io";
import { CommandSpec, packageVersion, synopsis } from "./options";
import { PLAN_USAGE, planCommand } from "./plan";
import { REPORT_USAGE, reportCommand } from "./report";
import { REVOKE_USAGE, revoke } from "./revoke";

/** A command: what `agentguard help` says about it and how it runs. */
interface Command {
    readonly spec: Pick<CommandSpec, "name" | "summary" | "positionals">;
    readonly run: (argv: string[], io: Io) => Promise<number>;
}

/** Every command, in the order the help lists them. A new command adds one entry. */
const DOCTOR_USAGE = "agentguard doctor <program dir>   (exit 1 if anything in it must be refused)";

const COMMANDS: readonly Command[] = [
    { spec: KEYGEN, run: keygen },
    { spec: APPROVE, run: approve },
    { spec: VERIFY, run: verify },
    { spec: CONFIG, run: configCommand },
    { spec: COST, run: costCommand },
    withUsage("plan", "Checks a saved update plan (or a destroy) against the gate, deletes and replaces included (docs/plans.md).", PLAN_USAGE, planCommand),
    withUsage("revoke", "Revokes tokens in the policy pack config (never stack config): by jti, or an approver's issued before a time.", REVOKE_USAGE, revoke),
    withUsage("doctor", "Reports what in a program directory would weaken the gate (plugins, preload hooks, install scripts).", DOCTOR_USAGE, doctorCommand, "<program dir>"),
    withUsage("instructions", "Prints an agent's governance rules for its system prompt or AGENTS.md, from the config the gate enforces.", INSTRUCTIONS_USAGE, instructionsCommand),
    withUsage("report", "Summarizes the decision log per agent: runs, denials, approvals, spend, anomalies.", REPORT_USAGE, (argv, io) => reportCommand(argv, io)),
];

/**
 * A command whose parser is its own (node:util parseArgs) and whose help is its usage text.
 * `--help`/`-h` print that text; `--version` the package's version.
 */
function withUsage(name: string, summary: string, usageText: string, run: Command["run"], positionals?: string): Command {
    return {
        spec: { name, summary, positionals },
        run: async (argv, io) => {
            if (argv.includes("--help") || argv.includes("-h")) {
                io.stdout(`usage: ${usageText.trim()}\n\n${summary}\n`);
                return 0;
            }
            if (argv.includes("--version")) {
                io.stdout(`agentguard ${packageVersion()}\n`);
                return 0;
            }
            return run(argv, io);
        },
    };
}

function usage(): string {
    const lines = ["agentguard — approvals for AI-agent changes to Pulumi stacks", "", "usage:"];
    for (const c of COMMANDS) {
        lines.push(`  ${synopsis(c.spec as CommandSpec)}`, `      ${c.spec.summary}`);
    }
    lines.push("", "  agentguard <command> --help   options of one command", "  agentguard --version");
    return lines.join("\n") + "\n";
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
    const [name, ...rest] = argv;
    if (!name || name === "help" || name === "--help" || name === "-h") {
        const sub = name === "help" ? COMMANDS.find((c) => c.spec.name === rest[0]) : undefined;
        if (sub) {
            return sub.run(["--help"], io);
        }
        io[name ? "stdout" : "stderr"](usage());
        return name ? 0 : 2;
    }
    if (name === "--version" || name === "version") {
        io.stdout(`agentguard ${packageVersion()}\n`);
        return 0;
    }
    const command = COMMANDS.find((c) => c.spec.name === name);
    if (!command) {
        io.stderr(`agentguard: unknown command "${name}"; the commands are ${COMMANDS.map((c) => c.spec.name).join(", ")} (agentguard --help)\n`);
        return 2;
    }
    try {
        return await command.run(rest, io);
    } catch (e) {
        io.stderr(`agentguard ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
        return e instanceof UsageError ? 2 : 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
