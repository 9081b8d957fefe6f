/**
 * Cost rules, compute: EC2 instances, autoscaling groups and EKS node groups (at the capacity
 * they can grow to), ECS services on Fargate, Lambda provisioned concurrency, and the actions
 * that change capacity later.
 * @internal
 */
import { Cond, Rule, Rules, always, component, free, hourly, named, note, read, result, set, stop, unknown, unpriced } from "./rule";

const NO_INSTANCE_PRICE = "no price in the snapshot for instance type {type:q} ({region} or us-east-1)";
const NO_ANY_INSTANCE_PRICE = "no price in the snapshot for instance type {it:q} ({region} or us-east-1)";
const OUTSIDE = "instance type comes from a launch template outside this stack";
const NO_UNKNOWN: Cond = { not: { anyUnknown: true } };

/** One public IPv4 address per `$count`, described as `what`. */
export function publicIpv4(count: string | number, what: string, when?: Cond) {
    return component(
        {
            label: "public IPv4 address",
            table: "network",
            key: "public_ipv4_in_use",
            quantity: count,
            per: "hour",
            term: `${typeof count === "number" ? (count === 1 ? "" : `${count} × `) : `{${count.slice(1)}:x}`}public IPv4 (${what}) × {hours} h × {rate}/h`,
            missing: { part: "public IPv4 address" },
        },
        when,
    );
}

function instance(spot: boolean): Rule {
    return {
        doc: {
            from: "`ec2` (+ `ebs` for sized volumes, `network` for a public IPv4)",
            inputs: "`instanceType` (or the launch template's), `rootBlockDevice`, `ebsBlockDevices`, `associatePublicIpAddress`, `tenancy`",
        },
        steps: [
            read("given", { input: "instanceType", as: "text" }, "instanceType"),
            read("ref", named("templateRef", { inputs: ["launchTemplate"] }), undefined, { absent: "$given" }),
            read("t", named("templateType", { ref: "$ref", input: "launchTemplate" }), undefined, { absent: "$given" }),
            stop({ eq: ["$t", "outside"] }, unpriced(OUTSIDE)),
            stop({ eq: ["$t", "none"] }, unpriced("no instanceType (and none in a launch template of this stack)")),
            set("type", { if: [{ string: "$given" }, "$given", "$t"] }),
            read("template", named("templateProps", { ref: "$ref" })),
            read("tenancy", { input: "tenancy", as: "text" }),
            stop({ eq: ["$tenancy", "host"] }, unpriced("dedicated-host tenancy is billed per host, not priced")),
            note("dedicated tenancy priced at the shared rate (lower bound)", { eq: ["$tenancy", "dedicated"] }),
            read("market", { input: ["instanceMarketOptions", "marketType"], as: "text" }),
            note("spot capacity priced at the on-demand rate (upper bound)", spot ? true : { eq: ["$market", "spot"] }),
            component(
                { label: "instance hours", table: "ec2", key: "{type}", quantity: 1, per: "hour", term: "{type} × {hours} h × {rate}/h", missing: { unpriced: NO_INSTANCE_PRICE } },
                { all: [{ string: "$type" }, NO_UNKNOWN] },
            ),
            read("vs", named("volumeSource", { template: "$template" })),
            { use: "instanceVolumes", args: { props: "$vs.props", where: "$vs.where", count: 1 } },
            read("publicIp", { input: "associatePublicIpAddress", as: "bool" }),
            component(
                { label: "public IPv4 address", table: "network", key: "public_ipv4_in_use", quantity: 1, per: "hour", term: "public IPv4 × {hours} h × {rate}/h", missing: { part: "public IPv4 address" } },
                { eq: ["$publicIp", true] },
            ),
            note("Linux; licensed OS, data transfer and usage not included"),
        ],
    };
}

/** `$n` instances of the dearest of `$types`. */
const GROUP_INSTANCES = component({
    label: "instance hours",
    table: "ec2",
    key: "{it}",
    each: { list: "$types", as: "it", need: "all" },
    quantity: "$n.count",
    per: "hour",
    term: "{n.count:x}{it} × {hours} h × {rate}/h",
    missing: { unpriced: NO_ANY_INSTANCE_PRICE },
});

