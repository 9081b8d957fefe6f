/**
 * The agent registry: one YAML file in which a platform team declares its agents (id, human
 * owner, purpose, allowed environments, AWS and Cloudflare scopes, monthly budget). It is the one
 * source of truth for both the identities (`stacks/agents`) and the gate's `agents` config
 * (`agentguard config`).
 *
 * Parsing is pure and checks everything before any resource exists: every problem becomes one
 * {@link RegistryProblem} naming the agent and the field, and all of them are thrown together as a
 * {@link RegistryError}. Nothing here imports Pulumi.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { AWS_SERVICES, AWS_SERVICE_NAMES, BOUNDARY_DENIES, CLOUDFLARE_GROUPS, READ_ONLY_ACTION_PREFIXES, ScopeAccess } from "./catalogue";
import { didYouMean } from "../schema/check";
import { AwsAccountSpec, accountToRegistryEntry, checkAwsAccount, checkProductionAccount, sharedOwnAccounts } from "./own-account";

/** Stable codes of registry problems; tests and tools match on these, not on the wording. */
export type RegistryErrorCode =
    | "ERR_REGISTRY_SYNTAX"
    | "ERR_FIELD_REQUIRED"
    | "ERR_FIELD_INVALID"
    | "ERR_FIELD_UNKNOWN"
    | "ERR_UNKNOWN_SCOPE"
    | "ERR_BUDGET_NOT_POSITIVE"
    | "ERR_DUPLICATE_ID"
    | "ERR_WILDCARD"
    | "ERR_SENSITIVE_PERMISSION"
    | "ERR_SHARED_PRINCIPAL"
    | "ERR_PRODUCTION_SHARED_ACCOUNT"
    | "ERR_SHARED_ACCOUNT";

/** One thing wrong with the registry. */
export interface RegistryProblem {
    readonly code: RegistryErrorCode;
    /** The agent's id, or `#<n>` (1-based position) when it has no valid id; absent for registry-level fields. */
    readonly agent?: string;
    /** The field, as a path: `owner`, `aws.scopes[1].resources[0]`, `defaults.aws.regions`. */
    readonly field: string;
    /** One sentence: `agent "x": field "owner" is required`. */
    readonly message: string;
}

/** Thrown when the registry has problems; `message` lists each on its own line. */
export class RegistryError extends Error {
    override readonly name = "RegistryError";
    /** The code of the first problem. */
    readonly code: RegistryErrorCode;

    constructor(readonly problems: readonly RegistryProblem[]) {
        super(problems.length === 1 ? problems[0].message : `the agent registry has ${problems.length} problems:\n${problems.map((p) => `  - ${p.message}`).join("\n")}`);
        this.code = problems[0].code;
    }
}

/** An AWS scope: one service, read or write, on listed resources. */
export interface AwsScope {
    /** IAM service prefix, one of {@link AWS_SERVICE_NAMES}. */
    readonly service: string;
    readonly access: ScopeAccess;
    /** Resource ARNs the scope's actions are granted on; never `*`. */
    readonly resources: readonly string[];
    /** Explicit actions replacing the catalogue's list for this access level (`read` scopes: read-only actions only). */
    readonly actions?: readonly string[];
}

/**
 * Who may assume one of the agent's roles: principals that belong to this agent alone (the
 * registry rejects a principal shared by two agents, or by an agent's plan and apply roles).
 */
export type AgentTrust =
    | {
          readonly kind: "aws";
          /** IAM role or user ARNs (`arn:aws:iam::<account>:role/<name>`); never a whole account (`…:root`). */
          readonly principals: readonly string[];
      }
    | {
          readonly kind: "oidc";
          /** `arn:aws:iam::<account>:oidc-provider/<host>`. */
          readonly providerArn: string;
          /** The IdP host, the prefix of its condition keys (`token.actions.githubusercontent.com`). */
          readonly issuerHost: string;
          /** Exact `sub` values allowed. */
          readonly subjects: readonly string[];
          /** The `aud` value required (default `sts.amazonaws.com`). */
          readonly audience: string;
          /**
           * Whether the role also requires `sts:SourceIdentity` = the agent id, which the IdP must
           * put in the token's `https://aws.amazon.com/source_identity` claim (GitHub's tokens
           * do not; for `trust.github` the subject alone names the agent). Attribution, not authentication.
           */
          readonly sourceIdentity: boolean;
      };

/** The faster backstop beside the budget (AWS Budgets evaluates only a few times a day). */
export interface AwsBackstop {
    /**
     * A CloudWatch alarm on the account's `AWS/Billing` `EstimatedCharges` at this many USD
     * attaches the same deny-all policy as the budget action. Account-wide: meant for an agent
     * with its own account.
     */
    readonly estimatedChargesUsd: number;
}

/** The agent's AWS identity. */
export interface AwsAgentSpec {
    /** Who may assume the write role, the one the apply job uses. */
    readonly trust: AgentTrust;
    /** Who may assume the read-only role, the one the plan job uses; never the same principal as {@link trust}. */
    readonly planTrust: AgentTrust;
    /** Regions the agent may act in; the boundary denies all others (global services excepted). */
    readonly regions: readonly string[];
    readonly scopes: readonly AwsScope[];
    /** Services whose `permissions` scopes (resource policies, public access, credentials) the registry grants explicitly. */
    readonly grantSensitive: readonly string[];
    /** The faster spend backstop, when the registry asks for one. */
    readonly backstop?: AwsBackstop;
    /** The account the agent acts in (./own-account.ts); absent: the platform's, like `shared`. */
    readonly account?: AwsAccountSpec;
}

/** A Cloudflare scope: permission groups by name, on listed zones (zone groups) or the agent's account (account groups). */
export interface CloudflareScope {
    readonly permissions: readonly string[];
    /** Zone ids (32 hex digits); required when a permission is zone-level. */
    readonly zones: readonly string[];
}

/** The agent's Cloudflare token. */
export interface CloudflareAgentSpec {
    /** The account that owns the token (32 hex digits). */
    readonly accountId: string;
    readonly scopes: readonly CloudflareScope[];
    /** CIDRs the token may be used from; absent = anywhere. */
    readonly ipAllowlist?: readonly string[];
    /** Token lifetime when {@link expiresOn} is not given (2–365 days, default 90). */
    readonly tokenTtlDays: number;
    /** A fixed expiry (`YYYY-MM-DDTHH:MM:SSZ`), instead of the rolling {@link tokenTtlDays}. */
    readonly expiresOn?: string;
    /** Sensitive permission groups (billing, registrar, members, tokens, access, firewall, account settings) the registry grants explicitly. */
    readonly grantSensitive: readonly string[];
}

