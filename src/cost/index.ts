/**
 * The cost estimator: monthly on-demand list prices (Linux, shared tenancy, 730 hours a month)
 * from the price snapshot shipped beside this file, per resource, with the basis of each figure.
 *
 * `createEstimator()` is cheap; the snapshot is parsed on the first resource that needs a price
 * and indexed per table and region on first use. `estimate` never throws: an input it cannot use
 * makes the resource `unpriced`, an input unknown at preview makes it `unknown`.
 */
import { AWS_REGION } from "../facts/region";
import { ResourceFacts } from "../facts/facts";
import { Ctx, DEFAULT_REGION, chooseRegion } from "./calc";
import { classify } from "./classify";
import { LinkedResourceFacts } from "./rules/index";
import { PriceBook, SnapshotData, shippedPriceBook } from "./snapshot";
import { CostEstimator, ResourceCost } from "./types";

export { CostEstimator, CostStatus, Purchase, ResourceCost } from "./types";
export { LinkedResourceFacts } from "./rules/index";
export { SnapshotData, SnapshotSource, SnapshotTable } from "./snapshot";

/** Hours in the month the estimates use (AWS's own convention: 365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** Options for {@link createEstimator}. */
export interface EstimatorOptions {
    /**
     * Region used when neither the resource nor its provider names one (default `us-east-1`).
     * Results say `regionSource: "default"` when it was used.
     */
    readonly defaultRegion?: string;
    /** A snapshot to use instead of the shipped one (tests, or a freshly built file). */
    readonly snapshot?: SnapshotData;
}

/**
 * Creates an estimator. Pass {@link LinkedResourceFacts} (facts with `dependencies`) to let
 * autoscaling groups, node groups and instances be priced by the launch template they use.
 */
export function createEstimator(options: EstimatorOptions = {}): CostEstimator {
    const defaultRegion = options.defaultRegion && AWS_REGION.test(options.defaultRegion) ? options.defaultRegion : DEFAULT_REGION;
    let book: PriceBook | undefined = options.snapshot ? new PriceBook(options.snapshot) : undefined;
    const getBook = (): PriceBook => (book ??= shippedPriceBook());
    return {
        estimate(resource: ResourceFacts | LinkedResourceFacts): ResourceCost {
            try {
                const r = resource;
                const props = r.props !== null && typeof r.props === "object" && !Array.isArray(r.props) ? r.props : {};
                const ctx: Ctx = {
                    r: { ...r, props },
                    props,
                    region: chooseRegion({ ...r, props }, defaultRegion),
                    hours: HOURS_PER_MONTH,
                    book: getBook,
                };
                return classify(ctx);
            } catch (e) {
                return {
                    urn: safeString(resource, "urn"),
                    type: safeString(resource, "type"),
                    status: "unpriced",
                    monthlyUsd: 0,
                    basis: `could not estimate: ${e instanceof Error ? e.message : String(e)}`,
                };
            }
        },
    };
}

function safeString(o: unknown, key: string): string {
    try {
        const v = (o as Record<string, unknown> | null | undefined)?.[key];
        return typeof v === "string" ? v : "";
    } catch {
        return "";
    }
}
