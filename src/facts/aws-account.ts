/**
 * The AWS account a resource lives in, as far as its provider's inputs say: `allowedAccountIds`
 * (the provider refuses to work in any other account) and the ARNs of the roles it assumes
 * (`assumeRole`, `assumeRoles`, `assumeRoleWithWebIdentity`). Without either, the account comes
 * from ambient credentials that neither the pack nor `plan check` can see; and an input that can
 * redirect or skip the provider's own account check (a custom STS endpoint, a proxy) makes the
 * named account a claim, not a fact.
 * @internal
 */
import { ProviderFacts, Value, isUnknown, packageOfType } from "./facts";
import { asList, asObject, asString, asStringList, field } from "./values";

const ARN = /^arn:(aws(?:-[a-z]+)*):[^:]*:[^:]*:(\d{12}):./;

/** Account id of an ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`), when it names one. */
export function arnAccount(v: Value | undefined): string | undefined {
    return typeof v === "string" ? ARN.exec(v)?.[2] : undefined;
}

/** True when both ARNs name an account and it is the same one, in the same partition. */
export function sameAccount(a: Value | undefined, b: Value | undefined): boolean {
    const x = typeof a === "string" ? ARN.exec(a) : null;
    const y = typeof b === "string" ? ARN.exec(b) : null;
    return x !== null && y !== null && x[1] === y[1] && x[2] === y[2];
}

/** One thing an AWS provider's inputs say about its account. */
export type AccountClue =
    /** An entry of `allowedAccountIds`. */
    | { readonly kind: "allowed"; readonly account: string }
    /** A role the provider assumes, in `account`. */
    | { readonly kind: "role"; readonly arn: string; readonly account: string }
    /** An input that would name the account but cannot be read: `why` completes "the provider …". */
    | { readonly kind: "unreadable"; readonly why: string };

/**
 * Inputs that redirect or skip the provider's own account check: `allowedAccountIds` is enforced
 * with the account STS (or, for instance credentials, the metadata service) reports, which a
 * custom endpoint, a proxy, a CA bundle, a metadata endpoint or a config file the program wrote
 * (a profile, shared config files: `endpoint_url`, `credential_process`) can make lie; the skip
 * switches leave it out.
 */
const CHECK_BYPASSES: readonly string[] = [
    "endpoints",
    "httpProxy",
    "httpsProxy",
    "customCaBundle",
    "ec2MetadataServiceEndpoint",
    "profile",
    "sharedConfigFiles",
    "sharedCredentialsFiles",
    "skipCredentialsValidation",
    "skipRequestingAccountId",
];

/** Whether a provider input is set: anything but absent, null, false, "", "false" or an empty list or object. */
function isOn(v: Value | undefined): boolean {
    if (isUnknown(v)) {
        return true;
    }
    const d = typeof v === "string" ? v.trim() : v;
    if (d === undefined || d === null || d === false || d === "" || d === "false" || d === "[]" || d === "{}") {
        return false;
    }
    return !(Array.isArray(d) && d.length === 0) && !(typeof d === "object" && !Array.isArray(d) && Object.keys(d).length === 0);
}

/** What `provider`'s inputs say about its AWS account; empty when they name none. */
export function accountClues(provider: ProviderFacts): AccountClue[] {
    const clues: AccountClue[] = [];
    for (const key of CHECK_BYPASSES) {
        if (isOn(field(provider.props, key))) {
            clues.push({ kind: "unreadable", why: `sets ${key}, which can redirect or skip its own account check` });
        }
    }
    const allowed = asStringList(field(provider.props, "allowedAccountIds"));
    if (isUnknown(allowed)) {
        clues.push({ kind: "unreadable", why: "has allowedAccountIds unknown at preview" });
    } else {
        clues.push(...(allowed ?? []).map((account) => ({ kind: "allowed" as const, account })));
    }
    const roles: Value[] = [];
    for (const key of ["assumeRole", "assumeRoleWithWebIdentity"]) {
        const one = asObject(field(provider.props, key));
        if (isUnknown(one)) {
            clues.push({ kind: "unreadable", why: `has ${key} unknown at preview` });
        } else if (one) {
            roles.push(one);
        }
    }
    const many = asList(field(provider.props, "assumeRoles"));
    if (isUnknown(many)) {
        clues.push({ kind: "unreadable", why: "has assumeRoles unknown at preview" });
    } else {
        roles.push(...(many ?? []));
    }
    for (const r of roles) {
        const role = asObject(r);
        const arn = isUnknown(role) ? role : asString(field(role, "roleArn"));
        const account = typeof arn === "string" ? arnAccount(arn) : undefined;
        if (isUnknown(arn)) {
            clues.push({ kind: "unreadable", why: "assumes a role whose ARN is unknown at preview" });
        } else if (arn === undefined || account === undefined) {
            // An empty or unparsable role means no role is assumed: the account is the ambient one.
            clues.push({ kind: "unreadable", why: "has a role entry without a role ARN that names an account" });
        } else {
            clues.push({ kind: "role", arn, account });
        }
    }
    return clues;
}

/**
 * The one AWS account `provider` works in, when its inputs pin it: every clue readable and all
 * naming the same account. Undefined otherwise — no clue (ambient credentials), an unreadable
 * one, or several accounts (a role chain across accounts, a list of allowed accounts).
 */
export function homeAccount(provider: ProviderFacts | undefined): string | undefined {
    if (provider === undefined || packageOfType(provider.type) !== "aws") {
        return undefined;
    }
    const clues = accountClues(provider);
    const accounts = new Set(clues.map((c) => (c.kind === "unreadable" ? undefined : c.account)));
    return accounts.size === 1 && !accounts.has(undefined) ? [...accounts][0] : undefined;
}
