/**
 * The `agent-identity-hygiene` policy: any agent identity in a stack — made with the stack module
 * or by hand — must have a permissions boundary, no wildcard admin, a session limit, a budget with
 * a budget action that caps the role, and (for Cloudflare tokens) an expiry.
 *
 * It checks the shape of identities only; who may change them, and with whose approval, is
 * `agent-change-gate`'s business. This module is the pure part, with no Pulumi import: the config
 * and the checks over plain facts ({@link checkIdentityHygiene}), unit-tested without an engine.
 * The policy itself (engine resources → facts, reporting) is src/pack/hygiene.ts.
 *
 * Fail closed: a value it needs that is unknown at preview counts as "cannot confirm", which is a
 * violation — except where the stack itself shows what the value will be (a boundary ARN that
 * comes from a policy in the same stack, a budget action's role that comes from the role itself).
 */
import { Props, UNKNOWN, Unknown, Value, isUnknown } from "../facts/facts";
import { Schema, problemText, schemaProblem } from "../schema/check";
import { asList, asNumber, asObject, asString, asStringList, field, path } from "../facts/values";

/** The policy's name. */
export const IDENTITY_HYGIENE_POLICY_NAME = "agent-identity-hygiene";

/** The tag that names an agent on its resources (the stack module sets it; hand-made identities should too). */
export const HYGIENE_AGENT_TAG = "agentguard:agent";

/** Component types of the stack module; their children are agent identities whatever their tags. */
export const MODULE_COMPONENT_TYPES: readonly string[] = [
    "agentguard:index:AgentServiceAccount",
    "agentguard:index:AwsAgentIdentity",
    "agentguard:index:CloudflareAgentToken",
];

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
const BUDGET = "aws:budgets/budget:Budget";
const BUDGET_ACTION = "aws:budgets/budgetAction:BudgetAction";
/** Cloudflare token types the policy looks at. */
export const TOKEN_TYPES: readonly string[] = ["cloudflare:index/accountToken:AccountToken", "cloudflare:index/apiToken:ApiToken"];

/** AWS managed policies that amount to admin. */
export const ADMIN_MANAGED_POLICIES: readonly string[] = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

/** Configuration of the policy. */
export interface HygieneConfig {
    /** Longest role session allowed, in seconds. */
    readonly maxSessionSeconds: number;
    /** Longest Cloudflare token lifetime allowed from now, in days. */
    readonly maxTokenTtlDays: number;
    /** Cloudflare tokens whose name starts with this are agent tokens. */
    readonly tokenNamePrefix: string;
}

/** Defaults of {@link HygieneConfig}. */
export const DEFAULT_HYGIENE_CONFIG: HygieneConfig = Object.freeze({ maxSessionSeconds: 3600, maxTokenTtlDays: 365, tokenNamePrefix: "agentguard-" });

/** JSON schema of {@link HygieneConfig}, kept in step with it. */
export const hygieneConfigSchema: { readonly properties: Readonly<Record<string, Schema>> } = {
    properties: {
        maxSessionSeconds: { type: "integer", minimum: 900, maximum: 43200, default: DEFAULT_HYGIENE_CONFIG.maxSessionSeconds, description: "Longest session an agent role may allow, in seconds." },
        maxTokenTtlDays: { type: "integer", minimum: 1, maximum: 3650, default: DEFAULT_HYGIENE_CONFIG.maxTokenTtlDays, description: "Latest expiry an agent's Cloudflare token may have, in days from now." },
        tokenNamePrefix: { type: "string", minLength: 1, default: DEFAULT_HYGIENE_CONFIG.tokenNamePrefix, description: "Cloudflare tokens whose name starts with this are agent tokens." },
    },
};

/** What the policy checks; each finding names one. */
export type HygieneCheck = "boundary" | "wildcard-admin" | "session-limit" | "budget-action" | "token-expiry" | "unreadable";

