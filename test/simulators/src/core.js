// Shared core of the offline provider simulators (see ../README.md).
//
// A simulator is a generic Pulumi resource provider: it accepts every resource
// type token of its package, echoes inputs back as outputs, hands out
// deterministic ids and answers a handful of data sources. Package-specific
// behaviour (aws.js, cloudflare.js) plugs in through a few small hooks.
"use strict";

const crypto = require("crypto");
const path = require("path");

// Always use the repository's node_modules, never the program directory's.
const PULUMI_DIR = path.resolve(__dirname, "../../../node_modules/@pulumi/pulumi");
const provider = require(path.join(PULUMI_DIR, "provider"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [PULUMI_DIR] }));
const provproto = require(path.join(PULUMI_DIR, "proto/provider_pb"));

// Wire-protocol sentinels (see @pulumi/pulumi/runtime/rpc.js).
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const isUnknown = (v) => v === UNKNOWN;
const isSecret = (v) => v !== null && typeof v === "object" && v[SIG_KEY] === SECRET_SIG;
const secret = (value) => ({ [SIG_KEY]: SECRET_SIG, value });
/** Deeply removes secret wrappers, so values can be compared and inspected. */
function reveal(v) {
    if (isSecret(v)) return reveal(v.value);
    if (Array.isArray(v)) return v.map(reveal);
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
    }
    return v;
}
/** True when v is, or contains, a secret. */
function containsSecret(v) {
    if (isSecret(v)) return true;
    if (v !== null && typeof v === "object") return Object.values(v).some(containsSecret);
    return false;
}
/** True when v is, or contains, an unknown value. */
function containsUnknown(v) {
    if (isUnknown(v)) return true;
    if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}

const PLUGIN_KEYS = ["version", "pluginDownloadURL"];

const hash = (...parts) => crypto.createHash("sha256").update(parts.join("\u0000")).digest("hex");

/** "urn:pulumi:stack::proj::parent$aws:s3/bucket:Bucket::name" → { type, name }. */
function parseUrn(urn) {
    const parts = urn.split("::");
    return { type: parts[2].split("$").pop(), name: parts.slice(3).join("::") };
}

/** "aws:s3/bucket:Bucket" → { pkg: "aws", module: "s3", member: "bucket", kind: "Bucket" }. */
function parseToken(token) {
    const [pkg, mid = "", kind = ""] = token.split(":");
    const [module, member = ""] = mid.split("/");
    return { pkg, module, member, kind };
}

/**
 * Provider configuration arrives as a property map whose non-string values
 * are often JSON-encoded strings (SDK-generated providers and the legacy
 * "pkg:config:key" variables both do this). Decode what looks like JSON.
 */
