import { describe, expect, it } from "vitest";
import { createEstimator } from "../../src/cost";
import { UNKNOWN } from "../../src/facts/facts";
import { CENT, H, ROOT, aws, other } from "./helpers";

const est = createEstimator();

describe("known list prices × 730 h (tolerance: one cent)", () => {
    const cases: [string, string, string, number][] = [
        // [what, region, instance type, USD per hour from the snapshot's sources]
        ["Karpenter us-east-1", "us-east-1", "m6i.large", 0.096],
        ["Karpenter us-east-1", "us-east-1", "t3.micro", 0.0104],
        ["Karpenter us-east-1", "us-east-1", "p5.48xlarge", 55.04],
        ["pricing page eu-west-1", "eu-west-1", "m6i.large", 0.107],
        ["pricing page sa-east-1", "sa-east-1", "t3.micro", 0.0168],
        ["metal from the page, not Karpenter's dedicated row", "us-east-1", "c6g.metal", 2.176],
    ];
    it.each(cases)("EC2 %s: %s %s", (_what, region, type, hourly) => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: type }, { region }));
        expect(c.status).toBe("priced");
        expect(c.monthlyUsd).toBeCloseTo(hourly * H + ROOT, 2);
        expect(Math.abs(c.monthlyUsd - hourly * H - ROOT)).toBeLessThan(CENT);
        expect(c.region).toBe(region);
        expect(c.regionSource).toBe("provider");
        expect(c.basis).toContain(`${type} × 730 h`);
    });

    it("says which source and date the price came from", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m5.large" }));
        expect(c.basis).toContain("m5.large × 730 h × $0.096/h + root 8 GiB gp2 × $0.1/GB-month = $70.88/month");
        expect(c.basis).toContain("root volume size from the AMI: priced at the 8 GiB default");
        expect(c.basis).toContain("Karpenter");
        expect(c.basis).toContain("2026-07-20");
        const eu = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m5.large" }, { region: "eu-west-1" }));
        expect(eu.basis).toContain("2025-11-04");
    });

    it("RDS by class, engine and Multi-AZ", () => {
        const pg = est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.t3.micro", engine: "postgres" }));
        expect(pg.status).toBe("priced");
        expect(pg.monthlyUsd).toBeCloseTo(0.018 * H, 2);
        const my = est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.t3.micro", engine: "mysql", multiAz: true }));
        expect(my.monthlyUsd).toBeCloseTo(0.034 * H, 2);
        expect(my.basis).toContain("Multi-AZ");
        const big = est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.r6g.16xlarge", engine: "postgres", multiAz: "true" }));
        expect(big.monthlyUsd).toBeCloseTo(14.387 * H, 2);
        const eu = est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.m5.large", engine: "postgres", multiAz: true }, { region: "eu-west-1" }));
        expect(eu.monthlyUsd).toBeCloseTo(0.394 * H, 2);
        expect(eu.region).toBe("eu-west-1");
    });

    it("RDS storage adds GB-months, doubled for Multi-AZ", () => {
        const single = est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.t3.micro", engine: "postgres", allocatedStorage: 20 }));
        expect(single.monthlyUsd).toBeCloseTo(0.018 * H + 20 * 0.115, 2);
        const multi = est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.t3.micro", engine: "mysql", allocatedStorage: 100, multiAz: true }));
        expect(multi.monthlyUsd).toBeCloseTo(0.034 * H + 100 * 0.23, 2);
        const io1 = est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.t3.micro", engine: "mysql", allocatedStorage: 100, storageType: "io1", iops: 1000 }));
        expect(io1.monthlyUsd).toBeCloseTo(0.017 * H + 100 * 0.125 + 1000 * 0.1, 2);
    });

    it("MariaDB at the MySQL rate; engines without data are unpriced, never $0 priced", () => {
        const maria = est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.t3.micro", engine: "mariadb" }));
        expect(maria.monthlyUsd).toBeCloseTo(0.017 * H, 2);
        expect(maria.basis).toContain("MariaDB");
        const oracle = est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.m5.large", engine: "oracle-ee" }));
        expect(oracle.status).toBe("unpriced");
        expect(oracle.monthlyUsd).toBe(0);
        expect(oracle.basis).toContain("oracle-ee");
    });

    it("NAT gateway, Elastic IP, EKS cluster, load balancers", () => {
        const nat = est.estimate(aws("aws:ec2/natGateway:NatGateway", { subnetId: UNKNOWN }));
        expect(nat.monthlyUsd).toBeCloseTo((0.045 + 0.005) * H, 2); // and its public IPv4 address
        const natEu = est.estimate(aws("aws:ec2/natGateway:NatGateway", {}, { region: "eu-west-1" }));
        expect(natEu.monthlyUsd).toBeCloseTo((0.048 + 0.005) * H, 2);
        expect(est.estimate(aws("aws:ec2/natGateway:NatGateway", { allocationId: UNKNOWN })).monthlyUsd).toBeCloseTo(0.045 * H, 2); // the Elastic IP is priced on its own
        expect(est.estimate(aws("aws:ec2/natGateway:NatGateway", { connectivityType: "private" })).monthlyUsd).toBeCloseTo(0.045 * H, 2);
        expect(est.estimate(aws("aws:ec2/eip:Eip", { domain: "vpc" })).monthlyUsd).toBeCloseTo(0.005 * H, 2);
        expect(est.estimate(aws("aws:eks/cluster:Cluster", { roleArn: UNKNOWN })).monthlyUsd).toBeCloseTo(0.1 * H, 2);
        // Internet-facing load balancers hold a public IPv4 address per subnet (two zones when the subnets are not listed).
        expect(est.estimate(aws("aws:lb/loadBalancer:LoadBalancer", {})).monthlyUsd).toBeCloseTo((0.0225 + 2 * 0.005) * H, 2);
        expect(est.estimate(aws("aws:lb/loadBalancer:LoadBalancer", { subnets: ["a", "b", "c"] })).monthlyUsd).toBeCloseTo((0.0225 + 3 * 0.005) * H, 2);
        expect(est.estimate(aws("aws:lb/loadBalancer:LoadBalancer", { internal: true, subnets: ["a", "b", "c"] })).monthlyUsd).toBeCloseTo(0.0225 * H, 2);
        expect(est.estimate(aws("aws:lb/loadBalancer:LoadBalancer", { subnets: UNKNOWN })).status).toBe("unknown");
        expect(est.estimate(aws("aws:alb/loadBalancer:LoadBalancer", { loadBalancerType: "network", internal: true })).monthlyUsd).toBeCloseTo(0.0225 * H, 2);
        expect(est.estimate(aws("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "gateway" })).monthlyUsd).toBeCloseTo(0.0125 * H, 2);
        expect(est.estimate(aws("aws:elb/loadBalancer:LoadBalancer", { internal: true })).monthlyUsd).toBeCloseTo(0.025 * H, 2);
        const byoip = est.estimate(aws("aws:ec2/eip:Eip", { publicIpv4Pool: "ipv4pool-ec2-123" }));
        expect(byoip.status).toBe("free");
    });

    it("EBS volumes by type and size", () => {
        const vol = (props: Record<string, string | number>) => est.estimate(aws("aws:ebs/volume:Volume", { availabilityZone: "us-east-1a", ...props }));
        expect(vol({ type: "gp3", size: 100 }).monthlyUsd).toBeCloseTo(8, 2);
        expect(vol({ size: 100 }).monthlyUsd).toBeCloseTo(10, 2); // gp2, the EBS default
        expect(vol({ size: 100 }).basis).toContain("gp2");
        expect(vol({ type: "gp3", size: 100, iops: 6000, throughput: 250 }).monthlyUsd).toBeCloseTo(8 + 3000 * 0.005 + 125 * 0.04, 2);
        expect(vol({ type: "io1", size: 100, iops: 1000 }).monthlyUsd).toBeCloseTo(12.5 + 65, 2);
        expect(vol({ type: "io2", size: 100, iops: 40000 }).monthlyUsd).toBeCloseTo(12.5 + 32000 * 0.065 + 8000 * 0.0455, 2);
        expect(vol({ type: "st1", size: 500 }).monthlyUsd).toBeCloseTo(22.5, 2);
        expect(vol({ type: "sc1", size: "500" }).monthlyUsd).toBeCloseTo(7.5, 2);
        expect(vol({ type: "zz9", size: 10 }).status).toBe("unpriced");
        expect(vol({ snapshotId: "snap-1" }).status).toBe("unpriced");
    });

    it("instances include explicitly sized volumes and a public IPv4 address", () => {
        const c = est.estimate(
            aws("aws:ec2/instance:Instance", {
                instanceType: "t3.micro",
                rootBlockDevice: { volumeSize: 30, volumeType: "gp3" },
                ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 100, volumeType: "gp2" }],
                associatePublicIpAddress: true,
            }),
        );
        expect(c.monthlyUsd).toBeCloseTo(0.0104 * H + 30 * 0.08 + 100 * 0.1 + 0.005 * H, 2);
        expect(c.basis).toContain("public IPv4");
    });

    it("DynamoDB provisioned capacity is priced; on-demand is usage", () => {
        const prov = est.estimate(aws("aws:dynamodb/table:Table", { readCapacity: 10, writeCapacity: 5, globalSecondaryIndexes: [{ name: "g", readCapacity: 5, writeCapacity: 5 }] }));
        expect(prov.monthlyUsd).toBeCloseTo(15 * 0.00013 * H + 10 * 0.00065 * H, 4);
        expect(est.estimate(aws("aws:dynamodb/table:Table", { billingMode: "PAY_PER_REQUEST" })).status).toBe("usage");
    });

    it("fixed monthly charges: hosted zone, KMS key, secret", () => {
        expect(est.estimate(aws("aws:route53/zone:Zone", { name: "example.com" })).monthlyUsd).toBeCloseTo(0.5, 4);
        expect(est.estimate(aws("aws:kms/key:Key", {})).monthlyUsd).toBeCloseTo(1, 4);
        expect(est.estimate(aws("aws:secretsmanager/secret:Secret", {})).monthlyUsd).toBeCloseTo(0.4, 4);
    });
});

