/**
 * Starts the real pack the way the engine does (`@pulumi/pulumi/cmd/run-policy-pack` with the
 * engine's environment) and talks to it over the Analyzer gRPC protocol.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const structpb = require("google-protobuf/google/protobuf/struct_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emptypb = require("google-protobuf/google/protobuf/empty_pb");

export const ROOT = path.resolve(__dirname, "../..");
/** The engine's marshalled form of a string unknown at preview. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Diagnostic {
    policyName: string;
    message: string;
    enforcementLevel: number;
    urn: string;
}

export interface PackOptions {
    stack?: string;
    project?: string;
    organization?: string;
    dryRun?: boolean;
    stackConfig?: Record<string, string>;
    env?: Record<string, string>;
    /** Pack directory; the repository root by default. */
    packDir?: string;
    /** Start the executable entry (bin/agentguard-analyzer) instead, as the engine starts a binary analyzer. */
    executable?: boolean;
}

export interface ResourceInput {
    type: string;
    name: string;
    props?: Record<string, unknown>;
    provider?: { type: string; name: string; props?: Record<string, unknown> };
    stack?: string;
    project?: string;
}

export function urnOf(r: { type: string; name: string }, stack = "dev", project = "shop"): string {
    return `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`;
}

/** A running pack process and a client to it. */
export class Pack {
    private constructor(
        private readonly proc: ChildProcess,
        private readonly client: grpc.Client & Record<string, (...a: unknown[]) => unknown>,
        readonly opts: PackOptions,
        readonly stderr: () => string,
    ) {}