/** One agent, validated, with the registry's defaults applied. */
export interface AgentDefinition {
    /** Lower-case letters, digits and dashes; 2–40 characters. Also the role's required `sts:SourceIdentity`. */
    readonly id: string;
    /** The human sponsor's email; receives budget notifications. */
    readonly owner: string;
    readonly purpose: string;
    /** Environments the agent may deploy to (`dev`, `staging`, `prod`, …). */
    readonly environments: readonly string[];
    /** Monthly budget in USD, > 0. */
    readonly monthlyBudgetUsd: number;
    /** Extra provider packages the agent may use without approval (besides `aws`/`cloudflare` from its scopes). */
    readonly providers: readonly string[];
    /** Monthly caps in USD per provider package (the gate's `providerBudgetsUsd`); absent: none of its own. */
    readonly providerBudgetsUsd?: Readonly<Record<string, number>>;
    /** More addresses for budget notifications. */
    readonly notify: readonly string[];
    readonly aws?: AwsAgentSpec;
    readonly cloudflare?: CloudflareAgentSpec;
}

/** A validated registry. */
export interface Registry {
    readonly version: 1;
    readonly agents: readonly AgentDefinition[];
}

/** Options of {@link parseRegistry}. */
export interface RegistryOptions {
    /** The clock for checking a fixed token expiry; defaults to now. */
    readonly now?: Date;
}

/** The tag (and cost-allocation tag) that names an agent on everything it owns. */
export const AGENT_TAG = "agentguard:agent";
/** The default Cloudflare token lifetime in days. */
export const DEFAULT_TOKEN_TTL_DAYS = 90;

const ID = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
const EMAIL = /^[^@\s"]+@[^@\s"]+\.[^@\s"]+$/;
const ENVIRONMENT = /^[a-z][a-z0-9-]{0,31}$/;
const PROVIDER = /^[a-z][a-z0-9-]{0,63}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const HEX32 = /^[0-9a-f]{32}$/;
const PRINCIPAL = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;
const OIDC_PROVIDER = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/([A-Za-z0-9.-]+(\/[A-Za-z0-9._~/-]*)?)$/;
const ACTION = /^([a-z0-9-]+):([A-Za-z0-9*]+)$/;
const CIDR_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const CIDR_V6 = /^[0-9a-fA-F:]+\/(\d{1,3})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Collects problems for one agent (or the registry itself). */
class Checker {
    constructor(
        readonly problems: RegistryProblem[],
        readonly agent: string | undefined,
    ) {}

    problem(code: RegistryErrorCode, field: string, text: string): undefined {
        const who = this.agent === undefined ? "registry" : this.agent.startsWith("#") ? `agent ${this.agent}` : `agent "${this.agent}"`;
        this.problems.push({ code, agent: this.agent, field, message: `${who}: field "${field}" ${text}` });
        return undefined;
    }

    /** Reports keys of `obj` that are not in `known` (typos must not silently drop a limit). */
    known(obj: Raw, prefix: string, known: readonly string[]): void {
        for (const k of Object.keys(obj)) {
            if (!known.includes(k)) {
                const guess = didYouMean(k, known);
                this.problem("ERR_FIELD_UNKNOWN", join(prefix, k), `is not a registry field (${guess ? `did you mean "${guess}"?` : `expected one of ${known.map((x) => `"${x}"`).join(", ")}`})`);
            }
        }
    }

    string(obj: Raw, prefix: string, key: string, opts: { required: boolean; pattern?: RegExp; what?: string; max?: number }): string | undefined {
        const field = join(prefix, key);
        const v = obj[key];
        if (v === undefined || v === null || v === "") {
            return opts.required ? this.problem("ERR_FIELD_REQUIRED", field, "is required") : undefined;
        }
        if (typeof v !== "string") {
            return this.problem("ERR_FIELD_INVALID", field, `must be a string${opts.what ? ` (${opts.what})` : ""}`);
        }
        if (v.trim() === "*") {
            return this.problem("ERR_WILDCARD", field, `is the wildcard "*"; name ${opts.what ?? "a value"} instead`);
        }
        if ((opts.pattern && !opts.pattern.test(v)) || (opts.max !== undefined && v.length > opts.max)) {
            return this.problem("ERR_FIELD_INVALID", field, `is "${v}", which is not ${opts.what ?? "valid"}`);
        }
        return v;
    }

    /** A list of strings; a single string is accepted as a one-element list. Each element goes through `each`. */
    list(
        obj: Raw,
        prefix: string,
        key: string,
        opts: { required: boolean; nonEmpty?: boolean },
        each: (v: string, field: string) => string | undefined,
    ): string[] | undefined {
        const field = join(prefix, key);
        let v = obj[key];
        if (v === undefined || v === null) {
            return opts.required ? this.problem("ERR_FIELD_REQUIRED", field, "is required") : undefined;
        }
        if (typeof v === "string") {
            v = [v];
        }
        if (!Array.isArray(v)) {
            return this.problem("ERR_FIELD_INVALID", field, "must be a list");
        }
        if (v.length === 0 && opts.nonEmpty) {
            return this.problem("ERR_FIELD_REQUIRED", field, "must list at least one value");
        }
        const out: string[] = [];
        let ok = true;
        v.forEach((item, i) => {
            const f = `${field}[${i}]`;
            if (typeof item !== "string" || item === "") {
                this.problem("ERR_FIELD_INVALID", f, "must be a non-empty string");
                ok = false;
                return;
            }
            if (item.trim() === "*") {
                this.problem("ERR_WILDCARD", f, `is the wildcard "*"; list the values instead`);
                ok = false;
                return;
            }
            const r = each(item, f);
            if (r === undefined) {
                ok = false;
            } else if (!out.includes(r)) {
                out.push(r);
            }
        });
        return ok ? out : undefined;
    }

    matching(pattern: RegExp, what: string): (v: string, field: string) => string | undefined {
        return (v, field) => (pattern.test(v) ? v : this.problem("ERR_FIELD_INVALID", field, `is "${v}", which is not ${what}`));
    }

    object(obj: Raw, prefix: string, key: string): Raw | undefined {
        const v = obj[key];
        if (v === undefined || v === null) {
            return undefined;
        }
        if (!isObject(v)) {
            return this.problem("ERR_FIELD_INVALID", join(prefix, key), "must be a mapping");
        }
        return v;
    }
}

function join(prefix: string, key: string): string {
    return prefix ? `${prefix}.${key}` : key;
}

/** True when an ARN's resource part stands for every resource (rather than narrowing inside a named one). */
function wildcardArn(service: string, resource: string): boolean {
    if (resource === "" || resource.startsWith("*") || resource.startsWith("?")) {
        return true;
    }
    // `hostedzone/*`, `function:*`, `table/*`: every resource of a type. S3 is the exception: its
    // first component is the bucket's own name, so `acme-site/*` means the objects of one bucket.
    return service !== "s3" && /^[A-Za-z0-9-]+[/:][*?]/.test(resource);
}

function checkArn(c: Checker, service: string, arn: string, field: string): string | undefined {
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn" || !/^aws(-cn|-us-gov)?$/.test(parts[1])) {
        return c.problem("ERR_FIELD_INVALID", field, `is "${arn}", which is not a resource ARN (arn:aws:<service>:<region>:<account>:<resource>)`);
    }
    const arnService = parts[2];
    const resource = parts.slice(5).join(":");
    if (arnService.includes("*") || wildcardArn(service, resource)) {
        return c.problem("ERR_WILDCARD", field, `is "${arn}", a wildcard over every resource; list the resources themselves`);
    }
    if (arnService !== service) {
        return c.problem("ERR_FIELD_INVALID", field, `is an ARN of service "${arnService}", not of the scope's service "${service}"`);
    }
    return arn;
}

