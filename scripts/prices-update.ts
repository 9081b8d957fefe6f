/**
 * Builds the price snapshot that ships with agentguard (`src/cost/snapshot.json`) and the
 * generated coverage section of `docs/cost.md`.
 *
 *   npm run prices:update                      refresh from the AWS Price List API
 *                                                      (needs network, credentials and the dev
 *                                                      dependency @aws-sdk/client-pricing;
 *                                                      @aws-sdk/client-route-53-domains adds domains)
 *   npm run prices:update -- --from-files DIR    rebuild from the curated public data files
 *                                                      in DIR (default src/cost/data), offline
 *   npm run prices:update -- --docs             only regenerate the coverage section of docs/cost.md
 *   options: --out FILE (snapshot path), --regions a,b (API mode: limit regions), --dry-run,
 *            --force (API mode: accept changes that fail the sanity check)
 *
 * The snapshot is compact: per table, a sorted key list and per region one price array aligned
 * with it, naming the source of those prices; a few prices from another source sit in `extra`.
 * Every source has an origin, a licence and a date, so every price keeps its provenance.
 *
 * Nothing here is loaded by the policy pack; the pack and the tests read the committed snapshot.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SnapshotData, SnapshotRegion, SnapshotSource, SnapshotTable } from "../src/cost/snapshot";

const ROOT = path.resolve(__dirname, "..");
const SNAPSHOT_PATH = path.join(ROOT, "src", "cost", "snapshot.json");
const DOCS_PATH = path.join(ROOT, "docs", "cost.md");
const HOURS_PER_MONTH = 730;
const DEFAULT_REGION = "us-east-1";
const GLOBAL = "global";
/** AWS Region codes (not Local Zones or Wavelength Zones, which a provider region never is). */
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

const DOCS_BEGIN = "<!-- BEGIN GENERATED COVERAGE (scripts/prices-update.ts --docs) -->";
const DOCS_END = "<!-- END GENERATED COVERAGE -->";

/* ------------------------------------------------------------------------------------------ */
/* Sources                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/** The snapshot's shapes come from the estimator that reads them (src/cost/snapshot.ts). */
type Source = SnapshotSource;
type Prices = Record<string, number>;
type ByRegion = Record<string, { source: string; prices: Prices }[]>;
type RegionBlock = { source: string; prices: (number | null)[]; extra?: Record<string, Record<string, number>> } & SnapshotRegion;
type Table = { title: string; unit: string; keys: string[]; regions: Record<string, RegionBlock>; notes?: Record<string, string> } & SnapshotTable;
type Snapshot = { schema: 1; generated: { by: string; date: string }; hoursPerMonth: number; defaultRegion: string; sources: Record<string, Source>; tables: Record<string, Table> } & SnapshotData;

/** Sources of the curated data files in src/cost/data (see each file's .source.md). */
const FILE_SOURCES = {
    "karpenter-ec2": {
        title: "AWS Price List API via Karpenter",
        origin:
            "aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (commit 6fc13b5236fd04fd16ff3f9dc7490d0813994099), generated from the AWS Price List API; file ec2-us-east-1.json",
        licence: "Apache-2.0",
        date: "2026-07-20",
        url: "https://github.com/aws/karpenter-provider-aws",
        note: "EC2 on-demand, Linux, shared tenancy, us-east-1",
    },
    "aws-price-ec2": {
        title: "AWS EC2 pricing page feed via aws-price",
        origin:
            "lamngockhuong/aws-price lib/data/pricing/ec2-transformed.json (commit ce57d15e54b2958ec3deae2248d47ed931143b58), from AWS's public EC2 on-demand pricing page feed; file ec2-ondemand-linux-by-region.json",
        licence: "MIT",
        date: "2025-11-04",
        url: "https://github.com/lamngockhuong/aws-price",
        note: "EC2 on-demand, Linux; AWS Regions only (Local and Wavelength Zones dropped)",
    },
    "coroot-rds": {
        title: "Infracost AWS price data via coroot/cloud-pricing",
        origin:
            "coroot/cloud-pricing gh-pages data/cloud-pricing.json.gz (commit af03eada15b25d80863f2547ba281e71af9d5c91), aws.managed_db, from the Infracost Cloud Pricing API dump of the AWS Price List; file rds-ondemand-by-region.json",
        licence: "Apache-2.0",
        date: "2024-08-09",
        url: "https://github.com/coroot/cloud-pricing",
        note: "RDS for MySQL and PostgreSQL on-demand instance-hours, Single-AZ and Multi-AZ",
    },
    "coroot-elasticache": {
        title: "Infracost AWS price data via coroot/cloud-pricing",
        origin:
            "coroot/cloud-pricing gh-pages data/cloud-pricing.json.gz (commit af03eada15b25d80863f2547ba281e71af9d5c91), aws.managed_cache; file elasticache-ondemand-by-region.json",
        licence: "Apache-2.0",
        date: "2024-08-09",
        url: "https://github.com/coroot/cloud-pricing",
        note: "ElastiCache on-demand node-hours (Redis OSS and Memcached priced alike)",
    },
    "aws-price-network": {
        title: "AWS pricing page feeds via aws-price",
        origin:
            "lamngockhuong/aws-price lib/data/pricing/natgateway.json, eks.json, vpc.json (2025-10-28 to 2025-11-04), from AWS's public pricing page feeds; file network-eks-fixed-prices-by-region.json",
        licence: "MIT",
        date: "2025-11-04",
        url: "https://github.com/lamngockhuong/aws-price",
        note: "NAT gateway, EKS cluster, public IPv4, VPC interface endpoint, Transit Gateway attachment, VPN hourly prices",
    },
    "gridaco-route53-domains": {
        title: "Route 53 domain price list via gridaco/dns",
        origin:
            "gridaco/dns docs/tlds-aws.md (commit f021a977fe7c26115cb0204f9a237d73d0a75023), transcribed from AWS's Amazon Route 53 Domain Registration Pricing PDF; file route53-domain-prices-2022.json",
        licence: "Apache-2.0",
        date: "2022-09-28",
        url: "https://github.com/gridaco/dns",
        note: "Stale: several TLD prices have risen since 2022; whole dollars",
    },
};