    static async start(opts: PackOptions = {}): Promise<Pack> {
        const stack = opts.stack ?? "dev";
        const project = opts.project ?? "shop";
        const env: NodeJS.ProcessEnv = {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            PULUMI_CONFIG: JSON.stringify(opts.stackConfig ?? {}),
            PULUMI_NODEJS_STACK: stack,
            PULUMI_NODEJS_PROJECT: project,
            PULUMI_NODEJS_ORGANIZATION: opts.organization ?? "organization",
            PULUMI_NODEJS_DRY_RUN: String(opts.dryRun ?? true),
            ...opts.env,
        };
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [ROOT] });
        const packDir = opts.packDir ?? ROOT;
        const proc = opts.executable
            ? spawn(path.join(ROOT, "bin/agentguard-analyzer"), ["127.0.0.1:0"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
            : spawn(process.execPath, [runner, "127.0.0.1:0", packDir], { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        proc.stderr!.on("data", (d) => (err += d));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            proc.stdout!.on("data", (d) => {
                out += d;
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    resolve(Number(m[1]));
                }
            });
            proc.on("exit", (code) => reject(new Error(`pack exited with ${code} before serving: ${err}`)));
        });
        const Client = grpc.makeGenericClientConstructor(analyzerrpc.AnalyzerService, "Analyzer");
        const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as Pack["client"];
        const pack = new Pack(proc, client, opts, () => err);
        return pack;
    }

    /** A second client on its own connection: someone other than the engine. */
    other(): Pack {
        const Client = grpc.makeGenericClientConstructor(analyzerrpc.AnalyzerService, "Analyzer");
        const target = (this.client as unknown as { getChannel(): { getTarget(): string } }).getChannel().getTarget().replace(/^dns:/, "");
        const client = new Client(target, grpc.credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 }) as Pack["client"];
        return new Pack(this.proc, client, this.opts, this.stderr);
    }

    private call<T>(method: string, req: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            (this.client[method] as (r: unknown, cb: (e: grpc.ServiceError | null, res: T) => void) => void).call(this.client, req, (e, res) => (e ? reject(e) : resolve(res)));
        });
    }

    async info(): Promise<{ name: string; policies: { name: string; enforcementLevel: number; configSchema?: unknown }[] }> {
        const res = await this.call<{ toObject(): { name: string; policiesList: { name: string; enforcementlevel: number; configschema?: unknown }[] } }>(
            "getAnalyzerInfo",
            new emptypb.Empty(),
        );
        const o = res.toObject();
        return { name: o.name, policies: o.policiesList.map((p) => ({ name: p.name, enforcementLevel: p.enforcementlevel, configSchema: p.configschema })) };
    }

    /** Configure: policy pack config, as the engine sends it after validating the schema. */
    async configure(policyConfig: Record<string, Record<string, unknown>>): Promise<void> {
        const req = new analyzerpb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, props] of Object.entries(policyConfig)) {
            const pc = new analyzerpb.PolicyConfig();
            pc.setEnforcementlevel(analyzerpb.EnforcementLevel.MANDATORY);
            pc.setProperties(structpb.Struct.fromJavaScript(props));
            map.set(name, pc);
        }
        await this.call("configure", req);
    }

    /** ConfigureStack: stack identity and tags. */
    async configureStack(tags: Record<string, string> = {}): Promise<void> {
        const req = new analyzerpb.AnalyzerStackConfigureRequest();
        req.setStack(this.opts.stack ?? "dev");
        req.setProject(this.opts.project ?? "shop");
        req.setOrganization(this.opts.organization ?? "organization");
        req.setDryRun(this.opts.dryRun ?? true);
        // The engine sends the stack config too (the executable entry reads it from here).
        const c = req.getConfigMap();
        for (const [k, v] of Object.entries(this.opts.stackConfig ?? {})) {
            c.set(k, v);
        }
        const t = req.getTagsMap();
        for (const [k, v] of Object.entries(tags)) {
            t.set(k, v);
        }
        await this.call("configureStack", req);
    }

    private providerOf(r: ResourceInput) {
        const pkg = r.type.split(":")[0];
        const p = r.provider ?? { type: `pulumi:providers:${pkg}`, name: "default", props: {} };
        const pr = new analyzerpb.AnalyzerProviderResource();
        pr.setType(p.type);
        pr.setName(p.name);
        pr.setUrn(urnOf(p, this.opts.stack, this.opts.project));
        pr.setProperties(structpb.Struct.fromJavaScript(p.props ?? {}));
        return pr;
    }

    /** Analyze one resource, as the engine does before each step. */
    async analyze(r: ResourceInput, opts: { component?: boolean } = {}): Promise<Diagnostic[]> {
        const req = new analyzerpb.AnalyzeRequest();
        req.setType(r.type);
        req.setName(r.name);
        req.setUrn(urnOf(r, this.opts.stack, this.opts.project));
        req.setProperties(structpb.Struct.fromJavaScript(r.props ?? {}));
        req.setOptions(new analyzerpb.AnalyzerResourceOptions());
        if (!opts.component && !r.type.startsWith("pulumi:providers:")) {
            req.setProvider(this.providerOf(r));
        }
        return diagnostics(await this.call("analyze", req));
    }

    /** AnalyzeStack over every resource. */
    async analyzeStack(resources: ResourceInput[]): Promise<Diagnostic[]> {
        const req = new analyzerpb.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((r) => {
                const a = new analyzerpb.AnalyzerResource();
                a.setType(r.type);
                a.setName(r.name);
                a.setUrn(urnOf(r, this.opts.stack, this.opts.project));
                a.setProperties(structpb.Struct.fromJavaScript(r.props ?? {}));
                a.setOptions(new analyzerpb.AnalyzerResourceOptions());
                if (!r.type.startsWith("pulumi:providers:") && !r.type.startsWith("pulumi:pulumi:")) {
                    a.setProvider(this.providerOf(r));
                }
                return a;
            }),
        );
        return diagnostics(await this.call("analyzeStack", req));
    }

    /** Runs a whole preview: Analyze each resource, then AnalyzeStack. */
    async preview(resources: ResourceInput[]): Promise<{ perResource: Diagnostic[][]; stack: Diagnostic[] }> {
        const perResource: Diagnostic[][] = [];
        for (const r of resources) {
            perResource.push(await this.analyze(r));
        }
        return { perResource, stack: await this.analyzeStack(resources) };
    }

    /** Sends the pack process a signal, as any process of the same user can. */
    signal(sig: NodeJS.Signals): void {
        this.proc.kill(sig);
    }

    stop(): void {
        this.client.close();
        this.proc.kill("SIGKILL");
    }
}

function diagnostics(res: unknown): Diagnostic[] {
    const list = (res as { getDiagnosticsList(): { getPolicyname(): string; getMessage(): string; getEnforcementlevel(): number; getUrn(): string }[] }).getDiagnosticsList();
    return list.map((d) => ({ policyName: d.getPolicyname(), message: d.getMessage(), enforcementLevel: d.getEnforcementlevel(), urn: d.getUrn() }));
}

export const MANDATORY = analyzerpb.EnforcementLevel.MANDATORY as number;
export const ADVISORY = analyzerpb.EnforcementLevel.ADVISORY as number;