function decodeConfigValue(v) {
    v = reveal(v);
    if (typeof v === "string" && /^\s*[[{]/.test(v)) {
        try {
            return JSON.parse(v);
        } catch {
            return v;
        }
    }
    if (typeof v === "string" && (v === "true" || v === "false")) return v === "true";
    return v;
}

/** True when two property values are equal, ignoring secretness. */
const sameValue = (a, b) => JSON.stringify(canonical(reveal(a))) === JSON.stringify(canonical(reveal(b)));
function canonical(v) {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
    }
    return v;
}

/**
 * Builds and serves a simulator.
 *
 * spec = {
 *   pkg, version,
 *   check(ctx, inputs)        → extra inputs to add (e.g. tagsAll),
 *   outputs(ctx, inputs, id)  → computed outputs (e.g. arn, value),
 *   computedKeys              → output keys the simulator computes (ignored by diff unless given as inputs),
 *   replaceKeys(type)         → input keys whose change forces a replacement,
 *   id(type, digest)          → the id of a new resource when not `sim-<digest>` (optional),
 *   functions: { token: (args, ctx) → result }
 * }
 * ctx = { config, type, name } where config is the decoded provider configuration.
 */
function serve(spec, args) {
    const config = {}; // set by Configure; one plugin process serves one provider instance

    const sim = {
        version: spec.version,
        schema: JSON.stringify({ name: spec.pkg, version: spec.version, resources: {}, functions: {} }),

        async check(urn, _olds, news) {
            const { type, name } = parseUrn(urn);
            const extra = spec.check ? spec.check({ config, type, name }, news) : {};
            return { inputs: { ...news, ...extra } };
        },

        async diff(_id, urn, olds, news) {
            const { type } = parseUrn(urn);
            // `olds` are the old outputs: skip keys the simulator computed itself.
            const keys = new Set([...Object.keys(news), ...Object.keys(olds).filter((k) => !spec.computedKeys.includes(k))]);
            const changed = [...keys].filter((k) => !sameValue(olds[k], news[k]));
            const replaceKeys = spec.replaceKeys(type);
            const replaces = changed.filter((k) => replaceKeys.includes(k));
            return { changes: changed.length > 0, replaces };
        },

        async create(urn, inputs) {
            const { type, name } = parseUrn(urn);
            const replaceKeys = spec.replaceKeys(type);
            const physical = replaceKeys.map((k) => JSON.stringify(reveal(inputs[k]) ?? null)).join(",");
            const digest = hash(type, name, physical);
            const id = (spec.id && spec.id(type, digest)) || `sim-${digest.slice(0, 16)}`;
            return { id, outs: makeOutputs(type, name, inputs, id) };
        },

        async update(id, urn, _olds, news) {
            const { type, name } = parseUrn(urn);
            return { outs: makeOutputs(type, name, news, id) };
        },

        // There is no remote state to drift: the stored state is the truth.
        async read(id, _urn, props) {
            return { id, props: props || {} };
        },

        async delete() {},

        async invoke(token, fnArgs) {
            const fn = spec.functions[token];
            if (!fn) {
                // A failure the engine reports as the invoke's error, not a thrown error: the
                // provider server would print a stack trace for that.
                return { outputs: {}, failures: [{ property: "", reason: `${spec.pkg} simulator: unknown function ${token}; it simulates only the functions listed in test/simulators/README.md` }] };
            }
            return { outputs: fn(reveal(fnArgs), { config }) };
        },
    };

    function makeOutputs(type, name, inputs, id) {
        const computed = spec.outputs ? spec.outputs({ config, type, name }, inputs, id) : {};
        return { ...computed, ...inputs, id };
    }

    // @pulumi/pulumi's provider server answers CheckConfig/DiffConfig with
    // UNIMPLEMENTED and ignores Configure's arguments. Fill those three in by
    // wrapping the service implementation when provider.main registers it.
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service, impl) {
        impl.checkConfig = (call, cb) => {
            const resp = new provproto.CheckResponse();
            resp.setInputs(call.request.getNews()); // accept any configuration, as given
            cb(undefined, resp);
        };
        impl.diffConfig = (call, cb) => {
            const olds = call.request.getOlds().toJavaScript();
            const news = call.request.getNews().toJavaScript();
            // `version` and `pluginDownloadURL` pick the plugin, they are not configuration.
            // (The engine adds `version` to explicit providers once the stack's manifest records one.)
            const keys = new Set([...Object.keys(olds), ...Object.keys(news)].filter((k) => !PLUGIN_KEYS.includes(k)));
            const changed = [...keys].filter((k) => !sameValue(olds[k], news[k]));
            const resp = new provproto.DiffResponse();
            resp.setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
            resp.setDiffsList(changed);
            cb(undefined, resp);
        };
        impl.configure = (call, cb) => {
            const req = call.request;
            const fromArgs = req.getArgs() ? req.getArgs().toJavaScript() : {};
            const fromVars = {};
            for (const [k, v] of req.getVariablesMap().entries()) fromVars[k.split(":").pop()] = v;
            const raw = Object.keys(fromArgs).length ? fromArgs : fromVars;
            for (const [k, v] of Object.entries(raw)) config[k] = decodeConfigValue(v);
            const resp = new provproto.ConfigureResponse();
            resp.setAcceptsecrets(true);
            resp.setAcceptresources(false);
            resp.setAcceptoutputs(false);
            resp.setSupportspreview(false); // the engine calls Check/Diff only during preview
            cb(undefined, resp);
        };
        return addService.call(this, service, impl);
    };

    return provider.main(sim, args);
}

module.exports = { serve, UNKNOWN, isUnknown, containsUnknown, containsSecret, secret, reveal, hash, parseToken };