describe("multipliers", () => {
    const lt = aws("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "m5.large", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 20, volumeType: "gp3" } }] });

    it("autoscaling group: its ceiling (maxSize) × the launch template's instance type (and its volumes)", () => {
        const asg = aws("aws:autoscaling/group:Group", { desiredCapacity: 3, minSize: 1, maxSize: 10, launchTemplate: { id: UNKNOWN, version: "$Latest" } }, { dependencies: { launchTemplate: [lt] } });
        const c = est.estimate(asg);
        expect(c.status).toBe("priced");
        expect(c.monthlyUsd).toBeCloseTo(10 * 0.096 * H + 10 * 20 * 0.08, 2);
        expect(c.basis).toContain("10 × m5.large × 730 h");
        expect(c.basis).toContain("maxSize (the ceiling it can scale to): 10");
        expect(est.estimate(lt).status).toBe("free");
    });

    it("autoscaling group at desired capacity 0 is still priced at its ceiling (a scheduled action can scale it)", () => {
        const c = est.estimate(aws("aws:autoscaling/group:Group", { desiredCapacity: 0, minSize: 0, maxSize: 4, launchTemplate: { id: "lt-1" } }, { dependencies: { launchTemplate: [lt] } }));
        expect(c.monthlyUsd).toBeCloseTo(4 * 0.096 * H + 4 * 20 * 0.08, 2);
        const noMax = est.estimate(aws("aws:autoscaling/group:Group", { minSize: 2, launchTemplate: { id: "lt-1" } }, { dependencies: { launchTemplate: [lt] } }));
        expect(noMax.monthlyUsd).toBeCloseTo(2 * 0.096 * H + 2 * 20 * 0.08, 2);
    });

    it("mixed-instances overrides are priced at the dearest type", () => {
        const c = est.estimate(
            aws("aws:autoscaling/group:Group", {
                desiredCapacity: 2,
                minSize: 0,
                maxSize: 2,
                mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: UNKNOWN }, overrides: [{ instanceType: "t3.micro" }, { instanceType: "m5.large" }] } },
            }),
        );
        expect(c.monthlyUsd).toBeCloseTo(2 * 0.096 * H, 2);
        expect(c.basis).toContain("dearest");
    });

    it("a group whose launch template is unknown at preview and not linked is unknown", () => {
        const c = est.estimate(aws("aws:autoscaling/group:Group", { desiredCapacity: 2, minSize: 1, maxSize: 3, launchTemplate: { id: UNKNOWN } }));
        expect(c.status).toBe("unknown");
        expect(c.unknownInputs).toEqual(["launchTemplate"]);
        expect(c.monthlyUsd).toBe(0);
    });

    it("a group whose ceiling is unknown is unknown", () => {
        const c = est.estimate(aws("aws:autoscaling/group:Group", { desiredCapacity: 1, minSize: 1, maxSize: UNKNOWN }, { dependencies: { launchTemplate: [lt] } }));
        expect(c.status).toBe("unknown");
        expect(c.unknownInputs).toContain("maxSize");
    });

    it("an instance launched from a launch template of the stack", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { launchTemplate: { id: UNKNOWN } }, { dependencies: { launchTemplate: [lt] } }));
        expect(c.monthlyUsd).toBeCloseTo(0.096 * H + 20 * 0.08, 2);
    });

    it("EKS node group: its ceiling (maxSize) × instance type", () => {
        const c = est.estimate(aws("aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["m5.large"], scalingConfig: { desiredSize: 4, minSize: 1, maxSize: 6 } }));
        expect(c.monthlyUsd).toBeCloseTo(6 * 0.096 * H, 2);
        const dflt = est.estimate(aws("aws:eks/nodeGroup:NodeGroup", { scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 2 } }));
        expect(dflt.basis).toContain("t3.medium");
    });

    it("ElastiCache cluster: node count × node type", () => {
        const c = est.estimate(aws("aws:elasticache/cluster:Cluster", { engine: "redis", nodeType: "cache.r6g.large", numCacheNodes: 3 }));
        expect(c.monthlyUsd).toBeCloseTo(3 * 0.206 * H, 2);
        const one = est.estimate(aws("aws:elasticache/cluster:Cluster", { engine: "memcached", nodeType: "cache.t3.micro" }));
        expect(one.monthlyUsd).toBeCloseTo(0.017 * H, 2);
    });

    it("ElastiCache replication group: shards × (replicas + 1), or numCacheClusters", () => {
        const sharded = est.estimate(aws("aws:elasticache/replicationGroup:ReplicationGroup", { nodeType: "cache.r6g.large", numNodeGroups: 2, replicasPerNodeGroup: 1 }));
        expect(sharded.monthlyUsd).toBeCloseTo(4 * 0.206 * H, 2);
        const plain = est.estimate(aws("aws:elasticache/replicationGroup:ReplicationGroup", { nodeType: "cache.r6g.large", numCacheClusters: 2 }));
        expect(plain.monthlyUsd).toBeCloseTo(2 * 0.206 * H, 2);
        const eu = est.estimate(aws("aws:elasticache/replicationGroup:ReplicationGroup", { nodeType: "cache.r6g.large", numCacheClusters: 2 }, { region: "eu-west-1" }));
        expect(eu.monthlyUsd).toBeCloseTo(2 * 0.229 * H, 2);
    });

    it("interface VPC endpoints: one charge per subnet", () => {
        const c = est.estimate(aws("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Interface", subnetIds: [UNKNOWN, UNKNOWN, UNKNOWN] }));
        expect(c.monthlyUsd).toBeCloseTo(3 * 0.01 * H, 2);
        expect(est.estimate(aws("aws:ec2/vpcEndpoint:VpcEndpoint", { serviceName: "com.amazonaws.us-east-1.s3" })).status).toBe("free");
    });
});