function globToRegExp(glob: string): RegExp {
    return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
}

/** Words in an action name that signal access control or credentials, for actions outside the catalogue. */
const SENSITIVE_WORDS = /(Policy|Permission|PublicAccess|Acl|Grant|Token|Credential|Share|Ownership)/;

/**
 * Why an explicitly listed action needs a `permissions` scope (undefined when it does not): it
 * matches one of the service's permission actions, a tag write AWS cannot condition, or — outside
 * the catalogue — has a name about policies, permissions, public access or credentials.
 */
export function sensitiveAction(service: string, action: string): string | undefined {
    const svc = AWS_SERVICES[service];
    const re = globToRegExp(action);
    const hit = [...(svc?.permissions ?? []), ...BOUNDARY_DENIES.DenyTagChangesAwsCannotCondition].find((p) => re.test(p));
    if (hit !== undefined) {
        return hit;
    }
    const inCatalogue = svc !== undefined && [...svc.read, ...svc.write, ...svc.accountLevel].some((a) => globToRegExp(a).test(action) || a === action);
    return !inCatalogue && SENSITIVE_WORDS.test(action.split(":")[1] ?? "") ? action : undefined;
}

function checkAwsScope(c: Checker, raw: unknown, field: string, grantSensitive: readonly string[]): AwsScope | undefined {
    if (!isObject(raw)) {
        return c.problem("ERR_FIELD_INVALID", field, "must be a mapping with service, access and resources");
    }
    c.known(raw, field, ["service", "access", "resources", "actions"]);
    const service = c.string(raw, field, "service", { required: true, what: "an AWS service" });
    let known = service !== undefined;
    if (service !== undefined && !Object.prototype.hasOwnProperty.call(AWS_SERVICES, service)) {
        c.problem("ERR_UNKNOWN_SCOPE", join(field, "service"), `names the unknown AWS service "${service}" (known: ${AWS_SERVICE_NAMES.join(", ")})`);
        known = false;
    }
    const access = c.string(raw, field, "access", { required: true, pattern: /^(read|write|permissions)$/, what: `"read", "write" or "permissions"` }) as ScopeAccess | undefined;
    if (access === "permissions" && service !== undefined && known && !grantSensitive.includes(service)) {
        c.problem(
            "ERR_SENSITIVE_PERMISSION",
            join(field, "access"),
            `is "permissions" on "${service}", which changes who else may reach its resources (resource policies, public access, credentials); grant it explicitly under "aws.grantSensitive"`,
        );
        known = false;
    }
    const resources = c.list(raw, field, "resources", { required: true, nonEmpty: true }, (v, f) => (service && known ? checkArn(c, service, v, f) : v));
    let actions: string[] | undefined;
    if (raw.actions !== undefined) {
        actions = c.list(raw, field, "actions", { required: false, nonEmpty: true }, (v, f) => {
            const m = ACTION.exec(v);
            if (!m) {
                return c.problem("ERR_FIELD_INVALID", f, `is "${v}", which is not an IAM action (<service>:<Action>)`);
            }
            if (m[2] === "*") {
                return c.problem("ERR_WILDCARD", f, `is "${v}", every action of the service; list the actions instead`);
            }
            if (service !== undefined && m[1] !== service) {
                return c.problem("ERR_UNKNOWN_SCOPE", f, `is an action of "${m[1]}", not of the scope's service "${service}"`);
            }
            if (access === "read" && !READ_ONLY_ACTION_PREFIXES.some((p) => m[2].startsWith(p))) {
                return c.problem("ERR_FIELD_INVALID", f, `is "${v}", which is not a read-only action, in a "read" scope`);
            }
            const sensitive = access !== "permissions" ? sensitiveAction(m[1], v) : undefined;
            if (sensitive !== undefined) {
                return c.problem("ERR_SENSITIVE_PERMISSION", f, `is "${v}", which grants "${sensitive}" (access control, public access or credentials); list it in a "permissions" scope granted under "aws.grantSensitive"`);
            }
            const svc = service !== undefined ? AWS_SERVICES[service] : undefined;
            const levelActions = svc && access !== "read" ? [...svc.read, ...svc.write, ...(access === "permissions" ? svc.permissions : [])] : undefined;
            if (levelActions && !levelActions.includes(v)) {
                // A write the catalogue does not know could create something the boundary's tag rules do not cover.
                return c.problem("ERR_UNKNOWN_SCOPE", f, `is "${v}", which is not a "${access}" action of "${service}" in the catalogue; a "${access}" scope may list only those (see docs/stack-module.md)`);
            }
            return v;
        });
        if (actions === undefined) {
            return undefined;
        }
    }
    if (service === undefined || !known || access === undefined || resources === undefined) {
        return undefined;
    }
    return { service, access, resources, ...(actions ? { actions } : {}) };
}

