/**
 * `agentguard keygen | approve | verify`: thin doors into src/approvals.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { decodeJwt } from "jose";
import { fileDigest, issueApproval } from "../approvals/issue";
import { generateApproverKey, publicEntryOf, readKeyFile, writeKeyFile } from "../approvals/keys";
import { ApprovalScope } from "../approvals/scope";
import { samePerson } from "../approvals/roles";
import { APPROVALS_CONFIG_KEY, MAX_TOKENS, readPresentedTokens } from "../approvals/tokens";
import { approvalOfReport, verifyApprovals } from "../approvals/verify";
import { DEFAULT_GATE_CONFIG, GateConfig, normalizeGateConfig } from "../gate/config";
import { StackRef } from "../facts/facts";
import { GATE_POLICY_NAME } from "../pack/policy";
import { printable } from "../facts/format";
import { Io, UsageError, unreadable } from "./io";
import { CommandSpec, flag, list, parseCommand, str } from "./options";

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

/** Approver and key ids: they name files and appear in tokens, so letters, digits and `.`, `_`, `@`, `-` only. */
const APPROVER_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

function approverId(v: string, flagName: string): string {
    if (!APPROVER_ID.test(v) || v.includes("..")) {
        throw new UsageError(`${flagName} "${v}" is not an approver id: use letters, digits, ".", "_", "@" or "-" (at most 64, no spaces, slashes or colons), e.g. alice or alice@example.com`);
    }
    return v;
}

/** `agentguard keygen` */
export const KEYGEN: CommandSpec = {
    name: "keygen",
    summary: "Writes an approver's private key file (mode 0600) and prints the approver entry for the policy pack config.",
    options: {
        id: { type: "string", value: "approver", help: "who the key belongs to (letters, digits, . _ @ -); required unless --public" },
        kid: { type: "string", value: "key id", help: "key id in token headers (default: the id); a new kid lets one person rotate keys" },
        out: { type: "string", value: "file", help: "where to write the private key (default: <id>.agentguard-key.json); never overwritten" },
        public: { type: "string", value: "keyfile", help: "print the approver entry of an existing key file instead of making a key" },
    },
};

/** `agentguard keygen --id <approver> [--kid …] [--out file]` or `keygen --public <keyfile>` */
export async function keygen(argv: string[], io: Io): Promise<number> {
    const p = parseCommand(KEYGEN, argv, io);
    if (!p) {
        return 0;
    }
    const pub = str(p, "public");
    if (pub !== undefined) {
        if (str(p, "id") || str(p, "kid") || str(p, "out")) {
            throw new UsageError("--public reads an existing key file; give it alone");
        }
        const { keyFile } = await readKeyFile(pub);
        io.stderr(`approver entry of "${keyFile.id}" (key "${keyFile.kid}") — add it to "approvers" of "${GATE_POLICY_NAME}":\n`);
        io.stdout(JSON.stringify(publicEntryOf(keyFile)) + "\n");
        return 0;
    }
    const id = approverId(required(str(p, "id"), "--id"), "--id");
    const kid = approverId(str(p, "kid") ?? id, "--kid");
    const out = str(p, "out") ?? `${id}.agentguard-key.json`;
    if (existsSync(out)) {
        throw new UsageError(`"${out}" already exists; choose another --out (keys are never overwritten)`);
    }
    const { keyFile, approver } = await generateApproverKey(id, kid);
    writeKeyFile(out, keyFile);
    io.stderr(`private key of "${id}" written to ${out} (mode 0600) — keep it secret; it never leaves this machine.\n`);
    io.stderr(`add this entry to "approvers" of "${GATE_POLICY_NAME}" in your policy pack config:\n`);
    io.stdout(JSON.stringify(approver) + "\n");
    return 0;
}