const GROUP_TEMPLATE_INPUTS = ["launchTemplate", "mixedInstancesPolicy", "launchConfiguration"];
const NO_TYPES_YET: Cond = { all: [{ absent: "$types" }, NO_UNKNOWN] };

const autoscalingGroup: Rule = {
    doc: { from: "`ec2`, `ebs`", inputs: "`maxSize` (else `desiredCapacity` / `minSize`), launch template or configuration, `mixedInstancesPolicy` overrides" },
    steps: [
        read("n", named("capacity", { max: "maxSize", desired: "desiredCapacity", min: "minSize" })),
        // Instance types: mixed-instances overrides, else the launch template, else the launch configuration.
        read("types", named("mixedOverrides")),
        read("ref", named("templateRef", { inputs: GROUP_TEMPLATE_INPUTS }), undefined, NO_TYPES_YET),
        read("firstInput", named("firstPresent", { inputs: GROUP_TEMPLATE_INPUTS }), undefined, NO_TYPES_YET),
        read("t", named("templateType", { ref: "$ref", input: "$firstInput" }), undefined, NO_TYPES_YET),
        stop({ eq: ["$t", "outside"] }, unpriced(OUTSIDE)),
        stop({ eq: ["$t", "none"] }, unpriced("no instance type in the group or a launch template of this stack (instance requirements are not priced)")),
        set("types", { list: ["$t"] }, { all: [{ absent: "$types" }, { string: "$t" }] }),
        read("template", named("templateProps", { ref: "$ref" })),
        stop({ any: [{ anyUnknown: true }, { absent: "$n" }, { absent: "$types" }] }, result()),
        GROUP_INSTANCES,
        note("{n.from}: {n.count:num}"),
        { use: "instanceVolumes", args: { props: "$template", where: "launchTemplate.", count: "$n.count" }, when: { present: "$template" } },
        note("volumes not priced (no launch template of this stack)", { absent: "$template" }),
        note("Linux on-demand; data transfer and usage not included"),
    ],
};

const eksNodeGroup: Rule = {
    doc: { from: "`ec2`", inputs: "`scalingConfig.maxSize`, `instanceTypes` (default t3.medium) or launch template" },
    steps: [
        read("scaling", { input: "scalingConfig", as: "block" }, "scalingConfig"),
        read("n", named("capacity", { from: "$scaling", max: "maxSize", desired: "desiredSize", min: "minSize", prefix: "scalingConfig." }), undefined, { not: { unknown: "$scaling" } }),
        read("listed", { input: "instanceTypes", as: "strings" }, "instanceTypes"),
        set("types", "$listed", { present: "$listed" }),
        read("ref", named("templateRef", { inputs: ["launchTemplate"] }), undefined, NO_TYPES_YET),
        read("t", named("templateType", { ref: "$ref", input: "launchTemplate" }), undefined, NO_TYPES_YET),
        stop({ eq: ["$t", "outside"] }, unpriced(OUTSIDE)),
        note("instanceTypes unset: EKS default t3.medium", { eq: ["$t", "none"] }),
        set("types", { list: ["t3.medium"] }, { eq: ["$t", "none"] }),
        set("types", { list: ["$t"] }, { all: [{ string: "$t" }, { not: { eq: ["$t", "none"] } }] }),
        stop({ any: [{ anyUnknown: true }, { absent: "$n" }, { absent: "$types" }] }, result()),
        GROUP_INSTANCES,
        note("{n.from}: {n.count:num}"),
        note("any of {types:join,}: priced at the dearest (upper bound)", { gt: [{ len: "$types" }, 1] }),
        read("capacityType", { input: "capacityType", as: "text" }),
        note("spot capacity priced at the on-demand rate (upper bound)", { eq: ["$capacityType", "SPOT"] }),
        note("node disks and data transfer not included"),
    ],
};

