/**
 * Provisions the real Pulumi CLI for the e2e suite (building it on first use) and puts it on
 * PATH. A CLI that cannot be provisioned fails the run: it is never a skip.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export default function setup(): void {
    const root = path.resolve(__dirname, "../..");
    try {
        process.env.PATH = execFileSync("bash", ["-c", 'lines=$(bash scripts/pulumi-env.sh) && eval "$lines" && printf %s "$PATH"'], {
            cwd: root,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
        });
    } catch {
        throw new Error("the Pulumi CLI could not be provisioned (see the pulumi-env output above); the e2e suite needs the real CLI and does not skip");
    }
    const version = execFileSync("pulumi", ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }).trim();
    process.stderr.write(`e2e: using pulumi ${version}\n`);
}
