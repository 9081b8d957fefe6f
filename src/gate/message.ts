/**
 * The words of a denial (docs/contract.md §6): a summary first (the fewest tokens that cover the run,
 * after the approvals already valid, then one short line per finding), and per item one factual
 * sentence, subject first, observed vs allowed, how many approvals it needs and has, and why each
 * presented token did not count. Every line is {@link printable}: what the agent's program chose
 * (resource names, inputs) cannot forge, erase or reorder a line of it.
 */
import { approversFor, gateRefusal } from "../approvals/roles";
import { ApprovalSet, approvalOfReport } from "../approvals/verify";
import { GateConfig } from "./config";
import { JudgedItem, approvalCovers } from "./decide";
import { StackRef, stackSubject } from "../facts/facts";
import { printable } from "../facts/format";
import { GATE_IDS } from "./items";
import { shellArg } from "./shell";
import { NEEDS, needRow } from "./table";

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The `agentguard approve` command with `flags`, every agent-chosen part quoted for the shell;
 * `binding` is the `--plan <file>` (or `--destroy-state <file>`) of a run checked against a plan.
 */
function approveWith(flags: Iterable<string>, stack: StackRef, agent: string, binding?: string): string {
    return `agentguard approve --key "$AGENTGUARD_KEY" --stack ${shellArg(stackSubject(stack))} --agent ${shellArg(agent)} ${[...flags].join(" ")}${binding ? ` ${binding}` : ""} --ttl 4h`;
}

/** What a covering token must grant, in the words of the need's row. */
function grantText(item: JudgedItem): string {
    return needRow(item.need).grant(item.need as never);
}

/** The approve flags of the need's row for `item`. */
function flagsOf(item: JudgedItem): string[] {
    return needRow(item.need).flags(item.need as never, item.resource);
}

/** `--max-monthly-usd CEILING` of the table's unknown-price flags, with a concrete amount when one is known. */
function withCeiling(flags: readonly string[], ceilingUsd: number | undefined): string[] {
    return flags.map((f) => (ceilingUsd !== undefined ? f.replace("CEILING", String(Math.ceil(ceilingUsd))) : f));
}

/** The command an approver runs to cover `item`; `ceilingUsd` replaces the CEILING of an unknown price. */
export function approveCommand(item: JudgedItem, stack: StackRef, agent: string, ceilingUsd?: number, binding?: string): string {
    return approveWith(withCeiling(flagsOf(item), ceilingUsd), stack, agent, binding);
}

/** Why each presented token does not count toward `item`. */
function tokenNotes(item: JudgedItem, approvals: ApprovalSet): string[] {
    const notes: string[] = [];
    const of = approvalOfReport(approvals);
    for (const r of approvals.reports) {
        const from = r.iss ? ` from "${r.iss}"` : "";
        if (!r.valid) {
            notes.push(`token "${r.jti}"${from} rejected: ${r.reason ?? r.code}`);
            continue;
        }
        const v = of.get(r);
        const refused = v && gateRefusal(v.iss, v.gates, item.need.gate);
        if (refused) {
            notes.push(`token "${r.jti}"${from} does not count for it (${refused})`);
        } else if (v && !approvalCovers(v, item)) {
            const restricted = item.level === "resource" && v.scope.resources !== undefined && !v.scope.resources.includes(item.resource ?? "");
            const stackLevel = item.level === "stack" && v.scope.resources !== undefined;
            const why = stackLevel
                ? "its resources list restricts it to resources; a stack-level item needs a token without --resource"
                : restricted
                  ? "its resources list leaves this resource out"
                  : `its scope lacks ${grantText(item)}`;
            notes.push(`token "${r.jti}"${from} does not cover it (${why})`);
        }
    }
    return notes;
}

