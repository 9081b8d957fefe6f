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

/** The type tokens of `@pulumi/<pkg>`, sorted. */
export function sdkTypes(pkg: string): string[] {
    const found = new Set<string>();
    const re = /__pulumiType = ['"]([^'"]+)['"]/g;
    for (const f of jsFiles(path.join(ROOT, pkg))) {
        const text = readFileSync(f, "utf8");
        for (const m of text.matchAll(re)) {
            const t = m[1] ?? "";
            if (t.includes(":")) {
                found.add(t);
            }
        }
    }
    return [...found].sort();
}

/** The SDK packages whose every type must have a row. */
export const PINNED_PACKAGES = ["aws", "cloudflare"] as const;

/** The types of `types` that have no row in `table`. */
export function missingRows(types: readonly string[], table: ReadonlyMap<string, unknown>): string[] {
    return types.filter((t) => !table.has(t));
}
