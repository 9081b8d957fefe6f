/**
 * `agentguard keygen | approve | verify`: thin doors into src/approvals.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileDigest, issueApproval } from "../approvals/issue";
import { generateApproverKey, readKeyFile, writeKeyFile } from "../approvals/keys";
import { ApprovalScope } from "../approvals/scope";
import { readPresentedTokens } from "../approvals/tokens";
import { verifyApprovals } from "../approvals/verify";
import { DEFAULT_GATE_CONFIG, GateConfig, normalizeGateConfig } from "../gate/config";
import { StackRef } from "../gate/facts";
import { GATE_POLICY_NAME } from "../pack/policy";
import { Io, UsageError } from "./io";

/** Parses `4h`, `30m`, `90s`, `1d` or plain seconds. */
export function parseTtl(s: string): number {
    const m = /^(\d+)\s*([smhd]?)$/.exec(s.trim());
    if (!m) {
        throw new UsageError(`--ttl "${s}" is not a duration like 30m, 4h or 1d`);
    }
    const n = Number(m[1]) * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
    if (n <= 0) {
        throw new UsageError("--ttl must be positive");
    }
    return n;
}

/** Parses `org/project/stack`. */
export function parseStack(s: string | undefined): StackRef {
    const parts = (s ?? "").split("/");
    if (parts.length !== 3 || parts.some((p) => p === "")) {
        throw new UsageError(`--stack must be <organization>/<project>/<stack> (a file backend's organization is "organization"), got "${s ?? ""}"`);
    }
    return { organization: parts[0], project: parts[1], stack: parts[2] };
}

function required(v: string | undefined, flag: string): string {
    if (!v) {
        throw new UsageError(`${flag} is required`);
    }
    return v;
}

function nonNegativeNumber(v: string | undefined, flag: string, integer: boolean): number | undefined {
    if (v === undefined) {
        return undefined;
    }
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
        throw new UsageError(`${flag} must be ${integer ? "a whole number" : "a number"} ≥ 0`);
    }
    return n;
}

/** `agentguard keygen --id <approver> [--out file]` */
export async function keygen(argv: string[], io: Io): Promise<number> {
    const { values } = parseArgs({ args: argv, options: { id: { type: "string" }, kid: { type: "string" }, out: { type: "string" } } });
    const id = required(values.id, "--id");
    const out = values.out ?? `${id}.agentguard-key.json`;
    if (existsSync(out)) {
        throw new UsageError(`"${out}" already exists; choose another --out (keys are never overwritten)`);
    }
    const { keyFile, approver } = await generateApproverKey(id, values.kid ?? id);
    writeKeyFile(out, keyFile);
    io.stderr(`private key of "${id}" written to ${out} (mode 0600) — keep it secret; it never leaves this machine.\n`);
    io.stderr(`add this entry to "approvers" of "${GATE_POLICY_NAME}" in your policy pack config:\n`);
    io.stdout(JSON.stringify(approver) + "\n");
    return 0;
}

