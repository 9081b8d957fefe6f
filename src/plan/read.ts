/**
 * Reads a saved update plan (`pulumi preview --save-plan`) and a state export (`pulumi stack
 * export`) into the gate's plain facts: each resource of the stack as the plan would leave it
 * (inputs rebuilt from the state's inputs and the plan's input diff), with its plan step.
 *
 * Everything is checked; anything not understood throws {@link PlanError}, which `plan check`
 * reports as a denial. Secret values (ciphertext in both files) and values unknown at preview are
 * the gate's UNKNOWN: a decision that needs them fails closed.
 */
import { parseUrn, toValue } from "../cost/preview";
import { PROVIDER_TYPE_PREFIX, Props, ProviderFacts, ResourceFacts, StackRef, Value } from "../facts/facts";
import { PlanStep, PlannedChange } from "../gate/run";

/** The plan or state is not one `plan check` understands: the run is denied. */
export class PlanError extends Error {
    override readonly name = "PlanError";
}

/** One resource of the checked change: as the plan leaves it, with what the state holds now. */
export interface PlannedResource extends PlannedChange {
    readonly facts: ResourceFacts;
}

/** What a plan does to a stack. */
export interface PlannedStack {
    /** Every resource of the state and the plan, in a stable order (URN). */
    readonly resources: readonly PlannedResource[];
    /** The stack as it is now (the state export), for the current monthly total. */
    readonly current: readonly ResourceFacts[];
    /** Plain stack config of the plan (`<ns>:<key>` → string); secret values are left out and listed in `secretConfig`. */
    readonly stackConfig: Readonly<Record<string, string>>;
    readonly secretConfig: readonly string[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * The first key that appears twice in one object of `text` (valid JSON), or undefined. The engine
 * (Go's encoding/json) and JSON.parse resolve a repeated key differently, so a file that repeats
 * one could be read one way here and applied another way.
 */
export function repeatedKey(text: string): string | undefined {
    const open: ({ keys: Set<string>; expectKey: boolean } | undefined)[] = [];
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
            let j = i + 1;
            while (text[j] !== '"') {
                j += text[j] === "\\" ? 2 : 1;
            }
            const top = open[open.length - 1];
            if (top?.expectKey) {
                const key = JSON.parse(text.slice(i, j + 1)) as string;
                if (top.keys.has(key)) {
                    return key;
                }
                top.keys.add(key);
                top.expectKey = false;
            }
            i = j;
        } else if (c === "{") {
            open.push({ keys: new Set(), expectKey: true });
        } else if (c === "[") {
            open.push(undefined);
        } else if (c === "}" || c === "]") {
            open.pop();
        } else if (c === ",") {
            const top = open[open.length - 1];
            if (top) {
                top.expectKey = true;
            }
        }
    }
    return undefined;
}

/** Parses JSON bytes, or throws a PlanError naming the file. A key repeated in one object is refused. */
export function parseJson(bytes: Buffer, what: string): unknown {
    let text: string;
    let doc: unknown;
    try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        doc = JSON.parse(text);
    } catch {
        throw new PlanError(`${what} is not valid JSON (truncated or not the file it should be)`);
    }
    const repeated = repeatedKey(text);
    if (repeated !== undefined) {
        throw new PlanError(`${what} repeats the key "${repeated.slice(0, 60)}" in one object, which the engine would read differently`);
    }
    return doc;
}

/**
 * The fields of each object of a saved plan that the engine reads into a struct (apitype.DeploymentPlanV1
 * and what it holds, pulumi v3.274.1). Go's encoding/json matches such fields ignoring case (and
 * folding "ſ" to "s", "K" to "k"), so "Steps" beside "steps" would be read by the engine and not
 * here: any key not exactly one of these is refused. Maps (config, inputs, outputs) keep their keys
 * exactly and are not listed.
 */
const PLAN_FIELDS = {
    plan: ["manifest", "config", "resourcePlans"],
    manifest: ["time", "magic", "version", "plugins"],
    plugin: ["name", "path", "type", "version"],
    resourcePlan: ["goal", "steps", "state", "seed"],
    goal: ["type", "name", "custom", "inputDiff", "outputDiff", "parent", "protect", "dependencies", "provider", "propertyDependencies", "deleteBeforeReplace", "ignoreChanges", "additionalSecretOutputs", "aliases", "structuredAliases", "id", "customTimeouts"],
    diff: ["adds", "deletes", "updates"],
    alias: ["URN", "Name", "Type", "Project", "Stack", "Parent", "NoParent"],
    timeouts: ["create", "update", "delete", "read"],
} as const;

