/**
 * The one pricer: evaluates a cost rule (data, src/cost/rules/*) for a resource. It reads the
 * inputs the rule names, ends early where a case says so, looks each component's price up in the
 * snapshot and adds `quantity × unit price` (per month) with its term, and returns the
 * {@link ResourceCost}. It never throws on odd inputs: a value it cannot use makes the resource
 * `unpriced`, a value unknown at preview makes it `unknown`.
 * @internal
 */
import { UNKNOWN, Value, isUnknown } from "../facts/facts";
import { asList, asNumber, asString, field, path } from "../facts/values";
import { Calc, Ctx, Found, lookup, plainCost, unknownCost, unpricedCost } from "./calc";
import { money, num, rate } from "../facts/format";
import { asBlock, asBlocks, asBool, asCount, asText } from "./read";
import { READERS, PROCEDURES } from "./rules/readers";
import { As, Component, Cond, Expr, Outcome, PurchaseSpec, Reader, Rule, Step } from "./rules/rule";
import { Purchase, ResourceCost } from "./types";

/** Values of one evaluation, by name. */
export type Vars = Map<string, unknown>;

/** What a named reader or procedure gets. */
export interface Scope {
    readonly ctx: Ctx;
    readonly calc: Calc;
    readonly vars: Vars;
    /** The value of `"$name"` (dotted paths allowed), or `a` itself when it is not a reference. */
    arg(a: unknown): unknown;
    /** Runs steps in this scope; returns an outcome when one ends the estimate, "abort" when a component said so. */
    run(steps: readonly Step[]): ResourceCost | "abort" | undefined;
    /** Fills a template with this scope's values. */
    fill(template: string): string;
}

/*
 * Rules are data; each piece is compiled once, on first use, into a closure (kept in a WeakMap
 * keyed by the piece), so evaluating a rule costs about what a hand-written function did.
 */

type Run = (s: Scope) => ResourceCost | "abort" | undefined;
type Get = (vars: Vars) => unknown;
type Test = (s: Scope) => boolean;

const STEPS = new WeakMap<readonly Step[], Run>();

class Evaluation implements Scope {
    readonly calc: Calc;
    readonly vars: Vars;

    constructor(readonly ctx: Ctx) {
        this.calc = new Calc(ctx);
        this.vars = new Map<string, unknown>();
        this.vars.set("hours", ctx.hours);
        this.vars.set("region", ctx.region.region);
    }

    arg(a: unknown): unknown {
        return typeof a === "string" && a.startsWith("$") ? getter(a.slice(1))(this.vars) : a;
    }

    run(steps: readonly Step[]): ResourceCost | "abort" | undefined {
        return compileSteps(steps)(this);
    }

    fill(t: string): string {
        return template(t)(this.vars);
    }
}

/** Prices `ctx`'s resource by `rule`. */
export function price(ctx: Ctx, rule: Rule): ResourceCost {
    const scope = new Evaluation(ctx);
    const out = scope.run(rule.steps);
    return out && out !== "abort" ? out : scope.calc.result();
}

function compileSteps(steps: readonly Step[]): Run {
    let run = STEPS.get(steps);
    if (!run) {
        const parts = steps.map(compileStep);
        run = (s) => {
            for (const p of parts) {
                const out = p(s);
                if (out) {
                    return out;
                }
            }
            return undefined;
        };
        STEPS.set(steps, run);
    }
    return run;
}

function compileStep(step: Step): Run {
    const body = compileBody(step);
    if (step.when === undefined) {
        return body;
    }
    const when = compileCond(step.when);
    return (s) => (when(s) ? body(s) : undefined);
}

