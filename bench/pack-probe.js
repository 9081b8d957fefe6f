/**
 * A probe for the policy pack process, loaded with `NODE_OPTIONS=--require <this file>` and
 * `AGENTGUARD_BENCH_PROBE=<file>`. It does nothing unless the process is a policy pack
 * (`@pulumi/pulumi/cmd/run-policy-pack`) or a Pulumi program (`@pulumi/pulumi/cmd/run`), so it
 * can be put in the environment of a whole `pulumi preview` (program, providers and pack all
 * inherit NODE_OPTIONS). In a program it only writes
 *
 *   <epoch ms> program-start <pid> <epoch ms of process start>
 *   <epoch ms> program-exit <pid>
 *
 * In the pack process it appends one line per event to the probe file, synchronously (the
 * engine kills the pack without letting it exit cleanly):
 *
 *   <epoch ms> start <pid>              process start (performance.timeOrigin)
 *   <epoch ms> port <pid>               the port line on stdout: the pack is serving
 *   <epoch ms> call <method> <ms>       one Analyzer RPC, with the time spent in its handler
 *   <epoch ms> verify <n>               the n-th call of jose's compactVerify (a token's signature check)
 *   <epoch ms> load <ms> <depth> <req>  a module on the load path, how long its require took
 *                                       (inclusive of what it requires in turn) and its nesting
 *
 * Counting compactVerify: jose 6 is an ES module that dist/approvals/verify.js loads through
 * require(esm). Its module namespace object cannot be patched (assigning `compactVerify` throws
 * in strict mode and is ignored otherwise), so the probe intercepts `require("jose")` in
 * Module._load and hands back a copy of the namespace whose compactVerify counts its calls.
 *
 * Nothing in src/ is changed; the probe is only used by the bench's probe runs, never by the
 * timed runs.
 */
"use strict";
const { appendFileSync } = require("node:fs");
const Module = require("node:module");

const OUT = process.env.AGENTGUARD_BENCH_PROBE;
const isPack = process.argv.some((a) => a.includes("run-policy-pack"));
const isProgram = !isPack && /[\\/]cmd[\\/]run$/.test(process.argv[1] ?? "");

if (OUT && isProgram) {
    appendFileSync(OUT, `${Date.now()} program-start ${process.pid} ${Math.round(performance.timeOrigin)}\n`);
    process.on("exit", () => appendFileSync(OUT, `${Date.now()} program-exit ${process.pid}\n`));
}

if (OUT && isPack) {
    const line = (s) => appendFileSync(OUT, `${Date.now()} ${s}\n`);
    line(`start ${process.pid} ${Math.round(performance.timeOrigin)}`);

    // The first line the pack writes on stdout is its port.
    const write = process.stdout.write.bind(process.stdout);
    let portSeen = false;
    process.stdout.write = (chunk, ...rest) => {
        if (!portSeen && /^\d+\s*$/.test(String(chunk))) {
            portSeen = true;
            line(`port ${process.pid}`);
        }
        return write(chunk, ...rest);
    };

    // Modules whose load time is worth knowing: the SDKs, TypeScript (run-policy-pack loads it
    // for every pack), jose, and the pack's own entry point.
    const WATCH = /^(typescript|jose|@pulumi\/policy|@pulumi\/pulumi|@grpc\/grpc-js|yaml)$|ts-node|typescript\.js$|arborist|^\.\/run$|^\//;
    let depth = 0;

    let verifies = 0;
    let wrappedJose;
    let grpcPatched = false;
    const load = Module._load;
    Module._load = function (request, parent, isMain) {
        let m;
        if (WATCH.test(request) && depth < 4) {
            const t0 = performance.now();
            depth += 1;
            try {
                m = load.apply(this, arguments);
            } finally {
                depth -= 1;
            }
            const ms = performance.now() - t0;
            if (ms >= 1) {
                line(`load ${ms.toFixed(1)} ${depth} ${request}`);
            }
        } else {
            m = load.apply(this, arguments);
        }
        if (request === "jose" && m && typeof m.compactVerify === "function") {
            wrappedJose ??= Object.freeze({
                ...m,
                compactVerify: async (...args) => {
                    verifies += 1;
                    line(`verify ${verifies}`);
                    return m.compactVerify(...args);
                },
            });
            return wrappedJose;
        }
        if (request === "@grpc/grpc-js" && m && m.Server && !grpcPatched) {
            grpcPatched = true;
            const addService = m.Server.prototype.addService;
            m.Server.prototype.addService = function (service, impl) {
                const timed = {};
                for (const [name, fn] of Object.entries(impl)) {
                    timed[name] = (call, callback) => {
                        const t0 = performance.now();
                        return fn(call, (err, res) => {
                            line(`call ${name} ${(performance.now() - t0).toFixed(3)}`);
                            callback(err, res);
                        });
                    };
                }
                return addService.call(this, service, timed);
            };
        }
        return m;
    };
}
