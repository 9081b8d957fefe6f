/**
 * Cost rules, fixed rates: flat monthly charges (hosted zones, KMS keys, secrets), fixed hourly
 * capacity inside otherwise usage-priced services (Kinesis shards, API Gateway caches), and the
 * budgets a stack declares (free; they state a limit).
 * @internal
 */
import { Rule, Rules, component, free, monthly, named, note, read, set, stop, unknown, unpriced, usage } from "./rule";

const FIXED = { from: "`fixed_monthly`", inputs: "—" };
const kmsKey = (): Rule => monthly(FIXED, "fixed_monthly", "kms_key", "customer managed KMS key", "requests are usage");

const kinesisStream: Rule = {
    doc: { from: "`hourly_fixed` (shard-hour)", inputs: "`shardCount`, `streamModeDetails.streamMode` (on-demand is usage)" },
    steps: [
        read("mode", { input: ["streamModeDetails", "streamMode"], as: "text" }),
        stop({ unknown: "$mode" }, unknown(["streamModeDetails.streamMode"])),
        stop({ eq: ["$mode", "ON_DEMAND"] }, usage("on-demand stream: billed by data written and read")),
        read("shards", { input: "shardCount", as: "count" }),
        stop({ unknown: "$shards" }, unknown(["shardCount"])),
        stop({ absent: "$shards" }, unpriced("provisioned stream without shardCount")),
        component({
            label: "shard hours",
            table: "hourly_fixed",
            key: "kinesis_shard",
            quantity: "$shards",
            per: "hour",
            term: "{shards:num} shard(s) × {hours} h × {rate}/shard-h",
            missing: { unpriced: "no Kinesis shard price in the snapshot" },
        }),
        note("PUT payload units and retention beyond 24 h are usage"),
    ],
};

/** API Gateway stage: free unless it has a cache cluster, priced by size. */
const apigatewayStage: Rule = {
    doc: { from: "`hourly_fixed` (cache size-hour)", inputs: "`cacheClusterEnabled`, `cacheClusterSize` (default 0.5 GB)" },
    steps: [
        read("enabled", { input: "cacheClusterEnabled", as: "bool" }),
        stop({ unknown: "$enabled" }, unknown(["cacheClusterEnabled"])),
        stop({ not: { eq: ["$enabled", true] } }, free("no cache cluster: requests are billed on the API")),
        read("raw", { input: "cacheClusterSize", as: "raw" }),
        stop({ unknown: "$raw" }, unknown(["cacheClusterSize"])),
        read("text", { input: "cacheClusterSize", as: "text" }),
        set("size", { if: [{ nullish: "$raw" }, "0.5", { if: [{ number: "$raw" }, { str: "$raw" }, { first: ["$text", ""] }] }] }),
        set("sizeKey", { number: "$size" }),
        component({
            label: "cache hours",
            table: "hourly_fixed",
            key: "apigateway_cache:{sizeKey}",
            quantity: 1,
            per: "hour",
            term: "{size} GB cache × {hours} h × {rate}/h",
            missing: { unpriced: "no price in the snapshot for an API Gateway cache of {size:q} GB" },
        }),
        note("cacheClusterSize unset: the 0.5 GB default", { nullish: "$raw" }),
        note("requests are billed on the API"),
    ],
};

/** A budget costs nothing; a COST budget declares a monthly limit the spend gate compares with. */
const budget: Rule = {
    doc: { from: "free; declares a budget (`declaredBudgetUsd`)", inputs: "`limitAmount`, `limitUnit`, `timeUnit`, planned limits" },
    steps: [read("limit", named("declaredBudget")), stop(true, free("{limit.basis}", { declaredBudgetUsd: "$limit.usd" }))],
};

export const FIXED_RATES: Rules = {
    "aws:route53/zone:Zone": monthly(FIXED, "fixed_monthly", "route53_hosted_zone", "hosted zone", "queries are usage"),
    "aws:kms/key:Key": kmsKey(),
    "aws:kms/replicaKey:ReplicaKey": kmsKey(),
    "aws:kms/externalKey:ExternalKey": kmsKey(),
    "aws:kms/replicaExternalKey:ReplicaExternalKey": kmsKey(),
    "aws:secretsmanager/secret:Secret": monthly(FIXED, "fixed_monthly", "secretsmanager_secret", "secret", "API calls are usage"),
    "aws:kinesis/stream:Stream": kinesisStream,
    "aws:apigateway/stage:Stage": apigatewayStage,
    "aws:budgets/budget:Budget": budget,
};
