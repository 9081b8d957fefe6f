/**
 * The offline simulators answer the provider protocol: the gRPC smoke check drives both
 * executables through every call the engine makes (CheckConfig … Delete, Invoke).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

it("aws and cloudflare simulators pass the gRPC smoke check, and answer unknown functions without a stack trace", () => {
    const r = spawnSync(process.execPath, [path.join(__dirname, "smoke/grpc-smoke.js")], { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("aws simulator: ok");
    expect(r.stdout).toContain("cloudflare simulator: ok");
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.stderr).not.toContain("unknown function");
}, 60_000);
