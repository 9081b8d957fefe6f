/**
 * Cost rules, databases: RDS instances (class, engine, Multi-AZ, storage), ElastiCache clusters
 * and replication groups (nodes × node price), DynamoDB provisioned capacity.
 * @internal
 */
import { Cond, Rule, Rules, Step, always, component, named, note, read, result, set, stop, unknown, unpriced, usage } from "./rule";

const MYSQL = { obj: { key: "mysql", name: "MySQL" } };
const POSTGRES = { obj: { key: "postgres", name: "PostgreSQL" } };
const NONE_UNKNOWN: Cond = { all: [{ not: { unknown: "$storage" } }, { not: { unknown: "$storageType" } }, { not: { unknown: "$iops" } }] };

const rdsInstance: Rule = {
    doc: { from: "`rds:*`, `rds_storage`", inputs: "`instanceClass`, `engine` (MySQL, MariaDB at the MySQL rate, PostgreSQL), `multiAz`, `allocatedStorage`, `storageType`, `iops`" },
    steps: [
        read("cls", { input: "instanceClass", as: "text" }, "instanceClass"),
        read("engine", { input: "engine", as: "text" }, "engine"),
        read("multi", { input: "multiAz", as: "bool" }, "multiAz"),
        stop({ anyUnknown: true }, result()),
        stop({ absent: "$cls" }, unpriced("no instanceClass")),
        set("az", { if: [{ eq: ["$multi", true] }, "multi", "single"] }),
        set("azName", { if: [{ eq: ["$multi", true] }, "Multi-AZ", "Single-AZ"] }),
        set("engineLower", { lower: "$engine" }),
        stop(
            { all: [{ present: "$engine" }, { not: { in: ["$engineLower", ["mysql", "mariadb", "postgres", "postgresql"]] } }] },
            unpriced("no price in the snapshot for RDS engine {engine:q} (only MySQL, MariaDB and PostgreSQL are priced)"),
        ),
        set("engines", { if: [{ absent: "$engine" }, { list: [MYSQL, POSTGRES] }, { list: [{ map: ["$engineLower", { mysql: MYSQL, mariadb: MYSQL, postgres: POSTGRES, postgresql: POSTGRES }] }] }] }),
        set("engineKeys", { if: [{ absent: "$engine" }, { list: ["mysql", "postgres"] }, { list: [{ map: ["$engineLower", { mysql: "mysql", mariadb: "mysql", postgres: "postgres", postgresql: "postgres" }] }] }] }),
        note("engine unset (a replica takes its source's): priced at the dearer of MySQL and PostgreSQL", { absent: "$engine" }),
        note("MariaDB priced at the MySQL rate", { eq: ["$engineLower", "mariadb"] }),
        component({
            label: "DB instance hours",
            table: "rds:{e.key}:{az}",
            key: "{cls}",
            each: { list: "$engines", as: "e", need: "any" },
            quantity: 1,
            per: "hour",
            term: "{cls} {e.name} {azName} × {hours} h × {rate}/h",
            fallback: {
                table: "rds:{e.key}:single",
                factor: 2,
                term: "{cls} {e.name} {azName} × {hours} h × 2 × {rate}/h (Single-AZ price doubled: no Multi-AZ price)",
                when: { eq: ["$az", "multi"] },
            },
            missing: { unpriced: "no price in the snapshot for {cls:q} ({engineKeys:join/}, {azName})" },
        }),
        // Storage.
        read("storage", { input: "allocatedStorage", as: "count" }),
        read("storageType", { input: "storageType", as: "text" }),
        read("iops", { input: "iops", as: "count" }),
        { unknownInput: "allocatedStorage", when: { unknown: "$storage" } },
        { unknownInput: "storageType", when: { all: [{ not: { unknown: "$storage" } }, { unknown: "$storageType" }] } },
        { unknownInput: "iops", when: { all: [{ not: { unknown: "$storage" } }, { not: { unknown: "$storageType" } }, { unknown: "$iops" }] } },
        note("storage size unset (a replica's or snapshot's): not priced", { all: [NONE_UNKNOWN, { absent: "$storage" }] }),
        set("st", { lower: { first: ["$storageType", { if: [{ absent: "$iops" }, "gp2", "io1"] }] } }),
        component(
            {
                id: "storageGb",
                label: "storage",
                table: "rds_storage",
                key: "{st}:gb:{az}",
                quantity: "$storage",
                per: "month",
                term: "{storage:num} GB {st} × {rate}/GB-month",
                missing: { part: "{st} storage" },
            },
            { all: [NONE_UNKNOWN, { present: "$storage" }] },
        ),
        component(
            { label: "io1 IOPS", table: "rds_storage", key: "io1:iops:{az}", quantity: "$iops", per: "month", term: "{iops:num} IOPS × {rate}/IOPS-month", missing: "skip" },
            { all: [{ priced: "storageGb" }, { eq: ["$st", "io1"] }, { present: "$iops" }] },
        ),
        note("backups, I/O and data transfer not included"),
    ],
};