function compileBody(step: Step): Run {
    if ("read" in step) {
        const name = step.read;
        const unknownName = step.unknown;
        const reader = compileReader(step.reader);
        return (s) => {
            const v = reader(s);
            s.vars.set(name, v);
            if (unknownName !== undefined && isUnknown(v)) {
                s.calc.unknownInput(unknownName);
            }
            return undefined;
        };
    }
    if ("set" in step) {
        const name = step.set;
        const to = compileExpr(step.to);
        return (s) => {
            s.vars.set(name, to(s.vars));
            return undefined;
        };
    }
    if ("stop" in step) {
        return compileOutcome(step.stop);
    }
    if ("component" in step) {
        return compileComponent(step.component);
    }
    if ("note" in step) {
        const t = template(step.note);
        return (s) => {
            s.calc.note(t(s.vars));
            return undefined;
        };
    }
    if ("unknownInput" in step) {
        const t = template(step.unknownInput);
        return (s) => {
            s.calc.unknownInput(t(s.vars));
            return undefined;
        };
    }
    if ("unpricedPart" in step) {
        const t = template(step.unpricedPart);
        return (s) => {
            s.calc.unpriced(t(s.vars));
            return undefined;
        };
    }
    if ("branch" in step) {
        const branches = step.branch.map(([c, steps]) => [compileCond(c), compileSteps(steps)] as const);
        return (s) => {
            for (const [c, run] of branches) {
                if (c(s)) {
                    return run(s);
                }
            }
            return undefined;
        };
    }
    const proc = PROCEDURES[step.use];
    if (!proc) {
        throw new Error(`cost rule: no procedure "${step.use}"`);
    }
    const args = step.args ?? {};
    return (s) => proc(s, args);
}

/* ------------------------------------------------------------------------------------------ */
/* Components                                                                                  */
/* ------------------------------------------------------------------------------------------ */

interface Choice {
    readonly found: Found;
    readonly factor: number;
    readonly term: (vars: Vars) => string;
}

function compileComponent(c: Component): Run {
    const table = template(c.table);
    const key = template(c.key);
    const term = template(c.term);
    const fallback = c.fallback
        ? { table: template(c.fallback.table), factor: c.fallback.factor, term: template(c.fallback.term), when: c.fallback.when === undefined ? () => true : compileCond(c.fallback.when) }
        : undefined;
    const quantity = compileExpr(c.quantity);
    const list = c.each ? compileExpr(c.each.list) : undefined;
    const each = c.each;
    const m = c.missing ?? { unpriced: `no price in the snapshot for ${c.label}` };
    const missing: Run =
        m === "abort"
            ? () => "abort"
            : m === "skip"
              ? () => undefined
              : "part" in m
                ? ((t) => (s: Scope) => {
                      s.calc.unpriced(t(s.vars));
                      return undefined;
                  })(template(m.part))
                : ((t, purchase) => (s: Scope) => unpricedCost(s.ctx, t(s.vars), purchase(s)))(template(m.unpriced), compilePurchase(m.purchase));
    const per = c.per;
    const id = c.id;
    const priceNote = c.priceNote === true;

    const find = (s: Scope): Choice | undefined => {
        const k = key(s.vars);
        const f = lookup(s.ctx, table(s.vars), k);
        if (f) {
            return { found: f, factor: 1, term };
        }
        if (fallback && fallback.when(s)) {
            const g = lookup(s.ctx, fallback.table(s.vars), k);
            if (g) {
                return { found: g, factor: fallback.factor, term: fallback.term };
            }
        }
        return undefined;
    };
    const choose = (s: Scope): Choice | undefined => {
        if (!each || !list) {
            return find(s);
        }
        const items = list(s.vars);
        let best: Choice | undefined;
        let bestItem: unknown = "(none)";
        for (const e of Array.isArray(items) ? items : []) {
            s.vars.set(each.as, e);
            const f = find(s);
            if (!f) {
                if (each.need === "all") {
                    return undefined;
                }
                continue;
            }
            if (each.need === "first") {
                return f;
            }
            if (!best || f.found.price.usd * f.factor > best.found.price.usd * best.factor) {
                best = f;
                bestItem = e;
            }
        }
        s.vars.set(each.as, bestItem);
        return best;
    };
    return (s) => {
        const choice = choose(s);
        if (!choice) {
            return missing(s);
        }
        const p = choice.found.price;
        const unit = p.usd * choice.factor;
        const q = Number(quantity(s.vars));
        const monthly = per === "hour" ? q * s.ctx.hours * unit : per === "year" ? (q * unit) / 12 : q * unit;
        if (id) {
            s.vars.set(id, { usd: p.usd, date: p.source.date, note: p.note });
        }
        s.vars.set("rate", rate(p.usd));
        s.calc.add(choice.found, monthly, choice.term(s.vars));
        if (priceNote && p.note) {
            s.calc.note(p.note);
        }
        return undefined;
    };
}

