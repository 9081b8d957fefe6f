/**
 * Verifies approval tokens (docs/contract.md §5) with jose: the header allowlist first (alg, typ, kid),
 * then the signature with the key of the approver that owns `kid`, then every claim. Tokens are
 * verified once per run, never per resource.
 */
import type { CryptoKey } from "jose";
import { ApproverConfig, GateConfig } from "../gate/config";
import { StackRef, stackSubject } from "../facts/facts";
import { GateId } from "../gate/items";
import { ApprovalError, ApprovalErrorCode } from "./errors";
import { approverGates, checkNotOwner, checkRevoked, samePerson } from "./roles";
import { ApprovalScope, parseScope } from "./scope";
import { PresentedToken, tokenLabel } from "./tokens";

/** The only algorithm, token type and audience accepted. */
export const APPROVAL_ALG = "EdDSA";
export const APPROVAL_TYP = "agentguard-approval+jwt";
export const APPROVAL_AUD = "agentguard";

/** Everything a token is checked against. */
export interface VerifyContext {
    readonly config: GateConfig;
    readonly stack: StackRef;
    /** The initiating agent's id. */
    readonly agent: string;
    /** Seconds since the epoch. */
    readonly now: number;
}

/** A token that passed every check. */
export interface ValidApproval {
    readonly jti: string;
    readonly iss: string;
    readonly exp: number;
    readonly scope: ApprovalScope;
    /** The gates its approver may approve (`approvers[].gates`); absent means every gate. */
    readonly gates?: readonly GateId[];
    /** `sha256:<hex>` of the saved plan this approval is bound to (docs/plans.md). */
    readonly plan?: string;
    /** `sha256:<hex>` of the state export of the destroy this approval is bound to. */
    readonly destroy?: string;
}

/** The form of the `plan` and `destroy` claims: a SHA-256 digest of a file's exact bytes. */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Reads an optional digest claim; anything else but a digest makes the token invalid. */
function digestClaim(payload: Record<string, unknown>, name: "plan" | "destroy"): { plan?: string } & { destroy?: string } {
    const v = payload[name];
    if (v === undefined) {
        return {};
    }
    if (typeof v !== "string" || !DIGEST.test(v)) {
        throw new ApprovalError("ERR_APPROVAL_MISSING_CLAIM", `"${name}" must be "sha256:<64 hex digits>"`);
    }
    return { [name]: v };
}

/** What the decision log and denials say of each presented token. No token material. */
export interface ApprovalReport {
    /** The token's jti when it could be read safely, else a label like `#2 (sha256:1a2b3c4d)`. */
    readonly jti: string;
    readonly iss?: string;
    readonly valid: boolean;
    readonly code?: ApprovalErrorCode;
    readonly reason?: string;
}

/**
 * The outcome of verifying everything presented in one run. The valid reports and `valid` are in
 * the same order, one for one: a report names its token by a label when the jti is not plain, so
 * the order, not the name, pairs them ({@link approvalOfReport}).
 */
export interface ApprovalSet {
    readonly valid: readonly ValidApproval[];
    readonly reports: readonly ApprovalReport[];
}

/** The valid approval each valid report stands for. */
export function approvalOfReport(set: ApprovalSet): Map<ApprovalReport, ValidApproval> {
    const out = new Map<ApprovalReport, ValidApproval>();
    let next = 0;
    for (const r of set.reports) {
        const v = r.valid ? set.valid[next++] : undefined;
        if (v !== undefined) {
            out.set(r, v);
        }
    }
    return out;
}

const SAFE_TEXT = /^[A-Za-z0-9._:@+\-/]{1,64}$/;

/** Shows untrusted text (a jti or iss read from an unverified token) only if it is short and plain. */
function safe(v: unknown): string | undefined {
    return typeof v === "string" && SAFE_TEXT.test(v) ? v : undefined;
}

/**
 * jose, loaded on first use: a run that presents no token (every human's run, most agents')
 * never pays for loading it on the pack's start-up path.
 */
function jose(): Promise<typeof import("jose")> {
    return import("jose");
}

const keyCache = new Map<string, Promise<CryptoKey | Uint8Array>>();