describe("region", () => {
    it("uses the provider's region when known", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m6i.large" }, { region: "eu-west-1" }));
        expect(c).toMatchObject({ region: "eu-west-1", regionSource: "provider" });
    });

    it("reads a JSON-encoded provider region", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m6i.large" }, { region: '"eu-west-1"' }));
        expect(c).toMatchObject({ region: "eu-west-1", regionSource: "provider" });
        expect(c.monthlyUsd).toBeCloseTo(0.107 * H + ROOT, 2);
    });

    it("a resource's own region wins over its provider's", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "t3.micro", region: "sa-east-1" }, { region: "eu-west-1" }));
        expect(c).toMatchObject({ region: "sa-east-1", regionSource: "resource" });
        expect(c.monthlyUsd).toBeCloseTo(0.0168 * H + ROOT, 2);
    });

    it("falls back to us-east-1 and says so when no region is set", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m6i.large" }));
        expect(c).toMatchObject({ region: "us-east-1", regionSource: "default" });
        expect(c.basis).toContain("us-east-1 by default, no region set on the provider");
        const noProvider = est.estimate({ urn: "urn:x", type: "aws:ec2/natGateway:NatGateway", name: "n", kind: "custom", props: {} });
        expect(noProvider).toMatchObject({ status: "priced", region: "us-east-1", regionSource: "default" });
    });

    it("falls back to us-east-1 when the provider's region is unknown or odd", () => {
        const unknown = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m6i.large" }, { region: UNKNOWN }));
        expect(unknown).toMatchObject({ status: "priced", region: "us-east-1", regionSource: "default" });
        expect(unknown.basis).toContain("region unknown at preview");
        const odd = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m6i.large" }, { region: "moon-base-1a" }));
        expect(odd).toMatchObject({ region: "us-east-1", regionSource: "default" });
        expect(odd.basis).toContain("not recognised");
    });

    it("a type with no price in the region is priced at us-east-1's, and says so", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m7i-flex.large" }, { region: "eu-west-1" }));
        expect(c.status).toBe("priced");
        expect(c.monthlyUsd).toBeCloseTo(0.09576 * H + ROOT, 2);
        expect(c).toMatchObject({ region: "us-east-1", regionSource: "default" });
        expect(c.basis).toContain("no eu-west-1 price in the snapshot, us-east-1 price used");
    });

    it("written-down us-east-1 figures stand in for other regions, and say so", () => {
        const c = est.estimate(aws("aws:ebs/volume:Volume", { type: "gp3", size: 100 }, { region: "ap-southeast-2" }));
        expect(c.monthlyUsd).toBeCloseTo(8, 2);
        expect(c.basis).toContain("us-east-1 price used");
    });

    it("a custom default region (the CLI's --region) is used and marked default", () => {
        const e = createEstimator({ defaultRegion: "eu-west-1" });
        const c = e.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m6i.large" }));
        expect(c).toMatchObject({ region: "eu-west-1", regionSource: "default" });
        expect(c.monthlyUsd).toBeCloseTo(0.107 * H + ROOT, 2);
    });
});

