/**
 * Gate `access`: a resource that changes who can do what needs approval with `access: true`.
 *
 * The reviewed type table (src/cost/catalog) is the whole definition: each type's row says
 * whether it always changes access (with the reason), only when an input is set, or is judged by
 * what it grants (src/gate/grants.ts: network exposure, service roles, source-scoped invoke
 * permissions). A type with no row is access: nobody has reviewed what it grants. One rule holds
 * for every AWS type besides: an inline access policy, permission or sharing input is access.
 * docs/policies.md is generated from the table.
 *
 * One component is judged too: the stack module's `AgentServiceAccount`, whose `sensitiveScopes`
 * input lists what its registry entry grants beyond read and write (resource policies, public
 * access, credentials, sensitive Cloudflare groups). An agent's run that carries such an
 * identity raises an access item on it naming them, so the approvers see the widening itself,
 * not only the IAM documents that carry it (which raise their own items).
 */
import { CatalogRow, TYPE_TABLE } from "../cost/catalog";
import { ResourceFacts, Value, isUnknown } from "../facts/facts";
import { JUDGES } from "./grants";
import { GateItem } from "./items";
import { asStringList, field } from "../facts/values";
import { homeAccount } from "../facts/aws-account";

/** Inputs that carry an access policy or a sharing list on any AWS resource (fail closed on inputs). */
export const AWS_ACCESS_INPUTS: readonly string[] = ["policy", "accessPolicy", "accessPolicies", "resourcePolicy", "permissions", "sharedAccounts", "createVolumePermissions", "launchPermissions"];
/** Why {@link AWS_ACCESS_INPUTS} count. */
export const AWS_ACCESS_INPUTS_WHY = "an AWS resource with an inline access policy, permissions or accounts it is shared with";

/** Why a resource changes access, and through which input. */
export interface AccessHit {
    readonly why: string;
    readonly input?: string;
}

function isSet(v: Value | undefined): boolean {
    return isUnknown(v) || (v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0));
}

function rowHit(row: CatalogRow, r: Pick<ResourceFacts, "props" | "provider">): AccessHit | undefined {
    const props = r.props;
    if (row.access) {
        return { why: row.access };
    }
    if (row.judge) {
        let verdict: string | undefined;
        try {
            // The provider's account is read only if the judge compares with it, and then once.
            let home: { account: string | undefined } | undefined;
            verdict = JUDGES[row.judge.id](props, () => (home ??= { account: homeAccount(r.provider) }).account, row.judge.to);
        } catch {
            verdict = "its inputs could not be read";
        }
        if (verdict !== undefined) {
            return { why: `${row.judge.why}: ${verdict}` };
        }
    }
    if (row.accessWhen) {
        for (const input of row.accessWhen.inputs) {
            if (isSet(field(props, input))) {
                return { why: row.accessWhen.why, input };
            }
        }
    }
    return undefined;
}

/** Why a type without a row is access: nobody has reviewed what it grants (a newer SDK's IAM type, another cloud's role binding). */
export const UNREVIEWED_TYPE_WHY = "a type the reviewed table has no row for: what it grants has not been reviewed";

/** The reason `r` changes access control, or undefined. Unknown trigger inputs count as set; a type without a row is access. */
export function accessRuleFor(r: Pick<ResourceFacts, "type" | "props" | "provider">): AccessHit | undefined {
    const row = TYPE_TABLE.get(r.type);
    if (!row) {
        return { why: UNREVIEWED_TYPE_WHY };
    }
    const hit = rowHit(row, r);
    if (hit) {
        return hit;
    }
    if (r.type.startsWith("aws:") && !/Lifecycle/.test(r.type.slice(r.type.lastIndexOf(":") + 1))) {
        for (const input of AWS_ACCESS_INPUTS) {
            if (isSet(field(r.props, input))) {
                return { why: AWS_ACCESS_INPUTS_WHY, input };
            }
        }
    }
    return undefined;
}

/** The stack module's agent identity component (src/identity/account.ts). */
export const AGENT_IDENTITY_COMPONENT_TYPE = "agentguard:index:AgentServiceAccount";

const MAX_NAMED_SCOPES = 12;
const MAX_SCOPE_CHARS = 400;

/** What an agent identity component's `sensitiveScopes` input grants, as one phrase; undefined when nothing. */
export function sensitiveScopesOf(props: ResourceFacts["props"]): string | undefined {
    const raw = field(props, "sensitiveScopes");
    if (raw === undefined || raw === null) {
        return undefined;
    }
    const list = asStringList(raw);
    if (isUnknown(list)) {
        return "sensitive scopes unknown at preview";
    }
    if (list === undefined || !Array.isArray(decodeList(raw))) {
        return "sensitive scopes that could not be read";
    }
    if (list.length === 0) {
        return undefined;
    }
    // The program wrote these strings: the denial shows them escaped (message.ts); one too long to
    // read is counted, not cut (a cut secret would escape its mask).
    const clean = list.slice(0, MAX_NAMED_SCOPES).map((x) => (x.length <= MAX_SCOPE_CHARS ? x : `(a scope of ${x.length} characters)`));
    const more = list.length > MAX_NAMED_SCOPES ? `; and ${list.length - MAX_NAMED_SCOPES} more` : "";
    return `sensitive scopes beyond read and write: ${clean.join("; ")}${more}`;
}

function decodeList(v: Value | undefined): unknown {
    if (typeof v === "string") {
        try {
            return JSON.parse(v);
        } catch {
            return v;
        }
    }
    return v;
}

/** The access item of an agent identity component that grants sensitive scopes. */
function detectSensitiveIdentity(r: ResourceFacts, agent: string): GateItem[] {
    if (r.type !== AGENT_IDENTITY_COMPONENT_TYPE) {
        return [];
    }
    const what = sensitiveScopesOf(r.props);
    if (what === undefined) {
        return [];
    }
    const id = field(r.props, "agentId");
    const whose = typeof id === "string" && /^[a-z0-9-]{1,40}$/.test(id) ? id : r.name;
    return [
        {
            level: "resource",
            resource: r.urn,
            need: { gate: "access" },
            observed: `agent "${agent}" would change access control with "${r.urn}", which gives agent "${whose}" ${what}`,
        },
    ];
}

/** Raises the access item of a custom resource that changes access control, or of an agent identity granting sensitive scopes. */
export function detectAccess(r: ResourceFacts, agent: string): GateItem[] {
    if (r.kind === "component") {
        return detectSensitiveIdentity(r, agent);
    }
    if (r.kind !== "custom") {
        return [];
    }
    const hit = accessRuleFor(r);
    if (!hit) {
        return [];
    }
    const via = hit.input ? ` through its "${hit.input}" input` : "";
    return [
        {
            level: "resource",
            resource: r.urn,
            need: { gate: "access" },
            observed: `agent "${agent}" would change access control with "${r.urn}"${via} (${hit.why})`,
        },
    ];
}
