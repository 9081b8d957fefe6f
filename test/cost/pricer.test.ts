import { describe, expect, it } from "vitest";
import { Ctx, chooseRegion } from "../../src/cost/calc";
import { price } from "../../src/cost/pricer";
import { Rule, component, note, read, stop, unknown, unpriced } from "../../src/cost/rules/rule";
import { PriceBook, SnapshotData } from "../../src/cost/snapshot";
import { Props, UNKNOWN } from "../../src/facts/facts";
import { aws } from "./helpers";

/** A two-region snapshot small enough to check arithmetic by eye. */
const SNAPSHOT: SnapshotData = {
    schema: 1,
    generated: { by: "test", date: "2026-01-01" },
    hoursPerMonth: 730,
    defaultRegion: "us-east-1",
    sources: { s: { title: "Test prices", origin: "test", licence: "none", date: "2026-01-01" } },
    tables: {
        t: { title: "t", unit: "USD/h", keys: ["a", "b", "c", "single:x"], regions: { "us-east-1": { source: "s", prices: [1, 3, 2, 5] }, "eu-west-1": { source: "s", prices: [1.5, null, null, null] } } },
        m: { title: "m", unit: "USD/month", keys: ["k"], regions: { "us-east-1": { source: "s", prices: [4] } } },
    },
};

function ctx(props: Props, region?: string): Ctx {
    const r = aws("aws:test/thing:Thing", props, region ? { region } : {});
    const book = new PriceBook(SNAPSHOT);
    return { r, props, region: chooseRegion(r, "us-east-1"), hours: 730, book: () => book };
}

const rule = (...steps: Rule["steps"]): Rule => ({ doc: { from: "", inputs: "" }, steps });

describe("the pricer", () => {
    it("adds quantity × unit price × hours, and shows the term", () => {
        const r = rule(
            read("n", { input: "n", as: "count" }),
            component({ label: "thing", table: "t", key: "{k}", quantity: "$n", per: "hour", term: "{n:x}{k} × {hours} h × {rate}/h" }),
        );
        const c = price(ctx({ n: 2, k: "a" }), { ...r, steps: [read("k", { input: "k", as: "text" }), ...r.steps] });
        expect(c.status).toBe("priced");
        expect(c.monthlyUsd).toBe(1460);
        expect(c.basis).toBe("2 × a × 730 h × $1/h = $1,460.00/month (us-east-1 by default, no region set on the provider; source: Test prices 2026-01-01)");
    });

    it("prices per month once and per year ÷ 12", () => {
        const m = price(ctx({}), rule(component({ label: "m", table: "m", key: "k", quantity: 3, per: "month", term: "3 × {rate}/month" })));
        expect(m.monthlyUsd).toBe(12);
        const y = price(ctx({}), rule(component({ label: "y", table: "m", key: "k", quantity: 3, per: "year", term: "{rate}/year" })));
        expect(y.monthlyUsd).toBe(1);
    });

    it("uses the us-east-1 price when the region has none, and says so", () => {
        const c = price(ctx({}, "eu-west-1"), rule(component({ label: "b", table: "t", key: "b", quantity: 1, per: "hour", term: "b" })));
        expect(c.monthlyUsd).toBe(3 * 730);
        expect(c.basis).toContain("no eu-west-1 price in the snapshot, us-east-1 price used");
    });

    it("each: all must have prices (dearest wins), any takes the dearest found, first the first found", () => {
        const each = (need: "all" | "any" | "first", list: string[]) =>
            price(ctx({ l: list }), rule(read("l", { input: "l", as: "list" }), component({ label: "x", table: "t", key: "{e}", each: { list: "$l", as: "e", need }, quantity: 1, per: "month", term: "{e}", missing: { unpriced: "none for {e:q}" } })));
        expect(each("all", ["a", "b", "c"]).basis).toMatch(/^b = \$3\.00/);
        expect(each("all", ["a", "zz", "b"])).toMatchObject({ status: "unpriced", basis: 'none for "zz"' });
        expect(each("all", [])).toMatchObject({ status: "unpriced", basis: 'none for "(none)"' });
        expect(each("any", ["zz", "c", "a"]).basis).toMatch(/^c = \$2\.00/);
        expect(each("first", ["zz", "a", "b"]).basis).toMatch(/^a = \$1\.00/);
    });

    it("falls back to a second price × factor", () => {
        const c = price(ctx({}), rule(component({ label: "x", table: "t", key: "x", quantity: 1, per: "month", term: "no", fallback: { table: "t", factor: 2, term: "x × 2 × {rate}" } })));
        expect(c.status).toBe("unpriced");
        const d = price(ctx({}), rule(component({ label: "x", table: "nope", key: "single:x", quantity: 1, per: "month", term: "no", fallback: { table: "t", factor: 2, term: "x × 2 × {rate}" } })));
        expect(d.monthlyUsd).toBe(10);
        expect(d.basis).toMatch(/^x × 2 × \$5 = \$10\.00/);
    });

    it("a missing price makes the resource unpriced, or only the part (noted), or is skipped", () => {
        const missing = (m: "skip" | { part: string } | { unpriced: string }) =>
            price(ctx({}), rule(component({ label: "a", table: "t", key: "a", quantity: 1, per: "month", term: "a" }), component({ label: "zz", table: "t", key: "zz", quantity: 1, per: "month", term: "zz", missing: m })));
        expect(missing({ unpriced: "no zz" })).toMatchObject({ status: "unpriced", basis: "no zz", monthlyUsd: 0 });
        expect(missing({ part: "zz" }).basis).toContain("not priced: zz");
        expect(missing("skip").basis).not.toContain("zz");
        // with no label-specific text, the label is named
        expect(price(ctx({}), rule(component({ label: "gizmo", table: "t", key: "zz", quantity: 1, per: "month", term: "" }))).basis).toBe("no price in the snapshot for gizmo");
    });

    it("an input recorded as unknown makes the result unknown, never $0 priced", () => {
        const r = rule(read("n", { input: "n", as: "count" }, "n"), component({ label: "a", table: "t", key: "a", quantity: 1, per: "hour", term: "a" }));
        const c = price(ctx({ n: UNKNOWN }), r);
        expect(c).toMatchObject({ status: "unknown", monthlyUsd: 0, unknownInputs: ["n"] });
        expect(price(ctx({ n: 1 }), r).status).toBe("priced");
    });

    it("stops at the first case that holds, and notes only when their condition holds", () => {
        const r = rule(
            read("mode", { input: "mode", as: "text" }),
            stop({ unknown: "$mode" }, unknown(["mode"])),
            stop({ eq: ["$mode", "off"] }, unpriced("off")),
            note("on: {mode:q}", { eq: ["$mode", "on"] }),
            component({ label: "a", table: "t", key: "a", quantity: 1, per: "month", term: "a" }),
        );
        expect(price(ctx({ mode: UNKNOWN }), r)).toMatchObject({ status: "unknown", unknownInputs: ["mode"] });
        expect(price(ctx({ mode: "off" }), r)).toMatchObject({ status: "unpriced", basis: "off" });
        expect(price(ctx({ mode: "on" }), r).basis).toContain('; on: "on"');
        expect(price(ctx({}), r).basis).not.toContain("on:");
    });

    it("with nothing priced and nothing unknown, the resource is unpriced", () => {
        expect(price(ctx({}), rule(note("hello")))).toMatchObject({ status: "unpriced", basis: "nothing priced" });
    });
});