/** Refuses an object with a key that is not exactly one of the struct's fields. */
function onlyFields(o: unknown, fields: readonly string[], where: string): void {
    if (o === undefined || o === null) {
        return;
    }
    if (!isObject(o)) {
        throw new PlanError(`${where} is not an object`);
    }
    const extra = Object.keys(o).find((k) => !fields.includes(k));
    if (extra !== undefined) {
        throw new PlanError(`${where} has a field "${extra.slice(0, 60)}" plan check does not understand`);
    }
}

/** Checks every struct-shaped object of a saved plan against PLAN_FIELDS. */
function checkPlanFields(doc: Json): void {
    onlyFields(doc, PLAN_FIELDS.plan, "the plan");
    onlyFields(doc.manifest, PLAN_FIELDS.manifest, "the plan's manifest");
    const plugins = isObject(doc.manifest) ? doc.manifest.plugins : undefined;
    for (const p of Array.isArray(plugins) ? plugins : []) {
        onlyFields(p, PLAN_FIELDS.plugin, "a plugin of the plan's manifest");
    }
    for (const [urn, p] of Object.entries(isObject(doc.resourcePlans) ? doc.resourcePlans : {})) {
        const where = `the plan's "${urn.slice(0, 200)}"`;
        onlyFields(p, PLAN_FIELDS.resourcePlan, where);
        const g = isObject(p) ? p.goal : undefined;
        onlyFields(g, PLAN_FIELDS.goal, `${where} goal`);
        if (!isObject(g)) {
            continue;
        }
        onlyFields(g.inputDiff, PLAN_FIELDS.diff, `${where} input diff`);
        onlyFields(g.outputDiff, PLAN_FIELDS.diff, `${where} output diff`);
        onlyFields(g.customTimeouts, PLAN_FIELDS.timeouts, `${where} custom timeouts`);
        for (const a of Array.isArray(g.structuredAliases) ? g.structuredAliases : []) {
            onlyFields(a, PLAN_FIELDS.alias, `${where} alias`);
        }
    }
}

/** The operations a plan lists per resource (apitype.OpType) and what `plan check` makes of them. */
const KNOWN_STEPS = new Set(["same", "create", "update", "delete", "replace", "create-replacement", "delete-replaced", "read", "read-replacement", "import"]);

/** The one step the gate judges, from the engine's step list of a resource. */
function stepOf(urn: string, steps: readonly string[]): PlanStep {
    for (const s of steps) {
        if (!KNOWN_STEPS.has(s)) {
            throw new PlanError(`the plan gives "${urn}" a step "${String(s).slice(0, 40)}" that plan check does not understand`);
        }
    }
    const has = (s: string) => steps.includes(s);
    if (has("replace") || has("create-replacement") || has("delete-replaced") || has("read-replacement")) {
        return "replace";
    }
    if (steps.length === 1) {
        switch (steps[0]) {
            case "same":
            case "read":
                return "same";
            case "create":
            case "import":
                return "create";
            case "update":
                return "update";
            case "delete":
                return "delete";
        }
    }
    throw new PlanError(`the plan gives "${urn}" the steps ${JSON.stringify(steps).slice(0, 120)}, a combination plan check does not understand`);
}

function urnParts(urn: string): { stack: string; project: string } | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    return m ? { stack: m[1], project: m[2] } : undefined;
}

function checkUrn(urn: string, stack: StackRef, where: string): void {
    const p = urnParts(urn);
    if (!p) {
        throw new PlanError(`${where} holds "${urn.slice(0, 200)}", which is not a resource URN`);
    }
    if (p.stack !== stack.stack || p.project !== stack.project) {
        throw new PlanError(`${where} is for stack "${p.project}/${p.stack}", not "${stack.project}/${stack.stack}"`);
    }
}

function props(v: unknown, where: string): Props {
    if (v === undefined || v === null) {
        return {};
    }
    if (!isObject(v)) {
        throw new PlanError(`${where} is not an object`);
    }
    return toValue(v) as Props;
}

/** `<provider urn>::<id>` → provider URN. */
function providerUrn(ref: unknown, where: string): string | undefined {
    if (ref === undefined || ref === "") {
        return undefined;
    }
    if (typeof ref !== "string") {
        throw new PlanError(`${where} names its provider in a form plan check does not understand`);
    }
    const i = ref.lastIndexOf("::");
    if (i <= 0 || !ref.slice(0, i).includes(PROVIDER_TYPE_PREFIX)) {
        throw new PlanError(`${where} names provider "${ref.slice(0, 200)}", which is not a provider reference`);
    }
    return ref.slice(0, i);
}

interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly custom: boolean;
    readonly inputs: Props;
    readonly provider?: string;
}