/** What each check requires, for the docs and remediation text. */
export const HYGIENE_CHECK_TEXT: Readonly<Record<HygieneCheck, string>> = Object.freeze({
    boundary: "an agent role has a permissions boundary (from a policy in the same stack when its ARN is unknown at preview)",
    "wildcard-admin": "no policy of an agent role (inline, managed, attached in the stack) allows `*`, `*:*`, `iam:*` or uses `NotAction`; AdministratorAccess, PowerUserAccess and IAMFullAccess are refused; policies from outside the stack cannot be checked and are reported",
    "session-limit": "an agent role's maxSessionDuration is at most maxSessionSeconds (AWS's default of one hour counts)",
    "budget-action": "an AWS Budget in the stack is filtered to the role's `agentguard:agent` tag (or tagged with it) and has an APPLY_IAM_POLICY budget action naming the role",
    "token-expiry": "an agent's Cloudflare token has an expiresOn in the future and within maxTokenTtlDays",
    unreadable: "the policy could read the stack; an internal error is reported, never passed",
});

/** One resource as the policy sees it: plain data, unknowns as `UNKNOWN`. */
export interface HygieneResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly props: Props;
    readonly parentType?: string;
    /** Property name → URNs of the resources its value comes from. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** One violation. */
export interface HygieneFinding {
    readonly check: HygieneCheck;
    readonly urn: string;
    readonly message: string;
}

/** Thrown when the hygiene config is malformed; the policy reports it instead of checking with a guess. */
export class HygieneConfigError extends Error {
    override readonly name = "HygieneConfigError";
}

/**
 * What ajv checks: {@link hygieneConfigSchema} closed, plus the `enforcementLevel` every policy's
 * config may carry. One object, so ajv compiles it once (check.ts caches by schema identity).
 * @internal exported for the test that checks every declared schema against JSON Schema itself
 */
export const STRICT_HYGIENE_CONFIG_SCHEMA: Schema = {
    type: "object",
    additionalProperties: false,
    properties: { ...hygieneConfigSchema.properties, enforcementLevel: { type: "string" } },
};

/**
 * Applies defaults to raw policy config after checking it against {@link hygieneConfigSchema}
 * (ajv, closed: unknown keys are refused with "did you mean"). Throws {@link HygieneConfigError}.
 */
export function normalizeHygieneConfig(raw: unknown): HygieneConfig {
    const problem = schemaProblem(STRICT_HYGIENE_CONFIG_SCHEMA, raw ?? {});
    if (problem) {
        throw new HygieneConfigError(problemText(problem, `the config of ${IDENTITY_HYGIENE_POLICY_NAME}`));
    }
    const r = (raw ?? {}) as Partial<HygieneConfig>;
    return {
        maxSessionSeconds: r.maxSessionSeconds ?? DEFAULT_HYGIENE_CONFIG.maxSessionSeconds,
        maxTokenTtlDays: r.maxTokenTtlDays ?? DEFAULT_HYGIENE_CONFIG.maxTokenTtlDays,
        tokenNamePrefix: r.tokenNamePrefix ?? DEFAULT_HYGIENE_CONFIG.tokenNamePrefix,
    };
}

/** The agent id a resource is tagged with: a string, UNKNOWN (tag or tags unknown), or undefined (not tagged). */
function agentTag(r: HygieneResource): string | Unknown | undefined {
    let unknown = false;
    for (const key of ["tags", "tagsAll"]) {
        const tags = asObject(r.props[key]);
        if (isUnknown(tags)) {
            unknown = true;
            continue;
        }
        const v = asString(field(tags, HYGIENE_AGENT_TAG));
        if (typeof v === "string" && v !== "") {
            return v;
        }
        if (isUnknown(v)) {
            unknown = true;
        }
    }
    return unknown ? UNKNOWN : undefined;
}

const fromModule = (r: HygieneResource) => r.parentType !== undefined && MODULE_COMPONENT_TYPES.includes(r.parentType);

/** A policy document as plain data, or UNKNOWN, or undefined (absent or not JSON). */
function policyDoc(v: Value | undefined): { [k: string]: Value } | Unknown | undefined {
    return asObject(v);
}

/** The statements of a document, as a list. */
function statements(doc: { [k: string]: Value }): Value[] | Unknown {
    const s = doc.Statement;
    if (isUnknown(s)) {
        return UNKNOWN;
    }
    return Array.isArray(s) ? s : s !== undefined && s !== null ? [s] : [];
}

