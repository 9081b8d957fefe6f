/**
 * The executable entry's gRPC server (src/pack/grpc.ts) against a hostile client: anything but one
 * well-formed uncompressed message on a served path reaches no handler, and nothing a client sends
 * stops the server answering the next session.
 */
import * as http2 from "node:http2";
import * as net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { GrpcServer, GrpcServerOptions, Status, UnaryMethod, listenGrpc } from "../../src/pack/grpc";
import type { UnaryCall, UnaryCallback } from "../../src/pack/guard";

const bytes = (b: Uint8Array): Uint8Array => b;

interface Answer {
    readonly httpStatus: number;
    readonly grpcStatus?: string;
    readonly grpcMessage?: string;
    readonly body: Buffer;
}

function frame(message: Uint8Array, compressed = 0): Buffer {
    const out = Buffer.alloc(5 + message.length);
    out[0] = compressed;
    out.writeUInt32BE(message.length, 1);
    out.set(message, 5);
    return out;
}

const servers: GrpcServer[] = [];
const clients: http2.ClientHttp2Session[] = [];
afterEach(() => {
    clients.splice(0).forEach((c) => c.destroy());
    servers.splice(0).forEach((s) => s.close());
});

/** A server with one method, `/t.S/Echo`, whose handler records what reached it. */
async function echoServer(handler?: (call: UnaryCall, cb: UnaryCallback) => unknown, maxMessageBytes = 1024, more: Partial<GrpcServerOptions> = {}) {
    const reached: UnaryCall[] = [];
    const decoded: string[] = [];
    const method: UnaryMethod = {
        decode: (b) => {
            const text = Buffer.from(b).toString("utf8");
            decoded.push(text);
            return text;
        },
        encode: (v) => bytes(Buffer.from(String(v), "utf8")),
        handler: (call, cb) => {
            reached.push(call);
            return handler ? handler(call, cb) : cb(null, `echo ${String(call.request)} from ${call.getPeer()}`);
        },
    };
    const server = await listenGrpc(new Map([["/t.S/Echo", method]]), { maxMessageBytes, ...more });
    servers.push(server);
    return { server, reached, decoded };
}

function connect(server: GrpcServer): http2.ClientHttp2Session {
    const c = http2.connect(`http://127.0.0.1:${server.port}`);
    c.on("error", () => undefined);
    clients.push(c);
    return c;
}

function request(client: http2.ClientHttp2Session, body: Buffer | Buffer[], headers: http2.OutgoingHttpHeaders = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const req = client.request({ ":method": "POST", ":path": "/t.S/Echo", "content-type": "application/grpc", te: "trailers", ...headers }, { endStream: false });
        const chunks: Buffer[] = [];
        let head: http2.IncomingHttpHeaders = {};
        let trailers: http2.IncomingHttpHeaders = {};
        req.on("response", (h) => (head = h));
        req.on("trailers", (t) => (trailers = t));
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("error", reject);
        req.on("close", () => {
            const meta = { ...head, ...trailers };
            resolve({
                httpStatus: Number(head[":status"]),
                grpcStatus: meta["grpc-status"] as string | undefined,
                grpcMessage: meta["grpc-message"] === undefined ? undefined : decodeURIComponent(String(meta["grpc-message"])),
                body: Buffer.concat(chunks),
            });
        });
        for (const b of Array.isArray(body) ? body : [body]) {
            req.write(b);
        }
        req.end();
    });
}

function message(a: Answer): string {
    expect(a.body.length).toBeGreaterThanOrEqual(5);
    expect(a.body[0]).toBe(0);
    expect(a.body.readUInt32BE(1)).toBe(a.body.length - 5);
    return a.body.subarray(5).toString("utf8");
}

