import { describe, expect, it } from "vitest";
import { createEstimator } from "../../src/cost";
import { TYPE_TABLE } from "../../src/cost/catalog";
import { RULE_FAMILIES } from "../../src/cost/rules/index";
import { ResourceFacts } from "../../src/facts/facts";
import { FIXTURE_FAMILIES, PricedFixture, missingFixtures } from "./fixtures";
import { aws, other } from "./helpers";

const est = createEstimator();
const PRICED = [...TYPE_TABLE].filter(([, r]) => r.cost === "priced").map(([t]) => t);

function build(type: string, f: PricedFixture): ResourceFacts {
    if (!type.startsWith("aws:")) {
        return other(type, f.props);
    }
    const deps = f.deps ? Object.fromEntries(Object.entries(f.deps).map(([k, d]) => [k, [aws(d.type, d.props, { name: `${k}-dep` })]])) : undefined;
    return aws(type, f.props, { ...(f.region ? { region: f.region } : {}), ...(deps ? { dependencies: deps } : {}) });
}

describe("one fixture per priced type (test/cost/fixtures/<family>.ts)", () => {
    it("has a fixture for every priced row of the type table", () => {
        expect(PRICED.length).toBeGreaterThan(40);
        expect(missingFixtures(PRICED, FIXTURE_FAMILIES)).toEqual([]);
    });

    it("fails, naming the type, when a fixture is missing", () => {
        const type = "aws:ecs/service:Service";
        const { [type]: removed, ...rest } = FIXTURE_FAMILIES["compute"]!;
        expect(removed).toBeDefined();
        expect(missingFixtures(PRICED, { ...FIXTURE_FAMILIES, compute: rest })).toEqual([type]);
        // and a newly priced type without a fixture is named the same way
        expect(missingFixtures([...PRICED, "aws:new/thing:Thing"], FIXTURE_FAMILIES)).toEqual(["aws:new/thing:Thing"]);
    });

    it("has no fixture for a type that is not priced, and keeps each fixture in its rule's family file", () => {
        for (const [family, fixtures] of Object.entries(FIXTURE_FAMILIES)) {
            for (const type of Object.keys(fixtures)) {
                expect(TYPE_TABLE.get(type)?.cost, type).toBe("priced");
                expect(Object.keys(RULE_FAMILIES[family] ?? {}), type).toContain(type);
            }
        }
    });

    const all = Object.entries(FIXTURE_FAMILIES).flatMap(([family, fixtures]) => Object.entries(fixtures).map(([type, f]) => [family, type, f] as const));
    it.each(all)("%s: %s prices as its fixture states", (_family, type, f) => {
        const c = est.estimate(build(type, f));
        if (f.monthlyUsd !== undefined) {
            expect(c.status).toBe("priced");
            expect(c.monthlyUsd).toBeCloseTo(f.monthlyUsd, 5);
        } else {
            expect(f.status).toBeDefined();
            expect(c.status).toBe(f.status);
            expect(c.monthlyUsd).toBe(0);
        }
        expect(c.basis).toBe(f.basis);
        expect(c.purchase !== undefined).toBe(f.purchase === true);
    });
});
