/**
 * `agentguard instructions --policy-config <file> --agent <id> [--registry agents.yaml]
 * [--format markdown|text]` (docs/contract.md §10): the rules for one agent's system prompt or AGENTS.md,
 * generated from the same policy config the gate enforces, so the two never drift apart. Every
 * figure the gate judges the agent by (budget, per-provider caps, providers, environments,
 * approvals, resource count, who approves) is in the text; a test changes each figure of the config
 * and checks that the text changes with it.
 */
import { AgentConfig, GateConfig, agentProfile, providerCapUsd } from "../gate/config";
import { GATE_IDS } from "../gate/items";
import { AGENT_MARKER_VARIABLES, INITIATOR_ENV, AGENT_CONFIG_KEY } from "../gate/initiator";
import { NEEDS, requiredFor } from "../gate/table";
import { AgentDefinition, RegistryError, readRegistryFile } from "../identity/registry";
import { readPolicyConfig } from "./approvals";
import { Io, UsageError } from "./io";
import { CommandSpec, parseCommand, str } from "./options";

/** `2 approvals`, `1 approval`, from a count of the gate table. */
function approvals(required: number | Readonly<Record<string, number>>): string {
    if (typeof required !== "number") {
        throw new Error("a count per case has no single number of approvals");
    }
    return `${required} approval${required === 1 ? "" : "s"}`;
}

/** The approvals of every spend need, one number while the table keeps them equal. */
function spendApprovals(): string {
    const counts = [...new Set([NEEDS.spend.required, NEEDS.purchase.required, NEEDS["unknown-price"].required])];
    return counts.length === 1 ? approvals(counts[0]) : "approvals";
}

/** Output formats. */
export type InstructionsFormat = "markdown" | "text";

/** A block of the document: a paragraph or a bullet list. */
type Block = { readonly p: string } | { readonly list: readonly string[] };

