import { describe, expect, it } from "vitest";
import { approvalScopeSchema } from "../../src/approvals/scope";
import { STRICT_GATE_CONFIG_SCHEMA, gateConfigSchema } from "../../src/gate/config";
import { REGISTRY_SCHEMA } from "../../src/identity/registry";
import { STRICT_HYGIENE_CONFIG_SCHEMA, hygieneConfigSchema } from "../../src/policies/identity-hygiene";
import { Schema, newAjv } from "../../src/schema/check";

// The checking instances skip ajv's meta-schema validation at run time (src/schema/check.ts);
// this is where every declared schema still meets it.
const DECLARED: Record<string, Schema> = {
    "agent-change-gate config (as the engine sees it)": { type: "object", properties: gateConfigSchema.properties },
    "agent-change-gate config (strict)": STRICT_GATE_CONFIG_SCHEMA,
    "agent-identity-hygiene config (as the engine sees it)": { type: "object", properties: hygieneConfigSchema.properties },
    "agent-identity-hygiene config (strict)": STRICT_HYGIENE_CONFIG_SCHEMA,
    "approval scope": approvalScopeSchema,
    "agent registry": REGISTRY_SCHEMA,
};

describe("every declared schema is valid JSON Schema (draft-07)", () => {
    const ajv = newAjv({ allErrors: true, validateSchema: true });

    for (const [what, schema] of Object.entries(DECLARED)) {
        it(what, () => {
            expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
            expect(() => ajv.compile(schema)).not.toThrow();
        });
    }

    it("a malformed schema is refused (this check can fail)", () => {
        expect(ajv.validateSchema({ type: "object", properties: { n: { minimum: "3" } } })).toBe(false);
        expect(ajv.validateSchema({ type: "object", required: "name" })).toBe(false);
    });
});
