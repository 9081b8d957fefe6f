/**
 * The executable entry's Analyzer gRPC server (docs/contract.md §1, v2): `bin/agentguard-analyzer` clears
 * the environment and runs this file with node, as the one-file bundle `npm run build` makes of it
 * (scripts/bundle-analyzer.js). The engine starts it directly as a binary analyzer
 * plugin (no language host, no ts-node, no @pulumi/pulumi runtime), passing the engine's address;
 * it prints its port on stdout, as a provider does.
 *
 * It serves the same policies, built on the same {@link GateRun}, as the directory pack, and
 * makes the same decisions; what differs is where the run's facts come from: stack, project,
 * organization, dry-run flag, stack config and tags come from the engine's `ConfigureStack` call,
 * not from variables the agent could set. Only the launcher's allowlisted variables remain
 * (`AGENTGUARD_INITIATOR`, `AGENTGUARD_DECISION_LOG`, `AGENTGUARD_PLAN`, the coding-agent markers).
 * A {@link RunGuard} pins the engine's connection and the first configuration.
 * @internal
 */
// First: before anything else runs, SIGUSR1 no longer opens the debugger (no-inspector.ts).
import "./no-inspector";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createEstimator } from "../cost";
import { agentIdentityHygiene } from "./hygiene";
import { Status, UnaryMethod, listenGrpc } from "./grpc";
import { RunGuard, SECRET_SIG, SIG_KEY, UnaryCall, UnaryHandler, structJs } from "./guard";
import { GATE_POLICY_NAME, agentChangeGate } from "./policy";
import { GateRun } from "./run";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
// Only the generated message files: never @pulumi/pulumi's index (it loads npm's arborist), nor
// grpc-js (src/pack/grpc.ts serves the calls).
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
const pluginpb = require("@pulumi/pulumi/proto/plugin_pb");
const structpb = require("google-protobuf/google/protobuf/struct_pb");
const emptypb = require("google-protobuf/google/protobuf/empty_pb");

const PACK_NAME = "agentguard";
const PACK_VERSION: string = (JSON.parse(readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { version: string }).version;
/** The marker of a special value, and the signatures of assets and archives. */
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/** The SDK's name for the target behind its property proxy (read by facts.ts's `toValue`). */
const PROXY_TARGET = "__getSpecialProxyTarget";

type Level = "advisory" | "mandatory" | "remediate" | "disabled";
type Report = (message: string | Record<string, unknown>, urn?: string) => void;
interface AnyPolicy {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel?: Level;
    readonly configSchema?: { properties: Record<string, unknown>; required?: string[] };
    readonly remediationSteps?: string;
    readonly validateResource?: (args: any, report: Report) => unknown;
    readonly validateStack?: (args: any, report: Report) => unknown;
}
interface Diag {
    policyName: string;
    message: string;
    description: string;
    enforcementLevel: Level;
    urn?: string;
}

const LEVELS: Record<Level, number> = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
};
function levelName(n: number): Level {
    const found = (Object.keys(LEVELS) as Level[]).find((k) => LEVELS[k] === n);
    if (!found) {
        throw new Error(`unknown enforcement level ${n}`);
    }
    return found;
}

/**
 * Turns an engine property value into what @pulumi/policy hands a policy: secrets unwrapped,
 * unknowns left as the engine's sentinel strings (facts.ts maps them), assets and archives as
 * plain data. Any other special value (resource references, outputs) is refused, as the SDK does.
 */
export function engineValue(v: unknown, depth = 0): unknown {
    if (depth > 128) {
        throw new Error("a property is nested too deeply");
    }
    if (v === null || typeof v !== "object") {
        return v;
    }
    if (Array.isArray(v)) {
        return v.map((x) => engineValue(x, depth + 1));
    }
    const o = v as Record<string, unknown>;
    const sig = o[SIG_KEY];
    if (sig !== undefined) {
        if (sig === SECRET_SIG) {
            return engineValue(o.value, depth + 1);
        }
        if (sig !== ASSET_SIG && sig !== ARCHIVE_SIG) {
            throw new Error("a property holds a value of a kind this pack does not read");
        }
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) {
        if (k !== SIG_KEY && o[k] !== undefined) {
            out[k] = engineValue(o[k], depth + 1);
        }
    }
    return out;
}