/** `agentguard approve --key … --stack … --agent … [scope flags] [--ttl 4h]` */
export async function approve(argv: string[], io: Io): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: {
            key: { type: "string" },
            stack: { type: "string" },
            agent: { type: "string" },
            environment: { type: "string", multiple: true },
            provider: { type: "string", multiple: true },
            "max-monthly-usd": { type: "string" },
            access: { type: "boolean" },
            purchases: { type: "boolean" },
            "max-resources": { type: "string" },
            resource: { type: "string", multiple: true },
            ttl: { type: "string" },
            "allow-long-ttl": { type: "boolean" },
            plan: { type: "string" },
            "destroy-state": { type: "string" },
            destructive: { type: "boolean" },
        },
    });
    const stack = parseStack(values.stack);
    const agent = required(values.agent, "--agent");
    const ttl = parseTtl(values.ttl ?? "4h");
    if (ttl > DEFAULT_GATE_CONFIG.maxApprovalTtlSeconds && !values["allow-long-ttl"]) {
        throw new UsageError(
            `--ttl ${values.ttl} is longer than the default maximum approval lifetime (${DEFAULT_GATE_CONFIG.maxApprovalTtlSeconds / 3600}h); the gate rejects it unless maxApprovalTtlSeconds is raised — pass --allow-long-ttl if it is`,
        );
    }
    for (const e of values.environment ?? []) {
        if (e !== "production" && e !== "staging") {
            throw new UsageError(`--environment must be "production" or "staging", got "${e}"`);
        }
    }
    const scope: ApprovalScope = {
        ...(values.environment ? { environments: values.environment } : {}),
        ...(values.provider ? { providers: values.provider } : {}),
        ...(values["max-monthly-usd"] !== undefined ? { maxMonthlyUsd: nonNegativeNumber(values["max-monthly-usd"], "--max-monthly-usd", false) } : {}),
        ...(values.access ? { access: true } : {}),
        ...(values.purchases ? { purchases: true } : {}),
        ...(values["max-resources"] !== undefined ? { maxResources: nonNegativeNumber(values["max-resources"], "--max-resources", true) } : {}),
        ...(values.resource ? { resources: values.resource } : {}),
        ...(values.destructive ? { destructive: true } : {}),
    };
    if (Object.keys(scope).length === 0 || (Object.keys(scope).length === 1 && scope.resources)) {
        throw new UsageError("an approval must grant something: give --environment, --provider, --max-monthly-usd, --access, --purchases, --max-resources or --destructive");
    }
    if (values.plan !== undefined && values["destroy-state"] !== undefined) {
        throw new UsageError("give --plan (an update's saved plan) or --destroy-state (the state export of a destroy), not both");
    }
    if (values.destructive && values.plan === undefined && values["destroy-state"] === undefined) {
        throw new UsageError("--destructive approves the deletes of one exact change: give --plan <plan.json> or --destroy-state <state.json>");
    }
    const plan = values.plan !== undefined ? fileDigest(readBound(values.plan, "--plan")) : undefined;
    const destroy = values["destroy-state"] !== undefined ? fileDigest(readBound(values["destroy-state"], "--destroy-state")) : undefined;
    const { keyFile, key } = await readKeyFile(required(values.key ?? process.env.AGENTGUARD_KEY, "--key (or env AGENTGUARD_KEY)"));
    if (keyFile.id === agent) {
        throw new UsageError(`"${agent}" cannot approve its own run`);
    }
    const token = await issueApproval({ keyFile, key, stack, agent, scope, ttlSeconds: ttl, plan, destroy });
    const bound = plan ? `, bound to plan ${plan}` : destroy ? `, bound to the destroy of state ${destroy}` : "";
    io.stderr(`approval by "${keyFile.id}" for agent "${agent}" on "${values.stack}", valid ${values.ttl ?? "4h"}${bound}: ${JSON.stringify(scope)}\n`);
    io.stdout(token + "\n");
    return 0;
}

/** The exact bytes of a file an approval is bound to. */
function readBound(path: string, flag: string): Buffer {
    try {
        return readFileSync(path);
    } catch {
        throw new UsageError(`${flag} "${path}" is not a readable file`);
    }
}

/** Reads a policy pack config file: `{ "agent-change-gate": {...} }` as given to --policy-pack-config. */
export function readPolicyConfig(path: string): GateConfig {
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch {
        throw new UsageError(`--policy-config "${path}" is not a readable JSON file`);
    }
    const section = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>)[GATE_POLICY_NAME] : undefined;
    if (section === undefined) {
        throw new UsageError(`--policy-config "${path}" has no "${GATE_POLICY_NAME}" section`);
    }
    return normalizeGateConfig(section);
}

/** `agentguard verify --policy-config <file> --stack … --agent … <token>…` */
export async function verify(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { "policy-config": { type: "string" }, stack: { type: "string" }, agent: { type: "string" } },
    });
    const config = readPolicyConfig(required(values["policy-config"], "--policy-config"));
    const stack = parseStack(values.stack);
    const agent = required(values.agent, "--agent");
    const presented = readPresentedTokens(positionals.join(" "));
    if (presented.length === 0) {
        throw new UsageError("give one or more tokens to verify");
    }
    const { valid, reports } = await verifyApprovals(presented, { config, stack, agent, now: Math.floor(Date.now() / 1000) });
    for (const r of reports) {
        const from = r.iss ? ` from "${r.iss}"` : "";
        if (r.valid) {
            const v = valid.find((a) => a.jti === r.jti && a.iss === r.iss)!;
            const bound = v.plan ? `, bound to plan ${v.plan}` : v.destroy ? `, bound to the destroy of state ${v.destroy}` : "";
            io.stdout(`valid    token "${r.jti}"${from}, expires ${new Date(v.exp * 1000).toISOString()}${bound}, grants ${JSON.stringify(v.scope)}${v.gates ? `, counts only for ${v.gates.length > 0 ? v.gates.join(", ") : "no gate"} (approvers[].gates)` : ""}\n`);
        } else {
            io.stdout(`invalid  token "${r.jti}"${from}: ${r.reason} [${r.code}]\n`);
        }
    }
    return reports.every((r) => r.valid) ? 0 : 1;
}
