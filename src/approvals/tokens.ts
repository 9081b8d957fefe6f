/**
 * Reads the tokens presented in stack config `agentguard:approvals`: a list (structured config,
 * which reaches the pack JSON-encoded) or one string of tokens separated by whitespace or commas.
 * Nothing in the value can throw: every oddity becomes a rejected entry with a reason.
 */
import { createHash } from "node:crypto";
import { ApprovalError } from "./errors";

/** The stack config key that holds approvals. */
export const APPROVALS_CONFIG_KEY = "agentguard:approvals";
/**
 * The environment variable that may hold approvals too, in the same forms: for `pulumi up --plan`,
 * where a Node.js dynamic provider's inputs are the whole stack config, so tokens added to stack
 * config after the plan was saved would make the engine refuse the plan (docs/plans.md). Tokens
 * authenticate themselves, so where they come from grants nothing.
 */
export const APPROVALS_ENV = "AGENTGUARD_APPROVALS";
/** At most this many tokens are considered. */
export const MAX_TOKENS = 16;
/** Tokens larger than this are rejected unread. */
export const MAX_TOKEN_BYTES = 8 * 1024;

/** One entry of the presented value: a token to verify, or a rejection already decided. */
export type PresentedToken =
    | { readonly index: number; readonly token: string }
    | { readonly index: number; readonly label: string; readonly error: ApprovalError };

/** A name for a token that reveals nothing of it: its position and a short hash. */
export function tokenLabel(index: number, token: string): string {
    return `#${index + 1} (sha256:${createHash("sha256").update(token).digest("hex").slice(0, 8)})`;
}

/** The pieces of one raw value: a JSON list, one JSON object, or tokens separated by whitespace or commas. */
function piecesOf(raw: string): unknown[] {
    const trimmed = raw.trim();
    if (trimmed.startsWith("[")) {
        try {
            const parsed: unknown = JSON.parse(trimmed);
            return Array.isArray(parsed) ? parsed : [parsed];
        } catch {
            return trimmed.split(/[\s,]+/);
        }
    }
    return trimmed.startsWith("{") ? [trimmed] : trimmed.split(/[\s,]+/);
}

/**
 * Splits the raw values (stack config, then the environment) into presented tokens, numbered
 * across all of them: at most MAX_TOKENS in all. `undefined` means none were presented there.
 */
export function readPresentedTokens(...raws: (string | undefined)[]): PresentedToken[] {
    const pieces = raws.flatMap((raw) => (raw === undefined ? [] : piecesOf(raw)));
    const out: PresentedToken[] = [];
    let index = 0;
    for (const p of pieces) {
        const i = index++;
        if (typeof p !== "string") {
            out.push({ index: i, label: `#${i + 1}`, error: new ApprovalError("ERR_APPROVAL_MALFORMED", "a list entry is not a string") });
            continue;
        }
        const token = p.trim();
        if (token === "") {
            index--;
            continue;
        }
        if (i >= MAX_TOKENS) {
            out.push({ index: i, label: tokenLabel(i, token), error: new ApprovalError("ERR_APPROVAL_TOO_MANY") });
        } else if (Buffer.byteLength(token, "utf8") > MAX_TOKEN_BYTES) {
            out.push({ index: i, label: tokenLabel(i, token), error: new ApprovalError("ERR_APPROVAL_TOO_LARGE") });
        } else {
            out.push({ index: i, token });
        }
    }
    return out;
}