describe("unknown and unpriced", () => {
    it("an instance type the snapshot lacks is unpriced, not $0 priced", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "m99.mega" }));
        expect(c.status).toBe("unpriced");
        expect(c.monthlyUsd).toBe(0);
        expect(c.basis).toContain('"m99.mega"');
    });

    it("cache node and RDS classes the snapshot lacks are unpriced", () => {
        expect(est.estimate(aws("aws:elasticache/cluster:Cluster", { nodeType: "cache.zz.huge", numCacheNodes: 2 })).status).toBe("unpriced");
        expect(est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.zz.huge", engine: "postgres" })).status).toBe("unpriced");
    });

    it("a type with no price model is unpriced", () => {
        const c = est.estimate(aws("aws:redshift/cluster:Cluster", { nodeType: "ra3.xlplus" }));
        expect(c.status).toBe("unpriced");
        expect(c.basis).toContain("aws:redshift/cluster:Cluster");
        expect(est.estimate(other("gcp:compute/instance:Instance", { machineType: "n2-standard-4" })).status).toBe("unpriced");
    });

    it("a priced input unknown at preview makes the resource unknown, naming the input", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: UNKNOWN, ami: "ami-1" }));
        expect(c).toMatchObject({ status: "unknown", monthlyUsd: 0, unknownInputs: ["instanceType"] });
        expect(est.estimate(aws("aws:rds/instance:Instance", { instanceClass: "db.t3.micro", engine: UNKNOWN })).unknownInputs).toEqual(["engine"]);
        expect(est.estimate(aws("aws:ebs/volume:Volume", { type: "gp3", size: UNKNOWN })).unknownInputs).toEqual(["size"]);
        expect(est.estimate(aws("aws:elasticache/cluster:Cluster", { nodeType: "cache.t3.micro", numCacheNodes: UNKNOWN })).unknownInputs).toEqual(["numCacheNodes"]);
        expect(est.estimate(aws("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: UNKNOWN })).status).toBe("unknown");
    });

    it("an unknown input that does not decide the price does not matter", () => {
        const c = est.estimate(aws("aws:ec2/instance:Instance", { instanceType: "t3.micro", ami: UNKNOWN, subnetId: UNKNOWN, tags: UNKNOWN }));
        expect(c.status).toBe("priced");
    });

    it("never throws on odd inputs", () => {
        const odd: unknown[] = [
            { urn: "u", type: "aws:ec2/instance:Instance", name: "x", kind: "custom", props: null },
            { urn: "u", type: "aws:ec2/instance:Instance", name: "x", kind: "custom", props: { instanceType: 42 } },
            { urn: "u", type: "aws:ec2/instance:Instance", name: "x", kind: "custom", props: { instanceType: ["m5.large"] } },
            { urn: "u", type: "aws:autoscaling/group:Group", name: "x", kind: "custom", props: { desiredCapacity: -3, mixedInstancesPolicy: "{not json" } },
            { urn: "u", type: "aws:ebs/volume:Volume", name: "x", kind: "custom", props: { size: "huge" } },
            { urn: "u", type: "aws:budgets/budget:Budget", name: "x", kind: "custom", props: { limitAmount: {}, timeUnit: 7 } },
            { urn: "u", type: "aws:route53domains/domain:Domain", name: "x", kind: "custom", props: { domainName: 7 } },
            { urn: "u", type: 17, name: "x", kind: "custom", props: {} },
            { urn: "u", type: "aws:ec2/instance:Instance", name: "x", kind: "custom", props: {}, provider: { props: null } },
            null,
            undefined,
        ];
        for (const r of odd) {
            expect(() => est.estimate(r as never)).not.toThrow();
            const c = est.estimate(r as never);
            expect(["unpriced", "unknown", "free", "usage", "priced"]).toContain(c.status);
            expect(Number.isFinite(c.monthlyUsd)).toBe(true);
        }
        expect(est.estimate(odd[1] as never).status).toBe("unpriced");
    });
});

