/**
 * One pricing rule per resource type. A rule reads the inputs that decide the price, looks the
 * prices up in the snapshot and says how it got there. Rules never throw on odd inputs: a value
 * they cannot use makes the resource `unpriced`, a value unknown at preview makes it `unknown`.
 * @internal
 */
import { Props, ResourceFacts, UNKNOWN, Unknown, Value, containsUnknown, isUnknown } from "../facts/facts";
import { asList, asNumber, asString, field, path } from "../facts/values";
import { Calc, Ctx, lookup, plainCost, unknownCost, unpricedCost } from "./calc";
import { money, num, rate } from "../facts/format";
import { asBlock, asBlocks, asBool, asCount, asText } from "./read";
import { Purchase, ResourceCost } from "./types";

/** A resource with the resources that feed its inputs (Pulumi's `propertyDependencies`), when known. */
export interface LinkedResourceFacts extends ResourceFacts {
    /** Input name → the resources its value comes from. Lets a group be priced by its launch template. */
    readonly dependencies?: { readonly [input: string]: readonly ResourceFacts[] };
}

/** Prices one resource. */
export type Rule = (ctx: Ctx) => ResourceCost;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

function input(props: Props | { [key: string]: Value }, name: string): Value | undefined {
    return field(props as Value, name);
}

function quote(s: string): string {
    return JSON.stringify(s);
}

/** Prices `count` instances of `type`; false when the snapshot has no price for the type. */
function addInstances(ctx: Ctx, calc: Calc, type: string, count: number): boolean {
    const f = lookup(ctx, "ec2", type);
    if (!f) {
        return false;
    }
    calc.add(f, count * ctx.hours * f.price.usd, `${count === 1 ? "" : `${num(count)} × `}${type} × ${ctx.hours} h × ${rate(f.price.usd)}/h`);
    return true;
}

function noInstancePrice(ctx: Ctx, type: string, purchase?: Purchase): ResourceCost {
    return unpricedCost(ctx, `no price in the snapshot for instance type ${quote(type)} (${ctx.region.region} or us-east-1)`, purchase);
}