/**
 * Props as facts.ts reads them: behind the proxy key, so an input named like it substitutes nothing.
 * The struct is decoded once per request: the guard has already decoded it (structJs keeps it).
 */
function propsOf(struct: { toJavaScript(): Record<string, unknown> } | undefined): Record<string, unknown> {
    return { [PROXY_TARGET]: engineValue(structJs(struct)) };
}

function providerOf(r: any): Record<string, unknown> | undefined {
    const p = r.getProvider();
    return p ? { type: p.getType(), urn: p.getUrn(), name: p.getName(), props: propsOf(p.getProperties()) } : undefined;
}

/** The run of this process: created at the engine's ConfigureStack. */
class Server {
    private run?: GateRun;
    private gate?: AnyPolicy;
    private readonly pendingTaints: string[] = [];
    private policyConfig: Record<string, Record<string, unknown>> = {};
    private stackTags: ReadonlyMap<string, string> = new Map();
    private configured = false;
    readonly guard = new RunGuard({ taint: (reason) => (this.run ? this.run.taint(reason) : this.pendingTaints.push(reason)) });

    /** The policies, as the engine lists them (the gate's config schema does not depend on the run). */
    private policies(): AnyPolicy[] {
        const gate = this.gate ?? (agentChangeGate(new GateRun({}, createEstimator())) as unknown as AnyPolicy);
        return [gate, agentIdentityHygiene as unknown as AnyPolicy];
    }

    private level(p: AnyPolicy): Level {
        const configured = this.policyConfig[p.name]?.enforcementLevel;
        return (typeof configured === "string" ? (configured as Level) : undefined) ?? p.enforcementLevel ?? "advisory";
    }

    private getConfig(name: string): () => Record<string, unknown> {
        return () => {
            const { enforcementLevel: _ignored, ...rest } = this.policyConfig[name] ?? {};
            return rest;
        };
    }

    getPluginInfo(_call: unknown, cb: (e: unknown, v?: unknown) => void): void {
        const info = new pluginpb.PluginInfo();
        info.setVersion(PACK_VERSION);
        cb(null, info);
    }

    getAnalyzerInfo(_call: unknown, cb: (e: unknown, v?: unknown) => void): void {
        try {
            const ai = new analyzerpb.AnalyzerInfo();
            ai.setName(PACK_NAME);
            ai.setVersion(PACK_VERSION);
            ai.setSupportsconfig(true);
            ai.setPoliciesList(
                this.policies().map((p) => {
                    const info = new analyzerpb.PolicyInfo();
                    info.setPolicyType(p.validateResource ? analyzerpb.PolicyType.POLICY_TYPE_RESOURCE : analyzerpb.PolicyType.POLICY_TYPE_STACK);
                    info.setName(p.name);
                    info.setDescription(p.description);
                    info.setEnforcementlevel(LEVELS[p.enforcementLevel ?? "advisory"]);
                    if (p.configSchema) {
                        const schema = new analyzerpb.PolicyConfigSchema();
                        schema.setProperties(structpb.Struct.fromJavaScript(p.configSchema.properties));
                        if (p.configSchema.required) {
                            schema.setRequiredList(p.configSchema.required);
                        }
                        info.setConfigschema(schema);
                    }
                    if (p.remediationSteps) {
                        info.setRemediationSteps(p.remediationSteps);
                    }
                    return info;
                }),
            );
            cb(null, ai);
        } catch {
            cb({ code: Status.INTERNAL, details: "agentguard could not describe its policies" });
        }
    }

    configure(call: any, cb: (e: unknown, v?: unknown) => void): void {
        try {
            const config: Record<string, Record<string, unknown>> = {};
            for (const [k, v] of call.request.getPolicyconfigMap().entries() as Iterable<[string, any]>) {
                const props = v.getProperties() ? (v.getProperties().toJavaScript() as Record<string, unknown>) : {};
                config[k] = { ...props, enforcementLevel: levelName(v.getEnforcementlevel()) };
            }
            this.policyConfig = config;
            this.configured = true;
            cb(null, new emptypb.Empty());
            this.prepareRun(call);
        } catch {
            cb({ code: Status.INVALID_ARGUMENT, details: "agentguard could not read the policy pack config" });
        }
    }

