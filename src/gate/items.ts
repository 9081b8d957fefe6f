/**
 * What a gate raises: one item per thing an approver must look at.
 */

/** The five gates of docs/contract.md §4 and the plan gate's `destructive` (docs/plans.md). */
export type GateId = "environment" | "provider" | "access" | "spend" | "operations" | "destructive";

/** Every gate, in the order denials are reported. */
export const GATE_IDS: readonly GateId[] = ["environment", "provider", "access", "spend", "operations", "destructive"];

/** An environment that needs approval. */
export type GatedEnvironment = "production" | "staging";

/** What an approval must grant to cover an item; one variant per gate. */
export type Need =
    | { readonly gate: "environment"; readonly environment: GatedEnvironment }
    | { readonly gate: "provider"; readonly provider: string }
    | { readonly gate: "access" }
    | { readonly gate: "spend"; readonly kind: "total" | "budget"; readonly amountUsd: number; readonly provider?: string }
    | { readonly gate: "spend"; readonly kind: "purchase"; readonly amountUsd?: number; readonly what: string }
    | { readonly gate: "spend"; readonly kind: "unknown-price" }
    | { readonly gate: "operations"; readonly count: number }
    /** A delete or replace, covered only by a token bound to this plan (or destroyed state) digest. */
    | { readonly gate: "destructive"; readonly binding: "plan" | "destroy"; readonly digest: string };

/**
 * One finding that needs approval. Resource-level items name the resource; stack-level items
 * (the estimated total, the resource count) do not.
 */
export interface GateItem {
    readonly gate: GateId;
    readonly level: "resource" | "stack";
    /** URN of the resource, for resource-level items. */
    readonly resource?: string;
    /** How many distinct approvers are needed. */
    readonly required: number;
    readonly need: Need;
    /** What was observed, as a phrase that completes `agent "x" …`: `declares "…" in production (stack "prod")`. */
    readonly observed: string;
}