function keyOf(a: ApproverConfig): Promise<CryptoKey | Uint8Array> {
    const cacheKey = a.publicKeyJwk.x;
    let k = keyCache.get(cacheKey);
    if (!k) {
        k = jose().then((j) => j.importJWK({ kty: "OKP", crv: "Ed25519", x: a.publicKeyJwk.x }, APPROVAL_ALG));
        keyCache.set(cacheKey, k);
        k.catch(() => keyCache.delete(cacheKey));
    }
    return k;
}

function claim<T>(payload: Record<string, unknown>, name: string, check: (v: unknown) => v is T): T {
    const v = payload[name];
    if (!check(v)) {
        throw new ApprovalError("ERR_APPROVAL_MISSING_CLAIM", `"${name}"`);
    }
    return v;
}
const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Verifies one token; throws {@link ApprovalError} with the reason it is rejected. */
export async function verifyApproval(token: string, ctx: VerifyContext): Promise<ValidApproval> {
    const { compactVerify, decodeProtectedHeader } = await jose();
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
        if (token.split(".").length !== 3) {
            throw new Error("not three parts");
        }
        header = decodeProtectedHeader(token);
    } catch {
        throw new ApprovalError("ERR_APPROVAL_MALFORMED", "a token is three base64url parts joined by dots; was it split by a line break or truncated?");
    }
    if (header.alg !== APPROVAL_ALG) {
        throw new ApprovalError("ERR_APPROVAL_ALG_NOT_ALLOWED", safe(header.alg) ? `"${header.alg}"` : undefined);
    }
    if (header.typ !== APPROVAL_TYP) {
        throw new ApprovalError("ERR_APPROVAL_WRONG_TYP");
    }
    const approver = typeof header.kid === "string" ? ctx.config.approvers.find((a) => (a.kid ?? a.id) === header.kid) : undefined;
    if (!approver) {
        throw new ApprovalError("ERR_APPROVAL_UNKNOWN_KID", safe(header.kid) ? `"${header.kid}"` : undefined);
    }
    let payloadBytes: Uint8Array;
    try {
        ({ payload: payloadBytes } = await compactVerify(token, await keyOf(approver), { algorithms: [APPROVAL_ALG] }));
    } catch {
        throw new ApprovalError("ERR_APPROVAL_BAD_SIGNATURE", `for key "${approver.kid ?? approver.id}"`);
    }
    let payload: Record<string, unknown>;
    try {
        const parsed: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payloadBytes));
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
            throw new Error("payload is not an object");
        }
        payload = parsed as Record<string, unknown>;
    } catch {
        throw new ApprovalError("ERR_APPROVAL_MALFORMED", "the signed payload is not a JSON object");
    }

    const iss = claim(payload, "iss", isString);
    const aud = payload.aud;
    if (aud === undefined) {
        throw new ApprovalError("ERR_APPROVAL_MISSING_CLAIM", '"aud"');
    }
    const sub = claim(payload, "sub", isString);
    const agent = claim(payload, "agent", isString);
    const iat = claim(payload, "iat", isTime);
    const exp = claim(payload, "exp", isTime);
    const jti = claim(payload, "jti", isString);
    if (payload.scope === undefined) {
        throw new ApprovalError("ERR_APPROVAL_MISSING_CLAIM", '"scope"');
    }
    if (payload.nbf !== undefined && !isTime(payload.nbf)) {
        throw new ApprovalError("ERR_APPROVAL_MISSING_CLAIM", '"nbf" must be a number');
    }

    if (iss !== approver.id) {
        throw new ApprovalError("ERR_APPROVAL_ISSUER_MISMATCH", `key "${approver.kid ?? approver.id}" belongs to "${approver.id}"`);
    }
    if (aud !== APPROVAL_AUD && !(Array.isArray(aud) && aud.length === 1 && aud[0] === APPROVAL_AUD)) {
        throw new ApprovalError("ERR_APPROVAL_WRONG_AUDIENCE");
    }
    checkRevoked(ctx.config, { iss, jti, iat });
    if (samePerson(ctx.agent, iss)) {
        throw new ApprovalError("ERR_APPROVAL_SELF_APPROVAL", `"${iss}" is the agent running`);
    }
    checkNotOwner(ctx.config, ctx.agent, iss);
    const subject = stackSubject(ctx.stack);
    if (sub !== subject) {
        throw new ApprovalError("ERR_APPROVAL_WRONG_STACK", `${safe(sub) ? `it names "${sub}"` : "it names another stack"}, this run is "${subject}"`);
    }
    if (agent !== ctx.agent) {
        throw new ApprovalError("ERR_APPROVAL_WRONG_AGENT", `${safe(agent) ? `it names "${agent}"` : "it names another agent"}, this run is "${ctx.agent}"`);
    }
    const skew = ctx.config.clockSkewSeconds;
    if (iat > ctx.now + skew) {
        throw new ApprovalError("ERR_APPROVAL_ISSUED_IN_FUTURE");
    }
    if (payload.nbf !== undefined && (payload.nbf as number) > ctx.now + skew) {
        throw new ApprovalError("ERR_APPROVAL_NOT_YET_VALID");
    }
    if (exp <= ctx.now - skew) {
        throw new ApprovalError("ERR_APPROVAL_EXPIRED", `at ${new Date(exp * 1000).toISOString()}`);
    }
    if (exp - iat > ctx.config.maxApprovalTtlSeconds) {
        throw new ApprovalError("ERR_APPROVAL_LIFETIME_TOO_LONG", `${exp - iat}s > ${ctx.config.maxApprovalTtlSeconds}s`);
    }
    const scope = parseScope(payload.scope);
    const plan = digestClaim(payload, "plan");
    const destroy = digestClaim(payload, "destroy");
    if (plan.plan !== undefined && destroy.destroy !== undefined) {
        throw new ApprovalError("ERR_APPROVAL_MISSING_CLAIM", 'a token is bound to a plan or to a destroy, not both');
    }
    return { jti, iss, exp, scope, ...plan, ...destroy, ...(approver.gates ? { gates: approverGates(approver) } : {}) };
}

