/**
 * Holds the pack to one caller and one configuration per run (docs/contract.md §1, v2), and keeps secret
 * inputs out of everything the pack answers (docs/contract.md §5).
 *
 * The pack's Analyzer gRPC server listens on 127.0.0.1 without authentication, and the agent's
 * program runs on the same machine after the engine has configured the pack. So:
 *
 * - the first call pins the connection (gRPC peer) it came on — the engine's, since the engine
 *   configures the pack before it starts the program; a call on any other connection is refused
 *   before it reaches a handler (it writes no per-run state) and taints the run;
 * - `Configure` and `ConfigureStack` are accepted once; a later one is refused and taints the run;
 * - a URN analyzed twice with different inputs taints the run (someone else is talking to the
 *   pack, e.g. to learn cheap facts before the engine's call);
 * - a tainted run denies every later item of an agent's run (the gate says why, and logs it);
 * - every value the program marked secret is collected from the raw request (before the SDK
 *   unwraps it) and blanked out of every diagnostic the pack returns.
 *
 * It wraps the service's handlers, so the same guard serves the directory pack (whose server
 * @pulumi/policy builds) and the executable entry (whose server is ours).
 * @internal
 */
import { createHash } from "node:crypto";
import { format, printable } from "../facts/format";

/** The marker the engine puts on a secret value: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** What a secret value is replaced with in anything the pack says. */
export const SECRET_MASK = "[secret]";

/** gRPC status codes used here (from the gRPC spec). */
const PERMISSION_DENIED = 7;
const FAILED_PRECONDITION = 9;

/** A gRPC handler as grpc-js calls it (unary). */
export type UnaryHandler = (call: UnaryCall, callback: UnaryCallback) => unknown;
export interface UnaryCall {
    readonly request: unknown;
    getPeer(): string;
    /** Runs `fn` once the answer to this call has gone out (the executable entry's server only). */
    afterResponse?(fn: () => void): void;
}
export type UnaryCallback = (err: unknown, value?: unknown) => void;

/** The methods the guard treats specially; anything else is only peer-checked. */
type Method = "configure" | "configureStack" | "analyze" | "analyzeStack" | "remediate" | string;

/** Where a taint goes: the run state, which denies the rest of an agent's run. */
export interface TaintSink {
    taint(reason: string): void;
}

/** The guard of one pack process (one engine run). */
export class RunGuard {
    private peer?: string;
    private readonly configured = new Set<string>();
    private readonly inputs = new Map<string, string>();
    private readonly secrets = new SecretSet();
    private tainted?: string;

    constructor(
        private readonly sink: TaintSink,
        private readonly opts: { readonly pinPeer: boolean } = { pinPeer: true },
    ) {}

    /** Why the run is tainted, if it is. */
    get taintReason(): string | undefined {
        return this.tainted;
    }

    private taint(reason: string): void {
        if (this.tainted === undefined) {
            this.tainted = reason;
            this.sink.taint(reason);
        }
    }

    /** Wraps every handler of a service implementation. */
    wrapService<T extends Record<string, unknown>>(impl: T): T {
        const out: Record<string, unknown> = {};
        for (const [name, h] of Object.entries(impl)) {
            out[name] = typeof h === "function" ? this.wrap(name, h as UnaryHandler) : h;
        }
        return out as T;
    }

    /** Wraps one unary handler. */
    wrap(method: Method, handler: UnaryHandler): UnaryHandler {
        return (call, callback) => {
            let refusal: string | undefined;
            try {
                refusal = this.admit(method, call);
            } catch {
                refusal = "agentguard could not read the request";
            }
            if (refusal !== undefined) {
                callback({ code: refusal.startsWith("the pack") ? FAILED_PRECONDITION : PERMISSION_DENIED, details: refusal, message: refusal });
                return undefined;
            }
            return handler(call, (err, value) => callback(err ? this.scrubError(err) : null, err ? undefined : this.scrubResponse(value)));
        };
    }

