/**
 * The interface between the spend gate and the cost estimator. The gate only asks for a
 * {@link ResourceCost} per resource; everything about prices lives behind {@link CostEstimator}.
 */
import { ResourceFacts, Unknown } from "../facts/facts";

/**
 * How a resource's monthly cost was determined:
 * - `priced`: from the price snapshot (`monthlyUsd` holds it);
 * - `usage`: billed by usage with no baseline (S3, Lambda, on-demand DynamoDB); counts as 0;
 * - `free`: no charge of its own (IAM role, DNS record, tag);
 * - `unpriced`: a chargeable type the snapshot has no price for; reported, counts as 0;
 * - `unknown`: an input that decides the price is unknown at preview (`unknownInputs` names it).
 */
export type CostStatus = "priced" | "usage" | "free" | "unpriced" | "unknown";

/** A one-off or committed purchase: domain registration, Shield Advanced, reservations, savings plans. */
export interface Purchase {
    /** What is bought, e.g. `domain registration of "example.io"`. */
    readonly what: string;
    /** Price in USD when known (per year for domains), with its basis in `basis`. */
    readonly usd?: number;
    readonly basis?: string;
}

/** The estimate for one resource. */
export interface ResourceCost {
    readonly urn: string;
    readonly type: string;
    readonly status: CostStatus;
    /** Estimated monthly USD (0 unless `priced`). */
    readonly monthlyUsd: number;
    /** Region used for the price, and whether it came from the provider or the us-east-1 default. */
    readonly region?: string;
    readonly regionSource?: "provider" | "resource" | "default";
    /** How the figure was reached: `"m5.large × 730 h × $0.096/h (us-east-1, source …)"`. */
    readonly basis?: string;
    /** Inputs that were unknown at preview and decide the price. */
    readonly unknownInputs?: readonly string[];
    /** Present when creating the resource buys something. */
    readonly purchase?: Purchase;
    /** For declared budgets (aws:budgets/budget:Budget): the monthly limit in USD, or unknown. */
    readonly declaredBudgetUsd?: number | Unknown;
}

/** Estimates resources one at a time; must never throw for odd inputs (return `unpriced` instead). */
export interface CostEstimator {
    estimate(resource: ResourceFacts): ResourceCost;
}
