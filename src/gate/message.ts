/**
 * The words of a denial (contract §6): one factual sentence per item, subject first, observed
 * vs allowed, how many approvals it needs and has, why each presented token did not count, and
 * the exact `agentguard approve` command that would cover it.
 */
import { approversFor, gateRefusal } from "../approvals/roles";
import { ApprovalReport, ValidApproval } from "../approvals/verify";
import { GateConfig } from "./config";
import { covers, JudgedItem } from "./decide";
import { StackRef, stackSubject } from "./facts";
import { GATE_IDS } from "./items";
import { shellArg } from "./shell";
import { GATES } from "./table";

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `environments ⊇ ["production"]`-style text for what a covering token must grant. */
function grantText(item: JudgedItem): string {
    const n = item.need;
    switch (n.gate) {
        case "environment":
            return `environments containing "${n.environment}"`;
        case "provider":
            return `providers containing "${n.provider}"`;
        case "access":
            return "access: true";
        case "operations":
            return `maxResources ≥ ${n.count}`;
        case "destructive":
            return `destructive: true, bound to this ${n.binding === "plan" ? "plan" : "destroy's state export"} (${n.digest.slice(0, 19)}…)`;
        case "spend":
            switch (n.kind) {
                case "total":
                case "budget":
                    return `maxMonthlyUsd ≥ ${Math.ceil(n.amountUsd)}`;
                case "purchase":
                    return "purchases: true";
                case "unknown-price":
                    return "this URN in resources and a maxMonthlyUsd";
            }
    }
}

/**
 * The `agentguard approve` command with `flags`, every agent-chosen part quoted for the shell;
 * `binding` is the `--plan <file>` (or `--destroy-state <file>`) of a run checked against a plan.
 */
function approveWith(flags: Iterable<string>, stack: StackRef, agent: string, binding?: string): string {
    return `agentguard approve --key "$AGENTGUARD_KEY" --stack ${shellArg(stackSubject(stack))} --agent ${shellArg(agent)} ${[...flags].join(" ")}${binding ? ` ${binding}` : ""} --ttl 4h`;
}

/** The command an approver runs to cover `item`. */
export function approveCommand(item: JudgedItem, stack: StackRef, agent: string, binding?: string): string {
    const flags = [...GATES[item.gate].flags(item.need)];
    if (item.need.gate === "spend" && item.need.kind === "unknown-price" && item.resource) {
        flags.push(`--resource ${shellArg(item.resource)}`);
    }
    return approveWith(flags, stack, agent, binding);
}

