/**
 * Who may approve what (docs/contract.md §2, §4): an approver's `gates`, an agent's `owners` and
 * `revoked` tokens. One place, used by token verification (owners, revocation) and by the
 * decision core's `covers` (gates), so the pack, `agentguard verify` and `plan check` all apply
 * the same rules.
 */
import { ApproverConfig, GateConfig } from "../gate/config";
import { GATE_IDS, GateId } from "../gate/items";
import { ApprovalError } from "./errors";

function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
    return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/**
 * True when `owner` (from `agents[id].owners`, often an email from the registry) and approver
 * `id` name the same person: equal ignoring case, or one is an email whose local part is the
 * other (`alice@example.com` owns what `alice` would approve). Matching wide is the safe side: a
 * false match only removes an approver from one agent's runs.
 */
export function samePerson(owner: string, id: string): boolean {
    const a = owner.trim().toLowerCase();
    const b = id.trim().toLowerCase();
    if (a === b) {
        return true;
    }
    const local = (s: string) => (s.includes("@") ? s.slice(0, s.lastIndexOf("@")) : undefined);
    return local(a) === b || local(b) === a;
}

/** The owner entry of `agent` that names approver `id`, if any. */
export function ownerOf(config: GateConfig, agent: string, id: string): string | undefined {
    return own(config.agents, agent)?.owners?.find((o) => samePerson(o, id));
}

/** The gates approver `a` may approve: its `gates`, or every gate. */
export function approverGates(a: Pick<ApproverConfig, "gates">): readonly GateId[] {
    return a.gates ? GATE_IDS.filter((g) => a.gates!.includes(g)) : GATE_IDS;
}

/** Why approver `id` (whose tokens may approve only `gates`) cannot approve `gate`, or undefined if it can. */
export function gateRefusal(id: string, gates: readonly GateId[] | undefined, gate: GateId): string | undefined {
    if (gates === undefined || gates.includes(gate)) {
        return undefined;
    }
    return gates.length === 0 ? `"${id}" may approve no gate` : `"${id}" may approve ${gates.join(", ")}; not ${gate}`;
}

/**
 * Configured approvers whose tokens could count toward `gate` for `agent`: the gate is among
 * their `gates`, they are not the agent and not one of its owners. Sorted by id, distinct.
 */
export function approversFor(config: GateConfig, agent: string, gate: GateId): string[] {
    const ids = config.approvers.filter((a) => !samePerson(agent, a.id) && !ownerOf(config, agent, a.id) && approverGates(a).includes(gate)).map((a) => a.id);
    return [...new Set(ids)].sort();
}

/**
 * Throws when a verified token is revoked: its `jti` is in `revoked.jtis`, or it was issued
 * (`iat`) before its approver's time in `revoked.approvers`.
 */
export function checkRevoked(config: GateConfig, token: { readonly iss: string; readonly jti: string; readonly iat: number }): void {
    if (config.revoked.jtis.includes(token.jti)) {
        throw new ApprovalError("ERR_APPROVAL_REVOKED");
    }
    const before = own(config.revoked.approvers, token.iss);
    if (before !== undefined) {
        const t = Date.parse(before) / 1000;
        // An unreadable time revokes everything (fail closed); config validation should stop it first.
        if (!Number.isFinite(t) || token.iat < t) {
            throw new ApprovalError("ERR_APPROVAL_APPROVER_REVOKED", `tokens of "${token.iss}" issued before ${before} count for nothing; this one was issued at ${new Date(token.iat * 1000).toISOString()}`);
        }
    }
}

/** Throws when approver `iss` owns `agent`: an owner never counts as its agent's approver. */
export function checkNotOwner(config: GateConfig, agent: string, iss: string): void {
    const owner = ownerOf(config, agent, iss);
    if (owner !== undefined) {
        throw new ApprovalError("ERR_APPROVAL_OWNER", owner.toLowerCase() === iss.toLowerCase() ? `"${iss}" owns "${agent}"` : `"${iss}" is owner "${owner}" of "${agent}"`);
    }
}
