/**
 * Classifies a resource: its pricing rule if it has one, else usage-priced, free or unpriced
 * by type. Anything not known to be free or usage-priced is `unpriced`, never a silent $0.
 * @internal
 */
import { Ctx, plainCost, unpricedCost } from "./calc";
import { RULES, cloudflareSubscription, savingsPlan } from "./rules";
import { ResourceCost } from "./types";

/** Types billed only by use, with no baseline. */
const USAGE: { readonly [type: string]: string } = {
    "aws:s3/bucket:Bucket": "storage and requests",
    "aws:s3/bucketV2:BucketV2": "storage and requests",
    "aws:s3/directoryBucket:DirectoryBucket": "storage and requests",
    "aws:s3/bucketObject:BucketObject": "storage",
    "aws:s3/bucketObjectv2:BucketObjectv2": "storage",
    "aws:lambda/function:Function": "requests and duration",
    "aws:lambda/layerVersion:LayerVersion": "storage",
    "aws:sqs/queue:Queue": "requests",
    "aws:sns/topic:Topic": "requests and deliveries",
    "aws:cloudwatch/logGroup:LogGroup": "ingestion and storage",
    "aws:cloudwatch/eventRule:EventRule": "events",
    "aws:cloudwatch/eventBus:EventBus": "events",
    "aws:apigateway/restApi:RestApi": "requests",
    "aws:apigatewayv2/api:Api": "requests",
    "aws:cloudfront/distribution:Distribution": "requests and data transfer",
    "aws:ecr/repository:Repository": "storage",
    "aws:efs/fileSystem:FileSystem": "storage",
    "aws:sfn/stateMachine:StateMachine": "state transitions",
    "aws:route53/record:Record": "queries",
    "aws:elasticache/serverlessCache:ServerlessCache": "data stored and ECPUs",
    "aws:rds/cluster:Cluster": "Aurora storage and I/O (instances are priced on their own)",
    "aws:eks/fargateProfile:FargateProfile": "pod vCPU and memory",
    "aws:cognito/userPool:UserPool": "monthly active users",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "data ingested",
    "aws:backup/vault:Vault": "backup storage",
    "aws:backup/plan:Plan": "backup storage",
    "aws:cloudtrail/trail:Trail": "events beyond the first trail",
    "aws:ec2/flowLog:FlowLog": "log ingestion",
    "aws:ssm/parameter:Parameter": "advanced parameters and API calls",
    "cloudflare:index/workersScript:WorkersScript": "requests (Workers plan)",
    "cloudflare:index/workerScript:WorkerScript": "requests (Workers plan)",
    "cloudflare:index/workersKvNamespace:WorkersKvNamespace": "reads, writes and storage",
    "cloudflare:index/r2Bucket:R2Bucket": "storage and operations",
    "cloudflare:index/queue:Queue": "operations",
    "cloudflare:index/d1Database:D1Database": "rows read, written and storage",
    "cloudflare:index/pagesProject:PagesProject": "builds and functions",
};

/** Packages whose resources never cost anything (they live in the engine or on the local machine). */
const FREE_PACKAGES = new Set(["random", "tls", "time", "null", "command", "std", "archive", "local", "pulumi"]);

/** Packages whose cost is whatever their own code does; the provider gate already holds them for a human. */
const CODE_PACKAGES: { readonly [pkg: string]: string } = {
    "pulumi-nodejs": "a dynamic resource costs whatever its provider code calls; the provider gate holds it for approval",
};

/** Resource names (the part after the last `:`) of AWS types with no charge of their own. */
const AWS_FREE_NAME =
    /(Policy|PolicyAttachment|Attachment|Association|Tag|Tags|Permission|SubnetGroup|ParameterGroup|OptionGroup|Alias|Grant|Rule|RouteTable|Route|Acl|AccessBlock|OwnershipControls|Versioning|ServerSideEncryptionConfiguration|LifecycleConfiguration|CorsConfiguration|WebsiteConfiguration|Notification|LoggingV2|Logging|Validation|Listener|ListenerCertificate|TargetGroup|AccountPublicAccessBlock|Deployment|Stage|Resource|Method|Integration|SecretVersion|SecretRotation|Addon|AccessEntry|KeyPair|PlacementGroup)$/;

