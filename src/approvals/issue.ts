/**
 * Issues approval tokens: what `agentguard approve` signs.
 */
import { createHash, randomBytes } from "node:crypto";
import { CryptoKey, SignJWT } from "jose";
import { StackRef, stackSubject } from "../facts/facts";
import { ApproverKeyFile } from "./keys";
import { ApprovalScope, parseScope } from "./scope";
import { APPROVAL_ALG, APPROVAL_AUD, APPROVAL_TYP, DIGEST } from "./verify";

/** What to sign. */
export interface IssueRequest {
    readonly keyFile: ApproverKeyFile;
    readonly key: CryptoKey | Uint8Array;
    readonly stack: StackRef | string;
    readonly agent: string;
    readonly scope: ApprovalScope;
    readonly ttlSeconds: number;
    /** Seconds since the epoch; defaults to the clock. */
    readonly now?: number;
    readonly jti?: string;
    /** Binds the approval to a saved plan: `sha256:<hex>` of its bytes (see {@link fileDigest}). */
    readonly plan?: string;
    /** Binds the approval to the destroy of a state export: `sha256:<hex>` of its bytes. */
    readonly destroy?: string;
}

/** `sha256:<hex>` of exact bytes: what the `plan` and `destroy` claims hold. */
export function fileDigest(bytes: Uint8Array): string {
    return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Signs one approval and returns the compact token. */
export async function issueApproval(req: IssueRequest): Promise<string> {
    const now = req.now ?? Math.floor(Date.now() / 1000);
    const scope = parseScope(JSON.parse(JSON.stringify(req.scope)));
    const sub = typeof req.stack === "string" ? req.stack : stackSubject(req.stack);
    if (req.plan !== undefined && req.destroy !== undefined) {
        throw new Error("an approval is bound to a plan or to a destroy, not both");
    }
    for (const d of [req.plan, req.destroy]) {
        if (d !== undefined && !DIGEST.test(d)) {
            throw new Error('a plan or destroy binding is "sha256:<64 hex digits>"');
        }
    }
    const binding = { ...(req.plan !== undefined ? { plan: req.plan } : {}), ...(req.destroy !== undefined ? { destroy: req.destroy } : {}) };
    return new SignJWT({ agent: req.agent, scope: scope as Record<string, unknown>, ...binding })
        .setProtectedHeader({ alg: APPROVAL_ALG, typ: APPROVAL_TYP, kid: req.keyFile.kid })
        .setIssuer(req.keyFile.id)
        .setAudience(APPROVAL_AUD)
        .setSubject(sub)
        .setIssuedAt(now)
        .setExpirationTime(now + req.ttlSeconds)
        .setJti(req.jti ?? randomBytes(12).toString("base64url"))
        .sign(req.key);
}
