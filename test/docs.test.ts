import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect, it } from "vitest";
import { generatedDocs } from "../src/docs/generate";
import { GATE_IDS } from "../src/gate/items";
import { APPROVAL_ERROR_TEXT } from "../src/approvals/errors";

const ROOT = path.resolve(__dirname, "..");

it.each(Object.keys(generatedDocs()))("%s is up to date with the code (run npm run docs)", (file) => {
    expect(readFileSync(path.join(ROOT, file), "utf8")).toBe(generatedDocs()[file]);
});

it("documents every gate and every rejection code", () => {
    const text = generatedDocs()["docs/policies.md"];
    for (const g of GATE_IDS) {
        expect(text).toContain(`| \`${g}\` |`);
    }
    for (const code of Object.keys(APPROVAL_ERROR_TEXT)) {
        expect(text).toContain(code);
    }
});
