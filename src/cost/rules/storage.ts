/**
 * Cost rules, storage: EBS volumes, and the volume components instances and launch templates
 * share (priced per volume by the `volume`/`instanceVolumes` procedures of ./readers.ts).
 * @internal
 */
import { Rules, Step, component, named, note, read, result, set, stop, unpriced } from "./rule";

const IO2_TIERS: readonly [string, number, number][] = [
    ["io2:iops", 0, 32000],
    ["io2:iops-tier2", 32000, 64000],
    ["io2:iops-tier3", 64000, Infinity],
];

/**
 * One EBS volume, `$vol` (`{type, sizeGiB, iops?, throughput?}`) × `$volCount`: GB-months, gp3
 * IOPS and throughput above the included 3,000 and 125 MiB/s, io1 IOPS, io2 IOPS by tier.
 */
export const VOLUME: readonly Step[] = [
    component({
        label: "volume storage",
        table: "ebs",
        key: "{vol.type}:gb",
        quantity: { mul: ["$volCount", "$vol.sizeGiB"] },
        per: "month",
        term: "{volCount:x}{volLabel}{vol.sizeGiB:num} GiB {vol.type} × {rate}/GB-month",
        missing: "abort",
    }),
    {
        branch: [
            [
                { eq: ["$vol.type", "gp3"] },
                [
                    set("volExtraIops", { max: [0, { sub: [{ first: ["$vol.iops", 3000] }, 3000] }] }),
                    set("volExtraTp", { max: [0, { sub: [{ first: ["$vol.throughput", 125] }, 125] }] }),
                    component(
                        {
                            label: "gp3 IOPS above 3,000",
                            table: "ebs",
                            key: "gp3:iops",
                            quantity: { mul: ["$volCount", "$volExtraIops"] },
                            per: "month",
                            term: "{volCount:x}{volExtraIops:num} IOPS above 3,000 × {rate}/IOPS-month",
                            missing: { part: "gp3 IOPS" },
                        },
                        { gt: ["$volExtraIops", 0] },
                    ),
                    component(
                        {
                            label: "gp3 throughput above 125 MiB/s",
                            table: "ebs",
                            key: "gp3:throughput",
                            quantity: { mul: ["$volCount", "$volExtraTp"] },
                            per: "month",
                            term: "{volCount:x}{volExtraTp:num} MiB/s above 125 × {rate}/MiB/s-month",
                            missing: { part: "gp3 throughput" },
                        },
                        { gt: ["$volExtraTp", 0] },
                    ),
                ],
            ],
            [{ all: [{ in: ["$vol.type", ["io1", "io2"]] }, { absent: "$vol.iops" }] }, [note("{vol.type} IOPS not set (not priced)")]],
            [
                { eq: ["$vol.type", "io1"] },
                [
                    component(
                        { label: "io1 IOPS", table: "ebs", key: "io1:iops", quantity: { mul: ["$volCount", "$vol.iops"] }, per: "month", term: "{volCount:x}{vol.iops:num} IOPS × {rate}/IOPS-month", missing: { part: "io1 IOPS" } },
                        { gt: ["$vol.iops", 0] },
                    ),
                ],
            ],
            [
                { eq: ["$vol.type", "io2"] },
                IO2_TIERS.flatMap(([key, from, to]): Step[] => [
                    set("volTier", { max: [0, { sub: [{ min: ["$vol.iops", to] }, from] }] }),
                    component(
                        { label: `io2 IOPS (${key})`, table: "ebs", key, quantity: { mul: ["$volCount", "$volTier"] }, per: "month", term: "{volCount:x}{volTier:num} IOPS × {rate}/IOPS-month", missing: { part: "io2 IOPS" } },
                        { gt: ["$volTier", 0] },
                    ),
                ]),
            ],
        ],
    },
];

export const STORAGE: Rules = {
    "aws:ebs/volume:Volume": {
        doc: { from: "`ebs`", inputs: "`type` (default gp2), `size`, `iops`, `throughput`" },
        steps: [
            read("size", { input: "size", as: "count" }),
            read("snapshotId", { input: "snapshotId", as: "raw" }),
            stop({ all: [{ absent: "$size" }, { present: "$snapshotId" }] }, unpriced("size comes from the snapshot (not priced)")),
            stop({ absent: "$size" }, unpriced("no size")),
            read("v", named("volume", { where: "" })),
            stop({ absent: "$v" }, result()),
            read("typeGiven", { input: "type", as: "raw" }),
            note("type unset: EBS default gp2", { absent: "$typeGiven" }),
            { use: "volume", args: { v: "$v", count: 1, label: "", missing: "no price in the snapshot for volume type {v.type:q}" } },
        ],
    },
};