describe("src/pack/grpc.ts: a unary call", () => {
    it("answers one message with grpc-status 0, and names the caller by its HTTP/2 session", async () => {
        const { server } = await echoServer();
        const a = await request(connect(server), frame(Buffer.from("hi")));
        expect(a.httpStatus).toBe(200);
        expect(a.grpcStatus).toBe("0");
        expect(message(a)).toBe("echo hi from session 1");
        // A second connection is a different peer, whatever its address.
        const b = await request(connect(server), frame(Buffer.from("again")));
        expect(message(b)).toBe("echo again from session 2");
    });

    it("runs afterResponse only once the answer is out", async () => {
        const order: string[] = [];
        const { server } = await echoServer((call, cb) => {
            call.afterResponse!(() => order.push("after"));
            order.push("answer");
            cb(null, "x");
        });
        const a = await request(connect(server), frame(Buffer.from("hi")));
        order.push("client has it");
        await new Promise((r) => setTimeout(r, 20));
        expect(a.grpcStatus).toBe("0");
        expect(order[0]).toBe("answer");
        expect(order).toContain("after");
    });

    it("passes a handler's status and details on, percent-encoded", async () => {
        const { server } = await echoServer((_call, cb) => cb({ code: 7, details: "denied: 100% (tier 3)\nsee docs" }));
        const a = await request(connect(server), frame(Buffer.from("hi")));
        expect(a.grpcStatus).toBe("7");
        expect(a.grpcMessage).toBe("denied: 100% (tier 3)\nsee docs");
        expect(a.body.length).toBe(0);
    });

    it("answers UNKNOWN when a handler throws or rejects, and only once when it answers twice", async () => {
        let mode = "throw";
        const { server } = await echoServer((_call, cb) => {
            if (mode === "throw") {
                throw new Error("secret detail");
            }
            if (mode === "reject") {
                return Promise.reject(new Error("secret detail"));
            }
            cb(null, "first");
            cb(null, "second");
            return undefined;
        });
        const c = connect(server);
        for (mode of ["throw", "reject"]) {
            const a = await request(c, frame(Buffer.from("hi")));
            expect(a.grpcStatus).toBe(String(Status.UNKNOWN));
            expect(a.grpcMessage).not.toContain("secret detail");
        }
        mode = "twice";
        expect(message(await request(c, frame(Buffer.from("hi"))))).toBe("first");
    });

    it("handles a message of tens of megabytes (an AnalyzeStack of a large stack)", async () => {
        const big = Buffer.alloc(40 * 1024 * 1024, 0x61);
        const { server } = await echoServer((call, cb) => cb(null, String((call.request as string).length)), 64 * 1024 * 1024);
        const a = await request(connect(server), frame(big));
        expect(message(a)).toBe(String(big.length));
    });
});

describe("src/pack/grpc.ts: what reaches no handler", () => {
    const cases: [string, (h: (b: Buffer, headers?: http2.OutgoingHttpHeaders) => Promise<Answer>) => Promise<Answer>, number | string][] = [
        ["a GET", (r) => r(frame(Buffer.from("hi")), { ":method": "GET" }), 405],
        ["a content type other than gRPC", (r) => r(frame(Buffer.from("hi")), { "content-type": "application/json" }), 415],
        ["a path it does not serve", (r) => r(frame(Buffer.from("hi")), { ":path": "/pulumirpc.Analyzer/Remediate" }), String(Status.UNIMPLEMENTED)],
        ["a compressed encoding", (r) => r(frame(Buffer.from("hi")), { "grpc-encoding": "gzip" }), String(Status.UNIMPLEMENTED)],
        ["the compressed flag", (r) => r(frame(Buffer.from("hi"), 1)), String(Status.INTERNAL)],
        ["two messages", (r) => r(Buffer.concat([frame(Buffer.from("a")), frame(Buffer.from("b"))])), String(Status.INTERNAL)],
        ["a length longer than the body", (r) => r(frame(Buffer.from("hi")).subarray(0, 6)), String(Status.INTERNAL)],
        ["no message at all", (r) => r(Buffer.alloc(0)), String(Status.INTERNAL)],
        ["half a prefix", (r) => r(Buffer.from([0, 0])), String(Status.INTERNAL)],
        ["a message over the limit", (r) => r(frame(Buffer.alloc(4096, 1))), String(Status.RESOURCE_EXHAUSTED)],
    ];
    for (const [what, send, expected] of cases) {
        it(`${what} is refused (${expected})`, async () => {
            const { server, reached } = await echoServer();
            const c = connect(server);
            const a = await send((b, headers) => request(c, b, headers));
            if (typeof expected === "number") {
                expect(a.httpStatus).toBe(expected);
            } else {
                expect(a.grpcStatus).toBe(expected);
            }
            expect(reached).toHaveLength(0);
            // The session still serves a well-formed call.
            expect(message(await request(c, frame(Buffer.from("ok"))))).toBe("echo ok from session 1");
            expect(reached).toHaveLength(1);
        });
    }

    it("a message that does not decode is INTERNAL", async () => {
        const method: UnaryMethod = {
            decode: () => {
                throw new Error("bad protobuf");
            },
            encode: () => new Uint8Array(),
            handler: () => {
                throw new Error("must not be reached");
            },
        };
        const server = await listenGrpc(new Map([["/t.S/Echo", method]]), { maxMessageBytes: 1024 });
        servers.push(server);
        const a = await request(connect(server), frame(Buffer.from("hi")));
        expect(a.grpcStatus).toBe(String(Status.INTERNAL));
    });
});