    configureStack(call: any, cb: (e: unknown, v?: unknown) => void): void {
        try {
            const req = call.request;
            const config: Record<string, string> = {};
            for (const [k, v] of req.getConfigMap().entries() as Iterable<[string, string]>) {
                config[k] = v;
            }
            const tags = new Map<string, string>();
            for (const [k, v] of req.getTagsMap().entries() as Iterable<[string, string]>) {
                tags.set(k, v);
            }
            this.stackTags = tags;
            // The run's facts as GateRun reads them, from the engine's call; only the launcher's
            // allowlisted variables come from the environment.
            const env: NodeJS.ProcessEnv = {
                ...process.env,
                PULUMI_NODEJS_STACK: req.getStack(),
                PULUMI_NODEJS_PROJECT: req.getProject(),
                PULUMI_NODEJS_ORGANIZATION: req.getOrganization(),
                PULUMI_NODEJS_DRY_RUN: String(req.getDryRun()),
                PULUMI_CONFIG: JSON.stringify(config),
            };
            this.run = new GateRun(env, createEstimator());
            this.pendingTaints.forEach((t) => this.run!.taint(t));
            this.run.useScrubber(this.guard);
            this.gate = agentChangeGate(this.run) as unknown as AnyPolicy;
            cb(null, new analyzerpb.AnalyzerStackConfigureResponse());
            this.prepareRun(call);
        } catch {
            cb({ code: Status.INVALID_ARGUMENT, details: "agentguard could not read the stack configuration" });
        }
    }

    /**
     * Once both configurations are in: read the gate config and verify the tokens while the engine
     * starts the program, off the path of the first resource. GateRun keeps the result (or the
     * failure) for the first Analyze, exactly as if it had been computed there. It starts once the
     * answer to the configuring call has gone out: the engine waits for that answer, not for this.
     */
    private prepareRun(configuring: UnaryCall): void {
        if (!this.run || !this.configured) {
            return;
        }
        const run = this.run;
        const call = { getConfig: this.getConfig(GATE_POLICY_NAME), stackTags: this.stackTags };
        if (this.level(this.policies()[0]) !== "disabled") {
            (configuring.afterResponse ?? setImmediate)(() => run.prepare(call));
        }
    }

    private async runPolicies(kind: "resource" | "stack", args: (p: AnyPolicy) => Record<string, unknown>): Promise<Diag[]> {
        if (!this.run) {
            // Analyze before ConfigureStack: the engine always configures first, so someone else is calling.
            return [
                {
                    policyName: "agent-change-gate",
                    description: "",
                    message: "agent-change-gate denied this run: the pack was called before the engine configured it",
                    enforcementLevel: "mandatory",
                },
            ];
        }
        const ds: Diag[] = [];
        for (const p of this.policies()) {
            let level = this.level(p);
            const validate = kind === "resource" ? p.validateResource : p.validateStack;
            if (level === "disabled" || !validate) {
                continue;
            }
            if (level === "remediate") {
                level = "mandatory";
            }
            const report: Report = (message, urn) => {
                if (typeof message === "object") {
                    const m = message as { message?: string; description?: string; urn?: string; enforcementLevel?: Level };
                    ds.push({
                        policyName: p.name,
                        message: m.message || m.description || p.description,
                        description: m.description || p.description,
                        urn: m.urn,
                        enforcementLevel: m.enforcementLevel || level,
                    });
                    return;
                }
                ds.push({ policyName: p.name, message: message ? `${p.description}\n${message}` : p.description, description: p.description, urn, enforcementLevel: level });
            };
            await validate({ ...args(p), getConfig: this.getConfig(p.name), stackTags: this.stackTags }, report);
        }
        return ds;
    }

    private respond(ds: Diag[]): unknown {
        const resp = new analyzerpb.AnalyzeResponse();
        resp.setDiagnosticsList(
            ds.map((d) => {
                const diag = new analyzerpb.AnalyzeDiagnostic();
                diag.setPolicyname(d.policyName);
                diag.setPolicypackname(PACK_NAME);
                diag.setPolicypackversion(PACK_VERSION);
                diag.setDescription(d.description);
                diag.setMessage(d.message);
                diag.setEnforcementlevel(LEVELS[d.enforcementLevel]);
                if (d.urn) {
                    diag.setUrn(d.urn);
                }
                return diag;
            }),
        );
        return resp;
    }

