/**
 * Why an approval token was rejected. Codes are stable: tests, logs and tooling match on the
 * code, never on the wording.
 */

/** Every rejection reason, one code each. */
export type ApprovalErrorCode =
    | "ERR_APPROVAL_MALFORMED"
    | "ERR_APPROVAL_TOO_MANY"
    | "ERR_APPROVAL_TOO_LARGE"
    | "ERR_APPROVAL_ALG_NOT_ALLOWED"
    | "ERR_APPROVAL_WRONG_TYP"
    | "ERR_APPROVAL_UNKNOWN_KID"
    | "ERR_APPROVAL_BAD_SIGNATURE"
    | "ERR_APPROVAL_ISSUER_MISMATCH"
    | "ERR_APPROVAL_WRONG_AUDIENCE"
    | "ERR_APPROVAL_WRONG_STACK"
    | "ERR_APPROVAL_WRONG_AGENT"
    | "ERR_APPROVAL_MISSING_CLAIM"
    | "ERR_APPROVAL_BAD_SCOPE"
    | "ERR_APPROVAL_EXPIRED"
    | "ERR_APPROVAL_NOT_YET_VALID"
    | "ERR_APPROVAL_ISSUED_IN_FUTURE"
    | "ERR_APPROVAL_LIFETIME_TOO_LONG"
    | "ERR_APPROVAL_SELF_APPROVAL"
    | "ERR_APPROVAL_DUPLICATE"
    | "ERR_APPROVAL_REVOKED"
    | "ERR_APPROVAL_APPROVER_REVOKED"
    | "ERR_APPROVAL_OWNER"
    | "ERR_APPROVAL_WRONG_PLAN"
    | "ERR_APPROVAL_WRONG_DESTROY";

/** Short human reasons, used in denials: `token "a1b2" from "bob" rejected: expired`. */
export const APPROVAL_ERROR_TEXT: Record<ApprovalErrorCode, string> = {
    ERR_APPROVAL_MALFORMED: "not a well-formed approval token",
    ERR_APPROVAL_TOO_MANY: "more than 16 tokens presented; only the first 16 are considered",
    ERR_APPROVAL_TOO_LARGE: "larger than 8 KiB",
    ERR_APPROVAL_ALG_NOT_ALLOWED: "algorithm not allowed (only EdDSA)",
    ERR_APPROVAL_WRONG_TYP: 'wrong typ (expected "agentguard-approval+jwt")',
    ERR_APPROVAL_UNKNOWN_KID: "signed with a key id no configured approver has",
    ERR_APPROVAL_BAD_SIGNATURE: "signature does not verify",
    ERR_APPROVAL_ISSUER_MISMATCH: "iss is not the approver who owns the key",
    ERR_APPROVAL_WRONG_AUDIENCE: 'aud is not "agentguard"',
    ERR_APPROVAL_WRONG_STACK: "issued for another stack",
    ERR_APPROVAL_WRONG_AGENT: "issued for another agent",
    ERR_APPROVAL_MISSING_CLAIM: "a required claim is missing or has the wrong type",
    ERR_APPROVAL_BAD_SCOPE: "scope is malformed",
    ERR_APPROVAL_EXPIRED: "expired",
    ERR_APPROVAL_NOT_YET_VALID: "not yet valid (nbf in the future)",
    ERR_APPROVAL_ISSUED_IN_FUTURE: "issued in the future (iat after now)",
    ERR_APPROVAL_LIFETIME_TOO_LONG: "lifetime (exp − iat) longer than maxApprovalTtlSeconds",
    ERR_APPROVAL_SELF_APPROVAL: "the agent cannot approve its own run",
    ERR_APPROVAL_DUPLICATE: "the same approval (jti) was presented twice",
    ERR_APPROVAL_REVOKED: "revoked (its jti is in revoked.jtis)",
    ERR_APPROVAL_APPROVER_REVOKED: "revoked (issued before its approver's time in revoked.approvers)",
    ERR_APPROVAL_OWNER: "an owner of the agent (agents[id].owners) never counts as its approver",
    ERR_APPROVAL_WRONG_PLAN: "bound to a saved plan this run does not check or apply",
    ERR_APPROVAL_WRONG_DESTROY: "bound to a destroy of a state export; it counts only in `agentguard plan check --destroy` of that export",
};

/** A rejection: the code plus optional detail (never token material). */
export class ApprovalError extends Error {
    override readonly name = "ApprovalError";
    constructor(
        readonly code: ApprovalErrorCode,
        readonly detail?: string,
    ) {
        super(detail ? `${APPROVAL_ERROR_TEXT[code]}: ${detail}` : APPROVAL_ERROR_TEXT[code]);
    }
}
