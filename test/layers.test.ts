/**
 * Layers that only point down: every import between the top-level folders of src/ goes to a
 * lower layer (or stays in its folder). A new upward arrow fails here, naming the file and line.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(__dirname, "../src");

/**
 * The layers, lowest first. facts (plain values, readers, formatting) and schema (the ajv
 * wrapper) import nothing of ours; approvals and cost read facts; the gate decides on facts with
 * approvals and costs; the pack, the plan gate and the CLI are doors into the gate.
 */
const LAYERS: readonly (readonly string[])[] = [
    ["facts", "schema"],
    ["approvals", "cost", "identity", "policies"],
    ["gate"],
    ["log", "plan"],
    ["pack", "report"],
    ["cli", "docs"],
];

/**
 * Known upward arrows, to remove rather than to add to: the approvals read the approver config
 * and gate ids, which live in the gate's config and items (a split of src/gate/config.ts is
 * still to do).
 */
const KNOWN_UPWARD: ReadonlySet<string> = new Set([
    "approvals/keys.ts -> gate/config.ts",
    "approvals/roles.ts -> gate/config.ts",
    "approvals/roles.ts -> gate/items.ts",
    "approvals/verify.ts -> gate/config.ts",
    "approvals/verify.ts -> gate/items.ts",
]);

/** Folders whose modules must load without Pulumi (the pure core and what it stands on). */
const PULUMI_FREE = ["facts", "schema", "approvals", "cost", "gate", "policies"];

function layerOf(folder: string): number {
    const i = LAYERS.findIndex((l) => l.includes(folder));
    if (i < 0) {
        throw new Error(`src/${folder} is in no layer of test/layers.test.ts: add it to LAYERS`);
    }
    return i;
}

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const p = path.join(dir, name);
        return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
    });
}

/** `[line, specifier]` of every import, export-from, dynamic import and require in `text`. */
function specifiers(text: string): [number, string][] {
    const out: [number, string][] = [];
    const re = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)"([^"]+)"/gm;
    for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push([text.slice(0, m.index).split("\n").length, m[1]]);
    }
    return out;
}

/** The src-relative file an import resolves to (`gate/config.ts`), or undefined outside src. */
function target(from: string, spec: string): string | undefined {
    if (!spec.startsWith(".")) {
        return undefined;
    }
    const base = path.resolve(path.dirname(from), spec);
    for (const candidate of [`${base}.ts`, path.join(base, "index.ts"), base]) {
        try {
            if (statSync(candidate).isFile()) {
                return path.relative(SRC, candidate);
            }
        } catch {
            // not this one
        }
    }
    return path.relative(SRC, base);
}

describe("layers", () => {
    const files = sources(SRC);

    it("every import between folders of src/ points down a layer", () => {
        const upward: string[] = [];
        for (const file of files) {
            const from = path.relative(SRC, file);
            const fromFolder = from.split(path.sep)[0];
            for (const [line, spec] of specifiers(readFileSync(file, "utf8"))) {
                const to = target(file, spec);
                if (to === undefined || to.startsWith("..")) {
                    continue;
                }
                const toFolder = to.split(path.sep)[0];
                if (toFolder === fromFolder || from.split(path.sep).length === 1) {
                    continue;
                }
                const arrow = `${from} -> ${to}`;
                if (layerOf(toFolder) >= layerOf(fromFolder) && !KNOWN_UPWARD.has(arrow)) {
                    upward.push(`${from}:${line} imports ${to} (${toFolder} is not below ${fromFolder})`);
                }
            }
        }
        expect(upward).toEqual([]);
    });

    it("the known upward arrows still exist (remove an entry once its arrow is gone)", () => {
        const arrows = new Set<string>();
        for (const file of files) {
            for (const [, spec] of specifiers(readFileSync(file, "utf8"))) {
                const to = target(file, spec);
                if (to !== undefined) {
                    arrows.add(`${path.relative(SRC, file)} -> ${to}`);
                }
            }
        }
        expect([...KNOWN_UPWARD].filter((a) => !arrows.has(a))).toEqual([]);
    });

    it("the core and what it stands on never import Pulumi", () => {
        const offenders = files
            .filter((f) => PULUMI_FREE.includes(path.relative(SRC, f).split(path.sep)[0]))
            .flatMap((f) => specifiers(readFileSync(f, "utf8")).filter(([, s]) => s.startsWith("@pulumi/")).map(([line, s]) => `${path.relative(SRC, f)}:${line} imports ${s}`));
        expect(offenders).toEqual([]);
    });

    it("sees the arrows it judges: a file that imports up is caught", () => {
        expect(specifiers('import { x } from "../gate/run";\nconst y = require("../pack/index");\nexport { z } from "./a";')).toEqual([
            [1, "../gate/run"],
            [2, "../pack/index"],
            [3, "./a"],
        ]);
        expect(layerOf("facts")).toBeLessThan(layerOf("gate"));
        expect(layerOf("gate")).toBeLessThan(layerOf("pack"));
    });
});
