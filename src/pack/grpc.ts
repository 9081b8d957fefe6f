/**
 * A minimal unary gRPC server on `node:http2`, for the executable entry (src/pack/analyzer.ts).
 *
 * The engine's Analyzer calls are all unary, one at a time, over one HTTP/2 connection with prior
 * knowledge (no TLS). grpc-js serves that too, but costs about a quarter of a second per
 * 500-resource preview in per-call overhead on the preview's serial path (docs/performance.md,
 * "The executable entry"); this server does only what the Analyzer protocol needs:
 *
 * - `POST` with `content-type: application/grpc[+proto]` (else HTTP 405 / 415, as the gRPC
 *   spec says); a path it does not serve is answered `UNIMPLEMENTED` without reading the body;
 * - one uncompressed length-prefixed message per request, at most `maxMessageBytes` (more is
 *   `RESOURCE_EXHAUSTED` at once, and the rest is read and dropped, never buffered); compression,
 *   a second message, a short or long frame are `INTERNAL`, and reach no handler;
 * - one answer per call: a message with `grpc-status: 0` in the trailers, or a trailers-only
 *   error whose `grpc-message` is percent-encoded;
 * - a hostile client's protocol errors, resets and cancellations end its own stream or session,
 *   never the process; `admit` refuses a call before its request is read (the run guard's
 *   peer check), and at most `maxSessions` connections are open at once.
 *
 * Each call carries an unforgeable peer, the id of its HTTP/2 session, which is what
 * {@link RunGuard} pins. The client's address is not used: it is 127.0.0.1 for every process on
 * the machine.
 * @internal
 */
import * as http2 from "node:http2";
import type { UnaryCall, UnaryCallback, UnaryHandler } from "./guard";

/** The gRPC status codes this server sends (grpc/doc/statuscodes.md). */
export const Status = {
    OK: 0,
    UNKNOWN: 2,
    INVALID_ARGUMENT: 3,
    PERMISSION_DENIED: 7,
    RESOURCE_EXHAUSTED: 8,
    UNIMPLEMENTED: 12,
    INTERNAL: 13,
} as const;

/** One unary method: how to read its request, how to write its response, and who answers it. */
export interface UnaryMethod {
    readonly decode: (bytes: Uint8Array) => unknown;
    readonly encode: (response: unknown) => Uint8Array;
    readonly handler: UnaryHandler;
}

export interface GrpcServerOptions {
    /** The largest request message accepted, in bytes. */
    readonly maxMessageBytes: number;
    /**
     * Asked as each call starts, before its request is read: why the call is refused (it is then
     * answered PERMISSION_DENIED, its request dropped unread, and its connection closed), or
     * undefined to serve it. `method` is the last part of the path (`Configure`).
     */
    readonly admit?: (method: string, peer: string) => string | undefined;
    /**
     * At most this many connections at once (default 8). A connection beyond it takes the place of
     * the oldest one that has made no call yet, or is dropped when every one has.
     */
    readonly maxSessions?: number;
    /** A connection that makes no call within this many milliseconds is dropped (default 2,000). */
    readonly firstCallMs?: number;
}

/** A listening server. */
export interface GrpcServer {
    readonly port: number;
    close(): void;
}

/** The 5-byte prefix of a gRPC message: a compressed flag and a big-endian length. */
const PREFIX = 5;

/** The error a handler or guard passes to its callback (grpc-js's shape). */
interface CallError {
    code?: number;
    details?: string;
    message?: string;
}

/** Starts serving `methods` (keyed by path, `/package.Service/Method`) on 127.0.0.1 at an ephemeral port. */
export function listenGrpc(methods: ReadonlyMap<string, UnaryMethod>, opts: GrpcServerOptions): Promise<GrpcServer> {
    const sessions = new WeakMap<http2.Http2Session, string>();
    let sessionCount = 0;
    let open = 0;
    const maxSessions = opts.maxSessions ?? 8;
    const firstCallMs = opts.firstCallMs ?? 2000;
    /** Connections that have made no call yet, oldest first. */
    const silent = new Set<http2.Http2Session>();
    // The engine uses one connection and one call at a time, and calls as soon as it connects; the
    // limits keep a hostile local client's connections from holding the pack's memory or file
    // descriptors, or every slot (silent connections give way to new ones, and time out).
    const server = http2.createServer({ settings: { maxConcurrentStreams: 16 } });
    server.on("session", (session: http2.Http2Session) => {
        session.on("error", () => undefined);
        if (open >= maxSessions) {
            const oldest = silent.values().next();
            if (oldest.done) {
                session.destroy();
                return;
            }
            silent.delete(oldest.value);
            oldest.value.destroy();
        }
        open++;
        silent.add(session);
        session.once("close", () => {
            open--;
            silent.delete(session);
        });
        sessions.set(session, `session ${++sessionCount}`);
        setTimeout(() => {
            if (silent.delete(session)) {
                session.destroy();
            }
        }, firstCallMs).unref();
    });
    server.on("stream", (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
        stream.on("error", () => undefined);
        if (stream.session) {
            silent.delete(stream.session);
        }
        const peer = stream.session ? sessions.get(stream.session) : undefined;
        if (peer === undefined) {
            // A stream whose session is already gone, or was never admitted: nothing to answer.
            stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
            return;
        }
        const refusal = opts.admit?.(String(headers[":path"]).split("/").pop() ?? "", peer);
        if (refusal !== undefined) {
            const session = stream.session;
            endWithStatus(stream, Status.PERMISSION_DENIED, refusal);
            // No further calls on this connection; it is dropped once the answer has had time to go out.
            session?.close();
            setTimeout(() => session?.destroy(), 1000).unref();
            return;
        }
        serveStream(stream, headers, peer, methods, opts.maxMessageBytes);
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            server.off("error", reject);
            server.on("error", () => undefined);
            const address = server.address();
            if (address === null || typeof address === "string") {
                reject(new Error("the server has no TCP port"));
                return;
            }
            resolve({ port: address.port, close: () => server.close() });
        });
    });
}

