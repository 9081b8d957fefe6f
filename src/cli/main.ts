#!/usr/bin/env node
/**
 * `agentguard`: create approver keys, issue and verify approvals. Thin: every command calls the
 * same core as the policy pack.
 */
import { approve, keygen, verify } from "./approvals";
import { configCommand } from "./config";
import { COST_USAGE, costCommand } from "./cost";
import { doctorCommand } from "./doctor";
import { INSTRUCTIONS_USAGE, instructionsCommand } from "./instructions";
import { REPORT_USAGE, reportCommand } from "./report";
import { Io, UsageError, processIo } from "./io";
import { revoke } from "./revoke";
import { PLAN_USAGE, planCommand } from "./plan";

const USAGE = `agentguard — approvals for AI-agent changes to Pulumi stacks

  agentguard keygen  --id <approver> [--out <file>]
      writes a private key file (mode 0600) and prints the approver entry for the policy config
  agentguard approve --key <file, default $AGENTGUARD_KEY> --stack <org/project/stack> --agent <id>
                     [--environment production|staging]… [--provider <pkg>]… [--max-monthly-usd N]
                     [--access] [--purchases] [--max-resources N] [--resource <urn>]… [--ttl 4h]
                     [--destructive] [--plan <plan.json> | --destroy-state <state.json>]
      prints one signed approval token (bound to the exact bytes of a saved plan with --plan)
  agentguard verify  --policy-config <file> --stack <org/project/stack> --agent <id> <token>…
      says for each token whether it is valid and why not; exit 0 only if all are
  agentguard revoke  --policy-config <file> (--jti <id>… | --approver <id> --before <time|now>)
      revokes tokens in the policy pack config (never stack config): by jti, or an approver's issued before a time
  agentguard config  --registry <agents.yaml> [--approvers <file>] [--base <policy-config.json>] [--out <file>]
      generates the pack config's agent budgets and providers from the agent registry
  ${PLAN_USAGE.trim().split("\n").join("\n  ")}
  agentguard doctor  <program dir>
      reports what in a program directory would weaken the gate (plugins, preload hooks, install scripts); exit 1 if any must be refused
  ${COST_USAGE.trim().split("\n").join("\n  ")}
  ${INSTRUCTIONS_USAGE}
  ${REPORT_USAGE}
`;

type Command = (argv: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, Command> = {
    keygen,
    approve,
    verify,
    config: configCommand,
    cost: costCommand,
    plan: planCommand,
    revoke,
    instructions: instructionsCommand,
    report: (argv, io) => reportCommand(argv, io),
    doctor: doctorCommand,
};

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
    const [name, ...rest] = argv;
    if (!name || name === "help" || name === "--help" || name === "-h") {
        io.stdout(USAGE);
        return name ? 0 : 2;
    }
    const command = COMMANDS[name];
    if (!command) {
        io.stderr(`agentguard: unknown command "${name}"\n\n${USAGE}`);
        return 2;
    }
    try {
        return await command(rest, io);
    } catch (e) {
        if (e instanceof UsageError || (e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS"))) {
            io.stderr(`agentguard ${name}: ${e.message}\n`);
            return 2;
        }
        io.stderr(`agentguard ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