/** The plan and apply trust GitHub Actions gives: one subject per job, pinned to a workflow and environment. */
function checkGithubTrust(c: Checker, raw: Raw, field: string, agentId: string | undefined): { trust: AgentTrust; planTrust: AgentTrust } | undefined {
    c.known(raw, field, ["provider", "repository", "workflow", "ref", "environment", "planEnvironment", "audience"]);
    const providerArn = c.string(raw, field, "provider", { required: true, pattern: OIDC_PROVIDER, what: "an IAM OIDC provider ARN" });
    const repo = c.string(raw, field, "repository", { required: true, pattern: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, what: "a GitHub owner/repository" });
    const workflow = c.string(raw, field, "workflow", { required: true, pattern: /^\.github\/workflows\/[A-Za-z0-9_.\/-]+\.ya?ml$/, what: "a workflow file (.github/workflows/agentguard.yml)" });
    const ref = c.string(raw, field, "ref", { required: false, pattern: /^refs\/(heads|tags)\/[A-Za-z0-9_.\/-]+$/, what: "a pinned ref (refs/heads/main)" }) ?? "refs/heads/main";
    const env = /^[A-Za-z0-9_.-]{1,255}$/;
    const environment = c.string(raw, field, "environment", { required: false, pattern: env, what: "a GitHub environment name" }) ?? (agentId ? `agentguard-${agentId}` : undefined);
    const planEnvironment = c.string(raw, field, "planEnvironment", { required: false, pattern: env, what: "a GitHub environment name" }) ?? (agentId ? `agentguard-${agentId}-plan` : undefined);
    const audience = c.string(raw, field, "audience", { required: false, pattern: /^[^*?\s]+$/, what: "an audience without wildcards" }) ?? "sts.amazonaws.com";
    if (environment !== undefined && environment === planEnvironment) {
        return c.problem("ERR_SHARED_PRINCIPAL", join(field, "planEnvironment"), `is "${planEnvironment}", the apply job's environment; the plan job needs its own`);
    }
    if (!providerArn || !repo || !workflow || !environment || !planEnvironment) {
        return undefined;
    }
    const issuerHost = OIDC_PROVIDER.exec(providerArn)![2];
    // The repository's OIDC subject template must include job_workflow_ref (docs/stack-module.md):
    // AWS evaluates only `sub` and `aud` of GitHub's token, so the pin lives in the subject.
    const subject = (e: string) => `repo:${repo}:environment:${e}:job_workflow_ref:${repo}/${workflow}@${ref}`;
    const oidc = (e: string): AgentTrust => ({ kind: "oidc", providerArn, issuerHost, subjects: [subject(e)], audience, sourceIdentity: false });
    return { trust: oidc(environment), planTrust: oidc(planEnvironment) };
}

function checkTrust(c: Checker, raw: Raw, field: string): AgentTrust | undefined {
    c.known(raw, field, ["principal", "oidc"]);
    if ((raw.principal === undefined) === (raw.oidc === undefined)) {
        return c.problem("ERR_FIELD_INVALID", field, `must name exactly one of "principal" (IAM principal ARNs) or "oidc" (an OIDC provider and subject)`);
    }
    if (raw.principal !== undefined) {
        const principals = c.list(raw, field, "principal", { required: true, nonEmpty: true }, (v, f) =>
            /:root$/.test(v)
                ? c.problem("ERR_SHARED_PRINCIPAL", f, `is "${v}", a whole account, which every role and user in it could use; name a role of this agent's own`)
                : c.matching(PRINCIPAL, "an IAM role or user ARN")(v, f),
        );
        return principals ? { kind: "aws", principals } : undefined;
    }
    const oidc = c.object(raw, field, "oidc");
    if (!oidc) {
        return undefined;
    }
    const f = join(field, "oidc");
    c.known(oidc, f, ["provider", "subjects", "audience", "sourceIdentity"]);
    const providerArn = c.string(oidc, f, "provider", { required: true, pattern: OIDC_PROVIDER, what: "an IAM OIDC provider ARN" });
    const audience = c.string(oidc, f, "audience", { required: false, pattern: /^[^*?\s]+$/, what: "an audience without wildcards" }) ?? "sts.amazonaws.com";
    const noWildcard = (v: string, ff: string) => (/[*?]/.test(v) ? c.problem("ERR_WILDCARD", ff, `is "${v}"; subjects are matched exactly, so name each one`) : v);
    const subjects = c.list(oidc, f, "subjects", { required: true, nonEmpty: true }, noWildcard);
    let sourceIdentity = true;
    if (oidc.sourceIdentity !== undefined) {
        if (typeof oidc.sourceIdentity !== "boolean") {
            c.problem("ERR_FIELD_INVALID", join(f, "sourceIdentity"), "must be true or false");
        } else {
            sourceIdentity = oidc.sourceIdentity;
        }
    }
    if (!providerArn || !subjects) {
        return undefined;
    }
    const issuerHost = OIDC_PROVIDER.exec(providerArn)![2];
    return { kind: "oidc", providerArn, issuerHost, subjects, audience, sourceIdentity };
}

/** Replaces `{agent}` in every string of a (defaults) trust mapping with the agent's id. */
function forAgent(raw: unknown, id: string | undefined): unknown {
    if (typeof raw === "string") {
        return id === undefined ? raw : raw.split("{agent}").join(id);
    }
    if (Array.isArray(raw)) {
        return raw.map((x) => forAgent(x, id));
    }
    return isObject(raw) ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, forAgent(v, id)])) : raw;
}

/** The principals a trust admits, as comparable keys with a label for messages. */
export function trustPrincipals(trust: AgentTrust): { key: string; label: string }[] {
    return trust.kind === "aws"
        ? trust.principals.map((p) => ({ key: `aws|${p.toLowerCase()}`, label: p }))
        : trust.subjects.map((s) => ({ key: `oidc|${trust.providerArn.toLowerCase()}|${s}`, label: `${trust.issuerHost} subject ${s}` }));
}

