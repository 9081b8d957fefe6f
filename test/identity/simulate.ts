/**
 * Asks a real IAM policy simulator — `@cloud-copilot/iam-simulate`, which carries AWS's action,
 * resource-type and condition-key data — whether the generated documents allow a request, instead
 * of only comparing their text.
 *
 * The simulator validates each request: an unknown action, a resource of the wrong type or a
 * context key the action does not take is an error here (a test would otherwise pass because
 * the simulator dropped the very key under test). Trust in a custom OIDC issuer goes through a
 * renaming of the issuer's host, see {@link mayAssumeWithWebIdentity}.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { PolicyDocument } from "../../src/identity/documents";

/** The account of every test request. */
export const ACCOUNT_ID = "123456789012";

/** What IAM decides. */
export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** A request by a session of an agent role, under its policies and boundary. */
export interface AgentRequest {
    readonly action: string;
    readonly resource: string;
    /** Context keys besides `aws:RequestedRegion` (default us-east-1). */
    readonly context?: Record<string, string | string[]>;
    readonly region?: string;
    /** The account that owns the resource, when its ARN names none (an S3 bucket); default {@link ACCOUNT_ID}. */
    readonly resourceAccount?: string;
}

function accountOf(resource: string): string {
    const account = resource.split(":")[4];
    return account && /^\d{12}$/.test(account) ? account : ACCOUNT_ID;
}

/**
 * Whether a session of a role holding `identity` policies within `boundary` may make `req`. The
 * caller is an assumed-role session in {@link ACCOUNT_ID}, the resource in the same account.
 */
export async function decide(identity: readonly PolicyDocument[], boundary: PolicyDocument | undefined, req: AgentRequest): Promise<Decision> {
    const owner = req.resourceAccount ?? accountOf(req.resource);
    const result = await runSimulation(
        {
            request: {
                principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/agentguard-agent/session`,
                action: req.action,
                resource: { resource: req.resource, accountId: owner },
                // S3 puts the bucket owner's account in every request's context; the simulator does not.
                contextVariables: { "aws:RequestedRegion": req.region ?? "us-east-1", ...(req.action.startsWith("s3:") ? { "s3:ResourceAccount": owner } : {}), ...(req.context ?? {}) },
            },
            identityPolicies: identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
            permissionBoundaryPolicies: boundary ? [{ name: "boundary", policy: boundary }] : undefined,
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(`the simulator refused ${req.action} on ${req.resource}: ${JSON.stringify(result.errors)}`);
    }
    const ignored = result.resultType === "single" ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
    if (ignored.length > 0) {
        throw new Error(`the simulator ignored context keys ${ignored.join(", ")} for ${req.action}; the test would not test them`);
    }
    return result.overallResult;
}

/** Shorthand: true when {@link decide} says Allowed. */
export async function allows(identity: readonly PolicyDocument[], boundary: PolicyDocument | undefined, req: AgentRequest): Promise<boolean> {
    return (await decide(identity, boundary, req)) === "Allowed";
}

/** An identity policy that allows everything: what an attacker's own principal may hold. */
export const ADMIN: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/**
 * Whether `principal` (an IAM role or user ARN, holding {@link ADMIN}) may assume `roleArn`, whose
 * trust policy is `trust`, with the given source identity.
 */
export async function mayAssume(trust: PolicyDocument, roleArn: string, principal: string, sourceIdentity?: string): Promise<boolean> {
    const result = await runSimulation(
        {
            request: {
                principal,
                action: "sts:AssumeRole",
                resource: { resource: roleArn, accountId: accountOf(roleArn) },
                contextVariables: sourceIdentity === undefined ? {} : { "sts:SourceIdentity": sourceIdentity },
            },
            identityPolicies: [{ name: "admin", policy: ADMIN }],
            resourcePolicy: trust,
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(`the simulator refused sts:AssumeRole on ${roleArn}: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult === "Allowed";
}

/**
 * Whether a web-identity token of the OIDC provider `providerArn` with these claims may assume
 * `roleArn` under `trust`. The simulator validates condition keys only of issuers it knows, so the
 * issuer's host is renamed to one it knows (`accounts.google.com`) in the trust policy, the
 * provider and the claims alike: a consistent renaming of the keys' prefix, which leaves what
 * `StringEquals` on `sub` and `aud` decides unchanged, and lets the simulator check every key.
 */
export async function mayAssumeWithWebIdentity(trust: PolicyDocument, roleArn: string, providerArn: string, claims: Record<string, string>): Promise<boolean> {
    const host = providerArn.split(":oidc-provider/")[1];
    const known = "accounts.google.com";
    const rename = (s: string) => s.split(`${host}:`).join(`${known}:`).split(`:oidc-provider/${host}`).join(`:oidc-provider/${known}`);
    const renamedClaims = Object.fromEntries(Object.entries(claims).map(([k, v]) => [rename(k), v]));
    const result = await runSimulation(
        {
            request: {
                principal: rename(providerArn),
                action: "sts:AssumeRoleWithWebIdentity",
                resource: { resource: roleArn, accountId: accountOf(roleArn) },
                contextVariables: renamedClaims,
            },
            identityPolicies: [],
            resourcePolicy: JSON.parse(rename(JSON.stringify(trust))),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(`the simulator refused sts:AssumeRoleWithWebIdentity on ${roleArn}: ${JSON.stringify(result.errors)}`);
    }
    const ignored = result.resultType === "single" ? (result.result.ignoredContextKeys ?? []) : [];
    if (ignored.length > 0) {
        throw new Error(`the simulator ignored context keys ${ignored.join(", ")}; the test would not test them`);
    }
    return result.overallResult === "Allowed";
}