describe("src/pack/grpc.ts: a hostile client does not stop the server", () => {
    it("survives garbage on the socket, a client that resets mid-call, and a session destroyed mid-answer", async () => {
        let release: (() => void) | undefined;
        const { server } = await echoServer((call, cb) => {
            if (call.request === "slow") {
                release = () => cb(null, "late");
                return;
            }
            cb(null, `echo ${String(call.request)}`);
        });

        // Not HTTP/2 at all.
        await new Promise<void>((resolve) => {
            const s = net.connect(server.port, "127.0.0.1", () => s.end("GET / HTTP/1.1\r\nHost: x\r\n\r\n\x00\xff\x00garbage"));
            s.on("error", () => resolve());
            s.on("close", () => resolve());
            s.resume();
        });

        // A call the client abandons before the answer, then a session destroyed with the answer pending.
        const c = connect(server);
        const req = c.request({ ":method": "POST", ":path": "/t.S/Echo", "content-type": "application/grpc" });
        req.on("error", () => undefined);
        req.end(frame(Buffer.from("slow")));
        await new Promise((r) => setTimeout(r, 50));
        req.close(http2.constants.NGHTTP2_CANCEL);
        c.destroy();
        await new Promise((r) => setTimeout(r, 20));
        release?.();

        const a = await request(connect(server), frame(Buffer.from("still here")));
        expect(message(a)).toBe("echo still here");
    });
});

describe("src/pack/grpc.ts: admission and limits", () => {
    it("refuses a call admit refuses before reading its request: PERMISSION_DENIED while the client is still sending, nothing decoded, the connection closed", async () => {
        const asked: string[] = [];
        const { server, reached, decoded } = await echoServer(undefined, 64 * 1024 * 1024, {
            admit: (method, peer) => {
                asked.push(`${method} ${peer}`);
                return peer === "session 1" ? undefined : "only the first connection is served";
            },
        });
        const engine = connect(server);
        expect(message(await request(engine, frame(Buffer.from("first"))))).toBe("echo first from session 1");

        // The attacker's request is never ended: its answer must not wait for the body.
        const attacker = connect(server);
        const answered = await new Promise<{ status?: string; message?: string; closed: boolean }>((resolve) => {
            const req = attacker.request({ ":method": "POST", ":path": "/t.S/Echo", "content-type": "application/grpc" }, { endStream: false });
            req.on("error", () => undefined);
            req.on("response", (h) => resolve({ status: h["grpc-status"] as string, message: decodeURIComponent(String(h["grpc-message"])), closed: false }));
            const big = Buffer.alloc(5 + 32 * 1024 * 1024);
            big.writeUInt32BE(32 * 1024 * 1024, 1);
            req.write(big.subarray(0, 1024 * 1024));
        });
        expect(answered.status).toBe(String(Status.PERMISSION_DENIED));
        expect(answered.message).toBe("only the first connection is served");
        await new Promise<void>((resolve) => (attacker.closed ? resolve() : attacker.once("close", () => resolve())));
        expect(asked).toEqual(["Echo session 1", "Echo session 2"]);
        expect(decoded).toEqual(["first"]);
        expect(reached).toHaveLength(1);

        // The engine's connection is still served.
        expect(message(await request(engine, frame(Buffer.from("second"))))).toBe("echo second from session 1");
    });

    it("keeps at most maxSessions connections open; one beyond it is dropped, and a closed one frees its place", async () => {
        const { server } = await echoServer(undefined, 1024, { maxSessions: 2 });
        const a = connect(server);
        const b = connect(server);
        expect(message(await request(a, frame(Buffer.from("a"))))).toBe("echo a from session 1");
        expect(message(await request(b, frame(Buffer.from("b"))))).toBe("echo b from session 2");
        await expect(request(connect(server), frame(Buffer.from("c")))).rejects.toThrow();
        a.destroy();
        await new Promise((r) => setTimeout(r, 50));
        expect(message(await request(connect(server), frame(Buffer.from("d"))))).toBe("echo d from session 3");
    });

    it("lets connections that never call neither hold every slot nor stay: a new one takes the oldest silent one's place, and silence times out", async () => {
        const { server } = await echoServer(undefined, 1024, { maxSessions: 2, firstCallMs: 300 });
        // Plain TCP connections that never send a byte, in every slot.
        const silent = [0, 1].map(() => net.connect(server.port, "127.0.0.1").on("error", () => undefined).resume());
        await Promise.all(silent.map((sock) => new Promise((r) => sock.once("connect", r))));
        const closed = silent.map((sock) => new Promise((r) => sock.once("close", r)));
        await new Promise((r) => setTimeout(r, 50));
        // The engine's connection is still served...
        expect(message(await request(connect(server), frame(Buffer.from("e"))))).toMatch(/^echo e from session \d$/);
        // ...and a silent connection is gone within the first-call time.
        await Promise.all(closed);
        silent.forEach((sock) => sock.destroy());
    });

    it("still answers when a handler's status text cannot be percent-encoded (a lone surrogate)", async () => {
        const { server } = await echoServer((_call, cb) => cb({ code: Status.INVALID_ARGUMENT, details: "bad \ud800 text" }));
        const a = await request(connect(server), frame(Buffer.from("hi")));
        expect(a.grpcStatus).toBe(String(Status.INVALID_ARGUMENT));
        expect(a.grpcMessage).toBe("agentguard failed");
    });
});
