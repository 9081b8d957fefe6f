/**
 * Cost rules, purchases: domain registrations, Shield Advanced, reservations, capacity
 * reservations and blocks, savings plans. Each result carries `purchase`, so the spend gate can
 * ask for `purchases: true` whatever the price.
 * @internal
 */
import { Rule, Rules, always, component, named, note, read, result, set, stop, unknown, unpriced, usage } from "./rule";

function domain(renewal: boolean): Rule {
    const verb = renewal ? "renewal of the registered domain" : "domain registration of";
    const some = renewal ? "renewal of a registered domain" : "a domain registration";
    return {
        doc: { from: "`route53_domains` (purchase)", inputs: "`domainName`, `durationInYears`" },
        steps: [
            read("name", { input: "domainName", as: "text" }),
            stop({ unknown: "$name" }, unknown(["domainName"], { what: `${some} (name unknown at preview)` })),
            stop({ not: { contains: ["$name", "."] } }, unpriced("no domainName", { what: some })),
            read("sfx", named("domainSuffixes", { name: "$name" })),
            renewal ? set("y", 1) : read("years", { input: "durationInYears", as: "count" }),
            ...(renewal ? [] : [set("y", { if: [{ all: [{ number: "$years" }, { not: { gt: [1, "$years"] } }] }, "$years", 1] })]),
            component({
                id: "dom",
                label: "domain registration",
                table: "route53_domains",
                key: "{tld}",
                each: { list: "$sfx.tlds", as: "tld", need: "first" },
                quantity: 1,
                per: "year",
                term: ".{tld} {rate}/year ÷ 12",
                priceNote: true,
                missing: { unpriced: "no Route 53 price in the snapshot for .{sfx.last}", purchase: { what: `${verb} {name:q}` } },
            }),
            note("list price of {dom.date}; Route 53 may charge more today"),
            set("per", { if: [{ eq: ["$y", 1] }, "per year", { fmt: "{y:num} years at {dom.usd:rate}/year" }] }),
            stop(true, result({ what: `${verb} {name:q}`, usd: { mul: ["$dom.usd", "$y"] }, basis: "{per}, Route 53 list price of {dom.date}" })),
        ],
    };
}

const SHIELD = "an AWS Shield Advanced subscription (1-year commitment)";

const shieldSubscription: Rule = {
    doc: { from: "`shield` (purchase)", inputs: "—" },
    steps: [
        component({
            id: "sh",
            label: "Shield Advanced",
            table: "shield",
            key: "advanced",
            quantity: 1,
            per: "month",
            term: "Shield Advanced {rate}/month",
            missing: { unpriced: "no price in the snapshot for Shield Advanced", purchase: { what: SHIELD } },
        }),
        set("year", { mul: ["$sh.usd", 12] }),
        note("1-year commitment ({year:money}); data transfer out of protected resources is usage"),
        stop(true, result({ what: SHIELD, usd: "$sh.usd", basis: "per month for 12 months ({year:money}), AWS Shield pricing page" })),
    ],
};

const shieldProtection: Rule = {
    doc: { from: "usage (purchase: needs the subscription)", inputs: "—" },
    steps: [
        read("p", named("priceOf", { table: "shield", key: "advanced" })),
        set("price", { if: [{ present: "$p" }, { fmt: ", {p:rate}/month with a 1-year commitment" }, ""] }),
        stop(
            true,
            usage("Shield Advanced data transfer of the protected resource is usage; the subscription is priced on its own", {
                what: "AWS Shield Advanced protection (needs the Shield Advanced subscription{price})",
            }),
        ),
    ],
};

const RESERVED = { from: "unpriced (purchase: the offering sets the price)", inputs: "offering id, count" };

function reservation(what: string, offeringInput: string, countInput: string): Rule {
    return {
        doc: RESERVED,
        steps: [
            read("offering", { input: offeringInput, as: "text" }),
            read("count", { input: countInput, as: "count" }),
            set("n", { if: [{ number: "$count" }, { fmt: "{count:num} × " }, ""] }),
            set("of", { if: [{ string: "$offering" }, { fmt: " (offering {offering:q})" }, ""] }),
            stop(true, unpriced("reservation prices are not in the snapshot: the offering fixes term, payment and price", { what: `{n}${what}{of}` })),
        ],
    };
}

