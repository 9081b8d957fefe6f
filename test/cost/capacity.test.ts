import { describe, expect, it } from "vitest";
import { createEstimator } from "../../src/cost";
import { UNKNOWN } from "../../src/facts/facts";
import { H, aws } from "./helpers";

const est = createEstimator();

describe("capacity that can grow later", () => {
    const lt = aws("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "p4d.24xlarge", blockDeviceMappings: [] }, { name: "gpu-lt" });

    it("prices a group at desired capacity 0 at its ceiling, so a later scheduled action cannot hide it", () => {
        const asg = aws("aws:autoscaling/group:Group", { desiredCapacity: 0, minSize: 0, maxSize: 100, launchTemplate: { id: UNKNOWN } }, { dependencies: { launchTemplate: [lt] } });
        const c = est.estimate(asg);
        expect(c.status).toBe("priced");
        expect(c.monthlyUsd).toBeGreaterThan(100 * 21 * H);
    });

    it("makes a scheduled action that raises a group's maxSize an unknown price; one that leaves it alone is bounded", () => {
        expect(est.estimate(aws("aws:autoscaling/schedule:Schedule", { autoscalingGroupName: "g", desiredCapacity: 100, maxSize: 100, minSize: 0 })).status).toBe("unpriced");
        expect(est.estimate(aws("aws:autoscaling/schedule:Schedule", { autoscalingGroupName: "g", desiredCapacity: 3, maxSize: UNKNOWN })).status).toBe("unknown");
        expect(est.estimate(aws("aws:autoscaling/schedule:Schedule", { autoscalingGroupName: "g", desiredCapacity: 3, maxSize: -1 })).status).toBe("free");
        expect(est.estimate(aws("aws:autoscaling/schedule:Schedule", { autoscalingGroupName: "g", desiredCapacity: 3 })).status).toBe("free");
        // scaling policies stay within the group's maxSize, which is priced
        expect(est.estimate(aws("aws:autoscaling/policy:Policy", { autoscalingGroupName: "g" })).status).toBe("free");
    });

    it("treats Application Auto Scaling the same way", () => {
        expect(est.estimate(aws("aws:appautoscaling/scheduledAction:ScheduledAction", { scalableTargetAction: { maxCapacity: 50 } })).status).toBe("unpriced");
        expect(est.estimate(aws("aws:appautoscaling/scheduledAction:ScheduledAction", { scalableTargetAction: { minCapacity: 1 } })).status).toBe("free");
        expect(est.estimate(aws("aws:appautoscaling/target:Target", { maxCapacity: 50 })).status).toBe("unpriced");
    });
});

describe("caches and provisioned capacity inside otherwise free resources", () => {
    it("prices an API Gateway stage's cache cluster by size (237 GB ≈ $2.8k/month)", () => {
        const big = est.estimate(aws("aws:apigateway/stage:Stage", { cacheClusterEnabled: true, cacheClusterSize: "237" }));
        expect(big.status).toBe("priced");
        expect(big.monthlyUsd).toBeCloseTo(3.8 * H, 2);
        expect(big.basis).toContain("237 GB cache");
        expect(est.estimate(aws("aws:apigateway/stage:Stage", { cacheClusterEnabled: true })).monthlyUsd).toBeCloseTo(0.02 * H, 2);
        expect(est.estimate(aws("aws:apigateway/stage:Stage", { stageName: "prod" })).status).toBe("free");
        expect(est.estimate(aws("aws:apigateway/stage:Stage", { cacheClusterEnabled: UNKNOWN })).status).toBe("unknown");
        expect(est.estimate(aws("aws:apigateway/stage:Stage", { cacheClusterEnabled: true, cacheClusterSize: "999" })).status).toBe("unpriced");
    });
});

describe("fixed costs real programs carry", () => {
    const task = aws("aws:ecs/taskDefinition:TaskDefinition", { cpu: "256", memory: "512", requiresCompatibilities: ["FARGATE"] }, { name: "task" });

    it("prices a Fargate service at desired count × task vCPU and GB, plus a public IPv4 per task", () => {
        const svc = aws("aws:ecs/service:Service", { launchType: "FARGATE", desiredCount: 1, taskDefinition: UNKNOWN }, { dependencies: { taskDefinition: [task] } });
        const c = est.estimate(svc);
        expect(c.status).toBe("priced");
        expect(c.monthlyUsd).toBeCloseTo(0.25 * 0.04048 * H + 0.5 * 0.004445 * H, 2); // ≈ $9
        const pub = est.estimate(
            aws("aws:ecs/service:Service", { launchType: "FARGATE", desiredCount: 2, taskDefinition: UNKNOWN, networkConfiguration: { assignPublicIp: true, subnets: ["s"] } }, { dependencies: { taskDefinition: [task] } }),
        );
        expect(pub.monthlyUsd).toBeCloseTo(2 * (0.25 * 0.04048 + 0.5 * 0.004445 + 0.005) * H, 2);
        expect(est.estimate(aws("aws:ecs/service:Service", { launchType: "FARGATE", desiredCount: 1, taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/x:1" })).status).toBe("unpriced");
        expect(est.estimate(aws("aws:ecs/service:Service", { launchType: "EC2", desiredCount: 3 })).status).toBe("free");
        expect(est.estimate(aws("aws:ecs/service:Service", { launchType: "FARGATE", desiredCount: UNKNOWN })).status).toBe("unknown");
    });

    it("prices a service that names no launch type or capacity provider as Fargate: the cluster's default strategy may be Fargate", () => {
        const big = aws("aws:ecs/taskDefinition:TaskDefinition", { cpu: "16384", memory: "122880" }, { name: "big" });
        const fargate = est.estimate(aws("aws:ecs/service:Service", { launchType: "FARGATE", desiredCount: 500, taskDefinition: UNKNOWN }, { dependencies: { taskDefinition: [big] } }));
        const silent = est.estimate(aws("aws:ecs/service:Service", { desiredCount: 500, taskDefinition: UNKNOWN }, { dependencies: { taskDefinition: [big] } }));
        expect(silent.status).toBe("priced");
        expect(silent.monthlyUsd).toBeGreaterThan(400_000);
        expect(silent.monthlyUsd).toBeCloseTo(fargate.monthlyUsd ?? 0, 2);
        expect(silent.basis).toContain("cluster's default strategy");
        // A launch type the pack does not know is not taken for EC2.
        expect(est.estimate(aws("aws:ecs/service:Service", { launchType: "MANAGED", desiredCount: 3 })).status).toBe("unknown");
        expect(est.estimate(aws("aws:ecs/service:Service", { launchType: "fargate", desiredCount: 500, taskDefinition: UNKNOWN }, { dependencies: { taskDefinition: [big] } })).monthlyUsd).toBeGreaterThan(400_000);
    });

    it("prices Kinesis shards, and Lambda provisioned concurrency by the function's memory", () => {
        expect(est.estimate(aws("aws:kinesis/stream:Stream", { shardCount: 1 })).monthlyUsd).toBeCloseTo(0.015 * H, 2); // ≈ $11
        expect(est.estimate(aws("aws:kinesis/stream:Stream", { streamModeDetails: { streamMode: "ON_DEMAND" } })).status).toBe("usage");
        const fn = aws("aws:lambda/function:Function", { memorySize: 1024 }, { name: "fn" });
        const pc = est.estimate(aws("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", { provisionedConcurrentExecutions: 5, functionName: UNKNOWN }, { dependencies: { functionName: [fn] } }));
        expect(pc.monthlyUsd).toBeCloseTo(5 * 1 * 0.015 * H, 2);
        expect(est.estimate(aws("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", { provisionedConcurrentExecutions: 5, functionName: "elsewhere" })).status).toBe("unpriced");
    });

    it("prices an instance's root volume at the documented default when the AMI sizes it", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "t3.micro" }));
        expect(c.basis).toContain("root 8 GiB gp2");
        const sized = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "t3.micro", rootBlockDevice: { volumeSize: 50, volumeType: "gp3" } }));
        expect(sized.monthlyUsd).toBeCloseTo(0.0104 * H + 50 * 0.08, 2);
    });
});
