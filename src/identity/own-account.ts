/**
 * The registry's `aws.account`: the AWS account an agent acts in. An account of the agent's own
 * is the strongest spend cap — its budget covers everything the account costs, with no tag
 * filter to escape — and the default for production agents: the registry rejects an agent that
 * deploys to production without one, unless it says `shared: true` (the cap then counts only
 * what carries the agent's tag, docs/stack-module.md).
 *
 * ```yaml
 * aws:
 *   account: { id: "210987654321" }                          # an existing member account
 *   account:                                                  # or one the stack creates
 *     create: { email: deploy-bot@aws.example.com, name: agentguard-deploy-bot, parentId: ou-ab12-cd34ef56 }
 *   account: { shared: true }                                 # the platform's account, tag-filtered cap
 * ```
 *
 * Kept apart from the validator in ./registry.ts on purpose: it only needs a way to report a
 * problem. Nothing here imports Pulumi.
 */
import { levelOfLabel, nameTokens } from "../facts/environments";

/** The role in the agent's account that the platform's credentials assume (AWS Organizations creates it in new accounts). */
export const DEFAULT_ACCOUNT_ACCESS_ROLE = "OrganizationAccountAccessRole";

/** Where an agent's AWS identity, budget and backstop live. */
export type AwsAccountSpec =
    | {
          /** An existing account of the organization, the agent's alone. */
          readonly kind: "existing";
          readonly id: string;
          /** The role the platform assumes in it to create the agent's identity. */
          readonly accessRole: string;
      }
    | {
          /** A new member account the stack creates with `aws.organizations.Account`. */
          readonly kind: "create";
          readonly email: string;
          readonly name: string;
          /** The organization root (`r-…`) or OU (`ou-…`) it goes under. */
          readonly parentId: string;
          /** The role Organizations creates in it for the management account, which the platform assumes. */
          readonly accessRole: string;
      }
    | {
          /** The platform's own account, shared with other agents: the budget filters cost by the agent's tag. */
          readonly kind: "shared";
      };

/** Reports a problem on a field of the agent; returns undefined. */
export type ReportProblem = (code: "ERR_FIELD_INVALID" | "ERR_FIELD_REQUIRED" | "ERR_FIELD_UNKNOWN" | "ERR_PRODUCTION_SHARED_ACCOUNT" | "ERR_SHARED_ACCOUNT", field: string, text: string) => undefined;

const ACCOUNT_ID = /^\d{12}$/;
const EMAIL = /^[^@\s"]+@[^@\s"]+\.[^@\s"]+$/;
const PARENT = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_NAME = /^[\x20-\x7e]{1,50}$/;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function unknownKeys(report: ReportProblem, obj: Record<string, unknown>, field: string, known: readonly string[]): boolean {
    let ok = true;
    for (const k of Object.keys(obj)) {
        if (!known.includes(k)) {
            report("ERR_FIELD_UNKNOWN", `${field}.${k}`, `is not a registry field (expected one of ${known.map((x) => `"${x}"`).join(", ")})`);
            ok = false;
        }
    }
    return ok;
}

function text(report: ReportProblem, obj: Record<string, unknown>, field: string, key: string, pattern: RegExp, what: string): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null || v === "") {
        return report("ERR_FIELD_REQUIRED", `${field}.${key}`, `is required (${what})`);
    }
    // YAML reads an unquoted 12-digit account id as a number.
    const s = typeof v === "number" && Number.isInteger(v) ? String(v).padStart(12, "0") : v;
    if (typeof s !== "string" || !pattern.test(s)) {
        return report("ERR_FIELD_INVALID", `${field}.${key}`, `is ${JSON.stringify(v)}, which is not ${what}`);
    }
    return s;
}