function serveStream(
    stream: http2.ServerHttp2Stream,
    headers: http2.IncomingHttpHeaders,
    peer: string,
    methods: ReadonlyMap<string, UnaryMethod>,
    maxMessageBytes: number,
): void {
    if (headers[":method"] !== "POST") {
        endWithHttpStatus(stream, 405);
        return;
    }
    const contentType = headers["content-type"];
    if (typeof contentType !== "string" || !/^application\/grpc(\+proto)?(;|$)/.test(contentType)) {
        endWithHttpStatus(stream, 415);
        return;
    }
    const method = methods.get(String(headers[":path"]));
    if (method === undefined) {
        endWithStatus(stream, Status.UNIMPLEMENTED, "agentguard does not serve this method");
        return;
    }
    const encoding = headers["grpc-encoding"];
    if (encoding !== undefined && encoding !== "identity") {
        endWithStatus(stream, Status.UNIMPLEMENTED, "agentguard accepts uncompressed messages only");
        return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    stream.on("data", (chunk: Buffer) => {
        if (refused) {
            return;
        }
        size += chunk.length;
        if (size > PREFIX + maxMessageBytes) {
            refused = true;
            chunks.length = 0;
            // The answer goes out now; the rest of the request is read and dropped, never kept.
            endWithStatus(stream, Status.RESOURCE_EXHAUSTED, "the request is larger than agentguard accepts");
            return;
        }
        chunks.push(chunk);
    });
    stream.on("end", () => {
        if (refused) {
            return;
        }
        const body = Buffer.concat(chunks, size);
        if (body.length < PREFIX || body[0] !== 0 || body.readUInt32BE(1) !== body.length - PREFIX) {
            endWithStatus(stream, Status.INTERNAL, "agentguard accepts exactly one uncompressed message per call");
            return;
        }
        let request: unknown;
        try {
            request = method.decode(body.subarray(PREFIX));
        } catch {
            endWithStatus(stream, Status.INTERNAL, "agentguard could not decode the request");
            return;
        }
        call(stream, method, { request, getPeer: () => peer, afterResponse: (fn) => afterClose(stream, fn) });
    });
}

/** Runs a handler and sends its one answer. */
function call(stream: http2.ServerHttp2Stream, method: UnaryMethod, unary: UnaryCall): void {
    let answered = false;
    const callback: UnaryCallback = (err, value) => {
        if (answered) {
            return;
        }
        answered = true;
        try {
            if (err) {
                const e = err as CallError;
                endWithStatus(stream, typeof e.code === "number" ? e.code : Status.UNKNOWN, e.details ?? e.message ?? "agentguard failed");
                return;
            }
            let bytes: Uint8Array;
            try {
                bytes = method.encode(value);
            } catch {
                endWithStatus(stream, Status.INTERNAL, "agentguard could not encode its response");
                return;
            }
            endWithMessage(stream, bytes);
        } catch {
            // The answer could not be sent: end the call with an error rather than leave it waiting.
            if (!stream.destroyed) {
                stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
            }
        }
    };
    try {
        const pending = method.handler(unary, callback) as Promise<unknown> | undefined;
        if (pending && typeof pending.then === "function") {
            pending.then(undefined, () => callback({ code: Status.UNKNOWN, details: "agentguard failed" }));
        }
    } catch {
        callback({ code: Status.UNKNOWN, details: "agentguard failed" });
    }
}

/** Runs `fn` after the stream has closed, its answer sent (now, if it already has). */
function afterClose(stream: http2.ServerHttp2Stream, fn: () => void): void {
    if (stream.closed || stream.destroyed) {
        setImmediate(fn);
    } else {
        stream.once("close", () => setImmediate(fn));
    }
}

function open(stream: http2.ServerHttp2Stream): boolean {
    return !stream.destroyed && !stream.closed && !stream.headersSent;
}

function endWithMessage(stream: http2.ServerHttp2Stream, bytes: Uint8Array): void {
    if (!open(stream)) {
        return;
    }
    const frame = Buffer.allocUnsafe(PREFIX + bytes.length);
    frame[0] = 0;
    frame.writeUInt32BE(bytes.length, 1);
    frame.set(bytes, PREFIX);
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": String(Status.OK) }));
    stream.end(frame);
}

/** A trailers-only answer: the status in the only headers, and no message. */
function endWithStatus(stream: http2.ServerHttp2Stream, code: number, message: string): void {
    if (!open(stream)) {
        return;
    }
    let text: string;
    try {
        text = encodeURIComponent(message);
    } catch {
        // A lone surrogate cannot be encoded; the status code still says what happened.
        text = "agentguard%20failed";
    }
    stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": String(code), "grpc-message": text }, { endStream: true });
    // Read and drop whatever else the client sends, so the stream can close.
    stream.resume();
}

function endWithHttpStatus(stream: http2.ServerHttp2Stream, status: number): void {
    if (!open(stream)) {
        return;
    }
    stream.respond({ ":status": status }, { endStream: true });
    stream.resume();
}
