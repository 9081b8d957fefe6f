import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createEstimator } from "../../src/cost";
import { PriceBook, SnapshotData } from "../../src/cost/snapshot";
import shippedJson from "../../src/cost/snapshot.json";
import { H, aws } from "./helpers";
import * as script from "../../scripts/prices-update";

const ROOT = resolve(__dirname, "..", "..");
const SOURCE_DATA = resolve(ROOT, "src", "cost", "data");
const snapshot = shippedJson as unknown as SnapshotData;

describe("the shipped snapshot", () => {
    it("is compact: well under the raw data files it is built from", () => {
        const bytes = readFileSync(resolve(ROOT, "src/cost/snapshot.json")).length;
        expect(bytes).toBeLessThan(400_000);
    });

    it("every price has a source with origin, licence and date", () => {
        let prices = 0;
        for (const [id, table] of Object.entries(snapshot.tables)) {
            expect(table.unit, id).toBeTruthy();
            for (const [region, block] of Object.entries(table.regions)) {
                const sources = [block.source, ...Object.keys(block.extra ?? {})];
                for (const s of sources) {
                    const src = snapshot.sources[s];
                    expect(src, `${id} ${region} ${s}`).toBeDefined();
                    expect(src.origin).toBeTruthy();
                    expect(src.licence).toBeTruthy();
                    expect(src.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
                }
                expect(block.prices.length).toBeLessThanOrEqual(table.keys.length);
                for (const p of block.prices) {
                    expect(p === null || (typeof p === "number" && p > 0)).toBe(true);
                    prices += p === null ? 0 : 1;
                }
            }
        }
        expect(prices).toBeGreaterThan(20_000);
    });

    it("uses 730 hours a month and us-east-1 as the default region", () => {
        expect(snapshot.hoursPerMonth).toBe(H);
        expect(snapshot.defaultRegion).toBe("us-east-1");
    });

    it("has the coverage the estimator relies on", () => {
        const book = new PriceBook(snapshot);
        expect(book.get("ec2", "us-east-1", "m5.large")?.usd).toBe(0.096);
        expect(book.get("ec2", "us-east-1", "m5.large")?.sourceId).toBe("karpenter-ec2");
        expect(book.get("ec2", "us-east-1", "c6g.metal")?.sourceId).toBe("aws-price-ec2");
        expect(book.get("ec2", "eu-west-1", "m6i.large")?.usd).toBe(0.107);
        expect(book.get("ec2", "us-east-1-bos-1", "t3.micro")).toBeUndefined(); // Local Zones dropped
        expect(book.get("rds:postgres:single", "us-east-1", "db.t3.micro")?.usd).toBe(0.018);
        expect(book.get("elasticache", "us-east-1", "cache.r6g.large")?.usd).toBe(0.206);
        expect(book.get("network", "us-east-1", "nat_gateway")?.usd).toBe(0.045);
        expect(book.get("route53_domains", "anything", "io")?.usd).toBe(71);
        expect(book.get("shield", "us-east-1", "advanced")?.source.url).toContain("aws.amazon.com/shield/pricing");
        for (const t of ["ec2", "rds:mysql:single", "rds:mysql:multi", "rds:postgres:single", "rds:postgres:multi", "elasticache", "network", "ebs", "elb", "rds_storage", "shield", "route53_domains"]) {
            expect(snapshot.tables[t], t).toBeDefined();
        }
    });

    it("is loaded lazily: creating an estimator and pricing free resources does not need it", () => {
        const broken = { ...snapshot, tables: {} } as SnapshotData;
        const e = createEstimator({ snapshot: broken });
        expect(e.estimate(aws("aws:iam/role:Role", {})).status).toBe("free");
        expect(e.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m5.large" })).status).toBe("unpriced");
    });
});

// The source files live in the repository (src/cost/data, each with its .source.md note), so
// every clone can rebuild the snapshot and nothing reads outside the repository.
describe("rebuilding from src/cost/data", () => {
    it("gives exactly the committed snapshot", () => {
        const built = script.buildFromFiles(SOURCE_DATA);
        expect(script.serialize(built)).toBe(readFileSync(resolve(ROOT, "src/cost/snapshot.json"), "utf8"));
    });

    it("keeps every us-east-1 and regional EC2 price of the source files", () => {
        const us = JSON.parse(readFileSync(resolve(SOURCE_DATA, "ec2-us-east-1.json"), "utf8")) as Record<string, number>;
        const all = JSON.parse(readFileSync(resolve(SOURCE_DATA, "ec2-ondemand-linux-by-region.json"), "utf8")) as Record<string, Record<string, number>>;
        const book = new PriceBook(snapshot);
        for (const [type, usd] of Object.entries(us)) {
            const p = book.get("ec2", "us-east-1", type);
            expect(p, type).toBeDefined();
            // Karpenter's price, except the .metal types whose page price differs.
            expect(p!.usd === usd || (type.endsWith(".metal") && p!.usd === all["us-east-1"][type])).toBe(true);
        }
        for (const [type, usd] of Object.entries(all["eu-west-1"])) {
            expect(book.get("ec2", "eu-west-1", type)?.usd).toBe(usd);
        }
    });
});

describe("docs/cost.md", () => {
    it("has the coverage section generated from the shipped snapshot", () => {
        const doc = readFileSync(resolve(ROOT, "docs/cost.md"), "utf8");
        expect(script.replaceCoverage(doc, script.renderCoverage(snapshot))).toBe(doc);
    });
});

/** A Price List item as GetProducts returns it (one JSON string per product). */
function item(serviceCode: string, family: string, attributes: Record<string, string>, unit: string, usd: string): string {
    return JSON.stringify({
        product: { productFamily: family, attributes, sku: "SKU1" },
        serviceCode,
        terms: {
            OnDemand: {
                "SKU1.JRTCKXETXF": {
                    priceDimensions: { "SKU1.JRTCKXETXF.6YS6EN2CT7": { unit, beginRange: "0", endRange: "Inf", pricePerUnit: { USD: usd }, description: "" } },
                    sku: "SKU1",
                    effectiveDate: "2026-11-01T00:00:00Z",
                    offerTermCode: "JRTCKXETXF",
                    termAttributes: {},
                },
            },
        },
        version: "20261101000000",
        publicationDate: "2026-11-01T00:00:00Z",
    });
}

describe("prices:update from the AWS Price List API (fake client, no network)", () => {
    const ec2 = (type: string, region: string, usd: string) =>
        item("AmazonEC2", "Compute Instance", { instanceType: type, regionCode: region, operatingSystem: "Linux", tenancy: "Shared", locationType: "AWS Region" }, "Hrs", usd);

    function fakePricing(pages: Record<string, string[][]>) {
        const calls: object[] = [];
        return {
            calls,
            getProducts: async (input: { ServiceCode: string; Filters: { Field: string; Value: string }[]; NextToken?: string }) => {
                calls.push(input);
                const family = input.Filters.find((f) => f.Field === "productFamily")?.Value ?? "";
                const key = `${input.ServiceCode}/${family}`;
                const list = pages[key] ?? [];
                const page = input.NextToken ? Number(input.NextToken) : 0;
                return { PriceList: list[page] ?? [], NextToken: page + 1 < list.length ? String(page + 1) : undefined };
            },
        };
    }

    it("replaces fetched prices with the API's, under a dated source, and keeps the rest", async () => {
        const pricing = fakePricing({
            "AmazonEC2/Compute Instance": [[ec2("m5.large", "us-east-1", "0.0990000000"), ec2("m5.large", "eu-west-1", "0.1100000000")], [ec2("zz1.large", "eu-west-1", "1.5")]],
            "AmazonRDS/Database Instance": [],
            "AmazonEC2/NAT Gateway": [[item("AmazonEC2", "NAT Gateway", { usagetype: "EUW1-NatGateway-Hours", regionCode: "eu-west-1" }, "Hrs", "0.05")]],
            "AWSELB/": [[item("AWSELB", "Load Balancer-Application", { usagetype: "LoadBalancerUsage", regionCode: "eu-west-1" }, "Hrs", "0.0252")]],
            "AmazonEC2/Storage": [[item("AmazonEC2", "Storage", { volumeApiName: "gp3", regionCode: "eu-west-1" }, "GB-Mo", "0.088")]],
        });
        const domains = { listPrices: async () => ({ Prices: [{ Name: "io", RegistrationPrice: { Price: 79, Currency: "USD" } }] }) };
        const logs: string[] = [];
        const next = await script.buildFromAws(snapshot, { pricing, domains, today: "2026-12-01", log: (s: string) => logs.push(s) });
        const book = new PriceBook(next);
        expect(book.get("ec2", "us-east-1", "m5.large")).toMatchObject({ usd: 0.099, sourceId: "aws-price-list-api-2026-12-01" });
        expect(book.get("ec2", "eu-west-1", "zz1.large")?.usd).toBe(1.5);
        expect(book.get("ec2", "us-east-1", "m6i.large")).toMatchObject({ usd: 0.096, sourceId: "karpenter-ec2" });
        expect(book.get("network", "eu-west-1", "nat_gateway")?.usd).toBe(0.05);
        expect(book.get("network", "eu-west-1", "eks_cluster")?.sourceId).toBe("aws-price-network");
        expect(book.get("elb", "eu-west-1", "application")?.usd).toBe(0.0252);
        expect(book.get("ebs", "eu-west-1", "gp3:gb")?.usd).toBe(0.088);
        expect(book.get("ebs", "us-east-1", "gp3:gb")?.sourceId).toBe("aws-page-ebs");
        expect(book.get("route53_domains", "global", "io")).toMatchObject({ usd: 79, sourceId: "aws-price-list-api-2026-12-01" });
        expect(next.sources["aws-price-list-api-2026-12-01"]).toMatchObject({ date: "2026-12-01", licence: expect.any(String) });
        expect(next.generated.date).toBe("2026-12-01");
        // It paged through the results.
        expect(pricing.calls.some((c) => (c as { NextToken?: string }).NextToken === "1")).toBe(true);
        // The estimator reads the refreshed snapshot the same way.
        const c = createEstimator({ snapshot: next }).estimate(aws("aws:ec2/instance:Instance", { instanceType: "m5.large" }, { region: "eu-west-1" }));
        expect(c.monthlyUsd).toBeCloseTo(0.11 * H + 8 * 0.1, 2); // and the default 8 GiB gp2 root volume (us-east-1 price)
        expect(c.basis).toContain("AWS Price List API 2026-12-01");
    });

    it("refuses implausible jumps unless forced", async () => {
        const pages = { "AmazonEC2/Compute Instance": [[ec2("m5.large", "us-east-1", "9.6")]] };
        const kept = await script.buildFromAws(snapshot, { pricing: fakePricing(pages), today: "2026-12-01", log: () => undefined });
        expect(new PriceBook(kept).get("ec2", "us-east-1", "m5.large")?.usd).toBe(0.096);
        const forced = await script.buildFromAws(snapshot, { pricing: fakePricing(pages), today: "2026-12-01", force: true, log: () => undefined });
        expect(new PriceBook(forced).get("ec2", "us-east-1", "m5.large")?.usd).toBe(9.6);
    });

    it("ignores Local Zones, other operating systems' rows and zero prices", async () => {
        const pages = {
            "AmazonEC2/Compute Instance": [
                [ec2("m5.large", "us-east-1-bos-1", "0.2"), ec2("m5.large", "eu-west-1", "0"), item("AmazonEC2", "Compute Instance", { instanceType: "m5.large", regionCode: "eu-west-1" }, "Quantity", "1000")],
            ],
        };
        const next = await script.buildFromAws(snapshot, { pricing: fakePricing(pages), today: "2026-12-01", log: () => undefined });
        const book = new PriceBook(next);
        expect(book.get("ec2", "eu-west-1", "m5.large")?.usd).toBe(0.107);
        expect(Object.keys(next.tables.ec2.regions)).not.toContain("us-east-1-bos-1");
    });
});
