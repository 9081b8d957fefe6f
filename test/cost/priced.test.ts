import { describe, expect, it } from "vitest";
import { createEstimator } from "../../src/cost";
import { TYPE_TABLE } from "../../src/cost/catalog";
import { ResourceFacts } from "../../src/facts/facts";
import { aws, other } from "./helpers";
import { PRICED_FIXTURES } from "./priced-fixtures";

const est = createEstimator();

function build(type: string, f: (typeof PRICED_FIXTURES)[string]): ResourceFacts {
    if (!type.startsWith("aws:")) {
        return other(type, f.props);
    }
    const deps = f.deps ? Object.fromEntries(Object.entries(f.deps).map(([k, d]) => [k, [aws(d.type, d.props, { name: `${k}-dep` })]])) : undefined;
    return aws(type, f.props, { ...(f.region ? { region: f.region } : {}), ...(deps ? { dependencies: deps } : {}) });
}

describe("one fixture per priced type", () => {
    it("has a fixture for every priced row of the type table, and none for other rows", () => {
        const priced = [...TYPE_TABLE].filter(([, r]) => r.cost === "priced").map(([t]) => t).sort();
        expect(Object.keys(PRICED_FIXTURES).sort()).toEqual(priced);
    });

    it.each(Object.entries(PRICED_FIXTURES))("%s", (type, f) => {
        const c = est.estimate(build(type, f));
        if (f.monthlyUsd !== undefined) {
            expect(c.status).toBe("priced");
            expect(c.monthlyUsd).toBeCloseTo(f.monthlyUsd, 2);
        } else {
            expect(f.status).toBeDefined();
            expect(c.status).toBe(f.status);
        }
        expect(f.basis.length).toBeGreaterThan(3);
        expect(c.basis).toContain(f.basis);
        expect(c.purchase !== undefined).toBe(f.purchase === true);
    });
});
