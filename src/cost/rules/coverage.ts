/**
 * The generated "Coverage" table of docs/cost.md: each priced type of the type table, the rule
 * file that prices it, the price tables it reads and the inputs that decide the price, from the
 * rules' own `doc`. `npm run docs` writes it; a test fails when the committed page is stale.
 * @internal
 */
import { TYPE_TABLE } from "../catalog";
import { RULE_FAMILIES } from "./index";
import { Rule } from "./rule";

export const COVERAGE_BEGIN = "<!-- BEGIN GENERATED RULE COVERAGE (npm run docs, from src/cost/rules) -->";
export const COVERAGE_END = "<!-- END GENERATED RULE COVERAGE -->";

/** The section's text, markers included. */
export function renderCoverage(): string {
    let s = `${COVERAGE_BEGIN}\n`;
    s += "| resource types | rule (src/cost/rules) | priced from | inputs that decide the price |\n| --- | --- | --- | --- |\n";
    for (const [family, rules] of Object.entries(RULE_FAMILIES)) {
        // Types that share a rule's description share a row, in the order the family file lists them.
        const rows = new Map<string, { doc: Rule["doc"]; types: string[] }>();
        for (const [type, rule] of Object.entries(rules)) {
            if (TYPE_TABLE.get(type)?.cost !== "priced") {
                continue;
            }
            const key = `${rule.doc.from}\u0000${rule.doc.inputs}`;
            const row = rows.get(key) ?? { doc: rule.doc, types: [] };
            row.types.push(type);
            rows.set(key, row);
        }
        for (const { doc, types } of rows.values()) {
            s += `| ${types.map((t) => `\`${t}\``).join(", ")} | \`${family}.ts\` | ${doc.from} | ${doc.inputs || "—"} |\n`;
        }
    }
    return `${s}${COVERAGE_END}`;
}

/** `doc` with its generated coverage section replaced by `section`. */
export function replaceCoverage(doc: string, section: string): string {
    const a = doc.indexOf(COVERAGE_BEGIN);
    const b = doc.indexOf(COVERAGE_END);
    if (a < 0 || b < a) {
        throw new Error("docs/cost.md has no generated coverage markers");
    }
    return doc.slice(0, a) + section + doc.slice(b + COVERAGE_END.length);
}
