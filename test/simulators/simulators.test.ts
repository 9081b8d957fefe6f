/**
 * The offline simulators answer the provider protocol: the gRPC smoke check drives both
 * executables through every call the engine makes (CheckConfig … Delete, Invoke).
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

it("aws and cloudflare simulators pass the gRPC smoke check", () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, "smoke/grpc-smoke.js")], { encoding: "utf8", timeout: 60_000 });
    expect(out).toContain("aws simulator: ok");
    expect(out).toContain("cloudflare simulator: ok");
}, 60_000);
