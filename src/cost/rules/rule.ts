/**
 * What a cost rule is: data, evaluated by the one pricer in src/cost/pricer.ts.
 *
 * A rule is a list of steps, in order: reads of the inputs that decide the price, the cases that
 * end the estimate early (free, usage, unpriced, unknown), and priced components. A component is
 * infracost's `CostComponent` in small: `{label, table, key, quantity, per}` — look `key` up in
 * the snapshot `table`, multiply the unit price by `quantity` and by the hours of a month (`per:
 * "hour"`), once (`"month"`) or by 1/12 (`"year"`), and show the arithmetic as `term`.
 *
 * Values are referred to as `"$name"` in expressions and `{name}` or `{name:format}` in
 * templates; other strings are literals. Inputs that data cannot read on its own (the launch
 * template a group uses, volume blocks, the capacity a group can grow to) have named readers in
 * ./readers.ts, each tested.
 * @internal
 */

/** A value: a literal, `"$var"` (dotted paths allowed), or a small computation. */
export type Expr =
    | number
    | boolean
    | null
    | string
    | { readonly if: readonly [Cond, Expr, Expr] }
    /** The first value that is neither undefined nor null (an unknown value counts). */
    | { readonly first: readonly Expr[] }
    | { readonly mul: readonly Expr[] }
    | { readonly add: readonly Expr[] }
    | { readonly sub: readonly [Expr, Expr] }
    | { readonly div: readonly [Expr, Expr] }
    | { readonly max: readonly Expr[] }
    | { readonly min: readonly Expr[] }
    | { readonly len: Expr }
    | { readonly lower: Expr }
    | { readonly str: Expr }
    | { readonly number: Expr }
    | { readonly round2: Expr }
    | { readonly fmt: string }
    | { readonly map: readonly [Expr, { readonly [key: string]: Expr }] }
    | { readonly list: readonly Expr[] }
    | { readonly obj: { readonly [key: string]: Expr } };

/** A condition over values. */
export type Cond =
    | true
    | { readonly unknown: Expr }
    /** `=== undefined`. */
    | { readonly absent: Expr }
    /** undefined or null. */
    | { readonly nullish: Expr }
    /** Neither undefined nor unknown. */
    | { readonly present: Expr }
    | { readonly string: Expr }
    | { readonly number: Expr }
    | { readonly eq: readonly [Expr, Expr] }
    | { readonly in: readonly [Expr, readonly Expr[]] }
    | { readonly gt: readonly [Expr, Expr] }
    | { readonly contains: readonly [Expr, string] }
    | { readonly not: Cond }
    | { readonly all: readonly Cond[] }
    | { readonly any: readonly Cond[] }
    /** An input decisive for the price has been found unknown so far. */
    | { readonly anyUnknown: true }
    /** The component with this id was priced. */
    | { readonly priced: string };

/** How an input is read (src/cost/read.ts, src/facts/values.ts). */
export type As = "text" | "count" | "bool" | "number" | "list" | "block" | "blocks" | "raw" | "strings";

/** A reader: an input (or a field of a value read before), or a named reader of ./readers.ts. */
export type Reader =
    | {
          /** Input name, or a path into nested inputs. */
          readonly input: string | readonly string[];
          readonly as: As;
          /** Read from this value (a block, a linked resource's inputs) instead of the resource's inputs. */
          readonly from?: string;
      }
    /** The first of these inputs that is set (not undefined or null), read `as`. */
    | { readonly anyOf: readonly string[]; readonly as: As }
    | { readonly named: string; readonly args?: { readonly [key: string]: unknown } };

/** What a purchase is (templates), and its price when known. */
export interface PurchaseSpec {
    readonly what: string;
    readonly usd?: Expr;
    readonly basis?: string;
}

/** How an estimate ends. */
export type Outcome =
    | { readonly status: "free" | "usage" | "unpriced"; readonly basis: string; readonly purchase?: PurchaseSpec; readonly declaredBudgetUsd?: Expr }
    | { readonly status: "unknown"; readonly inputs: readonly string[]; readonly purchase?: PurchaseSpec }
    /** The sum of the priced components (unknown when an input was, unpriced when nothing was priced). */
    | { readonly status: "result"; readonly purchase?: PurchaseSpec }
    /** A monthly figure the resource declares itself (a savings plan's commitment). */
    | { readonly status: "declared"; readonly monthlyUsd: Expr; readonly basis: string; readonly purchase?: PurchaseSpec };

