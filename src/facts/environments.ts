/**
 * Environment words: the levels, and how a label or a stack name's words map to them. Used by the
 * environment gate and by the stack module's registry (a production agent needs its own account).
 */

/** An environment that needs approval. */
export type GatedEnvironment = "production" | "staging";

/** Environments in rising order of care. */
export type EnvironmentLevel = "development" | GatedEnvironment;

const PRODUCTION_WORDS = new Set(["prod", "production", "prd", "live"]);
const STAGING_WORDS = new Set(["staging", "stage", "stg"]);

/** Maps a free-form label (`Prod`, `staging`) to a level, or undefined. */
export function levelOfLabel(label: string): EnvironmentLevel | undefined {
    const l = label.trim().toLowerCase();
    return PRODUCTION_WORDS.has(l) ? "production" : STAGING_WORDS.has(l) ? "staging" : undefined;
}

/** The words of a stack name: split on `-`, `_`, `.` and digits (`prod_eu2` → `prod`, `eu`). */
export function nameTokens(name: string): string[] {
    return name
        .toLowerCase()
        .split(/[-_.0-9]+/)
        .filter((t) => t !== "");
}