/**
 * Figures that no data file had, written down from AWS's published pricing pages (US East (N.
 * Virginia) list prices). They were transcribed, not fetched by a program: `npm run prices:update`
 * replaces those it can read from the Price List API.
 */
const WRITTEN_SOURCES = {
    "aws-page-ebs": {
        title: "AWS Amazon EBS pricing page (written down)",
        origin: "Amazon EBS pricing page, US East (N. Virginia) list prices, transcribed by hand",
        licence: "AWS published list prices (facts, cited)",
        date: "2026-11-26",
        url: "https://aws.amazon.com/ebs/pricing/",
    },
    "aws-page-elb": {
        title: "AWS Elastic Load Balancing pricing page (written down)",
        origin: "Elastic Load Balancing pricing page, US East (N. Virginia) hourly charges, transcribed by hand",
        licence: "AWS published list prices (facts, cited)",
        date: "2026-11-26",
        url: "https://aws.amazon.com/elasticloadbalancing/pricing/",
        note: "Hourly charge only; LCU/NLCU/GLCU charges are usage",
    },
    "aws-page-rds-storage": {
        title: "AWS Amazon RDS pricing page, storage (written down)",
        origin: "Amazon RDS for MySQL/PostgreSQL pricing pages, storage, US East (N. Virginia), transcribed by hand",
        licence: "AWS published list prices (facts, cited)",
        date: "2026-11-26",
        url: "https://aws.amazon.com/rds/pricing/",
    },
    "aws-page-shield": {
        title: "AWS Shield pricing page (written down)",
        origin: "AWS Shield pricing page: Shield Advanced $3,000 per month per organization, 1-year subscription commitment",
        licence: "AWS published list prices (facts, cited)",
        date: "2026-11-26",
        url: "https://aws.amazon.com/shield/pricing/",
    },
    "aws-page-fixed-monthly": {
        title: "AWS pricing pages for Route 53, KMS, Secrets Manager (written down)",
        origin:
            "Route 53 pricing ($0.50 per hosted zone-month, first 25 zones), AWS KMS pricing ($1 per customer managed key-month), AWS Secrets Manager pricing ($0.40 per secret-month), transcribed by hand",
        licence: "AWS published list prices (facts, cited)",
        date: "2026-11-26",
        url: "https://aws.amazon.com/route53/pricing/ https://aws.amazon.com/kms/pricing/ https://aws.amazon.com/secrets-manager/pricing/",
    },
    "aws-page-hourly-fixed": {
        title: "AWS pricing pages for API Gateway caching, Fargate, Kinesis Data Streams and Lambda provisioned concurrency (written down)",
        origin:
            "API Gateway pricing (REST API caching, per cache size-hour), AWS Fargate pricing (Linux/x86 and Linux/ARM per vCPU-hour and per GB-hour), Kinesis Data Streams pricing (provisioned mode, per shard-hour), AWS Lambda pricing (provisioned concurrency, x86, $0.0000041667 per GB-second = $0.015 per GB-hour), US East (N. Virginia), transcribed by hand",
        licence: "AWS published list prices (facts, cited)",
        date: "2026-12-01",
        url: "https://aws.amazon.com/api-gateway/pricing/ https://aws.amazon.com/fargate/pricing/ https://aws.amazon.com/kinesis/data-streams/pricing/ https://aws.amazon.com/lambda/pricing/",
    },
    "aws-page-dynamodb": {
        title: "AWS DynamoDB provisioned capacity pricing page (written down)",
        origin: "Amazon DynamoDB pricing for provisioned capacity, US East (N. Virginia), Standard table class, transcribed by hand",
        licence: "AWS published list prices (facts, cited)",
        date: "2026-11-26",
        url: "https://aws.amazon.com/dynamodb/pricing/provisioned/",
    },
};

/**
 * Written-down tables: `{table: {source, region, prices}}`. Units are in the table definitions.
 */
