/**
 * Bundles the executable entry (dist/pack/analyzer.js, compiled by tsc) into one file,
 * dist/pack/analyzer.bundle.js, which bin/agentguard-analyzer runs. The engine waits for the
 * pack's port before it starts the program, so the pack's start-up is on the path of every
 * preview: one file instead of ~100 modules to resolve and read saves about a third of it
 * (docs/performance.md, "The executable entry"). Run by `npm run build`, after tsc.
 *
 * The bundle holds code of the runtime dependencies it loads (the generated protocol files,
 * google-protobuf, ajv, jose, …); their licence texts are written beside it, in
 * dist/pack/analyzer.bundle.LICENSES.txt, from the packages the bundle actually took code from.
 * grpc-js is not among them: src/pack/grpc.ts serves the calls on node:http2.
 */
"use strict";
const { existsSync, readdirSync, readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "dist/pack/analyzer.bundle.js");

const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: ["dist/pack/analyzer.js"],
    outfile: OUT,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
});

/** The package directories (node_modules/<name> or node_modules/@scope/name, nested or not) of the bundle's inputs. */
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) {
        packages.add(m[1]);
    }
}

const sections = [...packages].sort().map((dir) => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, dir, "package.json"), "utf8"));
    const file = readdirSync(path.join(ROOT, dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    if (!file) {
        throw new Error(`bundle-analyzer: ${manifest.name} has no licence file to ship with the bundle`);
    }
    const text = readFileSync(path.join(ROOT, dir, file), "utf8").trim();
    return `## ${manifest.name} ${manifest.version} (${manifest.license ?? "see below"})\n\n${text}\n`;
});
writeFileSync(
    `${OUT.replace(/\.js$/, "")}.LICENSES.txt`,
    `Third-party code bundled into analyzer.bundle.js (agentguard's executable entry), with its licences.\n\n${sections.join("\n")}`,
);
if (!existsSync(OUT)) {
    throw new Error("bundle-analyzer: no bundle written");
}
