/**
 * Readers for property values that may be unknown, JSON-encoded or oddly shaped. Each returns
 * either a plain value, `UNKNOWN`, or `undefined` (absent) — never throws.
 * @internal
 */
import { UNKNOWN, Unknown, Value, isUnknown } from "./facts";

/** Reads `obj[key]` where obj may be anything. */
export function field(obj: Value | undefined, key: string): Value | undefined {
    if (isUnknown(obj)) {
        return UNKNOWN;
    }
    if (obj === null || obj === undefined || typeof obj !== "object" || Array.isArray(obj)) {
        return undefined;
    }
    return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** Follows a path of keys. */
export function path(obj: Value | undefined, ...keys: string[]): Value | undefined {
    let cur: Value | undefined = obj;
    for (const k of keys) {
        cur = field(cur, k);
        if (cur === undefined || isUnknown(cur)) {
            return cur;
        }
    }
    return cur;
}

/**
 * Provider inputs reach the engine either as real values or as JSON-encoded strings
 * (`allowedAccountIds: '["123"]'`, `assumeRole: '{"roleArn":"…"}'`). Decodes the latter.
 */
export function decodeJsonish(v: Value | undefined): Value | undefined {
    if (typeof v !== "string") {
        return v;
    }
    const t = v.trim();
    if ((t.startsWith("[") && t.endsWith("]")) || (t.startsWith("{") && t.endsWith("}"))) {
        try {
            return JSON.parse(t) as Value;
        } catch {
            return v;
        }
    }
    return v;
}

/** A string, or UNKNOWN, or undefined. Numbers are stringified (account ids are sometimes numbers). */
export function asString(v: Value | undefined): string | Unknown | undefined {
    if (isUnknown(v)) {
        return UNKNOWN;
    }
    if (typeof v === "string") {
        return v;
    }
    if (typeof v === "number" && Number.isFinite(v)) {
        return String(v);
    }
    return undefined;
}

/** A list of strings (from an array or a JSON-encoded array or a single string). UNKNOWN if any part is unknown. */
export function asStringList(v: Value | undefined): string[] | Unknown | undefined {
    const d = decodeJsonish(v);
    if (isUnknown(d)) {
        return UNKNOWN;
    }
    if (d === undefined || d === null) {
        return undefined;
    }
    if (Array.isArray(d)) {
        const out: string[] = [];
        for (const item of d) {
            const s = asString(item);
            if (isUnknown(s)) {
                return UNKNOWN;
            }
            if (s !== undefined) {
                out.push(s);
            }
        }
        return out;
    }
    const s = asString(d);
    return s === undefined ? undefined : isUnknown(s) ? UNKNOWN : [s];
}

/** A finite number (numeric strings accepted), UNKNOWN, or undefined. */
export function asNumber(v: Value | undefined): number | Unknown | undefined {
    if (isUnknown(v)) {
        return UNKNOWN;
    }
    if (typeof v === "number" && Number.isFinite(v)) {
        return v;
    }
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
        return Number(v);
    }
    return undefined;
}

/** A plain object (JSON-encoded objects accepted), UNKNOWN, or undefined. */
export function asObject(v: Value | undefined): { [key: string]: Value } | Unknown | undefined {
    const d = decodeJsonish(v);
    if (isUnknown(d)) {
        return UNKNOWN;
    }
    if (d !== null && d !== undefined && typeof d === "object" && !Array.isArray(d)) {
        return d;
    }
    return undefined;
}

/** A list (JSON-encoded lists accepted), UNKNOWN, or undefined. */
export function asList(v: Value | undefined): Value[] | Unknown | undefined {
    const d = decodeJsonish(v);
    if (isUnknown(d)) {
        return UNKNOWN;
    }
    return Array.isArray(d) ? d : undefined;
}
