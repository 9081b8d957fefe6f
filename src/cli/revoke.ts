/**
 * `agentguard revoke --policy-config <file> (--jti <id>… | --approver <id> --before <time>)`:
 * adds to `revoked` of the gate's section in a POLICY PACK config file (docs/contract.md §2) — the file
 * given to `--policy-pack-config`, never stack config, which the agent controls and the gate never
 * trusts. Anything that looks like stack config is refused. The edited section must still pass the
 * gate's own config validation, or nothing is written.
 */
import { chmodSync, lstatSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { GateConfigError, normalizeGateConfig } from "../gate/config";
import { GATE_POLICY_NAME } from "../pack/policy";
import { Io, UsageError } from "./io";
import { CommandSpec, list, parseCommand, str } from "./options";

/** `agentguard revoke` */
export const REVOKE: CommandSpec = {
    name: "revoke",
    summary: "Revokes tokens in the policy pack config (never stack config): by jti, or an approver's issued before a time.",
    options: {
        "policy-config": { type: "string", value: "file", help: "the JSON file given to --policy-pack-config (required)" },
        jti: { type: "string", value: "id", multiple: true, help: "a token's id (agentguard verify prints it)" },
        approver: { type: "string", value: "id", help: "revoke every token of this approver issued before --before" },
        before: { type: "string", value: "time|now", help: "an ISO time with a zone (2026-12-01T09:00:00Z) or now" },
    },
    notes: "Give either --jti <id>… or --approver <id> --before <time>. The edited section must pass the gate's config validation, or nothing is written.",
};

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Top-level keys of Pulumi stack and project files that a policy pack config never has. */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptionsalt", "encryptedkey", "environment", "runtime", "backend", "stackConfigDir"];

/** Why `file` (with its parsed `content`) is not a policy pack config file, or undefined if it may be one. */
export function notPolicyConfig(file: string, content: unknown): string | undefined {
    const names = [path.basename(file)];
    try {
        names.push(path.basename(realpathSync(file)));
    } catch {
        // Unreadable paths are reported by the caller.
    }
    for (const n of names) {
        if (/^Pulumi(\..*)?\.ya?ml$/i.test(n)) {
            return `"${n}" is a Pulumi project or stack config file; approvals trust only the policy pack config (the JSON file given to --policy-pack-config)`;
        }
        if (/\.ya?ml$/i.test(n)) {
            return `"${n}" is YAML; a policy pack config is the JSON file given to --policy-pack-config`;
        }
    }
    if (!isObject(content)) {
        return "it does not hold a JSON object keyed by policy name";
    }
    const stackKey = Object.keys(content).find((k) => STACK_FILE_KEYS.includes(k) || k.includes(":"));
    if (stackKey !== undefined) {
        return `it has the key "${stackKey}", which stack config has and a policy pack config never does`;
    }
    return undefined;
}

/** Where the gate's section lives: top level, or under `policies` in a `version: 2` file. */
function sectionHolder(root: Json): Json | undefined {
    if (root.version === undefined) {
        return root;
    }
    if (root.version === 2 && isObject(root.policies)) {
        return root.policies;
    }
    return undefined;
}

/** The indentation the file already uses, so a revocation changes only what it must. */
function indentOf(text: string): string | number {
    const m = /^[ \t]+(?=\S)/m.exec(text);
    return m ? m[0] : 2;
}

const ISO_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i;

/** Parses `--before`: an ISO time with a zone (`2026-12-01T09:00:00Z`), or `now`. Returns it in UTC. */
export function parseBefore(s: string, now: Date = new Date()): string {
    if (s === "now") {
        return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
    }
    const t = Date.parse(s);
    if (!ISO_WITH_ZONE.test(s) || Number.isNaN(t)) {
        throw new UsageError(`--before "${s}" is not an ISO time with a zone such as 2026-12-01T09:00:00Z (or "now")`);
    }
    return new Date(t).toISOString();
}

/** `agentguard revoke --policy-config <file> (--jti <id>… | --approver <id> --before <time>)` */
export async function revoke(argv: string[], io: Io): Promise<number> {
    const p = parseCommand(REVOKE, argv, io);
    if (!p) {
        return 0;
    }
    const values = { "policy-config": str(p, "policy-config"), jti: list(p, "jti"), approver: str(p, "approver"), before: str(p, "before") };
    const file = values["policy-config"];
    if (!file) {
        throw new UsageError("--policy-config is required (the JSON file given to --policy-pack-config)");
    }
    const jtis = values.jti ?? [];
    const byApprover = values.approver !== undefined || values.before !== undefined;
    if ((jtis.length > 0) === byApprover) {
        throw new UsageError("give either --jti <id>… or --approver <id> --before <time>");
    }
    if (byApprover && (!values.approver || !values.before)) {
        throw new UsageError("--approver and --before go together: --approver alice --before 2026-12-01T09:00:00Z");
    }
    if (jtis.some((j) => j.trim() === "")) {
        throw new UsageError("--jti must not be empty");
    }
    const before = values.before !== undefined ? parseBefore(values.before) : undefined;

    let text: string;
    try {
        if (!statSync(file).isFile()) {
            throw new Error("not a file");
        }
        text = readFileSync(file, "utf8");
    } catch {
        throw new UsageError(`--policy-config "${file}" is not a readable file`);
    }
    let root: unknown;
    try {
        root = JSON.parse(text);
    } catch {
        root = undefined;
    }
    const refusal = notPolicyConfig(file, root);
    if (refusal !== undefined) {
        throw new UsageError(`refusing to edit "${file}": ${refusal}`);
    }
    const holder = sectionHolder(root as Json);
    const raw = holder?.[GATE_POLICY_NAME];
    if (raw === undefined || !(isObject(raw) || typeof raw === "string")) {
        throw new UsageError(`refusing to edit "${file}": it has no "${GATE_POLICY_NAME}" section, so it is not this pack's policy config`);
    }
    // A section that is only an enforcement level becomes an object keeping that level.
    const section: Json = typeof raw === "string" ? { enforcementLevel: raw } : { ...raw };
    const { enforcementLevel, ...props } = section;
    let current;
    try {
        current = normalizeGateConfig(props);
    } catch (e) {
        if (e instanceof GateConfigError) {
            throw new UsageError(`"${file}": the "${GATE_POLICY_NAME}" config is already invalid (${e.message}); fix it first`);
        }
        throw e;
    }

    const revoked: Json = isObject(props.revoked) ? { ...props.revoked } : {};
    const done: string[] = [];
    if (jtis.length > 0) {
        const list = [...current.revoked.jtis];
        for (const j of jtis) {
            if (list.includes(j)) {
                done.push(`token "${j}" was already revoked`);
            } else {
                list.push(j);
                done.push(`token "${j}" revoked`);
            }
        }
        revoked.jtis = list;
    } else {
        const id = values.approver!;
        if (!current.approvers.some((a) => a.id === id)) {
            throw new UsageError(`no approver "${id}" in "approvers" of "${file}" (ids: ${current.approvers.map((a) => `"${a.id}"`).join(", ") || "none"})`);
        }
        const map: Record<string, string> = { ...current.revoked.approvers };
        const existing = Object.prototype.hasOwnProperty.call(map, id) ? map[id] : undefined;
        // Moving the time earlier would bring revoked tokens back: the later time wins.
        if (existing !== undefined && Date.parse(existing) >= Date.parse(before!)) {
            done.push(`tokens of "${id}" issued before ${existing} were already revoked (kept; ${before} is not later)`);
        } else {
            map[id] = before!;
            done.push(`tokens of "${id}" issued before ${before} revoked${existing ? ` (was: before ${existing})` : ""}`);
        }
        revoked.approvers = map;
    }
    const nextProps = { ...props, revoked };
    try {
        normalizeGateConfig(nextProps);
    } catch (e) {
        if (e instanceof GateConfigError) {
            throw new UsageError(`the edited "${GATE_POLICY_NAME}" config would be invalid (${e.message}); nothing written`);
        }
        throw e;
    }
    holder![GATE_POLICY_NAME] = { ...section, revoked };

    // Write beside the file and rename over it: a crash never leaves half a config. The target is
    // the real file behind a symlink, with its mode kept.
    const target = lstatSync(file).isSymbolicLink() ? realpathSync(file) : file;
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.agentguard-${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(root, null, indentOf(text)) + "\n", { mode: 0o600 });
    chmodSync(tmp, statSync(target).mode & 0o777);
    renameSync(tmp, target);
    for (const d of done) {
        io.stderr(`${d} in ${file}\n`);
    }
    io.stderr(`deploy the pack config for it to take effect (every run reads it at start)\n`);
    return 0;
}
