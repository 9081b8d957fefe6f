/**
 * The `agent-identity-hygiene` policy's glue: engine resources become plain facts, the pure checks
 * of src/policies/identity-hygiene.ts run over them, and each finding is reported.
 */
import { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { isUnknown } from "../facts/facts";
import { printable } from "../facts/format";
import {
    HygieneConfig,
    HygieneConfigError,
    HygieneFinding,
    HygieneResource,
    IDENTITY_HYGIENE_POLICY_NAME,
    checkIdentityHygiene,
    hygieneConfigSchema,
    normalizeHygieneConfig,
} from "../policies/identity-hygiene";
import { toValue } from "./facts";

/** Converts one engine resource to plain facts. Reading it cannot throw the SDK's unknown-value error. */
export function hygieneResource(r: PolicyResource): HygieneResource {
    const deps: Record<string, string[]> = {};
    for (const [k, list] of Object.entries(r.propertyDependencies ?? {})) {
        deps[k] = (list ?? []).map((d) => d.urn);
    }
    const props = toValue(r.props);
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: props !== null && typeof props === "object" && !Array.isArray(props) && !isUnknown(props) ? props : {},
        parentType: r.parent?.type,
        propertyDependencies: deps,
    };
}

/** Runs the checks over a stack and reports each finding; an error inside is reported, never swallowed. */
export function validateIdentityHygiene(resources: readonly PolicyResource[], rawConfig: unknown, report: ReportViolation, now: number = Date.now()): void {
    let config: HygieneConfig;
    try {
        config = normalizeHygieneConfig(rawConfig);
    } catch (e) {
        const why = e instanceof HygieneConfigError ? e.message : `its config could not be read (${e instanceof Error ? e.name : typeof e})`;
        report(`agent identities in this stack were not checked: ${why}; fix it in the file given to --policy-pack-config`);
        return;
    }
    let findings: HygieneFinding[];
    try {
        findings = checkIdentityHygiene(resources.map(hygieneResource), config, now);
    } catch (e) {
        report(`agent identities in this stack could not be checked (${e instanceof Error ? e.name : typeof e}), so none of them is confirmed to have a boundary, a session limit, a budget action and a token expiry`);
        return;
    }
    for (const f of findings) {
        report(printable(f.message), f.urn);
    }
}

/** The `agent-identity-hygiene` policy (advisory by default). */
export const agentIdentityHygiene: StackValidationPolicy = {
    name: IDENTITY_HYGIENE_POLICY_NAME,
    description:
        "Agent identities (IAM roles tagged agentguard:agent, agentguard-* Cloudflare tokens, and everything the stack module makes) have a permissions boundary, no wildcard admin, a session limit, an AWS Budget with a budget action that caps the role, and a token expiry.",
    enforcementLevel: "advisory",
    configSchema: hygieneConfigSchema,
    remediationSteps:
        "Declare the agent in the registry and create it with AgentServiceAccount (docs/stack-module.md), or give the hand-made identity a permissions boundary, maxSessionDuration ≤ 3600, least-privilege policies, a budget filtered to its agentguard:agent tag with an APPLY_IAM_POLICY budget action, and a token expiresOn.",
    validateStack: (args, report) => {
        let config: unknown;
        try {
            config = args.getConfig<Partial<HygieneConfig>>();
        } catch {
            config = {};
        }
        validateIdentityHygiene(args.resources, config, report);
    },
};
