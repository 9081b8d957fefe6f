/**
 * `agentguard cost` and the preview conversion, on documents written by the real `pulumi` CLI
 * (v3.274.1, `pulumi preview --json` and `pulumi stack export` of a program run against the
 * offline aws/cloudflare simulators in test/simulators; stack traces and outputs removed).
 * fixtures/preview-create.json: first preview (providers: "eu" with region eu-west-1; the
 *   default aws provider takes `aws:region` us-west-2 from stack config and is not listed).
 * fixtures/preview-update.json: after `pulumi up`, desiredCapacity 3 → 5 and the NAT gateway removed.
 * fixtures/stack-export.json: `pulumi stack export` after that `up`.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { costCommand, formatTable } from "../../src/cli/cost";
import { UsageError } from "../../src/cli/io";
import { createEstimator } from "../../src/cost";
import { UNKNOWN_SENTINEL, stackFromPreview, toValue } from "../../src/cost/preview";
import { UNKNOWN } from "../../src/facts/facts";
import { H } from "./helpers";

const FIX = resolve(__dirname, "fixtures");
const CREATE = resolve(FIX, "preview-create.json");
const UPDATE = resolve(FIX, "preview-update.json");
const EXPORT = resolve(FIX, "stack-export.json");
const load = (p: string): unknown => JSON.parse(readFileSync(p, "utf8"));

async function run(argv: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await costCommand(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) }, { readStdin: async () => stdin ?? "" });
    return { code, out, err };
}

interface JsonOut {
    resources: { urn: string; status: string; monthlyUsd: number; region?: string; regionSource?: string; op?: string; purchase?: { what: string }; declaredBudgetUsd?: number | string; unknownInputs?: string[] }[];
    totalMonthlyUsd: number;
}

const byName = (o: JsonOut, name: string) => o.resources.find((r) => r.urn.endsWith(`::${name}`));

describe("preview JSON → resource facts", () => {
    it("turns the engine's unknown sentinel and secrets into UNKNOWN", () => {
        expect(toValue(UNKNOWN_SENTINEL)).toBe(UNKNOWN);
        expect(toValue("[unknown]")).toBe(UNKNOWN);
        expect(toValue("[secret]")).toBe(UNKNOWN);
        expect(toValue({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" })).toBe(UNKNOWN);
        expect(toValue({ a: [1, UNKNOWN_SENTINEL, "x"] })).toEqual({ a: [1, UNKNOWN, "x"] });
    });

    it("links providers (explicit ones from their steps, default ones from stack config) and dependencies", () => {
        const { resources } = stackFromPreview(load(CREATE));
        const web = resources.find((r) => r.name === "web")!;
        expect(web.kind).toBe("custom");
        expect(web.provider?.props.region).toBe("eu-west-1");
        expect(web.props.launchTemplate).toEqual({ id: UNKNOWN, version: "$Latest" });
        expect(web.dependencies?.launchTemplate?.[0].type).toBe("aws:ec2/launchTemplate:LaunchTemplate");
        const bastion = resources.find((r) => r.name === "bastion")!;
        expect(bastion.provider?.name).toBe("default");
        expect(bastion.provider?.props.region).toBe("us-west-2");
        expect(resources.find((r) => r.type === "pulumi:pulumi:Stack")?.kind).toBe("component");
        expect(resources.find((r) => r.type === "shop:index:Frontend")?.kind).toBe("component");
        expect(resources.find((r) => r.type === "pulumi:providers:aws")?.kind).toBe("provider");
    });

    it("merges a stack export under the preview and drops deleted resources", () => {
        const onlyPreview = stackFromPreview(load(UPDATE));
        expect(onlyPreview.resources.filter((r) => r.kind === "custom").map((r) => r.name)).toEqual(["web"]);
        expect(onlyPreview.deleted).toHaveLength(1);
        const merged = stackFromPreview(load(UPDATE), load(EXPORT));
        const names = merged.resources.filter((r) => r.kind === "custom").map((r) => r.name);
        expect(names).toContain("bastion");
        expect(names).not.toContain("nat");
        expect(merged.resources.find((r) => r.name === "web")?.props.desiredCapacity).toBe(5);
        expect(merged.ops.get(merged.resources.find((r) => r.name === "web")!.urn)).toBe("update");
    });

    it("rejects documents of the wrong shape", () => {
        expect(() => stackFromPreview({ hello: 1 })).toThrow(/pulumi preview --json/);
        expect(() => stackFromPreview({ steps: [] }, { nope: true })).toThrow(/stack export/);
        expect(stackFromPreview({ steps: [null, 3, { op: "create" }, { op: "create", urn: "u" }] }).warnings.length).toBeGreaterThan(0);
    });

    it("prices what the real engine wrote", () => {
        const est = createEstimator();
        const { resources } = stackFromPreview(load(CREATE));
        const web = est.estimate(resources.find((r) => r.name === "web")!);
        expect(web).toMatchObject({ status: "priced", region: "eu-west-1", regionSource: "provider" });
        expect(web.monthlyUsd).toBeCloseTo(6 * 0.107 * H + 6 * 20 * 0.08, 2); // maxSize 6: the ceiling
        expect(est.estimate(resources.find((r) => r.name === "worker")!)).toMatchObject({ status: "unknown", unknownInputs: ["instanceType"] });
        expect(est.estimate(resources.find((r) => r.name === "db")!).status).toBe("priced"); // the secret password does not matter
    });
});

describe("agentguard cost", () => {
    it("prints a table with per-resource estimates, the total, purchases and budgets", async () => {
        const { code, out } = await run(["--preview-json", CREATE]);
        expect(code).toBe(0);
        const [header, rule] = out.split("\n");
        expect(header).toMatch(/^resource\s+type\s+status\s+region\s+monthly USD\s+basis$/);
        expect(rule).toMatch(/^-+ {2}-+/);
        expect(out).toMatch(/web \[create\]\s+aws:autoscaling\/group:Group\s+priced\s+eu-west-1\s+\$478\.26/);
        expect(out).toMatch(/bastion \[create\]\s+aws:ec2\/instance:Instance\s+priced\s+us-west-2\s+\$8\.39/);
        expect(out).toMatch(/worker \[create\]\s+aws:ec2\/instance:Instance\s+unknown\s+us-west-2\s+\?/);
        expect(out).toMatch(/total: \$545\.97\/month estimated \(5 priced, 2 usage, 4 free, 1 unknown/);
        expect(out).toContain('purchases (need separate approval):\n  - domain registration of "example-shop.io": $71.00');
        expect(out).toContain("declared budgets:\n  - $250.00/month");
        expect(out).toContain('unknown at preview: "urn:pulumi:dev::shop::aws:ec2/instance:Instance::worker" (instanceType)');
    });

    it("--json gives the estimates as data", async () => {
        const { code, out } = await run(["--preview-json", CREATE, "--json"]);
        expect(code).toBe(0);
        const o = JSON.parse(out) as JsonOut;
        expect(o.totalMonthlyUsd).toBeCloseTo(545.97, 2); // includes root volumes and the NAT gateway's public IPv4
        expect(byName(o, "nat")).toMatchObject({ status: "priced", region: "us-west-2", op: "create" });
        expect(byName(o, "nat")!.monthlyUsd).toBeCloseTo((0.045 + 0.005) * H, 2); // and its public IPv4 address
        expect(byName(o, "shop-domain")?.purchase?.what).toContain("example-shop.io");
        expect(byName(o, "budget")?.declaredBudgetUsd).toBe(250);
        expect(o.resources.every((r) => !r.urn.includes("pulumi:providers:") && !r.urn.includes("pulumi:pulumi:Stack"))).toBe(true);
    });

    it("reads the preview from standard input by default and includes unchanged resources from a stack export", async () => {
        const { code, out } = await run(["--stack-json", EXPORT, "--json"], readFileSync(UPDATE, "utf8"));
        expect(code).toBe(0);
        const o = JSON.parse(out) as JsonOut;
        expect(byName(o, "nat")).toBeUndefined();
        expect(byName(o, "web")?.op).toBe("update");
        expect(byName(o, "web")!.monthlyUsd).toBeCloseTo(6 * 0.107 * H + 6 * 20 * 0.08, 2); // maxSize 6
        expect(byName(o, "worker")!.monthlyUsd).toBeCloseTo(0.096 * H + 8 * 0.1, 2); // known after up; default root volume
        expect(byName(o, "bastion")?.op).toBe("same");
    });

    it("--region sets the region for resources whose provider names none", async () => {
        const doc = {
            steps: [
                {
                    op: "create",
                    urn: "urn:pulumi:dev::p::aws:ec2/instance:Instance::i",
                    newState: { urn: "urn:pulumi:dev::p::aws:ec2/instance:Instance::i", custom: true, type: "aws:ec2/instance:Instance", inputs: { instanceType: "m6i.large" }, provider: `urn:pulumi:dev::p::pulumi:providers:aws::default_6_0_0::${UNKNOWN_SENTINEL}` },
                },
            ],
        };
        const eu = JSON.parse((await run(["--region", "eu-west-1", "--json"], JSON.stringify(doc))).out) as JsonOut;
        expect(eu.resources[0]).toMatchObject({ region: "eu-west-1", regionSource: "default" });
        expect(eu.resources[0].monthlyUsd).toBeCloseTo(0.107 * H + 8 * 0.1, 2);
        const dflt = await run([], JSON.stringify(doc));
        expect(dflt.out).toMatch(/us-east-1\*/);
        expect(dflt.out).toContain("* region not named");
    });

    it("says what is wrong with its input", async () => {
        await expect(run(["--region", "Mars"])).rejects.toBeInstanceOf(UsageError);
        await expect(run([], "not json")).rejects.toThrow(/standard input is not JSON/);
        await expect(run([], '{"a":1}')).rejects.toThrow(/pulumi preview --json/);
        await expect(run(["--nope"])).rejects.toThrow();
        expect((await run(["--help"])).out).toContain("agentguard cost");
    });

    it("formats columns", () => {
        expect(formatTable(["a", "bb", "c"], [["xxx", "1", "long text"]], new Set([1]))).toBe("a    bb  c\n---  --  -\nxxx   1  long text\n");
    });
});