/** Reads `pulumi stack export` (version 3). */
export function readState(doc: unknown, stack: StackRef): Map<string, StateResource> {
    if (!isObject(doc) || doc.version !== 3 || !isObject(doc.deployment)) {
        throw new PlanError('the state file is not a `pulumi stack export` of version 3 ({"version":3,"deployment":{…}})');
    }
    const d = doc.deployment;
    const pending = d.pending_operations;
    if (pending !== undefined && !(Array.isArray(pending) && pending.length === 0)) {
        throw new PlanError("the state has pending operations (an interrupted update); resolve them before a plan can be checked");
    }
    const list = d.resources ?? [];
    if (!Array.isArray(list)) {
        throw new PlanError("the state's deployment.resources is not a list");
    }
    const out = new Map<string, StateResource>();
    for (const [i, r] of list.entries()) {
        if (!isObject(r) || typeof r.urn !== "string" || typeof r.type !== "string") {
            throw new PlanError(`resource #${i} of the state has no urn or type`);
        }
        const where = `the state's "${r.urn.slice(0, 200)}"`;
        checkUrn(r.urn, stack, where);
        if (r.delete === true) {
            throw new PlanError(`${where} is pending deletion (an interrupted replace); resolve it before a plan can be checked`);
        }
        if (out.has(r.urn)) {
            throw new PlanError(`the state lists "${r.urn}" twice`);
        }
        out.set(r.urn, { urn: r.urn, type: r.type, custom: r.custom === true, inputs: props(r.inputs, `${where} inputs`), provider: providerUrn(r.provider, where) });
    }
    return out;
}

export interface PlanResource {
    readonly urn: string;
    readonly step: PlanStep;
    readonly goal?: { readonly type: string; readonly custom: boolean; readonly provider?: string; readonly adds: Props; readonly updates: Props; readonly deletes: readonly string[] };
}

/** Reads a saved plan (apitype.DeploymentPlanV1). */
export function readPlan(doc: unknown, stack: StackRef): { resources: Map<string, PlanResource>; config: Json } {
    if (!isObject(doc) || !isObject(doc.manifest) || typeof doc.manifest.version !== "string") {
        throw new PlanError("the plan file is not a saved update plan (`pulumi preview --save-plan`): no manifest");
    }
    checkPlanFields(doc);
    const rp = doc.resourcePlans ?? {};
    if (!isObject(rp)) {
        throw new PlanError("the plan's resourcePlans is not an object");
    }
    const config = doc.config ?? {};
    if (!isObject(config)) {
        throw new PlanError("the plan's config is not an object");
    }
    const resources = new Map<string, PlanResource>();
    for (const [urn, p] of Object.entries(rp)) {
        const where = `the plan's "${urn.slice(0, 200)}"`;
        checkUrn(urn, stack, where);
        if (!isObject(p) || !Array.isArray(p.steps) || p.steps.length === 0 || !p.steps.every((s) => typeof s === "string")) {
            throw new PlanError(`${where} has no list of steps`);
        }
        const step = stepOf(urn, p.steps as string[]);
        if (p.goal === undefined || p.goal === null) {
            if (step !== "delete") {
                throw new PlanError(`${where} has no goal for its ${step} step`);
            }
            resources.set(urn, { urn, step });
            continue;
        }
        const g = p.goal;
        if (!isObject(g) || typeof g.type !== "string" || typeof g.custom !== "boolean") {
            throw new PlanError(`${where} has a goal plan check does not understand`);
        }
        const diff = g.inputDiff ?? {};
        if (!isObject(diff)) {
            throw new PlanError(`${where} has an input diff plan check does not understand`);
        }
        const deletes = diff.deletes ?? [];
        if (!Array.isArray(deletes) || !deletes.every((d) => typeof d === "string")) {
            throw new PlanError(`${where} has an input diff plan check does not understand`);
        }
        if (parseUrn(urn).type !== g.type) {
            throw new PlanError(`${where} has a goal of type "${g.type.slice(0, 100)}", not the URN's`);
        }
        resources.set(urn, {
            urn,
            step,
            goal: {
                type: g.type,
                custom: g.custom,
                provider: providerUrn(g.provider, where),
                adds: props(diff.adds, `${where} input adds`),
                updates: props(diff.updates, `${where} input updates`),
                deletes: deletes as string[],
            },
        });
    }
    return { resources, config };
}

function kindOf(type: string, custom: boolean): ResourceFacts["kind"] {
    return type.startsWith(PROVIDER_TYPE_PREFIX) ? "provider" : custom && type !== "pulumi:pulumi:Stack" ? "custom" : "component";
}

/**
 * Joins plan and state: the stack after the plan. With `destroy`, the plan is not used and every
 * resource of the state is a delete.
 */