const ecsService: Rule = {
    doc: {
        from: "`hourly_fixed` (Fargate vCPU and GB), `network` (public IPv4 per task)",
        inputs: "`launchType` / capacity providers (neither: the cluster default, priced as Fargate), `desiredCount`, the task definition's `cpu`, `memory`, `runtimePlatform.cpuArchitecture`, `networkConfiguration.assignPublicIp`",
    },
    steps: [
        read("launch", { input: "launchType", as: "text" }),
        read("strategy", { input: "capacityProviderStrategies", as: "blocks" }),
        stop({ unknown: "$launch" }, unknown(["launchType"])),
        stop({ unknown: "$strategy" }, unknown(["capacityProviderStrategies"])),
        read("on", named("ecsCapacity")),
        stop({ all: [{ not: { eq: ["$on.fargate", true] } }, { eq: ["$on.unsure", true] }] }, unknown(["capacityProviderStrategies"])),
        stop({ not: { eq: ["$on.fargate", true] } }, free("runs on EC2 capacity, priced through its instances or groups")),
        read("count", { input: "desiredCount", as: "count" }),
        stop({ unknown: "$count" }, unknown(["desiredCount"])),
        set("tasks", { first: ["$count", 0] }),
        read("task", named("linked", { input: "taskDefinition", type: "aws:ecs/taskDefinition:TaskDefinition" })),
        read("linkedAtAll", named("hasDependencies")),
        stop({ all: [{ eq: ["$task", "unknown"] }, { not: { eq: ["$linkedAtAll", true] } }] }, unknown(["taskDefinition"])),
        stop({ in: ["$task", ["unknown", "outside"]] }, unpriced("the task definition (vCPU and memory) is not a resource of this stack")),
        read("cpu", { input: "cpu", as: "count", from: "task.props" }),
        read("mem", { input: "memory", as: "count", from: "task.props" }),
        stop({ any: [{ unknown: "$cpu" }, { unknown: "$mem" }] }, unknown(["taskDefinition.cpu", "taskDefinition.memory"])),
        stop({ any: [{ absent: "$cpu" }, { absent: "$mem" }] }, unpriced("the task definition sets no task-level cpu and memory")),
        read("cpuArch", { input: ["runtimePlatform", "cpuArchitecture"], as: "text", from: "task.props" }),
        set("arch", { if: [{ eq: ["$cpuArch", "ARM64"] }, "arm", "x86"] }),
        set("vcpu", { div: ["$cpu", 1024] }),
        set("gb", { div: ["$mem", 1024] }),
        component({
            label: "Fargate vCPU",
            table: "hourly_fixed",
            key: "fargate:vcpu:{arch}",
            quantity: { mul: ["$tasks", "$vcpu"] },
            per: "hour",
            term: "{tasks:num} task(s) × {vcpu:num} vCPU × {hours} h × {rate}/vCPU-h",
            missing: { unpriced: "no Fargate price in the snapshot" },
        }),
        component({
            label: "Fargate memory",
            table: "hourly_fixed",
            key: "fargate:gb:{arch}",
            quantity: { mul: ["$tasks", "$gb"] },
            per: "hour",
            term: "{tasks:num} task(s) × {gb:num} GB × {hours} h × {rate}/GB-h",
            missing: { unpriced: "no Fargate price in the snapshot" },
        }),
        note("desiredCount unset: 0 tasks", { absent: "$count" }),
        note("no launch type or capacity provider: the cluster's default strategy applies, priced as Fargate (upper bound)", { eq: ["$on.assumed", true] }),
        read("publicIp", { input: ["networkConfiguration", "assignPublicIp"], as: "bool" }, "networkConfiguration.assignPublicIp"),
        publicIpv4("$tasks", "one per task", { all: [{ eq: ["$publicIp", true] }, { gt: ["$tasks", 0] }] }),
        note("Linux on Fargate; an autoscaling target may run more tasks (priced on its own)"),
    ],
};

