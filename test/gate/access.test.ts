import { describe, expect, it } from "vitest";
import { TYPE_TABLE } from "../../src/cost/catalog";
import { accessRuleFor } from "../../src/gate/access";
import { JUDGES } from "../../src/gate/grants";
import { UNKNOWN } from "../../src/facts/facts";
import { JUDGED_EXAMPLES } from "./access-examples";
import { AWS_PROVIDER, approver, config, custom, sign } from "../fixtures";
import { decide, gatesOf } from "./helpers";

describe("access gate", () => {
    it.each([
        "aws:iam/role:Role",
        "aws:iam/policy:Policy",
        "aws:iam/accessKey:AccessKey",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:ssoadmin/accountAssignment:AccountAssignment",
        "aws:identitystore/user:User",
        "aws:organizations/account:Account",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:sqs/queuePolicy:QueuePolicy",
        "aws:sns/topicPolicy:TopicPolicy",
        "aws:kms/grant:Grant",
        "aws:ecr/repositoryPolicy:RepositoryPolicy",
        "aws:secretsmanager/secretPolicy:SecretPolicy",
        "aws:lambda/permission:Permission",
        "cloudflare:index/apiToken:ApiToken",
        "cloudflare:index/accountToken:AccountToken",
        "cloudflare:index/accountMember:AccountMember",
        "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy",
        "cloudflare:index/accessApplication:AccessApplication",
    ])("raises 2 for %s", async (type) => {
        expect(gatesOf(await decide([custom(type)]))).toEqual(["access:2:denied"]);
    });

    // Found by an attacker's pass: each grants another account, network or person access, or is a credential.
    it.each([
        ["aws:dlm/lifecyclePolicy:LifecyclePolicy", { policyDetails: { schedules: [{ shareRules: [{ targetAccounts: ["999999999999"] }] }] } }],
        ["aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", { destinationArn: "arn:aws:logs:us-east-1:999999999999:destination:collector" }],
        ["aws:ecr/replicationConfiguration:ReplicationConfiguration", { replicationConfiguration: { rules: [{ destinations: [{ region: "us-east-1", registryId: "999999999999" }] }] } }],
        ["aws:cloudwatch/eventTarget:EventTarget", { rule: "r", arn: "arn:aws:events:us-east-1:999999999999:event-bus/default" }],
        ["aws:ec2/vpcPeeringConnection:VpcPeeringConnection", { vpcId: "vpc-1", peerVpcId: "vpc-2", peerOwnerId: "999999999999" }],
        ["aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry", { prefixListId: "pl-1", cidr: "0.0.0.0/0" }],
        ["aws:ec2/managedPrefixList:ManagedPrefixList", { entries: [{ cidr: "0.0.0.0/0" }] }],
        ["aws:imagebuilder/distributionConfiguration:DistributionConfiguration", {}],
        ["aws:route53/zoneAssociation:ZoneAssociation", { zoneId: "Z1", vpcId: "vpc-9" }],
        ["aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter", {}],
        ["aws:ec2transitgateway/peeringAttachment:PeeringAttachment", {}],
        ["aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter", {}],
        ["cloudflare:index/zeroTrustList:ZeroTrustList", { type: "EMAIL", items: [{ value: "mallory@example.com" }] }],
        ["cloudflare:index/list:List", { kind: "ip", items: [{ ip: "203.0.113.9" }] }],
        ["cloudflare:index/listItem:ListItem", { ip: "203.0.113.9" }],
        ["cloudflare:index/accessRule:AccessRule", { mode: "whitelist", configuration: { target: "ip", value: "203.0.113.9" } }],
        ["cloudflare:index/streamKey:StreamKey", {}],
        ["cloudflare:index/zeroTrustGatewayPolicy:ZeroTrustGatewayPolicy", { action: "allow" }],
        ["cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", { name: "t" }],
        // Its default firewall opens SSH (RDP on Windows) to the internet.
        ["aws:lightsail/instance:Instance", { availabilityZone: "us-east-1a", blueprintId: "ubuntu_22_04", bundleId: "nano_3_0" }],
        // S3 checks the destination's owner only when accountId is set; a bucket ARN names no account.
        ["aws:s3/inventory:Inventory", { bucket: "data", destination: { bucket: { format: "CSV", bucketArn: "arn:aws:s3:::attacker-owned-bucket" } } }],
        ["aws:vpclattice/serviceNetworkVpcAssociation:ServiceNetworkVpcAssociation", { serviceNetworkIdentifier: "sn-1", vpcIdentifier: "vpc-1" }],
        ["aws:vpclattice/serviceNetworkServiceAssociation:ServiceNetworkServiceAssociation", { serviceNetworkIdentifier: "sn-1", serviceIdentifier: "svc-1" }],
        // Services whose purpose is to copy data to a target that may be outside AWS or another account's.
        ["aws:datasync/task:Task", { sourceLocationArn: "arn:aws:datasync:us-east-1:123456789012:location/loc-0", destinationLocationArn: "arn:aws:datasync:us-east-1:999999999999:location/loc-1" }],
        ["aws:dms/replicationTask:ReplicationTask", { migrationType: "full-load", sourceEndpointArn: "arn:aws:dms:us-east-1:123456789012:endpoint:src", targetEndpointArn: "arn:aws:dms:us-east-1:123456789012:endpoint:dst" }],
        ["aws:dms/replicationConfig:ReplicationConfig", { replicationType: "full-load" }],
        ["aws:appflow/flow:Flow", { name: "export" }],
        ["aws:transfer/connector:Connector", { url: "sftp://files.example.com" }],
    ])("raises 2 for %s, which shares, peers, allows or holds a credential", async (type, props) => {
        expect(gatesOf(await decide([custom(type, props)]))).toEqual(["access:2:denied"]);
    });

    // The second pass over every non-access row: a sample of each kind it found.
    it.each([
        ["aws:s3/bucketReplicationConfig:BucketReplicationConfig", {}],
        ["aws:accountaccess/entitlement:Entitlement", {}],
        ["aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", {}],
        ["aws:rds/cluster:Cluster", { iamRoles: ["arn:aws:iam::123456789012:role/s3-import"] }],
        // judged (publicAddress) and accessWhen in one row: either raises
        ["aws:redshift/cluster:Cluster", { iamRoles: ["arn:aws:iam::123456789012:role/copy"], publiclyAccessible: false }],
        ["aws:redshift/cluster:Cluster", { publiclyAccessible: true }],
        ["aws:rds/instance:Instance", { instanceClass: "db.t3.micro", publiclyAccessible: true }],
        ["aws:eks/nodeGroup:NodeGroup", { remoteAccess: { ec2SshKey: "k" } }],
        ["aws:s3/bucketObjectv2:BucketObjectv2", { acl: "public-read" }],
        ["aws:ecrpublic/repository:Repository", {}],
        ["cloudflare:index/zoneLockdown:ZoneLockdown", {}],
        ["cloudflare:index/tunnel:Tunnel", {}],
        ["cloudflare:index/r2CustomDomain:R2CustomDomain", {}],
        ["aws:wafv2/ipSet:IpSet", { addresses: ["203.0.113.0/24"] }],
        ["aws:ec2/vpnConnection:VpnConnection", { customerGatewayId: "cgw-1", type: "ipsec.1" }],
        ["cloudflare:index/mtlsCertificate:MtlsCertificate", { ca: true }],
    ])("raises 2 for %s (second pass)", async (type, props) => {
        expect(gatesOf(await decide([custom(type, props)]))).toEqual(["access:2:denied"]);
    });

    it.each([
        ["aws:rds/cluster:Cluster", { engine: "aurora-postgresql" }],
        ["aws:eks/nodeGroup:NodeGroup", { scalingConfig: { desiredSize: 1, maxSize: 1, minSize: 1 } }],
        ["aws:s3/bucketObjectv2:BucketObjectv2", { key: "index.html" }],
    ])("leaves %s alone without the granting input", async (type, props) => {
        expect(gatesOf(await decide([custom(type, props)]))).not.toContain("access:2:denied");
    });

    it.each(["aws:s3/bucket:Bucket", "aws:ec2/instance:Instance", "cloudflare:index/record:Record", "aws:sqs/queue:Queue", "aws:kms/key:Key"])("allows %s without access inputs", async (type) => {
        expect((await decide([custom(type, { tags: {} })])).decision).toBe("allow");
    });

    it("raises for inline resource policies, and fails closed when the policy is unknown", async () => {
        expect(gatesOf(await decide([custom("aws:sqs/queue:Queue", { policy: "{}" })]))).toEqual(["access:2:denied"]);
        expect(gatesOf(await decide([custom("aws:s3/bucket:Bucket", { acl: "public-read" })]))).toEqual(["access:2:denied"]);
        expect(gatesOf(await decide([custom("aws:kms/key:Key", { policy: UNKNOWN })]))).toEqual(["access:2:denied"]);
    });

    it.each([
        ["aws:apigateway/restApi:RestApi", { policy: "{}" }],
        ["aws:opensearch/domain:Domain", { accessPolicies: "{}" }],
        ["aws:ec2/vpcEndpoint:VpcEndpoint", { policy: "{}" }],
        ["aws:glacier/vault:Vault", { accessPolicy: "{}" }],
        ["aws:ssm/document:Document", { permissions: { type: "Share", accountIds: "all" } }],
        ["aws:rds/clusterSnapshot:ClusterSnapshot", { sharedAccounts: ["all"] }],
        ["aws:dynamodb/resourcePolicy:ResourcePolicy", {}],
        ["aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy", {}],
        ["aws:somenewservice/widget:Widget", { policy: "{}" }],
        ["cloudflare:index/accessCaCertificate:AccessCaCertificate", {}],
    ])("fails closed on %s", async (type, props) => {
        expect(gatesOf(await decide([custom(type, props)]))).toEqual(["access:2:denied"]);
    });

    it("leaves lifecycle policies alone", async () => {
        expect((await decide([custom("aws:ecr/lifecyclePolicy:LifecyclePolicy", { policy: "{}" })])).decision).toBe("allow");
    });

    it("treats a type with no row as access: what a newer SDK's type grants has not been reviewed", async () => {
        // An agent that bumps its provider to a version with a new policy type must not get it
        // past approvers who may approve spend only (the real estimator also prices it as
        // unknown: test/cost/catalog.test.ts).
        for (const type of ["aws:somenewservice/widgetResourcePolicy:WidgetResourcePolicy", "cloudflare:index/newAccessThing:NewAccessThing", "gcp:projects/iAMBinding:IAMBinding", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"]) {
            const d = await decide([custom(type)], { config: config({ allowedProviders: ["aws", "cloudflare", "gcp", "kubernetes"] }) });
            expect(gatesOf(d), type).toEqual(["access:2:denied"]);
            expect(d.gates[0].observed, type).toContain("no row for: what it grants has not been reviewed");
        }
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [{ ...alice.entry, gates: ["spend"] }, { ...bob.entry, gates: ["spend"] }] });
        const t = custom("aws:somenewservice/widgetResourcePolicy:WidgetResourcePolicy");
        const all = { access: true, maxMonthlyUsd: 1000, resources: [t.urn] };
        expect((await decide([t], { config: cfg, tokens: [await sign(alice, all), await sign(bob, all)] })).decision).toBe("deny");
    });

    it("never quotes an input value it has not reviewed (it may be a secret, and a cut one escapes its mask)", () => {
        const secret = "sk_live_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";
        for (const [type, props] of [
            ["aws:vpclattice/service:Service", { authType: secret }],
            ["aws:mwaa/environment:Environment", { webserverAccessMode: secret }],
            ["aws:connect/instance:Instance", { identityManagementType: secret }],
            ["aws:sns/topicSubscription:TopicSubscription", { topic: UNKNOWN, protocol: secret, endpoint: UNKNOWN }],
        ] as const) {
            const hit = accessRuleFor({ type, props });
            expect(hit, type).toBeDefined();
            expect(hit!.why, type).not.toContain("sk_live");
        }
    });

    it("compares a target with the account the provider pins, and holds it when the provider pins none or several", () => {
        const target = { rule: "nightly", arn: "arn:aws:lambda:us-east-1:123456789012:function:report" };
        const notice = { bucket: "b", queues: [{ queueArn: "arn:aws:sqs:us-east-1:123456789012:jobs" }] };
        const withProvider = (props: Record<string, unknown>) => ({ ...AWS_PROVIDER, props: { region: "us-east-1", ...props } as never });
        const judge = (props: Record<string, unknown>) =>
            [accessRuleFor({ type: "aws:cloudwatch/eventTarget:EventTarget", props: target, provider: withProvider(props) })?.why, accessRuleFor({ type: "aws:s3/bucketNotification:BucketNotification", props: notice, provider: withProvider(props) })?.why];
        expect(judge({ allowedAccountIds: ["123456789012"] })).toEqual([undefined, undefined]);
        expect(judge({ allowedAccountIds: ["123456789012"], endpoints: "[]", skipCredentialsValidation: "false" })).toEqual([undefined, undefined]);
        expect(judge({ assumeRole: JSON.stringify({ roleArn: "arn:aws:iam::123456789012:role/agent" }) })).toEqual([undefined, undefined]);
        for (const props of [
            {}, // ambient credentials: the account is not known
            { allowedAccountIds: ["123456789012", "999999999999"] },
            { allowedAccountIds: UNKNOWN },
            // The agent's role is allowed, but the provider assumes a role in another account: resources land there.
            { allowedAccountIds: ["123456789012"], assumeRoles: [{ roleArn: "arn:aws:iam::123456789012:role/agent" }, { roleArn: "arn:aws:iam::999999999999:role/hop" }] },
            { assumeRole: { roleArn: "" } },
            // The provider checks the named account with STS: an endpoint the program runs can answer for any account.
            { allowedAccountIds: ["123456789012"], endpoints: JSON.stringify([{ sts: "http://127.0.0.1:8999" }]) },
            { allowedAccountIds: ["123456789012"], httpsProxy: "http://127.0.0.1:8080", customCaBundle: "-----BEGIN CERTIFICATE-----" },
            { allowedAccountIds: ["123456789012"], skipRequestingAccountId: "true" },
            // Instance credentials take their account from the metadata service; a profile or config file can point STS anywhere.
            { allowedAccountIds: ["123456789012"], ec2MetadataServiceEndpoint: "http://127.0.0.1:8111" },
            { allowedAccountIds: ["123456789012"], profile: "collector" },
            { allowedAccountIds: ["123456789012"], sharedConfigFiles: JSON.stringify(["./aws-config"]) },
        ]) {
            for (const why of judge(props)) {
                expect(why, JSON.stringify(props)).toMatch(/cannot be compared with its own AWS account: its provider does not pin one account/);
            }
        }
        expect(judge({ allowedAccountIds: ["999999999999"] }).every((why) => /is not shown to be in its provider's AWS account/.test(why ?? ""))).toBe(true);
    });

    it("reads the engine's stack reference as reviewed: it creates nothing and grants nothing", async () => {
        expect(gatesOf(await decide([custom("pulumi:pulumi:StackReference", { name: "org/shared/prod" })]))).toEqual([]);
    });

    it("is covered only by two approvals with access: true", async () => {
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry] });
        const role = custom("aws:iam/role:Role");
        const a = await sign(alice, { access: true });
        const b = await sign(bob, { access: true });
        const bNo = await sign(bob, { access: false, providers: ["aws"] });
        expect((await decide([role], { config: cfg, tokens: [a, b] })).decision).toBe("allow");
        expect((await decide([role], { config: cfg, tokens: [a, bNo] })).decision).toBe("deny");
    });

    it("limits a token with scope.resources to those URNs", async () => {
        const [alice, bob] = [await approver("alice"), await approver("bob")];
        const cfg = config({ approvers: [alice.entry, bob.entry] });
        const role = custom("aws:iam/role:Role", {}, { name: "role" });
        const other = custom("aws:iam/role:Role", {}, { name: "other" });
        const tokens = [await sign(alice, { access: true, resources: [role.urn] }), await sign(bob, { access: true, resources: [role.urn] })];
        const d = await decide([role, other], { config: cfg, tokens });
        expect(d.gates.map((g) => [g.resource, g.satisfied])).toEqual([
            [role.urn, true],
            [other.urn, false],
        ]);
    });
});