interface Section {
    readonly heading: string;
    readonly blocks: readonly Block[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/** `$1,234.5`: every figure exactly as configured (no rounding that could hide a change). */
function usd(n: number): string {
    return `$${n.toLocaleString("en-US", { maximumFractionDigits: 6 })}`;
}

function quoteList(items: readonly string[]): string {
    return items.length === 0 ? "none" : items.map((i) => `\`${i}\``).join(", ");
}

function duration(seconds: number): string {
    if (seconds % 3600 === 0) {
        return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
    }
    if (seconds % 60 === 0) {
        return `${seconds / 60} minutes`;
    }
    return `${seconds} seconds`;
}

/** The rules for `agentId` as sections, from the gate config (and the registry entry, if any). */
function sections(config: GateConfig, agentId: string, registry: AgentDefinition | undefined): { title: string; sections: Section[] } {
    const entry: AgentConfig | undefined = Object.prototype.hasOwnProperty.call(config.agents, agentId) ? config.agents[agentId] : undefined;
    const profile = agentProfile(config, agentId, true);
    const untrusted = agentProfile(config, agentId, false);
    const out: Section[] = [];

    out.push({
        heading: "How these rules are enforced",
        blocks: [
            {
                p:
                    `You are the agent \`${agentId}\`. Every \`pulumi preview\` and \`pulumi up\` you run is checked by agentguard's \`agent-change-gate\` policy, ` +
                    "which enforces exactly the rules below (they are generated from its configuration by `agentguard instructions`). " +
                    "A change that breaks a rule is denied until named humans approve it with signed, short-lived tokens.",
            },
            {
                list: [
                    `CI names you with \`${INITIATOR_ENV}=agent:${agentId}\`; elsewhere set stack config \`${AGENT_CONFIG_KEY}\` to \`${agentId}\`. ` +
                        `Named only by stack config or detected from your environment, you get no more than the defaults: a budget of ${usd(untrusted.budgetUsd)} a month, ` +
                        `providers ${quoteList(untrusted.providers)}${capsText(untrusted)}.`,
                    config.trustInitiatorEnv
                        ? `Never set \`${INITIATOR_ENV}=human:…\`: only CI sets it, from who triggered the run.`
                        : `Here \`${INITIATOR_ENV}\` may name an agent but never a human: a \`human:\` value counts as no initiator at all.`,
                    `A run that names no one is ${config.unidentifiedInitiator === "reject" ? "rejected" : "treated as a human's"}.` +
                        ` Coding-agent markers in your environment (${AGENT_MARKER_VARIABLES.map((v) => `\`${v}\``).join(", ")}) make a run that would count as a human's yours` +
                        (config.trustHumanWithAgentMarkers ? `, unless CI names the human in \`${INITIATOR_ENV}\`` : "") +
                        "; never unset them.",
                    ...Object.entries(config.detectedAgents)
                        .sort(([a], [b]) => a.localeCompare(b))
                        .map(([marker, id]) => `A run detected as coding agent \`${marker}\` counts as agent \`${id}\`, with no more than the defaults.`),
                ],
            },
        ],
    });

    const dev = config.developmentStacks;
    out.push({
        heading: "What you may do without approval",
        blocks: [
            {
                list: [
                    `Change development stacks: stack names matching ${quoteList(dev)} (case-insensitive). A stack matching none of the lists counts as ${config.unlistedStacks}.`,
                    `Use these provider packages: ${quoteList(profile.providers)}.`,
                    `Spend up to ${usd(profile.budgetUsd)} a month (estimated) in one stack.` +
                        (entry?.monthlyBudgetUsd === undefined ? " (the default budget)" : ""),
                    ...perProviderLines(profile),
                    `Keep at most ${config.maxResources} resources in one stack.`,
                ],
            },
        ],
    });

    const prodWords = "`prod`, `production`, `prd` or `live`";
    const stagingWords = "`staging`, `stage` or `stg`";
    const prodSignals: string[] = [];
    if (config.productionAwsAccountIds.length > 0) {
        prodSignals.push(`AWS accounts ${quoteList(config.productionAwsAccountIds)}`);
    }
    if (config.productionCloudflareAccountIds.length > 0) {
        prodSignals.push(`Cloudflare accounts ${quoteList(config.productionCloudflareAccountIds)}`);
    }
    if (config.productionCloudflareZoneIds.length > 0) {
        prodSignals.push(`Cloudflare zones ${quoteList(config.productionCloudflareZoneIds)}`);
    }
    if (config.productionAwsHostedZoneIds.length > 0) {
        prodSignals.push(`Route 53 hosted zones ${quoteList(config.productionAwsHostedZoneIds)}`);
    }
    out.push({
        heading: "What needs approval",
        blocks: [
            {
                list: [
                    `Production — ${approvals(requiredFor({ gate: "environment", environment: "production" }))}: stacks matching ${quoteList(config.productionStacks)} or whose name contains the word ${prodWords}; ` +
                        `resources tagged \`Environment\` ${prodWords}` +
                        (prodSignals.length > 0 ? `; resources in ${prodSignals.join(", ")}` : "") +
                        ". A run that only deletes still needs them.",
                    `Staging — ${approvals(requiredFor({ gate: "environment", environment: "staging" }))}: stacks matching ${quoteList(config.stagingStacks)} or whose name contains the word ${stagingWords}` +
                        (config.unlistedStacks === "staging" ? ", and every stack matching no list" : config.unlistedStacks === "production" ? "; a stack matching no list counts as production" : "") +
                        ".",
                    `A provider package not listed above (including dynamic providers, \`pulumi-nodejs\`, and any provider with its own download URL) — ${approvals(NEEDS.provider.required)}.`,
                    `Access control (IAM roles, users, policies, API tokens, account members, resource policies, open network ingress, a zone's or an application's protection such as its firewall, WAF rules, SSL or security settings, Cloudflare Zero Trust inspection, device, DLP and email security settings, sign-in through an identity provider, public endpoints for code (Worker hostnames), network links to other accounts, data sent out of the account such as subscriptions to outside endpoints, logs, results and exports written to an S3 bucket and every Firehose stream, and any resource type agentguard has not reviewed) — ${approvals(NEEDS.access.required)}.`,
                    `Spend over your budget or a per-provider cap, an AWS Budget above your budget, any purchase (domains, reservations, subscriptions), or a price that is unknown at preview — ${spendApprovals()}.`,
                    `More than ${config.maxResources} resources in a stack — ${approvals(NEEDS.operations.required)}.`,
                ],
            },
            { p: `Approvals last at most ${duration(config.maxApprovalTtlSeconds)} and are bound to one stack and to you.` },
            { list: approverLines(config, agentId, entry, registry) },
        ],
    });

    out.push({
        heading: "Budgets are per stack",
        blocks: [
            {
                p:
                    `The gate's budget (${usd(profile.budgetUsd)} a month) applies to each stack on its own; it does not add up your stacks. ` +
                    (registry
                        ? `Your cross-stack cap is the AWS Budget of your agent identity: ${usd(registry.monthlyBudgetUsd)} a month of actual spend across everything tagged \`agentguard:agent=${agentId}\`; at 100% every AWS call you make is denied until a human lifts it.`
                        : "Your cross-stack cap is the AWS Budget of your agent identity (agentguard's stack module): at 100% of actual spend every AWS call you make is denied until a human lifts it.") +
                    " Do not spread a change over several stacks to stay under the per-stack budget.",
            },
        ],
    });

    out.push({
        heading: "When the gate denies a run",
        blocks: [
            {
                list: [
                    "Stop. Show the denial to a human, word for word, and say what you were trying to do.",
                    "Never work around it: no retry under another agent name or initiator, no unsetting coding-agent markers, " +
                        "no edits to stack config `agentguard:approvals`, `agentguard:agent` or `agentguard:environment`, no run without the policy pack, " +
                        "no renamed stack, no split across stacks, no direct cloud API or console call to do the same thing.",
                    "Never create, sign or set approval tokens yourself; never ask for an approver's key.",
                ],
            },
            {
                p:
                    "How to ask: the denial ends with the exact command each approver runs, for example " +
                    `\`agentguard approve --key "$AGENTGUARD_KEY" --stack <organization>/<project>/<stack> --agent ${agentId} --environment production --ttl 4h\`. ` +
                    "Give that command to the human. The approvers (not you" +
                    ((entry?.owners?.length ?? 0) > 0 || registry ? " and not your owners" : "") +
                    ") run it, and a human sets the tokens with `pulumi config set --secret agentguard:approvals \"<token1> <token2>\"`; then run the preview again.",
            },
        ],
    });

    if (registry) {
        out.push({
            heading: "Your registration",
            blocks: [
                {
                    list: [
                        `Purpose: ${registry.purpose}`,
                        `Owner: ${registry.owner}`,
                        `Environments your credentials are issued for: ${quoteList(registry.environments)}.`,
                    ],
                },
            ],
        });
    }
    return { title: `Infrastructure rules for agent "${agentId}"`, sections: out };
}

