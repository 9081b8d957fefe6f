/**
 * Gate `access`: a resource that changes who can do what needs approval with `access: true`.
 *
 * The reviewed type table (src/cost/catalog) is the whole definition: each type's row says
 * whether it always changes access (with the reason), only when an input is set, or is judged by
 * what it grants (src/gate/grants.ts: network exposure, service roles, source-scoped invoke
 * permissions). One rule holds for every AWS type besides: an inline access policy, permission
 * or sharing input is access. docs/policies.md is generated from the table.
 */
import { CatalogRow, TYPE_TABLE } from "../cost/catalog";
import { ResourceFacts, Value, isUnknown } from "../facts/facts";
import { JUDGES } from "./grants";
import { GateItem } from "./items";
import { field } from "../facts/values";

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

function rowHit(row: CatalogRow, props: ResourceFacts["props"]): AccessHit | undefined {
    if (row.access) {
        return { why: row.access };
    }
    if (row.judge) {
        let verdict: string | undefined;
        try {
            verdict = JUDGES[row.judge.id](props);
        } catch {
            verdict = "its inputs could not be read";
        }
        return verdict === undefined ? undefined : { why: `${row.judge.why}: ${verdict}` };
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

/** The reason `r` changes access control, or undefined. Unknown trigger inputs count as set. */
export function accessRuleFor(r: Pick<ResourceFacts, "type" | "props">): AccessHit | undefined {
    const row = TYPE_TABLE.get(r.type);
    const hit = row ? rowHit(row, r.props) : undefined;
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

/** Raises the access item of a custom resource that changes access control. */
export function detectAccess(r: ResourceFacts, agent: string): GateItem[] {
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
