/**
 * A tiny IAM evaluator for the tests: enough of the policy language (Action/NotAction and
 * Resource globs, StringEquals/StringNotEquals on request context keys) to ask "may the agent do
 * this?" of the generated documents, instead of only comparing their text.
 */
import { PolicyDocument, PolicyStatement } from "../../src/identity/documents";

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function glob(pattern: string, s: string, caseInsensitive: boolean): boolean {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseInsensitive ? "i" : "");
    return re.test(s);
}

/** A request: action, resource and context keys (`aws:RequestedRegion`, …). */
export interface Request {
    readonly action: string;
    readonly resource: string;
    readonly context?: Record<string, string>;
}

function matches(st: PolicyStatement, req: Request): boolean {
    const actionOk = st.Action !== undefined ? list(st.Action).some((a) => glob(a, req.action, true)) : !list(st.NotAction).some((a) => glob(a, req.action, true));
    const resourceOk = list(st.Resource ?? "*").some((r) => glob(r, req.resource, false));
    const conditionOk = Object.entries(st.Condition ?? {}).every(([op, kv]) =>
        Object.entries(kv).every(([key, v]) => {
            const actual = req.context?.[key];
            if (op === "StringEquals") {
                return actual !== undefined && list(v).includes(actual);
            }
            if (op === "StringNotEquals") {
                return actual === undefined || !list(v).includes(actual);
            }
            throw new Error(`the test evaluator does not know the operator ${op}`);
        }),
    );
    return actionOk && resourceOk && conditionOk;
}

/**
 * Whether identity policies within a permissions boundary permit a request: an explicit deny
 * anywhere wins; otherwise both an identity policy and the boundary must allow it.
 */
export function permits(identity: readonly PolicyDocument[], boundary: PolicyDocument | undefined, req: Request): boolean {
    const all = [...identity.flatMap((d) => d.Statement), ...(boundary?.Statement ?? [])];
    if (all.some((s) => s.Effect === "Deny" && matches(s, req))) {
        return false;
    }
    const allowedBy = (docs: readonly PolicyDocument[]) => docs.some((d) => d.Statement.some((s) => s.Effect === "Allow" && matches(s, req)));
    return allowedBy(identity) && (boundary === undefined || allowedBy([boundary]));
}
