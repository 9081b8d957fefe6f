import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { doctor } from "../../src/cli/doctor";
import { main } from "../../src/cli/main";

/** A program directory holding `files` (path → content). */
function program(files: Record<string, string>): string {
    const d = mkdtempSync(path.join(tmpdir(), "agentguard-doctor-"));
    for (const [f, text] of Object.entries({ "Pulumi.yaml": "name: shop\nruntime: nodejs\n", "index.js": "", ...files })) {
        mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
        writeFileSync(path.join(d, f), text);
    }
    return d;
}

async function run(dir: string) {
    const out = { stdout: "", stderr: "" };
    const code = await main(["doctor", dir], { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) });
    return { code, ...out };
}

describe("agentguard doctor", () => {
    it("finds nothing in a plain program, and exits 0", async () => {
        const r = await run(program({ "package.json": JSON.stringify({ name: "shop", dependencies: { "@pulumi/pulumi": "^3" } }) }));
        expect(r.code).toBe(0);
        expect(r.stdout).toContain("nothing found");
    });

    it("refuses a Pulumi.yaml with plugins: (a language host of the repository's choosing)", async () => {
        const r = await run(program({ "Pulumi.yaml": "name: shop\nruntime: nodejs\nplugins:\n  languages:\n    - name: nodejs\n      path: ./host\n" }));
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/REFUSE Pulumi.yaml: declares `plugins:`/);
    });

    it("refuses plugins in Pulumi.yml and Pulumi.json too, and a project file it cannot parse", () => {
        expect(doctor(program({ "Pulumi.yaml": "", "Pulumi.yml": "plugins:\n  providers: []\n" })).map((f) => f.file)).toContain("Pulumi.yml");
        expect(doctor(program({ "Pulumi.json": JSON.stringify({ plugins: { analyzers: [] } }) })).map((f) => f.file)).toContain("Pulumi.json");
        expect(doctor(program({ "Pulumi.yaml": "name: [unclosed" }))[0]).toMatchObject({ level: "refuse", file: "Pulumi.yaml" });
    });

    it("refuses what the engine would honour under a spelling or merge a plain key check misses, and backend:/packages:", () => {
        const refused = (files: Record<string, string>) => doctor(program(files)).filter((f) => f.level === "refuse").map((f) => `${f.file}: ${f.message}`);
        // A YAML merge key: the engine's yaml.v3 applies it; the key never appears as "plugins".
        expect(refused({ "Pulumi.yaml": "name: shop\nruntime: nodejs\n<<: {plugins: {providers: [{name: aws, path: /tmp/evil}]}}\n" })).toEqual([expect.stringContaining("merge key")]);
        // Go's JSON decoding matches "Plugins" to the plugins field.
        expect(refused({ "Pulumi.yaml": "name: shop\n", "Pulumi.json": JSON.stringify({ name: "shop", runtime: "nodejs", Plugins: { providers: [] } }) })).toEqual([expect.stringContaining("Pulumi.json: declares `plugins:`")]);
        expect(refused({ "Pulumi.yaml": "name: shop\nruntime: nodejs\nbackend:\n  url: file:///home/agent/state\n" })).toEqual([expect.stringContaining("declares `backend:`")]);
        expect(refused({ "Pulumi.yaml": "name: shop\nruntime: nodejs\npackages:\n  evil: ./plugin\n" })).toEqual([expect.stringContaining("declares `packages:`")]);
        expect(refused({ "Pulumi.yaml": "name: shop\nruntime: nodejs\nnewKey: 1\n" })).toEqual([expect.stringContaining("`newKey`")]);
        expect(refused({ "Pulumi.yaml": "- a list\n" })).toEqual([expect.stringContaining("not a mapping")]);
        expect(refused({ "Pulumi.yaml": "name: shop\nruntime:\n  name: nodejs\n  options:\n    NodeArgs: -r ./hook.js\n" })).toEqual([expect.stringContaining("preloads code")]);
        // What a plain program uses passes.
        expect(refused({ "Pulumi.yaml": "name: shop\ndescription: d\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: src/\nconfig:\n  region: us-east-1\noptions:\n  refresh: always\n" })).toEqual([]);
    });

    it("reads .npmrc keys as npm does (quoted, with underscores) and refuses git=, which runs even with --ignore-scripts", () => {
        const f = doctor(program({ ".npmrc": '"script-shell"=./sh\n\'node_options\'=--require ./x.js\ngit=./evil-git.sh\nregistry=https://registry.npmjs.org/\n' }));
        expect(f.map((x) => `${x.level} ${x.message.split("`")[1]}`)).toEqual(["refuse script-shell", "refuse node-options", "refuse git"]);
    });

    it("refuses a project file, .npmrc or package file that is a symlink (dangling now, the agent's file after the move or npm ci)", () => {
        const dir = program({});
        symlinkSync("../src/p.json", path.join(dir, "Pulumi.json"));
        symlinkSync("node_modules/x/.npmrc", path.join(dir, ".npmrc"));
        const f = doctor(dir);
        expect(f.map((x) => `${x.level} ${x.file}`).sort()).toEqual(["refuse .npmrc", "refuse Pulumi.json"]);
        expect(f[0].message).toContain("symlink");
    });

    it("refuses .npmrc keys npm would unescape or expand (a JSON-escaped or ${VAR}-built key names anything)", () => {
        const f = doctor(program({ ".npmrc": '"scr\\u0069pt-shell"=./sh\ngit${AG_UNSET?}=./evil-git.sh\n' }));
        expect(f.map((x) => x.level)).toEqual(["refuse", "refuse"]);
        expect(f[0].message).toContain("script-shell");
        expect(f[1].message).toContain("expand or unescape");
    });

    it("refuses runtime nodeargs that preload code", () => {
        const f = doctor(program({ "Pulumi.yaml": "name: shop\nruntime:\n  name: nodejs\n  options:\n    nodeargs: --require ./hook.js\n" }));
        expect(f).toEqual([expect.objectContaining({ level: "refuse", message: expect.stringContaining("preloads code") })]);
        expect(doctor(program({ "Pulumi.yaml": "name: shop\nruntime:\n  name: nodejs\n  options:\n    nodeargs: --max-old-space-size=4096\n" }))).toEqual([]);
    });

    it("refuses .npmrc settings that run the repository's code (node-options, script-shell)", () => {
        const f = doctor(program({ ".npmrc": "# comment\nnode-options=--require ./x.js\nscript-shell = ./sh\nregistry=https://registry.npmjs.org/\n" }));
        expect(f.map((x) => x.level)).toEqual(["refuse", "refuse"]);
        expect(f[0].message).toContain("node-options");
    });

    it("warns (exit 0) about install scripts, which the recipe's --ignore-scripts skips", async () => {
        const dir = program({
            "package.json": JSON.stringify({ scripts: { postinstall: "node evil.js", test: "vitest" } }),
            "package-lock.json": JSON.stringify({ packages: { "": {}, "node_modules/esbuild": { hasInstallScript: true } } }),
        });
        const r = await run(dir);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('has a "postinstall" script');
        expect(r.stdout).toContain("1 dependencies have install scripts (esbuild)");
    });

    it("refuses yarn and pnpm hooks, committed node_modules and plugin-named binaries", () => {
        const f = doctor(
            program({
                ".yarnrc.yml": "yarnPath: .yarn/releases/evil.cjs\n",
                ".pnpmfile.cjs": "module.exports = {}",
                "node_modules/x/index.js": "",
                "pulumi-language-nodejs": "#!/bin/sh\n",
            }),
        );
        expect(f.map((x) => x.file).sort()).toEqual([".pnpmfile.cjs", ".yarnrc.yml", "node_modules", "pulumi-language-nodejs"]);
        expect(f.every((x) => x.level === "refuse")).toBe(true);
    });

    it("says so when the directory holds no Pulumi project, and refuses bad usage", async () => {
        const d = mkdtempSync(path.join(tmpdir(), "agentguard-doctor-"));
        expect((await run(d)).code).toBe(1);
        const out = { stdout: "", stderr: "" };
        expect(await main(["doctor"], { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) })).toBe(2);
    });
});
