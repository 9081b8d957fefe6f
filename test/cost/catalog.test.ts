import { describe, expect, it } from "vitest";
import { createEstimator } from "../../src/cost";
import { FAMILIES, TYPE_TABLE, buildTable } from "../../src/cost/catalog";
import { RULES } from "../../src/cost/rules/index";
import { renderCoverage, replaceCoverage } from "../../src/cost/rules/coverage";
import { accessRuleFor } from "../../src/gate/access";
import { PINNED_PACKAGES, missingRows, sdkInputPaths, sdkTypes } from "./sdk-types";
import { aws, other } from "./helpers";

const SDK = Object.fromEntries(PINNED_PACKAGES.map((p) => [p, sdkTypes(p)]));

describe("the reviewed type table", () => {
    it.each(PINNED_PACKAGES)("has a row for every type token of the installed @pulumi/%s", (pkg) => {
        expect(SDK[pkg]!.length).toBeGreaterThan(pkg === "aws" ? 1500 : 250);
        expect(missingRows(SDK[pkg]!, TYPE_TABLE)).toEqual([]);
    });

    it("fails, naming the type, when a row is removed", () => {
        const type = "aws:cloudcontrol/resource:Resource";
        const { [type]: removed, ...rest } = FAMILIES["aws-compute"]!;
        expect(removed).toBeDefined();
        const without = buildTable({ ...FAMILIES, "aws-compute": rest });
        expect(missingRows(SDK["aws"]!, without)).toEqual([type]);
        // and an SDK type that no family lists (a newer SDK) is named the same way
        expect(missingRows([...SDK["cloudflare"]!, "cloudflare:index/newThing:NewThing"], TYPE_TABLE)).toEqual(["cloudflare:index/newThing:NewThing"]);
    });

    it("lists each type in one family only", () => {
        expect(() => buildTable({ a: { "x:y/z:Z": { cost: "free" } }, b: { "x:y/z:Z": { cost: "free" } } })).toThrow(/two families/);
        const total = Object.values(FAMILIES).reduce((n, rows) => n + Object.keys(rows).length, 0);
        expect(TYPE_TABLE.size).toBe(total);
    });

    it("lists no type the installed SDKs do not have (stale rows), besides random, dynamic providers and the engine's stack reference", () => {
        const known = new Set(Object.values(SDK).flat());
        const stale = [...TYPE_TABLE.keys()].filter((t) => !known.has(t) && !t.startsWith("random:") && !t.startsWith("pulumi-nodejs:") && t !== "pulumi:pulumi:StackReference");
        expect(stale).toEqual([]);
    });

    it("reads only inputs its type has: every path an access row names is an input of the pinned SDK (a misspelt one would never fire), and every ARN it compares is no choice of words", () => {
        const inputs = new Map(PINNED_PACKAGES.flatMap((pkg) => [...sdkInputPaths(pkg)]));
        const has = (type: string, p: string): boolean => {
            const paths = inputs.get(type) ?? new Map<string, string>();
            const parts = p.split(".");
            // A path into a free-form map (`logDestination.bucketName`) is read by key.
            return paths.has(p) || parts.some((_, i) => paths.has(`${parts.slice(0, i + 1).join(".")}.*`));
        };
        const wrong: string[] = [];
        let read = 0;
        for (const [type, row] of TYPE_TABLE) {
            const to = row.judge?.to;
            // A delivery's switch sits beside each bucket it turns off (`accessLogs.enabled` beside `accessLogs.bucket`).
            const beside = (key: string | undefined): string[] => (key === undefined ? [] : (to?.buckets ?? []).map((p) => [...p.split(".").slice(0, -1), key].join(".")));
            const arns = (to?.arns ?? []).map((p) => p.replace(/\?$/, ""));
            const named = [...(row.accessWhen?.inputs ?? []), ...arns, ...(to?.buckets ?? []), ...(to?.outside ?? []), ...(to?.owners ?? []), ...beside(to?.switch?.key)];
            for (const p of named) {
                read++;
                if (!has(type, p)) {
                    wrong.push(`${type}: ${p}`);
                }
            }
            // An input the SDK documents as a choice of words (Lex's `destination`: `CLOUDWATCH_LOGS` or `S3`) never holds the ARN.
            for (const p of arns) {
                if (/\b(Options are|Valid values|Possible values|One of)\b/i.test(inputs.get(type)?.get(p) ?? "")) {
                    wrong.push(`${type}: ${p} is a choice of words, not an ARN`);
                }
            }
        }
        expect(read).toBeGreaterThan(200);
        expect(wrong).toEqual([]);
    });

    it("has a cost rule for every priced row and a priced row for every cost rule", () => {
        const priced = [...TYPE_TABLE].filter(([, r]) => r.cost === "priced").map(([t]) => t).sort();
        const rules = Object.keys(RULES).filter((t) => TYPE_TABLE.has(t)).sort();
        expect(priced).toEqual(rules);
    });

    it("gives every access and meta-provisioner row its reason, and every usage or purchase row what it bills", () => {
        for (const [type, row] of TYPE_TABLE) {
            if (row.cost === "meta") {
                expect(row.access, type).toMatch(/arbitrary resources/);
            }
            for (const why of [row.access, row.judge?.why, row.accessWhen?.why]) {
                if (why !== undefined) {
                    expect(why.length, type).toBeGreaterThan(10);
                }
            }
            if (row.cost === "usage" || row.cost === "purchase") {
                expect(row.note?.length ?? 0, type).toBeGreaterThan(3);
            }
        }
    });

    it.each([
        "aws:cloudcontrol/resource:Resource",
        "aws:cloudformation/stack:Stack",
        "aws:cloudformation/stackSet:StackSet",
        "aws:cloudformation/stackSetInstance:StackSetInstance",
        "aws:servicecatalog/provisionedProduct:ProvisionedProduct",
        "aws:lambda/invocation:Invocation",
    ])("makes the meta-provisioner %s an access change and an unknown price", (type) => {
        expect(accessRuleFor({ type, props: {} })?.why).toMatch(/arbitrary resources/);
        const cost = createEstimator().estimate(aws(type, { desiredState: '{"InstanceType":"p4d.24xlarge"}' }));
        expect(cost.status).toBe("unpriced");
        expect(cost.monthlyUsd).toBe(0);
    });

    it.each([
        "aws:eks/accessEntry:AccessEntry",
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        "aws:elasticache/user:User",
        "aws:elasticache/userGroup:UserGroup",
        "aws:budgets/budgetAction:BudgetAction",
        "aws:grafana/roleAssociation:RoleAssociation",
        "aws:servicecatalog/principalPortfolioAssociation:PrincipalPortfolioAssociation",
        "aws:redshift/snapshotCopyGrant:SnapshotCopyGrant",
        "aws:iot/roleAlias:RoleAlias",
        "aws:ec2/keyPair:KeyPair",
    ])("makes %s an access change (the issue's list)", (type) => {
        expect(accessRuleFor({ type, props: {} })).toBeDefined();
    });

    it("prices a type with no row as unknown, never $0 free", () => {
        const cost = createEstimator().estimate(aws("aws:somenewservice/widget:Widget", {}));
        expect(cost.status).toBe("unpriced");
        expect(cost.basis).toMatch(/not in the reviewed type table/);
        expect(createEstimator().estimate(other("tls:index/privateKey:PrivateKey")).status).toBe("unpriced");
    });

    it("classifies the issue's free noise as free", () => {
        for (const type of ["aws:cloudwatch/logMetricFilter:LogMetricFilter", "aws:cloudfront/originAccessIdentity:OriginAccessIdentity"]) {
            expect(createEstimator().estimate(aws(type, {})).status).toBe("free");
            expect(accessRuleFor({ type, props: {} })).toBeUndefined();
        }
    });

    it("gives reviewed-free rows their reason, never on a type that changes access, and shows it in the basis", () => {
        const reviewed = [...TYPE_TABLE].filter(([, r]) => r.cost === "free" && r.note !== undefined);
        expect(reviewed.length).toBeGreaterThan(0);
        for (const [type, row] of reviewed) {
            expect(row.access ?? row.accessWhen ?? row.judge, type).toBeUndefined();
            expect(accessRuleFor({ type, props: {} }), type).toBeUndefined();
            const cost = createEstimator().estimate(aws(type, {}));
            expect(cost.status, type).toBe("free");
            expect(cost.basis, type).toBe(`no charge of its own: ${row.note}`);
        }
    });

    it("lists random's types as free", () => {
        for (const t of ["random:index/randomPassword:RandomPassword", "random:index/randomId:RandomId", "random:index/randomString:RandomString"]) {
            expect(createEstimator().estimate(other(t)).status).toBe("free");
        }
    });
});

describe("docs/cost.md", () => {
    it("names every priced type in its generated coverage table (rule file, tables, inputs that decide the price)", () => {
        const section = renderCoverage();
        const missing = [...TYPE_TABLE]
            .filter(([, r]) => r.cost === "priced")
            .map(([t]) => t)
            .filter((t) => !section.includes(`\`${t}\``));
        expect(missing).toEqual([]);
    });

    it("is stale, and the docs test fails, when the coverage section differs from the rules", async () => {
        const { readFileSync } = await import("node:fs");
        const doc = readFileSync(`${__dirname}/../../docs/cost.md`, "utf8");
        expect(replaceCoverage(doc, renderCoverage())).toBe(doc);
        const edited = doc.replace("| `aws:kinesis/stream:Stream` |", "| `aws:kinesis/stream:Stream` (edited by hand) |");
        expect(edited).not.toBe(doc);
        expect(replaceCoverage(edited, renderCoverage())).not.toBe(edited);
    });
});