function checkCidr(c: Checker, v: string, field: string): string | undefined {
    const v4 = CIDR_V4.exec(v);
    const v6 = CIDR_V6.exec(v);
    const ok = v4 ? v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32 : v6 ? v.includes(":") && Number(v6[1]) <= 128 : false;
    if (!ok) {
        return c.problem("ERR_FIELD_INVALID", field, `is "${v}", which is not a CIDR (203.0.113.0/24, 2001:db8::/32)`);
    }
    if ((v4 && Number(v4[5]) === 0) || (v6 && Number(v6[1]) === 0)) {
        return c.problem("ERR_WILDCARD", field, `is "${v}", every address; list the networks the agent runs from`);
    }
    return v;
}

function checkCloudflareScope(c: Checker, raw: unknown, field: string, sensitiveGrants: readonly string[]): CloudflareScope | undefined {
    if (!isObject(raw)) {
        return c.problem("ERR_FIELD_INVALID", field, "must be a mapping with permissions and zones");
    }
    c.known(raw, field, ["permissions", "zones"]);
    let needsZones = false;
    let accountLevel: string | undefined;
    const permissions = c.list(raw, field, "permissions", { required: true, nonEmpty: true }, (v, f) => {
        if (!Object.prototype.hasOwnProperty.call(CLOUDFLARE_GROUPS, v)) {
            return c.problem("ERR_UNKNOWN_SCOPE", f, `names the unknown Cloudflare permission group "${v}"`);
        }
        const group = CLOUDFLARE_GROUPS[v];
        if (group.kind === "user") {
            return c.problem("ERR_UNKNOWN_SCOPE", f, `names "${v}", a user-level permission group, which an account token cannot hold`);
        }
        if (group.sensitive && !sensitiveGrants.includes(v)) {
            return c.problem("ERR_SENSITIVE_PERMISSION", f, `names "${v}", a billing, registrar, member, token, access, firewall or account-settings permission; grant it explicitly under "cloudflare.grantSensitive"`);
        }
        if (group.kind === "zone") {
            needsZones = true;
        } else {
            accountLevel = v;
        }
        return v;
    });
    const zones = c.list(raw, field, "zones", { required: false, nonEmpty: true }, c.matching(HEX32, "a zone id (32 hex digits)"));
    if (permissions && needsZones && raw.zones === undefined) {
        return c.problem("ERR_FIELD_REQUIRED", join(field, "zones"), "is required: zone-level permissions are limited to listed zones");
    }
    if (permissions && zones && !needsZones) {
        return c.problem("ERR_FIELD_INVALID", join(field, "zones"), `is set, but "${accountLevel}" and the scope's other permissions are account-level`);
    }
    return permissions && (zones || !needsZones) ? { permissions, zones: zones ?? [] } : undefined;
}

function checkExpiry(c: Checker, v: unknown, field: string, now: Date): string | undefined {
    if (v instanceof Date) {
        v = v.toISOString().slice(0, 10);
    }
    if (typeof v !== "string" || !DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) {
        return c.problem("ERR_FIELD_INVALID", field, "must be a date (2026-06-30) or UTC time (2026-06-30T00:00:00Z)");
    }
    const iso = v.length === 10 ? `${v}T00:00:00Z` : v;
    const t = Date.parse(iso);
    if (t <= now.getTime()) {
        return c.problem("ERR_FIELD_INVALID", field, `is ${iso}, which is not in the future`);
    }
    if (t > now.getTime() + 366 * 86400_000) {
        return c.problem("ERR_FIELD_INVALID", field, `is ${iso}, more than a year away; tokens expire within a year`);
    }
    return iso;
}

function checkTtl(c: Checker, v: unknown, field: string): number | undefined {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 2 || v > 365) {
        return c.problem("ERR_FIELD_INVALID", field, "must be a whole number of days from 2 to 365");
    }
    return v;
}

interface Defaults {
    readonly aws: Raw;
    readonly cloudflare: Raw;
}

function checkAws(c: Checker, raw: Raw, defaults: Raw, agentId: string | undefined): AwsAgentSpec | undefined {
    c.known(raw, "aws", ["trust", "planTrust", "regions", "scopes", "grantSensitive", "backstop", "account"]);
    const account = checkAwsAccount((code, field, text) => c.problem(code, field, text), raw.account);
    const pick = (key: "trust" | "planTrust"): [unknown, string] => (raw[key] !== undefined ? [raw[key], `aws.${key}`] : [forAgent(defaults[key], agentId), `defaults.aws.${key}`]);
    const [trustRaw, trustField] = pick("trust");
    const [planRaw, planField] = pick("planTrust");
    let trust: AgentTrust | undefined;
    let planTrust: AgentTrust | undefined;
    if (trustRaw === undefined || trustRaw === null) {
        c.problem("ERR_FIELD_REQUIRED", "aws.trust", "is required (or set defaults.aws.trust): name who may assume the agent's role");
    } else if (!isObject(trustRaw)) {
        c.problem("ERR_FIELD_INVALID", trustField, "must be a mapping with principal, oidc or github");
    } else if (trustRaw.github !== undefined) {
        c.known(trustRaw, trustField, ["github"]);
        const gh = isObject(trustRaw.github) ? checkGithubTrust(c, trustRaw.github, join(trustField, "github"), agentId) : c.problem("ERR_FIELD_INVALID", join(trustField, "github"), "must be a mapping");
        if (gh && planRaw !== undefined && planRaw !== null) {
            c.problem("ERR_FIELD_INVALID", planField, `is set, but "${trustField}.github" already gives the plan job its own subject`);
        }
        trust = gh?.trust;
        planTrust = gh?.planTrust;
    } else {
        trust = checkTrust(c, trustRaw, trustField);
        if (planRaw === undefined || planRaw === null) {
            c.problem("ERR_FIELD_REQUIRED", "aws.planTrust", "is required (or use trust.github): the plan job's read-only role needs a principal of its own");
        } else if (!isObject(planRaw)) {
            c.problem("ERR_FIELD_INVALID", planField, "must be a mapping with principal or oidc");
        } else {
            planTrust = checkTrust(c, planRaw, planField);
        }
    }
    if (trust && planTrust) {
        const plan = new Set(trustPrincipals(planTrust).map((p) => p.key));
        const both = trustPrincipals(trust).find((p) => plan.has(p.key));
        if (both) {
            c.problem("ERR_SHARED_PRINCIPAL", planField, `names "${both.label}", which may also assume the agent's write role; the plan job needs a principal of its own`);
        }
    }
    const grantList = c.list(raw, "aws", "grantSensitive", { required: false }, (v, f) =>
        Object.prototype.hasOwnProperty.call(AWS_SERVICES, v) ? v : c.problem("ERR_UNKNOWN_SCOPE", f, `names the unknown AWS service "${v}" (known: ${AWS_SERVICE_NAMES.join(", ")})`),
    );
    const grantSensitive = raw.grantSensitive === undefined ? [] : grantList;
    let backstop: AwsBackstop | undefined;
    const backstopRaw = c.object(raw, "aws", "backstop");
    if (backstopRaw) {
        c.known(backstopRaw, "aws.backstop", ["estimatedChargesUsd"]);
        const usd = backstopRaw.estimatedChargesUsd;
        if (typeof usd !== "number" || !Number.isFinite(usd) || usd <= 0) {
            c.problem("ERR_FIELD_INVALID", "aws.backstop.estimatedChargesUsd", "must be a number of US dollars above 0");
        } else {
            backstop = { estimatedChargesUsd: usd };
        }
    }
    const regionSource = raw.regions !== undefined ? raw : defaults;
    const regions = c.list(regionSource, raw.regions !== undefined ? "aws" : "defaults.aws", "regions", { required: false, nonEmpty: true }, c.matching(REGION, "an AWS region (eu-west-1)"));
    if (regions === undefined && raw.regions === undefined && defaults.regions === undefined) {
        c.problem("ERR_FIELD_REQUIRED", "aws.regions", "is required (or set defaults.aws.regions): the boundary denies every other region");
    }
    if (!Array.isArray(raw.scopes) || raw.scopes.length === 0) {
        c.problem(raw.scopes === undefined ? "ERR_FIELD_REQUIRED" : "ERR_FIELD_INVALID", "aws.scopes", "must list at least one scope");
        return undefined;
    }
    const scopes = raw.scopes.map((s, i) => checkAwsScope(c, s, `aws.scopes[${i}]`, grantSensitive ?? []));
    if (!trust || !planTrust || !regions || !grantSensitive || (backstopRaw && !backstop) || (raw.account != null && !account) || scopes.some((s) => s === undefined)) {
        return undefined;
    }
    return { trust, planTrust, regions, scopes: scopes as AwsScope[], grantSensitive, ...(backstop ? { backstop } : {}), ...(account ? { account } : {}) };
}

