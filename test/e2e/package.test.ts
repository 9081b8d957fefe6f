/**
 * agentguard as a platform team installs it: `npm pack`, the tarball installed with
 * `npm install --prefix <platform dir> --ignore-scripts` into a fresh directory, then the
 * installed `agentguard` command and a real `pulumi preview --policy-pack
 * node_modules/agentguard` from there. Proves the tarball holds everything the pack and the CLI
 * need (dist, PulumiPolicy.yaml, its runtime dependencies) and nothing is read from this checkout.
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../tmp";
import { ROOT, Workspace } from "./pulumi";
import { workspacesOfFile } from "./workspaces";

let platform = "";
let pack = "";
const workspaces = workspacesOfFile();

describe("the published package", () => {
    beforeAll(async () => {
        const d = tempDir("agentguard-package-");
        // npm test has just built dist/; packing must not build again. Asynchronously: a worker
        // blocked for minutes misses vitest's own calls and fails the run.
        const run = promisify(execFile);
        const name = (await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", d], { cwd: ROOT, encoding: "utf8" })).stdout.trim().split("\n").pop()!;
        platform = path.join(d, "platform");
        mkdirSync(platform);
        writeFileSync(path.join(platform, "package.json"), JSON.stringify({ name: "platform-tools", private: true }));
        await run("npm", ["install", "--prefix", platform, "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", path.join(d, name)], { encoding: "utf8" });
        pack = path.join(platform, "node_modules", "agentguard");
    }, 600_000);

    it("holds the pack, its PulumiPolicy.yaml, the CLI and the declared exports, and no sources or tests", () => {
        const manifest = JSON.parse(readFileSync(path.join(pack, "package.json"), "utf8"));
        expect(manifest.private).toBeUndefined();
        for (const f of ["PulumiPolicy.yaml", "bin/agentguard-analyzer", "dist/pack/analyzer.bundle.js", "dist/pack/analyzer.bundle.LICENSES.txt", "dist/pack/index.js", "dist/cli/main.js", "dist/identity/index.js", "dist/gate/decide.js", "dist/cost/snapshot.json", "README.md"]) {
            expect(existsSync(path.join(pack, f)), f).toBe(true);
        }
        for (const f of ["src", "test", "stacks", "scripts"]) {
            expect(existsSync(path.join(pack, f)), f).toBe(false);
        }
        for (const sub of Object.values(manifest.exports) as (string | { default: string })[]) {
            const target = typeof sub === "string" ? sub : sub.default;
            expect(existsSync(path.join(pack, target)), target).toBe(true);
        }
    });

    it("runs the installed agentguard command with npx", () => {
        const help = execFileSync("npx", ["--no-install", "agentguard", "--help"], { cwd: platform, encoding: "utf8" });
        expect(help).toContain("agentguard keygen [options]");
        expect(execFileSync("npx", ["--no-install", "agentguard", "--version"], { cwd: platform, encoding: "utf8" })).toBe(
            `agentguard ${JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version}\n`,
        );
    }, 60_000);

    it("runs as the policy pack of a real pulumi preview from node_modules/agentguard", async () => {
        const ws = await Workspace.create({ program: path.join(ROOT, "test/e2e/programs/generic"), stack: "prod" });
        workspaces.push(ws);
        await ws.config("agentguard:agent", "deploy-bot");
        await ws.resources([{ type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } }]);
        const r = await ws.pulumi(["preview", "--policy-pack", pack]);
        expect(r.code, r.output).not.toBe(0);
        expect(r.output).toContain(`agentguard@v`);
        expect(r.output).toContain(`(local: ${pack})`);
        expect(r.output).toContain('agent "deploy-bot" declares "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site" in production');
    }, 300_000);

    it("runs its executable entry (the bundled analyzer) as the policy pack of a real pulumi preview", async () => {
        const ws = await Workspace.create({ program: path.join(ROOT, "test/e2e/programs/generic"), stack: "prod" });
        workspaces.push(ws);
        await ws.config("agentguard:agent", "deploy-bot");
        await ws.resources([{ type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "shop-site" } }]);
        const r = await ws.pulumi(["preview", "--policy-pack", path.join(pack, "bin/agentguard-analyzer")]);
        expect(r.code, r.output).not.toBe(0);
        expect(r.output).toContain('agent "deploy-bot" declares "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::site" in production');
    }, 300_000);
});