/* ------------------------------------------------------------------------------------------ */
/* Outcomes                                                                                    */
/* ------------------------------------------------------------------------------------------ */

function compilePurchase(spec: PurchaseSpec | undefined): (s: Scope) => Purchase | undefined {
    if (!spec) {
        return () => undefined;
    }
    const what = template(spec.what);
    const usd = spec.usd === undefined ? undefined : compileExpr(spec.usd);
    const basis = spec.basis === undefined ? undefined : template(spec.basis);
    return (s) => {
        const n = usd?.(s.vars);
        return {
            what: what(s.vars),
            ...(typeof n === "number" ? { usd: n } : {}),
            ...(basis ? { basis: basis(s.vars) } : {}),
        };
    };
}

function compileOutcome(o: Outcome): Run {
    const purchaseOf = compilePurchase(o.purchase);
    switch (o.status) {
        case "free":
        case "usage": {
            const status = o.status;
            const basis = template(o.basis);
            const declaredOf = o.declaredBudgetUsd === undefined ? undefined : compileExpr(o.declaredBudgetUsd);
            return (s) => {
                const purchase = purchaseOf(s);
                const declared = declaredOf?.(s.vars);
                return plainCost(s.ctx, status, basis(s.vars), {
                    ...(purchase ? { purchase } : {}),
                    ...(declared !== undefined ? { declaredBudgetUsd: declared as number } : {}),
                });
            };
        }
        case "unpriced": {
            const basis = template(o.basis);
            return (s) => unpricedCost(s.ctx, basis(s.vars), purchaseOf(s));
        }
        case "unknown": {
            const inputs = o.inputs.map(template);
            return (s) =>
                unknownCost(
                    s.ctx,
                    inputs.map((i) => i(s.vars)),
                    purchaseOf(s),
                );
        }
        case "result":
            return (s) => {
                const purchase = purchaseOf(s);
                return s.calc.result(purchase ? { purchase } : {});
            };
        case "declared": {
            const monthlyOf = compileExpr(o.monthlyUsd);
            const basis = template(o.basis);
            return (s) => {
                const purchase = purchaseOf(s);
                const monthlyUsd = Number(monthlyOf(s.vars));
                s.vars.set("monthlyUsd", monthlyUsd);
                return {
                    urn: s.ctx.r.urn,
                    type: s.ctx.r.type,
                    status: "priced",
                    monthlyUsd,
                    basis: basis(s.vars),
                    ...(purchase ? { purchase } : {}),
                };
            };
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Reading inputs                                                                              */
/* ------------------------------------------------------------------------------------------ */

function converter(as: As): (v: Value | undefined) => unknown {
    switch (as) {
        case "text":
            return asText;
        case "count":
            return asCount;
        case "bool":
            return asBool;
        case "number":
            return asNumber;
        case "list":
            return asList;
        case "block":
            return asBlock;
        case "blocks":
            return asBlocks;
        case "raw":
            return (v) => v;
        case "strings":
            // A list of strings: unknown when the list or an item is; absent when empty.
            return (v) => {
                const l = asList(v);
                if (isUnknown(l) || (l ?? []).some(isUnknown)) {
                    return UNKNOWN;
                }
                return l && l.length > 0 ? l.map((x) => asString(x)).filter((x): x is string => typeof x === "string") : undefined;
            };
    }
}

function compileReader(r: Reader): (s: Scope) => unknown {
    if ("named" in r) {
        const f = READERS[r.named];
        if (!f) {
            throw new Error(`cost rule: no reader "${r.named}"`);
        }
        const args = r.args ?? {};
        return (s) => f(s, args);
    }
    if ("anyOf" in r) {
        const names = r.anyOf;
        const conv = converter(r.as);
        return (s) => {
            let raw: Value | undefined;
            for (const name of names) {
                raw = field(s.ctx.props as Value, name);
                if (raw !== undefined && raw !== null) {
                    break;
                }
            }
            return conv(raw);
        };
    }
    const conv = converter(r.as);
    const at = r.input;
    const read = typeof at === "string" ? (base: Value | undefined) => field(base, at) : (base: Value | undefined) => path(base, ...at);
    if (r.from === undefined) {
        return (s) => conv(read(s.ctx.props as Value));
    }
    const from = getter(r.from);
    return (s) => {
        const v = from(s.vars);
        if (isUnknown(v)) {
            return v;
        }
        return conv(read(v === undefined || v === null || typeof v !== "object" ? undefined : (v as Value)));
    };
}

/* ------------------------------------------------------------------------------------------ */
/* Expressions, conditions, templates                                                          */
/* ------------------------------------------------------------------------------------------ */

const GETTERS = new Map<string, Get>();

/** Reads a value by name; dotted names walk into objects. */
function getter(name: string): Get {
    let g = GETTERS.get(name);
    if (!g) {
        if (!name.includes(".")) {
            g = (vars) => vars.get(name);
        } else {
            const [head, ...rest] = name.split(".") as [string, ...string[]];
            g = (vars) => {
                let v: unknown = vars.get(head);
                for (const part of rest) {
                    if (v === null || typeof v !== "object" || isUnknown(v)) {
                        return undefined;
                    }
                    v = (v as { [k: string]: unknown })[part];
                }
                return v;
            };
        }
        GETTERS.set(name, g);
    }
    return g;
}

const EXPRS = new WeakMap<object, Get>();
const STRING_EXPRS = new Map<string, Get>();

/** Compiles an expression. @internal */
export function compileExpr(e: Expr): Get {
    if (typeof e === "string") {
        let g = STRING_EXPRS.get(e);
        if (!g) {
            g = e.startsWith("$") ? getter(e.slice(1)) : () => e;
            STRING_EXPRS.set(e, g);
        }
        return g;
    }
    if (e === null || typeof e !== "object") {
        return () => e;
    }
    let g = EXPRS.get(e);
    if (!g) {
        g = compileObject(e);
        EXPRS.set(e, g);
    }
    return g;
}

/** Evaluates an expression. @internal */
export function evaluate(vars: Vars, e: Expr): unknown {
    return compileExpr(e)(vars);
}

function numbers(xs: readonly Expr[]): ((vars: Vars) => number)[] {
    return xs.map((x) => {
        const g = compileExpr(x);
        return (vars: Vars) => Number(g(vars));
    });
}

function compileObject(e: Exclude<Expr, string | number | boolean | null>): Get {
    if ("if" in e) {
        const c = compileCondVars(e.if[0]);
        const a = compileExpr(e.if[1]);
        const b = compileExpr(e.if[2]);
        return (vars) => (c(vars) ? a(vars) : b(vars));
    }
    if ("first" in e) {
        const gs = e.first.map(compileExpr);
        return (vars) => {
            for (const g of gs) {
                const v = g(vars);
                if (v !== undefined && v !== null) {
                    return v;
                }
            }
            return undefined;
        };
    }
    if ("mul" in e) {
        const ns = numbers(e.mul);
        return (vars) => {
            let r = 1;
            for (const n of ns) {
                r *= n(vars);
            }
            return r;
        };
    }
    if ("add" in e) {
        const ns = numbers(e.add);
        return (vars) => {
            let r = 0;
            for (const n of ns) {
                r += n(vars);
            }
            return r;
        };
    }
    if ("sub" in e) {
        const [a, b] = numbers(e.sub) as [(v: Vars) => number, (v: Vars) => number];
        return (vars) => a(vars) - b(vars);
    }
    if ("div" in e) {
        const [a, b] = numbers(e.div) as [(v: Vars) => number, (v: Vars) => number];
        return (vars) => a(vars) / b(vars);
    }
    if ("max" in e) {
        const ns = numbers(e.max);
        return (vars) => {
            let r = -Infinity;
            for (const n of ns) {
                r = Math.max(r, n(vars));
            }
            return r;
        };
    }
    if ("min" in e) {
        const ns = numbers(e.min);
        return (vars) => {
            let r = Infinity;
            for (const n of ns) {
                r = Math.min(r, n(vars));
            }
            return r;
        };
    }
    if ("len" in e) {
        const g = compileExpr(e.len);
        return (vars) => {
            const v = g(vars);
            return Array.isArray(v) ? v.length : 0;
        };
    }
    if ("lower" in e) {
        const g = compileExpr(e.lower);
        return (vars) => {
            const v = g(vars);
            return typeof v === "string" ? v.toLowerCase() : undefined;
        };
    }
    if ("str" in e) {
        const g = compileExpr(e.str);
        return (vars) => String(g(vars));
    }
    if ("number" in e) {
        const g = compileExpr(e.number);
        return (vars) => Number(g(vars));
    }
    if ("round2" in e) {
        const g = compileExpr(e.round2);
        return (vars) => Math.round(Number(g(vars)) * 100) / 100;
    }
    if ("fmt" in e) {
        return template(e.fmt);
    }
    if ("map" in e) {
        const k = compileExpr(e.map[0]);
        const table = new Map(Object.entries(e.map[1]).map(([key, x]) => [key, compileExpr(x)] as const));
        return (vars) => {
            const key = k(vars);
            const g = typeof key === "string" ? table.get(key) : undefined;
            return g ? g(vars) : undefined;
        };
    }
    if ("obj" in e) {
        const fields = Object.entries(e.obj).map(([key, x]) => [key, compileExpr(x)] as const);
        return (vars) => {
            const o: { [k: string]: unknown } = {};
            for (const [key, g] of fields) {
                o[key] = g(vars);
            }
            return o;
        };
    }
    const gs = e.list.map(compileExpr);
    return (vars) => gs.map((g) => g(vars));
}

const CONDS = new WeakMap<object, Test>();

function compileCond(c: Cond): Test {
    if (c === true) {
        return () => true;
    }
    let t = CONDS.get(c);
    if (!t) {
        t = compileCondScope(c);
        CONDS.set(c, t);
    }
    return t;
}

/** A condition over values and the estimate so far (`anyUnknown`). */
function compileCondScope(c: Exclude<Cond, true>): Test {
    if ("anyUnknown" in c) {
        return (s) => s.calc.hasUnknown;
    }
    if ("not" in c) {
        const a = compileCond(c.not);
        return (s) => !a(s);
    }
    if ("all" in c) {
        const as = c.all.map(compileCond);
        return (s) => {
            for (const a of as) {
                if (!a(s)) {
                    return false;
                }
            }
            return true;
        };
    }
    if ("any" in c) {
        const as = c.any.map(compileCond);
        return (s) => {
            for (const a of as) {
                if (a(s)) {
                    return true;
                }
            }
            return false;
        };
    }
    const v = compileCondVars(c);
    return (s) => v(s.vars);
}

/** A condition over values only. */
function compileCondVars(c: Cond): (vars: Vars) => boolean {
    if (c === true) {
        return () => true;
    }
    if ("unknown" in c) {
        const g = compileExpr(c.unknown);
        return (vars) => isUnknown(g(vars));
    }
    if ("absent" in c) {
        const g = compileExpr(c.absent);
        return (vars) => g(vars) === undefined;
    }
    if ("nullish" in c) {
        const g = compileExpr(c.nullish);
        return (vars) => {
            const x = g(vars);
            return x === undefined || x === null;
        };
    }
    if ("present" in c) {
        const g = compileExpr(c.present);
        return (vars) => {
            const x = g(vars);
            return x !== undefined && !isUnknown(x);
        };
    }
    if ("string" in c) {
        const g = compileExpr(c.string);
        return (vars) => typeof g(vars) === "string";
    }
    if ("number" in c) {
        const g = compileExpr(c.number);
        return (vars) => typeof g(vars) === "number";
    }
    if ("eq" in c) {
        const a = compileExpr(c.eq[0]);
        const b = compileExpr(c.eq[1]);
        return (vars) => a(vars) === b(vars);
    }
    if ("in" in c) {
        const a = compileExpr(c.in[0]);
        const bs = c.in[1].map(compileExpr);
        return (vars) => {
            const x = a(vars);
            return bs.some((b) => b(vars) === x);
        };
    }
    if ("gt" in c) {
        const a = compileExpr(c.gt[0]);
        const b = compileExpr(c.gt[1]);
        return (vars) => Number(a(vars)) > Number(b(vars));
    }
    if ("contains" in c) {
        const a = compileExpr(c.contains[0]);
        const needle = c.contains[1];
        return (vars) => {
            const x = a(vars);
            return typeof x === "string" && x.includes(needle);
        };
    }
    if ("not" in c) {
        const a = compileCondVars(c.not);
        return (vars) => !a(vars);
    }
    if ("all" in c) {
        const as = c.all.map(compileCondVars);
        return (vars) => as.every((a) => a(vars));
    }
    if ("any" in c) {
        const as = c.any.map(compileCondVars);
        return (vars) => as.some((a) => a(vars));
    }
    if ("anyUnknown" in c) {
        throw new Error("cost rule: anyUnknown cannot be tested inside an expression");
    }
    const g = getter(c.priced);
    return (vars) => g(vars) !== undefined;
}

const TEMPLATES = new Map<string, Get>();

function formatter(format: string): (v: unknown) => string {
    switch (format) {
        case "num":
            return (v) => num(Number(v));
        case "q":
            return (v) => JSON.stringify(String(v));
        case "x":
            return (v) => (v === 1 ? "" : `${num(Number(v))} × `);
        case "rate":
            return (v) => rate(Number(v));
        case "money":
            return (v) => money(Number(v));
        case "join/":
            return (v) => (Array.isArray(v) ? v.join("/") : String(v));
        case "join,":
            return (v) => (Array.isArray(v) ? v.join(", ") : String(v));
        default:
            return (v) => String(v);
    }
}

/**
 * Compiles a template: `{name}` is the value as text, `{name:num}` a number (`1,234.5`),
 * `{name:q}` quoted, `{name:x}` a count prefix (`""` for 1, else `"3 × "`), `{name:rate}` a unit
 * price, `{name:money}` dollars and cents, `{name:join/}` a list joined by "/". @internal
 */
export function template(t: string): (vars: Vars) => string {
    let f = TEMPLATES.get(t) as ((vars: Vars) => string) | undefined;
    if (!f) {
        const parts: ((vars: Vars) => string)[] = [];
        const re = /\{([A-Za-z0-9_.@]+)(?::([a-z/,]+))?\}/g;
        let last = 0;
        for (let m = re.exec(t); m; m = re.exec(t)) {
            if (m.index > last) {
                const lit = t.slice(last, m.index);
                parts.push(() => lit);
            }
            const g = getter(m[1]!);
            const fmt = formatter(m[2] ?? "");
            parts.push((vars) => fmt(g(vars)));
            last = m.index + m[0].length;
        }
        if (last < t.length) {
            const lit = t.slice(last);
            parts.push(() => lit);
        }
        f = parts.length === 1 && last === 0 ? () => t : (vars) => {
            let s = "";
            for (const p of parts) {
                s += p(vars);
            }
            return s;
        };
        TEMPLATES.set(t, f);
    }
    return f;
}

/** Fills a template with values. @internal */
export function fill(vars: Vars, t: string): string {
    return template(t)(vars);
}