    /**
     * The peer check alone: the first caller is pinned; any other is refused and taints the run.
     * The executable entry's server asks this as a call starts, before it reads the request, so
     * another connection's request is never read, let alone decoded; the wrapped handler asks again.
     */
    admitPeer(method: Method, peer: string): string | undefined {
        if (!this.opts.pinPeer) {
            return undefined;
        }
        if (this.peer === undefined) {
            this.peer = peer;
        } else if (peer !== this.peer) {
            const reason = `agentguard refused a ${method} call from a connection other than the engine's; the policy pack was reconfigured or probed during the run`;
            this.taint(reason);
            return reason;
        }
        return undefined;
    }

    /** Returns why a call is refused, or undefined to let it through. */
    private admit(method: Method, call: UnaryCall): string | undefined {
        const refusal = this.admitPeer(method, call.getPeer());
        if (refusal !== undefined) {
            return refusal;
        }
        if (method === "configure" || method === "configureStack") {
            if (this.configured.has(method)) {
                const reason = `the policy pack was reconfigured during the run (a second ${method === "configure" ? "Configure" : "ConfigureStack"} call, which only the program or another local process can send)`;
                this.taint(reason);
                return reason;
            }
            this.configured.add(method);
            return undefined;
        }
        if (method === "analyze" || method === "remediate" || method === "analyzeStack") {
            this.collect(call.request, method);
        }
        return undefined;
    }

    /** Collects secret values, and checks that a URN's inputs do not change within the run. */
    private collect(request: unknown, method: Method): void {
        const req = request as ProtoRequest;
        if (method === "analyzeStack") {
            for (const r of req.getResourcesList?.() ?? []) {
                this.collectSecrets(structJs(r.getProperties?.()));
                this.collectSecrets(structJs(r.getProvider?.()?.getProperties?.()));
            }
            return;
        }
        const props = structJs(req.getProperties?.());
        const provider = structJs(req.getProvider?.()?.getProperties?.());
        this.collectSecrets(props);
        this.collectSecrets(provider);
        if (method !== "analyze") {
            return;
        }
        const urn = String(req.getUrn?.() ?? "");
        const digest = createHash("sha256")
            .update(canonical({ type: req.getType?.(), props, provider, providerUrn: req.getProvider?.()?.getUrn?.() }))
            .digest("hex");
        const before = this.inputs.get(urn);
        if (before !== undefined && before !== digest) {
            this.taint(`the policy pack was reconfigured during the run: "${urn}" was analyzed twice with different inputs (someone other than the engine is talking to the pack)`);
        }
        this.inputs.set(urn, digest);
    }

