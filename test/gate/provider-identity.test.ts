/**
 * Attacks on the provider gate's idea of "which plugin runs" (issue 10, item 4): a download URL or
 * a parameterization at the top level or under `__internal` (where the engine keeps them:
 * pkg/resource/deploy/providers/registry.go), unknown `__internal` keys, and the default provider
 * whose name carries the URL (the only place a real engine shows it to a policy pack).
 */
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../src/facts/facts";
import { intoQName, providerIdentity } from "../../src/gate/provider";
import { approver, config, custom, sign } from "../fixtures";
import { decide } from "./helpers";

const provider = (props: Record<string, unknown>, name = "mine", pkg = "aws") => ({
    urn: `urn:pulumi:dev::shop::pulumi:providers:${pkg}::${name}`,
    type: `pulumi:providers:${pkg}`,
    name,
    kind: "provider" as const,
    props: props as never,
});
const needs = (d: Awaited<ReturnType<typeof decide>>) => d.gates.map((g) => (g.need.gate === "provider" ? g.need.provider : `${g.need.gate}`));

describe("provider identity", () => {
    it("is the plain package for a provider with no download URL or parameterization", () => {
        expect(providerIdentity("pulumi:providers:aws", "mine", { region: "us-east-1", version: "7.0.0" }, [])).toBe("aws");
        expect(providerIdentity("pulumi:providers:aws", "mine", { __internal: { version: "7.0.0", pluginChecksums: { "linux-amd64": "ab" } } }, [])).toBe("aws");
        expect(providerIdentity("pulumi:providers:aws", "default_7_48_0", {}, [])).toBe("aws");
        expect(providerIdentity("pulumi:providers:aws", "default_7_48_0_alpha_1", {}, [])).toBe("aws");
        expect(providerIdentity("pulumi:providers:aws", "default", {}, [])).toBe("aws");
        // Explicit providers named by a person are not mistaken for default providers with a URL.
        expect(providerIdentity("pulumi:providers:aws", "default_eu", {}, [])).toBe("aws");
        expect(providerIdentity("pulumi:providers:aws", "defaultProvider", {}, [])).toBe("aws");
    });

    it("reads the download URL under __internal, where the engine puts it", () => {
        const url = "https://evil.example/plugins";
        expect(providerIdentity("pulumi:providers:aws", "mine", { region: "x", __internal: { pluginDownloadURL: url } }, [])).toBe(`aws@${url}`);
        // With __internal present the engine ignores a top-level key of the same name (it is config).
        expect(providerIdentity("pulumi:providers:aws", "mine", { pluginDownloadURL: "https://decoy", __internal: { pluginDownloadURL: url } }, [])).toBe(`aws@${url}`);
        // Without __internal the engine falls back to the top level (state of old engines, or a program sending it).
        expect(providerIdentity("pulumi:providers:aws", "mine", { pluginDownloadURL: url }, [])).toBe(`aws@${url}`);
    });

    it("reads a parameterization (base plugin name and value) at either place", () => {
        const internal = { __internal: { name: "terraform-provider", parameterization: "eyJyZW1vdGUiOnt9fQ==", version: "0.8.0" }, version: "1.0.0" };
        expect(providerIdentity("pulumi:providers:netlify", "mine", internal, [])).toBe("netlify[terraform-provider:eyJyZW1vdGUiOnt9fQ==]");
        expect(providerIdentity("pulumi:providers:aws", "mine", { parameterization: "cGFyYW0=" }, [])).toBe("aws[cGFyYW0=]");
        // A different plugin binary under a vetted package's name.
        expect(providerIdentity("pulumi:providers:aws", "mine", { __internal: { name: "evil" } }, [])).toBe("aws[evil]");
        const both = { __internal: { name: "terraform-provider", parameterization: "cA==", pluginDownloadURL: "github://api.github.com/x" } };
        expect(providerIdentity("pulumi:providers:aws", "mine", both, [])).toBe("aws[terraform-provider:cA==]@github://api.github.com/x");
    });

    it("fails closed on unknown, malformed or unrecognized __internal content", () => {
        expect(providerIdentity("pulumi:providers:aws", "mine", { __internal: UNKNOWN }, [])).toBe("aws@<unknown __internal>");
        expect(providerIdentity("pulumi:providers:aws", "mine", { __internal: "x" }, [])).toBe("aws@<malformed __internal>");
        expect(providerIdentity("pulumi:providers:aws", "mine", { __internal: { pluginDownloadURL: UNKNOWN } }, [])).toBe("aws@<unknown pluginDownloadURL>");
        expect(providerIdentity("pulumi:providers:aws", "mine", { __internal: { pluginDownloadURL: 42 } }, [])).toBe("aws@<malformed pluginDownloadURL>");
        expect(providerIdentity("pulumi:providers:aws", "mine", { __internal: { parameterization: UNKNOWN } }, [])).toBe("aws@<unknown parameterization>");
        expect(providerIdentity("pulumi:providers:aws", "mine", { __internal: { pluginSource: "x" } }, [])).toBe('aws@<unknown __internal key "pluginSource">');
        expect(providerIdentity("pulumi:providers:aws", "mine", { __internal: { envVarMappings: { PROD_KEY: "AWS_ACCESS_KEY_ID" } } }, [])).toBe('aws@<unknown __internal key "envVarMappings">');
    });

    it("reads the download URL a default provider's name carries, and matches allowed URLs through it", () => {
        expect(intoQName("https://evil3.example/p")).toBe("https_/evil3.example/p");
        expect(intoQName("github://api.github.com/pulumiverse")).toBe("github_/api.github.com/pulumiverse");
        expect(providerIdentity("pulumi:providers:aws", "default_https_/evil3.example/p", {}, [])).toBe("aws@https_/evil3.example/p");
        expect(providerIdentity("pulumi:providers:aws", "default_7_0_0_https_/evil3.example/p", {}, [])).toBe("aws@https_/evil3.example/p");
        // An allowed exact string `<package>@<url>` is recognised through the engine's encoding of its URL.
        expect(providerIdentity("pulumi:providers:aws", "default_7_0_0_https_/evil3.example/p", {}, ["aws@https://evil3.example/p"])).toBe("aws@https://evil3.example/p");
        expect(providerIdentity("pulumi:providers:aws", "default_7_0_0_https_/evil3.example/p", {}, ["aws@https://other.example/p", "cloudflare@https://evil3.example/p"])).toBe("aws@https_/evil3.example/p");
    });
});