/** Rejections decided before (or at) the signature check: the token's claims are not authentic. */
const UNVERIFIED: ReadonlySet<ApprovalErrorCode> = new Set<ApprovalErrorCode>([
    "ERR_APPROVAL_MALFORMED",
    "ERR_APPROVAL_ALG_NOT_ALLOWED",
    "ERR_APPROVAL_WRONG_TYP",
    "ERR_APPROVAL_UNKNOWN_KID",
    "ERR_APPROVAL_BAD_SIGNATURE",
]);

/** Reads iss and jti of a token whose signature verified, for naming it in a report. */
function peek(token: string): { jti?: string; iss?: string } {
    try {
        const body = token.split(".")[1] ?? "";
        const parsed: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
        if (parsed && typeof parsed === "object") {
            const p = parsed as Record<string, unknown>;
            return { jti: safe(p.jti), iss: safe(p.iss) };
        }
    } catch {
        // Unreadable: named by its label instead.
    }
    return {};
}

/** Verifies every presented token once. Never throws. */
export async function verifyApprovals(presented: readonly PresentedToken[], ctx: VerifyContext): Promise<ApprovalSet> {
    const valid: ValidApproval[] = [];
    const reports: ApprovalReport[] = [];
    const seen = new Set<string>();
    for (const p of presented) {
        if ("error" in p) {
            reports.push({ jti: p.label, valid: false, code: p.error.code, reason: p.error.message });
            continue;
        }
        const label = tokenLabel(p.index, p.token);
        try {
            const v = await verifyApproval(p.token, ctx);
            const key = `${v.iss}\u0000${v.jti}`;
            if (seen.has(key)) {
                throw new ApprovalError("ERR_APPROVAL_DUPLICATE");
            }
            seen.add(key);
            valid.push(v);
            reports.push({ jti: safe(v.jti) ?? label, iss: v.iss, valid: true });
        } catch (e) {
            const err = e instanceof ApprovalError ? e : new ApprovalError("ERR_APPROVAL_MALFORMED");
            // Claims are named only once the signature has verified them; before that they are
            // whatever the presenter wrote, so the token is named by its hash label alone.
            const { jti, iss } = UNVERIFIED.has(err.code) ? {} : peek(p.token);
            reports.push({ jti: jti ?? label, iss, valid: false, code: err.code, reason: err.message });
        }
    }
    return { valid, reports };
}
