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
import { AWS_REGION } from "../facts/region";
import { AWS_SERVICES, AWS_SERVICE_NAMES, BOUNDARY_DENIES, CLOUDFLARE_GROUPS, READ_ONLY_ACTION_PREFIXES, ScopeAccess } from "./catalogue";
import type { ErrorObject } from "ajv";
import { Schema, didYouMean, schemaErrors } from "../schema/check";
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
const OIDC_PROVIDER = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/([A-Za-z0-9.-]+(\/[A-Za-z0-9._~/-]*)?)$/;
const ACTION = /^([a-z0-9-]+):([A-Za-z0-9*]+)$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// The declared schema: every field's type, form and allowed values, strict (unknown keys are
// refused). ajv checks it (src/schema/check.ts); each node says which code its failures carry.
// Annotations: `x-what` names a valid value ("an AWS region (eu-west-1)"), `x-code` the code of a
// value that breaks the node's rules (default ERR_FIELD_INVALID), `x-message` their wording
// (`{value}` is the value), `x-type` the wording of a wrong type, `x-wildcard` that of a wildcard.
// ---------------------------------------------------------------------------------------------

const WILDCARD = "^\\s*\\*\\s*$";

/** A non-empty string, never the wildcard `*`, of the form `pattern` when given. */
function text(what: string, pattern?: RegExp, extra: Schema = {}): Schema {
    return { type: "string", minLength: 1, not: { pattern: WILDCARD }, "x-what": what, ...(pattern ? { pattern: pattern.source } : {}), ...extra };
}

/** A list (a single value is read as a one-element list), not empty when `nonEmpty`. */
function list(item: Schema, nonEmpty = false, extra: Schema = {}): Schema {
    return { type: "array", items: item, ...(nonEmpty ? { minItems: 1 } : {}), ...extra };
}

/** A closed mapping. */
function mapping(properties: Record<string, Schema>, extra: Schema = {}): Schema {
    return { type: "object", additionalProperties: false, properties, "x-type": "must be a mapping", ...extra };
}