/** `agentguard approve` */
export const APPROVE: CommandSpec = {
    name: "approve",
    summary: "Prints one signed approval token for one agent's runs on one stack (or, with --set-config, adds it to the stack's config).",
    options: {
        key: { type: "string", value: "file", help: "your private key file (default: $AGENTGUARD_KEY)" },
        stack: { type: "string", value: "org/project/stack", help: 'the stack (a file backend\'s organization is "organization"); required' },
        agent: { type: "string", value: "id", help: "the agent whose runs this approves; required" },
        environment: { type: "string", value: "production|staging", multiple: true, help: "grant changes in this environment" },
        provider: { type: "string", value: "package", multiple: true, help: "grant use of this provider package" },
        "max-monthly-usd": { type: "string", value: "N", help: "grant spending up to N US dollars a month" },
        access: { type: "flag", help: "grant changes to access control (IAM, tokens, policies)" },
        purchases: { type: "flag", help: "grant one-off purchases (domains, reservations)" },
        "max-resources": { type: "string", value: "N", help: "grant a stack of up to N resources" },
        resource: { type: "string", value: "urn", multiple: true, help: "limit resource-level grants to these URNs" },
        ttl: { type: "string", value: "duration", help: "how long the token is valid: 30m, 4h, 1d (default 4h)" },
        "allow-long-ttl": { type: "flag", help: "allow a --ttl over 24h (the gate must have maxApprovalTtlSeconds raised)" },
        destructive: { type: "flag", help: "grant the deletes and replaces of one exact change (needs --plan or --destroy-state)" },
        plan: { type: "string", value: "plan.json", help: "bind the token to the exact bytes of this saved update plan (docs/plans.md)" },
        "destroy-state": { type: "string", value: "state.json", help: "bind the token to the destroy of this exact state export" },
        "set-config": {
            type: "flag",
            help: `also write the token into the stack's ${APPROVALS_CONFIG_KEY} (plain config) with the pulumi CLI, keeping the unexpired tokens already there (at most ${MAX_TOKENS})`,
        },
        cwd: { type: "string", value: "dir", help: "the Pulumi project directory for --set-config (default: the current directory)" },
    },
    notes: "Tokens are signed, not secret: they name no key and grant only what they say, to one agent on one stack, until they expire.",
};

