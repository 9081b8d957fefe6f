/**
 * The named readers and procedures cost rules use where data alone cannot say it: which launch
 * template a group runs, the capacity it can grow to, the volume blocks of an instance, the
 * resource of the stack an input refers to, a budget's declared limit. Readers return a value
 * (and may record unknown inputs or notes); procedures price a sub-part (volumes) with the data
 * in ./storage.ts. Each is tested through the rules that use it (test/cost/*).
 * @internal
 */
import { ResourceFacts, UNKNOWN, Unknown, Value, containsUnknown, isUnknown } from "../../facts/facts";
import { asNumber, field, path } from "../../facts/values";
import { Calc, lookup, unpricedCost } from "../calc";
import { money } from "../../facts/format";
import type { Scope } from "../pricer";
import { asBlock, asBlocks, asCount, asText } from "../read";
import { ResourceCost } from "../types";
import { VOLUME } from "./storage";

/** A resource with the resources that feed its inputs (Pulumi's `propertyDependencies`), when known. */
export interface LinkedResourceFacts extends ResourceFacts {
    /** Input name → the resources its value comes from. Lets a group be priced by its launch template. */
    readonly dependencies?: { readonly [input: string]: readonly ResourceFacts[] };
}

type Args = { readonly [key: string]: unknown };
type Block = { [key: string]: Value };

/** Resolves an argument that names a value (`"$x"`) or is one. */
function arg(s: Scope, a: unknown): unknown {
    return s.arg(a);
}

function input(props: Value | undefined, name: string): Value | undefined {
    return field(props, name);
}

/* ------------------------------------------------------------------------------------------ */
/* Launch templates and linked resources                                                       */
/* ------------------------------------------------------------------------------------------ */

/** The launch template (or configuration) an input names, from the resource's dependencies. */
export type TemplateRef = { readonly template: ResourceFacts } | "unknown" | "outside" | undefined;

const TEMPLATE_TYPES = new Set(["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/launchConfiguration:LaunchConfiguration"]);

/** The first launch template among the dependencies of `inputs`; else whether the inputs are set and unknown. */
export function templateRef(r: LinkedResourceFacts, inputs: readonly string[]): TemplateRef {
    const deps = r.dependencies;
    let present = false;
    let unknown = false;
    for (const name of inputs) {
        const list = deps && Object.prototype.hasOwnProperty.call(deps, name) ? deps[name] : undefined;
        for (const d of Array.isArray(list) ? list : []) {
            if (d && TEMPLATE_TYPES.has(d.type)) {
                return { template: d };
            }
        }
        const v = input(r.props as Value, name);
        if (v !== undefined && v !== null) {
            present = true;
            unknown = unknown || containsUnknown(v);
        }
    }
    return !present ? undefined : unknown ? "unknown" : "outside";
}

/** The instance type of a template: a type, "none", "outside", or undefined (unknown, recorded as `inputName`). */
export function templateType(calc: Calc, ref: TemplateRef, inputName: string): string | undefined | "none" | "outside" {
    if (ref === undefined) {
        return "none";
    }
    if (ref === "unknown") {
        calc.unknownInput(inputName);
        return undefined;
    }
    if (ref === "outside") {
        return "outside";
    }
    const t = asText(input(ref.template.props as Value, "instanceType"));
    if (isUnknown(t)) {
        calc.unknownInput(`${inputName}.instanceType`);
        return undefined;
    }
    return t === undefined ? "none" : t;
}

/** The single linked resource of `type` that feeds `inputName`, or why there is none. */
export function linked(r: LinkedResourceFacts, inputName: string, type: string): ResourceFacts | "unknown" | "outside" {
    const deps = r.dependencies?.[inputName] ?? [];
    const found = deps.filter((d) => d.type === type);
    if (found.length === 1) {
        return found[0]!;
    }
    return isUnknown(input(r.props as Value, inputName)) ? "unknown" : "outside";
}

/* ------------------------------------------------------------------------------------------ */
/* Capacity                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/**
 * The capacity a group can grow to: its maximum (an autoscaling policy, a scheduled action or a
 * person can scale it there without another preview), else desired capacity, else the minimum.
 */