/** `$count` nodes of `$nodeType`, described by `$what`. */
const CACHE_NODES: readonly Step[] = [
    component({
        label: "cache node hours",
        table: "elasticache",
        key: "{nodeType}",
        quantity: "$count",
        per: "hour",
        term: "{count:num} × {nodeType} × {hours} h × {rate}/h",
        missing: { unpriced: "no price in the snapshot for cache node type {nodeType:q}" },
    }),
    note("{what}"),
    note("Valkey priced at the Redis OSS rate (upper bound; Valkey lists lower)", { eq: [{ lower: "$engine" }, "valkey"] }),
];

const elasticacheCluster: Rule = {
    doc: { from: "`elasticache`", inputs: "`nodeType`, `numCacheNodes`" },
    steps: [
        read("nodeType", { input: "nodeType", as: "text" }, "nodeType"),
        read("nodes", { input: "numCacheNodes", as: "count" }, "numCacheNodes"),
        read("engine", { input: "engine", as: "text" }),
        stop({ anyUnknown: true }, result()),
        read("group", { input: "replicationGroupId", as: "raw" }),
        stop({ all: [{ absent: "$nodeType" }, { present: "$group" }] }, unpriced("node type comes from the replication group (not priced here)")),
        stop({ absent: "$nodeType" }, unpriced("no nodeType")),
        set("count", { first: ["$nodes", 1] }),
        set("what", { fmt: "numCacheNodes {count:num}" }),
        ...CACHE_NODES,
    ],
};

const elasticacheReplicationGroup: Rule = {
    doc: { from: "`elasticache`", inputs: "`nodeType`, `numNodeGroups`, `replicasPerNodeGroup`, `numCacheClusters`" },
    steps: [
        read("nodeType", { input: "nodeType", as: "text" }, "nodeType"),
        read("engine", { input: "engine", as: "text" }),
        read("clusterMode", { input: "clusterMode", as: "block" }),
        read("shardsOwn", { input: "numNodeGroups", as: "count" }),
        read("shardsMode", { input: "numNodeGroups", as: "count", from: "clusterMode" }),
        read("replicasOwn", { input: "replicasPerNodeGroup", as: "count" }),
        read("replicasMode", { input: "replicasPerNodeGroup", as: "count", from: "clusterMode" }),
        set("shards", { first: ["$shardsOwn", "$shardsMode"] }),
        set("replicas", { first: ["$replicasOwn", "$replicasMode"] }),
        read("clusters", { anyOf: ["numCacheClusters", "numberCacheClusters"], as: "count" }),
        {
            branch: [
                [{ unknown: "$shards" }, [{ unknownInput: "numNodeGroups" }]],
                [{ unknown: "$replicas" }, [{ unknownInput: "replicasPerNodeGroup" }]],
                [
                    { present: "$shards" },
                    [
                        set("r", { first: ["$replicas", 0] }),
                        set("count", { mul: ["$shards", { add: ["$r", 1] }] }),
                        set("what", { fmt: "{shards:num} node groups × (1 + {r:num} replicas)" }),
                    ],
                ],
                [{ unknown: "$clusters" }, [{ unknownInput: "numCacheClusters" }]],
                [{ present: "$clusters" }, [set("count", "$clusters"), set("what", { fmt: "numCacheClusters {clusters:num}" })]],
                [{ present: "$replicas" }, [set("count", { add: ["$replicas", 1] }), set("what", { fmt: "1 primary + {replicas:num} replicas" })]],
                [true, [set("count", 1), set("what", "node count unset: 1 node")]],
            ],
        },
        stop({ any: [{ anyUnknown: true }, { absent: "$count" }] }, result()),
        stop({ absent: "$nodeType" }, unpriced("no nodeType")),
        ...CACHE_NODES,
    ],
};

const dynamodbTable: Rule = {
    doc: { from: "`dynamodb` (provisioned) or usage (`PAY_PER_REQUEST`)", inputs: "`billingMode`, read/write capacity including GSIs" },
    steps: [
        read("mode", { input: "billingMode", as: "text" }),
        stop({ unknown: "$mode" }, unknown(["billingMode"])),
        stop({ eq: ["$mode", "PAY_PER_REQUEST"] }, usage("on-demand capacity: billed per request and GB stored")),
        read("cap", named("provisionedCapacity")),
        stop({ anyUnknown: true }, result()),
        component({
            label: "read capacity units",
            table: "dynamodb",
            key: "rcu",
            quantity: "$cap.rcu",
            per: "hour",
            term: "{cap.rcu:num} RCU × {hours} h × {rate}/h",
            missing: { unpriced: "no price in the snapshot for DynamoDB provisioned capacity" },
        }),
        component({
            label: "write capacity units",
            table: "dynamodb",
            key: "wcu",
            quantity: "$cap.wcu",
            per: "hour",
            term: "{cap.wcu:num} WCU × {hours} h × {rate}/h",
            missing: { unpriced: "no price in the snapshot for DynamoDB provisioned capacity" },
        }),
        note("provisioned capacity (auto scaling may change it); storage is usage"),
    ],
};

export const DATABASE: Rules = {
    "aws:rds/instance:Instance": rdsInstance,
    "aws:rds/clusterInstance:ClusterInstance": always({ from: "unpriced (no prices in the snapshot)", inputs: "" }, unpriced("Aurora instance prices are not in the snapshot")),
    "aws:elasticache/cluster:Cluster": elasticacheCluster,
    "aws:elasticache/replicationGroup:ReplicationGroup": elasticacheReplicationGroup,
    "aws:dynamodb/table:Table": dynamodbTable,
};
