// Talks to both simulators over the provider gRPC protocol, the way the Pulumi
// engine does, and checks the answers. Needs no Pulumi CLI.
//   node test/simulators/smoke/grpc-smoke.js
"use strict";

const assert = require("assert/strict");
const path = require("path");
const { spawn } = require("child_process");

const PULUMI_DIR = path.resolve(__dirname, "../../../node_modules/@pulumi/pulumi");
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [PULUMI_DIR] }));
const provrpc = require(path.join(PULUMI_DIR, "proto/provider_grpc_pb"));
const pb = require(path.join(PULUMI_DIR, "proto/provider_pb"));
const struct = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [PULUMI_DIR] }));
const empty = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [PULUMI_DIR] }));

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const S = (o) => struct.Struct.fromJavaScript(o);
const urn = (type, name) => `urn:pulumi:dev::smoke::${type}::${name}`;

async function start(pkg) {
    const child = spawn(path.resolve(__dirname, `../bin/pulumi-resource-${pkg}`), [], { stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise((resolve, reject) => {
        child.stdout.once("data", (d) => resolve(String(d).trim()));
        child.once("exit", (code) => reject(new Error(`${pkg} exited ${code}`)));
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const call = (method, req) =>
        new Promise((resolve, reject) => client[method](req, (err, resp) => (err ? reject(err) : resolve(resp))));
    return { child, client, call, port };
}

function req(Ctor, fields) {
    const r = new Ctor();
    for (const [k, v] of Object.entries(fields)) r[`set${k}`](v);
    return r;
}

async function configure(p, args) {
    const checked = await p.call("checkConfig", req(pb.CheckRequest, { Urn: urn("pulumi:providers:x", "p"), Olds: S({}), News: S(args) }));
    assert.deepEqual(checked.getInputs().toJavaScript(), args, "CheckConfig keeps config as given");
    await p.call("configure", req(pb.ConfigureRequest, { Args: checked.getInputs(), Acceptsecrets: true }));
}

async function aws() {
    const p = await start("aws");
    try {
        const info = await p.call("getPluginInfo", new empty.Empty());
        assert.equal(info.getVersion(), "7.48.0");
        // Config as an SDK-generated provider sends it: non-strings JSON-encoded.
        await configure(p, {
            region: "eu-west-1",
            allowedAccountIds: '["111111111111"]',
            defaultTags: '{"tags":{"owner":"platform","env":"dev"}}',
        });
        const dc = await p.call("diffConfig", req(pb.DiffRequest, { Urn: urn("pulumi:providers:aws", "p"), Olds: S({ region: "eu-west-1" }), News: S({ region: "eu-west-1" }) }));
        assert.equal(dc.getChanges(), pb.DiffResponse.DiffChanges.DIFF_NONE);
        const dcv = await p.call("diffConfig", req(pb.DiffRequest, { Urn: urn("pulumi:providers:aws", "p"), Olds: S({ region: "eu-west-1" }), News: S({ region: "eu-west-1", version: "7.48.0" }) }));
        assert.equal(dcv.getChanges(), pb.DiffResponse.DiffChanges.DIFF_NONE, "DiffConfig ignores the plugin version");
        const dcr = await p.call("diffConfig", req(pb.DiffRequest, { Urn: urn("pulumi:providers:aws", "p"), Olds: S({ region: "eu-west-1" }), News: S({ region: "us-east-2" }) }));
        assert.equal(dcr.getChanges(), pb.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual(dcr.getDiffsList(), ["region"]);

        const T = "aws:s3/bucket:Bucket";
        const u = urn(T, "logs");
        const news = { bucket: "acme-logs", tags: { env: "prod", team: "data" } };
        let r = await p.call("check", req(pb.CheckRequest, { Urn: u, Olds: S({}), News: S(news) }));
        const checked = r.getInputs().toJavaScript();
        assert.deepEqual(checked.tagsAll, { owner: "platform", env: "prod", team: "data" }, "tagsAll = defaultTags + tags");

        // Preview: values from other resources are unknown; check must pass them through.
        r = await p.call("check", req(pb.CheckRequest, { Urn: u, Olds: S({}), News: S({ bucket: UNKNOWN, tags: UNKNOWN }) }));
        assert.deepEqual(r.getInputs().toJavaScript(), { bucket: UNKNOWN, tags: UNKNOWN, tagsAll: UNKNOWN });
        r = await p.call("check", req(pb.CheckRequest, { Urn: u, Olds: S({}), News: S({ bucket: "b", tags: { a: UNKNOWN } }) }));
        assert.deepEqual(r.getInputs().toJavaScript().tagsAll, { owner: "platform", env: "dev", a: UNKNOWN });
        // Untaggable types get no tagsAll from default tags alone.
        r = await p.call("check", req(pb.CheckRequest, { Urn: urn("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a"), Olds: S({}), News: S({ role: "r", policyArn: "arn:x" }) }));
        assert.equal(r.getInputs().toJavaScript().tagsAll, undefined);
        r = await p.call("check", req(pb.CheckRequest, { Urn: urn("aws:iam/role:Role", "r"), Olds: S({}), News: S({ name: "r" }) }));
        assert.deepEqual(r.getInputs().toJavaScript().tagsAll, { owner: "platform", env: "dev" });

        const created = await p.call("create", req(pb.CreateRequest, { Urn: u, Properties: S(checked) }));
        const id = created.getId();
        const outs = created.getProperties().toJavaScript();
        assert.match(id, /^sim-[0-9a-f]{16}$/);
        assert.equal(outs.arn, "arn:aws:s3:eu-west-1:111111111111:bucket/acme-logs");
        assert.equal(outs.id, id);
        assert.equal(outs.bucket, "acme-logs");
        const again = await p.call("create", req(pb.CreateRequest, { Urn: u, Properties: S(checked) }));
        assert.equal(again.getId(), id, "ids are deterministic");

        const diff = (olds, n) => p.call("diff", req(pb.DiffRequest, { Id: id, Urn: u, Olds: S(olds), News: S(n) }));
        let d = await diff(outs, checked);
        assert.equal(d.getChanges(), pb.DiffResponse.DiffChanges.DIFF_NONE, "no changes → no diff");
        d = await diff(outs, { ...checked, tags: { env: "prod" } });
        assert.equal(d.getChanges(), pb.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual(d.getReplacesList(), []);
        d = await diff(outs, { ...checked, bucket: "acme-logs-2" });
        assert.deepEqual(d.getReplacesList(), ["bucket"]);
        d = await diff(outs, { ...checked, bucket: UNKNOWN });
        assert.deepEqual(d.getReplacesList(), ["bucket"]);

        const upd = await p.call("update", req(pb.UpdateRequest, { Id: id, Urn: u, Olds: S(outs), News: S({ ...checked, tags: { env: "prod" } }) }));
        assert.deepEqual(upd.getProperties().toJavaScript().tags, { env: "prod" });
        assert.equal(upd.getProperties().toJavaScript().id, id);

        const read = await p.call("read", req(pb.ReadRequest, { Id: id, Urn: u, Properties: S(outs) }));
        assert.equal(read.getId(), id);
        assert.deepEqual(read.getProperties().toJavaScript(), outs);
        await p.call("delete", req(pb.DeleteRequest, { Id: id, Urn: u, Properties: S(outs) }));

        const invoke = async (tok, args) => (await p.call("invoke", req(pb.InvokeRequest, { Tok: tok, Args: S(args) }))).getReturn().toJavaScript();
        const who = await invoke("aws:index/getCallerIdentity:getCallerIdentity", {});
        assert.equal(who.accountId, "111111111111");
        assert.match(who.arn, /^arn:aws:iam::111111111111:/);
        assert.ok(who.userId);
        assert.equal((await invoke("aws:index/getPartition:getPartition", {})).dnsSuffix, "amazonaws.com");
        assert.equal((await invoke("aws:index/getRegion:getRegion", {})).name, "eu-west-1");
        const doc = await invoke("aws:iam/getPolicyDocument:getPolicyDocument", {
            statements: [
                { sid: "Read", actions: ["s3:GetObject", "s3:ListBucket"], resources: ["arn:aws:s3:::b/*"] },
                { effect: "Deny", actions: ["*"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::1:root"] }], conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
            ],
        });
        assert.deepEqual(JSON.parse(doc.json), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "Read", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetObject"], Resource: "arn:aws:s3:::b/*" },
                { Effect: "Deny", Action: "*", Principal: { AWS: "arn:aws:iam::1:root" }, Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ],
        });
        // A role created without a name is auto-named, and that name is not a change later.
        const ru = urn("aws:iam/role:Role", "worker");
        const role = (await p.call("create", req(pb.CreateRequest, { Urn: ru, Properties: S({ assumeRolePolicy: "{}" }) }))).getProperties().toJavaScript();
        assert.match(role.name, /^worker-[0-9a-f]{7}$/);
        const rd = await p.call("diff", req(pb.DiffRequest, { Id: "x", Urn: ru, Olds: S(role), News: S({ assumeRolePolicy: "{}" }) }));
        assert.equal(rd.getChanges(), pb.DiffResponse.DiffChanges.DIFF_NONE);
        const ami = await p.call("invoke", req(pb.InvokeRequest, { Tok: "aws:ec2/getAmi:getAmi", Args: S({}) }));
        assert.match(ami.getFailuresList()[0].getReason(), /unknown function aws:ec2\/getAmi:getAmi/);
        console.log("aws simulator: ok");
    } finally {
        p.client.close();
        p.child.kill();
    }
}

async function cloudflare() {
    const p = await start("cloudflare");
    try {
        assert.equal((await p.call("getPluginInfo", new empty.Empty())).getVersion(), "6.22.1");
        await configure(p, { apiToken: { ...SECRET, value: "not-a-real-token" } });
        const invoke = async (tok, args) => (await p.call("invoke", req(pb.InvokeRequest, { Tok: tok, Args: S(args) }))).getReturn().toJavaScript();
        const zone = await invoke("cloudflare:index/getZone:getZone", { filter: { name: "example.com" } });
        assert.match(zone.zoneId, /^[0-9a-f]{32}$/);
        assert.equal((await invoke("cloudflare:index/getZone:getZone", { name: "example.com" })).zoneId, zone.zoneId);
        for (const tok of [
            "cloudflare:index/getApiTokenPermissionGroupsList:getApiTokenPermissionGroupsList",
            "cloudflare:index/getAccountApiTokenPermissionGroupsList:getAccountApiTokenPermissionGroupsList",
        ]) {
            const { results } = await invoke(tok, { accountId: "a" });
            const names = results.map((g) => g.name);
            for (const n of ["Zone Read", "DNS Write", "Workers Scripts Write", "Billing Write", "Account API Tokens Write", "R2 Storage Write"]) {
                assert.ok(names.includes(n), `${tok} lists ${n}`);
            }
            assert.equal((await invoke(tok, { name: "DNS Write" })).results.length, 1);
        }

        const T = "cloudflare:index/dnsRecord:DnsRecord";
        const u = urn(T, "www");
        const news = { zoneId: zone.zoneId, name: "www", type: "CNAME", content: "example.com", ttl: 1, proxied: true };
        const checked = (await p.call("check", req(pb.CheckRequest, { Urn: u, Olds: S({}), News: S(news) }))).getInputs().toJavaScript();
        assert.deepEqual(checked, news, "cloudflare check adds nothing");
        const created = await p.call("create", req(pb.CreateRequest, { Urn: u, Properties: S(checked) }));
        const outs = created.getProperties().toJavaScript();
        const diff = (n) => p.call("diff", req(pb.DiffRequest, { Id: created.getId(), Urn: u, Olds: S(outs), News: S(n) }));
        assert.equal((await diff(checked)).getChanges(), pb.DiffResponse.DiffChanges.DIFF_NONE);
        assert.deepEqual((await diff({ ...checked, zoneId: "other" })).getReplacesList(), ["zoneId"]);
        assert.deepEqual((await diff({ ...checked, ttl: 300 })).getReplacesList(), []);

        const tu = urn("cloudflare:index/apiToken:ApiToken", "ci");
        const tok = await p.call("create", req(pb.CreateRequest, { Urn: tu, Properties: S({ name: "ci", policies: [] }) }));
        const tokOuts = tok.getProperties().toJavaScript();
        assert.equal(tokOuts.value[Object.keys(SECRET)[0]], Object.values(SECRET)[0], "token value is a secret");
        assert.match(tokOuts.value.value, /^sim-cf-token-/);
        const td = await p.call("diff", req(pb.DiffRequest, { Id: tok.getId(), Urn: tu, Olds: S(tokOuts), News: S({ name: "ci", policies: [] }) }));
        assert.equal(td.getChanges(), pb.DiffResponse.DiffChanges.DIFF_NONE);
        const accounts = await p.call("invoke", req(pb.InvokeRequest, { Tok: "cloudflare:index/getAccounts:getAccounts", Args: S({}) }));
        assert.match(accounts.getFailuresList()[0].getReason(), /unknown function cloudflare:index\/getAccounts:getAccounts/);
        console.log("cloudflare simulator: ok");
    } finally {
        p.client.close();
        p.child.kill();
    }
}

aws()
    .then(cloudflare)
    .catch((e) => {
        console.error(e);
        process.exitCode = 1;
    });