/** Why each presented token does not count toward `item`. */
function tokenNotes(item: JudgedItem, reports: readonly ApprovalReport[], valid: readonly ValidApproval[]): string[] {
    const notes: string[] = [];
    for (const r of reports) {
        const from = r.iss ? ` from "${r.iss}"` : "";
        if (!r.valid) {
            notes.push(`token "${r.jti}"${from} rejected: ${r.reason ?? r.code}`);
            continue;
        }
        const v = valid.find((a) => a.jti === r.jti && a.iss === r.iss);
        const refused = v && gateRefusal(v.iss, v.gates, item.gate);
        if (refused) {
            notes.push(`token "${r.jti}"${from} does not count for it (${refused})`);
        } else if (v && !covers(v, item)) {
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

/** The full denial text for one unsatisfied item. */
export function denialMessage(
    item: JudgedItem,
    ctx: {
        readonly stack: StackRef;
        readonly agent: string;
        readonly reports: readonly ApprovalReport[];
        readonly valid: readonly ValidApproval[];
        /** `--plan <file>` when the run is checked against a saved plan. */
        readonly extraFlags?: string;
    },
): string {
    const has = item.approvedBy.length;
    const from = has > 0 ? ` (from ${item.approvedBy.map((a) => `"${a}"`).join(", ")})` : "";
    const notes = tokenNotes(item, ctx.reports, ctx.valid);
    const tokens = ctx.reports.length === 0 ? "; no approvals presented" : notes.length > 0 ? `; ${notes.join("; ")}` : "";
    const missing = item.required - has;
    const who = missing === 1 ? (has > 0 ? "one more approver" : "one approver") : `${missing}${has > 0 ? " more" : ""} approvers`;
    return `${item.observed}; needs ${plural(item.required, "approval")} with ${grantText(item)}, has ${has}${from}${tokens}. Sign (${who}, not "${ctx.agent}"): ${approveCommand(item, ctx.stack, ctx.agent, ctx.extraFlags)}`;
}

/**
 * Per denied gate, the configured approvers who may still approve it (contract v2 §4: the gate is
 * in their `gates`, they are neither the agent nor one of its owners, and they have not already
 * approved every denied item of that gate): `Who can approve: environment "bob", "carol"; access nobody (…)`.
 */
export function whoCanApprove(denied: readonly JudgedItem[], agent: string, config: GateConfig): string {
    const parts = GATE_IDS.filter((g) => denied.some((d) => d.gate === g)).map((g) => {
        const items = denied.filter((d) => d.gate === g);
        const ids = approversFor(config, agent, g).filter((id) => !items.every((d) => d.approvedBy.includes(id)));
        return `${g} ${ids.length > 0 ? ids.map((id) => `"${id}"`).join(", ") : `nobody (configure another approver whose "gates" include ${g} and who does not own "${agent}")`}`;
    });
    return `Who can approve: ${parts.join("; ")}. `;
}

/**
 * One paragraph for the end of a denied run: the findings by gate, and the single token each
 * approver signs to cover them all (unknown prices need a token per resource).
 */
export function summaryDenial(denied: readonly JudgedItem[], stack: StackRef, agent: string, config?: GateConfig, binding?: string): string {
    const counts = GATE_IDS.map((g) => [g, denied.filter((d) => d.gate === g).length] as const).filter(([, n]) => n > 0);
    const required = Math.max(...denied.map((d) => d.required));
    const flags = new Set<string>();
    let maxUsd = 0;
    let maxResources = 0;
    const perResource: JudgedItem[] = [];
    // Table order, then resource: the same findings always give the same command.
    const ordered = [...denied].sort((a, b) => GATE_IDS.indexOf(a.gate) - GATE_IDS.indexOf(b.gate) || (a.resource ?? "").localeCompare(b.resource ?? ""));
    for (const d of ordered) {
        const n = d.need;
        if (n.gate === "spend" && n.kind === "unknown-price") {
            perResource.push(d);
        } else if (n.gate === "spend" && (n.kind === "total" || n.kind === "budget")) {
            maxUsd = Math.max(maxUsd, Math.ceil(n.amountUsd));
        } else if (n.gate === "operations") {
            maxResources = Math.max(maxResources, n.count);
        } else {
            GATES[d.gate].flags(n).forEach((f) => flags.add(f));
        }
    }
    if (maxUsd > 0) {
        flags.add(`--max-monthly-usd ${maxUsd}`);
    }
    if (maxResources > 0) {
        flags.add(`--max-resources ${maxResources}`);
    }
    let text =
        `agent "${agent}" needs approval for ${plural(denied.length, "finding")} on "${stackSubject(stack)}" ` +
        `(${counts.map(([g, n]) => `${g} ×${n}`).join(", ")}). ` +
        (config ? whoCanApprove(denied, agent, config) : "");
    if (flags.size > 0) {
        text += `One token per approver covers ${perResource.length > 0 ? "all but the unknown prices" : "them all"}: ${required} approvers (not "${agent}") each run: ${approveWith(flags, stack, agent, binding)}. `;
    }
    for (const d of perResource) {
        text += `For the unknown price of "${d.resource}": ${approveCommand(d, stack, agent, binding)}. `;
    }
    if (binding) {
        return text + `Then pass the tokens to agentguard plan check --approvals "<token1> <token2>", and set them in stack config agentguard:approvals for the apply.`;
    }
    return text + `Then set the tokens: pulumi config set --secret agentguard:approvals "<token1> <token2>" and run the preview again.`;
}
