import { describe, expect, it } from "vitest";
import { approver, config, custom, run, sign } from "../fixtures";
import { decide, gatesOf } from "./helpers";

/** A reviewed type under a gcp provider: only the provider gate is raised (a gcp type would raise access too, having no row). */
const GCP = { urn: "urn:pulumi:dev::shop::pulumi:providers:gcp::p", type: "pulumi:providers:gcp", name: "p", props: {} };

describe("provider gate", () => {
    it("allows default-allowlisted packages", async () => {
        const d = await decide([custom("aws:s3/bucket:Bucket"), custom("cloudflare:index/record:Record"), custom("random:index/randomId:RandomId")]);
        expect(d.decision).toBe("allow");
    });

    it("raises for a package off the allowlist, once per package", async () => {
        const d = await decide([custom("gcp:storage/bucket:Bucket")]);
        // (a type the table has no row for raises access too: test/gate/access.test.ts)
        expect(gatesOf(d).filter((g) => g.startsWith("provider"))).toEqual(["provider:1:denied"]);
        expect(d.gates.find((g) => g.need.gate === "provider")?.need).toEqual({ gate: "provider", provider: "gcp" });
    });

    it("raises for dynamic providers as the package pulumi-nodejs", async () => {
        const d = await decide([custom("pulumi-nodejs:dynamic:Resource")]);
        expect(d.gates.map((g) => g.need)).toEqual([{ gate: "provider", provider: "pulumi-nodejs" }]);
    });

    it("raises for an explicit provider resource of a disallowed package", async () => {
        const p = { urn: "urn:pulumi:dev::shop::pulumi:providers:gcp::p", type: "pulumi:providers:gcp", name: "p", kind: "provider" as const, props: {} };
        expect(gatesOf(await decide([p]))).toEqual(["provider:1:denied"]);
    });

    it("raises when a resource's provider package differs from its type's package", async () => {
        const r = custom("aws:s3/bucket:Bucket", {}, { provider: { urn: "urn:p", type: "pulumi:providers:evil", name: "p", props: {} } });
        expect(d(await decide([r]))).toEqual(["evil"]);
        function d(x: Awaited<ReturnType<typeof decide>>) {
            return x.gates.map((g) => (g.need.gate === "provider" ? g.need.provider : ""));
        }
    });

    it("treats a provider with its own pluginDownloadURL as a different package", async () => {
        const url = "https://example.test/plugins";
        const p = { urn: "urn:pulumi:dev::shop::pulumi:providers:aws::mirror", type: "pulumi:providers:aws", name: "mirror", kind: "provider" as const, props: { pluginDownloadURL: url } };
        const d = await decide([p, custom("aws:s3/bucket:Bucket", {}, { provider: { ...p } })]);
        expect(d.gates.map((g) => (g.need.gate === "provider" ? g.need.provider : ""))).toEqual([`aws@${url}`, `aws@${url}`]);
        const alice = await approver("alice");
        const cfg = config({ approvers: [alice.entry] });
        const plain = await sign(alice, { providers: ["aws"] });
        expect((await decide([p], { config: cfg, tokens: [plain] })).decision).toBe("deny");
        const exact = await sign(alice, { providers: [`aws@${url}`] });
        expect((await decide([p], { config: cfg, tokens: [exact] })).decision).toBe("allow");
    });

    it("never treats components as providers", async () => {
        const c = { ...custom("gcp:index:Thing"), kind: "component" as const, provider: undefined };
        expect((await decide([c])).gates).toEqual([]);
    });

    it("allows the engine's builtin pulumi package (stack references)", async () => {
        expect((await decide([custom("pulumi:pulumi:StackReference")])).decision).toBe("allow");
    });

    it("uses the agent's own list instead of allowedProviders", async () => {
        const cfg = config({ agents: { "deploy-bot": { providers: ["aws"] } } });
        expect(gatesOf(await decide([custom("cloudflare:index/record:Record")], { config: cfg }))).toEqual(["provider:1:denied"]);
        expect((await decide([custom("aws:s3/bucket:Bucket")], { config: cfg })).decision).toBe("allow");
    });

    it("does not let an agent named only by stack config borrow another agent's wider list", async () => {
        const cfg = config({ agents: { "deploy-bot": { providers: ["aws", "gcp"] } } });
        const self = await decide([custom("aws:s3/bucket:Bucket", {}, { provider: GCP })], { config: cfg });
        expect(gatesOf(self)).toEqual(["provider:1:denied"]);
        expect(self.gates[0].observed).toContain("∩ allowedProviders");
        const fromCi = await decide([custom("aws:s3/bucket:Bucket", {}, { provider: GCP })], { config: cfg, run: run({ initiatorEnv: "agent:deploy-bot" }) });
        expect(fromCi.decision).toBe("allow");
    });

    it("is covered by one approval naming the package", async () => {
        const alice = await approver("alice");
        const cfg = config({ approvers: [alice.entry] });
        const ok = await sign(alice, { providers: ["gcp"] });
        const other = await sign(alice, { providers: ["azure"] });
        const onGcp = custom("random:index/randomId:RandomId", {}, { provider: GCP });
        expect((await decide([onGcp], { config: cfg, tokens: [ok] })).decision).toBe("allow");
        expect((await decide([onGcp], { config: cfg, tokens: [other] })).decision).toBe("deny");
    });
});
