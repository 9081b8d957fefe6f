/**
 * One fixture per priced type of the reviewed type table: inputs → expected monthly USD (or
 * status) and a phrase of the basis. test/cost/priced.test.ts runs them and fails when a priced
 * type has none. Figures are list prices × 730 h from the shipped snapshot (us-east-1 unless said).
 */
import { Props, UNKNOWN } from "../../src/facts/facts";

const H = 730;

export interface PricedFixture {
    readonly props: Props;
    /** Linked resources by input name (launch templates, task definitions, functions). */
    readonly deps?: { readonly [input: string]: { readonly type: string; readonly props: Props } };
    readonly region?: string;
    readonly status?: "priced" | "free" | "usage" | "unpriced" | "unknown";
    readonly monthlyUsd?: number;
    /** A phrase the basis must contain (never empty). */
    readonly basis: string;
    readonly purchase?: boolean;
}

export const PRICED_FIXTURES: { readonly [type: string]: PricedFixture } = {
    "aws:ec2/instance:Instance": { props: { instanceType: "m5.large", rootBlockDevice: { volumeSize: 20, volumeType: "gp3" } }, monthlyUsd: 0.096 * H + 20 * 0.08, basis: "m5.large × 730 h" },
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": { props: { instanceType: "t3.micro" }, monthlyUsd: 0.0104 * H + 0.8, basis: "spot capacity priced at the on-demand rate" },
    "aws:autoscaling/group:Group": {
        props: { desiredCapacity: 1, minSize: 1, maxSize: 4, launchTemplate: { id: UNKNOWN } },
        deps: { launchTemplate: { type: "aws:ec2/launchTemplate:LaunchTemplate", props: { instanceType: "t3.micro", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 10, volumeType: "gp3" } }] } } },
        monthlyUsd: 4 * 0.0104 * H + 4 * 10 * 0.08,
        basis: "maxSize (the ceiling it can scale to): 4",
    },
    "aws:autoscaling/schedule:Schedule": { props: { autoscalingGroupName: "g", desiredCapacity: 100, maxSize: 100 }, status: "unpriced", basis: "sets the group's maxSize to 100" },
    "aws:appautoscaling/scheduledAction:ScheduledAction": { props: { scalableTargetAction: { maxCapacity: 20 } }, status: "unpriced", basis: "sets maxCapacity to 20" },
    "aws:eks/nodeGroup:NodeGroup": { props: { instanceTypes: ["m5.large"], scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 3 } }, monthlyUsd: 3 * 0.096 * H, basis: "scalingConfig.maxSize" },
    "aws:eks/cluster:Cluster": { props: { roleArn: UNKNOWN }, monthlyUsd: 0.1 * H, basis: "EKS cluster × 730 h" },
    "aws:ecs/service:Service": {
        props: { launchType: "FARGATE", desiredCount: 2, taskDefinition: UNKNOWN },
        deps: { taskDefinition: { type: "aws:ecs/taskDefinition:TaskDefinition", props: { cpu: "512", memory: "1024" } } },
        monthlyUsd: 2 * (0.5 * 0.04048 + 1 * 0.004445) * H,
        basis: "0.5 vCPU",
    },
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": {
        props: { provisionedConcurrentExecutions: 2, functionName: UNKNOWN },
        deps: { functionName: { type: "aws:lambda/function:Function", props: { memorySize: 512 } } },
        monthlyUsd: 2 * 0.5 * 0.015 * H,
        basis: "2 × 0.5 GB",
    },
    "aws:kinesis/stream:Stream": { props: { shardCount: 2 }, monthlyUsd: 2 * 0.015 * H, basis: "2 shard(s)" },
    "aws:apigateway/stage:Stage": { props: { cacheClusterEnabled: true, cacheClusterSize: "6.1" }, monthlyUsd: 0.2 * H, basis: "6.1 GB cache" },
    "aws:ebs/volume:Volume": { props: { type: "gp3", size: 100 }, monthlyUsd: 8, basis: "100 GiB gp3" },
    "aws:rds/instance:Instance": { props: { instanceClass: "db.t3.micro", engine: "postgres", allocatedStorage: 20 }, monthlyUsd: 0.018 * H + 20 * 0.115, basis: "db.t3.micro" },
    "aws:rds/clusterInstance:ClusterInstance": { props: { instanceClass: "db.r6g.large", engine: "aurora-postgresql" }, status: "unpriced", basis: "Aurora instance prices are not in the snapshot" },
    "aws:rds/reservedInstance:ReservedInstance": { props: { offeringId: "o-1", instanceCount: 1 }, status: "unpriced", basis: "reservation prices are not in the snapshot", purchase: true },
    "aws:elasticache/cluster:Cluster": { props: { engine: "redis", nodeType: "cache.t3.micro", numCacheNodes: 1 }, monthlyUsd: 0.017 * H, basis: "cache.t3.micro" },
    "aws:elasticache/replicationGroup:ReplicationGroup": { props: { engine: "redis", nodeType: "cache.t3.micro", numCacheClusters: 2 }, monthlyUsd: 2 * 0.017 * H, basis: "cache.t3.micro" },
    "aws:elasticache/reservedCacheNode:ReservedCacheNode": { props: { reservedCacheNodesOfferingId: "o-1", cacheNodeCount: 1 }, status: "unpriced", basis: "reservation prices are not in the snapshot", purchase: true },
    "aws:dynamodb/table:Table": { props: { billingMode: "PROVISIONED", readCapacity: 10, writeCapacity: 5 }, monthlyUsd: (10 * 0.00013 + 5 * 0.00065) * H, basis: "5 WCU" },
    "aws:ec2/natGateway:NatGateway": { props: { subnetId: "s", allocationId: "eipalloc-1" }, monthlyUsd: 0.045 * H, basis: "NAT gateway × 730 h" },
    "aws:ec2/eip:Eip": { props: { domain: "vpc" }, monthlyUsd: 0.005 * H, basis: "public IPv4" },
    "aws:lb/loadBalancer:LoadBalancer": { props: { subnets: ["a", "b"] }, monthlyUsd: (0.0225 + 2 * 0.005) * H, basis: "one per subnet" },
    "aws:alb/loadBalancer:LoadBalancer": { props: { internal: true, loadBalancerType: "network" }, monthlyUsd: 0.0225 * H, basis: "Network Load Balancer" },
    "aws:elb/loadBalancer:LoadBalancer": { props: { availabilityZones: ["us-east-1a"] }, monthlyUsd: (0.025 + 0.005) * H, basis: "Classic Load Balancer" },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { props: { vpcEndpointType: "Interface", subnetIds: ["a", "b"], serviceName: "com.amazonaws.us-east-1.sqs" }, monthlyUsd: 2 * 0.01 * H, basis: "2 AZ × 730 h" },
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": { props: { transitGatewayId: "tgw-1" }, monthlyUsd: 0.05 * H, basis: "Transit Gateway attachment" },
    "aws:ec2/vpnConnection:VpnConnection": { props: { customerGatewayId: "c", type: "ipsec.1" }, monthlyUsd: 0.05 * H, basis: "Site-to-Site VPN connection" },
    "aws:ec2clientvpn/networkAssociation:NetworkAssociation": { props: { clientVpnEndpointId: "e", subnetId: "s" }, monthlyUsd: 0.1 * H, basis: "Client VPN endpoint association" },
    "aws:route53/zone:Zone": { props: { name: "example.com" }, monthlyUsd: 0.5, basis: "hosted zone" },
    "aws:kms/key:Key": { props: {}, monthlyUsd: 1, basis: "customer managed KMS key" },
    "aws:kms/replicaKey:ReplicaKey": { props: {}, monthlyUsd: 1, basis: "customer managed KMS key" },
    "aws:kms/externalKey:ExternalKey": { props: {}, monthlyUsd: 1, basis: "customer managed KMS key" },
    "aws:kms/replicaExternalKey:ReplicaExternalKey": { props: {}, monthlyUsd: 1, basis: "customer managed KMS key" },
    "aws:secretsmanager/secret:Secret": { props: {}, monthlyUsd: 0.4, basis: "secret" },
    "aws:route53domains/domain:Domain": { props: { domainName: "example.io" }, monthlyUsd: 71 / 12, basis: ".io $71/year", purchase: true },
    "aws:route53domains/registeredDomain:RegisteredDomain": { props: { domainName: "example.io" }, monthlyUsd: 71 / 12, basis: ".io $71/year", purchase: true },
    "aws:shield/subscription:Subscription": { props: {}, monthlyUsd: 3000, basis: "Shield Advanced", purchase: true },
    "aws:shield/protection:Protection": { props: { resourceArn: "arn" }, status: "usage", basis: "the subscription is priced on its own", purchase: true },
    "aws:ec2/capacityReservation:CapacityReservation": { props: { instanceType: "m5.large", instanceCount: 2, availabilityZone: "us-east-1a", instancePlatform: "Linux/UNIX" }, monthlyUsd: 2 * 0.096 * H, basis: "m5.large", purchase: true },
    "aws:ec2/capacityBlockReservation:CapacityBlockReservation": { props: { capacityBlockOfferingId: "cb-1" }, status: "unpriced", basis: "capacity blocks are paid up front", purchase: true },
    "aws:ec2/dedicatedHost:DedicatedHost": { props: { instanceFamily: "m5" }, status: "unpriced", basis: "dedicated host prices are not in the snapshot" },
    "aws:budgets/budget:Budget": { props: { budgetType: "COST", limitAmount: "250", limitUnit: "USD", timeUnit: "MONTHLY" }, status: "free", basis: "declares a budget of $250.00/month" },
    "aws:ec2/launchTemplate:LaunchTemplate": { props: { instanceType: "p4d.24xlarge" }, status: "free", basis: "priced through the instances and groups that use it" },
    "aws:ec2/launchConfiguration:LaunchConfiguration": { props: { instanceType: "m5.large" }, status: "free", basis: "priced through the groups that use it" },
    "aws:savingsplans/savingsPlan:SavingsPlan": { props: { commitment: "0.5" }, monthlyUsd: 365, basis: "$0.5/h", purchase: true },
    "cloudflare:index/zone:Zone": { props: { name: "example.com" }, status: "free", basis: "Cloudflare zone on the free plan" },
    "cloudflare:index/zoneSubscription:ZoneSubscription": { props: { zoneId: "z", ratePlan: { id: "business" } }, status: "unpriced", basis: "Cloudflare plan prices are not in the snapshot", purchase: true },
    "cloudflare:index/accountSubscription:AccountSubscription": { props: { accountId: "a", ratePlan: { id: "teams_standard" } }, status: "unpriced", basis: "Cloudflare plan prices are not in the snapshot", purchase: true },
};