describe("purchases", () => {
    it("domain registration with the TLD price", () => {
        const c = est.estimate(aws("aws:route53domains/domain:Domain", { domainName: "example.io", autoRenew: true }));
        expect(c.purchase).toMatchObject({ what: 'domain registration of "example.io"', usd: 71 });
        expect(c.purchase?.basis).toContain("per year");
        expect(c.status).toBe("priced");
        expect(c.monthlyUsd).toBeCloseTo(71 / 12, 4);
        expect(c.region).toBe("global");
        expect(c.basis).toContain("2022-09-28");
    });

    it("multi-label TLDs and registration terms", () => {
        const c = est.estimate(aws("aws:route53domains/domain:Domain", { domainName: "shop.example.co.uk", durationInYears: 2 }));
        expect(c.purchase).toMatchObject({ usd: 18 });
        expect(c.basis).toContain(".co.uk");
    });

    it("an already registered domain is flagged (renewals buy a year at a time)", () => {
        const c = est.estimate(aws("aws:route53domains/registeredDomain:RegisteredDomain", { domainName: "example.com" }));
        expect(c.purchase).toMatchObject({ usd: 12 });
        expect(c.purchase?.what).toContain("renewal");
    });

    it("a TLD without a price is still a purchase, unpriced", () => {
        const c = est.estimate(aws("aws:route53domains/domain:Domain", { domainName: "example.notatld" }));
        expect(c.status).toBe("unpriced");
        expect(c.purchase).toBeDefined();
        expect(c.purchase?.usd).toBeUndefined();
    });

    it("a domain name unknown at preview is an unknown purchase", () => {
        const c = est.estimate(aws("aws:route53domains/domain:Domain", { domainName: UNKNOWN }));
        expect(c.status).toBe("unknown");
        expect(c.unknownInputs).toEqual(["domainName"]);
        expect(c.purchase).toBeDefined();
    });

    it("Shield Advanced: $3,000/month with a 1-year commitment", () => {
        const c = est.estimate(aws("aws:shield/subscription:Subscription", { autoRenew: "ENABLED" }));
        expect(c).toMatchObject({ status: "priced", monthlyUsd: 3000 });
        expect(c.purchase).toMatchObject({ usd: 3000 });
        expect(c.purchase?.what).toContain("1-year commitment");
        expect(c.basis).toContain("AWS Shield pricing page");
        const p = est.estimate(aws("aws:shield/protection:Protection", { resourceArn: UNKNOWN }));
        expect(p.purchase?.what).toContain("Shield Advanced");
        expect(p.monthlyUsd).toBe(0);
    });

    it("reservations are purchases", () => {
        const rds = est.estimate(aws("aws:rds/reservedInstance:ReservedInstance", { offeringId: "438012d3", instanceCount: 3 }));
        expect(rds.purchase?.what).toContain("3 × RDS reserved DB instance");
        expect(rds.status).toBe("unpriced");
        const cache = est.estimate(aws("aws:elasticache/reservedCacheNode:ReservedCacheNode", { reservedCacheNodesOfferingId: "abc" }));
        expect(cache.purchase?.what).toContain("ElastiCache reserved cache node");
        const cap = est.estimate(aws("aws:ec2/capacityReservation:CapacityReservation", { instanceType: "m5.large", instanceCount: 2, instancePlatform: "Linux/UNIX", availabilityZone: "us-east-1a" }));
        expect(cap.status).toBe("priced");
        expect(cap.monthlyUsd).toBeCloseTo(2 * 0.096 * H, 2);
        expect(cap.purchase).toMatchObject({ usd: 140.16 });
        const capUnknown = est.estimate(aws("aws:ec2/capacityReservation:CapacityReservation", { instanceType: UNKNOWN, instanceCount: 2 }));
        expect(capUnknown.status).toBe("unknown");
        expect(capUnknown.purchase).toBeDefined();
    });

    it("savings plans are purchases", () => {
        const c = est.estimate(aws("aws:savingsplans/savingsPlan:SavingsPlan", { commitment: "0.5" }));
        expect(c.purchase).toBeDefined();
        expect(c.monthlyUsd).toBeCloseTo(365, 2);
        expect(est.estimate(aws("aws:savingsplans/savingsPlan:SavingsPlan", {})).purchase).toBeDefined();
    });

    it("Cloudflare subscriptions are purchases; a zone on the free plan is free", () => {
        const z = est.estimate(other("cloudflare:index/zoneSubscription:ZoneSubscription", { zoneId: "z", ratePlan: { id: "business" } }));
        expect(z.purchase?.what).toContain('"business"');
        expect(z.status).toBe("unpriced");
        const a = est.estimate(other("cloudflare:index/accountSubscription:AccountSubscription", { accountId: "a", ratePlan: { id: "teams_standard" } }));
        expect(a.purchase).toBeDefined();
        expect(est.estimate(other("cloudflare:index/zone:Zone", { zone: "example.com" })).status).toBe("free");
        expect(est.estimate(other("cloudflare:index/zone:Zone", { zone: "example.com", plan: "pro" })).purchase).toBeDefined();
        expect(est.estimate(other("cloudflare:index/zone:Zone", { name: "example.com" })).purchase).toBeUndefined();
    });

    it("ordinary resources are not purchases", () => {
        for (const r of [
            aws("aws:ec2/instance:Instance", { instanceType: "m5.large" }),
            aws("aws:s3/bucket:Bucket", {}),
            aws("aws:ec2/subnetCidrReservation:SubnetCidrReservation", { cidrBlock: "10.0.0.16/28" }),
            aws("aws:sns/topicSubscription:TopicSubscription", {}),
        ]) {
            expect(est.estimate(r).purchase).toBeUndefined();
        }
    });
});

