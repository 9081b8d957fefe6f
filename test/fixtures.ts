/**
 * Happy-path factories: each test changes one field of an otherwise allowed run.
 */
import { ApprovalScope } from "../src/approvals/scope";
import { issueApproval } from "../src/approvals/issue";
import { ApproverKeyFile, generateApproverKey } from "../src/approvals/keys";
import { CostEstimator, ResourceCost } from "../src/cost/types";
import { GateConfig, normalizeGateConfig } from "../src/gate/config";
import { Props, ResourceFacts, RunFacts, StackRef } from "../src/facts/facts";
import { CryptoKey, importJWK } from "jose";

export const NOW = 1_800_000_000;
/** The real clock, for tests that run the pack as a process. */
export const realNow = () => Math.floor(Date.now() / 1000);
export const STACK: StackRef = { organization: "organization", project: "shop", stack: "dev" };
export const AGENT = "deploy-bot";

export function run(over: Partial<RunFacts> = {}): RunFacts {
    return { stack: STACK, stackConfig: { "agentguard:agent": AGENT }, stackTags: {}, dryRun: true, now: NOW, ...over };
}

export function config(over: Record<string, unknown> = {}): GateConfig {
    return normalizeGateConfig(over);
}

/** The default AWS provider: pinned to account 123456789012, the "own account" of the access examples (test/gate/access-examples.ts). */
export const AWS_PROVIDER = { urn: "urn:pulumi:dev::shop::pulumi:providers:aws::default", type: "pulumi:providers:aws", name: "default", props: { region: "us-east-1", allowedAccountIds: ["123456789012"] } };

export function urn(type: string, name: string, stack = STACK.stack): string {
    return `urn:pulumi:${stack}::${STACK.project}::${type}::${name}`;
}

export function custom(type: string, props: Props = {}, over: Partial<ResourceFacts> = {}): ResourceFacts {
    const name = over.name ?? "r";
    const pkg = type.split(":")[0];
    const provider =
        pkg === "aws"
            ? AWS_PROVIDER
            : { urn: `urn:pulumi:dev::shop::pulumi:providers:${pkg}::default`, type: `pulumi:providers:${pkg}`, name: "default", props: {} };
    return { urn: urn(type, name), type, name, kind: "custom", props, provider, ...over };
}

/** A price table estimator for gate tests: monthly USD by type; `unknown` marks types whose price is unknown. */
export function fakeEstimator(prices: Record<string, number | "unknown" | "unpriced" | { purchase: string; usd?: number } | { budget: number | "unknown" }> = {}): CostEstimator {
    return {
        estimate(r): ResourceCost {
            const p = prices[r.type];
            const base = { urn: r.urn, type: r.type };
            if (p === undefined) {
                return { ...base, status: "free", monthlyUsd: 0 };
            }
            if (p === "unpriced") {
                return { ...base, status: "unpriced", monthlyUsd: 0, basis: `no price model for ${r.type}` };
            }
            if (p === "unknown") {
                return { ...base, status: "unknown", monthlyUsd: 0, unknownInputs: ["instanceType"] };
            }
            if (typeof p === "number") {
                return { ...base, status: "priced", monthlyUsd: p };
            }
            if ("purchase" in p) {
                return { ...base, status: "priced", monthlyUsd: 0, purchase: { what: p.purchase, usd: p.usd } };
            }
            return { ...base, status: "free", monthlyUsd: 0, declaredBudgetUsd: p.budget === "unknown" ? Symbol.for("agentguard.unknown") as never : p.budget };
        },
    };
}

export interface Approver {
    keyFile: ApproverKeyFile;
    key: CryptoKey | Uint8Array;
    entry: { id: string; kid: string; publicKeyJwk: { kty: "OKP"; crv: "Ed25519"; x: string } };
}

export async function approver(id: string): Promise<Approver> {
    const { keyFile, approver: entry } = await generateApproverKey(id);
    return { keyFile, key: await importJWK(keyFile.privateKeyJwk, "EdDSA"), entry: entry as Approver["entry"] };
}

export function sign(a: Approver, scope: ApprovalScope, over: { stack?: StackRef; agent?: string; ttl?: number; now?: number; jti?: string } = {}): Promise<string> {
    return issueApproval({ keyFile: a.keyFile, key: a.key, stack: over.stack ?? STACK, agent: over.agent ?? AGENT, scope, ttlSeconds: over.ttl ?? 3600, now: over.now ?? NOW - 60, jti: over.jti });
}
