/**
 * The generated "type table" section of docs/cost.md: how many types of each family fall in each
 * class, and every priced, purchase, meta-provisioner and usage type by name. `npm run docs`
 * writes it; a test fails when the committed page is stale.
 * @internal
 */
import { FAMILIES } from "./index";
import { CostClass } from "./row";

export const TYPE_TABLE_BEGIN = "<!-- BEGIN GENERATED TYPE TABLE (npm run docs, from src/cost/catalog) -->";
export const TYPE_TABLE_END = "<!-- END GENERATED TYPE TABLE -->";

const CLASSES: readonly CostClass[] = ["priced", "free", "usage", "unpriced", "purchase", "meta"];

/** The section's text, markers included. */
export function renderTypeTable(): string {
    let s = `${TYPE_TABLE_BEGIN}\n`;
    s += "| family (src/cost/catalog) | " + CLASSES.join(" | ") + " | of which access | total |\n";
    s += "|---|" + CLASSES.map(() => "---:").join("|") + "|---:|---:|\n";
    const totals: Record<string, number> = {};
    let accessTotal = 0;
    let all = 0;
    for (const [family, rows] of Object.entries(FAMILIES)) {
        const counts: Record<string, number> = {};
        let access = 0;
        const list = Object.values(rows);
        for (const r of list) {
            counts[r.cost] = (counts[r.cost] ?? 0) + 1;
            totals[r.cost] = (totals[r.cost] ?? 0) + 1;
            if (r.access || r.accessWhen || r.judge) {
                access++;
            }
        }
        accessTotal += access;
        all += list.length;
        s += `| \`${family}\` | ${CLASSES.map((c) => counts[c] ?? 0).join(" | ")} | ${access} | ${list.length} |\n`;
    }
    s += `| **all** | ${CLASSES.map((c) => `**${totals[c] ?? 0}**`).join(" | ")} | **${accessTotal}** | **${all}** |\n\n`;
    const named = (cls: CostClass, title: string, withNote: boolean): string => {
        const types = Object.values(FAMILIES)
            .flatMap((rows) => Object.entries(rows))
            .filter(([, r]) => r.cost === cls)
            .sort((a, b) => a[0].localeCompare(b[0]));
        let t = `**${title}** (${types.length}):\n\n`;
        for (const [type, r] of types) {
            t += `- \`${type}\`${withNote && r.note ? ` — ${r.note}` : ""}\n`;
        }
        return t + "\n";
    };
    s += named("priced", "Priced by a cost rule", false);
    s += named("purchase", "Purchases without a rule (unknown price, `purchases: true`)", true);
    s += named("meta", "Meta-provisioners (access and an unknown price)", true);
    s += named("usage", "Usage-priced (no baseline; $0 in the total)", true);
    s += `${TYPE_TABLE_END}`;
    return s;
}

/** `doc` with its generated type-table section replaced by `section`. */
export function replaceTypeTable(doc: string, section: string): string {
    const a = doc.indexOf(TYPE_TABLE_BEGIN);
    const b = doc.indexOf(TYPE_TABLE_END);
    if (a < 0 || b < a) {
        throw new Error("docs/cost.md has no generated type-table markers");
    }
    return doc.slice(0, a) + section + doc.slice(b + TYPE_TABLE_END.length);
}