describe("declared budgets", () => {
    const b = (props: Record<string, unknown>) => est.estimate(aws("aws:budgets/budget:Budget", { budgetType: "COST", ...props } as never));

    it("reports the monthly limit in USD", () => {
        expect(b({ limitAmount: "500.0", limitUnit: "USD", timeUnit: "MONTHLY" })).toMatchObject({ status: "free", monthlyUsd: 0, declaredBudgetUsd: 500 });
        expect(b({ limitAmount: "1200", limitUnit: "USD", timeUnit: "ANNUALLY" }).declaredBudgetUsd).toBe(100);
        expect(b({ limitAmount: "300", limitUnit: "USD", timeUnit: "QUARTERLY" }).declaredBudgetUsd).toBe(100);
        expect(b({ limitAmount: "10", limitUnit: "USD", timeUnit: "DAILY" }).declaredBudgetUsd).toBeCloseTo(304.17, 2);
        expect(b({ plannedLimits: [{ amount: "100", unit: "USD", startTime: "x" }, { amount: "250", unit: "USD", startTime: "y" }], timeUnit: "MONTHLY" }).declaredBudgetUsd).toBe(250);
    });

    it("an unknown limit, or one not in USD, is unknown", () => {
        expect(b({ limitAmount: UNKNOWN, limitUnit: "USD", timeUnit: "MONTHLY" }).declaredBudgetUsd).toBe(UNKNOWN);
        expect(b({ limitAmount: "100", limitUnit: "EUR", timeUnit: "MONTHLY" }).declaredBudgetUsd).toBe(UNKNOWN);
        expect(b({ timeUnit: "MONTHLY", autoAdjustData: { autoAdjustType: "HISTORICAL" } }).declaredBudgetUsd).toBe(UNKNOWN);
    });

    it("usage budgets declare no spend", () => {
        expect(b({ budgetType: "USAGE", limitAmount: "100", limitUnit: "GB", timeUnit: "MONTHLY" }).declaredBudgetUsd).toBeUndefined();
    });
});

