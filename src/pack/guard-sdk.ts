/**
 * Puts a {@link RunGuard} in front of the Analyzer server that `new PolicyPack(...)` builds
 * (@pulumi/policy's server.js: `new grpc.Server()`, then `addService(AnalyzerService, handlers)`,
 * then `bindAsync`). The handlers are wrapped when they are added, before the server binds its
 * port, so no call can reach an unwrapped handler. Call this before `new PolicyPack(...)`.
 * @internal
 */
import * as path from "node:path";
import { RunGuard } from "./guard";

interface GrpcModule {
    Server: { prototype: { addService(service: unknown, impl: Record<string, unknown>): void } };
}

/** The grpc-js that @pulumi/policy's server uses (the one its own `require` resolves). */
function policyGrpc(): GrpcModule {
    const policyDir = path.dirname(require.resolve("@pulumi/policy"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as GrpcModule;
}

/** Wraps the handlers of the next Analyzer service added to a grpc-js server; once. */
export function guardPolicyServer(guard: RunGuard): void {
    const proto = policyGrpc().Server.prototype;
    const original = proto.addService;
    let installed = false;
    proto.addService = function (this: unknown, service: unknown, impl: Record<string, unknown>): void {
        const isAnalyzer = !installed && impl !== null && typeof impl === "object" && "analyze" in impl && "configure" in impl;
        if (isAnalyzer) {
            installed = true;
            proto.addService = original;
        }
        original.call(this, service, isAnalyzer ? guard.wrapService(impl) : impl);
    };
}