/** `, and at most $40 a month on `cloudflare`, $60 on any other provider package`. */
function capsText(profile: ReturnType<typeof agentProfile>): string {
    const parts = Object.keys(profile.providerCapsUsd)
        .sort()
        .map((p) => `${usd(profile.providerCapsUsd[p])} a month on \`${p}\``);
    if (profile.otherProvidersCapUsd !== undefined) {
        parts.push(`${usd(profile.otherProvidersCapUsd)} a month on ${parts.length > 0 ? "any other" : "each"} provider package`);
    }
    return parts.length > 0 ? `, and at most ${parts.join(", ")}` : "";
}

function perProviderLines(profile: ReturnType<typeof agentProfile>): string[] {
    const named = Object.keys(profile.providerCapsUsd).sort();
    const lines = named.map((p) => `Spend up to ${usd(providerCapUsd(profile, p) as number)} a month on provider \`${p}\` in one stack.`);
    if (profile.otherProvidersCapUsd !== undefined) {
        lines.push(`Spend up to ${usd(profile.otherProvidersCapUsd)} a month on ${named.length > 0 ? "any other" : "each"} provider package in one stack.`);
    }
    return lines;
}

function approverLines(config: GateConfig, agentId: string, entry: AgentConfig | undefined, registry: AgentDefinition | undefined): string[] {
    const owners = new Set(entry?.owners ?? []);
    const lines: string[] = [];
    const approvers = config.approvers.filter((a) => a.id !== agentId);
    if (approvers.length === 0) {
        lines.push("No approvers are configured yet: nothing that needs approval can pass.");
    }
    for (const a of approvers) {
        const gates = a.gates && a.gates.length < GATE_IDS.length ? `may approve ${a.gates.join(", ")}` : "may approve every gate";
        lines.push(`Approver \`${a.id}\` ${gates}${owners.has(a.id) ? ", but not your runs (an owner)" : ""}.`);
    }
    const ownerList = [...owners, ...(registry && !owners.has(registry.owner) ? [registry.owner] : [])];
    if (ownerList.length > 0) {
        lines.push(`Your owners (${quoteList(ownerList)}) never count as your approvers.`);
    }
    return lines;
}