    private collectSecrets(v: unknown, inSecret = false, depth = 0): void {
        if (depth > 64 || v === null || v === undefined) {
            return;
        }
        if (typeof v === "string" || typeof v === "number") {
            if (inSecret) {
                const s = String(v);
                if (s !== "") {
                    this.secrets.add(s);
                    // What the gate derives from a secret is secret too: the account of a role ARN,
                    // the name in a path. Its longer fragments (or digit runs) are masked as well.
                    for (const part of s.split(/[:/\s,;=@]+/)) {
                        if (part !== s && (part.length >= 8 || /^\d{6,}$/.test(part))) {
                            this.secrets.add(part);
                        }
                    }
                }
                // Provider config arrives JSON-encoded: its leaves are secret too.
                if (typeof v === "string" && /^\s*[[{"]/.test(v)) {
                    try {
                        this.collectSecrets(JSON.parse(v), true, depth + 1);
                    } catch {
                        // not JSON
                    }
                }
            }
            return;
        }
        if (Array.isArray(v)) {
            v.forEach((x) => this.collectSecrets(x, inSecret, depth + 1));
            return;
        }
        if (typeof v === "object") {
            const o = v as Record<string, unknown>;
            const secret = inSecret || o[SIG_KEY] === SECRET_SIG;
            for (const k of Object.keys(o)) {
                if (secret && k !== SIG_KEY && k !== "value" && typeof o[k] === "string") {
                    // Keys of a secret object are part of its value.
                    this.secrets.add(k);
                }
                this.collectSecrets(o[k], secret, depth + 1);
            }
        }
    }

    /** Blanks every secret value out of a text. */
    scrub(text: string): string {
        return this.secrets.scrub(text);
    }

    /** Whether a number is (a rounding of) a secret input value. */
    isSecretNumber(n: number): boolean {
        return this.secrets.hasNumber(n);
    }

    private scrubResponse(value: unknown): unknown {
        const resp = value as { getDiagnosticsList?: () => ProtoDiagnostic[] } | undefined;
        if (this.secrets.size === 0 || !resp || typeof resp.getDiagnosticsList !== "function") {
            return value;
        }
        for (const d of resp.getDiagnosticsList()) {
            d.setMessage(this.scrub(d.getMessage()));
            d.setDescription(this.scrub(d.getDescription()));
        }
        return value;
    }

    private scrubError(err: unknown): unknown {
        if (this.secrets.size === 0) {
            return err;
        }
        // An error's text may quote inputs; say only that it failed.
        return { code: 13, details: "agentguard failed while analyzing a resource with secret inputs", message: "agentguard failed while analyzing a resource with secret inputs" };
    }
}

/** Past this many secret values, or this many characters of them, texts are withheld whole rather than masked value by value. */
export const MAX_SECRETS = 20_000;
export const MAX_SECRET_CHARS = 16 * 1024 * 1024;
/** What a text becomes when the run carries more secret values than {@link MAX_SECRETS} (or characters than {@link MAX_SECRET_CHARS}). */
export const WITHHELD = "[withheld: this run's inputs carry more secret values than agentguard masks one by one]";

/** Values this long or longer are masked wherever they occur; shorter ones only as a whole word. */
const LONG = 8;
const NUMBER = /^-?\d+(\.\d+)?$/;

function isWordChar(c: string | undefined): boolean {
    return c !== undefined && /[A-Za-z0-9]/.test(c);
}

/**
 * The secret values of a run and how to blank them out of a text. Values of 8 or more characters
 * are replaced wherever they occur; shorter ones (which would otherwise mangle ordinary words)
 * where they stand as a whole word (a quoted identifier, a tag value). A number is masked in the
 * forms the gate prints it too (rounded, rounded up or down, with thousands separators, in cents),
 * and a value with control characters in the escaped form denials show it.
 *
 * One left-to-right scan per text, longest value first at each position: long values are indexed
 * by their first 8 characters, short ones by length, so adding a value costs nothing later and a
 * text costs about its length times the few values that share a prefix. Past {@link MAX_SECRETS}
 * values (or {@link MAX_SECRET_CHARS} characters of them) texts are withheld whole.
 */
export class SecretSet {
    private readonly values = new Set<string>();
    private chars = 0;
    /** Values of {@link LONG} or more characters, by their first {@link LONG}, longest first. */
    private readonly long = new Map<string, string[]>();
    /** The lengths of the shorter values (which `values` holds), longest first. */
    private shortLengths: number[] = [];

    get size(): number {
        return this.values.size;
    }

    add(value: string): void {
        if (value === "" || this.values.has(value) || this.overflowing()) {
            return;
        }
        this.index(value);
        // Denials show control characters as visible escapes (facts/format.ts `printable`).
        const shown = printable(value);
        if (shown !== value) {
            this.index(shown);
        }
        const n = Number(value.trim());
        if (NUMBER.test(value.trim()) && Number.isFinite(n)) {
            for (const v of [Math.round(n), Math.ceil(n), Math.floor(n)]) {
                this.index(String(v));
                this.index(format("whole", v));
            }
            this.index(format("cents", n));
        }
    }

    /** Whether a number the gate reports is one of the values (or a rounding of one). */
    hasNumber(n: number): boolean {
        return this.values.has(String(n)) || this.values.has(String(Math.round(n)));
    }

    scrub(text: string): string {
        if (this.values.size === 0) {
            return text;
        }
        if (this.overflowing()) {
            return WITHHELD;
        }
        let out = "";
        let flushed = 0;
        let i = 0;
        // Whether the character before position i (in the output) ends a word: start, a separator, or a mask.
        let boundary = true;
        while (i < text.length) {
            const hit = this.matchAt(text, i, boundary);
            if (hit > 0) {
                out += text.slice(flushed, i) + SECRET_MASK;
                i += hit;
                flushed = i;
                boundary = true;
            } else {
                boundary = !isWordChar(text[i]);
                i++;
            }
        }
        return flushed === 0 ? text : out + text.slice(flushed);
    }

    private overflowing(): boolean {
        return this.values.size > MAX_SECRETS || this.chars > MAX_SECRET_CHARS;
    }

    private index(v: string): void {
        if (this.values.has(v)) {
            return;
        }
        this.values.add(v);
        this.chars += v.length;
        if (v.length >= LONG) {
            const key = v.slice(0, LONG);
            const bucket = this.long.get(key);
            if (bucket) {
                bucket.push(v);
                bucket.sort((a, b) => b.length - a.length);
            } else {
                this.long.set(key, [v]);
            }
        } else if (!this.shortLengths.includes(v.length)) {
            this.shortLengths = [...this.shortLengths, v.length].sort((a, b) => b - a);
        }
    }

    /** The length of the value masked at `i`, or 0. */
    private matchAt(text: string, i: number, boundary: boolean): number {
        if (this.long.size > 0 && i + LONG <= text.length) {
            const bucket = this.long.get(text.slice(i, i + LONG));
            const hit = bucket?.find((v) => text.startsWith(v, i));
            if (hit !== undefined) {
                return hit.length;
            }
        }
        if (boundary) {
            for (const n of this.shortLengths) {
                if (i + n <= text.length && !isWordChar(text[i + n]) && this.values.has(text.slice(i, i + n))) {
                    return n;
                }
            }
        }
        return 0;
    }
}

/** Replaces secret values in a text (see {@link SecretSet}). */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
    const set = new SecretSet();
    for (const s of secrets) {
        set.add(s);
    }
    return set.scrub(text);
}

interface ProtoStruct {
    toJavaScript(): Record<string, unknown>;
}
interface ProtoProvider {
    getProperties?(): ProtoStruct | undefined;
    getUrn?(): string;
}
interface ProtoRequest {
    getProperties?(): ProtoStruct | undefined;
    getProvider?(): ProtoProvider | undefined;
    getUrn?(): string;
    getType?(): string;
    getResourcesList?(): { getProperties?(): ProtoStruct | undefined; getProvider?(): ProtoProvider | undefined }[];
}
interface ProtoDiagnostic {
    getMessage(): string;
    setMessage(m: string): void;
    getDescription(): string;
    setDescription(m: string): void;
}

/** Structs already decoded in this request: the guard and the executable entry's handler share one decode. */
const decoded = new WeakMap<object, Record<string, unknown>>();

/**
 * A protobuf Struct as plain JavaScript, decoded once per Struct object (nothing mutates the
 * result: the guard digests and walks it, the handler copies it).
 */
export function structJs(s: ProtoStruct | undefined): Record<string, unknown> {
    if (!s || typeof s.toJavaScript !== "function") {
        return {};
    }
    let v = decoded.get(s);
    if (v === undefined) {
        v = s.toJavaScript();
        decoded.set(s, v);
    }
    return v;
}

/** JSON with sorted keys, so equal inputs give equal digests whatever the map order. */
export function canonical(v: unknown): string {
    if (v === undefined) {
        return "null";
    }
    if (v === null || typeof v !== "object") {
        return JSON.stringify(v);
    }
    if (Array.isArray(v)) {
        return `[${v.map(canonical).join(",")}]`;
    }
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
        .join(",")}}`;
}