/** True when every Allow statement of a trust policy trusts AWS services only: a service role, not an agent's. */
function isServiceRole(role: HygieneResource): boolean {
    const doc = policyDoc(role.props.assumeRolePolicy);
    if (doc === undefined || isUnknown(doc)) {
        return false;
    }
    const sts = statements(doc);
    if (isUnknown(sts)) {
        return false;
    }
    const allows = sts.filter((s) => asString(field(s, "Effect")) === "Allow");
    return (
        allows.length > 0 &&
        allows.every((s) => {
            const p = asObject(field(s, "Principal"));
            return p !== undefined && !isUnknown(p) && Object.keys(p).length === 1 && Object.keys(p)[0] === "Service";
        })
    );
}

/**
 * Why a policy document grants wildcard admin: an Allow of `*`, `*:*` or `iam:*`, or an Allow with
 * `NotAction`. Returns "unknown" when a part it needs is unknown, undefined when clean.
 */
export function wildcardAdminIn(doc: Value | undefined): string | "unknown" | undefined {
    const d = policyDoc(doc);
    if (isUnknown(d)) {
        return "unknown";
    }
    if (d === undefined) {
        return typeof doc === "string" && doc.trim() !== "" ? "unknown" : undefined;
    }
    const sts = statements(d);
    if (isUnknown(sts)) {
        return "unknown";
    }
    for (const s of sts) {
        const effect = asString(field(s, "Effect"));
        if (isUnknown(effect)) {
            return "unknown";
        }
        if (effect !== "Allow") {
            continue;
        }
        if (field(s, "NotAction") !== undefined) {
            return `allows everything but "NotAction"`;
        }
        const actions = asStringList(field(s, "Action"));
        if (isUnknown(actions)) {
            return "unknown";
        }
        const bad = (actions ?? []).find((a) => /^(\*|\*:\*|iam:\*)$/i.test(a.trim()));
        if (bad !== undefined) {
            const resources = asStringList(field(s, "Resource"));
            const on = isUnknown(resources) ? "unknown resources" : (resources ?? []).map((x) => `"${x}"`).join(", ") || "no resource";
            return `allows "${bad}" on ${on}`;
        }
    }
    return undefined;
}

/** Does resource `r`'s property `prop` refer to `target` (by dependency, or by one of the target's identifying values)? */
function refersTo(r: HygieneResource, prop: string, target: HygieneResource, values: readonly (string | Unknown | undefined)[]): boolean | Unknown {
    if ((r.propertyDependencies[prop] ?? []).includes(target.urn)) {
        return true;
    }
    const v = r.props[prop];
    const list = asStringList(v);
    if (isUnknown(list)) {
        return UNKNOWN;
    }
    const known = values.filter((x): x is string => typeof x === "string" && x !== "");
    return (list ?? []).some((x) => known.includes(x));
}

function roleIdentifiers(role: HygieneResource): (string | Unknown | undefined)[] {
    return [asString(role.props.name), asString(role.props.arn), asString(role.props.id)];
}

function label(r: HygieneResource): string {
    const n = asString(r.props.name);
    return typeof n === "string" && n !== "" ? n : r.name;
}

function isAdminManagedArn(arn: string): boolean {
    return ADMIN_MANAGED_POLICIES.some((p) => new RegExp(`^arn:aws[a-z-]*:iam::aws:policy/(.*/)?${p}$`).test(arn));
}

/** The managed policy a `policyArn` property points at: a policy resource of this stack, an AWS-managed ARN, or unknown. */
function attachedPolicy(
    att: HygieneResource,
    policies: readonly HygieneResource[],
): { kind: "resource"; policy: HygieneResource } | { kind: "arn"; arn: string } | { kind: "unknown" } {
    const deps = att.propertyDependencies.policyArn ?? [];
    const byDep = policies.find((p) => deps.includes(p.urn));
    if (byDep) {
        return { kind: "resource", policy: byDep };
    }
    const arn = asString(att.props.policyArn);
    if (typeof arn !== "string") {
        return { kind: "unknown" };
    }
    const byArn = policies.find((p) => asString(p.props.arn) === arn);
    return byArn ? { kind: "resource", policy: byArn } : { kind: "arn", arn };
}