/** `agentguard approve --key … --stack … --agent … [scope flags] [--ttl 4h] [--set-config]` */
export async function approve(argv: string[], io: Io): Promise<number> {
    const p = parseCommand(APPROVE, argv, io);
    if (!p) {
        return 0;
    }
    const stackText = str(p, "stack");
    const stack = parseStack(stackText);
    const agent = required(str(p, "agent"), "--agent");
    const ttlText = str(p, "ttl") ?? "4h";
    const ttl = parseTtl(ttlText);
    if (ttl > DEFAULT_GATE_CONFIG.maxApprovalTtlSeconds && !flag(p, "allow-long-ttl")) {
        throw new UsageError(
            `--ttl ${ttlText} is longer than the default maximum approval lifetime (${DEFAULT_GATE_CONFIG.maxApprovalTtlSeconds / 3600}h); the gate rejects it unless maxApprovalTtlSeconds is raised — pass --allow-long-ttl if it is`,
        );
    }
    const environments = list(p, "environment");
    for (const e of environments ?? []) {
        if (e !== "production" && e !== "staging") {
            throw new UsageError(`--environment must be "production" or "staging", got "${e}"`);
        }
    }
    const maxUsd = str(p, "max-monthly-usd");
    const maxResources = str(p, "max-resources");
    const scope: ApprovalScope = {
        ...(environments ? { environments } : {}),
        ...(list(p, "provider") ? { providers: list(p, "provider") } : {}),
        ...(maxUsd !== undefined ? { maxMonthlyUsd: nonNegativeNumber(maxUsd, "--max-monthly-usd", false) } : {}),
        ...(flag(p, "access") ? { access: true } : {}),
        ...(flag(p, "purchases") ? { purchases: true } : {}),
        ...(maxResources !== undefined ? { maxResources: nonNegativeNumber(maxResources, "--max-resources", true) } : {}),
        ...(list(p, "resource") ? { resources: list(p, "resource") } : {}),
        ...(flag(p, "destructive") ? { destructive: true } : {}),
    };
    if (Object.keys(scope).length === 0 || (Object.keys(scope).length === 1 && scope.resources)) {
        throw new UsageError("an approval must grant something: give --environment, --provider, --max-monthly-usd, --access, --purchases, --max-resources or --destructive");
    }
    const planFile = str(p, "plan");
    const destroyFile = str(p, "destroy-state");
    if (planFile !== undefined && destroyFile !== undefined) {
        throw new UsageError("give --plan (an update's saved plan) or --destroy-state (the state export of a destroy), not both");
    }
    if (flag(p, "destructive") && planFile === undefined && destroyFile === undefined) {
        throw new UsageError("--destructive approves the deletes of one exact change: give --plan <plan.json> or --destroy-state <state.json>");
    }
    const plan = planFile !== undefined ? fileDigest(readBound(planFile, "--plan")) : undefined;
    const destroy = destroyFile !== undefined ? fileDigest(readBound(destroyFile, "--destroy-state")) : undefined;
    if (str(p, "cwd") !== undefined && !flag(p, "set-config")) {
        throw new UsageError("--cwd is for --set-config");
    }
    const { keyFile, key } = await readKeyFile(required(str(p, "key") ?? process.env.AGENTGUARD_KEY, "--key (or env AGENTGUARD_KEY)"));
    if (samePerson(agent, keyFile.id)) {
        throw new UsageError(`"${agent}" cannot approve its own run`);
    }
    const token = await issueApproval({ keyFile, key, stack, agent, scope, ttlSeconds: ttl, plan, destroy });
    const bound = plan ? `, bound to plan ${plan}` : destroy ? `, bound to the destroy of state ${destroy}` : "";
    io.stderr(`approval by "${keyFile.id}" for agent "${agent}" on "${stackText}", valid ${ttlText}${bound}: ${JSON.stringify(scope)}\n`);
    if (flag(p, "set-config")) {
        setApprovalsConfig(token, stackText!, str(p, "cwd"), io);
        return 0;
    }
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

/** Runs the pulumi CLI; its own error output becomes our one-line error. */
function pulumi(args: string[], cwd: string | undefined): string {
    try {
        // Root flags first: an argument list may end with "--" and values.
        return execFileSync("pulumi", ["--non-interactive", ...(cwd ? ["--cwd", cwd] : []), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
        const err = e as NodeJS.ErrnoException & { stderr?: string };
        if (err.code === "ENOENT") {
            throw new Error("--set-config runs the pulumi CLI, which is not on PATH");
        }
        const said = (err.stderr ?? "").trim().split("\n").filter((l) => l.trim() !== "").pop() ?? "it failed";
        throw new Error(`pulumi ${args.slice(0, 2).join(" ")} failed: ${said}`);
    }
}

/** A compact JWS: three base64url parts. Anything else the stack holds (the agent writes it) is dropped, never passed on. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The tokens to keep of what the stack already holds: well-formed, unexpired, not duplicated, newest last. */
export function keptTokens(existing: string, now: number): { kept: string[]; dropped: number } {
    const kept: string[] = [];
    let dropped = 0;
    for (const t of existing.split(/[\s,]+/).filter((x) => x !== "")) {
        let exp: number | undefined;
        try {
            exp = COMPACT_JWS.test(t) ? decodeJwt(t).exp : undefined;
        } catch {
            exp = undefined;
        }
        if (exp === undefined || exp <= now || kept.includes(t)) {
            dropped++;
        } else {
            kept.push(t);
        }
    }
    return { kept, dropped };
}

/** Adds `token` to the stack's approvals, as plain config: tokens are signed, not secret. */
function setApprovalsConfig(token: string, stack: string, cwd: string | undefined, io: Io): void {
    const all = JSON.parse(pulumi(["config", "--json", "--stack", stack], cwd)) as Record<string, { value?: string; secret?: boolean }>;
    const current = all[APPROVALS_CONFIG_KEY];
    if (current?.secret) {
        throw new Error(
            `${APPROVALS_CONFIG_KEY} of "${stack}" is a secret, which this command cannot read without the stack's secrets key; approvals need not be secret: run \`pulumi config rm ${APPROVALS_CONFIG_KEY}\` once, then this command again`,
        );
    }
    const raw = current?.value ?? "";
    const existing = raw.trim().startsWith("[") ? ((): string => {
        try {
            return (JSON.parse(raw) as unknown[]).filter((t): t is string => typeof t === "string").join(" ");
        } catch {
            return raw;
        }
    })() : raw;
    const { kept, dropped } = keptTokens(existing, Math.floor(Date.now() / 1000));
    const tokens = [...kept.filter((t) => t !== token), token];
    const overflow = Math.max(0, tokens.length - MAX_TOKENS);
    const value = tokens.slice(overflow).join(" ");
    // The value goes after "--": whatever it holds is never read as one of pulumi's flags.
    pulumi(["config", "set", "--plaintext", "--stack", stack, "--", APPROVALS_CONFIG_KEY, value], cwd);
    const stored = (JSON.parse(pulumi(["config", "--json", "--stack", stack], cwd)) as Record<string, { value?: string }>)[APPROVALS_CONFIG_KEY];
    if (stored?.value !== value) {
        throw new Error(`${APPROVALS_CONFIG_KEY} of "${stack}" does not hold the new token after pulumi config set; run this command again without --set-config and set the token it prints by hand`);
    }
    io.stderr(
        `${APPROVALS_CONFIG_KEY} of "${stack}" now holds ${tokens.length - overflow} token(s)` +
            `${dropped > 0 ? `; dropped ${dropped} expired or unreadable` : ""}${overflow > 0 ? `; dropped the ${overflow} oldest to stay within ${MAX_TOKENS}` : ""}\n`,
    );
}

/** Reads a policy pack config file: `{ "agent-change-gate": {...} }` as given to --policy-pack-config. */
export function readPolicyConfig(path: string): GateConfig {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (e) {
        throw new UsageError(`--policy-config "${path}" ${unreadable(e)}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new UsageError(`--policy-config "${path}" is not JSON (the file given to pulumi --policy-pack-config)`);
    }
    const section = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>)[GATE_POLICY_NAME] : undefined;
    if (section === undefined) {
        throw new UsageError(`--policy-config "${path}" has no "${GATE_POLICY_NAME}" section`);
    }
    return normalizeGateConfig(section);
}

/** `agentguard verify` */
export const VERIFY: CommandSpec = {
    name: "verify",
    summary: "Says for each token whether the gate would accept it for this stack and agent, and why not; exit 0 only if all are valid.",
    options: {
        "policy-config": { type: "string", value: "file", help: "the policy pack config the gate runs with (--policy-pack-config); required" },
        stack: { type: "string", value: "org/project/stack", help: "the stack of the run; required" },
        agent: { type: "string", value: "id", help: "the agent of the run; required" },
        json: { type: "flag", help: "print a JSON list of reports (jti, issuer, valid, code, reason, expiry, scope)" },
    },
    positionals: "<token>…",
};

/** `agentguard verify --policy-config <file> --stack … --agent … [--json] <token>…` */
export async function verify(argv: string[], io: Io): Promise<number> {
    const p = parseCommand(VERIFY, argv, io);
    if (!p) {
        return 0;
    }
    const config = readPolicyConfig(required(str(p, "policy-config"), "--policy-config"));
    const stack = parseStack(str(p, "stack"));
    const agent = required(str(p, "agent"), "--agent");
    const presented = readPresentedTokens(p.positionals.join(" "));
    if (presented.length === 0) {
        throw new UsageError("give one or more tokens to verify");
    }
    const set = await verifyApprovals(presented, { config, stack, agent, now: Math.floor(Date.now() / 1000) });
    const reports = set.reports;
    const of = approvalOfReport(set);
    const ok = reports.every((r) => r.valid);
    if (flag(p, "json")) {
        const out = reports.map((r) => {
            const v = of.get(r);
            return {
                jti: r.jti,
                ...(r.iss ? { iss: r.iss } : {}),
                valid: r.valid,
                ...(r.code ? { code: r.code, reason: r.reason } : {}),
                ...(v ? { expires: new Date(v.exp * 1000).toISOString(), scope: v.scope } : {}),
                ...(v?.plan ? { plan: v.plan } : {}),
                ...(v?.destroy ? { destroy: v.destroy } : {}),
                ...(v?.gates ? { gates: v.gates } : {}),
            };
        });
        io.stdout(JSON.stringify(out, null, 2) + "\n");
        return ok ? 0 : 1;
    }
    for (const r of reports) {
        const from = r.iss ? ` from "${r.iss}"` : "";
        if (r.valid) {
            const v = of.get(r)!;
            const bound = v.plan ? `, bound to plan ${v.plan}` : v.destroy ? `, bound to the destroy of state ${v.destroy}` : "";
            const gates = v.gates ? `, counts only for ${v.gates.length > 0 ? v.gates.join(", ") : "no gate"} (approvers[].gates)` : "";
            // The scope is signed, but its strings are the approver's text: shown escaped, one line.
            io.stdout(printable(`valid    token "${r.jti}"${from}, expires ${new Date(v.exp * 1000).toISOString()}${bound}, grants ${JSON.stringify(v.scope)}${gates}`) + "\n");
        } else {
            io.stdout(printable(`invalid  token "${r.jti}"${from}: ${r.reason} [${r.code}]`) + "\n");
        }
    }
    return ok ? 0 : 1;
}