/** What a denial's words depend on besides the item. */
export interface DenialContext {
    readonly stack: StackRef;
    readonly agent: string;
    /** The tokens presented in the run: why each does or does not count. */
    readonly approvals: ApprovalSet;
    /**
     * True when the run's summary (a stack-level violation, listed first) names the tokens to
     * sign: the item's line then leaves its own command out.
     */
    readonly summarized?: boolean;
    /** The monthly ceiling to put in unknown-price commands (the agent's budget). */
    readonly ceilingUsd?: number;
    /** `--plan <file>` when the run is checked against (or applies) a saved plan. */
    readonly binding?: string;
}

/** The denial text for one unsatisfied item: one line, plus its own command unless summarized. */
export function denialMessage(item: JudgedItem, ctx: DenialContext): string {
    const has = item.approvedBy.length;
    const from = has > 0 ? ` (from ${item.approvedBy.map((a) => `"${a}"`).join(", ")})` : "";
    const notes = tokenNotes(item, ctx.approvals);
    const tokens = ctx.approvals.reports.length === 0 ? "; no approvals presented" : notes.length > 0 ? `; ${notes.join("; ")}` : "";
    const line = `${item.observed}; needs ${plural(item.required, "approval")} with ${grantText(item)}, has ${has}${from}${tokens}`;
    if (ctx.summarized) {
        return printable(`${line}.`);
    }
    const missing = item.required - has;
    const who = missing === 1 ? (has > 0 ? "one more approver" : "one approver") : `${missing}${has > 0 ? " more" : ""} approvers`;
    return printable(`${line}. Sign (${who}, not "${ctx.agent}"): ${approveCommand(item, ctx.stack, ctx.agent, ctx.ceilingUsd, ctx.binding)}`);
}

/**
 * Per denied gate, the configured approvers who may still approve it (docs/contract.md §4: the gate is
 * in their `gates`, they are neither the agent nor one of its owners, and they have not already
 * approved every denied item of that gate): `Who can approve: environment "bob", "carol"; access nobody (…)`.
 */
export function whoCanApprove(denied: readonly JudgedItem[], agent: string, config: GateConfig): string {
    const parts = GATE_IDS.filter((g) => denied.some((d) => d.need.gate === g)).map((g) => {
        const items = denied.filter((d) => d.need.gate === g);
        const ids = approversFor(config, agent, g).filter((id) => !items.every((d) => d.approvedBy.includes(id)));
        return `${g} ${ids.length > 0 ? ids.map((id) => `"${id}"`).join(", ") : `nobody (configure another approver whose "gates" include ${g} and who does not own "${agent}")`}`;
    });
    return `Who can approve: ${parts.join("; ")}.`;
}

/** How many more distinct approvers a set of items needs, and who cannot be one of them. */
function stillNeeded(items: readonly JudgedItem[], agent: string): { count: number; not: string[] } {
    const count = Math.max(0, ...items.map((d) => d.required - d.approvedBy.length));
    // An approver already counted for an item that needs `count` more adds nothing to it by signing again.
    const counted = new Set(items.filter((d) => d.required - d.approvedBy.length === count).flatMap((d) => d.approvedBy));
    return { count, not: [agent, ...[...counted].sort()] };
}

function signers(need: { count: number; not: readonly string[] }, items: readonly JudgedItem[]): string {
    // "more" when approvals already count and fewer signers than a finding requires are left.
    const more = items.some((d) => d.approvedBy.length > 0) && need.count < Math.max(...items.map((d) => d.required)) ? " more" : "";
    const who = need.count === 1 ? `1${more} approver` : `${need.count}${more} approvers`;
    return `${who} (not ${need.not.map((n) => `"${n}"`).join(", ")})`;
}

/**
 * The approve flags of the need rows of `items`, each once: an amount flag (`--max-resources 250`)
 * once with its highest amount, after the others.
 */