function checkCloudflare(c: Checker, raw: Raw, defaults: Raw, now: Date): CloudflareAgentSpec | undefined {
    c.known(raw, "cloudflare", ["accountId", "scopes", "ipAllowlist", "tokenTtlDays", "expiresOn", "grantSensitive"]);
    const from = (key: string): [Raw, string] => (raw[key] !== undefined ? [raw, "cloudflare"] : [defaults, "defaults.cloudflare"]);
    const [accountSrc, accountPrefix] = from("accountId");
    const accountId = accountSrc.accountId === undefined ? c.problem("ERR_FIELD_REQUIRED", "cloudflare.accountId", "is required (or set defaults.cloudflare.accountId)") : c.string(accountSrc, accountPrefix, "accountId", { required: true, pattern: HEX32, what: "a Cloudflare account id (32 hex digits)" });
    const grantSensitive =
        c.list(raw, "cloudflare", "grantSensitive", { required: false }, (v, f) =>
            Object.prototype.hasOwnProperty.call(CLOUDFLARE_GROUPS, v) && CLOUDFLARE_GROUPS[v].sensitive ? v : c.problem("ERR_UNKNOWN_SCOPE", f, `names "${v}", which is not a sensitive Cloudflare permission group`),
        ) ?? [];
    const [ipSrc, ipPrefix] = from("ipAllowlist");
    const ipAllowlist = c.list(ipSrc, ipPrefix, "ipAllowlist", { required: false, nonEmpty: true }, (v, f) => checkCidr(c, v, f));
    const [ttlSrc, ttlPrefix] = from("tokenTtlDays");
    const tokenTtlDays = ttlSrc.tokenTtlDays === undefined ? DEFAULT_TOKEN_TTL_DAYS : checkTtl(c, ttlSrc.tokenTtlDays, join(ttlPrefix, "tokenTtlDays"));
    const expiresOn = raw.expiresOn === undefined ? undefined : checkExpiry(c, raw.expiresOn, "cloudflare.expiresOn", now);
    if (raw.expiresOn !== undefined && raw.tokenTtlDays !== undefined) {
        c.problem("ERR_FIELD_INVALID", "cloudflare.expiresOn", `and "cloudflare.tokenTtlDays" are both set; choose a fixed or a rolling expiry`);
    }
    if (!Array.isArray(raw.scopes) || raw.scopes.length === 0) {
        c.problem(raw.scopes === undefined ? "ERR_FIELD_REQUIRED" : "ERR_FIELD_INVALID", "cloudflare.scopes", "must list at least one scope");
        return undefined;
    }
    const scopes = raw.scopes.map((s, i) => checkCloudflareScope(c, s, `cloudflare.scopes[${i}]`, grantSensitive));
    if (!accountId || tokenTtlDays === undefined || (raw.ipAllowlist !== undefined && !ipAllowlist) || scopes.some((s) => s === undefined)) {
        return undefined;
    }
    return {
        accountId,
        scopes: scopes as CloudflareScope[],
        ...(ipAllowlist ? { ipAllowlist } : {}),
        tokenTtlDays,
        ...(expiresOn ? { expiresOn } : {}),
        grantSensitive,
    };
}

/** `providerBudgetsUsd`: a mapping of provider package → US dollars ≥ 0. */
function checkProviderBudgets(c: Checker, raw: unknown): Record<string, number> | undefined {
    if (raw === undefined || raw === null) {
        return undefined;
    }
    if (typeof raw !== "object" || Array.isArray(raw)) {
        return c.problem("ERR_FIELD_INVALID", "providerBudgetsUsd", "must map provider packages to US dollars (cloudflare: 50)");
    }
    const out: Record<string, number> = {};
    for (const [pkg, usd] of Object.entries(raw)) {
        if (!PROVIDER.test(pkg)) {
            c.problem("ERR_FIELD_INVALID", `providerBudgetsUsd.${pkg}`, "is not a provider package name (aws, cloudflare)");
        } else if (typeof usd !== "number" || !Number.isFinite(usd) || usd < 0) {
            c.problem("ERR_FIELD_INVALID", `providerBudgetsUsd.${pkg}`, "must be a number of US dollars ≥ 0");
        } else {
            out[pkg] = usd;
        }
    }
    return out;
}

