/**
 * The pieces every pricing rule uses: where a resource is, how to look a price up with the
 * us-east-1 fallback, and how to turn the parts of an estimate into a {@link ResourceCost} whose
 * `basis` says how the figure was reached.
 * @internal
 */
import { Props, ResourceFacts, Value, isUnknown } from "../facts/facts";
import { money } from "../facts/format";
import { AWS_REGION } from "../facts/region";
import { field } from "../facts/values";
import { asText } from "./read";
import { GLOBAL_REGION, Price, PriceBook } from "./snapshot";
import { Purchase, ResourceCost } from "./types";

/** The region prices default to when the resource's region is not known. */
export const DEFAULT_REGION = "us-east-1";

/** Where a resource runs, and who said so. */
export interface RegionChoice {
    readonly region: string;
    readonly source: "provider" | "resource" | "default";
    /** Why the default was used, when it was. */
    readonly why?: string;
}

/** Picks the region: the resource's own `region` input, else its provider's, else the default. */
export function chooseRegion(r: ResourceFacts, defaultRegion: string): RegionChoice {
    const own = asText(field(r.props as Value, "region"));
    if (typeof own === "string" && AWS_REGION.test(own)) {
        return { region: own, source: "resource" };
    }
    const fromProvider = r.provider ? asText(field(r.provider.props as Value, "region")) : undefined;
    if (typeof fromProvider === "string" && AWS_REGION.test(fromProvider)) {
        return { region: fromProvider, source: "provider" };
    }
    let why: string;
    if (isUnknown(own) || isUnknown(fromProvider)) {
        why = "region unknown at preview";
    } else if (typeof fromProvider === "string" || typeof own === "string") {
        why = `region "${typeof own === "string" ? own : fromProvider}" not recognised`;
    } else {
        why = "no region set on the provider";
    }
    return { region: defaultRegion, source: "default", why };
}

/** What a rule gets. */
export interface Ctx {
    readonly r: ResourceFacts;
    readonly props: Props;
    readonly region: RegionChoice;
    readonly hours: number;
    /** The price book, loaded on first call. */
    book(): PriceBook;
}

/** A price found for a key, and whether it is a stand-in from us-east-1. */
export interface Found {
    readonly price: Price;
    /** True when the resource's region had no price and us-east-1's was used. */
    readonly standIn: boolean;
}

/** Looks `key` up in `table` for the resource's region, falling back to us-east-1. */
export function lookup(ctx: Ctx, table: string, key: string): Found | undefined {
    const book = ctx.book();
    const p = book.get(table, ctx.region.region, key);
    if (p) {
        return { price: p, standIn: false };
    }
    if (ctx.region.region !== DEFAULT_REGION) {
        const q = book.get(table, DEFAULT_REGION, key);
        if (q) {
            return { price: q, standIn: true };
        }
    }
    return undefined;
}

/** Collects the priced parts of an estimate. */
export class Calc {
    private readonly terms: string[] = [];
    private readonly notes: string[] = [];
    private readonly prices: Found[] = [];
    private readonly missing: string[] = [];
    private readonly unknown: string[] = [];
    total = 0;

    constructor(private readonly ctx: Ctx) {}

    /** Adds `quantity × unit price` (monthly), described by `term` (which should show the arithmetic). */
    add(found: Found, monthlyUsd: number, term: string): void {
        this.total += monthlyUsd;
        this.terms.push(term);
        this.prices.push(found);
    }

    /** Notes something that shapes the figure (an assumption, an upper bound). */
    note(text: string): void {
        if (!this.notes.includes(text)) {
            this.notes.push(text);
        }
    }

    /** Records a part that has no price in the snapshot. */
    unpriced(what: string): void {
        this.missing.push(what);
    }

    /** Records an input that decides the price and is unknown at preview. */
    unknownInput(name: string): void {
        if (!this.unknown.includes(name)) {
            this.unknown.push(name);
        }
    }

    get hasUnknown(): boolean {
        return this.unknown.length > 0;
    }

    get hasPrice(): boolean {
        return this.prices.length > 0;
    }