/** A priced part of a resource: infracost's `CostComponent`. */
export interface Component {
    /** What is priced (docs). */
    readonly label: string;
    /** Snapshot table (template). */
    readonly table: string;
    /** Key in the table (template). */
    readonly key: string;
    /** Units bought at the unit price. */
    readonly quantity: Expr;
    /** The unit price's period: × hours of a month, × 1, or ÷ 12. */
    readonly per: "hour" | "month" | "year";
    /** How the basis shows it (template; `{rate}` is the unit price, `{hours}` the month's hours). */
    readonly term: string;
    /** Stores the price found as `$id.usd`, `$id.date`, `$id.note` and lets `{priced: id}` test it. */
    readonly id?: string;
    /** Price one of a list: each element as `$as`; `all` must have prices and the dearest is used, `any` the dearest found, `first` the first found. */
    readonly each?: { readonly list: Expr; readonly as: string; readonly need: "all" | "any" | "first" };
    /** A second price used × `factor` when the first has none (a Multi-AZ price from the Single-AZ one). */
    readonly fallback?: { readonly table: string; readonly factor: number; readonly term: string; readonly when?: Cond };
    /** Adds the price's own remark (a TLD's) as a note. */
    readonly priceNote?: true;
    /**
     * No price: the whole resource is unpriced with this text (default `no price in the snapshot
     * for {label}`), or only this part is (`part`), or the surrounding procedure gives up (`abort`),
     * or the part is left out (`skip`).
     */
    readonly missing?: { readonly unpriced: string; readonly purchase?: PurchaseSpec } | { readonly part: string } | "abort" | "skip";
}

/** One step of a rule. Every step may carry `when`: it runs only when the condition holds. */
export type Step = (
    | { readonly read: string; readonly reader: Reader; /** Records this name as an unknown input when the value is unknown. */ readonly unknown?: string }
    | { readonly set: string; readonly to: Expr }
    | { readonly stop: Outcome }
    | { readonly component: Component }
    | { readonly note: string }
    | { readonly unknownInput: string }
    | { readonly unpricedPart: string }
    /** Runs the steps of the first branch whose condition holds. */
    | { readonly branch: readonly (readonly [Cond, readonly Step[]])[] }
    /** A named procedure of ./readers.ts (volume blocks). */
    | { readonly use: string; readonly args?: { readonly [key: string]: unknown } }
) & { readonly when?: Cond };

/** A rule: its steps, and what docs/cost.md says of it. */
export interface Rule {
    readonly doc: {
        /** Tables the price comes from, or how the type is classed. */
        readonly from: string;
        /** Inputs that decide the price (empty: none). */
        readonly inputs: string;
    };
    readonly steps: readonly Step[];
}

/** Rules by exact type token. */
export type Rules = { readonly [type: string]: Rule };

/* Constructors that keep the family files short. */

export const read = (name: string, reader: Reader, unknown?: string, when?: Cond): Step => ({ read: name, reader, ...(unknown ? { unknown } : {}), ...(when ? { when } : {}) });
export const input = (name: string | readonly string[], as: As, from?: string): Reader => ({ input: name, as, ...(from ? { from } : {}) });
export const named = (name: string, args?: { readonly [key: string]: unknown }): Reader => ({ named: name, ...(args ? { args } : {}) });
export const set = (name: string, to: Expr, when?: Cond): Step => ({ set: name, to, ...(when ? { when } : {}) });
export const stop = (when: Cond, outcome: Outcome): Step => ({ stop: outcome, when });
export const note = (text: string, when?: Cond): Step => ({ note: text, ...(when ? { when } : {}) });
export const component = (c: Component, when?: Cond): Step => ({ component: c, ...(when ? { when } : {}) });
export const free = (basis: string, extra: { readonly purchase?: PurchaseSpec; readonly declaredBudgetUsd?: Expr } = {}): Outcome => ({ status: "free", basis, ...extra });
export const usage = (basis: string, purchase?: PurchaseSpec): Outcome => ({ status: "usage", basis, ...(purchase ? { purchase } : {}) });
export const unpriced = (basis: string, purchase?: PurchaseSpec): Outcome => ({ status: "unpriced", basis, ...(purchase ? { purchase } : {}) });
export const unknown = (inputs: readonly string[], purchase?: PurchaseSpec): Outcome => ({ status: "unknown", inputs, ...(purchase ? { purchase } : {}) });
export const result = (purchase?: PurchaseSpec): Outcome => ({ status: "result", ...(purchase ? { purchase } : {}) });

/** A rule whose outcome does not depend on its inputs. */
export function always(doc: Rule["doc"], outcome: Outcome): Rule {
    return { doc, steps: [stop(true, outcome)] };
}

/** One flat charge per hour from `table`. */
export function hourly(doc: Rule["doc"], table: string, key: string, label: string, ...notes: string[]): Rule {
    return {
        doc,
        steps: [
            component({ label, table, key, quantity: 1, per: "hour", term: `${label} × {hours} h × {rate}/h`, missing: { unpriced: `no price in the snapshot for ${label} in {region}` } }),
            ...notes.map((n) => note(n)),
        ],
    };
}

/** One flat charge per month from `table`. */
export function monthly(doc: Rule["doc"], table: string, key: string, label: string, ...notes: string[]): Rule {
    return {
        doc,
        steps: [component({ label, table, key, quantity: 1, per: "month", term: `${label} {rate}/month`, missing: { unpriced: `no price in the snapshot for ${label}` } }), ...notes.map((n) => note(n))],
    };
}
