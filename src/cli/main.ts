#!/usr/bin/env node
/**
 * `agentguard`: create approver keys, issue and verify approvals, generate the pack config,
 * estimate cost. Thin: every command calls the same core as the policy pack. Each command's help
 * is made from the same option declarations its parser uses (./options).
 */
import { APPROVE, KEYGEN, VERIFY, approve, keygen, verify } from "./approvals";
import { CONFIG, configCommand } from "./config";
import { COST, costCommand } from "./cost";
import { DOCTOR, doctorCommand } from "./doctor";
import { INSTRUCTIONS, instructionsCommand } from "./instructions";
import { Io, UsageError, processIo } from "./io";
import { CommandSpec, packageVersion, synopsis } from "./options";
import { PLAN_CHECK, planCommand } from "./plan";
import { REPORT, reportCommand } from "./report";
import { REVOKE, revoke } from "./revoke";

/** A command: its declaration (help and parser) and how it runs. */
interface Command {
    readonly spec: CommandSpec;
    readonly run: (argv: string[], io: Io) => Promise<number>;
}

/** Every command, in the order the help lists them. A new command adds one entry. */
const COMMANDS: readonly Command[] = [
    { spec: KEYGEN, run: keygen },
    { spec: APPROVE, run: approve },
    { spec: VERIFY, run: verify },
    { spec: CONFIG, run: configCommand },
    { spec: COST, run: costCommand },
    { spec: PLAN_CHECK, run: planCommand },
    { spec: REVOKE, run: revoke },
    { spec: DOCTOR, run: doctorCommand },
    { spec: INSTRUCTIONS, run: instructionsCommand },
    { spec: REPORT, run: (argv, io) => reportCommand(argv, io) },
];

/** The word a command is called by: `plan` for `plan check`. */
function nameOf(c: Command): string {
    return c.spec.name.split(" ")[0];
}

function usage(): string {
    const lines = ["agentguard — approvals for AI-agent changes to Pulumi stacks", "", "usage:"];
    for (const c of COMMANDS) {
        lines.push(`  ${synopsis(c.spec)}`, `      ${c.spec.summary}`);
    }
    lines.push("", "  agentguard <command> --help   options of one command", "  agentguard --version");
    return lines.join("\n") + "\n";
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
    const [name, ...rest] = argv;
    if (!name || name === "help" || name === "--help" || name === "-h") {
        const sub = name === "help" ? COMMANDS.find((c) => nameOf(c) === rest[0]) : undefined;
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
    const command = COMMANDS.find((c) => nameOf(c) === name);
    if (!command) {
        io.stderr(`agentguard: unknown command "${name}"; the commands are ${COMMANDS.map(nameOf).join(", ")} (agentguard --help)\n`);
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
