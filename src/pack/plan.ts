/**
 * The saved plan the pack applies (env `AGENTGUARD_PLAN`, docs/plans.md): read once per run, an
 * absolute path only (a directory pack runs in its own directory, so a relative path would
 * silently miss). Plan-bound tokens count for a resource only when it is in this plan with a
 * non-delete step and inputs consistent with the plan's goal, and for the stack-level items only
 * when the run's resources are the plan's non-delete resources.
 * @internal
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileDigest } from "../approvals/issue";
import { PlanBinding } from "../gate/destructive";
import { PROVIDER_TYPE_PREFIX, Props, ResourceFacts, StackRef, Value, isUnknown } from "../facts/facts";
import { PlanStep, PlannedChange } from "../gate/run";
import { parseUrn } from "../cost/preview";
import { PlanError, parseJson, readPlan } from "../plan/read";

/** The env variable CI sets for `pulumi up --plan`. */
export const PLAN_ENV = "AGENTGUARD_PLAN";

/** A plan as the pack uses it. */
export interface AppliedPlan {
    readonly binding: PlanBinding;
    readonly file: string;
    readonly steps: ReadonlyMap<string, { readonly step: PlanStep; readonly adds: Props; readonly updates: Props; readonly deletes: readonly string[] }>;
    /** Custom resources (not providers) the plan keeps: every step but delete. */
    readonly kept: ReadonlySet<string>;
}

/** Reads the plan named by `AGENTGUARD_PLAN`; throws an Error with a safe message when it cannot. */
export function readAppliedPlan(file: string, stack: StackRef): AppliedPlan {
    if (!path.isAbsolute(file)) {
        throw new Error(`${PLAN_ENV} must be an absolute path (the pack runs in its own directory), got a relative one`);
    }
    let bytes: Buffer;
    try {
        bytes = readFileSync(file);
    } catch {
        throw new Error(`${PLAN_ENV} names a file the pack cannot read`);
    }
    try {
        const plan = readPlan(parseJson(bytes, "the plan file"), stack);
        const steps = new Map<string, { step: PlanStep; adds: Props; updates: Props; deletes: readonly string[] }>();
        for (const [urn, p] of plan.resources) {
            steps.set(urn, { step: p.step, adds: p.goal?.adds ?? {}, updates: p.goal?.updates ?? {}, deletes: p.goal?.deletes ?? [] });
        }
        const kept = new Set(
            [...plan.resources.values()].filter((p) => p.step !== "delete" && p.goal?.custom === true && !p.goal.type.startsWith(PROVIDER_TYPE_PREFIX)).map((p) => p.urn),
        );
        return { binding: { kind: "plan", digest: fileDigest(bytes) }, file, steps, kept };
    } catch (e) {
        throw new Error(`the plan in ${PLAN_ENV} is not one agentguard understands: ${e instanceof PlanError ? e.message : "unreadable"}`);
    }
}

/** Equal as data; an unknown (or secret) on either side matches anything: the engine holds the plan to it. */
function same(a: Value | undefined, b: Value | undefined): boolean {
    if (isUnknown(a) || isUnknown(b)) {
        return true;
    }
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
        return a === b;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
    }
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
}

/** The plan step of `r` (with the inputs it changes), and whether plan-bound tokens count for it. */
export function planStepOf(plan: AppliedPlan, r: ResourceFacts): PlannedChange & { consistent: boolean } {
    const p = plan.steps.get(r.urn);
    if (!p || p.step === "delete") {
        // Not in the plan (or planned gone): judged as a new resource, with no plan-bound tokens.
        return { step: "create", consistent: false };
    }
    switch (p.step) {
        case "same":
            return { step: "same", consistent: true };
        case "create":
            return { step: "create", consistent: same(r.props as Value, p.adds as Value) };
        case "update":
        case "replace": {
            const changed = { ...p.adds, ...p.updates };
            const consistent = Object.entries(changed).every(([k, v]) => same(r.props[k], v)) && p.deletes.every((k) => r.props[k] === undefined);
            return { step: p.step, consistent, changed: [...Object.keys(changed), ...p.deletes] };
        }
    }
}

/**
 * The plan step of each resource of the run at `AnalyzeStack`: a planned delete the program did not
 * declare (`declared` never saw it) is that delete; anything else as planStepOf says.
 */
export function runSteps(plan: AppliedPlan, resources: readonly ResourceFacts[], declared: { has(urn: string): boolean }): Map<string, PlannedChange & { consistent: boolean }> {
    return new Map(resources.map((r) => [r.urn, plan.steps.get(r.urn)?.step === "delete" && !declared.has(r.urn) ? { step: "delete" as const, consistent: true } : planStepOf(plan, r)]));
}

/**
 * The resources the plan deletes outright, as far as the pack can know them (URN and type; their
 * inputs are in the state, which the pack does not have). The engine deletes them without asking
 * the pack, so the pack judges them from the plan: an apply whose check was skipped still needs the
 * destructive approvals of the stack's environment and of data-bearing types.
 */
export function plannedDeletes(plan: AppliedPlan): ResourceFacts[] {
    const out: ResourceFacts[] = [];
    for (const [urn, s] of plan.steps) {
        if (s.step !== "delete") {
            continue;
        }
        const { type, name } = parseUrn(urn);
        const kind = type.startsWith(PROVIDER_TYPE_PREFIX) ? "provider" : type === "pulumi:pulumi:Stack" ? "component" : "custom";
        out.push({ urn, type, name, kind, props: {} });
    }
    return out;
}

/** Whether the run's custom resources so far (or all of them, when `complete`) are the plan's kept ones. */
export function stackMatches(plan: AppliedPlan, urns: Iterable<string>, complete: boolean): boolean {
    let n = 0;
    for (const u of urns) {
        if (!plan.kept.has(u)) {
            return false;
        }
        n++;
    }
    return !complete || n === plan.kept.size;
}
