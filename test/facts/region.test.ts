import { describe, expect, it } from "vitest";
import { AWS_REGION } from "../../src/facts/region";

describe("AWS_REGION, the one region pattern", () => {
    it("accepts commercial, GovCloud and ISO regions", () => {
        for (const r of ["us-east-1", "eu-central-2", "ap-southeast-5", "us-gov-west-1", "us-isob-east-1"]) {
            expect(AWS_REGION.test(r), r).toBe(true);
        }
    });

    it("refuses what is not a region code", () => {
        for (const r of ["*", "us-east", "US-EAST-1", "us-east-1a", "us-east-123", "global", "us_east_1", " us-east-1"]) {
            expect(AWS_REGION.test(r), r).toBe(false);
        }
    });
});
