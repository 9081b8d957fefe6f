/**
 * Classifies a resource by its row in the reviewed type table (src/cost/catalog): a cost rule,
 * free, usage-priced, a purchase, a meta-provisioner or unpriced. A type with no row is
 * `unpriced` (an unknown price for the spend gate), never a silent $0.
 * @internal
 */
import { Ctx, plainCost, unpricedCost } from "./calc";
import { rowOf } from "./catalog";
import { price } from "./pricer";
import { RULES } from "./rules/index";
import { ResourceCost } from "./types";

/** The priced result of a resource from its row in the reviewed type table. */
export function classify(ctx: Ctx): ResourceCost {
    const { r } = ctx;
    if (r.kind !== "custom") {
        return plainCost(ctx, "free", r.kind === "provider" ? "provider resource: no charge" : "component resource: its children are priced");
    }
    const row = rowOf(r.type);
    if (!row) {
        return unpricedCost(ctx, `"${r.type}" is not in the reviewed type table: an unknown price until it is reviewed`);
    }
    switch (row.cost) {
        case "priced": {
            const rule = Object.prototype.hasOwnProperty.call(RULES, r.type) ? RULES[r.type] : undefined;
            return rule ? price(ctx, rule) : unpricedCost(ctx, `no cost rule for ${r.type}`);
        }
        case "free":
            return plainCost(ctx, "free", row.note ? `no charge of its own: ${row.note}` : "no charge of its own");
        case "usage":
            return plainCost(ctx, "usage", `billed by use with no baseline: ${row.note ?? "usage"}`);
        case "purchase":
            return unpricedCost(ctx, `a purchase whose price is not in the snapshot: ${row.note ?? r.type}`, { what: row.note ?? `a purchase (${r.type})` });
        case "meta":
            return unpricedCost(ctx, `a meta-provisioner: ${row.note ?? "it can create arbitrary resources"}; its cost is whatever it creates`);
        case "unpriced":
            return unpricedCost(ctx, `no price model for ${r.type}${row.note ? ` (${row.note})` : ""}`);
    }
}