/** An EBS volume as priced. */
interface VolumeSpec {
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

/**
 * Reads a volume block. Returns undefined when it has no size (the size then comes from a
 * snapshot or the AMI), recording unknown inputs under `where`.
 */
function readVolume(calc: Calc, block: { [key: string]: Value } | Unknown | undefined, f: VolumeFields, defaultType: string, where: string): VolumeSpec | undefined {
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

/** Prices `count` volumes; false when the volume type has no price. */
function addVolume(ctx: Ctx, calc: Calc, v: VolumeSpec, count: number, label: string): boolean {
    const gb = lookup(ctx, "ebs", `${v.type}:gb`);
    if (!gb) {
        return false;
    }
    const times = count === 1 ? "" : `${num(count)} × `;
    calc.add(gb, count * v.sizeGiB * gb.price.usd, `${times}${label}${num(v.sizeGiB)} GiB ${v.type} × ${rate(gb.price.usd)}/GB-month`);
    if (v.type === "gp3") {
        const extraIops = Math.max(0, (v.iops ?? 3000) - 3000);
        const extraTp = Math.max(0, (v.throughput ?? 125) - 125);
        const pi = extraIops > 0 ? lookup(ctx, "ebs", "gp3:iops") : undefined;
        if (pi) {
            calc.add(pi, count * extraIops * pi.price.usd, `${times}${num(extraIops)} IOPS above 3,000 × ${rate(pi.price.usd)}/IOPS-month`);
        } else if (extraIops > 0) {
            calc.unpriced("gp3 IOPS");
        }
        const pt = extraTp > 0 ? lookup(ctx, "ebs", "gp3:throughput") : undefined;
        if (pt) {
            calc.add(pt, count * extraTp * pt.price.usd, `${times}${num(extraTp)} MiB/s above 125 × ${rate(pt.price.usd)}/MiB/s-month`);
        } else if (extraTp > 0) {
            calc.unpriced("gp3 throughput");
        }
    } else if (v.type === "io1" || v.type === "io2") {
        if (v.iops === undefined) {
            calc.note(`${v.type} IOPS not set (not priced)`);
        } else {
            const tiers: [string, number, number][] =
                v.type === "io1"
                    ? [["io1:iops", 0, Infinity]]
                    : [
                          ["io2:iops", 0, 32000],
                          ["io2:iops-tier2", 32000, 64000],
                          ["io2:iops-tier3", 64000, Infinity],
                      ];
            for (const [key, from, to] of tiers) {
                const n = Math.max(0, Math.min(v.iops, to) - from);
                if (n <= 0) {
                    continue;
                }
                const p = lookup(ctx, "ebs", key);
                if (p) {
                    calc.add(p, count * n * p.price.usd, `${times}${num(n)} IOPS × ${rate(p.price.usd)}/IOPS-month`);
                } else {
                    calc.unpriced(`${v.type} IOPS`);
                }
            }
        }
    }
    return true;
}

/** Root volume size assumed when the AMI decides it (Amazon Linux and Ubuntu AMIs: 8 GiB). */
export const DEFAULT_ROOT_GB = 8;

/** Prices the EBS volumes an instance or launch template declares with a size. */
function addInstanceVolumes(ctx: Ctx, calc: Calc, props: { [key: string]: Value }, count: number, where: string): void {
    const blocks: { block: { [key: string]: Value } | Unknown | undefined; where: string }[] = [];
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
        if (addVolume(ctx, calc, { type: rootType, sizeGiB: DEFAULT_ROOT_GB }, count, "root ")) {
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
        if (addVolume(ctx, calc, v, count, "")) {
            sized++;
        } else {
            calc.unpriced(`volume type ${quote(v.type)}`);
        }
    }
    if (sized === 0) {
        calc.note("volumes sized by the AMI are not priced");
    }
}

/** Volumes come from the instance's own block devices, else from its launch template's. */
function volumeSource(props: Props, template: ResourceFacts | undefined): { props: { [key: string]: Value }; where: string } {
    const own = ["rootBlockDevice", "ebsBlockDevices", "blockDeviceMappings"].some((k) => input(props, k) !== undefined);
    return own || !template ? { props: props as { [key: string]: Value }, where: "" } : { props: template.props as { [key: string]: Value }, where: "launchTemplate." };
}

/** The launch template (or configuration) an input names, from the resource's dependencies. */
type TemplateRef = { readonly template: ResourceFacts } | "unknown" | "outside" | undefined;

const TEMPLATE_TYPES = new Set(["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/launchConfiguration:LaunchConfiguration"]);

function templateFor(ctx: Ctx, inputs: readonly string[]): TemplateRef {
    const deps = (ctx.r as LinkedResourceFacts).dependencies;
    let present = false;
    let unknown = false;
    for (const name of inputs) {
        const list = deps && Object.prototype.hasOwnProperty.call(deps, name) ? deps[name] : undefined;
        for (const d of Array.isArray(list) ? list : []) {
            if (d && TEMPLATE_TYPES.has(d.type)) {
                return { template: d };
            }
        }
        const v = input(ctx.props, name);
        if (v !== undefined && v !== null) {
            present = true;
            unknown = unknown || containsUnknown(v);
        }
    }
    return !present ? undefined : unknown ? "unknown" : "outside";
}

/** The instance type of a template, or why there is none. */
function templateType(calc: Calc, ref: TemplateRef, inputName: string): string | undefined | "none" | "outside" {
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
    const t = asText(input(ref.template.props, "instanceType"));
    if (isUnknown(t)) {
        calc.unknownInput(`${inputName}.instanceType`);
        return undefined;
    }
    return t === undefined ? "none" : t;
}

/* ------------------------------------------------------------------------------------------ */
/* Compute                                                                                     */
/* ------------------------------------------------------------------------------------------ */

function ec2Instance(ctx: Ctx, spot = false): ResourceCost {
    const calc = new Calc(ctx);
    const given = asText(input(ctx.props, "instanceType"));
    let type: string | undefined;
    let template: ResourceFacts | undefined;
    if (isUnknown(given)) {
        calc.unknownInput("instanceType");
    } else if (given !== undefined) {
        type = given;
    } else {
        const ref = templateFor(ctx, ["launchTemplate"]);
        const t = templateType(calc, ref, "launchTemplate");
        if (t === "outside") {
            return unpricedCost(ctx, "instance type comes from a launch template outside this stack");
        }
        if (t === "none") {
            return unpricedCost(ctx, "no instanceType (and none in a launch template of this stack)");
        }
        type = t;
        template = typeof ref === "object" ? ref.template : undefined;
    }
    const tenancy = asText(input(ctx.props, "tenancy"));
    if (tenancy === "host") {
        return unpricedCost(ctx, "dedicated-host tenancy is billed per host, not priced");
    }
    if (tenancy === "dedicated") {
        calc.note("dedicated tenancy priced at the shared rate (lower bound)");
    }
    const market = asText(path(ctx.props as Value, "instanceMarketOptions", "marketType"));
    if (spot || market === "spot") {
        calc.note("spot capacity priced at the on-demand rate (upper bound)");
    }
    if (type !== undefined && !calc.hasUnknown) {
        if (!addInstances(ctx, calc, type, 1)) {
            return noInstancePrice(ctx, type);
        }
    }
    const vols = volumeSource(ctx.props, template);
    addInstanceVolumes(ctx, calc, vols.props, 1, vols.where);
    if (asBool(input(ctx.props, "associatePublicIpAddress")) === true) {
        const ip = lookup(ctx, "network", "public_ipv4_in_use");
        if (ip) {
            calc.add(ip, ctx.hours * ip.price.usd, `public IPv4 × ${ctx.hours} h × ${rate(ip.price.usd)}/h`);
        } else {
            calc.unpriced("public IPv4 address");
        }
    }
    calc.note("Linux; licensed OS, data transfer and usage not included");
    return calc.result();
}

/**
 * The capacity a group can grow to: its maximum (an autoscaling policy, a scheduled action or a
 * person can scale it there without another preview), else desired capacity, else the minimum.
 */
function groupCount(calc: Calc, props: Props | { [key: string]: Value }, maxName: string, desiredName: string, minName: string): { count: number; from: string } | undefined {
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

/** Picks the dearest of several instance types (an upper bound when a group may run any of them). */
function dearest(ctx: Ctx, types: readonly string[]): { type: string; hourly: number } | { missing: string } {
    let best: { type: string; hourly: number } | undefined;
    for (const t of types) {
        const f = lookup(ctx, "ec2", t);
        if (!f) {
            return { missing: t };
        }
        if (!best || f.price.usd > best.hourly) {
            best = { type: t, hourly: f.price.usd };
        }
    }
    return best ?? { missing: "(none)" };
}

function autoscalingGroup(ctx: Ctx): ResourceCost {
    const calc = new Calc(ctx);
    const n = groupCount(calc, ctx.props, "maxSize", "desiredCapacity", "minSize");
    // Instance types: mixed-instances overrides, else the launch template, else the launch configuration.
    let types: string[] | undefined;
    let template: ResourceFacts | undefined;
    const lt = asBlock(path(ctx.props as Value, "mixedInstancesPolicy", "launchTemplate"));
    const overrides = isUnknown(lt) ? UNKNOWN : lt ? asBlocks(lt.overrides) : undefined;
    if (isUnknown(overrides)) {
        calc.unknownInput("mixedInstancesPolicy");
    } else if (overrides && overrides.length > 0) {
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
        if (ts.length > 0) {
            types = ts;
            if (ts.length > 1) {
                calc.note(`any of ${ts.join(", ")}: priced at the dearest (upper bound)`);
            }
        }
    }
    if (types === undefined && !calc.hasUnknown) {
        const ref = templateFor(ctx, ["launchTemplate", "mixedInstancesPolicy", "launchConfiguration"]);
        const t = templateType(calc, ref, firstPresent(ctx, ["launchTemplate", "mixedInstancesPolicy", "launchConfiguration"]));
        if (t === "outside") {
            return unpricedCost(ctx, "instance type comes from a launch template outside this stack");
        }
        if (t === "none") {
            return unpricedCost(ctx, "no instance type in the group or a launch template of this stack (instance requirements are not priced)");
        }
        if (t !== undefined) {
            types = [t];
            template = typeof ref === "object" ? ref.template : undefined;
        }
    }
    if (calc.hasUnknown || !n || !types) {
        return calc.result();
    }
    const pick = dearest(ctx, types);
    if ("missing" in pick) {
        return noInstancePrice(ctx, pick.missing);
    }
    addInstances(ctx, calc, pick.type, n.count);
    calc.note(`${n.from}: ${num(n.count)}`);
    if (template) {
        addInstanceVolumes(ctx, calc, template.props as { [key: string]: Value }, n.count, "launchTemplate.");
    } else {
        calc.note("volumes not priced (no launch template of this stack)");
    }
    calc.note("Linux on-demand; data transfer and usage not included");
    return calc.result();
}

function firstPresent(ctx: Ctx, names: readonly string[]): string {
    return names.find((n) => input(ctx.props, n) !== undefined) ?? names[0];
}

function eksNodeGroup(ctx: Ctx): ResourceCost {
    const calc = new Calc(ctx);
    const scaling = asBlock(input(ctx.props, "scalingConfig"));
    let n: { count: number; from: string } | undefined;
    if (isUnknown(scaling)) {
        calc.unknownInput("scalingConfig");
    } else {
        n = groupCount(calc, scaling ?? {}, "maxSize", "desiredSize", "minSize");
        if (n) {
            n = { ...n, from: `scalingConfig.${n.from}` };
        }
    }
    let types: string[] | undefined;
    const listed = asList(input(ctx.props, "instanceTypes"));
    if (isUnknown(listed) || (listed ?? []).some(isUnknown)) {
        calc.unknownInput("instanceTypes");
    } else if (listed && listed.length > 0) {
        types = listed.map((v) => asString(v)).filter((s): s is string => typeof s === "string");
    }
    if (types === undefined && !calc.hasUnknown) {
        const ref = templateFor(ctx, ["launchTemplate"]);
        const t = templateType(calc, ref, "launchTemplate");
        if (t === "outside") {
            return unpricedCost(ctx, "instance type comes from a launch template outside this stack");
        }
        if (t === "none") {
            types = ["t3.medium"];
            calc.note("instanceTypes unset: EKS default t3.medium");
        } else if (t !== undefined) {
            types = [t];
        }
    }
    if (calc.hasUnknown || !n || !types) {
        return calc.result();
    }
    const pick = dearest(ctx, types);
    if ("missing" in pick) {
        return noInstancePrice(ctx, pick.missing);
    }
    addInstances(ctx, calc, pick.type, n.count);
    calc.note(`${n.from}: ${num(n.count)}`);
    if (types.length > 1) {
        calc.note(`any of ${types.join(", ")}: priced at the dearest (upper bound)`);
    }
    if (asText(input(ctx.props, "capacityType")) === "SPOT") {
        calc.note("spot capacity priced at the on-demand rate (upper bound)");
    }
    calc.note("node disks and data transfer not included");
    return calc.result();
}

function capacityReservation(ctx: Ctx): ResourceCost {
    const calc = new Calc(ctx);
    const type = asText(input(ctx.props, "instanceType"));
    const count = asCount(input(ctx.props, "instanceCount"));
    const what = (t: string, c: string) => `an EC2 capacity reservation of ${c} × ${t}`;
    if (isUnknown(type)) {
        calc.unknownInput("instanceType");
    }
    if (isUnknown(count)) {
        calc.unknownInput("instanceCount");
    }
    if (isUnknown(type) || isUnknown(count) || type === undefined) {
        const purchase: Purchase = { what: what(typeof type === "string" ? type : "instances", typeof count === "number" ? num(count) : "N") };
        return calc.hasUnknown ? calc.result({ purchase }) : unpricedCost(ctx, "no instanceType", purchase);
    }
    const c = count ?? 1;
    const platform = asText(input(ctx.props, "instancePlatform"));
    if (typeof platform === "string" && platform !== "Linux/UNIX") {
        calc.note(`platform ${quote(platform)} priced at the Linux rate (lower bound)`);
    }
    if (!addInstances(ctx, calc, type, c)) {
        return noInstancePrice(ctx, type, { what: what(type, num(c)) });
    }
    calc.note("billed at the on-demand rate whether used or not");
    const monthly = calc.total;
    return calc.result({
        purchase: { what: what(type, num(c)), usd: Math.round(monthly * 100) / 100, basis: "per month at the on-demand rate, billed whether used or not" },
    });
}

/* ------------------------------------------------------------------------------------------ */
/* Storage and databases                                                                       */
/* ------------------------------------------------------------------------------------------ */

function ebsVolume(ctx: Ctx): ResourceCost {
    const calc = new Calc(ctx);
    const size = asCount(input(ctx.props, "size"));
    if (size === undefined && !isUnknown(size)) {
        if (input(ctx.props, "snapshotId") !== undefined) {
            return unpricedCost(ctx, "size comes from the snapshot (not priced)");
        }
        return unpricedCost(ctx, "no size");
    }
    const v = readVolume(calc, ctx.props as { [key: string]: Value }, { size: "size", type: "type", iops: "iops", throughput: "throughput" }, "gp2", "");
    if (!v) {
        return calc.result();
    }
    if (input(ctx.props, "type") === undefined) {
        calc.note("type unset: EBS default gp2");
    }
    if (!addVolume(ctx, calc, v, 1, "")) {
        return unpricedCost(ctx, `no price in the snapshot for volume type ${quote(v.type)}`);
    }
    return calc.result();
}

/** RDS engine → price table engine. */
function rdsEngine(engine: string): "mysql" | "postgres" | undefined {
    const e = engine.toLowerCase();
    if (e === "mysql" || e === "mariadb") {
        return "mysql";
    }
    if (e === "postgres" || e === "postgresql") {
        return "postgres";
    }
    return undefined;
}

function rdsInstance(ctx: Ctx): ResourceCost {
    const calc = new Calc(ctx);
    const cls = asText(input(ctx.props, "instanceClass"));
    const engine = asText(input(ctx.props, "engine"));
    const multi = asBool(input(ctx.props, "multiAz"));
    if (isUnknown(cls)) {
        calc.unknownInput("instanceClass");
    }
    if (isUnknown(engine)) {
        calc.unknownInput("engine");
    }
    if (isUnknown(multi)) {
        calc.unknownInput("multiAz");
    }
    if (isUnknown(cls) || isUnknown(engine) || isUnknown(multi)) {
        return calc.result();
    }
    if (cls === undefined) {
        return unpricedCost(ctx, "no instanceClass");
    }
    const az = multi === true ? "multi" : "single";
    let engines: ("mysql" | "postgres")[];
    if (engine === undefined) {
        engines = ["mysql", "postgres"];
        calc.note("engine unset (a replica takes its source's): priced at the dearer of MySQL and PostgreSQL");
    } else {
        const e = rdsEngine(engine);
        if (!e) {
            return unpricedCost(ctx, `no price in the snapshot for RDS engine ${quote(engine)} (only MySQL, MariaDB and PostgreSQL are priced)`);
        }
        if (engine.toLowerCase() === "mariadb") {
            calc.note("MariaDB priced at the MySQL rate");
        }
        engines = [e];
    }
    let best: { found: NonNullable<ReturnType<typeof lookup>>; engine: string; usd: number; derived: boolean } | undefined;
    for (const e of engines) {
        let f = lookup(ctx, `rds:${e}:${az}`, cls);
        let usd = f?.price.usd ?? 0;
        let derived = false;
        if (!f && az === "multi") {
            f = lookup(ctx, `rds:${e}:single`, cls);
            usd = (f?.price.usd ?? 0) * 2;
            derived = true;
        }
        if (f && (!best || usd > best.usd)) {
            best = { found: f, engine: e, usd, derived };
        }
    }
    if (!best) {
        return unpricedCost(ctx, `no price in the snapshot for ${quote(cls)} (${engines.join("/")}, ${az === "multi" ? "Multi-AZ" : "Single-AZ"})`);
    }
    const label = `${cls} ${best.engine === "mysql" ? "MySQL" : "PostgreSQL"} ${az === "multi" ? "Multi-AZ" : "Single-AZ"}`;
    calc.add(
        best.found,
        ctx.hours * best.usd,
        best.derived
            ? `${label} × ${ctx.hours} h × 2 × ${rate(best.found.price.usd)}/h (Single-AZ price doubled: no Multi-AZ price)`
            : `${label} × ${ctx.hours} h × ${rate(best.usd)}/h`,
    );
    // Storage.
    const storage = asCount(input(ctx.props, "allocatedStorage"));
    const stype = asText(input(ctx.props, "storageType"));
    const iops = asCount(input(ctx.props, "iops"));
    if (isUnknown(storage)) {
        calc.unknownInput("allocatedStorage");
    } else if (isUnknown(stype)) {
        calc.unknownInput("storageType");
    } else if (isUnknown(iops)) {
        calc.unknownInput("iops");
    } else if (storage === undefined) {
        calc.note("storage size unset (a replica's or snapshot's): not priced");
    } else {
        const t = (stype ?? (iops !== undefined ? "io1" : "gp2")).toLowerCase();
        const gb = lookup(ctx, "rds_storage", `${t}:gb:${az}`);
        if (!gb) {
            calc.unpriced(`${t} storage`);
        } else {
            calc.add(gb, storage * gb.price.usd, `${num(storage)} GB ${t} × ${rate(gb.price.usd)}/GB-month`);
            if (t === "io1" && iops !== undefined) {
                const pi = lookup(ctx, "rds_storage", `io1:iops:${az}`);
                if (pi) {
                    calc.add(pi, iops * pi.price.usd, `${num(iops)} IOPS × ${rate(pi.price.usd)}/IOPS-month`);
                }
            }
        }
    }
    calc.note("backups, I/O and data transfer not included");
    return calc.result();
}

function cacheNodes(ctx: Ctx, calc: Calc, nodeType: string, count: number, engine: string | undefined, what: string): ResourceCost {
    const f = lookup(ctx, "elasticache", nodeType);
    if (!f) {
        return unpricedCost(ctx, `no price in the snapshot for cache node type ${quote(nodeType)}`);
    }
    calc.add(f, count * ctx.hours * f.price.usd, `${num(count)} × ${nodeType} × ${ctx.hours} h × ${rate(f.price.usd)}/h`);
    calc.note(what);
    if (engine?.toLowerCase() === "valkey") {
        calc.note("Valkey priced at the Redis OSS rate (upper bound; Valkey lists lower)");
    }
    return calc.result();
}

function elasticacheCluster(ctx: Ctx): ResourceCost {
    const calc = new Calc(ctx);
    const nodeType = asText(input(ctx.props, "nodeType"));
    const nodes = asCount(input(ctx.props, "numCacheNodes"));
    const engine = asText(input(ctx.props, "engine"));
    if (isUnknown(nodeType)) {
        calc.unknownInput("nodeType");
    }
    if (isUnknown(nodes)) {
        calc.unknownInput("numCacheNodes");
    }
    if (isUnknown(nodeType) || isUnknown(nodes)) {
        return calc.result();
    }
    if (nodeType === undefined) {
        return input(ctx.props, "replicationGroupId") !== undefined
            ? unpricedCost(ctx, "node type comes from the replication group (not priced here)")
            : unpricedCost(ctx, "no nodeType");
    }
    const count = nodes ?? 1;
    return cacheNodes(ctx, calc, nodeType, count, typeof engine === "string" ? engine : undefined, `numCacheNodes ${num(count)}`);
}

function elasticacheReplicationGroup(ctx: Ctx): ResourceCost {
    const calc = new Calc(ctx);
    const nodeType = asText(input(ctx.props, "nodeType"));
    const engine = asText(input(ctx.props, "engine"));
    if (isUnknown(nodeType)) {
        calc.unknownInput("nodeType");
    }
    const clusterMode = asBlock(input(ctx.props, "clusterMode"));
    const pick = (name: string): number | Unknown | undefined => {
        const own = asCount(input(ctx.props, name));
        if (own !== undefined) {
            return own;
        }
        return isUnknown(clusterMode) ? UNKNOWN : clusterMode ? asCount(clusterMode[name]) : undefined;
    };
    const shards = pick("numNodeGroups");
    const replicas = pick("replicasPerNodeGroup");
    const clusters = asCount(input(ctx.props, "numCacheClusters") ?? input(ctx.props, "numberCacheClusters"));
    let count: number | undefined;
    let what = "";
    if (isUnknown(shards)) {
        calc.unknownInput("numNodeGroups");
    } else if (isUnknown(replicas)) {
        calc.unknownInput("replicasPerNodeGroup");
    } else if (shards !== undefined) {
        count = shards * ((replicas ?? 0) + 1);
        what = `${num(shards)} node groups × (1 + ${num(replicas ?? 0)} replicas)`;
    } else if (isUnknown(clusters)) {
        calc.unknownInput("numCacheClusters");
    } else if (clusters !== undefined) {
        count = clusters;
        what = `numCacheClusters ${num(clusters)}`;
    } else if (replicas !== undefined) {
        count = replicas + 1;
        what = `1 primary + ${num(replicas)} replicas`;
    } else {
        count = 1;
        what = "node count unset: 1 node";
    }
    if (calc.hasUnknown || count === undefined) {
        return calc.result();
    }
    if (nodeType === undefined) {
        return unpricedCost(ctx, "no nodeType");
    }
    return cacheNodes(ctx, calc, nodeType as string, count, typeof engine === "string" ? engine : undefined, what);
}

function dynamodbTable(ctx: Ctx): ResourceCost {
    const mode = asText(input(ctx.props, "billingMode"));
    if (isUnknown(mode)) {
        return unknownCost(ctx, ["billingMode"]);
    }
    if (mode === "PAY_PER_REQUEST") {
        return plainCost(ctx, "usage", "on-demand capacity: billed per request and GB stored");
    }
    const calc = new Calc(ctx);
    let rcu = 0;
    let wcu = 0;
    const add = (props: { [key: string]: Value }, where: string) => {
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
    add(ctx.props as { [key: string]: Value }, "");
    const gsis = asBlocks(input(ctx.props, "globalSecondaryIndexes"));
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
    if (calc.hasUnknown) {
        return calc.result();
    }
    const pr = lookup(ctx, "dynamodb", "rcu");
    const pw = lookup(ctx, "dynamodb", "wcu");
    if (!pr || !pw) {
        return unpricedCost(ctx, "no price in the snapshot for DynamoDB provisioned capacity");
    }
    calc.add(pr, rcu * ctx.hours * pr.price.usd, `${num(rcu)} RCU × ${ctx.hours} h × ${rate(pr.price.usd)}/h`);
    calc.add(pw, wcu * ctx.hours * pw.price.usd, `${num(wcu)} WCU × ${ctx.hours} h × ${rate(pw.price.usd)}/h`);
    calc.note("provisioned capacity (auto scaling may change it); storage is usage");
    return calc.result();
}

/* ------------------------------------------------------------------------------------------ */
/* Network                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/** A flat hourly charge from the network table. */
function hourly(key: string, label: string, note?: string): Rule {
    return (ctx) => {
        const calc = new Calc(ctx);
        const f = lookup(ctx, "network", key);
        if (!f) {
            return unpricedCost(ctx, `no price in the snapshot for ${label} in ${ctx.region.region}`);
        }
        calc.add(f, ctx.hours * f.price.usd, `${label} × ${ctx.hours} h × ${rate(f.price.usd)}/h`);
        if (note) {
            calc.note(note);
        }
        return calc.result();
    };
}

function natGateway(ctx: Ctx): ResourceCost {
    const calc = new Calc(ctx);
    const f = lookup(ctx, "network", "nat_gateway");
    if (!f) {
        return unpricedCost(ctx, `no price in the snapshot for NAT gateway in ${ctx.region.region}`);
    }
    calc.add(f, ctx.hours * f.price.usd, `NAT gateway × ${ctx.hours} h × ${rate(f.price.usd)}/h`);
    const connectivity = asText(input(ctx.props, "connectivityType"));
    if (isUnknown(connectivity)) {
        calc.unknownInput("connectivityType");
    } else if (connectivity !== "private" && input(ctx.props, "allocationId") === undefined) {
        // With allocationId the address is an Elastic IP, priced as its own resource.
        addPublicIpv4(ctx, calc, 1, "its public address");
    }
    calc.note("data processed (per GB) is usage");
    return calc.result();
}
const eksCluster = hourly("eks_cluster", "EKS cluster", "standard support; extended support for old Kubernetes versions costs more");

function eip(ctx: Ctx): ResourceCost {
    const pool = asText(input(ctx.props, "publicIpv4Pool"));
    if (typeof pool === "string" && pool !== "amazon") {
        return plainCost(ctx, "free", `address from your own pool ${quote(pool)} (BYOIP): no public IPv4 charge`);
    }
    return hourly("public_ipv4_in_use", "public IPv4 address")(ctx);
}

function loadBalancer(kind?: "classic"): Rule {
    return (ctx) => {
        let type: string | Unknown | undefined = kind ?? asText(input(ctx.props, "loadBalancerType"));
        if (isUnknown(type)) {
            return unknownCost(ctx, ["loadBalancerType"]);
        }
        type = (type ?? "application").toLowerCase();
        const calc = new Calc(ctx);
        const f = lookup(ctx, "elb", type);
        if (!f) {
            return unpricedCost(ctx, `no price in the snapshot for load balancer type ${quote(type)}`);
        }
        const label = { application: "Application", network: "Network", gateway: "Gateway", classic: "Classic" }[type] ?? type;
        calc.add(f, ctx.hours * f.price.usd, `${label} Load Balancer × ${ctx.hours} h × ${rate(f.price.usd)}/h`);
        calc.note("capacity units (LCU) are usage");
        const internal = asBool(input(ctx.props, "internal"));
        if (isUnknown(internal)) {
            calc.unknownInput("internal");
        } else if (internal !== true && type !== "gateway") {
            // An internet-facing load balancer holds one public IPv4 address per subnet (zone).
            const subnets = asList(input(ctx.props, "subnets"));
            const mappings = asList(input(ctx.props, "subnetMappings"));
            const zones = asList(input(ctx.props, "availabilityZones"));
            const list = subnets ?? mappings ?? zones;
            if (isUnknown(list)) {
                calc.unknownInput("subnets");
            } else if (list !== undefined && list.length > 0) {
                addPublicIpv4(ctx, calc, list.length, "one per subnet");
            } else {
                addPublicIpv4(ctx, calc, 2, "subnets not listed: at least two zones");
            }
        }
        return calc.result();
    };
}

function vpcEndpoint(ctx: Ctx): ResourceCost {
    const type = asText(input(ctx.props, "vpcEndpointType"));
    if (isUnknown(type)) {
        return unknownCost(ctx, ["vpcEndpointType"]);
    }
    const t = type ?? "Gateway";
    if (t === "Gateway") {
        return plainCost(ctx, "free", "gateway endpoints (S3, DynamoDB) have no charge");
    }
    if (t !== "Interface") {
        return unpricedCost(ctx, `no price in the snapshot for ${quote(t)} VPC endpoints`);
    }
    const subnets = asList(input(ctx.props, "subnetIds"));
    if (isUnknown(subnets)) {
        return unknownCost(ctx, ["subnetIds"]);
    }
    const azs = Math.max(1, subnets?.length ?? 0);
    const calc = new Calc(ctx);
    const f = lookup(ctx, "network", "vpc_interface_endpoint_az");
    if (!f) {
        return unpricedCost(ctx, `no price in the snapshot for interface VPC endpoints in ${ctx.region.region}`);
    }
    calc.add(f, azs * ctx.hours * f.price.usd, `${num(azs)} AZ × ${ctx.hours} h × ${rate(f.price.usd)}/h`);
    calc.note(subnets ? "one endpoint interface per subnet" : "subnetIds unset: 1 AZ");
    calc.note("data processed is usage");
    return calc.result();
}

/* ------------------------------------------------------------------------------------------ */
/* Fixed monthly charges                                                                       */
/* ------------------------------------------------------------------------------------------ */

function monthly(table: string, key: string, label: string, note?: string): Rule {
    return (ctx) => {
        const calc = new Calc(ctx);
        const f = lookup(ctx, table, key);
        if (!f) {
            return unpricedCost(ctx, `no price in the snapshot for ${label}`);
        }
        calc.add(f, f.price.usd, `${label} ${rate(f.price.usd)}/month`);
        if (note) {
            calc.note(note);
        }
        return calc.result();
    };
}

/* ------------------------------------------------------------------------------------------ */
/* Purchases                                                                                   */
/* ------------------------------------------------------------------------------------------ */

function domain(renewal: boolean): Rule {
    return (ctx) => {
        const name = asText(input(ctx.props, "domainName"));
        const verb = renewal ? "renewal of the registered domain" : "domain registration of";
        if (isUnknown(name)) {
            return unknownCost(ctx, ["domainName"], { what: `${renewal ? "renewal of a registered domain" : "a domain registration"} (name unknown at preview)` });
        }
        if (typeof name !== "string" || !name.includes(".")) {
            return unpricedCost(ctx, "no domainName", { what: renewal ? "renewal of a registered domain" : "a domain registration" });
        }
        const labels = name.toLowerCase().replace(/\.$/, "").split(".");
        const years = renewal ? 1 : asCount(input(ctx.props, "durationInYears"));
        const y = typeof years === "number" && years >= 1 ? years : 1;
        for (let i = 1; i < labels.length; i++) {
            const tld = labels.slice(i).join(".");
            const f = lookup(ctx, "route53_domains", tld);
            if (!f) {
                continue;
            }
            const calc = new Calc(ctx);
            calc.add(f, f.price.usd / 12, `.${tld} ${rate(f.price.usd)}/year ÷ 12`);
            if (f.price.note) {
                calc.note(f.price.note);
            }
            calc.note(`list price of ${f.price.source.date}; Route 53 may charge more today`);
            const purchase: Purchase = {
                what: `${verb} ${quote(name)}`,
                usd: f.price.usd * y,
                basis: `${y === 1 ? "per year" : `${num(y)} years at ${rate(f.price.usd)}/year`}, Route 53 list price of ${f.price.source.date}`,
            };
            return calc.result({ purchase });
        }
        return unpricedCost(ctx, `no Route 53 price in the snapshot for .${labels.slice(-1)[0]}`, { what: `${verb} ${quote(name)}` });
    };
}

function shieldSubscription(ctx: Ctx): ResourceCost {
    const calc = new Calc(ctx);
    const f = lookup(ctx, "shield", "advanced");
    const what = "an AWS Shield Advanced subscription (1-year commitment)";
    if (!f) {
        return unpricedCost(ctx, "no price in the snapshot for Shield Advanced", { what });
    }
    calc.add(f, f.price.usd, `Shield Advanced ${rate(f.price.usd)}/month`);
    calc.note(`1-year commitment (${money(f.price.usd * 12)}); data transfer out of protected resources is usage`);
    return calc.result({ purchase: { what, usd: f.price.usd, basis: `per month for 12 months (${money(f.price.usd * 12)}), AWS Shield pricing page` } });
}

function shieldProtection(ctx: Ctx): ResourceCost {
    const f = lookup(ctx, "shield", "advanced");
    const price = f ? `, ${rate(f.price.usd)}/month with a 1-year commitment` : "";
    return plainCost(ctx, "usage", "Shield Advanced data transfer of the protected resource is usage; the subscription is priced on its own", {
        purchase: { what: `AWS Shield Advanced protection (needs the Shield Advanced subscription${price})` },
    });
}

function reservation(what: string, offeringInput: string, countInput: string): Rule {
    return (ctx) => {
        const offering = asText(input(ctx.props, offeringInput));
        const count = asCount(input(ctx.props, countInput));
        const of = typeof offering === "string" ? ` (offering ${quote(offering)})` : "";
        const n = typeof count === "number" ? `${num(count)} × ` : "";
        return unpricedCost(ctx, "reservation prices are not in the snapshot: the offering fixes term, payment and price", { what: `${n}${what}${of}` });
    };
}

/** A savings plan: priced from its hourly commitment when known. */
function savingsPlan(ctx: Ctx): ResourceCost {
    const commitment = asNumber(input(ctx.props, "commitment"));
    const what = "a Savings Plan (1- or 3-year commitment)";
    if (isUnknown(commitment)) {
        return unknownCost(ctx, ["commitment"], { what });
    }
    if (typeof commitment === "number" && commitment > 0) {
        const usd = commitment * ctx.hours;
        return {
            urn: ctx.r.urn,
            type: ctx.r.type,
            status: "priced",
            monthlyUsd: usd,
            basis: `commitment ${rate(commitment)}/h × ${ctx.hours} h = ${money(usd)}/month (declared by the resource)`,
            purchase: { what, usd, basis: "per month for the plan's term" },
        };
    }
    return unpricedCost(ctx, "no hourly commitment known", { what });
}

/* ------------------------------------------------------------------------------------------ */
/* Budgets                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/** Months in a budget period, to turn its limit into a monthly figure. */
const PERIOD_MONTHS: { readonly [unit: string]: number } = { DAILY: 24 / 730, MONTHLY: 1, QUARTERLY: 3, ANNUALLY: 12, CUSTOM: 1 };

function budget(ctx: Ctx): ResourceCost {
    const kind = asText(input(ctx.props, "budgetType"));
    if (isUnknown(kind)) {
        return plainCost(ctx, "free", "budget type unknown at preview", { declaredBudgetUsd: UNKNOWN });
    }
    if (kind !== undefined && kind !== "COST") {
        return plainCost(ctx, "free", `${kind} budget: declares no spend in USD`);
    }
    const unit = asText(input(ctx.props, "timeUnit"));
    if (isUnknown(unit)) {
        return plainCost(ctx, "free", "budget period unknown at preview", { declaredBudgetUsd: UNKNOWN });
    }
    const months = PERIOD_MONTHS[(unit ?? "MONTHLY").toUpperCase()] ?? 1;
    let amount = asNumber(input(ctx.props, "limitAmount"));
    let currency = asText(input(ctx.props, "limitUnit"));
    const planned = asBlocks(input(ctx.props, "plannedLimits"));
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
        return plainCost(ctx, "free", "budget limit unknown at preview", { declaredBudgetUsd: UNKNOWN });
    }
    if (amount === undefined) {
        return plainCost(ctx, "free", "budget limit not fixed (auto-adjusting): unknown at preview", { declaredBudgetUsd: UNKNOWN });
    }
    if ((currency ?? "USD").toUpperCase() !== "USD") {
        return plainCost(ctx, "free", `budget limit in ${quote(String(currency))}, not USD: cannot compare`, { declaredBudgetUsd: UNKNOWN });
    }
    const monthlyLimit = Math.round((amount / months) * 100) / 100;
    const period = months === 1 && (unit ?? "MONTHLY").toUpperCase() === "MONTHLY" ? "" : ` (${money(amount)} ${(unit ?? "").toLowerCase()})`;
    return plainCost(ctx, "free", `declares a budget of ${money(monthlyLimit)}/month${period}; budgets themselves are free`, {
        declaredBudgetUsd: monthlyLimit,
    });
}

/* ------------------------------------------------------------------------------------------ */
/* Cloudflare                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** A Cloudflare account or zone subscription: always a purchase. */
function cloudflareSubscription(ctx: Ctx): ResourceCost {
    const plan = asBlock(input(ctx.props, "ratePlan"));
    const planId = isUnknown(plan) ? UNKNOWN : plan ? asText(plan.id) : asText(input(ctx.props, "ratePlan"));
    const scope = ctx.r.type.includes("zoneSubscription") ? "zone" : ctx.r.type.includes("accountSubscription") ? "account" : "";
    if (isUnknown(planId)) {
        return unknownCost(ctx, ["ratePlan"], { what: `a Cloudflare ${scope ? `${scope} ` : ""}subscription (plan unknown at preview)` });
    }
    const what = `a Cloudflare ${scope ? `${scope} ` : ""}subscription${planId ? ` to plan ${quote(planId)}` : ""}`;
    if (planId === "free") {
        return plainCost(ctx, "free", "Cloudflare free plan", { purchase: { what, usd: 0, basis: "free plan" } });
    }
    return unpricedCost(ctx, "Cloudflare plan prices are not in the snapshot", { what });
}

function cloudflareZone(ctx: Ctx): ResourceCost {
    const plan = asText(input(ctx.props, "plan"));
    const name = asText(input(ctx.props, "zone") ?? input(ctx.props, "name"));
    const zone = typeof name === "string" ? ` for ${quote(name)}` : "";
    if (isUnknown(plan)) {
        return unknownCost(ctx, ["plan"], { what: `a Cloudflare zone plan${zone} (unknown at preview)` });
    }
    if (plan === undefined || plan === "free") {
        return plainCost(ctx, "free", "Cloudflare zone on the free plan");
    }
    return unpricedCost(ctx, "Cloudflare plan prices are not in the snapshot", { what: `the Cloudflare ${quote(plan)} plan${zone}` });
}

/* ------------------------------------------------------------------------------------------ */
/* Tables                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------------------------ */
/* Capacity that changes later, caches and fixed charges inside usage-priced services          */
/* ------------------------------------------------------------------------------------------ */

/** Adds `count × public IPv4 × hours`. */
function addPublicIpv4(ctx: Ctx, calc: Calc, count: number, what: string): void {
    const ip = lookup(ctx, "network", "public_ipv4_in_use");
    if (!ip) {
        calc.unpriced("public IPv4 address");
        return;
    }
    const times = count === 1 ? "" : `${num(count)} × `;
    calc.add(ip, count * ctx.hours * ip.price.usd, `${times}public IPv4 (${what}) × ${ctx.hours} h × ${rate(ip.price.usd)}/h`);
}

/** A scheduled action may raise a group's ceiling later: free only when it leaves `maxSize` alone. */
function autoscalingSchedule(ctx: Ctx): ResourceCost {
    const max = asCount(input(ctx.props, "maxSize"));
    if (isUnknown(max)) {
        return unknownCost(ctx, ["maxSize"]);
    }
    const raw = input(ctx.props, "maxSize");
    if (raw === undefined || raw === null || raw === -1 || raw === "-1") {
        return plainCost(ctx, "free", "leaves the group's maxSize alone: bounded by the group, which is priced at its maxSize");
    }
    return unpricedCost(ctx, `sets the group's maxSize to ${typeof max === "number" ? num(max) : quote(String(raw))} later: the group's price at that ceiling is not known here`);
}

/** An Application Auto Scaling scheduled action: free only when it does not raise `maxCapacity`. */
function appScheduledAction(ctx: Ctx): ResourceCost {
    const action = asBlock(input(ctx.props, "scalableTargetAction"));
    if (isUnknown(action)) {
        return unknownCost(ctx, ["scalableTargetAction"]);
    }
    const max = action?.maxCapacity;
    if (isUnknown(max)) {
        return unknownCost(ctx, ["scalableTargetAction.maxCapacity"]);
    }
    if (max === undefined || max === null) {
        return plainCost(ctx, "free", "does not change maxCapacity: bounded by the scalable target");
    }
    return unpricedCost(ctx, `sets maxCapacity to ${String(max)} later: the scaled resource's price at that ceiling is not known here`);
}

/** API Gateway stage: free unless it has a cache cluster, priced by size. */
function apigatewayStage(ctx: Ctx): ResourceCost {
    const enabled = asBool(input(ctx.props, "cacheClusterEnabled"));
    if (isUnknown(enabled)) {
        return unknownCost(ctx, ["cacheClusterEnabled"]);
    }
    if (enabled !== true) {
        return plainCost(ctx, "free", "no cache cluster: requests are billed on the API");
    }
    const raw = input(ctx.props, "cacheClusterSize");
    if (isUnknown(raw)) {
        return unknownCost(ctx, ["cacheClusterSize"]);
    }
    const size = raw === undefined || raw === null ? "0.5" : String(typeof raw === "number" ? raw : asText(raw) ?? "");
    const calc = new Calc(ctx);
    const f = lookup(ctx, "hourly_fixed", `apigateway_cache:${Number(size)}`);
    if (!f) {
        return unpricedCost(ctx, `no price in the snapshot for an API Gateway cache of ${quote(size)} GB`);
    }
    calc.add(f, ctx.hours * f.price.usd, `${size} GB cache × ${ctx.hours} h × ${rate(f.price.usd)}/h`);
    if (raw === undefined || raw === null) {
        calc.note("cacheClusterSize unset: the 0.5 GB default");
    }
    calc.note("requests are billed on the API");
    return calc.result();
}

/** The single linked resource of `type` that feeds `inputName`, or why there is none. */
function linked(ctx: Ctx, inputName: string, type: string): ResourceFacts | "unknown" | "outside" {
    const deps = (ctx.r as LinkedResourceFacts).dependencies?.[inputName] ?? [];
    const found = deps.filter((d) => d.type === type);
    if (found.length === 1) {
        return found[0]!;
    }
    return isUnknown(input(ctx.props, inputName)) ? "unknown" : "outside";
}

/** ECS service: on Fargate, desired count × the task definition's vCPU and memory (and public IPv4). */
function ecsService(ctx: Ctx): ResourceCost {
    const launch = asText(input(ctx.props, "launchType"));
    const strategy = asBlocks(input(ctx.props, "capacityProviderStrategies"));
    if (isUnknown(launch) || isUnknown(strategy)) {
        return unknownCost(ctx, [isUnknown(launch) ? "launchType" : "capacityProviderStrategies"]);
    }
    const providers = (strategy ?? []).map((b) => (isUnknown(b) ? "?" : String(asText(b.capacityProvider) ?? "?")));
    const fargate = launch === "FARGATE" || providers.some((p) => p.startsWith("FARGATE"));
    if (!fargate) {
        if (providers.length > 0 && providers.some((p) => p === "?")) {
            return unknownCost(ctx, ["capacityProviderStrategies"]);
        }
        return plainCost(ctx, "free", "runs on EC2 capacity, priced through its instances or groups");
    }
    const calc = new Calc(ctx);
    const count = asCount(input(ctx.props, "desiredCount"));
    if (isUnknown(count)) {
        return unknownCost(ctx, ["desiredCount"]);
    }
    const n = count ?? 0;
    const task = linked(ctx, "taskDefinition", "aws:ecs/taskDefinition:TaskDefinition");
    if (task === "unknown" || task === "outside") {
        return task === "unknown" && !(ctx.r as LinkedResourceFacts).dependencies
            ? unknownCost(ctx, ["taskDefinition"])
            : unpricedCost(ctx, "the task definition (vCPU and memory) is not a resource of this stack");
    }
    const cpu = asCount(input(task.props, "cpu"));
    const mem = asCount(input(task.props, "memory"));
    if (isUnknown(cpu) || isUnknown(mem) || cpu === undefined || mem === undefined) {
        return isUnknown(cpu) || isUnknown(mem) ? unknownCost(ctx, ["taskDefinition.cpu", "taskDefinition.memory"]) : unpricedCost(ctx, "the task definition sets no task-level cpu and memory");
    }
    const arch = asText(path(task.props as Value, "runtimePlatform", "cpuArchitecture")) === "ARM64" ? "arm" : "x86";
    const pv = lookup(ctx, "hourly_fixed", `fargate:vcpu:${arch}`);
    const pg = lookup(ctx, "hourly_fixed", `fargate:gb:${arch}`);
    if (!pv || !pg) {
        return unpricedCost(ctx, "no Fargate price in the snapshot");
    }
    const vcpu = cpu / 1024;
    const gb = mem / 1024;
    calc.add(pv, n * vcpu * ctx.hours * pv.price.usd, `${num(n)} task(s) × ${num(vcpu)} vCPU × ${ctx.hours} h × ${rate(pv.price.usd)}/vCPU-h`);
    calc.add(pg, n * gb * ctx.hours * pg.price.usd, `${num(n)} task(s) × ${num(gb)} GB × ${ctx.hours} h × ${rate(pg.price.usd)}/GB-h`);
    if (count === undefined) {
        calc.note("desiredCount unset: 0 tasks");
    }
    const publicIp = asBool(path(ctx.props as Value, "networkConfiguration", "assignPublicIp"));
    if (isUnknown(publicIp)) {
        calc.unknownInput("networkConfiguration.assignPublicIp");
    } else if (publicIp === true && n > 0) {
        addPublicIpv4(ctx, calc, n, "one per task");
    }
    calc.note("Linux on Fargate; an autoscaling target may run more tasks (priced on its own)");
    return calc.result();
}

/** Kinesis data stream: provisioned shards × hours; on-demand streams are usage. */
function kinesisStream(ctx: Ctx): ResourceCost {
    const mode = asText(path(ctx.props as Value, "streamModeDetails", "streamMode"));
    if (isUnknown(mode)) {
        return unknownCost(ctx, ["streamModeDetails.streamMode"]);
    }
    if (mode === "ON_DEMAND") {
        return plainCost(ctx, "usage", "on-demand stream: billed by data written and read");
    }
    const shards = asCount(input(ctx.props, "shardCount"));
    if (isUnknown(shards)) {
        return unknownCost(ctx, ["shardCount"]);
    }
    if (shards === undefined) {
        return unpricedCost(ctx, "provisioned stream without shardCount");
    }
    const f = lookup(ctx, "hourly_fixed", "kinesis_shard");
    if (!f) {
        return unpricedCost(ctx, "no Kinesis shard price in the snapshot");
    }
    const calc = new Calc(ctx);
    calc.add(f, shards * ctx.hours * f.price.usd, `${num(shards)} shard(s) × ${ctx.hours} h × ${rate(f.price.usd)}/shard-h`);
    calc.note("PUT payload units and retention beyond 24 h are usage");
    return calc.result();
}

/** Lambda provisioned concurrency: executions × the function's memory (GB) × hours. */
function lambdaProvisioned(ctx: Ctx): ResourceCost {
    const n = asCount(input(ctx.props, "provisionedConcurrentExecutions"));
    if (isUnknown(n)) {
        return unknownCost(ctx, ["provisionedConcurrentExecutions"]);
    }
    if (n === undefined) {
        return unpricedCost(ctx, "no provisionedConcurrentExecutions");
    }
    const fn = linked(ctx, "functionName", "aws:lambda/function:Function");
    if (typeof fn === "string") {
        return unpricedCost(ctx, "the function (its memory size) is not a resource of this stack");
    }
    const memRaw = asCount(input(fn.props, "memorySize"));
    if (isUnknown(memRaw)) {
        return unknownCost(ctx, ["function.memorySize"]);
    }
    const mem = memRaw ?? 128;
    const f = lookup(ctx, "hourly_fixed", "lambda_provisioned_gb");
    if (!f) {
        return unpricedCost(ctx, "no provisioned concurrency price in the snapshot");
    }
    const calc = new Calc(ctx);
    calc.add(f, n * (mem / 1024) * ctx.hours * f.price.usd, `${num(n)} × ${num(mem / 1024)} GB × ${ctx.hours} h × ${rate(f.price.usd)}/GB-h`);
    if (memRaw === undefined) {
        calc.note("memorySize unset: the 128 MB default");
    }
    calc.note("requests and duration are usage");
    return calc.result();
}

const rdsReserved = reservation("RDS reserved DB instance", "offeringId", "instanceCount");
const cacheReserved = reservation("ElastiCache reserved cache node", "reservedCacheNodesOfferingId", "cacheNodeCount");

/** Rules by exact type token. */
export const RULES: { readonly [type: string]: Rule } = {
    "aws:ec2/instance:Instance": (ctx) => ec2Instance(ctx),
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": (ctx) => ec2Instance(ctx, true),
    "aws:autoscaling/group:Group": autoscalingGroup,
    "aws:eks/nodeGroup:NodeGroup": eksNodeGroup,
    "aws:ebs/volume:Volume": ebsVolume,
    "aws:rds/instance:Instance": rdsInstance,
    "aws:elasticache/cluster:Cluster": elasticacheCluster,
    "aws:elasticache/replicationGroup:ReplicationGroup": elasticacheReplicationGroup,
    "aws:dynamodb/table:Table": dynamodbTable,
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": eip,
    "aws:eks/cluster:Cluster": eksCluster,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer(),
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer(),
    "aws:applicationloadbalancing/loadBalancer:LoadBalancer": loadBalancer(),
    "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer": loadBalancer(),
    "aws:elb/loadBalancer:LoadBalancer": loadBalancer("classic"),
    "aws:elasticloadbalancing/loadBalancer:LoadBalancer": loadBalancer("classic"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": hourly("transit_gateway_attachment", "Transit Gateway attachment", "data processed is usage"),
    "aws:ec2/vpnConnection:VpnConnection": hourly("vpn_connection", "Site-to-Site VPN connection", "data transfer is usage"),
    "aws:ec2clientvpn/networkAssociation:NetworkAssociation": hourly("client_vpn_association", "Client VPN endpoint association", "connections are usage"),
    "aws:route53/zone:Zone": monthly("fixed_monthly", "route53_hosted_zone", "hosted zone", "queries are usage"),
    "aws:kms/key:Key": monthly("fixed_monthly", "kms_key", "customer managed KMS key", "requests are usage"),
    "aws:kms/replicaKey:ReplicaKey": monthly("fixed_monthly", "kms_key", "customer managed KMS key", "requests are usage"),
    "aws:kms/externalKey:ExternalKey": monthly("fixed_monthly", "kms_key", "customer managed KMS key", "requests are usage"),
    "aws:kms/replicaExternalKey:ReplicaExternalKey": monthly("fixed_monthly", "kms_key", "customer managed KMS key", "requests are usage"),
    "aws:secretsmanager/secret:Secret": monthly("fixed_monthly", "secretsmanager_secret", "secret", "API calls are usage"),
    "aws:route53domains/domain:Domain": domain(false),
    "aws:route53domains/registeredDomain:RegisteredDomain": domain(true),
    "aws:shield/subscription:Subscription": shieldSubscription,
    "aws:shield/protection:Protection": shieldProtection,
    "aws:rds/reservedInstance:ReservedInstance": rdsReserved,
    "aws:elasticache/reservedCacheNode:ReservedCacheNode": cacheReserved,
    "aws:ec2/capacityReservation:CapacityReservation": capacityReservation,
    "aws:ec2/capacityBlockReservation:CapacityBlockReservation": (ctx) =>
        unpricedCost(ctx, "capacity blocks are paid up front at the offering's price, not in the snapshot", { what: "an EC2 capacity block reservation" }),
    "aws:budgets/budget:Budget": budget,
    "aws:ec2/launchTemplate:LaunchTemplate": (ctx) => plainCost(ctx, "free", "no charge of its own; priced through the instances and groups that use it"),
    "aws:ec2/launchConfiguration:LaunchConfiguration": (ctx) => plainCost(ctx, "free", "no charge of its own; priced through the groups that use it"),
    "aws:rds/clusterInstance:ClusterInstance": (ctx) => unpricedCost(ctx, "Aurora instance prices are not in the snapshot"),
    "aws:ec2/dedicatedHost:DedicatedHost": (ctx) => unpricedCost(ctx, "dedicated host prices are not in the snapshot"),
    "cloudflare:index/zone:Zone": cloudflareZone,
    "aws:autoscaling/schedule:Schedule": autoscalingSchedule,
    "aws:appautoscaling/scheduledAction:ScheduledAction": appScheduledAction,
    "aws:apigateway/stage:Stage": apigatewayStage,
    "aws:ecs/service:Service": ecsService,
    "aws:kinesis/stream:Stream": kinesisStream,
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": lambdaProvisioned,
    "cloudflare:index/accountSubscription:AccountSubscription": cloudflareSubscription,
    "cloudflare:index/zoneSubscription:ZoneSubscription": cloudflareSubscription,
    "aws:savingsplans/savingsPlan:SavingsPlan": savingsPlan,
};