const PRINCIPALS = list(text("an IAM role or user ARN", /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/), true);
const OIDC_ARN = text("an IAM OIDC provider ARN", OIDC_PROVIDER);
const AUDIENCE = text("an audience without wildcards", /^[^*?\s]+$/);
const GITHUB_ENVIRONMENT = text("a GitHub environment name", /^[A-Za-z0-9_.-]{1,255}$/);
const OIDC_TRUST = mapping(
    {
        provider: OIDC_ARN,
        subjects: list(text("an OIDC subject", undefined, { not: { pattern: "[*?]" }, "x-wildcard": 'is "{value}"; subjects are matched exactly, so name each one' }), true),
        audience: AUDIENCE,
        sourceIdentity: { type: "boolean", "x-type": "must be true or false" },
    },
    { required: ["provider", "subjects"] },
);
const GITHUB_TRUST = mapping(
    {
        provider: OIDC_ARN,
        repository: text("a GitHub owner/repository", /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/),
        workflow: text("a workflow file (.github/workflows/agentguard.yml)", /^\.github\/workflows\/[A-Za-z0-9_./-]+\.ya?ml$/),
        ref: text("a pinned ref (refs/heads/main)", /^refs\/(heads|tags)\/[A-Za-z0-9_./-]+$/),
        environment: GITHUB_ENVIRONMENT,
        planEnvironment: GITHUB_ENVIRONMENT,
        audience: AUDIENCE,
    },
    { required: ["provider", "repository", "workflow"] },
);
/** Who may assume the write role; exactly one of the three (checked by hand). */
const TRUST = mapping({ principal: PRINCIPALS, oidc: OIDC_TRUST, github: GITHUB_TRUST }, { "x-type": "must be a mapping with principal, oidc or github" });
/** Who may assume the read-only role. */
const PLAN_TRUST = mapping({ principal: PRINCIPALS, oidc: OIDC_TRUST }, { "x-type": "must be a mapping with principal or oidc" });
const REGIONS = list(text("an AWS region (eu-west-1)", AWS_REGION), true);
const HEX32 = /^[0-9a-f]{32}$/;
const ACCOUNT_ID = text("a Cloudflare account id (32 hex digits)", HEX32);
const IP_ALLOWLIST = list(
    text("a CIDR (203.0.113.0/24, 2001:db8::/32)", /^(((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)|[0-9a-fA-F:]*:[0-9a-fA-F:]*\/(12[0-8]|1[01]\d|\d?\d))$/, {
        not: { pattern: "(^\\s*\\*\\s*$)|/0+$" },
        "x-wildcard": 'is "{value}", every address; list the networks the agent runs from',
    }),
    true,
);
const TOKEN_TTL_DAYS = { type: "integer", minimum: 2, maximum: 365, "x-type": "must be a whole number of days from 2 to 365", "x-message": "must be a whole number of days from 2 to 365" };
const AWS_SERVICE = text("an AWS service", undefined, {
    enum: AWS_SERVICE_NAMES,
    "x-code": "ERR_UNKNOWN_SCOPE",
    "x-message": `names the unknown AWS service "{value}" (known: ${AWS_SERVICE_NAMES.join(", ")})`,
});
const CLOUDFLARE_GROUP_NAMES = Object.keys(CLOUDFLARE_GROUPS).sort();

const AWS_SCOPE = mapping(
    {
        service: AWS_SERVICE,
        access: text(`"read", "write" or "permissions"`, undefined, { enum: ["read", "write", "permissions"] }),
        resources: list(text("a resource ARN", /^arn:aws(-cn|-us-gov)?:[^:]*:[^:]*:[^:]*:/, { "x-message": 'is "{value}", which is not a resource ARN (arn:aws:<service>:<region>:<account>:<resource>)' }), true),
        actions: list(
            text("an IAM action (<service>:<Action>)", ACTION, {
                not: { pattern: "^(\\s*\\*\\s*|[^:]*:\\*)$" },
                "x-wildcard": 'is "{value}", every action of the service; list the actions instead',
            }),
            true,
        ),
    },
    { required: ["service", "access", "resources"], "x-type": "must be a mapping with service, access and resources" },
);

const CLOUDFLARE_SCOPE = mapping(
    {
        permissions: list(
            text("a Cloudflare permission group", undefined, { enum: CLOUDFLARE_GROUP_NAMES, "x-code": "ERR_UNKNOWN_SCOPE", "x-message": 'names the unknown Cloudflare permission group "{value}"' }),
            true,
        ),
        zones: list(text("a zone id (32 hex digits)", HEX32), true),
    },
    { required: ["permissions"], "x-type": "must be a mapping with permissions and zones" },
);

const AGENT = mapping(
    {
        id: text("an agent id (2–40 lower-case letters, digits and dashes, starting with a letter)", ID),
        owner: text("the owner's email address", EMAIL),
        purpose: text("a purpose of at most 256 characters", undefined, { maxLength: 256 }),
        environments: list(text("an environment name (dev, staging, prod)", /^[a-z][a-z0-9-]{0,31}$/), true),
        monthlyBudgetUsd: { type: "number", exclusiveMinimum: 0, "x-type": "must be a number of US dollars", "x-code": "ERR_BUDGET_NOT_POSITIVE", "x-message": "is {value}; it must be more than 0" },
        providers: list(text("a provider package name (random, tls)", /^[a-z][a-z0-9-]{0,63}$/)),
        providerBudgetsUsd: {
            type: "object",
            propertyNames: { pattern: "^[a-z][a-z0-9-]{0,63}$" },
            additionalProperties: { type: "number", minimum: 0, "x-type": "must be a number of US dollars ≥ 0", "x-message": "must be a number of US dollars ≥ 0" },
            "x-type": "must map provider packages to US dollars (cloudflare: 50)",
            "x-message": "is not a provider package name (aws, cloudflare)",
        },
        notify: list(text("an email address", EMAIL)),
        aws: mapping(
            {
                trust: TRUST,
                planTrust: PLAN_TRUST,
                regions: REGIONS,
                scopes: list(AWS_SCOPE, true, { "x-code": "ERR_FIELD_INVALID", "x-message": "must list at least one scope" }),
                grantSensitive: list(AWS_SERVICE),
                backstop: mapping(
                    { estimatedChargesUsd: { type: "number", exclusiveMinimum: 0, "x-type": "must be a number of US dollars above 0", "x-message": "must be a number of US dollars above 0" } },
                    { required: ["estimatedChargesUsd"] },
                ),
                // Checked by hand in own-account.ts (checkAwsAccount): one of three forms, each strict.
                account: {},
            },
            { required: ["scopes"] },
        ),
        cloudflare: mapping(
            {
                accountId: ACCOUNT_ID,
                scopes: list(CLOUDFLARE_SCOPE, true, { "x-code": "ERR_FIELD_INVALID", "x-message": "must list at least one scope" }),
                ipAllowlist: IP_ALLOWLIST,
                tokenTtlDays: TOKEN_TTL_DAYS,
                expiresOn: text("a date (2026-06-30) or UTC time (2026-06-30T00:00:00Z)", DATE_TIME, { "x-message": "must be a date (2026-06-30) or UTC time (2026-06-30T00:00:00Z)" }),
                grantSensitive: list(
                    text("a sensitive Cloudflare permission group", undefined, {
                        enum: CLOUDFLARE_GROUP_NAMES.filter((g) => CLOUDFLARE_GROUPS[g].sensitive),
                        "x-code": "ERR_UNKNOWN_SCOPE",
                        "x-message": 'names "{value}", which is not a sensitive Cloudflare permission group',
                    }),
                ),
            },
            { required: ["scopes"] },
        ),
    },
    { required: ["id", "owner", "purpose", "environments", "monthlyBudgetUsd"] },
);

/** JSON schema of a registry document (after a single value is read as a one-element list). */
export const REGISTRY_SCHEMA: Schema = mapping({
    version: { enum: [1], "x-message": "is {json}; this agentguard reads version 1" },
    defaults: mapping({
        aws: mapping({
            // `{agent}` is replaced per agent before the trust is checked (against TRUST / PLAN_TRUST).
            trust: { type: "object", "x-type": "must be a mapping with principal, oidc or github" },
            planTrust: { type: "object", "x-type": "must be a mapping with principal or oidc" },
            regions: REGIONS,
        }),
        cloudflare: mapping({ accountId: ACCOUNT_ID, ipAllowlist: IP_ALLOWLIST, tokenTtlDays: TOKEN_TTL_DAYS }),
    }),
    agents: { type: "array", items: AGENT, "x-type": "must be a list of agents" },
});

/**
 * A copy of `raw` as the schema reads it: absent for `null`, a one-element list for a single
 * value where the schema wants a list, a date for a YAML date.
 */
function normalize(raw: unknown, schema: Schema | undefined): unknown {
    if (raw instanceof Date) {
        return raw.toISOString().slice(0, 10);
    }
    if (schema?.type === "array" && raw !== null && raw !== undefined && !Array.isArray(raw)) {
        return [normalize(raw, schema.items as Schema)];
    }
    if (Array.isArray(raw)) {
        return raw.map((x) => normalize(x, schema?.items as Schema | undefined));
    }
    if (isObject(raw)) {
        const props = (schema?.properties ?? {}) as Record<string, Schema>;
        const rest = isObject(schema?.additionalProperties) ? (schema.additionalProperties as Schema) : undefined;
        const out: Raw = {};
        for (const [k, v] of Object.entries(raw)) {
            if (v !== null && v !== undefined) {
                out[k] = normalize(v, Object.prototype.hasOwnProperty.call(props, k) ? props[k] : rest);
            }
        }
        return out;
    }
    return raw;
}

/** `aws.scopes[1].service` from path segments. */
function fieldOf(segments: readonly string[]): string {
    return segments.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** Which of two errors on one field is reported: a wrong type, then a missing value, then a wildcard. */
const PRIORITY: Readonly<Record<string, number>> = { type: 0, minLength: 1, minItems: 1, not: 2 };

/** A schema problem before it is attributed: path segments under the checked value, code and text. */
interface Found {
    readonly segments: readonly string[];
    readonly code: RegistryErrorCode;
    readonly text: string;
}

/** The problems of `value` against `schema`, one per field: unknown keys first (a typo explains the rest), then in the order ajv found them. */
function schemaFindings(schema: Schema, value: unknown): Found[] {
    const byField = new Map<string, { found: Found; rank: number }>();
    for (const e of schemaErrors(schema, value)) {
        if (e.schemaPath.includes("/propertyNames/")) {
            continue; // reported once by its propertyNames error
        }
        const node = (e.parentSchema ?? {}) as Schema;
        const segments = e.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
        const found = describeError(e, node, segments);
        const key = fieldOf(found.segments);
        const rank = PRIORITY[e.keyword] ?? 3;
        const had = byField.get(key);
        if (!had || rank < had.rank) {
            byField.set(key, { found, rank });
        }
    }
    const found = [...byField.values()].map((f) => f.found);
    return [...found.filter((f) => f.code === "ERR_FIELD_UNKNOWN"), ...found.filter((f) => f.code !== "ERR_FIELD_UNKNOWN")];
}

function fill(template: string, value: unknown): string {
    return template.split("{value}").join(String(value)).split("{json}").join(JSON.stringify(value));
}

/** One ajv error as a registry problem: the code the node declares, the words it gives. */
function describeError(e: ErrorObject, node: Schema, segments: string[]): Found {
    const item = /^\d+$/.test(segments[segments.length - 1] ?? "");
    switch (e.keyword) {
        case "additionalProperties": {
            const key = String((e.params as { additionalProperty: string }).additionalProperty);
            const known = Object.keys((node.properties ?? {}) as object);
            const guess = didYouMean(key, known);
            return { segments: [...segments, key], code: "ERR_FIELD_UNKNOWN", text: `is not a registry field (${guess ? `did you mean "${guess}"?` : `expected one of ${known.map((x) => `"${x}"`).join(", ")}`})` };
        }
        case "required":
            return { segments: [...segments, String((e.params as { missingProperty: string }).missingProperty)], code: "ERR_FIELD_REQUIRED", text: "is required" };
        case "propertyNames":
            return { segments: [...segments, String((e.params as { propertyName: string }).propertyName)], code: "ERR_FIELD_INVALID", text: String(node["x-message"] ?? "is not a valid name") };
        case "type":
            if (segments.length === 2 && segments[0] === "agents") {
                return { segments, code: "ERR_FIELD_INVALID", text: `entry #${Number(segments[1]) + 1} must be a mapping` };
            }
            return { segments, code: "ERR_FIELD_INVALID", text: String(node["x-type"] ?? (item ? "must be a non-empty string" : node.type === "array" ? "must be a list" : `must be a ${String(node.type)}`)) };
        case "minLength":
            return item ? { segments, code: "ERR_FIELD_INVALID", text: "must be a non-empty string" } : { segments, code: "ERR_FIELD_REQUIRED", text: "is required" };
        case "minItems":
            return { segments, code: (node["x-code"] as RegistryErrorCode | undefined) ?? "ERR_FIELD_REQUIRED", text: String(node["x-message"] ?? "must list at least one value") };
        case "not": {
            const wildcard = node["x-wildcard"];
            const text = typeof wildcard === "string" ? fill(wildcard, e.data) : item ? 'is the wildcard "*"; list the values instead' : `is the wildcard "*"; name ${String(node["x-what"] ?? "a value")} instead`;
            return { segments, code: "ERR_WILDCARD", text };
        }
        default: {
            const message = node["x-message"];
            const text = typeof message === "string" ? fill(message, e.data) : `is "${String(e.data)}", which is not ${String(node["x-what"] ?? "valid")}`;
            return { segments, code: (node["x-code"] as RegistryErrorCode | undefined) ?? "ERR_FIELD_INVALID", text };
        }
    }
}

// ---------------------------------------------------------------------------------------------
// By hand: the rules that relate fields (defaults, the scope's service, the clock, the catalogue,
// who may assume which role). They read values the schema has passed: a field with a schema
// problem is not checked again.
// ---------------------------------------------------------------------------------------------

/** Collects problems for one agent (or the registry itself). */
class Checker {
    constructor(
        readonly problems: RegistryProblem[],
        readonly agent: string | undefined,
        /** Fields the schema already reported, and every field under them, are not checked again. */
        readonly reported: ReadonlySet<string> = new Set(),
    ) {}

    problem(code: RegistryErrorCode, field: string, text: string): undefined {
        const who = this.agent === undefined ? "registry" : this.agent.startsWith("#") ? `agent ${this.agent}` : `agent "${this.agent}"`;
        this.problems.push({ code, agent: this.agent, field, message: `${who}: field "${field}" ${text}` });
        return undefined;
    }

    /** True when the schema reported `field` or a field it is part of. */
    failed(field: string): boolean {
        return [...this.reported].some((r) => r === field || field.startsWith(`${r}.`) || field.startsWith(`${r}[`));
    }

    /** True when the schema reported `field`, a field it is part of, or one of its parts. */
    failedWithin(field: string): boolean {
        return this.failed(field) || [...this.reported].some((r) => r.startsWith(`${field}.`) || r.startsWith(`${field}[`));
    }

    /** Reports schema findings of a part checked on its own (a defaults trust), under `prefix`. */
    report(found: readonly Found[], prefix: string): void {
        for (const f of found) {
            const rest = fieldOf(f.segments);
            this.problem(f.code, rest === "" ? prefix : rest.startsWith("[") ? `${prefix}${rest}` : `${prefix}.${rest}`, f.text);
        }
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


/** The distinct values of a list, in order. */
function uniq(values: readonly string[] | undefined): string[] {
    return [...new Set(values ?? [])];
}

function checkArn(c: Checker, service: string, arn: string, field: string): void {
    const parts = arn.split(":");
    const arnService = parts[2];
    const resource = parts.slice(5).join(":");
    if (arnService.includes("*") || wildcardArn(service, resource)) {
        c.problem("ERR_WILDCARD", field, `is "${arn}", a wildcard over every resource; list the resources themselves`);
    } else if (arnService !== service) {
        c.problem("ERR_FIELD_INVALID", field, `is an ARN of service "${arnService}", not of the scope's service "${service}"`);
    }
}

/** The rules of one action that depend on its scope's service and access. */
function checkAction(c: Checker, service: string, access: ScopeAccess, v: string, f: string): void {
    const m = ACTION.exec(v)!;
    if (m[1] !== service) {
        c.problem("ERR_UNKNOWN_SCOPE", f, `is an action of "${m[1]}", not of the scope's service "${service}"`);
        return;
    }
    if (access === "read" && !READ_ONLY_ACTION_PREFIXES.some((p) => m[2].startsWith(p))) {
        c.problem("ERR_FIELD_INVALID", f, `is "${v}", which is not a read-only action, in a "read" scope`);
        return;
    }
    const sensitive = access !== "permissions" ? sensitiveAction(m[1], v) : undefined;
    if (sensitive !== undefined) {
        c.problem("ERR_SENSITIVE_PERMISSION", f, `is "${v}", which grants "${sensitive}" (access control, public access or credentials); list it in a "permissions" scope granted under "aws.grantSensitive"`);
        return;
    }
    const svc = AWS_SERVICES[service];
    const levelActions = access !== "read" ? [...svc.read, ...svc.write, ...(access === "permissions" ? svc.permissions : [])] : undefined;
    if (levelActions && !levelActions.includes(v)) {
        // A write the catalogue does not know could create something the boundary's tag rules do not cover.
        c.problem("ERR_UNKNOWN_SCOPE", f, `is "${v}", which is not a "${access}" action of "${service}" in the catalogue; a "${access}" scope may list only those (see docs/stack-module.md)`);
    }
}

function checkAwsScope(c: Checker, raw: Raw, field: string, grantSensitive: readonly string[]): AwsScope | undefined {
    if (c.failed(join(field, "service")) || c.failed(join(field, "access"))) {
        return undefined;
    }
    const service = raw.service as string;
    const access = raw.access as ScopeAccess;
    if (access === "permissions" && !grantSensitive.includes(service)) {
        return c.problem(
            "ERR_SENSITIVE_PERMISSION",
            join(field, "access"),
            `is "permissions" on "${service}", which changes who else may reach its resources (resource policies, public access, credentials); grant it explicitly under "aws.grantSensitive"`,
        );
    }
    const resources = (raw.resources ?? []) as string[];
    resources.forEach((arn, i) => (c.failed(`${field}.resources[${i}]`) ? undefined : checkArn(c, service, arn, `${field}.resources[${i}]`)));
    const actions = raw.actions as string[] | undefined;
    actions?.forEach((v, i) => (c.failed(`${field}.actions[${i}]`) ? undefined : checkAction(c, service, access, v, `${field}.actions[${i}]`)));
    return { service, access, resources: uniq(resources), ...(actions ? { actions: uniq(actions) } : {}) };
}

/** Where a field's value comes from: the agent's own, or the registry's defaults. */
interface Source {
    readonly value: unknown;
    readonly field: string;
    readonly fromDefaults: boolean;
}

function source(raw: Raw, defaults: Raw, key: string, prefix: string, map: (v: unknown) => unknown = (v) => v): Source | undefined {
    if (raw[key] !== undefined) {
        return { value: raw[key], field: join(prefix, key), fromDefaults: false };
    }
    return defaults[key] !== undefined ? { value: map(defaults[key]), field: join(`defaults.${prefix}`, key), fromDefaults: true } : undefined;
}

/**
 * A trust mapping that passed the schema: the agent's own (checked with the registry), or one from
 * the defaults, checked now against `schema` with `{agent}` replaced by the agent's id.
 */
function checkedTrust(c: Checker, src: Source, schema: Schema): Raw | undefined {
    if (!src.fromDefaults) {
        return c.failedWithin(src.field) ? undefined : (src.value as Raw);
    }
    if (!isObject(src.value)) {
        return undefined; // reported once, for the registry
    }
    const value = normalize(src.value, schema) as Raw;
    const found = schemaFindings(schema, value);
    c.report(found, src.field);
    return found.length === 0 ? value : undefined;
}

/** The plan and apply trust GitHub Actions gives: one subject per job, pinned to a workflow and environment. */
function githubTrust(c: Checker, gh: Raw, field: string, agentId: string): { trust: AgentTrust; planTrust: AgentTrust } | undefined {
    const providerArn = gh.provider as string;
    const repo = gh.repository as string;
    const workflow = gh.workflow as string;
    const ref = (gh.ref as string | undefined) ?? "refs/heads/main";
    const environment = (gh.environment as string | undefined) ?? `agentguard-${agentId}`;
    const planEnvironment = (gh.planEnvironment as string | undefined) ?? `agentguard-${agentId}-plan`;
    const audience = (gh.audience as string | undefined) ?? "sts.amazonaws.com";
    if (environment === planEnvironment) {
        return c.problem("ERR_SHARED_PRINCIPAL", join(field, "planEnvironment"), `is "${planEnvironment}", the apply job's environment; the plan job needs its own`);
    }
    const issuerHost = OIDC_PROVIDER.exec(providerArn)![2];
    // The repository's OIDC subject template must include job_workflow_ref (docs/stack-module.md):
    // AWS evaluates only `sub` and `aud` of GitHub's token, so the pin lives in the subject.
    const subject = (e: string) => `repo:${repo}:environment:${e}:job_workflow_ref:${repo}/${workflow}@${ref}`;
    const oidc = (e: string): AgentTrust => ({ kind: "oidc", providerArn, issuerHost, subjects: [subject(e)], audience, sourceIdentity: false });
    return { trust: oidc(environment), planTrust: oidc(planEnvironment) };
}

/** A `principal` or `oidc` trust; exactly one of them. */
function trustOf(c: Checker, t: Raw, field: string): AgentTrust | undefined {
    if ((t.principal === undefined) === (t.oidc === undefined)) {
        return c.problem("ERR_FIELD_INVALID", field, `must name exactly one of "principal" (IAM principal ARNs) or "oidc" (an OIDC provider and subject)`);
    }
    if (t.principal !== undefined) {
        const listed = t.principal as string[];
        let ok = true;
        listed.forEach((v, i) => {
            if (/:root$/.test(v)) {
                ok = false;
                c.problem("ERR_SHARED_PRINCIPAL", `${field}.principal[${i}]`, `is "${v}", a whole account, which every role and user in it could use; name a role of this agent's own`);
            }
        });
        return ok ? { kind: "aws", principals: uniq(listed) } : undefined;
    }
    const o = t.oidc as Raw;
    const providerArn = o.provider as string;
    return {
        kind: "oidc",
        providerArn,
        issuerHost: OIDC_PROVIDER.exec(providerArn)![2],
        subjects: uniq(o.subjects as string[]),
        audience: (o.audience as string | undefined) ?? "sts.amazonaws.com",
        sourceIdentity: (o.sourceIdentity as boolean | undefined) ?? true,
    };
}

interface Defaults {
    readonly aws: Raw;
    readonly cloudflare: Raw;
}

function checkAws(c: Checker, raw: Raw, defaults: Raw, agentId: string): AwsAgentSpec | undefined {
    const trustSrc = source(raw, defaults, "trust", "aws", (v) => forAgent(v, agentId));
    const planSrc = source(raw, defaults, "planTrust", "aws", (v) => forAgent(v, agentId));
    let trust: AgentTrust | undefined;
    let planTrust: AgentTrust | undefined;
    const t = trustSrc && checkedTrust(c, trustSrc, TRUST);
    if (!trustSrc) {
        c.problem("ERR_FIELD_REQUIRED", "aws.trust", "is required (or set defaults.aws.trust): name who may assume the agent's role");
    } else if (t?.github !== undefined) {
        if (t.principal !== undefined || t.oidc !== undefined) {
            c.problem("ERR_FIELD_INVALID", trustSrc.field, `must name exactly one of "principal", "oidc" or "github"`);
        } else {
            const gh = githubTrust(c, t.github as Raw, join(trustSrc.field, "github"), agentId);
            if (gh && planSrc) {
                c.problem("ERR_FIELD_INVALID", planSrc.field, `is set, but "${trustSrc.field}.github" already gives the plan job its own subject`);
            }
            trust = gh?.trust;
            planTrust = gh?.planTrust;
        }
    } else if ((trustSrc.value as Raw).github === undefined) {
        trust = t && trustOf(c, t, trustSrc.field);
        if (!planSrc) {
            c.problem("ERR_FIELD_REQUIRED", "aws.planTrust", "is required (or use trust.github): the plan job's read-only role needs a principal of its own");
        } else {
            const p = checkedTrust(c, planSrc, PLAN_TRUST);
            planTrust = p && trustOf(c, p, planSrc.field);
        }
    }
    if (trust && planTrust && planSrc) {
        const plan = new Set(trustPrincipals(planTrust).map((p) => p.key));
        const both = trustPrincipals(trust).find((p) => plan.has(p.key));
        if (both) {
            c.problem("ERR_SHARED_PRINCIPAL", planSrc.field, `names "${both.label}", which may also assume the agent's write role; the plan job needs a principal of its own`);
        }
    }
    const regions = source(raw, defaults, "regions", "aws");
    if (!regions) {
        c.problem("ERR_FIELD_REQUIRED", "aws.regions", "is required (or set defaults.aws.regions): the boundary denies every other region");
    }
    const grantSensitive = c.failedWithin("aws.grantSensitive") ? [] : uniq(raw.grantSensitive as string[] | undefined);
    const scopes = c.failed("aws.scopes") ? [] : ((raw.scopes ?? []) as Raw[]).map((s, i) => checkAwsScope(c, s, `aws.scopes[${i}]`, grantSensitive));
    // The account's three forms (an id, one to create, or shared) are checked by own-account.ts.
    const account = raw.account == null ? undefined : checkAwsAccount((code, field, text) => c.problem(code, field, text), raw.account);
    if (account !== undefined && account.kind !== "shared") {
        // A role trusts only an OIDC provider of its own account, and the roles live in the agent's.
        const where = account.kind === "existing" ? `account "${account.id}"` : "the account the stack creates";
        for (const [key, t] of [["aws.trust", trust], ["aws.planTrust", planTrust]] as const) {
            if (t?.kind === "oidc" && !(account.kind === "existing" && t.providerArn.split(":")[4] === account.id)) {
                c.problem("ERR_FIELD_INVALID", key, `names the OIDC provider "${t.providerArn}", but the agent's roles live in ${where}, and a role trusts only an OIDC provider of its own account: create the provider there and name it`);
            }
        }
    }
    if (account?.kind === "existing") {
        // The budget covers the agent's own account: a resource of another account is outside it.
        scopes.forEach((scope, i) =>
            scope?.resources.forEach((arn, j) => {
                const named = arn.split(":")[4] ?? "";
                if (named !== "" && named !== account.id) {
                    c.problem("ERR_FIELD_INVALID", `aws.scopes[${i}].resources[${j}]`, `names account "${named}", not the agent's own account "${account.id}": its budget would not see what it spends there`);
                }
            }),
        );
    }
    if (!trust || !planTrust || !regions || scopes.some((s) => s === undefined) || (raw.account != null && !account)) {
        return undefined;
    }
    const backstop = raw.backstop as AwsBackstop | undefined;
    return {
        trust,
        planTrust,
        regions: uniq(regions.value as string[]),
        scopes: scopes as AwsScope[],
        grantSensitive,
        ...(backstop ? { backstop: { estimatedChargesUsd: backstop.estimatedChargesUsd } } : {}),
        ...(account ? { account } : {}),
    };
}

function checkCloudflareScope(c: Checker, raw: Raw, field: string, sensitiveGrants: readonly string[]): CloudflareScope | undefined {
    if (c.failedWithin(join(field, "permissions"))) {
        return undefined;
    }
    const permissions = raw.permissions as string[];
    let needsZones = false;
    let accountLevel: string | undefined;
    let ok = true;
    permissions.forEach((v, i) => {
        const f = `${field}.permissions[${i}]`;
        const group = CLOUDFLARE_GROUPS[v];
        if (group.kind === "user") {
            ok = false;
            c.problem("ERR_UNKNOWN_SCOPE", f, `names "${v}", a user-level permission group, which an account token cannot hold`);
        } else if (group.sensitive && !sensitiveGrants.includes(v)) {
            ok = false;
            c.problem("ERR_SENSITIVE_PERMISSION", f, `names "${v}", a billing, registrar, member, token, access, firewall or account-settings permission; grant it explicitly under "cloudflare.grantSensitive"`);
        } else if (group.kind === "zone") {
            needsZones = true;
        } else {
            accountLevel = v;
        }
    });
    if (!ok) {
        return undefined;
    }
    const zones = raw.zones as string[] | undefined;
    if (needsZones && zones === undefined) {
        return c.problem("ERR_FIELD_REQUIRED", join(field, "zones"), "is required: zone-level permissions are limited to listed zones");
    }
    if (zones !== undefined && !needsZones) {
        return c.problem("ERR_FIELD_INVALID", join(field, "zones"), `is set, but "${accountLevel}" and the scope's other permissions are account-level`);
    }
    return { permissions: uniq(permissions), zones: uniq(zones) };
}

/** A fixed token expiry, as a UTC time: in the future, within a year. */
function checkExpiry(c: Checker, v: string, field: string, now: Date): string | undefined {
    const iso = v.length === 10 ? `${v}T00:00:00Z` : v;
    const t = Date.parse(iso);
    if (Number.isNaN(t)) {
        return c.problem("ERR_FIELD_INVALID", field, "must be a date (2026-06-30) or UTC time (2026-06-30T00:00:00Z)");
    }
    if (t <= now.getTime()) {
        return c.problem("ERR_FIELD_INVALID", field, `is ${iso}, which is not in the future`);
    }
    if (t > now.getTime() + 366 * 86400_000) {
        return c.problem("ERR_FIELD_INVALID", field, `is ${iso}, more than a year away; tokens expire within a year`);
    }
    return iso;
}

function checkCloudflare(c: Checker, raw: Raw, defaults: Raw, now: Date): CloudflareAgentSpec | undefined {
    const accountId = source(raw, defaults, "accountId", "cloudflare");
    if (!accountId) {
        c.problem("ERR_FIELD_REQUIRED", "cloudflare.accountId", "is required (or set defaults.cloudflare.accountId)");
    }
    const grantSensitive = c.failedWithin("cloudflare.grantSensitive") ? [] : uniq(raw.grantSensitive as string[] | undefined);
    const ipAllowlist = source(raw, defaults, "ipAllowlist", "cloudflare");
    const tokenTtlDays = (source(raw, defaults, "tokenTtlDays", "cloudflare")?.value as number | undefined) ?? DEFAULT_TOKEN_TTL_DAYS;
    const expiresOn = raw.expiresOn === undefined || c.failed("cloudflare.expiresOn") ? undefined : checkExpiry(c, raw.expiresOn as string, "cloudflare.expiresOn", now);
    if (raw.expiresOn !== undefined && raw.tokenTtlDays !== undefined) {
        c.problem("ERR_FIELD_INVALID", "cloudflare.expiresOn", `and "cloudflare.tokenTtlDays" are both set; choose a fixed or a rolling expiry`);
    }
    const scopes = c.failed("cloudflare.scopes") ? [] : ((raw.scopes ?? []) as Raw[]).map((s, i) => checkCloudflareScope(c, s, `cloudflare.scopes[${i}]`, grantSensitive));
    if (!accountId || scopes.some((s) => s === undefined) || (raw.expiresOn !== undefined && expiresOn === undefined)) {
        return undefined;
    }
    return {
        accountId: accountId.value as string,
        scopes: scopes as CloudflareScope[],
        ...(ipAllowlist ? { ipAllowlist: uniq(ipAllowlist.value as string[]) } : {}),
        tokenTtlDays,
        ...(expiresOn ? { expiresOn } : {}),
        grantSensitive,
    };
}

/** The hand-checked rules of one agent the schema passed as a mapping; the definition when it has no problem. */
function checkAgent(c: Checker, raw: Raw, defaults: Defaults, now: Date): AgentDefinition | undefined {
    const id = raw.id as string;
    const aws = raw.aws !== undefined && !c.failed("aws") ? checkAws(c, raw.aws as Raw, defaults.aws, id) : undefined;
    const cloudflare = raw.cloudflare !== undefined && !c.failed("cloudflare") ? checkCloudflare(c, raw.cloudflare as Raw, defaults.cloudflare, now) : undefined;
    const partial = (raw.aws !== undefined && !aws) || (raw.cloudflare !== undefined && !cloudflare);
    checkProductionAccount((code, field, text) => c.problem(code, field, text), raw.environments as string[] | undefined, raw.aws !== undefined, aws?.account, isObject(raw.aws) && raw.aws.account != null);
    if (partial && c.problems.length === 0) {
        c.problem("ERR_FIELD_INVALID", raw.aws !== undefined && !aws ? "aws" : "cloudflare", "could not be read; the agent gets no identity rather than a partial one");
    }
    if (c.problems.length > 0) {
        return undefined;
    }
    const providerBudgetsUsd = raw.providerBudgetsUsd as Record<string, number> | undefined;
    return {
        id,
        owner: raw.owner as string,
        purpose: raw.purpose as string,
        environments: uniq(raw.environments as string[]),
        monthlyBudgetUsd: raw.monthlyBudgetUsd as number,
        providers: uniq(raw.providers as string[] | undefined),
        ...(providerBudgetsUsd ? { providerBudgetsUsd: { ...providerBudgetsUsd } } : {}),
        notify: uniq(raw.notify as string[] | undefined),
        ...(aws ? { aws } : {}),
        ...(cloudflare ? { cloudflare } : {}),
    };
}

/**
 * Validates a parsed registry document: the declared schema ({@link REGISTRY_SCHEMA}, by ajv),
 * then the rules that relate fields. Throws a {@link RegistryError} listing every problem;
 * returns the agents with defaults applied.
 */
export function validateRegistry(raw: unknown, opts: RegistryOptions = {}): Registry {
    const now = opts.now ?? new Date();
    const problems: RegistryProblem[] = [];
    const registry = new Checker(problems, undefined);
    if (!isObject(raw)) {
        registry.problem("ERR_FIELD_INVALID", "agents", 'must be present: the registry is a mapping with an "agents" list');
        throw new RegistryError(problems);
    }
    const doc = normalize({ ...raw, agents: Array.isArray(raw.agents) ? raw.agents : [] }, REGISTRY_SCHEMA) as Raw;
    const agents = doc.agents as unknown[];
    const labels = agents.map((a, i) => (isObject(a) && typeof a.id === "string" && ID.test(a.id) ? a.id : `#${i + 1}`));
    const checkers = agents.map((_, i) => ({ problems: [] as RegistryProblem[], reported: new Set<string>(), label: labels[i] }));
    for (const f of schemaFindings(REGISTRY_SCHEMA, doc)) {
        if (f.segments[0] === "agents" && f.segments.length >= 2) {
            const a = checkers[Number(f.segments[1])];
            const field = f.segments.length === 2 ? "agents" : fieldOf(f.segments.slice(2));
            a.reported.add(f.segments.length === 2 ? "" : field);
            new Checker(a.problems, a.label).problem(f.code, field, f.text);
        } else {
            registry.problem(f.code, fieldOf(f.segments), f.text);
        }
    }
    if (!Array.isArray(raw.agents)) {
        registry.problem(raw.agents === undefined || raw.agents === null ? "ERR_FIELD_REQUIRED" : "ERR_FIELD_INVALID", "agents", "must be a list of agents");
        throw new RegistryError(problems);
    }
    const defaultsDoc = isObject(doc.defaults) ? doc.defaults : {};
    const defaults: Defaults = { aws: isObject(defaultsDoc.aws) ? defaultsDoc.aws : {}, cloudflare: isObject(defaultsDoc.cloudflare) ? defaultsDoc.cloudflare : {} };
    const definitions = agents.map((a, i) => {
        const k = checkers[i];
        const c = new Checker(k.problems, k.label, k.reported);
        return isObject(a) && !k.reported.has("") && !c.failed("id") ? checkAgent(c, a, defaults, now) : undefined;
    });
    problems.push(...checkers.flatMap((k) => k.problems));
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
    sharedPrincipals(problems, definitions);
    derivedNameClashes(problems, definitions);
    sharedOwnAccounts(
        definitions.flatMap((a) => (a?.aws ? [{ id: a.id, account: a.aws.account }] : [])),
        (agent, field, text) => new Checker(problems, agent).problem("ERR_SHARED_ACCOUNT", field, text),
    );
    if (problems.length > 0) {
        throw new RegistryError(problems);
    }
    return { version: 1, agents: definitions as AgentDefinition[] };
}

/**
 * What the stack module appends to `agentguard-<id>` to name an agent's AWS resources
 * (src/identity/aws.ts, documents.ts; test/identity/registry.test.ts checks the list is whole).
 */
export const DERIVED_NAME_SUFFIXES: readonly string[] = ["", "-boundary", "-scopes", "-plan", "-plan-scopes", "-deny-all", "-cap", "-backstop", "-backstop-runbook", "-backstop-events", "-estimated-charges"];

/** IAM's longest role name. */
const MAX_ROLE_NAME = 64;

/**
 * One problem per agent whose resource names another agent's already take (`ci`'s plan role
 * `agentguard-ci-plan` is agent `ci-plan`'s write role): in one account the second deploy fails,
 * or worse, finds the other's role. And one per agent whose longest role name IAM would refuse.
 */
function derivedNameClashes(problems: RegistryProblem[], agents: readonly (AgentDefinition | undefined)[]): void {
    const owner = new Map<string, string>();
    for (const a of agents) {
        if (a === undefined) {
            continue;
        }
        const longest = `agentguard-${a.id}-backstop-runbook`;
        if (a.aws?.backstop && longest.length > MAX_ROLE_NAME) {
            new Checker(problems, a.id).problem("ERR_FIELD_INVALID", "id", `is too long for an agent with aws.backstop: its role "${longest}" would be over IAM's ${MAX_ROLE_NAME} characters`);
        }
        for (const suffix of DERIVED_NAME_SUFFIXES) {
            const name = `agentguard-${a.id}${suffix}`;
            const other = owner.get(name);
            if (other !== undefined && other !== a.id) {
                new Checker(problems, a.id).problem("ERR_FIELD_INVALID", "id", `would name a resource "${name}", as agent "${other}" already does; no agent id may be another's followed by one of the module's suffixes (${DERIVED_NAME_SUFFIXES.filter((x) => x !== "").join(", ")})`);
                break;
            }
            owner.set(name, a.id);
        }
    }
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
