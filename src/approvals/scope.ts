/**
 * The `scope` claim: what an approval grants. Parsed strictly: a field of the wrong type makes
 * the whole token invalid rather than silently granting less or more.
 */
import { ApprovalError } from "./errors";

/** What an approval grants (contract §5). Absent fields grant nothing. */
export interface ApprovalScope {
    readonly environments?: readonly string[];
    readonly providers?: readonly string[];
    readonly maxMonthlyUsd?: number;
    readonly access?: boolean;
    readonly purchases?: boolean;
    readonly maxResources?: number;
    /** When present, resource-level items are covered only for these URNs. */
    readonly resources?: readonly string[];
    /** Covers deletes and replaces, in a token bound to the plan (or destroyed state) that holds them. */
    readonly destructive?: boolean;
}

const ENVIRONMENTS = new Set(["production", "staging"]);

function stringList(v: unknown, key: string): readonly string[] | undefined {
    if (v === undefined) {
        return undefined;
    }
    if (!Array.isArray(v) || v.length > 1000 || !v.every((s) => typeof s === "string" && s.length > 0 && s.length <= 2048)) {
        throw new ApprovalError("ERR_APPROVAL_BAD_SCOPE", `"${key}" must be a list of non-empty strings`);
    }
    return v;
}

function nonNegative(v: unknown, key: string, integer: boolean): number | undefined {
    if (v === undefined) {
        return undefined;
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
        throw new ApprovalError("ERR_APPROVAL_BAD_SCOPE", `"${key}" must be ${integer ? "an integer" : "a number"} ≥ 0`);
    }
    return v;
}

function bool(v: unknown, key: string): boolean | undefined {
    if (v === undefined) {
        return undefined;
    }
    if (typeof v !== "boolean") {
        throw new ApprovalError("ERR_APPROVAL_BAD_SCOPE", `"${key}" must be true or false`);
    }
    return v;
}

const KNOWN = new Set(["environments", "providers", "maxMonthlyUsd", "access", "purchases", "maxResources", "resources", "destructive"]);

/** Parses a `scope` claim, throwing ERR_APPROVAL_BAD_SCOPE on anything malformed or unknown. */
export function parseScope(v: unknown): ApprovalScope {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
        throw new ApprovalError("ERR_APPROVAL_MISSING_CLAIM", '"scope" must be an object');
    }
    const raw = v as Record<string, unknown>;
    for (const k of Object.keys(raw)) {
        if (!KNOWN.has(k)) {
            throw new ApprovalError("ERR_APPROVAL_BAD_SCOPE", `unknown scope field "${k}"`);
        }
    }
    const environments = stringList(raw.environments, "environments");
    if (environments && !environments.every((e) => ENVIRONMENTS.has(e))) {
        throw new ApprovalError("ERR_APPROVAL_BAD_SCOPE", '"environments" may hold only "production" and "staging"');
    }
    return {
        environments,
        providers: stringList(raw.providers, "providers"),
        maxMonthlyUsd: nonNegative(raw.maxMonthlyUsd, "maxMonthlyUsd", false),
        access: bool(raw.access, "access"),
        purchases: bool(raw.purchases, "purchases"),
        maxResources: nonNegative(raw.maxResources, "maxResources", true),
        resources: stringList(raw.resources, "resources"),
        ...(raw.destructive !== undefined ? { destructive: bool(raw.destructive, "destructive") } : {}),
    };
}
