/**
 * The bench's floor: a policy pack that does nothing, started the way the executable entry is
 * (bench/floor-analyzer, no language host) and serving the same Analyzer calls on the same
 * server (dist/pack/grpc.js). It lists agentguard's two policies by name, type and enforcement
 * level — the engine emits a policy summary per resource and policy it lists — and answers
 * every Analyze and AnalyzeStack with no diagnostics, without reading the request.
 *
 * What a preview costs with it is what any Node.js analyzer costs on this machine before it
 * checks anything: the process, the engine's two calls per resource and their marshalling.
 * It is a reference in `npm run bench`, never a pack to run.
 */
"use strict";
const path = require("node:path");
const { listenGrpc } = require(path.join(__dirname, "../dist/pack/grpc.js"));
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
const pluginpb = require("@pulumi/pulumi/proto/plugin_pb");
const emptypb = require("google-protobuf/google/protobuf/empty_pb");

const POLICIES = [
    { name: "agent-change-gate", level: analyzerpb.EnforcementLevel.MANDATORY },
    { name: "agent-identity-hygiene", level: analyzerpb.EnforcementLevel.ADVISORY },
];

function info() {
    const ai = new analyzerpb.AnalyzerInfo();
    ai.setName("agentguard-floor");
    ai.setVersion("0.0.0");
    ai.setPoliciesList(
        POLICIES.map((p) => {
            const pi = new analyzerpb.PolicyInfo();
            pi.setName(p.name);
            pi.setDescription(p.name);
            pi.setEnforcementlevel(p.level);
            pi.setPolicyType(analyzerpb.PolicyType.POLICY_TYPE_RESOURCE);
            return pi;
        }),
    );
    return ai;
}

/** A method whose request is kept as bytes, never decoded, and whose answer `make` builds. */
const method = (name, make) => [
    `/pulumirpc.Analyzer/${name}`,
    { decode: (b) => b, encode: (m) => m.serializeBinary(), handler: (_call, cb) => cb(null, make()) },
];

listenGrpc(
    new Map([
        method("GetPluginInfo", () => new pluginpb.PluginInfo()),
        method("GetAnalyzerInfo", info),
        method("Configure", () => new emptypb.Empty()),
        method("ConfigureStack", () => new analyzerpb.AnalyzerStackConfigureResponse()),
        method("Analyze", () => new analyzerpb.AnalyzeResponse()),
        method("AnalyzeStack", () => new analyzerpb.AnalyzeResponse()),
    ]),
    { maxMessageBytes: 400 * 1024 * 1024 },
).then(
    (server) => process.stdout.write(`${server.port}\n`),
    () => process.exit(1),
);