/** Renders the rules for `agentId` in `format`. */
export function agentInstructions(config: GateConfig, agentId: string, opts: { registry?: AgentDefinition; format?: InstructionsFormat } = {}): string {
    const doc = sections(config, agentId, opts.registry);
    const format = opts.format ?? "markdown";
    const lines: string[] = [];
    if (format === "markdown") {
        lines.push(`# ${doc.title}`, "");
        for (const s of doc.sections) {
            lines.push(`## ${s.heading}`, "");
            for (const b of s.blocks) {
                lines.push(...("p" in b ? [b.p] : b.list.map((l) => `- ${l}`)), "");
            }
        }
    } else {
        const plain = (s: string) => s.replace(/`/g, "");
        lines.push(doc.title, "=".repeat(doc.title.length), "");
        for (const s of doc.sections) {
            lines.push(s.heading, "-".repeat(s.heading.length), "");
            for (const b of s.blocks) {
                lines.push(...("p" in b ? [plain(b.p)] : b.list.map((l) => `* ${plain(l)}`)), "");
            }
        }
    }
    return lines.join("\n").replace(/\n+$/, "\n");
}

/** `agentguard instructions` */
export const INSTRUCTIONS: CommandSpec = {
    name: "instructions",
    summary: "Prints an agent's governance rules for its system prompt or AGENTS.md, from the config the gate enforces.",
    options: {
        "policy-config": { type: "string", value: "file", help: "the policy pack config the gate enforces (required)" },
        agent: { type: "string", value: "id", help: "the agent the rules are for (required)" },
        registry: { type: "string", value: "agents.yaml", help: "the stack module's agent registry, for the agent's credentials and budget" },
        format: { type: "string", value: "markdown|text", help: "output format (default markdown)" },
    },
};

/** `agentguard instructions …` */
export async function instructionsCommand(argv: string[], io: Io): Promise<number> {
    const p = parseCommand(INSTRUCTIONS, argv, io);
    if (!p) {
        return 0;
    }
    const values = { "policy-config": str(p, "policy-config"), agent: str(p, "agent"), registry: str(p, "registry"), format: str(p, "format") };
    if (!values["policy-config"]) {
        throw new UsageError("--policy-config is required (the policy pack config the gate enforces)");
    }
    const agent = values.agent;
    if (!agent || !ID.test(agent)) {
        throw new UsageError("--agent is required: an agent id");
    }
    const format = values.format ?? "markdown";
    if (format !== "markdown" && format !== "text") {
        throw new UsageError(`--format must be "markdown" or "text", not "${format}"`);
    }
    const config = readPolicyConfig(values["policy-config"]);
    let registry: AgentDefinition | undefined;
    if (values.registry) {
        try {
            registry = readRegistryFile(values.registry).agents.find((a) => a.id === agent);
        } catch (e) {
            if (e instanceof RegistryError) {
                io.stderr(`agentguard instructions: ${e.message}\n`);
                return 1;
            }
            throw e;
        }
        if (!registry) {
            io.stderr(`agentguard instructions: agent "${agent}" is not in the registry "${values.registry}"\n`);
            return 1;
        }
    }
    io.stdout(agentInstructions(config, agent, { registry, format }));
    return 0;
}
