/**
 * `agentguard cost`: per-resource monthly estimates of the stack a `pulumi preview --json` would
 * leave, from the same estimator the spend gate uses.
 */
import { readFileSync } from "node:fs";
import { createEstimator } from "../cost";
import { money } from "../facts/format";
import { stackFromPreview } from "../cost/preview";
import { ResourceCost } from "../cost/types";
import { AWS_REGION } from "../facts/region";
import { isUnknown } from "../facts/facts";
import { Io, UsageError, unreadable } from "./io";
import { CommandSpec, flag, parseCommand, str } from "./options";

/** `agentguard cost` */
export const COST: CommandSpec = {
    name: "cost",
    summary: "Prints the estimated monthly cost of each resource of the stack after a preview, the total, purchases and declared budgets.",
    options: {
        "preview-json": { type: "string", value: "file|-", help: "the output of `pulumi preview --json` (default: standard input)" },
        "stack-json": { type: "string", value: "file", help: "`pulumi stack export`, to include unchanged resources" },
        region: { type: "string", value: "region", help: "used where neither a resource nor its provider names one (default us-east-1)" },
        json: { type: "flag", help: "print the estimates as JSON" },
    },
    notes: "Add --show-sames to the preview, or pass `pulumi stack export` as --stack-json, to include unchanged resources.",
};

/** Where the command reads standard input from (tests replace it). */
export interface CostInput {
    readStdin?: () => Promise<string>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of stream) {
        chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
    }
    return Buffer.concat(chunks).toString("utf8");
}

function readInput(file: string, what: string): string {
    try {
        return readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError(`${what} "${file}" ${unreadable(e)}`);
    }
}

function parseJson(text: string, what: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch (e) {
        throw new Error(`${what} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
}

/** Lays rows out in columns; the last column is not padded. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: readonly string[]) =>
        cells
            .map((c, i) => (i === cells.length - 1 ? c : rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
            .join("  ")
            .trimEnd();
    const rule = widths.map((w, i) => "-".repeat(i === widths.length - 1 ? header[i].length : w));
    return [line(header), line(rule), ...rows.map(line)].join("\n") + "\n";
}

/** The summary of a set of estimates. */
export interface CostSummary {
    readonly totalMonthlyUsd: number;
    readonly byStatus: Readonly<Record<ResourceCost["status"], number>>;
    readonly purchases: readonly ResourceCost[];
    readonly budgets: readonly ResourceCost[];
}

/** Sums the estimates of custom resources (what the spend gate compares with the budget). */
export function summarizeCosts(costs: readonly ResourceCost[]): CostSummary {
    const byStatus = { priced: 0, usage: 0, free: 0, unpriced: 0, unknown: 0 };
    let total = 0;
    for (const c of costs) {
        byStatus[c.status]++;
        total += c.monthlyUsd;
    }
    return {
        totalMonthlyUsd: Math.round(total * 100) / 100,
        byStatus,
        purchases: costs.filter((c) => c.purchase),
        budgets: costs.filter((c) => c.declaredBudgetUsd !== undefined),
    };
}

/** `agentguard cost …` */
export async function costCommand(argv: string[], io: Io, input: CostInput = {}): Promise<number> {
    const p = parseCommand(COST, argv, io);
    if (!p) {
        return 0;
    }
    const values = { "preview-json": str(p, "preview-json"), "stack-json": str(p, "stack-json"), region: str(p, "region"), json: flag(p, "json") };
    if (values.region !== undefined && !AWS_REGION.test(values.region)) {
        throw new UsageError(`--region "${values.region}" is not an AWS region code like eu-west-1`);
    }
    const source = values["preview-json"] ?? "-";
    const readStdin = input.readStdin ?? (() => readAll(process.stdin));
    const previewText = source === "-" ? await readStdin() : readInput(source, "--preview-json");
    const preview = parseJson(previewText, source === "-" ? "standard input" : `"${source}"`);
    const stack = values["stack-json"] !== undefined ? parseJson(readInput(values["stack-json"], "--stack-json"), `"${values["stack-json"]}"`) : undefined;
    const { resources, ops, warnings } = stackFromPreview(preview, stack);
    for (const w of warnings) {
        io.stderr(`agentguard cost: ${w}\n`);
    }
    const estimator = createEstimator(values.region ? { defaultRegion: values.region } : {});
    const custom = resources.filter((r) => r.kind === "custom");
    const costs = custom.map((r) => estimator.estimate(r));
    const summary = summarizeCosts(costs);

    if (values.json) {
        io.stdout(
            JSON.stringify(
                {
                    resources: costs.map((c) => ({
                        ...c,
                        op: ops.get(c.urn),
                        ...(c.declaredBudgetUsd !== undefined ? { declaredBudgetUsd: isUnknown(c.declaredBudgetUsd) ? "unknown" : c.declaredBudgetUsd } : {}),
                    })),
                    totalMonthlyUsd: summary.totalMonthlyUsd,
                    byStatus: summary.byStatus,
                },
                null,
                2,
            ) + "\n",
        );
        return 0;
    }

    const names = new Map<string, number>();
    for (const r of custom) {
        names.set(r.name, (names.get(r.name) ?? 0) + 1);
    }
    const rows = costs.map((c, i) => {
        const r = custom[i];
        const name = (names.get(r.name) ?? 0) > 1 ? `${r.name} (${r.urn.split("::")[2] ?? ""})` : r.name;
        const op = ops.get(c.urn);
        const amount = c.status === "priced" ? money(c.monthlyUsd) : c.status === "unknown" ? "?" : "-";
        const region = c.region ? `${c.region}${c.regionSource === "default" ? "*" : ""}` : "";
        return [name + (op && op !== "same" ? ` [${op}]` : ""), c.type, c.status, region, amount, (c.purchase ? "PURCHASE: " : "") + (c.basis ?? "")];
    });
    const out: string[] = [];
    if (rows.length === 0) {
        out.push("no custom resources in the preview\n");
    } else {
        out.push(formatTable(["resource", "type", "status", "region", "monthly USD", "basis"], rows, new Set([4])));
    }
    out.push("\n");
    const counts = Object.entries(summary.byStatus)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${s}`)
        .join(", ");
    out.push(`total: ${money(summary.totalMonthlyUsd)}/month estimated (${counts || "nothing"}; usage, free and unpriced resources count as $0)\n`);
    if (costs.some((c) => c.regionSource === "default")) {
        out.push("* region not named by the resource or its provider (or no price there): us-east-1 or --region used\n");
    }
    if (summary.byStatus.unknown > 0) {
        out.push(`unknown at preview: ${costs.filter((c) => c.status === "unknown").map((c) => `"${c.urn}" (${(c.unknownInputs ?? []).join(", ")})`).join("; ")}\n`);
    }
    if (summary.purchases.length > 0) {
        out.push("purchases (need separate approval):\n");
        for (const c of summary.purchases) {
            const p = c.purchase!;
            out.push(`  - ${p.what}${p.usd !== undefined ? `: ${money(p.usd)}${p.basis ? ` (${p.basis})` : ""}` : ": price not known"} — "${c.urn}"\n`);
        }
    }
    if (summary.budgets.length > 0) {
        out.push("declared budgets:\n");
        for (const c of summary.budgets) {
            const b = c.declaredBudgetUsd;
            out.push(`  - ${isUnknown(b) ? "limit unknown at preview" : `${money(b as number)}/month`} — "${c.urn}"\n`);
        }
    }
    io.stdout(out.join(""));
    return 0;
}