export function groupCapacity(calc: Calc, props: Value | undefined, maxName: string, desiredName: string, minName: string): { count: number; from: string } | undefined {
    const max = asCount(input(props, maxName));
    if (isUnknown(max)) {
        calc.unknownInput(maxName);
        return undefined;
    }
    if (max !== undefined) {
        return { count: Math.ceil(max), from: `${maxName} (the ceiling it can scale to)` };
    }
    const desired = asCount(input(props, desiredName));
    if (isUnknown(desired)) {
        calc.unknownInput(desiredName);
        return undefined;
    }
    if (desired !== undefined) {
        return { count: Math.ceil(desired), from: `${desiredName} (no ${maxName})` };
    }
    const min = asCount(input(props, minName));
    if (isUnknown(min)) {
        calc.unknownInput(minName);
        return undefined;
    }
    return { count: Math.ceil(min ?? 0), from: min === undefined ? `${desiredName} unset` : `${minName} (no ${maxName} or ${desiredName})` };
}

/** The instance types of an autoscaling group's mixed-instances overrides (notes what it assumes). */
function mixedOverrides(s: Scope): string[] | undefined {
    const { calc } = s;
    const lt = asBlock(path(s.ctx.props as Value, "mixedInstancesPolicy", "launchTemplate"));
    const overrides = isUnknown(lt) ? UNKNOWN : lt ? asBlocks(lt.overrides) : undefined;
    if (isUnknown(overrides)) {
        calc.unknownInput("mixedInstancesPolicy");
        return undefined;
    }
    if (!overrides || overrides.length === 0) {
        return undefined;
    }
    const ts: string[] = [];
    for (const o of overrides) {
        const t = isUnknown(o) ? UNKNOWN : asText(o.instanceType);
        if (isUnknown(t)) {
            calc.unknownInput("mixedInstancesPolicy.launchTemplate.overrides.instanceType");
        } else if (t !== undefined) {
            ts.push(t);
        }
        if (!isUnknown(o) && o.weightedCapacity !== undefined) {
            calc.note("weightedCapacity ignored: one instance per capacity unit (upper bound)");
        }
    }
    if (ts.length === 0) {
        return undefined;
    }
    if (ts.length > 1) {
        calc.note(`any of ${ts.join(", ")}: priced at the dearest (upper bound)`);
    }
    return ts;
}

/* ------------------------------------------------------------------------------------------ */
/* Volumes                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/** An EBS volume as priced. */
export interface VolumeSpec {
    readonly type: string;
    readonly sizeGiB: number;
    readonly iops?: number;
    readonly throughput?: number;
}

/** Field names of a volume block. */
interface VolumeFields {
    readonly size: string;
    readonly type: string;
    readonly iops: string;
    readonly throughput: string;
}

const BLOCK_FIELDS: VolumeFields = { size: "volumeSize", type: "volumeType", iops: "iops", throughput: "throughput" };
const VOLUME_FIELDS: VolumeFields = { size: "size", type: "type", iops: "iops", throughput: "throughput" };

/**
 * Reads a volume block. Returns undefined when it has no size (the size then comes from a
 * snapshot or the AMI), recording unknown inputs under `where`.
 */
export function readVolume(calc: Calc, block: Block | Unknown | undefined, f: VolumeFields, defaultType: string, where: string): VolumeSpec | undefined {
    if (block === undefined) {
        return undefined;
    }
    if (isUnknown(block)) {
        calc.unknownInput(where);
        return undefined;
    }
    const size = asCount(block[f.size]);
    const type = asText(block[f.type]);
    const iops = asCount(block[f.iops]);
    const throughput = asCount(block[f.throughput]);
    for (const [name, v] of [
        [f.size, size],
        [f.type, type],
        [f.iops, iops],
        [f.throughput, throughput],
    ] as const) {
        if (isUnknown(v)) {
            calc.unknownInput(where ? `${where}.${name}` : name);
        }
    }
    if (typeof size !== "number" || isUnknown(type) || isUnknown(iops) || isUnknown(throughput)) {
        return undefined;
    }
    return {
        type: (type ?? defaultType).toLowerCase(),
        sizeGiB: size,
        ...(iops !== undefined ? { iops } : {}),
        ...(throughput !== undefined ? { throughput } : {}),
    };
}