describe("free and usage-priced resources", () => {
    it.each([
        ["aws:s3/bucket:Bucket"],
        ["aws:s3/bucketV2:BucketV2"],
        ["aws:lambda/function:Function"],
        ["aws:sqs/queue:Queue"],
        ["aws:sns/topic:Topic"],
        ["aws:elasticache/serverlessCache:ServerlessCache"],
    ])("%s is usage-priced", (type) => {
        const c = est.estimate(aws(type, {}));
        expect(c).toMatchObject({ status: "usage", monthlyUsd: 0 });
        expect(c.basis).toBeTruthy();
    });

    it.each([
        ["aws:iam/role:Role"],
        ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
        ["aws:ec2/vpc:Vpc"],
        ["aws:ec2/subnet:Subnet"],
        ["aws:ec2/securityGroup:SecurityGroup"],
        ["aws:ec2/tag:Tag"],
        ["aws:lb/targetGroup:TargetGroup"],
        ["aws:s3/bucketPolicy:BucketPolicy"],
        ["aws:ec2/launchTemplate:LaunchTemplate"],
    ])("%s is free", (type) => {
        expect(est.estimate(aws(type, {})).status).toBe("free");
    });

    it("Cloudflare records, random values, components and providers are free", () => {
        expect(est.estimate(other("cloudflare:index/record:Record", { name: "www" })).status).toBe("free");
        expect(est.estimate(other("cloudflare:index/dnsRecord:DnsRecord", { name: "www" })).status).toBe("free");
        expect(est.estimate(other("random:index/randomPassword:RandomPassword", { length: 20 })).status).toBe("free");
        expect(est.estimate({ urn: "urn:c", type: "my:index:Thing", name: "c", kind: "component", props: {} }).status).toBe("free");
        expect(est.estimate({ urn: "urn:p", type: "pulumi:providers:aws", name: "p", kind: "provider", props: { region: "eu-west-1" } }).status).toBe("free");
    });
});