describe("provider gate on provider identity", () => {
    it("raises for a parameterized or downloaded provider of an allowed package, for the provider and its resources", async () => {
        const p = provider({ __internal: { pluginDownloadURL: "https://evil.example" } });
        const d = await decide([p, custom("aws:s3/bucket:Bucket", {}, { provider: { urn: p.urn, type: p.type, name: p.name, props: p.props } })]);
        expect(needs(d)).toEqual(["aws@https://evil.example", "aws@https://evil.example"]);
        const param = await decide([provider({ __internal: { name: "terraform-provider", parameterization: "cA==" } })]);
        expect(needs(param)).toEqual(["aws[terraform-provider:cA==]"]);
        const unknownKey = await decide([provider({ __internal: { surprise: true } })]);
        expect(needs(unknownKey)).toEqual(['aws@<unknown __internal key "surprise">']);
    });

    it("passes when the policy config allows that exact string, and a token must name it exactly", async () => {
        const p = provider({ __internal: { name: "terraform-provider", parameterization: "cA==" } });
        expect((await decide([p], { config: config({ allowedProviders: ["aws", "aws[terraform-provider:cA==]"] }) })).decision).toBe("allow");
        const alice = await approver("alice");
        const cfg = config({ approvers: [alice.entry] });
        expect((await decide([p], { config: cfg, tokens: [await sign(alice, { providers: ["aws"] })] })).decision).toBe("deny");
        expect((await decide([p], { config: cfg, tokens: [await sign(alice, { providers: ["aws[terraform-provider:cA==]"] })] })).decision).toBe("allow");
    });

    it("raises for a default provider whose name carries a download URL unless that URL is allowed", async () => {
        const b = custom("aws:s3/bucket:Bucket", {}, { provider: { urn: "urn:pulumi:dev::shop::pulumi:providers:aws::default_7_0_0_https_/evil3.example/p", type: "pulumi:providers:aws", name: "default_7_0_0_https_/evil3.example/p", props: {} } });
        expect(needs(await decide([b]))).toEqual(["aws@https_/evil3.example/p"]);
        expect((await decide([b], { config: config({ allowedProviders: ["aws", "aws@https://evil3.example/p"] }) })).decision).toBe("allow");
    });
});