    /** Turns the parts into a result. */
    result(extra: { purchase?: Purchase; declaredBudgetUsd?: ResourceCost["declaredBudgetUsd"] } = {}): ResourceCost {
        const { r } = this.ctx;
        if (this.unknown.length > 0) {
            return unknownCost(this.ctx, this.unknown, extra.purchase);
        }
        if (this.prices.length === 0) {
            return unpricedCost(this.ctx, this.missing.length > 0 ? `no price in the snapshot for ${this.missing.join(", ")}` : "nothing priced", extra.purchase);
        }
        const monthlyUsd = Math.round(this.total * 1e6) / 1e6;
        const allStandIn = this.prices.every((p) => p.standIn);
        const anyStandIn = this.prices.some((p) => p.standIn);
        const allGlobal = this.prices.every((p) => p.price.region === GLOBAL_REGION);
        const region = allGlobal ? GLOBAL_REGION : allStandIn ? DEFAULT_REGION : this.ctx.region.region;
        const regionSource = allGlobal ? undefined : allStandIn ? ("default" as const) : this.ctx.region.source;
        const where: string[] = [];
        if (allGlobal) {
            where.push("global price");
        } else {
            where.push(regionText(this.ctx.region));
            if (anyStandIn) {
                where.push(`${allStandIn ? "" : "some parts: "}no ${this.ctx.region.region} price in the snapshot, us-east-1 price used`.trim());
            }
        }
        const srcs = new Map<string, string>();
        for (const p of this.prices) {
            srcs.set(p.price.sourceId, `${p.price.source.title} ${p.price.source.date}`);
        }
        where.push(`source: ${[...srcs.values()].join("; ")}`);
        const parts = [...this.notes];
        if (this.missing.length > 0) {
            parts.push(`not priced: ${this.missing.join(", ")}`);
        }
        const basis =
            `${this.terms.join(" + ")} = ${money(monthlyUsd)}/month ` +
            `(${where.join("; ")})${parts.length > 0 ? `; ${parts.join("; ")}` : ""}`;
        return {
            urn: r.urn,
            type: r.type,
            status: "priced",
            monthlyUsd,
            region,
            ...(regionSource ? { regionSource } : {}),
            basis,
            ...(extra.purchase ? { purchase: extra.purchase } : {}),
            ...(extra.declaredBudgetUsd !== undefined ? { declaredBudgetUsd: extra.declaredBudgetUsd } : {}),
        };
    }
}

/** `eu-west-1 from the provider`, `us-east-1 by default, no region set on the provider`. */
export function regionText(c: RegionChoice): string {
    return c.source === "default" ? `${c.region} by default, ${c.why ?? "no region known"}` : `${c.region} from the ${c.source}`;
}

/** A result with no price of its own. */
export function plainCost(ctx: Pick<Ctx, "r">, status: "free" | "usage", basis: string, extra: { purchase?: Purchase; declaredBudgetUsd?: ResourceCost["declaredBudgetUsd"] } = {}): ResourceCost {
    return {
        urn: ctx.r.urn,
        type: ctx.r.type,
        status,
        monthlyUsd: 0,
        basis,
        ...(extra.purchase ? { purchase: extra.purchase } : {}),
        ...(extra.declaredBudgetUsd !== undefined ? { declaredBudgetUsd: extra.declaredBudgetUsd } : {}),
    };
}

/** The region fields of a result, for AWS resources only (others have no region). */
function regionFields(ctx: Pick<Ctx, "r"> & Partial<Pick<Ctx, "region">>): Pick<ResourceCost, "region" | "regionSource"> {
    return ctx.region && /^aws(-native)?:/.test(ctx.r.type) ? { region: ctx.region.region, regionSource: ctx.region.source } : {};
}

/** A chargeable resource the snapshot has no price for. */
export function unpricedCost(ctx: Pick<Ctx, "r"> & Partial<Pick<Ctx, "region">>, why: string, purchase?: Purchase): ResourceCost {
    return {
        urn: ctx.r.urn,
        type: ctx.r.type,
        status: "unpriced",
        monthlyUsd: 0,
        ...regionFields(ctx),
        basis: why,
        ...(purchase ? { purchase } : {}),
    };
}

/** A resource whose price depends on inputs unknown at preview. */
export function unknownCost(ctx: Pick<Ctx, "r"> & Partial<Pick<Ctx, "region">>, inputs: readonly string[], purchase?: Purchase): ResourceCost {
    return {
        urn: ctx.r.urn,
        type: ctx.r.type,
        status: "unknown",
        monthlyUsd: 0,
        ...regionFields(ctx),
        basis: `price depends on ${inputs.map((i) => `"${i}"`).join(", ")}, unknown at preview`,
        unknownInputs: [...inputs],
        ...(purchase ? { purchase } : {}),
    };
}
