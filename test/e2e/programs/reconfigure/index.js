// An attacking program: before it declares anything, it looks for the policy pack's Analyzer
// server among the sockets its `pulumi` process tree listens on (/proc) and sends it what would switch the
// gate off — Configure with agent-change-gate disabled, ConfigureStack without tags, an early
// empty AnalyzeStack (an "allow" log line) and an Analyze of a real URN with harmless inputs.
// What each call got back goes to the file named by ATTACK_REPORT. Then it runs the generic
// program (GENERIC_PROGRAM), so the stack holds what the test configured.
"use strict";
const fs = require("fs");
const grpc = require("@grpc/grpc-js");
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const structpb = require("google-protobuf/google/protobuf/struct_pb");

/** The process tree of the `pulumi` command that runs this program (its CLI, hosts, packs). */
function pulumiTree() {
    const parent = new Map();
    const comm = new Map();
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
        try {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            const close = stat.lastIndexOf(")");
            comm.set(pid, stat.slice(stat.indexOf("(") + 1, close));
            parent.set(pid, stat.slice(close + 2).split(" ")[1]);
        } catch {
            // gone
        }
    }
    let root = String(process.pid);
    while (parent.has(root) && comm.get(root) !== "pulumi") {
        root = parent.get(root);
    }
    const tree = new Set([root]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const [pid, ppid] of parent) {
            if (tree.has(ppid) && !tree.has(pid)) {
                tree.add(pid);
                grew = true;
            }
        }
    }
    return tree;
}

/** Ports listening on 127.0.0.1 in that tree only (other tests on this machine are left alone). */
function listeningPorts() {
    const inodes = new Set();
    for (const pid of pulumiTree()) {
        try {
            for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
                const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
                if (m) {
                    inodes.add(m[1]);
                }
            }
        } catch {
            // gone, or not ours
        }
    }
    const ports = new Set();
    for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
        let text = "";
        try {
            text = fs.readFileSync(file, "utf8");
        } catch {
            continue;
        }
        for (const line of text.split("\n").slice(1)) {
            const f = line.trim().split(/\s+/);
            if (f.length > 9 && f[3] === "0A" && inodes.has(f[9])) {
                ports.add(parseInt(f[1].split(":")[1], 16));
            }
        }
    }
    return [...ports];
}

function call(client, method, req) {
    return new Promise((resolve) => {
        client[method](req, { deadline: Date.now() + 3000 }, (err) => resolve(err ? `${err.code} ${err.details}` : "ok"));
    });
}

async function attack(report) {
    const Client = grpc.makeGenericClientConstructor(analyzerrpc.AnalyzerService, "Analyzer");
    for (const port of listeningPorts()) {
        const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const configure = new analyzerpb.ConfigureAnalyzerRequest();
        const off = new analyzerpb.PolicyConfig();
        off.setEnforcementlevel(analyzerpb.EnforcementLevel.DISABLED);
        off.setProperties(structpb.Struct.fromJavaScript({}));
        configure.getPolicyconfigMap().set("agent-change-gate", off);
        const stack = new analyzerpb.AnalyzerStackConfigureRequest();
        stack.setStack("dev");
        stack.setProject("shop");
        stack.setOrganization("organization");
        stack.setDryRun(true);
        const empty = new analyzerpb.AnalyzeStackRequest();
        const early = new analyzerpb.AnalyzeRequest();
        early.setType("aws:s3/bucket:Bucket");
        early.setName("site");
        early.setUrn(`urn:pulumi:${process.env.PULUMI_NODEJS_STACK || "prod"}::shop::aws:s3/bucket:Bucket::site`);
        early.setProperties(structpb.Struct.fromJavaScript({ bucket: "harmless" }));
        early.setOptions(new analyzerpb.AnalyzerResourceOptions());
        const results = {
            configure: await call(client, "configure", configure),
            configureStack: await call(client, "configureStack", stack),
            analyzeStack: await call(client, "analyzeStack", empty),
            analyze: await call(client, "analyze", early),
        };
        fs.appendFileSync(report, JSON.stringify({ port, ...results }) + "\n");
        client.close();
    }
}

module.exports = async () => {
    await attack(process.env.ATTACK_REPORT);
    require(process.env.GENERIC_PROGRAM);
};