describe("access rows and their examples", () => {
    it("holds the data movers, outside links, openings and exports four attacker's audits found unheld", () => {
        const found: [string, Record<string, unknown>][] = [
            ["aws:s3/bucket:Bucket", { bucket: "orders", replicationConfiguration: { role: "r", rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::x", accountId: "999999999999" } }] } }],
            ["aws:s3/bucketV2:BucketV2", { bucket: "orders", replicationConfigurations: [{ role: "r", rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::x" } }] }] }],
            ["aws:ec2/trafficMirrorTarget:TrafficMirrorTarget", { gatewayLoadBalancerEndpointId: "vpce-1" }],
            ["aws:ec2/trafficMirrorSession:TrafficMirrorSession", { networkInterfaceId: "eni-db", trafficMirrorTargetId: "tmt-1", sessionNumber: 1 }],
            ["aws:msk/replicator:Replicator", { replicatorName: "r", serviceExecutionRoleArn: "r" }],
            ["cloudflare:index/logpushJob:LogpushJob", { dataset: "http_requests", destinationConf: "https://collector.example/push" }],
            ["cloudflare:index/emailRoutingCatchAll:EmailRoutingCatchAll", { zoneId: "z", actions: [{ type: "forward", values: ["x@collector.example"] }], matchers: [{ type: "all" }] }],
            ["cloudflare:index/emailRoutingRule:EmailRoutingRule", { zoneId: "z", actions: [{ type: "forward", values: ["x@collector.example"] }], matchers: [{ type: "literal", field: "to", value: "reset@shop.example" }] }],
            ["aws:opensearchingest/pipeline:Pipeline", { pipelineName: "p", pipelineConfigurationBody: "version: 2" }],
            ["aws:mskconnect/connector:Connector", { name: "c", connectorConfiguration: { "connector.class": "HttpSinkConnector", "http.api.url": "https://collector.example" } }],
            ["aws:appsync/graphQLApi:GraphQLApi", { name: "a", authenticationType: "OPENID_CONNECT", openidConnectConfig: { issuer: "https://idp.example" } }],
            ["aws:appsync/api:Api", { name: "a", eventConfig: { authProviders: [{ authType: "OPENID_CONNECT" }] } }],
            ["cloudflare:index/aiSearchInstance:AiSearchInstance", { accountId: "a", publicEndpointParams: { enabled: true } }],
            ["cloudflare:index/magicWanIpsecTunnel:MagicWanIpsecTunnel", { accountId: "a", customerEndpoint: "203.0.113.1", psk: "k" }],
            ["cloudflare:index/magicWanGreTunnel:MagicWanGreTunnel", { accountId: "a", customerGreEndpoint: "203.0.113.1" }],
            ["aws:gamelift/fleet:Fleet", { name: "f", ec2InboundPermissions: [{ ipRange: "0.0.0.0/0", fromPort: 1, toPort: 60000, protocol: "TCP" }] }],
            ["aws:macie2/classificationExportConfiguration:ClassificationExportConfiguration", { s3Destination: { bucketName: "findings-collector", kmsKeyArn: "k" } }],
            // A second audit: other ways in and out.
            ["aws:apigateway/restApi:RestApi", { name: "api", body: JSON.stringify({ openapi: "3.0.1", "x-amazon-apigateway-policy": { Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke" }] } }) }],
            ["aws:apigateway/restApiPut:RestApiPut", { restApiId: "a", body: "{}" }],
            ["aws:apigatewayv2/api:Api", { name: "api", protocolType: "HTTP", body: JSON.stringify({ components: { securitySchemes: { jwt: { "x-amazon-apigateway-authorizer": { type: "jwt", jwtConfiguration: { issuer: "https://idp.example" } } } } } }) }],
            ["aws:networkmanager/attachmentAccepter:AttachmentAccepter", { attachmentId: "attachment-1", attachmentType: "VPC" }],
            ["aws:ec2transitgateway/vpcAttachment:VpcAttachment", { transitGatewayId: "tgw-shared", vpcId: "vpc-1", subnetIds: ["s"] }],
            ["aws:networkmanager/vpcAttachment:VpcAttachment", { coreNetworkId: "core-network-1", vpcArn: "v", subnetArns: ["s"] }],
            ["aws:ec2transitgateway/multicastDomain:MulticastDomain", { transitGatewayId: "tgw-1", autoAcceptSharedAssociations: "enable" }],
            ["aws:codebuild/webhook:Webhook", { projectName: "p", filterGroups: [{ filters: [{ type: "EVENT", pattern: "PULL_REQUEST_CREATED" }] }] }],
            ["aws:securitylake/customLogSource:CustomLogSource", { sourceName: "s", configuration: { providerIdentity: { principal: "999999999999", externalId: "x" } } }],
            ["aws:fsx/windowsFileSystem:WindowsFileSystem", { storageCapacity: 32, subnetIds: ["s"], throughputCapacity: 8, selfManagedActiveDirectory: { dnsIps: ["203.0.113.1"], domainName: "corp.example", username: "u", password: "p" } }],
            ["aws:mailmanager/ruleSet:RuleSet", { ruleSetName: "r", rules: [{ actions: [{ send: { roleArn: "r" } }] }] }],
            ["aws:mailmanager/relay:Relay", { relayName: "r", serverName: "smtp.collector.example", serverPort: 25 }],
            ["cloudflare:index/workersScriptSubdomain:WorkersScriptSubdomain", { accountId: "a", scriptName: "w", enabled: true }],
            ["cloudflare:index/worker:Worker", { accountId: "a", name: "w", subdomain: { enabled: true } }],
            ["cloudflare:index/workersCustomDomain:WorkersCustomDomain", { accountId: "a", hostname: "data.shop.example", service: "w", zoneId: "z" }],
            ["cloudflare:index/workerDomain:WorkerDomain", { accountId: "a", hostname: "data.shop.example", service: "w", zoneId: "z" }],
            ["cloudflare:index/pagesProject:PagesProject", { accountId: "a", name: "p", deploymentConfigs: { production: { r2Buckets: { DATA: { name: "private" } } } } }],
            ["cloudflare:index/tokenValidationConfig:TokenValidationConfig", { zoneId: "z", credentials: { keys: [{ kid: "k" }] } }],
            ["cloudflare:index/tokenValidationRules:TokenValidationRules", { zoneId: "z", action: "log" }],
            ["cloudflare:index/apiShieldSchemaValidationSettings:ApiShieldSchemaValidationSettings", { zoneId: "z", validationDefaultMitigationAction: "none" }],
            ["cloudflare:index/apiShieldOperationSchemaValidationSettings:ApiShieldOperationSchemaValidationSettings", { zoneId: "z", operationId: "o", mitigationAction: "none" }],
            ["aws:wafv2/webAcl:WebAcl", { scope: "REGIONAL", defaultAction: { block: {} }, rules: [{ name: "backdoor", action: { allow: {} } }] }],
            ["aws:wafv2/webAclRule:WebAclRule", { webAclArn: "w", name: "backdoor", action: { allow: {} } }],
            ["aws:wafv2/ruleGroup:RuleGroup", { scope: "REGIONAL", capacity: 10 }],
            ["aws:waf/webAcl:WebAcl", { name: "w", metricName: "w", defaultAction: { type: "ALLOW" } }],
            ["aws:wafregional/webAcl:WebAcl", { name: "w", metricName: "w", defaultAction: { type: "ALLOW" } }],
            ["aws:agentregistry/registry:Registry", { name: "r", discoveryConfiguration: { authorizerConfiguration: { customJwtAuthorizer: { discoveryUrl: "https://idp.example" } } } }],
            ["aws:bedrock/agentcoreGatewayRule:AgentcoreGatewayRule", { gatewayIdentifier: "g", conditions: [{ matchPrincipals: ["*"] }] }],
            ["cloudflare:index/aiSearchNamespace:AiSearchNamespace", { accountId: "a", publicEndpointParams: { enabled: true } }],
            ["aws:lightsail/distribution:Distribution", { name: "d", bundleId: "small_1_0", origin: { name: "private-bucket", regionName: "us-east-1" } }],
            ["aws:lightsail/containerServiceDeploymentVersion:ContainerServiceDeploymentVersion", { serviceName: "s", publicEndpoint: { containerName: "app", containerPort: 22 } }],
            ["aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation", { fileSystemId: "fs", dataRepositoryPath: "s3://collector", fileSystemPath: "/ns" }],
            ["aws:fsx/lustreFileSystem:LustreFileSystem", { subnetIds: ["s"], exportPath: "s3://collector/out" }],
            ["aws:bedrockmodel/invocationJob:InvocationJob", { jobName: "j", modelId: "m", roleArn: "r", outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://collector/out" } } }],
            ["aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration", { blockPublicSecurityGroupRules: false }],
            ["aws:directconnect/connectionConfirmation:ConnectionConfirmation", { connectionId: "dxcon-1" }],
            // A third audit.
            ["cloudflare:index/workersRoute:WorkersRoute", { zoneId: "z", pattern: "shop.example/*", script: "tap" }],
            ["cloudflare:index/snippetRules:SnippetRules", { zoneId: "z", rules: [{ expression: "true", snippetName: "tap" }] }],
            ["cloudflare:index/snippet:Snippet", { zoneId: "z", snippetName: "tap" }],
            ["cloudflare:index/snippets:Snippets", { zoneId: "z", snippetName: "tap" }],
            ["aws:bedrock/agentcoreGatewayTarget:AgentcoreGatewayTarget", { gatewayIdentifier: "g", targetConfiguration: { mcp: { mcpServer: { endpoint: "https://mcp.collector.example" } } } }],
            ["aws:networkmanager/transitGatewayPeering:TransitGatewayPeering", { coreNetworkId: "core-network-shared", transitGatewayArn: "t" }],
            ["aws:networkmanager/transitGatewayRouteTableAttachment:TransitGatewayRouteTableAttachment", { peeringId: "p", transitGatewayRouteTableArn: "t" }],
            ["aws:networkmanager/siteToSiteVpnAttachment:SiteToSiteVpnAttachment", { coreNetworkId: "core-network-shared", vpnConnectionArn: "v" }],
            ["aws:networkmanager/dxGatewayAttachment:DxGatewayAttachment", { coreNetworkId: "core-network-shared", directConnectGatewayArn: "d", edgeLocations: ["us-east-1"] }],
            ["aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment", { coreNetworkId: "c", policyDocument: "{}" }],
            ["aws:networkmanager/coreNetwork:CoreNetwork", { globalNetworkId: "g", basePolicyDocument: "{}" }],
            ["aws:servicecatalog/constraint:Constraint", { portfolioId: "p", productId: "x", type: "LAUNCH", parameters: JSON.stringify({ RoleArn: "arn:aws:iam::123456789012:role/admin" }) }],
            ["aws:rds/instance:Instance", { instanceClass: "db.t3.micro", domainFqdn: "corp.collector.example", domainDnsIps: ["203.0.113.1"] }],
            ["aws:fsx/ontapStorageVirtualMachine:OntapStorageVirtualMachine", { fileSystemId: "fs", name: "svm", activeDirectoryConfiguration: { selfManagedActiveDirectoryConfiguration: { dnsIps: ["203.0.113.1"] } } }],
            ["aws:mq/broker:Broker", { brokerName: "b", authenticationStrategy: "ldap", ldapServerMetadata: { hosts: ["ldap.collector.example"] } }],
            ["aws:emr/securityConfiguration:SecurityConfiguration", { configuration: JSON.stringify({ AuthenticationConfiguration: { KerberosConfiguration: { ClusterDedicatedKdcConfiguration: { CrossRealmTrustConfiguration: { Realm: "COLLECTOR.EXAMPLE" } } } } }) }],
            ["aws:acmpca/certificate:Certificate", { certificateAuthorityArn: "ca", certificateSigningRequest: "csr", signingAlgorithm: "SHA256WITHRSA", validity: { type: "DAYS", value: "365" } }],
            ["aws:apigatewayv2/integration:Integration", { apiId: "a", integrationType: "AWS_PROXY", integrationSubtype: "SQS-ReceiveMessage", credentialsArn: "arn:aws:iam::123456789012:role/queue-reader" }],
            ["aws:apigateway/integration:Integration", { restApi: "a", resourceId: "r", httpMethod: "GET", type: "AWS", credentials: "arn:aws:iam::123456789012:role/bucket-reader" }],
            ["aws:msk/channel:Channel", { s3Destination: { storage: { bucketArn: "arn:aws:s3:::collector" } } }],
            ["cloudflare:index/aiGateway:AiGateway", { accountId: "a", id: "g", authentication: false }],
            ["cloudflare:index/schemaValidationSettings:SchemaValidationSettings", { zoneId: "z", validationDefaultMitigationAction: "none" }],
            ["cloudflare:index/schemaValidationOperationSettings:SchemaValidationOperationSettings", { zoneId: "z", operationId: "o", mitigationAction: "none" }],
            ["aws:sagemaker/flowDefinition:FlowDefinition", { flowDefinitionName: "f", humanLoopConfig: { workteamArn: "arn:aws:sagemaker:us-east-1:394669845002:workteam/public-crowd/default" } }],
            ["aws:sagemaker/labelingJob:LabelingJob", { labelingJobName: "l" }],
            ["cloudflare:index/cloudConnectorRules:CloudConnectorRules", { zoneId: "z", rules: [{ provider: "aws_s3", parameters: { host: "collector.s3.amazonaws.com" } }] }],
            ["cloudflare:index/imageVariant:ImageVariant", { accountId: "a", id: "v", neverRequireSignedUrls: true }],
            ["aws:codepipeline/webhook:Webhook", { authentication: "UNAUTHENTICATED", targetAction: "Source", targetPipeline: "p", filters: [] }],
            ["aws:ssm/serviceSetting:ServiceSetting", { settingId: "arn:aws:ssm:us-east-1:123456789012:servicesetting/ssm/documents/console/public-sharing-permission", settingValue: "Enable" }],
            ["aws:pinpoint/eventStream:EventStream", { applicationId: "a", roleArn: "r", destinationStreamArn: "arn:aws:kinesis:us-east-1:999999999999:stream/loot" }],
            ["aws:fsx/openZfsFileSystem:OpenZfsFileSystem", { deploymentType: "SINGLE_AZ_1", rootVolumeConfiguration: { nfsExports: { clientConfigurations: [{ clients: "*", options: ["rw"] }] } } }],
            ["aws:odb/network:Network", { displayName: "n", s3PolicyDocument: "{}" }],
            // A fourth audit: a service that always writes what it makes to an S3 location it is told.
            ["aws:backup/reportPlan:ReportPlan", { name: "r", reportDeliveryChannel: { s3BucketName: "reports-collector" }, reportSetting: { reportTemplate: "BACKUP_JOB_REPORT" } }],
            ["aws:bcmdata/export:Export", { export: { name: "e", dataQueries: [{ queryStatement: "SELECT * FROM COST_AND_USAGE_REPORT" }], destinationConfigurations: [{ s3Destinations: [{ s3Bucket: "billing-collector", s3Prefix: "p", s3Region: "us-east-1" }] }] } }],
            ["aws:cur/reportDefinition:ReportDefinition", { reportName: "r", timeUnit: "DAILY", format: "textORcsv", compression: "GZIP", additionalSchemaElements: [], s3Bucket: "billing-collector", s3Region: "us-east-1" }],
            ["aws:dataexchange/eventAction:EventAction", { event: { revisionPublished: { dataSetId: "d" } }, action: { exportRevisionToS3: { revisionDestination: { bucket: "data-collector" } } } }],
            ["aws:elastictranscoder/pipeline:Pipeline", { inputBucket: "in", outputBucket: "media-collector", role: "r" }],
            ["aws:emr/studio:Studio", { name: "s", authMode: "IAM", defaultS3Location: "s3://notebooks-collector/", engineSecurityGroupId: "g", serviceRole: "r", subnetIds: ["s"], vpcId: "v", workspaceSecurityGroupId: "g" }],
            ["aws:ivs/recordingConfiguration:RecordingConfiguration", { destinationConfiguration: { s3: { bucketName: "streams-collector" } } }],
            ["aws:synthetics/canary:Canary", { name: "c", artifactS3Location: "s3://artifacts-collector/", executionRoleArn: "r", handler: "h", runtimeVersion: "syn-nodejs-puppeteer-9.0", schedule: { expression: "rate(5 minutes)" } }],
            ["aws:bedrock/customModel:CustomModel", { customModelName: "m", jobName: "j", baseModelIdentifier: "b", roleArn: "r", trainingDataConfig: { s3Uri: "s3://training/" }, outputDataConfig: { s3Uri: "s3://model-collector/" } }],
            ["aws:bedrock/evaluationJob:EvaluationJob", { name: "e", roleArn: "r", outputDataConfig: { s3Uri: "s3://eval-collector/" } }],
            ["aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition", { roleArn: "r", dataQualityAppSpecification: { imageUri: "i" }, dataQualityJobOutputConfig: { monitoringOutputs: { s3Output: { s3Uri: "s3://monitoring-collector/" } } } }],
            ["aws:sagemaker/deviceFleet:DeviceFleet", { deviceFleetName: "f", roleArn: "r", outputConfig: { s3OutputLocation: "s3://edge-collector/" } }],
            ["aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob", { hyperParameterTuningJobName: "t", trainingJobDefinition: { roleArn: "r", outputDataConfig: { s3OutputPath: "s3://models-collector/" } } }],
            ["aws:sagemaker/modelCardExportJob:ModelCardExportJob", { modelCardExportJobName: "e", modelCardName: "c", outputConfig: { s3OutputPath: "s3://cards-collector/" } }],
            ["aws:sagemaker/trainingJob:TrainingJob", { trainingJobName: "t", roleArn: "r", outputDataConfig: { s3OutputPath: "s3://models-collector/" } }],
            // The same audit over inputs that name principals, accounts and exemptions: Cloudflare Zero Trust's inspection, device routing, DLP and risk settings, and email security exemptions.
            ["cloudflare:index/zeroTrustGatewaySettings:ZeroTrustGatewaySettings", { accountId: "a", settings: { tlsDecrypt: { enabled: false }, antivirus: { enabledDownloadPhase: false } } }],
            ["cloudflare:index/teamsAccount:TeamsAccount", { accountId: "a", tlsDecryptEnabled: false }],
            ["cloudflare:index/zeroTrustGatewayLogging:ZeroTrustGatewayLogging", { accountId: "a", redactPii: true, settingsByRuleType: { http: { logAll: false, logBlocks: false } } }],
            ["cloudflare:index/zeroTrustDeviceCustomProfile:ZeroTrustDeviceCustomProfile", { accountId: "a", name: "p", match: 'identity.email == "x@corp.example"', precedence: 1, excludes: [{ address: "0.0.0.0/0" }] }],
            ["cloudflare:index/zeroTrustDeviceDefaultProfile:ZeroTrustDeviceDefaultProfile", { accountId: "a", allowModeSwitch: true, switchLocked: false, excludes: [{ host: "collector.example" }] }],
            ["cloudflare:index/zeroTrustDeviceSettings:ZeroTrustDeviceSettings", { accountId: "a", gatewayProxyEnabled: false, disableForTime: 86400 }],
            ["cloudflare:index/zeroTrustLocalFallbackDomain:ZeroTrustLocalFallbackDomain", { accountId: "a", domains: [{ suffix: "corp.example", dnsServers: ["203.0.113.53"] }] }],
            ["cloudflare:index/zeroTrustDeviceCustomProfileLocalDomainFallback:ZeroTrustDeviceCustomProfileLocalDomainFallback", { accountId: "a", policyId: "p", domains: [{ suffix: "corp.example", dnsServers: ["203.0.113.53"] }] }],
            ["cloudflare:index/zeroTrustDeviceDefaultProfileLocalDomainFallback:ZeroTrustDeviceDefaultProfileLocalDomainFallback", { accountId: "a", domains: [{ suffix: "corp.example", dnsServers: ["203.0.113.53"] }] }],
            ["cloudflare:index/zeroTrustConnectivitySettings:ZeroTrustConnectivitySettings", { accountId: "a", offrampWarpEnabled: true, icmpProxyEnabled: true }],
            ["cloudflare:index/zeroTrustDeviceManagedNetworks:ZeroTrustDeviceManagedNetworks", { accountId: "a", name: "n", type: "tls", config: { tlsSockaddr: "203.0.113.1:443" } }],
            ["cloudflare:index/deviceManagedNetworks:DeviceManagedNetworks", { accountId: "a", name: "n", type: "tls", config: { tlsSockaddr: "203.0.113.1:443" } }],
            ["cloudflare:index/zeroTrustGatewayPacfile:ZeroTrustGatewayPacfile", { accountId: "a", name: "p", contents: 'function FindProxyForURL(url, host) { return "DIRECT"; }' }],
            ["cloudflare:index/zeroTrustDlpCustomProfile:ZeroTrustDlpCustomProfile", { accountId: "a", name: "cards", entries: [{ name: "card", enabled: false, pattern: { regex: "\\d{16}" } }] }],
            ["cloudflare:index/zeroTrustDlpPredefinedProfile:ZeroTrustDlpPredefinedProfile", { accountId: "a", profileId: "p", entries: [{ id: "e", enabled: false }] }],
            ["cloudflare:index/dlpCustomProfile:DlpCustomProfile", { accountId: "a", name: "cards" }],
            ["cloudflare:index/dlpPredefinedProfile:DlpPredefinedProfile", { accountId: "a", profileId: "p" }],
            ["cloudflare:index/zeroTrustDlpEntry:ZeroTrustDlpEntry", { accountId: "a", name: "e", enabled: false, type: "custom" }],
            ["cloudflare:index/zeroTrustDlpCustomEntry:ZeroTrustDlpCustomEntry", { accountId: "a", name: "e", enabled: false, pattern: { regex: "x" } }],
            ["cloudflare:index/zeroTrustDlpPredefinedEntry:ZeroTrustDlpPredefinedEntry", { accountId: "a", entryId: "e", enabled: false }],
            ["cloudflare:index/zeroTrustDlpIntegrationEntry:ZeroTrustDlpIntegrationEntry", { accountId: "a", entryId: "e", enabled: false }],
            ["cloudflare:index/zeroTrustDlpSettings:ZeroTrustDlpSettings", { accountId: "a", payloadLogging: { maskingLevel: "full" } }],
            ["cloudflare:index/zeroTrustRiskScoringIntegration:ZeroTrustRiskScoringIntegration", { accountId: "a", integrationType: "Okta", tenantUrl: "https://idp.example" }],
            ["cloudflare:index/zeroTrustRiskBehavior:ZeroTrustRiskBehavior", { accountId: "a", behaviors: { imp_travel: { enabled: false, riskLevel: "low" } } }],
            ["cloudflare:index/riskBehavior:RiskBehavior", { accountId: "a", behaviors: { imp_travel: { enabled: false, riskLevel: "low" } } }],
            ["cloudflare:index/emailSecurityAllowPolicy:EmailSecurityAllowPolicy", { accountId: "a", isTrustedSender: true, isRecipient: false, isSender: true, isSpoof: false, pattern: "collector.example", patternType: "DOMAIN", verifySender: false }],
            ["cloudflare:index/emailSecurityDomain:EmailSecurityDomain", { accountId: "a", domain: "shop.example", transport: "mx.collector.example", dropDispositions: [], allowedDeliveryModes: ["DIRECT"], ipRestrictions: [], regions: [] }],
            ["cloudflare:index/zeroTrustCasbWebhook:ZeroTrustCasbWebhook", { accountId: "a", label: "w", authenticationType: "none", destinationUrl: "https://collector.example/hook" }],
            ["cloudflare:index/zeroTrustGatewayProxyEndpoint:ZeroTrustGatewayProxyEndpoint", { accountId: "a", name: "p", ips: ["0.0.0.0/0"] }],
            ["cloudflare:index/teamsProxyEndpoint:TeamsProxyEndpoint", { accountId: "a", name: "p", ips: ["0.0.0.0/0"] }],
            ["cloudflare:index/emailSecurityTrustedDomains:EmailSecurityTrustedDomains", { accountId: "a", body: [{ isRecent: false, isRegex: false, isSimilarity: false, pattern: "collector.example" }] }],
        ];
        for (const [type, props] of found) {
            expect(accessRuleFor({ type, props: props as never, provider: type.startsWith("aws:") ? (AWS_PROVIDER as never) : undefined }), type).toBeDefined();
        }
    });

    it("holds a delivery row that names no places, and reads a delivery's places through JSON and lists", () => {
        expect(JUDGES.delivery({ arn: "x" }, () => "123456789012")).toMatch(/names no places/);
        const to = { arns: ["targets.arn"] };
        expect(JUDGES.delivery({ targets: JSON.stringify([{ arn: "arn:aws:sqs:us-east-1:123456789012:q" }]) }, () => "123456789012", to)).toBeUndefined();
        expect(JUDGES.delivery({ targets: [[{ arn: "arn:aws:sqs:us-east-1:123456789012:q" }], [{ arn: "arn:aws:sqs:us-east-1:999999999999:q" }]] }, () => "123456789012", to)).toMatch(/not shown to be in its provider's AWS account/);
    });

    it("has allowed and denied examples for every judged row, and no examples for rows it does not judge", () => {
        const judged = [...TYPE_TABLE].filter(([, r]) => r.judge).map(([t]) => t).sort();
        expect(Object.keys(JUDGED_EXAMPLES).sort()).toEqual(judged);
        for (const t of judged) {
            expect(JUDGED_EXAMPLES[t]!.allowed.length, t).toBeGreaterThan(0);
            expect(JUDGED_EXAMPLES[t]!.denied.length, t).toBeGreaterThan(0);
        }
    });

    describe.each(Object.entries(JUDGED_EXAMPLES))("%s", (type, ex) => {
        it.each(ex.allowed.map((p, i) => [i, p] as const))("allows example %i", async (_i, props) => {
            expect(gatesOf(await decide([custom(type, props)]))).toEqual([]);
        });
        it.each(ex.denied.map((p, i) => [i, p] as const))("raises access for denied example %i", async (_i, props) => {
            const d = await decide([custom(type, props)]);
            expect(gatesOf(d)).toEqual(["access:2:denied"]);
        });
    });

    it("raises access for every access and meta-provisioner row with no inputs, and for accessWhen rows only when the input is set", () => {
        for (const [type, row] of TYPE_TABLE) {
            if (row.access) {
                expect(accessRuleFor({ type, props: {} })?.why, type).toBe(row.access);
            } else if (row.accessWhen) {
                // A row judged too starts from an example its judge allows.
                const base = { ...(row.judge ? JUDGED_EXAMPLES[type]?.allowed[0] : {}), tags: {} };
                const provider = type.startsWith("aws:") ? (AWS_PROVIDER as never) : undefined;
                expect(accessRuleFor({ type, props: base, provider }), type).toBeUndefined();
                for (const input of row.accessWhen.inputs) {
                    expect(accessRuleFor({ type, props: { ...base, [input]: "x" }, provider })?.input, type).toBe(input);
                    expect(accessRuleFor({ type, props: { ...base, [input]: UNKNOWN }, provider })?.input, type).toBe(input);
                }
            } else if (!row.judge && !type.startsWith("aws:")) {
                expect(accessRuleFor({ type, props: { policy: "x" } }), type).toBeUndefined();
            }
        }
    });

    it("judges a service role in the denial by what it grants", async () => {
        const d = await decide([custom("aws:iam/role:Role", { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }) })]);
        expect(d.gates[0]?.observed ?? JSON.stringify(d)).toContain("trust policy lets more than AWS service principals");
    });
});
