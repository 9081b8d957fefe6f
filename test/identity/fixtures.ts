/**
 * Happy-path registry entries for the identity tests: each test changes one field.
 */
export const ACCOUNT = "b67e14daa5f8dceeb91fe5449ba496eb";
export const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
export const RUNNER = "arn:aws:iam::123456789012:role/agent-runner";
export const PLAN_RUNNER = "arn:aws:iam::123456789012:role/agent-runner-plan";
export const NOW = new Date("2026-03-10T12:00:00Z");

type Raw = Record<string, unknown>;

/** A valid registry entry with AWS and Cloudflare scopes. */
export function rawAgent(overrides: Raw = {}): Raw {
    return {
        id: "deploy-bot",
        owner: "alice@example.com",
        purpose: "Deploys the marketing site",
        environments: ["dev", "prod"],
        monthlyBudgetUsd: 100,
        aws: {
            trust: { principal: RUNNER },
            planTrust: { principal: PLAN_RUNNER },
            regions: ["us-east-1", "eu-west-1"],
            // A production agent (environments has "prod") in the platform's shared account: the
            // existing tests cover the tag-filtered cap; test/identity/own-account.test.ts the own account.
            account: { shared: true },
            scopes: [
                { service: "s3", access: "write", resources: ["arn:aws:s3:::acme-site", "arn:aws:s3:::acme-site/*"] },
                { service: "route53", access: "read", resources: ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"] },
            ],
        },
        cloudflare: {
            accountId: ACCOUNT,
            scopes: [{ permissions: ["DNS Write"], zones: [ZONE] }],
            ipAllowlist: ["203.0.113.0/24"],
        },
        ...overrides,
    };
}

/** A registry document around some entries. */
export function rawRegistry(agents: unknown[], extra: Raw = {}): Raw {
    return { version: 1, agents, ...extra };
}

/** Sets a nested field (`aws.scopes.0.service`) on a copy of `obj`; `undefined` deletes it. */
export function withField(obj: Raw, dotted: string, value: unknown): Raw {
    const copy = structuredClone(obj);
    const keys = dotted.split(".");
    let cur: Record<string, unknown> = copy;
    for (const k of keys.slice(0, -1)) {
        cur = cur[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === undefined) {
        delete cur[last];
    } else {
        cur[last] = value;
    }
    return copy;
}
