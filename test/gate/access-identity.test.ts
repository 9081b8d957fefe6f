/**
 * The access gate on the stack module's agent identity: an `AgentServiceAccount` whose registry
 * entry grants sensitive scopes (its `sensitiveScopes` input) is an access item naming them.
 */
import { describe, expect, it } from "vitest";
import { AGENT_IDENTITY_COMPONENT_TYPE, detectAccess } from "../../src/gate/access";
import { ResourceFacts, UNKNOWN } from "../../src/facts/facts";
import { printable } from "../../src/facts/format";
import { scrubSecrets } from "../../src/pack/guard";
import { AGENT_SERVICE_ACCOUNT_TYPE } from "../../src/identity/account";
import { sensitiveScopes } from "../../src/identity/documents";
import { validateRegistry } from "../../src/identity/registry";
import { NOW, rawAgent, rawRegistry, withField } from "../identity/fixtures";
import { decide, gatesOf } from "./helpers";

function identity(props: ResourceFacts["props"], type = AGENT_IDENTITY_COMPONENT_TYPE): ResourceFacts {
    return { urn: `urn:pulumi:platform::agents::${type}::deploy-bot`, type, name: "deploy-bot", kind: "component", props };
}

const S3_PERMISSIONS = withField(withField(rawAgent(), "aws.grantSensitive", ["s3"]), "aws.scopes.0.access", "permissions");

describe("access gate: an agent identity that grants sensitive scopes", () => {
    it("is the stack module's component type", () => {
        expect(AGENT_IDENTITY_COMPONENT_TYPE).toBe(AGENT_SERVICE_ACCOUNT_TYPE);
    });

    it("an agent's run adding s3 permissions to its own entry is denied with an access item naming them", async () => {
        const agent = validateRegistry(rawRegistry([S3_PERMISSIONS]), { now: NOW }).agents[0];
        const scopes = sensitiveScopes(agent);
        expect(scopes).toEqual([expect.stringMatching(/^aws s3 .*s3:PutBucketPolicy .*s3:PutBucketPublicAccessBlock.* on arn:aws:s3:::acme-site arn:aws:s3:::acme-site\/\*$/)]);
        const d = await decide([identity({ agentId: "deploy-bot", sensitiveScopes: scopes })]);
        expect(d.decision).toBe("deny");
        expect(gatesOf(d)).toEqual(["access:2:denied"]);
        expect(d.gates[0].resource).toBe("urn:pulumi:platform::agents::agentguard:index:AgentServiceAccount::deploy-bot");
        expect(d.gates[0].observed).toContain(`which gives agent "deploy-bot" sensitive scopes beyond read and write: aws s3 `);
        expect(d.gates[0].observed).toContain("s3:PutBucketPolicy");
    });

    it("names sensitive Cloudflare groups", () => {
        const raw = withField(withField(rawAgent(), "cloudflare.scopes", [{ permissions: ["Account Settings Write"] }]), "cloudflare.grantSensitive", ["Account Settings Write"]);
        const agent = validateRegistry(rawRegistry([raw]), { now: NOW }).agents[0];
        expect(sensitiveScopes(agent)).toEqual([`cloudflare "Account Settings Write"`]);
        const [item] = detectAccess(identity({ agentId: "deploy-bot", sensitiveScopes: sensitiveScopes(agent) }), "deploy-bot");
        expect(item.observed).toContain(`cloudflare "Account Settings Write"`);
    });

    it("raises nothing for an identity with no sensitive scope, or for another component", async () => {
        const agent = validateRegistry(rawRegistry([rawAgent()]), { now: NOW }).agents[0];
        expect(sensitiveScopes(agent)).toEqual([]);
        expect((await decide([identity({ agentId: "deploy-bot", sensitiveScopes: [] })])).decision).toBe("allow");
        expect((await decide([identity({ agentId: "deploy-bot" })])).decision).toBe("allow");
        expect((await decide([identity({ sensitiveScopes: ["aws s3 s3:PutBucketPolicy on x"] }, "acme:index:Site")])).decision).toBe("allow");
    });

    it("fails closed on sensitive scopes unknown at preview or unreadable, and keeps program-written text bounded without cutting it", () => {
        expect(detectAccess(identity({ sensitiveScopes: UNKNOWN }), "deploy-bot")[0].observed).toContain("sensitive scopes unknown at preview");
        expect(detectAccess(identity({ sensitiveScopes: { s3: true } }), "deploy-bot")[0].observed).toContain("sensitive scopes that could not be read");
        expect(detectAccess(identity({ sensitiveScopes: "aws s3 s3:PutBucketPolicy" }), "deploy-bot")[0].observed).toContain("could not be read");
        const [item] = detectAccess(identity({ agentId: "deploy-bot\n[ok]", sensitiveScopes: [`a\nb${"x".repeat(1000)}`, ...Array.from({ length: 20 }, (_, i) => `s${i}`)] }), "deploy-bot");
        expect(item.observed).toContain(`gives agent "deploy-bot" `);
        // A scope too long to read is counted, never cut (a cut secret would escape its mask);
        // the denial shows the rest escaped (test/gate/message.test.ts).
        expect(item.observed).toContain("(a scope of 1003 characters)");
        expect(item.observed).toContain("; and 9 more");
        expect(item.observed.length).toBeLessThan(1000);
        const secret = "pässwörd-Hunter2Secret";
        const [named] = detectAccess(identity({ agentId: "deploy-bot", sensitiveScopes: [secret] }), "deploy-bot");
        expect(scrubSecrets(printable(named.observed), [secret])).not.toContain("Hunter2");
    });
});