function checkAgent(problems: RegistryProblem[], raw: unknown, index: number, defaults: Defaults, now: Date): AgentDefinition | undefined {
    const label = isObject(raw) && typeof raw.id === "string" && ID.test(raw.id) ? raw.id : `#${index + 1}`;
    const c = new Checker(problems, label);
    const before = problems.length;
    if (!isObject(raw)) {
        return c.problem("ERR_FIELD_INVALID", "agents", `entry #${index + 1} must be a mapping`);
    }
    c.known(raw, "", ["id", "owner", "purpose", "environments", "monthlyBudgetUsd", "providers", "providerBudgetsUsd", "notify", "aws", "cloudflare"]);
    const id = c.string(raw, "", "id", { required: true, pattern: ID, what: "an agent id (2–40 lower-case letters, digits and dashes, starting with a letter)" });
    const owner = c.string(raw, "", "owner", { required: true, pattern: EMAIL, what: "the owner's email address" });
    const purpose = c.string(raw, "", "purpose", { required: true, max: 256, what: "a purpose of at most 256 characters" });
    const environments = c.list(raw, "", "environments", { required: true, nonEmpty: true }, c.matching(ENVIRONMENT, "an environment name (dev, staging, prod)"));
    let budget: number | undefined;
    const b = raw.monthlyBudgetUsd;
    if (b === undefined || b === null) {
        c.problem("ERR_FIELD_REQUIRED", "monthlyBudgetUsd", "is required");
    } else if (typeof b !== "number" || !Number.isFinite(b)) {
        c.problem("ERR_FIELD_INVALID", "monthlyBudgetUsd", "must be a number of US dollars");
    } else if (b <= 0) {
        c.problem("ERR_BUDGET_NOT_POSITIVE", "monthlyBudgetUsd", `is ${b}; it must be more than 0`);
    } else {
        budget = b;
    }
    const providers = c.list(raw, "", "providers", { required: false }, c.matching(PROVIDER, "a provider package name (random, tls)")) ?? [];
    const notify = c.list(raw, "", "notify", { required: false }, c.matching(EMAIL, "an email address")) ?? [];
    const providerBudgetsUsd = checkProviderBudgets(c, raw.providerBudgetsUsd);
    const awsRaw = c.object(raw, "", "aws");
    const cfRaw = c.object(raw, "", "cloudflare");
    const aws = awsRaw ? checkAws(c, awsRaw, defaults.aws, id) : undefined;
    const cloudflare = cfRaw ? checkCloudflare(c, cfRaw, defaults.cloudflare, now) : undefined;
    checkProductionAccount((code, field, text) => c.problem(code, field, text), environments, awsRaw !== undefined, aws?.account, awsRaw?.account != null);
    if ((awsRaw && !aws) || (cfRaw && !cloudflare)) {
        if (problems.length === before) {
            c.problem("ERR_FIELD_INVALID", awsRaw && !aws ? "aws" : "cloudflare", "could not be read; the agent gets no identity rather than a partial one");
        }
    }
    if (problems.length > before || !id || !owner || !purpose || !environments || budget === undefined) {
        return undefined;
    }
    return {
        id,
        owner,
        purpose,
        environments,
        monthlyBudgetUsd: budget,
        providers,
        ...(providerBudgetsUsd ? { providerBudgetsUsd } : {}),
        notify,
        ...(aws ? { aws } : {}),
        ...(cloudflare ? { cloudflare } : {}),
    };
}

/**
 * Validates a parsed registry document. Throws a {@link RegistryError} listing every problem;
 * returns the agents with defaults applied.
 */
export function validateRegistry(raw: unknown, opts: RegistryOptions = {}): Registry {
    const now = opts.now ?? new Date();
    const problems: RegistryProblem[] = [];
    const c = new Checker(problems, undefined);
    if (!isObject(raw)) {
        c.problem("ERR_FIELD_INVALID", "agents", "must be present: the registry is a mapping with an \"agents\" list");
        throw new RegistryError(problems);
    }
    c.known(raw, "", ["version", "defaults", "agents"]);
    if (raw.version !== undefined && raw.version !== 1) {
        c.problem("ERR_FIELD_INVALID", "version", `is ${JSON.stringify(raw.version)}; this agentguard reads version 1`);
    }
    const defaultsRaw = c.object(raw, "", "defaults") ?? {};
    c.known(defaultsRaw, "defaults", ["aws", "cloudflare"]);
    const awsDefaults = c.object(defaultsRaw, "defaults", "aws") ?? {};
    const cfDefaults = c.object(defaultsRaw, "defaults", "cloudflare") ?? {};
    c.known(awsDefaults, "defaults.aws", ["trust", "planTrust", "regions"]);
    c.known(cfDefaults, "defaults.cloudflare", ["accountId", "ipAllowlist", "tokenTtlDays"]);
    if (!Array.isArray(raw.agents)) {
        c.problem(raw.agents === undefined ? "ERR_FIELD_REQUIRED" : "ERR_FIELD_INVALID", "agents", "must be a list of agents");
        throw new RegistryError(problems);
    }
    const defaults: Defaults = { aws: awsDefaults, cloudflare: cfDefaults };
    const agents = raw.agents.map((a, i) => checkAgent(problems, a, i, defaults, now));
    const seen = new Map<string, number>();
    raw.agents.forEach((a, i) => {
        if (isObject(a) && typeof a.id === "string" && a.id !== "") {
            const first = seen.get(a.id);
            if (first !== undefined) {
                new Checker(problems, a.id).problem("ERR_DUPLICATE_ID", "id", `is declared twice (agents #${first + 1} and #${i + 1}); agent ids are unique`);
            } else {
                seen.set(a.id, i);
            }
        }
    });
    sharedPrincipals(problems, agents);
    sharedOwnAccounts(
        agents.flatMap((a) => (a?.aws ? [{ id: a.id, account: a.aws.account }] : [])),
        (agent, field, text) => new Checker(problems, agent).problem("ERR_SHARED_ACCOUNT", field, text),
    );
    if (problems.length > 0) {
        throw new RegistryError(problems);
    }
    return { version: 1, agents: agents as AgentDefinition[] };
}