function checkRole(role: HygieneResource, agent: string | Unknown, all: readonly HygieneResource[], config: HygieneConfig): HygieneFinding[] {
    const out: HygieneFinding[] = [];
    const who = isUnknown(agent) ? `role "${label(role)}" of an agent (its "${HYGIENE_AGENT_TAG}" tag is unknown at preview)` : `role "${label(role)}" of agent "${agent}"`;
    const find = (check: HygieneCheck, message: string) => out.push({ check, urn: role.urn, message: `${who} ${message}` });
    const policies = all.filter((r) => r.type === POLICY);

    // Boundary.
    const boundary = role.props.permissionsBoundary;
    if (isUnknown(boundary)) {
        if (!(role.propertyDependencies.permissionsBoundary ?? []).some((u) => policies.some((p) => p.urn === u))) {
            find("boundary", `has a permissions boundary that is unknown at preview and comes from no policy in this stack, so it cannot be confirmed`);
        }
    } else if (typeof boundary !== "string" || boundary.trim() === "") {
        find("boundary", `has no permissions boundary; agent roles need one that denies IAM, billing, purchases and other regions`);
    }

    // Session limit (AWS's default when unset is one hour).
    const session = asNumber(role.props.maxSessionDuration);
    if (isUnknown(session)) {
        find("session-limit", `has a maximum session duration that is unknown at preview, so the ${config.maxSessionSeconds}-second limit cannot be confirmed`);
    } else if (session !== undefined && session > config.maxSessionSeconds) {
        find("session-limit", `allows sessions of ${session} seconds, over the ${config.maxSessionSeconds} allowed`);
    }

    // Wildcard admin: inline policies, managed policy ARNs, and policies attached in this stack.
    const sources: { what: string; doc: Value | undefined }[] = [];
    const inline = asList(role.props.inlinePolicies);
    if (isUnknown(inline)) {
        sources.push({ what: "its inline policies", doc: UNKNOWN });
    } else {
        (inline ?? []).forEach((p, i) => sources.push({ what: `inline policy #${i + 1}`, doc: field(p, "policy") }));
    }
    const managed = asStringList(role.props.managedPolicyArns);
    if (isUnknown(managed)) {
        sources.push({ what: "its managed policy ARNs", doc: UNKNOWN });
    } else {
        for (const arn of managed ?? []) {
            if (isAdminManagedArn(arn)) {
                find("wildcard-admin", `has the AWS managed policy "${arn}"; agent roles get least-privilege policies only`);
            }
        }
    }
    const ids = roleIdentifiers(role);
    for (const rp of all.filter((r) => r.type === ROLE_POLICY)) {
        const ref = refersTo(rp, "role", role, ids);
        if (ref === true) {
            sources.push({ what: `role policy "${label(rp)}"`, doc: rp.props.policy });
        }
    }
    for (const att of all.filter((r) => r.type === ROLE_POLICY_ATTACHMENT || r.type === POLICY_ATTACHMENT)) {
        const ref = refersTo(att, att.type === POLICY_ATTACHMENT ? "roles" : "role", role, ids);
        if (ref !== true) {
            continue;
        }
        const target = attachedPolicy(att, policies);
        if (target.kind === "resource") {
            sources.push({ what: `policy "${label(target.policy)}"`, doc: target.policy.props.policy });
        } else if (target.kind === "unknown") {
            sources.push({ what: `the policy attached by "${label(att)}"`, doc: UNKNOWN });
        } else if (isAdminManagedArn(target.arn)) {
            find("wildcard-admin", `has the AWS managed policy "${target.arn}" attached by "${label(att)}"; agent roles get least-privilege policies only`);
        } else if (!/^arn:aws[a-z-]*:iam::aws:policy\//.test(target.arn)) {
            find("wildcard-admin", `has policy "${target.arn}" attached by "${label(att)}", which is not in this stack, so it cannot be checked for wildcard admin`);
        }
    }
    for (const s of sources) {
        const why = wildcardAdminIn(s.doc);
        if (why === "unknown") {
            find("wildcard-admin", `gets ${s.what}, whose document is unknown at preview, so it cannot be checked for wildcard admin`);
        } else if (why !== undefined) {
            find("wildcard-admin", `gets wildcard admin from ${s.what}: it ${why}`);
        }
    }

    // Budget with a budget action that caps this role.
    if (isUnknown(agent)) {
        find("budget-action", `cannot be matched to a budget, because its agent id is unknown at preview`);
        return out;
    }
    const filterValue = `user:${HYGIENE_AGENT_TAG}$${agent}`;
    const budgets = all.filter((r) => {
        if (r.type !== BUDGET) {
            return false;
        }
        if (agentTag(r) === agent) {
            return true;
        }
        const filters = asList(r.props.costFilters);
        return !isUnknown(filters) && (filters ?? []).some((f) => {
            const values = asStringList(field(f, "values"));
            return asString(field(f, "name")) === "TagKeyValue" && !isUnknown(values) && (values ?? []).includes(filterValue);
        });
    });
    if (budgets.length === 0) {
        find("budget-action", `has no AWS Budget in this stack filtered to tag "${HYGIENE_AGENT_TAG}" = "${agent}", so nothing caps its spend`);
        return out;
    }
    const capped = all.some((a) => {
        if (a.type !== BUDGET_ACTION || asString(a.props.actionType) !== "APPLY_IAM_POLICY") {
            return false;
        }
        const ofBudget = budgets.some((b) => refersTo(a, "budgetName", b, [asString(b.props.name)]) === true);
        if (!ofBudget) {
            return false;
        }
        if ((a.propertyDependencies.definition ?? []).includes(role.urn)) {
            return true;
        }
        const roles = asStringList(path(a.props.definition, "iamActionDefinition", "roles"));
        return !isUnknown(roles) && (roles ?? []).some((x) => ids.includes(x));
    });
    if (!capped) {
        find("budget-action", `has budget "${label(budgets[0])}" but no budget action (APPLY_IAM_POLICY) on it that attaches a deny policy to this role`);
    }
    return out;
}