function mergeFlags(items: readonly JudgedItem[]): { flags: string[]; amounts: Map<string, number> } {
    const plain = new Set<string>();
    const amounts = new Map<string, number>();
    for (const item of items) {
        const amountFlag = needRow(item.need).amountFlag;
        for (const f of flagsOf(item)) {
            if (amountFlag !== undefined && f.startsWith(`${amountFlag} `)) {
                amounts.set(amountFlag, Math.max(amounts.get(amountFlag) ?? 0, Number(f.slice(amountFlag.length + 1))));
            } else {
                plain.add(f);
            }
        }
    }
    return { flags: [...plain, ...[...amounts].map(([flag, n]) => `${flag} ${n}`)], amounts };
}

/**
 * The summary of a denied run, listed first among its violations: the fewest tokens that cover
 * every finding, after the approvals already valid — one token per approver for everything one
 * scope can hold, and one more naming every resource whose price is unknown (with several
 * `--resource`, since a `resources` list would narrow the first token). Each finding follows as
 * its own short violation.
 */
export function summaryDenial(
    denied: readonly JudgedItem[],
    stack: StackRef,
    agent: string,
    opts: {
        readonly ceilingUsd?: number;
        /** Names who may approve each gate (approver gates, owners). */
        readonly config?: GateConfig;
        /** `--plan <file>` of a run checked against a saved plan. */
        readonly binding?: string;
    } = {},
): string {
    const counts = GATE_IDS.map((g) => [g, denied.filter((d) => d.need.gate === g).length] as const).filter(([, n]) => n > 0);
    // Table order, then resource: the same findings always give the same commands.
    const ordered = [...denied].sort((a, b) => GATE_IDS.indexOf(a.need.gate) - GATE_IDS.indexOf(b.need.gate) || (a.resource ?? "").localeCompare(b.resource ?? ""));
    const unpriced = ordered.filter((d) => needRow(d.need).ownToken === true);
    const general = ordered.filter((d) => needRow(d.need).ownToken !== true);
    const merged = mergeFlags(general);
    const maxUsd = merged.amounts.get(NEEDS.spend.amountFlag ?? "") ?? 0;
    const lines: string[] = [
        `agent "${agent}" needs approval for ${plural(denied.length, "finding")} on "${stackSubject(stack)}" (${counts.map(([g, n]) => `${g} ×${n}`).join(", ")}).`,
    ];
    if (opts.config) {
        lines.push(whoCanApprove(denied, agent, opts.config));
    }
    let tokens = 0;
    if (general.length > 0) {
        const need = stillNeeded(general, agent);
        tokens += need.count;
        lines.push(`${unpriced.length > 0 ? "For all but the unknown prices" : "To cover them all"}, ${signers(need, general)} each run: ${approveWith(merged.flags, stack, agent, opts.binding)}`);
    }
    if (unpriced.length > 0) {
        const need = stillNeeded(unpriced, agent);
        tokens += need.count;
        const ceiling = Math.max(maxUsd, Math.ceil(opts.ceilingUsd ?? 0)) || undefined;
        lines.push(
            `For the unknown price${unpriced.length === 1 ? "" : "s"} of ${plural(unpriced.length, "resource")}, ${signers(need, unpriced)} each run: ` +
                approveWith(withCeiling(mergeFlags(unpriced).flags, ceiling), stack, agent, opts.binding),
        );
    }
    if (opts.binding) {
        lines.push(`Then pass the ${plural(tokens, "token")} to agentguard plan check --approvals "<token1> <token2>", and give them to the apply in AGENTGUARD_APPROVALS (docs/plans.md).`);
        return lines.map(printable).join("\n");
    }
    lines.push(
        `Then add the ${plural(tokens, "token")} to the stack's agentguard:approvals (add --set-config to each command, or pulumi config set agentguard:approvals "<token1> <token2>") and run the preview again. ` +
            `The pack sees what the program declares, not what will change; for exact changes use the plan gate (docs/plans.md).`,
    );
    return lines.map(printable).join("\n");
}