/** AWS types with no charge of their own that the name pattern does not catch. */
const AWS_FREE = new Set([
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/networkAcl:NetworkAcl",
    "aws:ec2/networkInterface:NetworkInterface",
    "aws:ec2/vpcDhcpOptions:VpcDhcpOptions",
    "aws:ec2/defaultVpc:DefaultVpc",
    "aws:ec2/defaultSubnet:DefaultSubnet",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/defaultRouteTable:DefaultRouteTable",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    "aws:ec2transitgateway/transitGateway:TransitGateway",
    "aws:ec2transitgateway/routeTable:RouteTable",
    "aws:ecs/cluster:Cluster",
    "aws:ecs/taskDefinition:TaskDefinition",
    "aws:ecs/capacityProvider:CapacityProvider",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:lambda/functionUrl:FunctionUrl",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    "aws:autoscaling/schedule:Schedule",
    "aws:autoscaling/lifecycleHook:LifecycleHook",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:sqs/queueRedrivePolicy:QueueRedrivePolicy",
    "aws:route53/zoneAssociation:ZoneAssociation",
    "aws:budgets/budgetAction:BudgetAction",
    "aws:ebs/snapshotCopy:SnapshotCopy",
    "aws:acm/certificate:Certificate",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:cloudwatch/logStream:LogStream",
    "aws:apigateway/account:Account",
    "aws:elasticache/user:User",
    "aws:elasticache/userGroup:UserGroup",
    "aws:resourcegroups/group:Group",
]);

/** AWS name-pattern matches that do cost something, priced or reported elsewhere. */
const AWS_NOT_FREE = new Set(["aws:ec2transitgateway/peeringAttachment:PeeringAttachment", "aws:ec2transitgateway/connect:Connect"]);

/** Cloudflare types with no charge of their own (records, zone settings, rules, tunnels, tokens). */
const CLOUDFLARE_FREE_NAME =
    /^(Record|DnsRecord|ZoneSetting|ZoneSettingsOverride|ZoneDnssec|DnsZoneDnssec|PageRule|Ruleset|Filter|FirewallRule|ApiToken|AccountToken|UserToken|AccountMember|List|ListItem|EmailRouting.*|Tunnel|TunnelConfig|TunnelRoute|ZeroTrustTunnel.*|WorkersRoute|WorkerRoute|WorkersCustomDomain|WorkerDomain|NotificationPolicy.*|PagesDomain|Account|AccessApplication|AccessPolicy|AccessGroup|ZeroTrustAccess.*|Certificate.*|OriginCaCertificate|AuthenticatedOriginPulls.*|TieredCache|UrlNormalizationSettings|ManagedTransforms|ManagedHeaders)$/;

/** The rule for a type, or the default classification. */
export function classify(ctx: Ctx): ResourceCost {
    const { r } = ctx;
    if (r.kind !== "custom") {
        return plainCost(ctx, "free", r.kind === "provider" ? "provider resource: no charge" : "component resource: its children are priced");
    }
    const rule = Object.prototype.hasOwnProperty.call(RULES, r.type) ? RULES[r.type] : undefined;
    if (rule) {
        return rule(ctx);
    }
    const usage = Object.prototype.hasOwnProperty.call(USAGE, r.type) ? USAGE[r.type] : undefined;
    if (usage !== undefined) {
        return plainCost(ctx, "usage", `billed by use with no baseline: ${usage}`);
    }
    const pkg = r.type.split(":")[0] ?? "";
    const name = r.type.split(":").slice(-1)[0] ?? "";
    if (Object.prototype.hasOwnProperty.call(CODE_PACKAGES, pkg)) {
        return plainCost(ctx, "usage", CODE_PACKAGES[pkg]);
    }
    if (FREE_PACKAGES.has(pkg)) {
        return plainCost(ctx, "free", `${pkg} resources live in the engine or on the local machine`);
    }
    const lower = r.type.toLowerCase();
    if (lower.includes("savingsplan")) {
        return savingsPlan(ctx);
    }
    if (pkg === "aws" || pkg === "aws-native") {
        if (/^Reserved/.test(name)) {
            return unpricedCost(ctx, "reservation prices are not in the snapshot", { what: `a reservation (${r.type})` });
        }
        if (r.type.startsWith("aws:iam/") || AWS_FREE.has(r.type) || (AWS_FREE_NAME.test(name) && !AWS_NOT_FREE.has(r.type))) {
            return plainCost(ctx, "free", "no charge of its own");
        }
        return unpricedCost(ctx, `no price model for ${r.type}`);
    }
    if (pkg === "cloudflare") {
        if (/Subscription$/.test(name)) {
            return cloudflareSubscription(ctx);
        }
        if (CLOUDFLARE_FREE_NAME.test(name)) {
            return plainCost(ctx, "free", "no charge of its own on Cloudflare's free plan");
        }
        return unpricedCost(ctx, `no price model for ${r.type}`);
    }
    return unpricedCost(ctx, `no price model for ${r.type}`);
}