const WRITTEN_DOWN: Record<string, { source: string; region: string; prices: Record<string, number> }> = {
    ebs: {
        source: "aws-page-ebs",
        region: DEFAULT_REGION,
        prices: {
            "gp3:gb": 0.08,
            "gp3:iops": 0.005, // per provisioned IOPS-month above 3,000
            "gp3:throughput": 0.04, // per provisioned MiB/s-month above 125
            "gp2:gb": 0.1,
            "io1:gb": 0.125,
            "io1:iops": 0.065,
            "io2:gb": 0.125,
            "io2:iops": 0.065, // up to 32,000 IOPS
            "io2:iops-tier2": 0.0455, // 32,001–64,000
            "io2:iops-tier3": 0.032, // above 64,000
            "st1:gb": 0.045,
            "sc1:gb": 0.015,
            "standard:gb": 0.05,
        },
    },
    elb: {
        source: "aws-page-elb",
        region: DEFAULT_REGION,
        prices: { application: 0.0225, network: 0.0225, gateway: 0.0125, classic: 0.025 },
    },
    rds_storage: {
        source: "aws-page-rds-storage",
        region: DEFAULT_REGION,
        prices: {
            "gp2:gb:single": 0.115,
            "gp2:gb:multi": 0.23,
            "gp3:gb:single": 0.115,
            "gp3:gb:multi": 0.23,
            "io1:gb:single": 0.125,
            "io1:gb:multi": 0.25,
            "io1:iops:single": 0.1,
            "io1:iops:multi": 0.2,
            "standard:gb:single": 0.1,
            "standard:gb:multi": 0.2,
        },
    },
    shield: { source: "aws-page-shield", region: GLOBAL, prices: { advanced: 3000 } },
    fixed_monthly: {
        source: "aws-page-fixed-monthly",
        region: GLOBAL,
        prices: { route53_hosted_zone: 0.5, kms_key: 1, secretsmanager_secret: 0.4 },
    },
    dynamodb: { source: "aws-page-dynamodb", region: DEFAULT_REGION, prices: { wcu: 0.00065, rcu: 0.00013 } },
    hourly_fixed: {
        source: "aws-page-hourly-fixed",
        region: DEFAULT_REGION,
        prices: {
            "apigateway_cache:0.5": 0.02,
            "apigateway_cache:1.6": 0.038,
            "apigateway_cache:6.1": 0.2,
            "apigateway_cache:13.5": 0.25,
            "apigateway_cache:28.4": 0.5,
            "apigateway_cache:58.2": 1.0,
            "apigateway_cache:118": 1.9,
            "apigateway_cache:237": 3.8,
            "fargate:vcpu:x86": 0.04048,
            "fargate:gb:x86": 0.004445,
            "fargate:vcpu:arm": 0.03238,
            "fargate:gb:arm": 0.00356,
            kinesis_shard: 0.015,
            lambda_provisioned_gb: 0.015,
        },
    },
};

/** Table titles and units (the unit the estimator multiplies by). */
const TABLES: Record<string, { title: string; unit: string }> = {
    ec2: { title: "EC2 instances (on-demand, Linux, shared tenancy)", unit: "USD per instance-hour" },
    "rds:mysql:single": { title: "RDS for MySQL, Single-AZ", unit: "USD per instance-hour" },
    "rds:mysql:multi": { title: "RDS for MySQL, Multi-AZ", unit: "USD per instance-hour" },
    "rds:postgres:single": { title: "RDS for PostgreSQL, Single-AZ", unit: "USD per instance-hour" },
    "rds:postgres:multi": { title: "RDS for PostgreSQL, Multi-AZ", unit: "USD per instance-hour" },
    elasticache: { title: "ElastiCache nodes (Redis OSS / Memcached)", unit: "USD per node-hour" },
    network: { title: "NAT gateway, EKS, public IPv4, VPC endpoints, Transit Gateway, VPN", unit: "USD per hour" },
    ebs: { title: "EBS volumes", unit: "USD per GB-month, per IOPS-month or per MiB/s-month" },
    elb: { title: "Load balancers (hourly charge)", unit: "USD per load balancer-hour" },
    rds_storage: { title: "RDS storage (MySQL/PostgreSQL)", unit: "USD per GB-month or per IOPS-month" },
    dynamodb: { title: "DynamoDB provisioned capacity", unit: "USD per capacity unit-hour" },
    shield: { title: "Shield Advanced subscription", unit: "USD per month (1-year commitment)" },
    fixed_monthly: { title: "Fixed monthly charges (hosted zone, KMS key, secret)", unit: "USD per month" },
    hourly_fixed: { title: "Fixed hourly charges (API Gateway cache, Fargate vCPU/GB, Kinesis shard, Lambda provisioned concurrency GB)", unit: "USD per hour (per cache, vCPU, GB or shard)" },
    route53_domains: { title: "Route 53 domain registration and renewal", unit: "USD per year" },
};

/** Field renames for network-eks-fixed-prices-by-region.json. */
const NETWORK_FIELDS = {
    nat_gateway_usd_per_hour: "nat_gateway",
    eks_cluster_usd_per_hour: "eks_cluster",
    public_ipv4_in_use_usd_per_hour: "public_ipv4_in_use",
    public_ipv4_idle_usd_per_hour: "public_ipv4_idle",
    vpc_interface_endpoint_usd_per_hour_per_az: "vpc_interface_endpoint_az",
    transit_gateway_vpc_attachment_usd_per_hour: "transit_gateway_attachment",
    site_to_site_vpn_connection_usd_per_hour: "vpn_connection",
    client_vpn_endpoint_association_usd_per_hour: "client_vpn_association",
};

/* ------------------------------------------------------------------------------------------ */
/* Encoding                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** Rounds away float noise (prices carry at most 8 significant decimals). */
function clean(n: number): number {
    return Number(Number(n).toPrecision(10));
}

/** True for a usable price. */
function isPrice(v: unknown): v is number {
    return typeof v === "number" && Number.isFinite(v) && v > 0;
}

/**
 * Builds a table from `{region: [{source, prices: {key: usd}}]}` (first source per region is the
 * primary; later ones only fill or override the keys they name).
 */