/** Validates `aws.account`; undefined (with a problem reported) when it is wrong, or when absent. */
export function checkAwsAccount(report: ReportProblem, raw: unknown): AwsAccountSpec | undefined {
    const field = "aws.account";
    if (raw === undefined || raw === null) {
        return undefined;
    }
    if (!isObject(raw)) {
        return report("ERR_FIELD_INVALID", field, `must be a mapping: { id: <account id> }, { create: { email, name, parentId } } or { shared: true }`);
    }
    const kinds = ["id", "create", "shared"].filter((k) => raw[k] !== undefined);
    if (kinds.length !== 1) {
        return report("ERR_FIELD_INVALID", field, `must name exactly one of "id" (an existing account), "create" (a new member account) or "shared" (the platform's account)`);
    }
    if (raw.shared !== undefined) {
        if (!unknownKeys(report, raw, field, ["shared"])) {
            return undefined;
        }
        return raw.shared === true ? { kind: "shared" } : report("ERR_FIELD_INVALID", `${field}.shared`, "must be true (or give the agent its own account with id or create)");
    }
    if (!unknownKeys(report, raw, field, ["id", "create", "accessRole"])) {
        return undefined;
    }
    const accessRole = raw.accessRole === undefined ? DEFAULT_ACCOUNT_ACCESS_ROLE : text(report, raw, field, "accessRole", ROLE_NAME, "an IAM role name");
    if (raw.id !== undefined) {
        const id = text(report, raw, field, "id", ACCOUNT_ID, "an AWS account id (12 digits)");
        return id && accessRole ? { kind: "existing", id, accessRole } : undefined;
    }
    const create = raw.create;
    const cf = `${field}.create`;
    if (!isObject(create)) {
        return report("ERR_FIELD_INVALID", cf, "must be a mapping with email, name and parentId");
    }
    if (!unknownKeys(report, create, cf, ["email", "name", "parentId"])) {
        return undefined;
    }
    const email = text(report, create, cf, "email", EMAIL, "the new account's root email address");
    const name = text(report, create, cf, "name", ACCOUNT_NAME, "an account name of 1–50 printable characters");
    const parentId = text(report, create, cf, "parentId", PARENT, "an organization root (r-…) or OU (ou-…-…) id");
    return email && name && parentId && accessRole ? { kind: "create", email, name, parentId, accessRole } : undefined;
}

/** The environments of a registry entry that are production (`prod`, `production`, `prd`, `live`, or a name with such a token). */
export function productionEnvironments(environments: readonly string[]): string[] {
    return environments.filter((e) => levelOfLabel(e) === "production" || nameTokens(e).some((t) => levelOfLabel(t) === "production"));
}

/**
 * A production agent with AWS scopes needs an account of its own, or an explicit `shared: true`:
 * in a shared account its cap counts only what carries its tag, and whatever escapes the tag (a
 * service outside the tag rules, spend billed to untaggable usage) never reaches its budget.
 */
export function checkProductionAccount(report: ReportProblem, environments: readonly string[] | undefined, hasAws: boolean, account: AwsAccountSpec | undefined, accountGiven: boolean): void {
    const prod = productionEnvironments(environments ?? []);
    if (!hasAws || prod.length === 0 || account !== undefined || accountGiven) {
        return;
    }
    report(
        "ERR_PRODUCTION_SHARED_ACCOUNT",
        "aws.account",
        `is required for an agent that deploys to production (${prod.map((e) => `"${e}"`).join(", ")}): give it an AWS account of its own ({ id: <account id> } or { create: { email, name, parentId } }), whose budget covers the whole account, or set { shared: true } to accept a cap that counts only what carries its tag`,
    );
}

/** The account id an agent's identity lives in, when it names an existing one (a created one is known only after `pulumi up`). */
export function ownAccountId(account: AwsAccountSpec | undefined): string | undefined {
    return account?.kind === "existing" ? account.id : undefined;
}

/**
 * One problem per own account two agents name (by id, or by the email of one to create): a
 * budget covers the whole account, so two agents in it would share one cap.
 */
export function sharedOwnAccounts(agents: readonly { readonly id: string; readonly account?: AwsAccountSpec }[], report: (agent: string, field: string, text: string) => void): void {
    const owner = new Map<string, string>();
    for (const a of agents) {
        const acc = a.account;
        const key = acc?.kind === "existing" ? `id|${acc.id}` : acc?.kind === "create" ? `email|${acc.email.toLowerCase()}` : undefined;
        if (key === undefined) {
            continue;
        }
        const first = owner.get(key);
        if (first === undefined) {
            owner.set(key, a.id);
        } else if (first !== a.id) {
            const label = acc?.kind === "existing" ? `account "${acc.id}"` : `the account of "${(acc as { email: string }).email}"`;
            report(a.id, acc?.kind === "existing" ? "aws.account.id" : "aws.account.create.email", `names ${label}, which agent "${first}" has as its own; agents "${first}" and "${a.id}" must not share an account (its budget covers everything in it)`);
        }
    }
}

/** The registry form of `aws.account`. */
export function accountToRegistryEntry(account: AwsAccountSpec): Record<string, unknown> {
    switch (account.kind) {
        case "shared":
            return { shared: true };
        case "existing":
            return { id: account.id, accessRole: account.accessRole };
        case "create":
            return { create: { email: account.email, name: account.name, parentId: account.parentId }, accessRole: account.accessRole };
    }
}
