/**
 * The `scope` claim: what an approval grants. Checked against a closed schema (ajv): a field of the
 * wrong type or an unknown field makes the whole token invalid rather than silently granting less
 * or more.
 */
import { Schema, problemText, schemaProblem } from "../schema/check";
import { ApprovalError } from "./errors";

/** What an approval grants (docs/contract.md §5). Absent fields grant nothing. */
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

const list = { type: "array", maxItems: 1000, items: { type: "string", minLength: 1, maxLength: 2048 }, "x-message": "must be a list of non-empty strings" };

/** JSON schema of {@link ApprovalScope}: closed, so an unknown field makes the token invalid. */
export const approvalScopeSchema: Schema = {
    type: "object",
    additionalProperties: false,
    properties: {
        environments: { ...list, items: { type: "string", enum: ["production", "staging"] }, "x-message": 'may hold only "production" and "staging"' },
        providers: list,
        maxMonthlyUsd: { type: "number", minimum: 0, "x-message": "must be a number ≥ 0" },
        access: { type: "boolean", "x-message": "must be true or false" },
        purchases: { type: "boolean", "x-message": "must be true or false" },
        maxResources: { type: "integer", minimum: 0, "x-message": "must be an integer ≥ 0" },
        resources: list,
        destructive: { type: "boolean", "x-message": "must be true or false" },
    },
};

/** Parses a `scope` claim, throwing ERR_APPROVAL_BAD_SCOPE on anything malformed or unknown. */
export function parseScope(v: unknown): ApprovalScope {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
        throw new ApprovalError("ERR_APPROVAL_MISSING_CLAIM", '"scope" must be an object');
    }
    const problem = schemaProblem(approvalScopeSchema, v);
    if (problem) {
        throw new ApprovalError("ERR_APPROVAL_BAD_SCOPE", problem.path === "" ? `scope ${problem.message}` : `scope field ${problemText(problem, "")}`);
    }
    const raw = v as ApprovalScope;
    return {
        environments: raw.environments,
        providers: raw.providers,
        maxMonthlyUsd: raw.maxMonthlyUsd,
        access: raw.access,
        purchases: raw.purchases,
        maxResources: raw.maxResources,
        resources: raw.resources,
        ...(raw.destructive !== undefined ? { destructive: raw.destructive } : {}),
    };
}
