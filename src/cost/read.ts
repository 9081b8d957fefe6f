/**
 * Readers for the inputs the estimator prices, on top of the gate's value readers: each says
 * whether a value is present, unknown at preview, or absent, and never throws.
 * @internal
 */
import { UNKNOWN, Unknown, Value, isUnknown } from "../facts/facts";
import { asList, asNumber, asObject, asString, decodeJsonish } from "../facts/values";

/** A boolean (`true`, `"true"`), UNKNOWN, or undefined. */
export function asBool(v: Value | undefined): boolean | Unknown | undefined {
    if (isUnknown(v)) {
        return UNKNOWN;
    }
    if (typeof v === "boolean") {
        return v;
    }
    if (typeof v === "string") {
        const t = v.trim().toLowerCase();
        if (t === "true") {
            return true;
        }
        if (t === "false") {
            return false;
        }
    }
    return undefined;
}

/** A string that may arrive JSON-encoded (`"\"eu-west-1\""`), trimmed; UNKNOWN or undefined. */
export function asText(v: Value | undefined): string | Unknown | undefined {
    const s = asString(v);
    if (typeof s !== "string") {
        return s;
    }
    let t = s.trim();
    if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
        try {
            const d = JSON.parse(t) as unknown;
            if (typeof d === "string") {
                t = d.trim();
            }
        } catch {
            // keep as is
        }
    }
    return t === "" ? undefined : t;
}

/** A non-negative finite number; UNKNOWN or undefined (negative or odd values count as absent). */
export function asCount(v: Value | undefined): number | Unknown | undefined {
    const n = asNumber(v);
    if (isUnknown(n)) {
        return UNKNOWN;
    }
    return n !== undefined && n >= 0 && n < 1e9 ? n : undefined;
}

/** An object, also from a one-element list (Terraform-style blocks arrive either way). */
export function asBlock(v: Value | undefined): { [key: string]: Value } | Unknown | undefined {
    const d = decodeJsonish(v);
    if (Array.isArray(d)) {
        if (d.length === 0) {
            return undefined;
        }
        return asObject(d[0]);
    }
    return asObject(d);
}

/** A list of blocks (objects), UNKNOWN, or undefined. */
export function asBlocks(v: Value | undefined): ({ [key: string]: Value } | Unknown)[] | Unknown | undefined {
    const l = asList(v);
    if (isUnknown(l)) {
        return UNKNOWN;
    }
    if (l === undefined) {
        const o = asObject(v);
        return o === undefined ? undefined : [o];
    }
    const out: ({ [key: string]: Value } | Unknown)[] = [];
    for (const item of l) {
        const o = asObject(item);
        if (o !== undefined) {
            out.push(o);
        }
    }
    return out;
}
