/**
 * Issues approval tokens: what `agentguard approve` signs.
 */
import { randomBytes } from "node:crypto";
import { CryptoKey, SignJWT } from "jose";
import { StackRef, stackSubject } from "../gate/facts";
import { ApproverKeyFile } from "./keys";
import { ApprovalScope, parseScope } from "./scope";
import { APPROVAL_ALG, APPROVAL_AUD, APPROVAL_TYP } from "./verify";

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
}

/** Signs one approval and returns the compact token. */
export async function issueApproval(req: IssueRequest): Promise<string> {
    const now = req.now ?? Math.floor(Date.now() / 1000);
    const scope = parseScope(JSON.parse(JSON.stringify(req.scope)));
    const sub = typeof req.stack === "string" ? req.stack : stackSubject(req.stack);
    return new SignJWT({ agent: req.agent, scope: scope as Record<string, unknown> })
        .setProtectedHeader({ alg: APPROVAL_ALG, typ: APPROVAL_TYP, kid: req.keyFile.kid })
        .setIssuer(req.keyFile.id)
        .setAudience(APPROVAL_AUD)
        .setSubject(sub)
        .setIssuedAt(now)
        .setExpirationTime(now + req.ttlSeconds)
        .setJti(req.jti ?? randomBytes(12).toString("base64url"))
        .sign(req.key);
}
