import { describe, expect, it } from "vitest";
import { AWS_PROVIDER, approver, config, custom, sign } from "../fixtures";
import { decide, gatesOf } from "./helpers";

const many = (n: number) => Array.from({ length: n }, (_, i) => custom("aws:s3/bucket:Bucket", {}, { name: `b${i}` }));

describe("operations gate", () => {
    it("allows up to maxResources custom resources", async () => {
        expect((await decide(many(3), { config: config({ maxResources: 3 }) })).decision).toBe("allow");
    });

    it("raises one stack-level item naming the count above it", async () => {
        const d = await decide(many(4), { config: config({ maxResources: 3 }) });
        expect(gatesOf(d)).toEqual(["operations:1:denied"]);
        expect(d.gates[0]).toMatchObject({ level: "stack", need: { gate: "operations", count: 4 } });
    });

    it("does not count providers or components", async () => {
        const p = { ...AWS_PROVIDER, kind: "provider" as const };
        const c = { urn: "urn:c", type: "shop:index:Site", name: "c", kind: "component" as const, props: {} };
        expect((await decide([...many(3), p, c], { config: config({ maxResources: 3 }) })).decision).toBe("allow");
    });

    it("is covered by one approval with maxResources at or above the count", async () => {
        const alice = await approver("alice");
        const cfg = config({ maxResources: 3, approvers: [alice.entry] });
        expect((await decide(many(4), { config: cfg, tokens: [await sign(alice, { maxResources: 4 })] })).decision).toBe("allow");
        expect((await decide(many(4), { config: cfg, tokens: [await sign(alice, { maxResources: 3 })] })).decision).toBe("deny");
    });
});
