/**
 * Declared JSON schemas checked by ajv. Every input agentguard reads from a person (the gate and
 * hygiene config, an approval's scope, the agent registry) is declared as a JSON schema, strict:
 * unknown keys are refused with "did you mean …". Only rules that relate two fields are written
 * by hand beside each schema.
 *
 * ajv is loaded on the first check, not on import, so the policy pack starts as fast as before
 * (the engine asks for the pack's metadata long before it sends any config).
 */
import type { ErrorObject, ValidateFunction } from "ajv";

/** A JSON schema node; `x-message` replaces ajv's wording for that node. */
export type Schema = Readonly<Record<string, unknown>>;

/** The first thing wrong with a value. */
export interface SchemaProblem {
    /** Dotted path of the offending field (`agents.bot.monthlyBudgetUsd`); `""` for the value itself. */
    readonly path: string;
    /** One phrase that follows the quoted path, e.g. `must be a number ≥ 0`. */
    readonly message: string;
}

/**
 * Annotations a schema node may carry besides JSON Schema: `x-message` replaces ajv's wording;
 * `x-code`, `x-what`, `x-type` and `x-wildcard` are read by callers that map errors to their own codes
 * (the agent registry).
 */
const ANNOTATIONS = ["x-message", "x-code", "x-what", "x-wildcard", "x-type"];

/**
 * A new strict ajv instance that knows agentguard's annotations and formats. The checking
 * instances below pass `validateSchema: false`: ajv would otherwise compile the draft-07
 * meta-schema on the first check of every process (about 28 ms of the pack's start-up,
 * docs/performance.md). The schemas are constants of this repository, and
 * test/schema/declared.test.ts checks each one against the meta-schema instead.
 * @internal
 */
export function newAjv(opts: { allErrors: boolean; validateSchema: boolean }): import("ajv").default {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require("ajv") as typeof import("ajv")).default;
    const ajv = new Ajv({ strict: true, verbose: true, allowUnionTypes: true, ...opts });
    ajv.addVocabulary(ANNOTATIONS);
    ajv.addFormat("date-time", (s: string) => /^\d{4}-\d\d-\d\dT/.test(s) && !Number.isNaN(Date.parse(s)));
    return ajv;
}

/** One ajv instance per mode: the first problem only, or every problem. */
const instances: { first?: import("ajv").default; all?: import("ajv").default } = {};
const compiled = { first: new WeakMap<Schema, ValidateFunction>(), all: new WeakMap<Schema, ValidateFunction>() };

function compile(schema: Schema, mode: "first" | "all" = "first"): ValidateFunction {
    let v = compiled[mode].get(schema);
    if (!v) {
        const ajv = (instances[mode] ??= newAjv({ allErrors: mode === "all", validateSchema: false }));
        v = ajv.compile(schema);
        compiled[mode].set(schema, v);
    }
    return v;
}

/** Every ajv error of `value` against `schema` (empty when it conforms), for callers with their own codes. */
export function schemaErrors(schema: Schema, value: unknown): readonly ErrorObject[] {
    const validate = compile(schema, "all");
    return validate(value) ? [] : [...validate.errors!];
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}

/** The known name closest to `name`, if it is close enough to be a typo. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestD = Infinity;
    for (const k of known) {
        const d = distance(name, k);
        if (d < bestD) {
            best = k;
            bestD = d;
        }
    }
    return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** `unknown key "x"; did you mean "y"?` or `… (allowed: a, b)`. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
    const guess = didYouMean(key, known);
    return `has unknown key "${key}"; ${guess ? `did you mean "${guess}"?` : `allowed: ${known.join(", ")}`}`;
}

function pathOf(e: ErrorObject): string {
    return e.instancePath
        .split("/")
        .slice(1)
        .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
        .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
        .join("");
}

function describe(e: ErrorObject): string {
    const custom = (e.parentSchema as Schema | undefined)?.["x-message"];
    if (e.keyword === "additionalProperties") {
        const known = Object.keys(((e.parentSchema as Schema | undefined)?.properties ?? {}) as object);
        return unknownKeyMessage(String((e.params as { additionalProperty: string }).additionalProperty), known);
    }
    if (e.keyword === "required") {
        return `needs "${(e.params as { missingProperty: string }).missingProperty}"`;
    }
    if (typeof custom === "string") {
        return custom;
    }
    if (e.keyword === "enum") {
        return `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
    }
    return e.message ?? "is invalid";
}

/** The first problem of `value` against `schema`, or undefined when it conforms. */
export function schemaProblem(schema: Schema, value: unknown): SchemaProblem | undefined {
    const validate = compile(schema);
    if (validate(value)) {
        return undefined;
    }
    const e = validate.errors![0];
    return { path: pathOf(e), message: describe(e) };
}

/** `"path" message`, or `what message` for the value itself. */
export function problemText(p: SchemaProblem, what: string): string {
    return p.path === "" ? `${what} ${p.message}` : `"${p.path}" ${p.message}`;
}