/** Prices `count` volumes with the components of ./storage.ts; false when the volume type has no price. */
export function priceVolume(s: Scope, v: VolumeSpec, count: number, label: string): boolean {
    s.vars.set("vol", v);
    s.vars.set("volCount", count);
    s.vars.set("volLabel", label);
    return s.run(VOLUME) !== "abort";
}

/** Root volume size assumed when the AMI decides it (Amazon Linux and Ubuntu AMIs: 8 GiB). */
export const DEFAULT_ROOT_GB = 8;

/** Prices the EBS volumes an instance or launch template declares with a size. */
export function instanceVolumes(s: Scope, props: Block, count: number, where: string): void {
    const { calc } = s;
    const blocks: { block: Block | Unknown | undefined; where: string }[] = [];
    const root = asBlock(input(props, "rootBlockDevice"));
    if (root !== undefined) {
        blocks.push({ block: root, where: `${where}rootBlockDevice` });
    }
    const ebs = asBlocks(input(props, "ebsBlockDevices"));
    if (isUnknown(ebs)) {
        calc.unknownInput(`${where}ebsBlockDevices`);
    } else {
        for (const b of ebs ?? []) {
            blocks.push({ block: b, where: `${where}ebsBlockDevices` });
        }
    }
    const mappings = asBlocks(input(props, "blockDeviceMappings"));
    if (isUnknown(mappings)) {
        calc.unknownInput(`${where}blockDeviceMappings`);
    } else {
        for (const m of mappings ?? []) {
            if (isUnknown(m)) {
                calc.unknownInput(`${where}blockDeviceMappings`);
                continue;
            }
            const e = asBlock(m.ebs);
            if (e !== undefined) {
                blocks.push({ block: e, where: `${where}blockDeviceMappings.ebs` });
            }
        }
    }
    let sized = 0;
    const rootSized = root !== undefined && !isUnknown(root) && root.volumeSize !== undefined;
    const mapped = isUnknown(mappings) || (mappings ?? []).length > 0;
    if (!rootSized && !mapped && !isUnknown(root)) {
        // The root volume's size comes from the AMI; price the documented default (docs/cost.md).
        const rootType = root !== undefined && typeof root.volumeType === "string" ? root.volumeType : "gp2";
        if (priceVolume(s, { type: rootType, sizeGiB: DEFAULT_ROOT_GB }, count, "root ")) {
            calc.note(`root volume size from the AMI: priced at the ${DEFAULT_ROOT_GB} GiB default`);
            sized++;
        }
    }
    for (const b of blocks) {
        const v = readVolume(calc, b.block, BLOCK_FIELDS, "gp2", b.where);
        if (!v) {
            continue;
        }
        if (!isUnknown(b.block) && b.block !== undefined && b.block.volumeType === undefined) {
            calc.note("volume type from the AMI, priced as gp2");
        }
        if (priceVolume(s, v, count, "")) {
            sized++;
        } else {
            calc.unpriced(`volume type ${JSON.stringify(v.type)}`);
        }
    }
    if (sized === 0) {
        calc.note("volumes sized by the AMI are not priced");
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Other inputs                                                                                */
/* ------------------------------------------------------------------------------------------ */

/** DynamoDB provisioned read and write capacity, the table's and its global secondary indexes'. */
function provisionedCapacity(s: Scope): { rcu: number; wcu: number } {
    const { calc } = s;
    let rcu = 0;
    let wcu = 0;
    const add = (props: Block, where: string) => {
        const r = asCount(props.readCapacity);
        const w = asCount(props.writeCapacity);
        if (isUnknown(r)) {
            calc.unknownInput(`${where}readCapacity`);
        } else {
            rcu += r ?? 0;
        }
        if (isUnknown(w)) {
            calc.unknownInput(`${where}writeCapacity`);
        } else {
            wcu += w ?? 0;
        }
    };
    add(s.ctx.props as Block, "");
    const gsis = asBlocks(input(s.ctx.props as Value, "globalSecondaryIndexes"));
    if (isUnknown(gsis)) {
        calc.unknownInput("globalSecondaryIndexes");
    } else {
        for (const g of gsis ?? []) {
            if (isUnknown(g)) {
                calc.unknownInput("globalSecondaryIndexes");
            } else {
                add(g, "globalSecondaryIndexes.");
            }
        }
    }
    return { rcu, wcu };
}

/**
 * Whether an ECS service runs on Fargate, and whether a capacity provider is unknown. A service
 * that names neither a launch type nor a capacity provider runs on its cluster's default
 * strategy, which may be Fargate: it is priced as Fargate (`assumed`), an upper bound.
 */
function ecsCapacity(s: Scope): { fargate: boolean; unsure: boolean; assumed: boolean } {
    const launch = asText(input(s.ctx.props as Value, "launchType"));
    const strategy = asBlocks(input(s.ctx.props as Value, "capacityProviderStrategies"));
    const providers = (isUnknown(strategy) ? [] : (strategy ?? [])).map((b) => (isUnknown(b) ? "?" : String(asText(b.capacityProvider) ?? "?")));
    const type = typeof launch === "string" ? launch.toUpperCase() : "";
    const assumed = type === "" && providers.length === 0;
    return {
        fargate: assumed || type === "FARGATE" || providers.some((p) => p.toUpperCase().startsWith("FARGATE")),
        unsure: providers.includes("?") || !["", "FARGATE", "EC2", "EXTERNAL"].includes(type),
        assumed,
    };
}

/** The TLDs a domain name may be priced by, longest first (`co.uk`, then `uk`), and its last label. */
function domainSuffixes(name: string): { tlds: string[]; last: string } {
    const labels = name.toLowerCase().replace(/\.$/, "").split(".");
    const tlds: string[] = [];
    for (let i = 1; i < labels.length; i++) {
        tlds.push(labels.slice(i).join("."));
    }
    return { tlds, last: labels.slice(-1)[0] ?? "" };
}

/** Months in a budget period, to turn its limit into a monthly figure. */
const PERIOD_MONTHS: { readonly [unit: string]: number } = { DAILY: 24 / 730, MONTHLY: 1, QUARTERLY: 3, ANNUALLY: 12, CUSTOM: 1 };

/** A budget's declared monthly limit in USD (unknown when it cannot be known), and the basis text. */
export function declaredBudget(props: Value): { basis: string; usd?: number | Unknown } {
    const kind = asText(input(props, "budgetType"));
    if (isUnknown(kind)) {
        return { basis: "budget type unknown at preview", usd: UNKNOWN };
    }
    if (kind !== undefined && kind !== "COST") {
        return { basis: `${kind} budget: declares no spend in USD` };
    }
    const unit = asText(input(props, "timeUnit"));
    if (isUnknown(unit)) {
        return { basis: "budget period unknown at preview", usd: UNKNOWN };
    }
    const months = PERIOD_MONTHS[(unit ?? "MONTHLY").toUpperCase()] ?? 1;
    let amount = asNumber(input(props, "limitAmount"));
    let currency = asText(input(props, "limitUnit"));
    const planned = asBlocks(input(props, "plannedLimits"));
    if (amount === undefined) {
        if (isUnknown(planned)) {
            amount = UNKNOWN;
        } else if (planned && planned.length > 0) {
            // Planned limits vary by period: the largest is the declared ceiling.
            let max = 0;
            for (const p of planned) {
                const a = isUnknown(p) ? UNKNOWN : asNumber(p.amount);
                const u = isUnknown(p) ? UNKNOWN : asText(p.unit);
                if (isUnknown(a) || isUnknown(u)) {
                    amount = UNKNOWN;
                    break;
                }
                if (u !== undefined && u !== "USD") {
                    currency = u;
                }
                max = Math.max(max, a ?? 0);
            }
            if (!isUnknown(amount)) {
                amount = max;
                currency = currency ?? "USD";
            }
        }
    }
    if (isUnknown(amount) || isUnknown(currency)) {
        return { basis: "budget limit unknown at preview", usd: UNKNOWN };
    }
    if (amount === undefined) {
        return { basis: "budget limit not fixed (auto-adjusting): unknown at preview", usd: UNKNOWN };
    }
    if ((currency ?? "USD").toUpperCase() !== "USD") {
        return { basis: `budget limit in ${JSON.stringify(String(currency))}, not USD: cannot compare`, usd: UNKNOWN };
    }
    const monthlyLimit = Math.round((amount / months) * 100) / 100;
    const period = months === 1 && (unit ?? "MONTHLY").toUpperCase() === "MONTHLY" ? "" : ` (${money(amount)} ${(unit ?? "").toLowerCase()})`;
    return { basis: `declares a budget of ${money(monthlyLimit)}/month${period}; budgets themselves are free`, usd: monthlyLimit };
}

/** Named readers, by the name rules use. */
export const READERS: { readonly [name: string]: (s: Scope, args: Args) => unknown } = {
    /** `{inputs}` → the launch template those inputs name (see {@link templateRef}). */
    templateRef: (s, a) => templateRef(s.ctx.r as LinkedResourceFacts, a.inputs as string[]),
    /** `{ref, input}` → the template's instance type, "none", "outside" or undefined (unknown). */
    templateType: (s, a) => templateType(s.calc, arg(s, a.ref) as TemplateRef, String(arg(s, a.input))),
    /** `{ref}` → the template's inputs, when it is a resource of this stack. */
    templateProps: (s, a) => {
        const ref = arg(s, a.ref) as TemplateRef;
        return typeof ref === "object" ? ref.template.props : undefined;
    },
    /** `{template}` → `{props, where}`: an instance's own volume blocks, else its launch template's. */
    volumeSource: (s, a) => {
        const own = ["rootBlockDevice", "ebsBlockDevices", "blockDeviceMappings"].some((k) => input(s.ctx.props as Value, k) !== undefined);
        const template = arg(s, a.template) as Block | undefined;
        return own || !template ? { props: s.ctx.props, where: "" } : { props: template, where: "launchTemplate." };
    },
    /** `{inputs}` → the first of those inputs that is set, else the first name. */
    firstPresent: (s, a) => {
        const names = a.inputs as string[];
        return names.find((n) => input(s.ctx.props as Value, n) !== undefined) ?? names[0];
    },
    /** `{from?, max, desired, min, prefix?}` → `{count, from}` (see {@link groupCapacity}). */
    capacity: (s, a) => {
        const props = a.from === undefined ? (s.ctx.props as Value) : (arg(s, a.from) as Value | undefined);
        const n = groupCapacity(s.calc, props ?? {}, a.max as string, a.desired as string, a.min as string);
        return n && a.prefix ? { ...n, from: `${String(a.prefix)}${n.from}` } : n;
    },
    mixedOverrides,
    /** `{input, type}` → the linked resource of that type, "unknown" or "outside". */
    linked: (s, a) => linked(s.ctx.r as LinkedResourceFacts, a.input as string, a.type as string),
    /** Whether the resource came with its dependencies (then an unknown reference is outside the stack). */
    hasDependencies: (s) => (s.ctx.r as LinkedResourceFacts).dependencies !== undefined,
    /** `{name}` → `{tlds, last}`. */
    domainSuffixes: (s, a) => domainSuffixes(String(arg(s, a.name))),
    declaredBudget: (s) => declaredBudget(s.ctx.props as Value),
    ecsCapacity,
    provisionedCapacity,
    /** `{where}` → the volume the resource's own `size`/`type`/`iops`/`throughput` describe. */
    volume: (s, a) => readVolume(s.calc, s.ctx.props as Block, VOLUME_FIELDS, "gp2", String(a.where ?? "")),
    /** The monthly sum of the components priced so far. */
    total: (s) => s.calc.total,
    /** `{table, key}` → a unit price, without adding it. */
    priceOf: (s, a) => {
        return lookup(s.ctx, String(a.table), String(a.key))?.price.usd;
    },
};

/** Named procedures, by the name rules use. */
export const PROCEDURES: { readonly [name: string]: (s: Scope, args: Args) => ResourceCost | "abort" | undefined } = {
    /** `{props, where, count}`: the sized volumes an instance or launch template declares. */
    instanceVolumes: (s, a) => {
        instanceVolumes(s, (arg(s, a.props) ?? {}) as Block, Number(arg(s, a.count)), String(arg(s, a.where) ?? ""));
        return undefined;
    },
    /** `{v, count, label, missing}`: one volume; unpriced with the text `missing` when its type has no price. */
    volume: (s, a) => (priceVolume(s, arg(s, a.v) as VolumeSpec, Number(arg(s, a.count)), String(a.label ?? "")) ? undefined : unpricedCost(s.ctx, s.fill(String(a.missing)))),
};
