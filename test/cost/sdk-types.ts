/**
 * Every resource type token of the installed SDK packages, read from their compiled classes
 * (`static __pulumiType = '<token>'`). The provider class (`__pulumiType = 'aws'`) is left out:
 * provider resources are judged by the provider gate, not the type table.
 */
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../node_modules/@pulumi");

function jsFiles(dir: string, out: string[] = []): string[] {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== "node_modules" && e.name !== "types") {
            jsFiles(p, out);
        } else if (e.isFile() && e.name.endsWith(".js")) {
            out.push(p);
        }
    }
    return out;
}

/** Each type token of `@pulumi/<pkg>` with the compiled class file that declares it. */
function resourceFiles(pkg: string): [string, string][] {
    const found: [string, string][] = [];
    const re = /__pulumiType = ['"]([^'"]+)['"]/g;
    for (const f of jsFiles(path.join(ROOT, pkg))) {
        for (const m of readFileSync(f, "utf8").matchAll(re)) {
            const t = m[1] ?? "";
            if (t.includes(":")) {
                found.push([t, f]);
            }
        }
    }
    return found;
}

/** The type tokens of `@pulumi/<pkg>`, sorted. */
export function sdkTypes(pkg: string): string[] {
    return [...new Set(resourceFiles(pkg).map(([t]) => t))].sort();
}

/** The SDK packages whose every type must have a row. */
export const PINNED_PACKAGES = ["aws", "cloudflare"] as const;

/** The types of `types` that have no row in `table`. */
export function missingRows(types: readonly string[], table: ReadonlyMap<string, unknown>): string[] {
    return types.filter((t) => !table.has(t));
}

/** A property of an SDK input type: its type text and its doc comment. */
export interface SdkInput {
    readonly type: string;
    readonly doc: string;
}

/** The interfaces of a declaration file: qualified name (`athena.WorkgroupConfiguration`) → property → its type and doc. */
function interfaces(text: string): Map<string, Map<string, SdkInput>> {
    const out = new Map<string, Map<string, SdkInput>>();
    const namespaces: [string, number][] = [];
    let depth = 0;
    let current: Map<string, SdkInput> | undefined;
    let currentDepth = 0;
    let doc = "";
    // Each doc comment becomes one `@doc` line (its braces are not code); other comments go.
    const lines = text
        .replace(/\/\*\*([\s\S]*?)\*\//g, (_m, d: string) => `\n@doc ${d.replace(/\s*\n\s*\*?/g, " ").trim()}\n`)
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .split("\n");
    for (const raw of lines) {
        const line = raw.trim();
        if (line.startsWith("@doc ")) {
            doc = line.slice(5);
            continue;
        }
        const ns = /^(?:export )?(?:declare )?namespace (\w+) \{/.exec(line);
        if (ns) {
            namespaces.push([ns[1] as string, depth++]);
            continue;
        }
        const iface = /^(?:export )?interface (\w+)(?:<[^>]*>)? \{/.exec(line);
        if (iface) {
            const name = [...namespaces.map(([n]) => n), iface[1]].join(".");
            current = new Map();
            out.set(name, current);
            currentDepth = depth++;
            if (line.endsWith("}")) {
                depth--;
                current = undefined;
            }
            continue;
        }
        // A property's type on one line, or the first line of a multi-line object type (a map).
        const prop = current && /^(\w+)\??: (.*(?:;|\{))$/.exec(line);
        if (current && prop) {
            current.set(prop[1] as string, { type: prop[2] as string, doc });
            doc = "";
        }
        depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
        if (current && depth <= currentDepth) {
            current = undefined;
        }
        while (namespaces.length > 0 && depth <= (namespaces.at(-1) as [string, number])[1]) {
            namespaces.pop();
        }
    }
    return out;
}

/**
 * The input paths of every resource type of `@pulumi/<pkg>` (`configuration.resultConfiguration.outputLocation`
 * and each of its prefixes), read from the constructor's args interface and the nested input
 * types of `types/input.d.ts`, each with its doc comment. A path that reaches a free-form map
 * ends in `.*`.
 */
export function sdkInputPaths(pkg: string): Map<string, Map<string, string>> {
    const root = path.join(ROOT, pkg);
    const inputs = interfaces(readFileSync(path.join(root, "types/input.d.ts"), "utf8"));
    const out = new Map<string, Map<string, string>>();
    const walk = (props: Map<string, SdkInput>, prefix: string, seen: ReadonlySet<string>, into: Map<string, string>): void => {
        for (const [key, { type, doc }] of props) {
            const p = prefix === "" ? key : `${prefix}.${key}`;
            into.set(p, doc);
            if (/\{\s*(\[key: string\].*)?$/.test(type)) {
                into.set(`${p}.*`, "");
            }
            for (const m of type.matchAll(/inputs\.([\w.]+)/g)) {
                const ref = m[1] as string;
                const nested = inputs.get(ref);
                if (nested && !seen.has(ref)) {
                    walk(nested, p, new Set([...seen, ref]), into);
                }
            }
        }
    };
    for (const [token, js] of resourceFiles(pkg)) {
        const text = readFileSync(js.replace(/\.js$/, ".d.ts"), "utf8");
        const argsName = /constructor\(name: string, args\??: (\w+)/.exec(text)?.[1];
        const args = argsName === undefined ? undefined : interfaces(text).get(argsName);
        if (args) {
            const paths = new Map<string, string>();
            walk(args, "", new Set(), paths);
            out.set(token, paths);
        }
    }
    return out;
}