function encodeTable(id: string, byRegion: Record<string, {source: string, prices: Record<string, number>}[]>, notes?: Record<string, string>): Table {
    const meta = TABLES[id];
    if (!meta) {
        throw new Error(`unknown table ${id}`);
    }
    const count = new Map();
    for (const blocks of Object.values(byRegion)) {
        const seen = new Set();
        for (const b of blocks) {
            for (const [k, v] of Object.entries(b.prices)) {
                if (isPrice(v) && !seen.has(k)) {
                    seen.add(k);
                    count.set(k, (count.get(k) ?? 0) + 1);
                }
            }
        }
    }
    // Keys present in most regions first, so arrays end early where a region lacks the rare ones.
    const keys = [...count.keys()].sort((a, b) => count.get(b) - count.get(a) || (a < b ? -1 : a > b ? 1 : 0));
    const index = new Map(keys.map((k, i) => [k, i]));
        const regions: Record<string, RegionBlock> = {};
    for (const region of Object.keys(byRegion).sort()) {
        const [primary, ...others] = byRegion[region];
        const prices = new Array(keys.length).fill(null);
        let last = -1;
        for (const [k, v] of Object.entries(primary.prices)) {
            if (isPrice(v)) {
                const i = index.get(k) as number;
                prices[i] = clean(v);
                last = Math.max(last, i);
            }
        }
                const block: RegionBlock = { source: primary.source, prices: prices.slice(0, last + 1) };
        for (const o of others) {
            const entries = Object.entries(o.prices)
                .filter(([, v]) => isPrice(v))
                .sort(([a], [b]) => (a < b ? -1 : 1));
            if (entries.length > 0) {
                block.extra = block.extra ?? {};
                block.extra[o.source] = Object.fromEntries(entries.map(([k, v]) => [k, clean(v)]));
            }
        }
        if (block.prices.length > 0 || block.extra) {
            regions[region] = block;
        }
    }
        const table: Table = { title: meta.title, unit: meta.unit, keys, regions };
    if (notes && Object.keys(notes).length > 0) {
        table.notes = Object.fromEntries(Object.entries(notes).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return table;
}

/**
 * Reads a table back into `{region: {key: {usd, source}}}` (the same resolution the estimator uses).
 */
function decodeTable(table: SnapshotTable) {
        const out: Record<string, Record<string, {usd: number, source: string}>> = {};
    for (const [region, block] of Object.entries(table.regions)) {
        const m: Record<string, { usd: number; source: string }> = {};
        block.prices.forEach((p, i) => {
            if (p !== null) {
                m[table.keys[i] as string] = { usd: p, source: block.source };
            }
        });
        for (const [source, prices] of Object.entries(block.extra ?? {})) {
            for (const [k, usd] of Object.entries(prices)) {
                m[k] = { usd, source };
            }
        }
        out[region] = m;
    }
    return out;
}

/** Written-down tables as encoded tables. */
function writtenTables() {
        const out: Record<string, Table> = {};
    for (const [id, w] of Object.entries(WRITTEN_DOWN)) {
        out[id] = encodeTable(id, { [w.region]: [{ source: w.source, prices: w.prices }] });
    }
    return out;
}

/** Orders a snapshot's tables and sources deterministically. */
function assemble(tables: Record<string, Table>, sources: Record<string, Source>, by: string, date: string): Snapshot {
    const order = Object.keys(TABLES).filter((k) => tables[k]);
    const used = new Set<string>();
    for (const id of order) {
        for (const block of Object.values(tables[id].regions)) {
            used.add(block.source);
            for (const s of Object.keys(block.extra ?? {})) {
                used.add(s);
            }
        }
    }
    const missing = [...used].filter((s) => !sources[s]);
    if (missing.length > 0) {
        throw new Error(`prices without a source: ${missing.join(", ")}`);
    }
        const snap: Snapshot = {
        schema: 1,
        generated: { by, date },
        hoursPerMonth: HOURS_PER_MONTH,
        defaultRegion: DEFAULT_REGION,
        sources: Object.fromEntries([...used].sort().map((s) => [s, sources[s]])),
        tables: Object.fromEntries(order.map((k) => [k, tables[k]])),
    };
    return snap;
}

/** Serializes a snapshot compactly: one line per table region, so diffs stay readable. */
function serialize(snap: SnapshotData): string {
    const lines = ["{"];
    const top = [
        `"schema": ${JSON.stringify(snap.schema)}`,
        `"generated": ${JSON.stringify(snap.generated)}`,
        `"hoursPerMonth": ${snap.hoursPerMonth}`,
        `"defaultRegion": ${JSON.stringify(snap.defaultRegion)}`,
    ];
    const sources = Object.entries(snap.sources).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    top.push(`"sources": {\n${sources.join(",\n")}\n  }`);
    const tables = Object.entries(snap.tables).map(([id, t]) => {
        const parts = [
            `      "title": ${JSON.stringify(t.title)}`,
            `      "unit": ${JSON.stringify(t.unit)}`,
            `      "keys": ${JSON.stringify(t.keys)}`,
        ];
        if (t.notes) {
            parts.push(`      "notes": ${JSON.stringify(t.notes)}`);
        }
        const regions = Object.entries(t.regions).map(([r, b]) => `        ${JSON.stringify(r)}: ${JSON.stringify(b)}`);
        parts.push(`      "regions": {\n${regions.join(",\n")}\n      }`);
        return `    ${JSON.stringify(id)}: {\n${parts.join(",\n")}\n    }`;
    });
    top.push(`"tables": {\n${tables.join(",\n")}\n  }`);
    lines.push(top.map((l) => `  ${l}`).join(",\n"));
    lines.push("}");
    return lines.join("\n") + "\n";
}

/* ------------------------------------------------------------------------------------------ */
/* From the curated files                                                                      */
/* ------------------------------------------------------------------------------------------ */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the curated files are checked by the code that reads them
function readJson(dir: string, name: string): Record<string, any> {
    return JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
}

/**
 * Builds the snapshot from the curated data files (see their .source.md) plus the written-down
 * figures. Deterministic: the same files give the same snapshot.
 */
function buildFromFiles(dir: string): Snapshot {
    const ec2Us = readJson(dir, "ec2-us-east-1.json");
    const ec2All = readJson(dir, "ec2-ondemand-linux-by-region.json");
    const rds = readJson(dir, "rds-ondemand-by-region.json");
    const cache = readJson(dir, "elasticache-ondemand-by-region.json");
    const net = readJson(dir, "network-eks-fixed-prices-by-region.json");
    const domains = readJson(dir, "route53-domain-prices-2022.json");

        const tables: Record<string, Table> = {};

    // EC2: Karpenter's us-east-1 table is newer and more complete; the pricing-page feed covers
    // the other regions. Karpenter's `.metal` prices come from Dedicated-tenancy rows, so where the
    // page feed has a different `.metal` price for us-east-1 the page (shared tenancy) wins.
    const ec2: ByRegion = {};
    for (const [region, prices] of Object.entries(ec2All)) {
        if (REGION_RE.test(region) && region !== DEFAULT_REGION) {
            ec2[region] = [{ source: "aws-price-ec2", prices }];
        }
    }
    const pageUs = ec2All[DEFAULT_REGION] ?? {};
    const fromPage: Prices = {};
    for (const [type, usd] of Object.entries(pageUs as Prices)) {
        if (!(type in ec2Us) || (type.endsWith(".metal") && ec2Us[type] !== usd)) {
            fromPage[type] = usd;
        }
    }
    const karpenter = Object.fromEntries(Object.entries(ec2Us).filter(([t]) => !(t in fromPage)));
    ec2[DEFAULT_REGION] = [
        { source: "karpenter-ec2", prices: karpenter },
        { source: "aws-price-ec2", prices: fromPage },
    ];
    tables.ec2 = encodeTable("ec2", ec2);

    for (const engine of ["mysql", "postgres"]) {
        for (const az of ["single", "multi"]) {
            const byRegion: ByRegion = {};
            for (const [region, engines] of Object.entries(rds)) {
                if (!REGION_RE.test(region) || !engines[engine]) {
                    continue;
                }
                const prices: Prices = {};
                for (const [cls, p] of Object.entries(engines[engine] as Record<string, Record<string, unknown>>)) {
                    const v = p[`${az}_az`];
                    if (isPrice(v)) {
                        prices[cls] = v;
                    }
                }
                byRegion[region] = [{ source: "coroot-rds", prices }];
            }
            const id = `rds:${engine}:${az}`;
            tables[id] = encodeTable(id, byRegion);
        }
    }

    const cacheByRegion: ByRegion = {};
    for (const [region, prices] of Object.entries(cache)) {
        if (REGION_RE.test(region)) {
            cacheByRegion[region] = [{ source: "coroot-elasticache", prices }];
        }
    }
    tables.elasticache = encodeTable("elasticache", cacheByRegion);

    const netByRegion: ByRegion = {};
    for (const [region, fields] of Object.entries(net)) {
        if (!REGION_RE.test(region)) {
            continue;
        }
        const prices: Prices = {};
        for (const [from, to] of Object.entries(NETWORK_FIELDS)) {
            if (isPrice(fields[from])) {
                prices[to] = fields[from];
            }
        }
        netByRegion[region] = [{ source: "aws-price-network", prices }];
    }
    tables.network = encodeTable("network", netByRegion);

    const tld: Prices = {};
    const notes: Record<string, string> = {};
    for (const [name, d] of Object.entries(domains)) {
        if (isPrice(d.registration_and_renewal_usd_per_year)) {
            tld[name] = d.registration_and_renewal_usd_per_year;
            if (d.renewal_only_no_new_registrations) {
                notes[name] = "renewal only: Route 53 took no new registrations for this TLD (2022)";
            }
        }
    }
    tables.route53_domains = encodeTable(
        "route53_domains",
        { [GLOBAL]: [{ source: "gridaco-route53-domains", prices: tld }] },
        notes,
    );

    Object.assign(tables, writtenTables());
    const sources = { ...FILE_SOURCES, ...WRITTEN_SOURCES };
    const date = Object.values(sources)
        .map((s) => s.date)
        .sort()
        .at(-1);
    return assemble(tables, sources, "scripts/prices-update.ts --from-files", date ?? "");
}

/* ------------------------------------------------------------------------------------------ */
/* From the AWS Price List API                                                                 */
/* ------------------------------------------------------------------------------------------ */

/**
 * What is read from the Price List API. Each fetcher lists TERM_MATCH filters, then picks rows
 * client-side and names the table key a row prices. All are on-demand hourly or monthly rates.
 */
interface PriceItem {
    product: { productFamily?: string; attributes: Record<string, string> };
    terms?: { OnDemand?: Record<string, { priceDimensions: Record<string, { unit: string; beginRange?: string; pricePerUnit: { USD?: string } }> }> };
}
interface Fetcher {
    table: string;
    service: string;
    filters: Record<string, string>;
    unit: RegExp;
    key: (a: Record<string, string>, item: PriceItem) => string | undefined;
}

const FETCHERS: Fetcher[] = [
    ...["Compute Instance", "Compute Instance (bare metal)"].map(
        (productFamily): Fetcher => ({
            table: "ec2",
            service: "AmazonEC2",
            filters: { productFamily, operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used" },
            unit: /^Hrs$/,
            key: (a) => a.instanceType,
        }),
    ),
    ...["MySQL", "PostgreSQL"].flatMap((engine) =>
        ["Single-AZ", "Multi-AZ"].map(
            (deployment) =>
                ({
                    table: `rds:${engine === "MySQL" ? "mysql" : "postgres"}:${deployment === "Single-AZ" ? "single" : "multi"}`,
                    service: "AmazonRDS",
                    filters: { productFamily: "Database Instance", databaseEngine: engine, deploymentOption: deployment },
                    unit: /^Hrs$/,
                    key: (a: Record<string, string>) => a.instanceType,
                }) as Fetcher,
        ),
    ),
    {
        table: "elasticache",
        service: "AmazonElastiCache",
        filters: { productFamily: "Cache Instance", cacheEngine: "Redis" },
        unit: /^Hrs$/,
        key: (a) => a.instanceType,
    },
    {
        table: "network",
        service: "AmazonEC2",
        filters: { productFamily: "NAT Gateway" },
        unit: /^Hrs$/,
        key: (a) => (/(^|-)NatGateway-Hours$/.test(a.usagetype ?? "") ? "nat_gateway" : undefined),
    },
    {
        table: "network",
        service: "AmazonEKS",
        filters: {},
        unit: /^(Hrs|hours)$/i,
        key: (a) => (/AmazonEKS-Hours:perCluster$/.test(a.usagetype ?? "") ? "eks_cluster" : undefined),
    },
    {
        table: "network",
        service: "AmazonVPC",
        filters: {},
        unit: /^Hrs$/,
        key: (a) =>
            /PublicIPv4:InUseAddress$/.test(a.usagetype ?? "")
                ? "public_ipv4_in_use"
                : /PublicIPv4:IdleAddress$/.test(a.usagetype ?? "")
                  ? "public_ipv4_idle"
                  : undefined,
    },
    {
        table: "elb",
        service: "AWSELB",
        filters: {},
        unit: /^Hrs$/,
        key: (a, item) => {
            if (!/(^|-)LoadBalancerUsage$/.test(a.usagetype ?? "")) {
                return undefined;
            }
            const family = item.product.productFamily ?? "";
            return (
                {
                    "Load Balancer-Application": "application",
                    "Load Balancer-Network": "network",
                    "Load Balancer-Gateway": "gateway",
                    "Load Balancer": "classic",
                }[family] ?? undefined
            );
        },
    },
    {
        table: "ebs",
        service: "AmazonEC2",
        filters: { productFamily: "Storage" },
        unit: /^GB-Mo$/,
        key: (a) =>
            ["gp3", "gp2", "io1", "io2", "st1", "sc1", "standard"].includes(a.volumeApiName) ? `${a.volumeApiName}:gb` : undefined,
    },
];

/** The on-demand USD rates of a price item whose unit matches (first tier only). */
function onDemandUsd(item: PriceItem, unit: RegExp): number[] {
    const out = [];
    for (const term of Object.values(item.terms?.OnDemand ?? {})) {
        for (const dim of Object.values(term.priceDimensions ?? {})) {
            if (!unit.test(dim.unit ?? "")) {
                continue;
            }
            if (dim.beginRange !== undefined && Number(dim.beginRange) !== 0) {
                continue;
            }
            const usd = Number(dim.pricePerUnit?.USD);
            if (Number.isFinite(usd)) {
                out.push(usd);
            }
        }
    }
    return out;
}

/**
 * The real Price List client, loaded only here (an optional dependency of the script).
 */
function awsPricingClient(): {getProducts: (input: object) => Promise<{PriceList?: unknown[], NextToken?: string}>} {
    let sdk;
    try {
        sdk = require("@aws-sdk/client-pricing");
    } catch {
        throw new Error("prices:update needs @aws-sdk/client-pricing, which is not installed by default: npm install --no-save @aws-sdk/client-pricing (and AWS credentials)");
    }
    // The Price List API answers in us-east-1 (also eu-central-1, ap-south-1).
    const client = new sdk.PricingClient({ region: process.env.AWS_PRICING_REGION || "us-east-1" });
    return { getProducts: (input) => client.send(new sdk.GetProductsCommand(input)) };
}

/** Optional Route 53 Domains client for `ListPrices`; undefined when the SDK is absent. */
function awsDomainsClient() {
    let sdk;
    try {
        sdk = require("@aws-sdk/client-route-53-domains");
    } catch {
        return undefined;
    }
    const client = new sdk.Route53DomainsClient({ region: "us-east-1" });
    return { listPrices: (input: object) => client.send(new sdk.ListPricesCommand(input)) };
}

/** The Price List client (`GetProducts`). */
interface PricingClient {
    getProducts(input: GetProductsInput): Promise<{ PriceList?: unknown[]; NextToken?: string }>;
}
/** What `GetProducts` is asked. */
interface GetProductsInput {
    ServiceCode: string;
    Filters: { Type?: string; Field: string; Value: string }[];
    FormatVersion?: string;
    MaxResults?: number;
    NextToken?: string;
}
/** The Route 53 Domains client (`ListPrices`). */
interface DomainsClient {
    listPrices(input: { Marker?: string }): Promise<{ Prices?: { Name?: string; RegistrationPrice?: { Price?: number; Currency?: string } }[]; NextPageMarker?: string }>;
}
/** What {@link buildFromAws} needs. */
interface AwsOptions {
    pricing: PricingClient;
    domains?: DomainsClient;
    regions?: string[];
    force?: boolean;
    today?: string;
    log?: (s: string) => void;
}

/**
 * Refreshes the snapshot from the AWS Price List API. Tables or regions the API did not answer
 * keep their previous prices and sources. A price that moves by more than ×3 either way, or a
 * table region that loses more than a quarter of its keys, is kept at its previous value unless
 * `force` (the API's attribute conventions drift; this guards the gate against a bad refresh).
 */
async function buildFromAws(prev: SnapshotData, opts: AwsOptions): Promise<Snapshot> {
    const today = opts.today ?? new Date().toISOString().slice(0, 10);
    const log = opts.log ?? ((s) => process.stderr.write(s + "\n"));
    const sourceId = `aws-price-list-api-${today}`;
    const sources = { ...prev.sources };
    sources[sourceId] = {
        title: "AWS Price List API",
        origin: "AWS Price List Query API GetProducts (on-demand terms), read by scripts/prices-update.ts",
        licence: "AWS published list prices (facts, cited)",
        date: today,
        url: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html",
    };
    const wanted = opts.regions ? new Set(opts.regions) : undefined;

        // table → region → key → usd
    const fetched: Record<string, Record<string, Record<string, number>>> = {};
    for (const f of FETCHERS) {
        const filters = Object.entries(f.filters).map(([Field, Value]) => ({ Type: "TERM_MATCH", Field, Value }));
        let token;
        let rows = 0;
        do {
            const page = await opts.pricing.getProducts({
                ServiceCode: f.service,
                Filters: filters,
                FormatVersion: "aws_v1",
                MaxResults: 100,
                ...(token ? { NextToken: token } : {}),
            });
            for (const raw of page.PriceList ?? []) {
                let item: PriceItem;
                try {
                    item = typeof raw === "string" ? JSON.parse(raw) : JSON.parse(String(raw));
                } catch {
                    continue;
                }
                const a = item?.product?.attributes ?? {};
                const region = a.regionCode;
                if (!region || !REGION_RE.test(region) || (wanted && !wanted.has(region))) {
                    continue;
                }
                if (a.locationType && a.locationType !== "AWS Region") {
                    continue;
                }
                const key = f.key(a, item);
                if (!key) {
                    continue;
                }
                const usd = onDemandUsd(item, f.unit).filter((v) => v > 0);
                if (usd.length === 0) {
                    continue;
                }
                rows++;
                const t = (fetched[f.table] = fetched[f.table] ?? {});
                const r = (t[region] = t[region] ?? {});
                // Several rows can name the same key (e.g. reservation-related duplicates); keep the highest.
                r[key] = Math.max(r[key] ?? 0, ...usd);
            }
            token = page.NextToken;
        } while (token);
        log(`${f.service} ${JSON.stringify(f.filters)}: ${rows} prices`);
    }

    if (opts.domains) {
        const prices: Prices = {};
        let marker: string | undefined;
        do {
            const page = await opts.domains.listPrices({ ...(marker ? { Marker: marker } : {}) });
            for (const p of page.Prices ?? []) {
                const usd = p.RegistrationPrice?.Price;
                if (p.Name && isPrice(usd) && (p.RegistrationPrice?.Currency ?? "USD") === "USD") {
                    prices[p.Name.replace(/^\./, "")] = usd;
                }
            }
            marker = page.NextPageMarker;
        } while (marker);
        if (Object.keys(prices).length > 0) {
            fetched.route53_domains = { [GLOBAL]: prices };
            log(`route53domains ListPrices: ${Object.keys(prices).length} prices`);
        }
    }

        const tables: Record<string, Table> = {};
    for (const [id, table] of Object.entries(prev.tables)) {
        const old = decodeTable(table);
        const fresh = fetched[id] ?? {};
                const byRegion: Record<string, {source: string, prices: Record<string, number>}[]> = {};
        const regions = new Set([...Object.keys(old), ...Object.keys(fresh)]);
        for (const region of regions) {
            const was = old[region] ?? {};
            const now = fresh[region];
            // Group the old prices by source (the first group stays the primary one).
            const groups = new Map<string, Prices>();
            for (const [k, v] of Object.entries(was)) {
                if (!groups.has(v.source)) {
                    groups.set(v.source, {});
                }
                groups.get(v.source)![k] = v.usd;
            }
            if (now) {
                const lost = Object.keys(was).filter((k) => !(k in now)).length;
                const keep: Record<string, { usd: number; source: string }> = {};
                const accepted: Prices = {};
                for (const [k, usd] of Object.entries(now)) {
                    const before = was[k]?.usd;
                    if (!opts.force && before !== undefined && (usd > before * 3 || usd < before / 3)) {
                        log(`${id} ${region} ${k}: API says ${usd}, snapshot has ${before}; kept (use --force)`);
                        continue;
                    }
                    accepted[k] = usd;
                }
                if (!opts.force && Object.keys(was).length > 0 && lost > Object.keys(was).length / 4) {
                    log(`${id} ${region}: API lacks ${lost} of ${Object.keys(was).length} keys; only updating matches`);
                }
                // Old prices the API did not replace keep their source.
                for (const [k, v] of Object.entries(was)) {
                    if (!(k in accepted)) {
                        keep[k] = v;
                    }
                }
                const blocks = [{ source: sourceId, prices: accepted }];
                const oldGroups = new Map<string, Prices>();
                for (const [k, v] of Object.entries(keep)) {
                    if (!oldGroups.has(v.source)) {
                        oldGroups.set(v.source, {});
                    }
                    oldGroups.get(v.source)![k] = v.usd;
                }
                for (const [source, prices] of oldGroups) {
                    blocks.push({ source, prices });
                }
                byRegion[region] = blocks;
            } else {
                byRegion[region] = [...groups].map(([source, prices]) => ({ source, prices }));
            }
            if (byRegion[region].length === 0) {
                delete byRegion[region];
            }
        }
        tables[id] = encodeTable(id, byRegion, table.notes);
    }
    return assemble(tables, sources, "scripts/prices-update.ts (AWS Price List API)", today);
}

/* ------------------------------------------------------------------------------------------ */
/* Docs                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/**
 * The coverage section of docs/cost.md, generated from a snapshot.
 */
function renderCoverage(snap: SnapshotData) {
    const out = [];
    const dates = Object.values(snap.sources)
        .map((s) => s.date)
        .sort();
    out.push(
        `Snapshot \`src/cost/snapshot.json\`, generated by \`${snap.generated.by}\` on ${snap.generated.date}; its sources are dated ${dates[0]} to ${dates[dates.length - 1]}. ${snap.hoursPerMonth} hours a month; regions without a price fall back to ${snap.defaultRegion}.`,
    );
    out.push("");
    out.push("| table | unit | regions | keys (in us-east-1) | sources (date) |");
    out.push("| --- | --- | --- | --- | --- |");
    for (const [id, t] of Object.entries(snap.tables)) {
        const regions = Object.keys(t.regions);
        const decoded = decodeTable(t);
        const us = decoded[DEFAULT_REGION] ?? decoded[GLOBAL] ?? {};
        const bySource = new Map();
        for (const m of Object.values(decoded)) {
            for (const v of Object.values(m)) {
                bySource.set(v.source, (bySource.get(v.source) ?? 0) + 1);
            }
        }
        const srcs = [...bySource.keys()]
            .sort()
            .map((s) => `${s} (${snap.sources[s]?.date ?? "?"})`)
            .join(", ");
        const regionText = regions.length === 1 ? regions[0] : `${regions.length}`;
        out.push(`| \`${id}\` ${t.title} | ${t.unit} | ${regionText} | ${t.keys.length} (${Object.keys(us).length}) | ${srcs} |`);
    }
    out.push("");
    out.push("Sources:");
    out.push("");
    for (const [id, s] of Object.entries(snap.sources)) {
        out.push(`- \`${id}\` — ${s.title}, ${s.date}, licence ${s.licence}. ${s.origin}.${s.url ? ` <${s.url.split(" ").join("> <")}>` : ""}${s.note ? ` ${s.note}.` : ""}`);
    }
    out.push("");
    out.push("Regions with EC2 prices:");
    out.push("");
    out.push(Object.keys(snap.tables.ec2?.regions ?? {}).map((r) => `\`${r}\``).join(", ") + ".");
    return out.join("\n");
}

/** Replaces the generated section of the docs text. */
function replaceCoverage(docsText: string, coverage: string): string {
    const a = docsText.indexOf(DOCS_BEGIN);
    const b = docsText.indexOf(DOCS_END);
    if (a < 0 || b < a) {
        throw new Error(`docs/cost.md lacks the markers ${DOCS_BEGIN} … ${DOCS_END}`);
    }
    return docsText.slice(0, a + DOCS_BEGIN.length) + "\n" + coverage + "\n" + docsText.slice(b);
}

/* ------------------------------------------------------------------------------------------ */
/* Main                                                                                        */
/* ------------------------------------------------------------------------------------------ */

interface Args {
    mode: "aws" | "files" | "docs";
    dir: string;
    out: string;
    dryRun: boolean;
    force: boolean;
    regions?: string[];
}

function parseArgs(argv: readonly string[]): Args {
    const o: Args = { mode: "aws", dir: path.resolve(ROOT, "src", "cost", "data"), out: SNAPSHOT_PATH, dryRun: false, force: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--from-files") {
            o.mode = "files";
            if (argv[i + 1] && !argv[i + 1].startsWith("--")) {
                o.dir = path.resolve(argv[++i]);
            }
        } else if (a === "--docs") {
            o.mode = "docs";
        } else if (a === "--out") {
            o.out = path.resolve(argv[++i]);
        } else if (a === "--regions") {
            o.regions = String(argv[++i]).split(",").filter(Boolean);
        } else if (a === "--dry-run") {
            o.dryRun = true;
        } else if (a === "--force") {
            o.force = true;
        } else {
            throw new Error(`unknown argument ${a}`);
        }
    }
    return o;
}

async function main(argv: readonly string[]): Promise<void> {
    const o = parseArgs(argv);
    let snap;
    if (o.mode === "docs") {
        snap = JSON.parse(fs.readFileSync(o.out, "utf8"));
    } else if (o.mode === "files") {
        snap = buildFromFiles(o.dir);
    } else {
        const prev = JSON.parse(fs.readFileSync(o.out, "utf8"));
        snap = await buildFromAws(prev, {
            pricing: awsPricingClient(),
            domains: awsDomainsClient(),
            regions: o.regions,
            force: o.force,
        });
    }
    if (o.dryRun) {
        process.stdout.write(renderCoverage(snap) + "\n");
        return;
    }
    if (o.mode !== "docs") {
        fs.writeFileSync(o.out, serialize(snap));
        process.stderr.write(`wrote ${path.relative(process.cwd(), o.out)} (${fs.statSync(o.out).size} bytes)\n`);
    }
    if (fs.existsSync(DOCS_PATH)) {
        fs.writeFileSync(DOCS_PATH, replaceCoverage(fs.readFileSync(DOCS_PATH, "utf8"), renderCoverage(snap)));
        process.stderr.write(`updated ${path.relative(process.cwd(), DOCS_PATH)}\n`);
    }
}

export { main, buildFromFiles, buildFromAws, encodeTable, decodeTable, serialize, renderCoverage, replaceCoverage, DOCS_BEGIN, DOCS_END, WRITTEN_DOWN };
export type { AwsOptions, DomainsClient, PricingClient, Snapshot };
