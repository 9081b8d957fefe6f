/**
 * What a gate raises: one item per thing an approver must look at.
 */
import type { EnvironmentLevel, GatedEnvironment } from "../facts/environments";

/** The five gates of docs/contract.md §4 and the plan gate's `destructive` (docs/plans.md). */
export type GateId = "environment" | "provider" | "access" | "spend" | "operations" | "destructive";

/** Every gate, in the order denials are reported. */
export const GATE_IDS: readonly GateId[] = ["environment", "provider", "access", "spend", "operations", "destructive"];

export type { EnvironmentLevel, GatedEnvironment };

/** What an approval must grant to cover an item; one variant per gate. */
export type Need =
    | { readonly gate: "environment"; readonly environment: GatedEnvironment }
    | { readonly gate: "provider"; readonly provider: string }
    | { readonly gate: "access" }
    | { readonly gate: "spend"; readonly kind: "total" | "budget"; readonly amountUsd: number; readonly provider?: string }
    | { readonly gate: "spend"; readonly kind: "purchase"; readonly amountUsd?: number; readonly what: string }
    | { readonly gate: "spend"; readonly kind: "unknown-price" }
    | { readonly gate: "operations"; readonly count: number }
    /**
     * A delete or replace, covered only by a token bound to this plan (or destroyed state) digest;
     * its environment and whether its type holds data set how many approvals it needs.
     */
    | { readonly gate: "destructive"; readonly binding: "plan" | "destroy"; readonly digest: string; readonly environment: EnvironmentLevel; readonly dataBearing: boolean };

/**
 * One finding that needs approval, as a detector raises it: what must be granted and what was
 * seen. Its gate is `need.gate`; how many approvals it needs is the gate table's (table.ts).
 * Resource-level items name the resource; stack-level items (the estimated total, the resource
 * count) do not.
 */
export interface GateItem {
    readonly level: "resource" | "stack";
    /** URN of the resource, for resource-level items. */
    readonly resource?: string;
    readonly need: Need;
    /** What was observed, as a phrase that completes `agent "x" …`: `declares "…" in production (stack "prod")`. */
    readonly observed: string;
}