export function plannedStack(planDoc: unknown | undefined, stateDoc: unknown, stack: StackRef): PlannedStack {
    const state = readState(stateDoc, stack);
    const plan = planDoc === undefined ? undefined : readPlan(planDoc, stack);
    const urns = [...new Set([...state.keys(), ...(plan ? plan.resources.keys() : [])])].sort();

    // Inputs after the plan, per URN, before providers are attached.
    const after = new Map<string, { type: string; custom: boolean; inputs: Props; provider?: string; step: PlanStep; changed?: string[] }>();
    for (const urn of urns) {
        const old = state.get(urn);
        if (!plan) {
            after.set(urn, { type: old!.type, custom: old!.custom, inputs: old!.inputs, provider: old!.provider, step: "delete" });
            continue;
        }
        const p = plan.resources.get(urn);
        if (!p) {
            throw new PlanError(`the state holds "${urn}", which the plan does not mention: the plan is for another state of this stack (export the state again) or was edited`);
        }
        if (p.step === "delete") {
            if (!old) {
                throw new PlanError(`the plan deletes "${urn}", which the state does not hold`);
            }
            after.set(urn, { type: old.type, custom: old.custom, inputs: old.inputs, provider: old.provider, step: "delete" });
            continue;
        }
        const g = p.goal!;
        if (p.step === "create") {
            if (old) {
                throw new PlanError(`the plan creates "${urn}", which the state already holds`);
            }
            if (g.deletes.length > 0 || Object.keys(g.updates).length > 0) {
                throw new PlanError(`the plan creates "${urn}" with an input diff plan check does not understand`);
            }
            after.set(urn, { type: g.type, custom: g.custom, inputs: g.adds, provider: g.provider, step: "create" });
            continue;
        }
        if (!old) {
            throw new PlanError(`the plan gives "${urn}" a ${p.step} step, but the state does not hold it`);
        }
        if (old.type !== g.type) {
            throw new PlanError(`the plan changes the type of "${urn}"`);
        }
        const inputs: { [k: string]: Value } = { ...old.inputs };
        for (const k of g.deletes) {
            delete inputs[k];
        }
        Object.assign(inputs, g.adds, g.updates);
        if (p.step === "same" && (g.deletes.length > 0 || Object.keys(g.adds).length > 0 || Object.keys(g.updates).length > 0)) {
            throw new PlanError(`the plan keeps "${urn}" the same but lists input changes`);
        }
        after.set(urn, { type: g.type, custom: g.custom, inputs, provider: g.provider ?? old.provider, step: p.step, changed: [...Object.keys(g.adds), ...Object.keys(g.updates), ...g.deletes] });
    }

    const providerFacts = (urn: string | undefined, from: "after" | "state"): ProviderFacts | undefined => {
        if (urn === undefined) {
            return undefined;
        }
        const r = from === "after" ? after.get(urn) : state.get(urn);
        if (!r) {
            throw new PlanError(`provider "${urn}" is in neither the plan nor the state`);
        }
        const type = parseUrn(urn).type;
        return { urn, type, name: parseUrn(urn).name, props: r.inputs };
    };
    const factsOf = (urn: string, r: { type: string; custom: boolean; inputs: Props; provider?: string }, from: "after" | "state"): ResourceFacts => {
        const kind = kindOf(r.type, r.custom);
        if (kind === "custom" && r.provider === undefined) {
            throw new PlanError(`"${urn}" names no provider`);
        }
        const provider = kind === "custom" ? providerFacts(r.provider, from) : undefined;
        return { urn, type: r.type, name: parseUrn(urn).name, kind, props: r.inputs, ...(provider ? { provider } : {}) };
    };

    const resources = urns.map((urn): PlannedResource => {
        const a = after.get(urn)!;
        // A deleted resource is judged as the state holds it, with the provider that manages it now;
        // an updated or replaced one also as it was (its old tags, its old provider's account).
        const old = state.get(urn);
        const changes = a.step === "update" || a.step === "replace";
        return {
            facts: factsOf(urn, a, a.step === "delete" ? "state" : "after"),
            step: a.step,
            ...(changes ? { changed: a.changed } : {}),
            ...(changes && old ? { before: factsOf(urn, old, "state") } : {}),
        };
    });
    const current = [...state.values()].map((r) => factsOf(r.urn, r, "state"));

    const stackConfig: Record<string, string> = {};
    const secretConfig: string[] = [];
    for (const [k, v] of Object.entries(plan?.config ?? {})) {
        if (typeof v === "string") {
            stackConfig[k] = v;
        } else if (isObject(v) && typeof v.secure === "string") {
            secretConfig.push(k);
        } else {
            stackConfig[k] = JSON.stringify(v);
        }
    }
    return { resources, current, stackConfig, secretConfig };
}