function checkToken(token: HygieneResource, config: HygieneConfig, now: number): HygieneFinding[] {
    const who = `Cloudflare token "${label(token)}"`;
    const find = (message: string): HygieneFinding[] => [{ check: "token-expiry", urn: token.urn, message: `${who} ${message}` }];
    const v = token.props.expiresOn;
    if (isUnknown(v)) {
        return find(`has an expiry that is unknown at preview, so it cannot be confirmed`);
    }
    if (typeof v !== "string" || v.trim() === "") {
        return find(`has no expiry; agent tokens expire within ${config.maxTokenTtlDays} days`);
    }
    const t = Date.parse(v);
    if (Number.isNaN(t)) {
        return find(`has the expiry "${v}", which is not a time`);
    }
    if (t <= now) {
        return find(`expired at ${v}`);
    }
    const latest = now + config.maxTokenTtlDays * 86400_000;
    if (t > latest) {
        return find(`expires at ${v}, more than ${config.maxTokenTtlDays} days from now`);
    }
    return [];
}

/**
 * Checks every agent identity among `resources`. An IAM role is an agent's when it is tagged
 * `agentguard:agent` (or the tag is unknown) or belongs to the stack module, unless its trust
 * policy trusts AWS services only (the budget action's own role, for one). A Cloudflare token is
 * an agent's when its name starts with the configured prefix (or is unknown) or it belongs to the
 * stack module.
 */
export function checkIdentityHygiene(resources: readonly HygieneResource[], config: HygieneConfig, now: number): HygieneFinding[] {
    const out: HygieneFinding[] = [];
    for (const r of resources) {
        if (r.type === ROLE) {
            const tag = agentTag(r);
            if ((tag === undefined && !fromModule(r)) || isServiceRole(r)) {
                continue;
            }
            out.push(...checkRole(r, tag ?? r.name, resources, config));
        } else if (TOKEN_TYPES.includes(r.type)) {
            const name = asString(r.props.name);
            const isAgents = fromModule(r) || isUnknown(name) || (typeof name === "string" && name.startsWith(config.tokenNamePrefix));
            if (isAgents) {
                out.push(...checkToken(r, config, now));
            }
        }
    }
    return out;
}
