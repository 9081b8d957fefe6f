import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { AWS_SERVICES, AWS_SERVICE_NAMES, CLOUDFLARE_GROUPS } from "../../src/identity/catalogue";
import { scopeReference, withScopeReference } from "../../src/identity/scope-doc";

const DOC = path.resolve(__dirname, "../../docs/stack-module.md");

describe("docs/stack-module.md's scope reference", () => {
    it("is the one the catalogue generates (run `npm run docs` after changing src/identity/catalogue.ts)", () => {
        const text = readFileSync(DOC, "utf8");
        expect(withScopeReference(text)).toBe(text);
    });

    it("lists every service's actions at each level, the tag rules, and every Cloudflare group with its sensitivity", () => {
        const ref = scopeReference();
        for (const name of AWS_SERVICE_NAMES) {
            const svc = AWS_SERVICES[name];
            for (const action of [...svc.read, ...svc.write, ...svc.permissions, ...svc.tagging.create]) {
                expect(ref, action).toContain(`\`${action}\``);
            }
        }
        expect(ref).toMatch(/\| `s3` \|[^\n]*\| [^\n]*`s3:PutBucketPolicy`[^\n]*\|[^\n]*\|\n/);
        for (const [group, g] of Object.entries(CLOUDFLARE_GROUPS)) {
            expect(ref).toContain(`| ${group} | ${g.kind === "user" ? "user (an account token cannot hold it)" : g.kind} | ${g.sensitive ? "yes" : "no"} |`);
        }
    });

    it("refuses a document without its markers", () => {
        expect(() => withScopeReference("# nothing here")).toThrow(/no scope-reference markers/);
    });
});
