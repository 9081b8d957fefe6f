/**
 * Cost rules, Cloudflare: zones (free plan, or a paid plan that is a purchase) and account and
 * zone subscriptions (always purchases; plan prices are not in the snapshot).
 * @internal
 */
import { Rule, Rules, free, read, set, stop, unknown, unpriced } from "./rule";

function subscription(scope: "account" | "zone"): Rule {
    const what = `a Cloudflare ${scope} subscription{toPlan}`;
    return {
        doc: { from: "unpriced (purchase)", inputs: "`ratePlan`" },
        steps: [
            read("plan", { input: "ratePlan", as: "block" }),
            read("idInBlock", { input: "id", as: "text", from: "plan" }),
            read("idGiven", { input: "ratePlan", as: "text" }),
            set("planId", { if: [{ absent: "$plan" }, "$idGiven", "$idInBlock"] }),
            stop({ unknown: "$planId" }, unknown(["ratePlan"], { what: `a Cloudflare ${scope} subscription (plan unknown at preview)` })),
            set("toPlan", { if: [{ present: "$planId" }, { fmt: " to plan {planId:q}" }, ""] }),
            stop({ eq: ["$planId", "free"] }, free("Cloudflare free plan", { purchase: { what, usd: 0, basis: "free plan" } })),
            stop(true, unpriced("Cloudflare plan prices are not in the snapshot", { what })),
        ],
    };
}

const zone: Rule = {
    doc: { from: "free on the free plan; a paid `plan` is a purchase", inputs: "`plan`" },
    steps: [
        read("plan", { input: "plan", as: "text" }),
        read("name", { anyOf: ["zone", "name"], as: "text" }),
        set("zone", { if: [{ string: "$name" }, { fmt: " for {name:q}" }, ""] }),
        stop({ unknown: "$plan" }, unknown(["plan"], { what: "a Cloudflare zone plan{zone} (unknown at preview)" })),
        stop({ any: [{ absent: "$plan" }, { eq: ["$plan", "free"] }] }, free("Cloudflare zone on the free plan")),
        stop(true, unpriced("Cloudflare plan prices are not in the snapshot", { what: "the Cloudflare {plan:q} plan{zone}" })),
    ],
};

export const CLOUDFLARE: Rules = {
    "cloudflare:index/zone:Zone": zone,
    "cloudflare:index/zoneSubscription:ZoneSubscription": subscription("zone"),
    "cloudflare:index/accountSubscription:AccountSubscription": subscription("account"),
};
