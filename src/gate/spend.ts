/**
 * Gate `spend`: approval when the agent would spend more than its monthly budget.
 *
 * Resource-level items: a declared AWS Budget whose limit is above the agent budget; a purchase
 * (domain registration, Shield Advanced, reservations, subscriptions), which needs
 * `purchases: true`; a price that is unknown at preview, which only a token naming that URN in
 * `scope.resources` with `maxMonthlyUsd` covers — and so is a chargeable type the estimator has no
 * price for (`unpriced`), which must never count as $0. Stack-level item: the estimated monthly
 * total of the stack over the budget.
 */
import { dollars } from "../facts/format";
import { ResourceCost } from "../cost/types";
import { AgentProfile, providerCapUsd } from "./config";
import { isUnknown } from "../facts/facts";
import { GateItem } from "./items";

/** Raises the resource-level spend items of one resource from its cost estimate. */
export function detectSpendResource(cost: ResourceCost, agent: string, budgetUsd: number): GateItem[] {
    const items: GateItem[] = [];
    const base = { level: "resource" as const, resource: cost.urn };
    const declared = cost.declaredBudgetUsd;
    if (isUnknown(declared)) {
        items.push({
            ...base,
            need: { gate: "spend", kind: "unknown-price" },
            observed: `agent "${agent}" would declare budget "${cost.urn}" with a limit unknown at preview; its budget is ${dollars(budgetUsd)}/month`,
        });
    } else if (declared !== undefined && declared > budgetUsd) {
        items.push({
            ...base,
            need: { gate: "spend", kind: "budget", amountUsd: declared },
            observed: `agent "${agent}" would declare budget "${cost.urn}" of ${dollars(declared)}/month, over its ${dollars(budgetUsd)} budget`,
        });
    }
    if (cost.purchase) {
        const price = cost.purchase.usd !== undefined ? ` for ${dollars(cost.purchase.usd)}${cost.purchase.basis ? ` (${cost.purchase.basis})` : ""}` : "";
        items.push({
            ...base,
            need: { gate: "spend", kind: "purchase", amountUsd: cost.purchase.usd, what: cost.purchase.what },
            observed: `agent "${agent}" would buy ${cost.purchase.what} with "${cost.urn}"${price}`,
        });
    }
    if (cost.status === "unpriced" && !cost.purchase) {
        // A chargeable type agentguard cannot price: never a silent $0 for an agent. (A purchase
        // without a price is held by its purchase item, which a human approves explicitly.)
        items.push({
            ...base,
            need: { gate: "spend", kind: "unknown-price" },
            observed: `agent "${agent}" would create "${cost.urn}", whose monthly cost agentguard cannot estimate (${cost.basis ?? "no price model"}); its budget is ${dollars(budgetUsd)}/month`,
        });
    }
    if (cost.status === "unknown") {
        const inputs = (cost.unknownInputs ?? []).map((i) => `"${i}"`).join(", ");
        items.push({
            ...base,
            need: { gate: "spend", kind: "unknown-price" },
            observed: `agent "${agent}" would create "${cost.urn}" whose price cannot be known at preview (${inputs || "an input"} unknown); its budget is ${dollars(budgetUsd)}/month`,
        });
    }
    return items;
}

/** Raises the stack-level spend item when the estimated monthly total is over budget. */
export function detectSpendStack(totalUsd: number, agent: string, budgetUsd: number, partial = false): GateItem[] {
    if (!(totalUsd > budgetUsd)) {
        return [];
    }
    const amount = Math.ceil(totalUsd);
    return [
        {
            level: "stack",
            need: { gate: "spend", kind: "total", amountUsd: amount },
            observed: `agent "${agent}" would spend ${partial ? "at least " : ""}~${dollars(amount)}/month in this stack, over its ${dollars(budgetUsd)} budget`,
        },
    ];
}

/**
 * Raises one stack-level spend item per provider package whose estimated monthly spend in this
 * stack is over the agent's cap for that package (`providerBudgetsUsd`, or
 * `defaultProviderMonthlyBudgetUsd`). Covered like the total: `maxMonthlyUsd` ≥ the amount.
 */
export function detectSpendProviders(byProviderUsd: Readonly<Record<string, number>>, agent: string, profile: AgentProfile, partial = false): GateItem[] {
    const items: GateItem[] = [];
    for (const pkg of Object.keys(byProviderUsd).sort()) {
        const spent = byProviderUsd[pkg];
        const cap = providerCapUsd(profile, pkg);
        if (cap === undefined || !(spent > cap)) {
            continue;
        }
        const amount = Math.ceil(spent);
        items.push({
            level: "stack",
            need: { gate: "spend", kind: "total", amountUsd: amount, provider: pkg },
            observed: `agent "${agent}" would spend ${partial ? "at least " : ""}~${dollars(amount)}/month on provider "${pkg}" in this stack, over its ${dollars(cap)} cap for "${pkg}" (${profile.providerCapsSource})`,
        });
    }
    return items;
}