/**
 * One problem per principal that two agents' roles both trust, naming both agents: whoever holds
 * that principal could act as either (and pick the larger budget).
 */
function sharedPrincipals(problems: RegistryProblem[], agents: readonly (AgentDefinition | undefined)[]): void {
    const owner = new Map<string, string>();
    const reported = new Set<string>();
    for (const a of agents) {
        if (!a?.aws) {
            continue;
        }
        for (const [field, trust] of [["aws.trust", a.aws.trust], ["aws.planTrust", a.aws.planTrust]] as const) {
            for (const p of trustPrincipals(trust)) {
                const first = owner.get(p.key);
                if (first === undefined) {
                    owner.set(p.key, a.id);
                } else if (first !== a.id && !reported.has(`${p.key}|${a.id}`)) {
                    reported.add(`${p.key}|${a.id}`);
                    new Checker(problems, a.id).problem(
                        "ERR_SHARED_PRINCIPAL",
                        field,
                        `names "${p.label}", which agent "${first}" trusts too; agents "${first}" and "${a.id}" must not share a principal (each role is assumable only by its own)`,
                    );
                }
            }
        }
    }
}

/** Parses and validates registry YAML. Throws a {@link RegistryError}; `source` names the file in syntax errors. */
export function parseRegistry(text: string, opts: RegistryOptions & { readonly source?: string } = {}): Registry {
    let raw: unknown;
    try {
        raw = parse(text);
    } catch (e) {
        // yaml's first line ends in a colon that introduced the excerpt we leave out.
        const detail = e instanceof Error ? e.message.split("\n")[0].replace(/:\s*$/, "") : String(e);
        throw new RegistryError([{ code: "ERR_REGISTRY_SYNTAX", field: "", message: `registry${opts.source ? ` "${opts.source}"` : ""} is not valid YAML: ${detail}` }]);
    }
    return validateRegistry(raw, opts);
}

/** Why a file could not be read, in words. */
function unreadable(e: unknown): string {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a directory, not a file" : code === "EACCES" ? "is not readable by you" : `cannot be read (${code ?? String(e)})`;
}

/** Reads, parses and validates a registry file. */
export function readRegistryFile(file: string, opts: RegistryOptions = {}): Registry {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (e) {
        throw new RegistryError([
            { code: "ERR_REGISTRY_SYNTAX", field: "", message: `registry "${file}" ${unreadable(e)}` },
        ]);
    }
    return parseRegistry(text, { ...opts, source: file });
}

/** Checks one agent definition built in code (not from a registry file) the same way. */
export function validateAgent(agent: unknown, opts: RegistryOptions = {}): AgentDefinition {
    return validateRegistry({ version: 1, agents: [agent] }, opts).agents[0];
}

/** The registry form of an agent definition (the inverse of validation, defaults already applied). */
export function agentToRegistryEntry(agent: AgentDefinition): Record<string, unknown> {
    const out: Record<string, unknown> = {
        id: agent.id,
        owner: agent.owner,
        purpose: agent.purpose,
        environments: agent.environments,
        monthlyBudgetUsd: agent.monthlyBudgetUsd,
        providers: agent.providers,
        ...(agent.providerBudgetsUsd ? { providerBudgetsUsd: agent.providerBudgetsUsd } : {}),
        notify: agent.notify,
    };
    if (agent.aws) {
        const entry = (t: AgentTrust) =>
            t.kind === "aws" ? { principal: t.principals } : { oidc: { provider: t.providerArn, subjects: t.subjects, audience: t.audience, sourceIdentity: t.sourceIdentity } };
        out.aws = {
            trust: entry(agent.aws.trust),
            planTrust: entry(agent.aws.planTrust),
            regions: agent.aws.regions,
            scopes: agent.aws.scopes,
            grantSensitive: agent.aws.grantSensitive,
            ...(agent.aws.backstop ? { backstop: agent.aws.backstop } : {}),
            ...(agent.aws.account ? { account: accountToRegistryEntry(agent.aws.account) } : {}),
        };
    }
    if (agent.cloudflare) {
        const cf = agent.cloudflare;
        out.cloudflare = {
            accountId: cf.accountId,
            scopes: cf.scopes.map((s) => (s.zones.length > 0 ? s : { permissions: s.permissions })),
            ...(cf.ipAllowlist ? { ipAllowlist: cf.ipAllowlist } : {}),
            ...(cf.expiresOn ? { expiresOn: cf.expiresOn } : { tokenTtlDays: cf.tokenTtlDays }),
            grantSensitive: cf.grantSensitive,
        };
    }
    return out;
}

/**
 * Checks an agent definition built in code by the same rules as the registry (components call
 * this before creating anything). Throws a {@link RegistryError}; returns the definition.
 */
export function validateDefinition(agent: AgentDefinition, opts: RegistryOptions = {}): AgentDefinition {
    if (agent === null || typeof agent !== "object") {
        throw new RegistryError([{ code: "ERR_FIELD_REQUIRED", field: "agent", message: `registry: field "agent" is required` }]);
    }
    return validateAgent(agentToRegistryEntry(agent), opts);
}

/** The gate config entry (docs/contract.md §2 `agents[id]`) of each agent. */
export interface GateAgentEntry {
    readonly monthlyBudgetUsd: number;
    /** `aws` with AWS scopes, `cloudflare` with Cloudflare scopes, plus the registry's `providers`; sorted. */
    readonly providers: string[];
    readonly providerBudgetsUsd?: Record<string, number>;
}

/** The provider packages an agent may use without approval. */
export function agentProviderPackages(agent: AgentDefinition): string[] {
    const set = new Set(agent.providers);
    if (agent.aws) {
        set.add("aws");
    }
    if (agent.cloudflare) {
        set.add("cloudflare");
    }
    return [...set].sort();
}

/** The gate's `agents` config for a registry: one source of truth for budgets and providers. */
export function gateAgents(registry: Registry): Record<string, GateAgentEntry> {
    const out: Record<string, GateAgentEntry> = {};
    for (const a of registry.agents) {
        out[a.id] = { monthlyBudgetUsd: a.monthlyBudgetUsd, providers: agentProviderPackages(a), ...(a.providerBudgetsUsd ? { providerBudgetsUsd: { ...a.providerBudgetsUsd } } : {}) };
    }
    return out;
}