const RESERVATION_WHAT = "an EC2 capacity reservation of {c:num} × {type}";

const capacityReservation: Rule = {
    doc: { from: "`ec2` (purchase)", inputs: "`instanceType`, `instanceCount`" },
    steps: [
        read("type", { input: "instanceType", as: "text" }, "instanceType"),
        read("count", { input: "instanceCount", as: "count" }, "instanceCount"),
        set("whatType", { if: [{ string: "$type" }, "$type", "instances"] }),
        set("whatCount", { if: [{ number: "$count" }, { fmt: "{count:num}" }, "N"] }),
        stop({ anyUnknown: true }, result({ what: "an EC2 capacity reservation of {whatCount} × {whatType}" })),
        stop({ absent: "$type" }, unpriced("no instanceType", { what: "an EC2 capacity reservation of {whatCount} × {whatType}" })),
        set("c", { first: ["$count", 1] }),
        read("platform", { input: "instancePlatform", as: "text" }),
        note("platform {platform:q} priced at the Linux rate (lower bound)", { all: [{ string: "$platform" }, { not: { eq: ["$platform", "Linux/UNIX"] } }] }),
        component({
            label: "reserved instance hours",
            table: "ec2",
            key: "{type}",
            quantity: "$c",
            per: "hour",
            term: "{c:x}{type} × {hours} h × {rate}/h",
            missing: { unpriced: "no price in the snapshot for instance type {type:q} ({region} or us-east-1)", purchase: { what: RESERVATION_WHAT } },
        }),
        note("billed at the on-demand rate whether used or not"),
        read("total", named("total")),
        stop(true, result({ what: RESERVATION_WHAT, usd: { round2: "$total" }, basis: "per month at the on-demand rate, billed whether used or not" })),
    ],
};

const SAVINGS = "a Savings Plan (1- or 3-year commitment)";

const savingsPlan: Rule = {
    doc: { from: "its own `commitment` × 730 h (purchase)", inputs: "`commitment`" },
    steps: [
        read("c", { input: "commitment", as: "number" }),
        stop({ unknown: "$c" }, unknown(["commitment"], { what: SAVINGS })),
        stop(
            { all: [{ number: "$c" }, { gt: ["$c", 0] }] },
            {
                status: "declared",
                monthlyUsd: { mul: ["$c", "$hours"] },
                basis: "commitment {c:rate}/h × {hours} h = {monthlyUsd:money}/month (declared by the resource)",
                purchase: { what: SAVINGS, usd: { mul: ["$c", "$hours"] }, basis: "per month for the plan's term" },
            },
        ),
        stop(true, unpriced("no hourly commitment known", { what: SAVINGS })),
    ],
};

export const PURCHASES: Rules = {
    "aws:route53domains/domain:Domain": domain(false),
    "aws:route53domains/registeredDomain:RegisteredDomain": domain(true),
    "aws:shield/subscription:Subscription": shieldSubscription,
    "aws:shield/protection:Protection": shieldProtection,
    "aws:rds/reservedInstance:ReservedInstance": reservation("RDS reserved DB instance", "offeringId", "instanceCount"),
    "aws:elasticache/reservedCacheNode:ReservedCacheNode": reservation("ElastiCache reserved cache node", "reservedCacheNodesOfferingId", "cacheNodeCount"),
    "aws:ec2/capacityReservation:CapacityReservation": capacityReservation,
    "aws:ec2/capacityBlockReservation:CapacityBlockReservation": always(
        RESERVED,
        unpriced("capacity blocks are paid up front at the offering's price, not in the snapshot", { what: "an EC2 capacity block reservation" }),
    ),
    "aws:savingsplans/savingsPlan:SavingsPlan": savingsPlan,
};