const lambdaProvisioned: Rule = {
    doc: { from: "`hourly_fixed` (GB-hour)", inputs: "`provisionedConcurrentExecutions`, the function's `memorySize` (default 128 MB)" },
    steps: [
        read("n", { input: "provisionedConcurrentExecutions", as: "count" }),
        stop({ unknown: "$n" }, unknown(["provisionedConcurrentExecutions"])),
        stop({ absent: "$n" }, unpriced("no provisionedConcurrentExecutions")),
        read("fn", named("linked", { input: "functionName", type: "aws:lambda/function:Function" })),
        stop({ string: "$fn" }, unpriced("the function (its memory size) is not a resource of this stack")),
        read("memRaw", { input: "memorySize", as: "count", from: "fn.props" }),
        stop({ unknown: "$memRaw" }, unknown(["function.memorySize"])),
        set("gbs", { div: [{ first: ["$memRaw", 128] }, 1024] }),
        component({
            label: "provisioned concurrency",
            table: "hourly_fixed",
            key: "lambda_provisioned_gb",
            quantity: { mul: ["$n", "$gbs"] },
            per: "hour",
            term: "{n:num} × {gbs:num} GB × {hours} h × {rate}/GB-h",
            missing: { unpriced: "no provisioned concurrency price in the snapshot" },
        }),
        note("memorySize unset: the 128 MB default", { absent: "$memRaw" }),
        note("requests and duration are usage"),
    ],
};

/** A scheduled action may raise a group's ceiling later: free only when it leaves `maxSize` alone. */
const autoscalingSchedule: Rule = {
    doc: { from: "free when it leaves the maximum alone, else unknown", inputs: "`maxSize`" },
    steps: [
        read("max", { input: "maxSize", as: "count" }),
        stop({ unknown: "$max" }, unknown(["maxSize"])),
        read("raw", { input: "maxSize", as: "raw" }),
        stop({ any: [{ nullish: "$raw" }, { eq: ["$raw", -1] }, { eq: ["$raw", "-1"] }] }, free("leaves the group's maxSize alone: bounded by the group, which is priced at its maxSize")),
        set("shown", { if: [{ number: "$max" }, { fmt: "{max:num}" }, { fmt: "{raw:q}" }] }),
        stop(true, unpriced("sets the group's maxSize to {shown} later: the group's price at that ceiling is not known here")),
    ],
};

/** An Application Auto Scaling scheduled action: free only when it does not raise `maxCapacity`. */
const appScheduledAction: Rule = {
    doc: { from: "free when it leaves the maximum alone, else unknown", inputs: "`scalableTargetAction.maxCapacity`" },
    steps: [
        read("action", { input: "scalableTargetAction", as: "block" }),
        stop({ unknown: "$action" }, unknown(["scalableTargetAction"])),
        read("max", { input: "maxCapacity", as: "raw", from: "action" }),
        stop({ unknown: "$max" }, unknown(["scalableTargetAction.maxCapacity"])),
        stop({ nullish: "$max" }, free("does not change maxCapacity: bounded by the scalable target")),
        stop(true, unpriced("sets maxCapacity to {max} later: the scaled resource's price at that ceiling is not known here")),
    ],
};

const LAUNCH = { from: "free; priced through what uses them", inputs: "" };

export const COMPUTE: Rules = {
    "aws:ec2/instance:Instance": instance(false),
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": instance(true),
    "aws:autoscaling/group:Group": autoscalingGroup,
    "aws:eks/nodeGroup:NodeGroup": eksNodeGroup,
    "aws:autoscaling/schedule:Schedule": autoscalingSchedule,
    "aws:appautoscaling/scheduledAction:ScheduledAction": appScheduledAction,
    "aws:ecs/service:Service": ecsService,
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": lambdaProvisioned,
    "aws:eks/cluster:Cluster": hourly({ from: "`network`", inputs: "— (standard support)" }, "network", "eks_cluster", "EKS cluster", "standard support; extended support for old Kubernetes versions costs more"),
    "aws:ec2/launchTemplate:LaunchTemplate": always(LAUNCH, free("no charge of its own; priced through the instances and groups that use it")),
    "aws:ec2/launchConfiguration:LaunchConfiguration": always(LAUNCH, free("no charge of its own; priced through the groups that use it")),
    "aws:ec2/dedicatedHost:DedicatedHost": always({ from: "unpriced (no prices in the snapshot)", inputs: "" }, unpriced("dedicated host prices are not in the snapshot")),
};