    async analyze(call: any, cb: (e: unknown, v?: unknown) => void): Promise<void> {
        try {
            const req = call.request;
            const resource = { type: req.getType(), urn: req.getUrn(), name: req.getName(), props: propsOf(req.getProperties()), provider: providerOf(req) };
            cb(null, this.respond(await this.runPolicies("resource", () => resource)));
        } catch {
            cb(null, this.respond([this.failure()]));
        }
    }

    async analyzeStack(call: any, cb: (e: unknown, v?: unknown) => void): Promise<void> {
        try {
            const raw: any[] = call.request.getResourcesList();
            const resources = raw.map((r) => ({
                type: r.getType(),
                urn: r.getUrn(),
                name: r.getName(),
                props: propsOf(r.getProperties()),
                provider: providerOf(r),
                parent: undefined as unknown,
                propertyDependencies: {} as Record<string, unknown[]>,
            }));
            const byUrn = new Map(resources.map((r) => [r.urn, r]));
            raw.forEach((r, i) => {
                resources[i].parent = r.getParent() ? byUrn.get(r.getParent()) : undefined;
                const deps = r.getPropertydependenciesMap();
                for (const [k, v] of deps.entries() as Iterable<[string, any]>) {
                    resources[i].propertyDependencies[k] = (v.getUrnsList() as string[]).map((u) => byUrn.get(u)).filter((x) => x);
                }
            });
            cb(null, this.respond(await this.runPolicies("stack", () => ({ resources }))));
        } catch {
            cb(null, this.respond([this.failure()]));
        }
    }

    /** A request the pack cannot read: a mandatory denial (a thrown error never lets a run through). */
    private failure(): Diag {
        return {
            policyName: "agent-change-gate",
            description: "",
            message: "agent-change-gate denied this run because it could not read the engine's request",
            enforcementLevel: "mandatory",
        };
    }
}

/** A method of the Analyzer service: its path, and the message classes of its request and response. */
function method(name: string, request: { deserializeBinary(b: Uint8Array): unknown }, handler: UnaryHandler): [string, UnaryMethod] {
    return [`/pulumirpc.Analyzer/${name}`, { decode: (b) => request.deserializeBinary(b), encode: (m) => (m as { serializeBinary(): Uint8Array }).serializeBinary(), handler }];
}

/**
 * Starts the server on 127.0.0.1 and prints its port (the engine reads it from stdout). Every
 * method the engine may call and this pack does not serve (Handshake, Remediate, Cancel) is
 * answered UNIMPLEMENTED, which the engine takes as "not supported" and carries on.
 */
export async function serve(): Promise<void> {
    const s = new Server();
    const h = s.guard.wrapService({
        getPluginInfo: s.getPluginInfo.bind(s),
        getAnalyzerInfo: s.getAnalyzerInfo.bind(s),
        configure: s.configure.bind(s),
        configureStack: s.configureStack.bind(s),
        analyze: s.analyze.bind(s),
        analyzeStack: s.analyzeStack.bind(s),
    });
    const methods = new Map([
        method("GetPluginInfo", emptypb.Empty, h.getPluginInfo),
        method("GetAnalyzerInfo", emptypb.Empty, h.getAnalyzerInfo),
        method("Configure", analyzerpb.ConfigureAnalyzerRequest, h.configure),
        method("ConfigureStack", analyzerpb.AnalyzerStackConfigureRequest, h.configureStack),
        method("Analyze", analyzerpb.AnalyzeRequest, h.analyze),
        method("AnalyzeStack", analyzerpb.AnalyzeStackRequest, h.analyzeStack),
    ]);
    try {
        // Another connection's call is refused (and taints the run) before its request is read.
        const server = await listenGrpc(methods, { maxMessageBytes: 400 * 1024 * 1024, admit: (name, peer) => s.guard.admitPeer(name, peer) });
        process.stdout.write(`${server.port}\n`);
    } catch {
        process.stderr.write("agentguard-analyzer could not listen on 127.0.0.1\n");
        process.exit(1);
    }
}

if (require.main === module) {
    void serve();
}
