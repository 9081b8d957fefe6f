/**
 * Allowed and denied example resources for every judged row of the type table (like
 * gatekeeper-library's example_allowed / example_disallowed per rule). test/gate/access.test.ts
 * runs each through the access gate and fails when a judged row has none.
 */
import { Props, UNKNOWN } from "../../src/facts/facts";

const LAMBDA_TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const ECS_TRUST = { Version: "2012-10-17", Statement: [{ Sid: "", Effect: "Allow", Principal: { Service: ["ecs-tasks.amazonaws.com"] }, Action: ["sts:AssumeRole"] }] };
const BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

export interface Examples {
    readonly allowed: readonly Props[];
    readonly denied: readonly Props[];
}

/** Every row judged by `publicAddress`: public when the flag is true, unknown or not a boolean. */
const PUBLIC_ADDRESS_TYPES = [
    "aws:rds/instance:Instance",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:rds/shardGroup:ShardGroup",
    "aws:neptune/clusterInstance:ClusterInstance",
    "aws:redshift/cluster:Cluster",
    "aws:redshiftserverless/workgroup:Workgroup",
    "aws:dms/replicationInstance:ReplicationInstance",
    "aws:dms/instanceProfile:InstanceProfile",
    "aws:m2/environment:Environment",
    "aws:timestreaminfluxdb/dbCluster:DbCluster",
    "aws:timestreaminfluxdb/dbInstance:DbInstance",
    "aws:mq/broker:Broker",
    "aws:lightsail/database:Database",
];
const PUBLIC_ADDRESS: Examples = {
    allowed: [{}, { publiclyAccessible: false }, { publiclyAccessible: "false" }],
    denied: [{ publiclyAccessible: true }, { publiclyAccessible: "true" }, { publiclyAccessible: UNKNOWN }, { publiclyAccessible: "yes" }],
};

export const JUDGED_EXAMPLES: { readonly [type: string]: Examples } = {
    ...Object.fromEntries(PUBLIC_ADDRESS_TYPES.map((t) => [t, PUBLIC_ADDRESS])),
    "aws:neptunegraph/graph:Graph": { allowed: [{}, { publicConnectivity: false }], denied: [{ publicConnectivity: true }, { publicConnectivity: UNKNOWN }] },
    "aws:iam/role:Role": {
        allowed: [{ assumeRolePolicy: LAMBDA_TRUST }, { assumeRolePolicy: LAMBDA_TRUST, managedPolicyArns: [BASIC] }, { assumeRolePolicy: ECS_TRUST as unknown as Props[string] }],
        denied: [
            { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" }] }) },
            { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com", AWS: "*" }, Action: "sts:AssumeRole" }] }) },
            { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Federated: "cognito-identity.amazonaws.com" }, Action: "sts:AssumeRoleWithWebIdentity" }] }) },
            { assumeRolePolicy: LAMBDA_TRUST, managedPolicyArns: [BASIC, ADMIN] },
            { assumeRolePolicy: LAMBDA_TRUST, managedPolicyArns: UNKNOWN },
            { assumeRolePolicy: LAMBDA_TRUST, inlinePolicies: [{ name: "x", policy: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' }] },
            { assumeRolePolicy: UNKNOWN },
            { assumeRolePolicy: "not json" },
            {},
        ],
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        allowed: [{ role: UNKNOWN, policyArn: BASIC }, { role: "fn-role", policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }],
        denied: [{ role: UNKNOWN, policyArn: ADMIN }, { role: "r", policyArn: UNKNOWN }, { role: "r", policyArn: "arn:aws:iam::123456789012:policy/service-role/AWSLambdaBasicExecutionRole" }],
    },
    "aws:lambda/permission:Permission": {
        allowed: [
            { action: "lambda:InvokeFunction", function: UNKNOWN, principal: "apigateway.amazonaws.com", sourceArn: UNKNOWN },
            { action: "lambda:InvokeFunction", function: "arn:aws:lambda:us-east-1:123456789012:function:f", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:us-east-1:123456789012:rule/r" },
        ],
        denied: [
            { action: "lambda:InvokeFunction", function: "f", principal: "*" },
            { action: "lambda:InvokeFunction", function: "f", principal: "apigateway.amazonaws.com" },
            { action: "lambda:InvokeFunction", function: "f", principal: "123456789012" , sourceArn: UNKNOWN },
            { action: "lambda:*", function: "f", principal: "s3.amazonaws.com", sourceArn: UNKNOWN },
            { action: "lambda:InvokeFunction", function: "arn:aws:lambda:us-east-1:123456789012:function:f", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:us-east-1:999999999999:rule/r" },
            { action: "lambda:InvokeFunction", function: "f", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:us-east-1:123456789012:rule/r" },
            { action: "lambda:InvokeFunction", function: "f", principal: "lambda.amazonaws.com", sourceArn: UNKNOWN, functionUrlAuthType: "NONE" },
        ],
    },
    "aws:cloudwatch/eventTarget:EventTarget": {
        allowed: [
            { rule: "nightly", arn: UNKNOWN },
            { rule: "nightly", arn: "arn:aws:lambda:us-east-1:123456789012:function:report" },
            { rule: "nightly", arn: "arn:aws:sqs:us-east-1:123456789012:jobs", deadLetterConfig: { arn: "arn:aws:sqs:us-east-1:123456789012:dlq" } },
            { rule: "nightly", arn: "arn:aws:sqs:us-east-1:123456789012:jobs", deadLetterConfig: {} },
            { rule: "nightly", arn: "arn:aws:ecs:us-east-1:123456789012:cluster/c", ecsTarget: { taskDefinitionArn: UNKNOWN, enableExecuteCommand: false } },
        ],
        denied: [
            { rule: "nightly", arn: "arn:aws:events:us-east-1:999999999999:event-bus/collector" },
            { rule: "nightly", arn: "arn:aws:events:us-east-1:123456789012:api-destination/hook/0f6c3c1e-0000-4000-8000-000000000000" },
            { rule: "nightly", arn: "https://collector.example.com/" },
            { rule: "nightly" },
            { rule: "nightly", arn: UNKNOWN, ecsTarget: { taskDefinitionArn: UNKNOWN, enableExecuteCommand: true } },
            { rule: "nightly", arn: "arn:aws:ecs:us-east-1:123456789012:cluster/c", ecsTarget: { enableExecuteCommand: UNKNOWN } },
            // Another account's queue or function that accepts the events receives them.
            { rule: "nightly", arn: "arn:aws:sqs:us-east-1:999999999999:collector" },
            { rule: "nightly", eventBusName: "arn:aws:events:us-east-1:999999999999:event-bus/default", arn: "arn:aws:lambda:us-east-1:999999999999:function:f" },
            // An ARN naming no account (Run Command on instances) is not shown to be the provider's.
            { rule: "nightly", arn: "arn:aws:ssm:us-east-1::document/AWS-RunShellScript" },
            { rule: "nightly", arn: "arn:aws:sqs:us-east-1:123456789012:jobs", deadLetterConfig: { arn: "arn:aws:sqs:us-east-1:999999999999:dlq" } },
        ],
    },
    "aws:s3/bucketNotification:BucketNotification": {
        allowed: [
            { bucket: "b", queues: [{ queueArn: "arn:aws:sqs:us-east-1:123456789012:jobs", events: ["s3:ObjectCreated:*"] }] },
            { bucket: "b", topics: [{ topicArn: UNKNOWN, events: ["s3:ObjectCreated:*"] }], lambdaFunctions: [{ lambdaFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:f", events: ["s3:ObjectRemoved:*"] }] },
            { bucket: "b", eventbridge: true },
        ],
        denied: [
            { bucket: "b", queues: [{ queueArn: "arn:aws:sqs:us-east-1:999999999999:collector", events: ["s3:ObjectCreated:*"] }] },
            { bucket: "b", queues: [{ queueArn: "arn:aws:sqs:us-east-1:123456789012:jobs" }], topics: [{ topicArn: "arn:aws:sns:us-east-1:999999999999:t" }] },
            { bucket: "b", lambdaFunctions: JSON.stringify([{ lambdaFunctionArn: "arn:aws:lambda:us-east-1:999999999999:function:f" }]) },
            { bucket: "b", lambdaFunctions: [{ events: ["s3:ObjectCreated:*"] }] },
            { bucket: "b", queues: UNKNOWN },
            { bucket: "b", topics: "not a list" },
        ],
    },
    "cloudflare:index/zoneSetting:ZoneSetting": {
        allowed: [
            { zoneId: "z", settingId: "always_online", value: "on" },
            { zoneId: "z", settingId: "browserCacheTtl", value: 14400 },
            // Protection turned to its protective side.
            { zoneId: "z", settingId: "ssl", value: "strict" },
            { zoneId: "z", settingId: "min_tls_version", value: "1.2" },
            { zoneId: "z", settingId: "alwaysUseHttps", value: "on" },
        ],
        denied: [
            { zoneId: "z", settingId: "security_level", value: "essentially_off" },
            { zoneId: "z", settingId: "ssl", value: "off" },
            { zoneId: "z", settingId: "waf", value: "off" },
            { zoneId: "z", settingId: "minTlsVersion", value: "1.0" },
            { zoneId: "z", settingId: "ssl", value: "flexible" },
            { zoneId: "z", settingId: "security_level", value: UNKNOWN },
            { zoneId: "z", settingId: "waf", value: { on: true } },
            // A setting added after the review (it injects a script into every page).
            { zoneId: "z", settingId: "webmcp_enabled", value: "on" },
            { zoneId: "z", settingId: UNKNOWN, value: "on" },
            { zoneId: "z", value: "on" },
        ],
    },
    "cloudflare:index/ruleset:Ruleset": {
        allowed: [
            { zoneId: "z", kind: "zone", name: "r", phase: "http_request_dynamic_redirect", rules: [{ action: "redirect", expression: "true" }] },
            { zoneId: "z", kind: "zone", name: "r", phase: "http_response_headers_transform", rules: [] },
        ],
        denied: [
            { zoneId: "z", kind: "zone", name: "r", phase: "http_request_firewall_custom", rules: [{ action: "skip", expression: "true", actionParameters: { ruleset: "current" } }] },
            { zoneId: "z", kind: "zone", name: "r", phase: "http_request_firewall_managed", rules: [] },
            { zoneId: "z", kind: "zone", name: "r", phase: "http_config_settings", rules: [{ action: "set_config", actionParameters: { securityLevel: "off" } }] },
            { zoneId: "z", kind: "zone", name: "r", phase: "http_request_origin", rules: [{ action: "route", actionParameters: { host_header: "collector.example.com" } }] },
            { zoneId: "z", kind: "zone", name: "r", phase: UNKNOWN, rules: [] },
            { zoneId: "z", kind: "zone", name: "r", rules: [] },
        ],
    },
    "cloudflare:index/pageRule:PageRule": {
        allowed: [
            { zoneId: "z", target: "example.com/static/*", actions: { cacheLevel: "cache_everything", edgeCacheTtl: 7200 } },
            { zoneId: "z", target: "example.com/old/*", actions: JSON.stringify({ forwardingUrl: { url: "https://example.com/new", statusCode: 301 } }) },
        ],
        denied: [
            { zoneId: "z", target: "example.com/*", actions: { disableSecurity: true } },
            { zoneId: "z", target: "example.com/*", actions: { cacheLevel: "bypass", ssl: "off" } },
            { zoneId: "z", target: "example.com/*", actions: { securityLevel: "essentially_off" } },
            { zoneId: "z", target: "example.com/*", actions: { resolveOverride: "collector.example.net" } },
            { zoneId: "z", target: "example.com/*", actions: UNKNOWN },
            { zoneId: "z", target: "example.com/*", actions: "not an object" },
        ],
    },
    "cloudflare:index/zone:Zone": {
        allowed: [{ account: { id: "a" }, name: "example.com" }, { account: { id: "a" }, name: "example.com", paused: false }],
        denied: [
            { account: { id: "a" }, name: "example.com", paused: true },
            { account: { id: "a" }, name: "example.com", paused: UNKNOWN },
        ],
    },
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": {
        allowed: [
            { functionName: "f", maximumRetryAttempts: 0 },
            { functionName: "f", destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:123456789012:failed" }, onSuccess: { destination: UNKNOWN } } },
        ],
        denied: [
            { functionName: "f", destinationConfig: { onSuccess: { destination: "arn:aws:sqs:us-east-1:999999999999:loot" } } },
            { functionName: "f", destinationConfig: JSON.stringify({ onFailure: { destination: "arn:aws:lambda:us-east-1:999999999999:function:f" } }) },
            { functionName: "f", destinationConfig: { onFailure: {} } },
            { functionName: "f", destinationConfig: [[{ onFailure: { destination: "arn:aws:sqs:us-east-1:999999999999:loot" } }]] },
            { functionName: "f", destinationConfig: "garbage" },
        ],
    },
    "aws:lambda/eventSourceMapping:EventSourceMapping": {
        allowed: [
            { functionName: "f", eventSourceArn: "arn:aws:sqs:us-east-1:123456789012:in" },
            { functionName: "f", eventSourceArn: "arn:aws:kinesis:us-east-1:123456789012:stream/s", destinationConfig: { onFailure: { destinationArn: "arn:aws:sqs:us-east-1:123456789012:failed" } } },
        ],
        denied: [{ functionName: "f", eventSourceArn: "arn:aws:kinesis:us-east-1:123456789012:stream/s", destinationConfig: { onFailure: { destinationArn: "arn:aws:sns:us-east-1:999999999999:loot" } } }],
    },
    "aws:ses/eventDestination:EventDestination": {
        allowed: [
            { configurationSetName: "c", matchingTypes: ["send"], cloudwatchDestinations: [{ defaultValue: "d", dimensionName: "n", valueSource: "emailHeader" }] },
            { configurationSetName: "c", matchingTypes: ["send"], snsDestination: { topicArn: "arn:aws:sns:us-east-1:123456789012:mail" } },
        ],
        denied: [
            { configurationSetName: "c", matchingTypes: ["send"], snsDestination: { topicArn: "arn:aws:sns:us-east-1:999999999999:mail" } },
            { configurationSetName: "c", matchingTypes: ["send"], kinesisDestination: { streamArn: "arn:aws:firehose:us-east-1:999999999999:deliverystream/s", roleArn: "r" } },
        ],
    },
    "aws:cloudwatch/metricStream:MetricStream": {
        allowed: [{ firehoseArn: "arn:aws:firehose:us-east-1:123456789012:deliverystream/metrics", roleArn: "r", outputFormat: "json" }, { firehoseArn: UNKNOWN, roleArn: "r", outputFormat: "json" }],
        denied: [{ firehoseArn: "arn:aws:firehose:us-east-1:999999999999:deliverystream/metrics", roleArn: "r", outputFormat: "json" }, { roleArn: "r", outputFormat: "json" }],
    },
    "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination": {
        allowed: [{ tableName: "orders", streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/orders" }],
        // Every item change of the table, to another account's stream.
        denied: [{ tableName: "orders", streamArn: "arn:aws:kinesis:us-east-1:999999999999:stream/loot" }, { tableName: "orders", streamArn: "stream/orders" }],
    },
    "aws:cloudfront/realtimeLogConfig:RealtimeLogConfig": {
        allowed: [{ name: "rt", samplingRate: 100, fields: ["c-ip"], endpoint: { streamType: "Kinesis", kinesisStreamConfig: { roleArn: "r", streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/rt" } } }],
        denied: [{ name: "rt", samplingRate: 100, fields: ["cs-headers"], endpoint: { streamType: "Kinesis", kinesisStreamConfig: { roleArn: "r", streamArn: "arn:aws:kinesis:us-east-1:999999999999:stream/rt" } } }],
    },
    "aws:cloudwatch/logDelivery:LogDelivery": {
        allowed: [{ deliverySourceName: "s", deliveryDestinationArn: "arn:aws:logs:us-east-1:123456789012:delivery-destination:d" }],
        // Cross-account delivery: the destination's policy in the other account accepts it.
        denied: [{ deliverySourceName: "s", deliveryDestinationArn: "arn:aws:logs:us-east-1:999999999999:delivery-destination:d" }],
    },
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
        allowed: [
            { name: "d", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:logs:us-east-1:123456789012:log-group:vended" } },
            { name: "d", deliveryDestinationType: "XRAY" },
        ],
        denied: [
            { name: "d", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::collector-bucket" } },
            { name: "d", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:firehose:us-east-1:999999999999:deliverystream/x" } },
        ],
    },
    "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig": {
        allowed: [{ destinationArn: "arn:aws:logs:us-east-1:123456789012:log-group:dns" }],
        denied: [{ destinationArn: "arn:aws:s3:::dns-collector" }, { destinationArn: "arn:aws:firehose:us-east-1:999999999999:deliverystream/dns" }],
    },
    "aws:route53/queryLog:QueryLog": {
        allowed: [{ zoneId: "Z1", cloudwatchLogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/shop" }],
        denied: [{ zoneId: "Z1", cloudwatchLogGroupArn: "arn:aws:logs:us-east-1:999999999999:log-group:/aws/route53/shop" }],
    },
    "aws:vpclattice/accessLogSubscription:AccessLogSubscription": {
        allowed: [{ resourceIdentifier: "sn-1", destinationArn: "arn:aws:logs:us-east-1:123456789012:log-group:lattice" }],
        denied: [{ resourceIdentifier: "sn-1", destinationArn: "arn:aws:s3:::lattice-logs" }],
    },
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
        allowed: [
            { resourceArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/a/1", logDestinationConfigs: ["arn:aws:firehose:us-east-1:123456789012:deliverystream/aws-waf-logs-a"] },
            { resourceArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/a/1", logDestinationConfigs: [] },
        ],
        denied: [
            // The second of two destinations is another account's stream: every request's headers go there.
            { resourceArn: "w", logDestinationConfigs: ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-a", "arn:aws:firehose:us-east-1:999999999999:deliverystream/aws-waf-logs-x"] },
            { resourceArn: "w", logDestinationConfigs: JSON.stringify(["arn:aws:s3:::aws-waf-logs-collector"]) },
        ],
    },
    "aws:networkfirewall/loggingConfiguration:LoggingConfiguration": {
        allowed: [{ firewallArn: "f", loggingConfiguration: { logDestinationConfigs: [{ logDestinationType: "CloudWatchLogs", logType: "FLOW", logDestination: { logGroup: "fw" } }] } }],
        denied: [
            { firewallArn: "f", loggingConfiguration: { logDestinationConfigs: [{ logDestinationType: "CloudWatchLogs", logType: "ALERT", logDestination: { logGroup: "fw" } }, { logDestinationType: "S3", logType: "FLOW", logDestination: { bucketName: "collector" } }] } },
            // The destination is a free-form map: an "enabled" key in it switches nothing off.
            { firewallArn: "f", loggingConfiguration: { logDestinationConfigs: [{ logDestinationType: "S3", logType: "FLOW", logDestination: { bucketName: "collector", enabled: "false" } }] } },
        ],
    },
    "aws:ec2/flowLog:FlowLog": {
        allowed: [
            { vpcId: "vpc-1", trafficType: "ALL", logGroupName: "flows", iamRoleArn: "r" },
            { vpcId: "vpc-1", trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:flows" },
        ],
        denied: [
            { vpcId: "vpc-1", trafficType: "ALL", logDestinationType: "s3", logDestination: "arn:aws:s3:::flow-collector" },
            { vpcId: "vpc-1", trafficType: "ALL", logDestinationType: "kinesis-data-firehose", logDestination: "arn:aws:firehose:us-east-1:999999999999:deliverystream/flows" },
            { vpcId: "vpc-1", trafficType: "ALL", logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:flows", deliverCrossAccountRole: "arn:aws:iam::999999999999:role/deliver" },
        ],
    },
    "aws:lambda/function:Function": {
        allowed: [{ runtime: "nodejs20.x", role: "r" }, { runtime: "nodejs20.x", role: "r", deadLetterConfig: { targetArn: "arn:aws:sqs:us-east-1:123456789012:dlq" } }],
        // Every failed event's payload goes to the dead-letter target.
        denied: [{ runtime: "nodejs20.x", role: "r", deadLetterConfig: { targetArn: "arn:aws:sns:us-east-1:999999999999:loot" } }],
    },
    "aws:ecs/cluster:Cluster": {
        allowed: [{ name: "c" }, { name: "c", configuration: { executeCommandConfiguration: { logging: "OVERRIDE", logConfiguration: { cloudWatchLogGroupName: "exec" } } } }],
        denied: [{ name: "c", configuration: { executeCommandConfiguration: { logging: "OVERRIDE", logConfiguration: { s3BucketName: "collector" } } } }],
    },
    ...Object.fromEntries(
        ["aws:rds/integration:Integration", "aws:redshift/integration:Integration"].map((t) => [
            t,
            {
                allowed: [{ integrationName: "i", sourceArn: "arn:aws:rds:us-east-1:123456789012:cluster:orders", targetArn: "arn:aws:redshift-serverless:us-east-1:123456789012:namespace/wh" }],
                // The whole database replicated into another account's warehouse: that account only authorizes the source.
                denied: [{ integrationName: "i", sourceArn: "arn:aws:rds:us-east-1:123456789012:cluster:orders", targetArn: "arn:aws:redshift-serverless:us-east-1:999999999999:namespace/loot" }],
            },
        ]),
    ),
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration": {
        allowed: [{ loggingConfig: { textDataDeliveryEnabled: true, cloudwatchConfig: { logGroupName: "bedrock", roleArn: "r" } } }],
        denied: [
            { loggingConfig: { textDataDeliveryEnabled: true, s3Config: { bucketName: "prompt-collector" } } },
            { loggingConfig: { imageDataDeliveryEnabled: true, cloudwatchConfig: { logGroupName: "bedrock", roleArn: "r", largeDataDeliveryS3Config: { bucketName: "prompt-collector" } } } },
        ],
    },
    "aws:connect/instanceStorageConfig:InstanceStorageConfig": {
        allowed: [
            { instanceId: "i", resourceType: "CONTACT_TRACE_RECORDS", storageConfig: { storageType: "KINESIS_STREAM", kinesisStreamConfig: { streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/ctr" } } },
        ],
        denied: [
            { instanceId: "i", resourceType: "CALL_RECORDINGS", storageConfig: { storageType: "S3", s3Config: { bucketName: "recordings-collector", bucketPrefix: "p" } } },
            { instanceId: "i", resourceType: "CONTACT_TRACE_RECORDS", storageConfig: { storageType: "KINESIS_FIREHOSE", kinesisFirehoseConfig: { firehoseArn: "arn:aws:firehose:us-east-1:999999999999:deliverystream/ctr" } } },
        ],
    },
    ...Object.fromEntries(
        ["aws:lb/listener:Listener", "aws:alb/listener:Listener"].map((t) => [
            t,
            {
                allowed: [{ port: 443, defaultActions: [{ type: "forward", targetGroupArn: "tg" }] }, { port: 80, defaultActions: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }] }],
                denied: [
                    // An issuer of the program's choosing decides who reaches the targets.
                    { port: 443, defaultActions: [{ type: "authenticate-oidc", authenticateOidc: { issuer: "https://idp.example", authorizationEndpoint: "a", tokenEndpoint: "t", userInfoEndpoint: "u", clientId: "c", clientSecret: "s" } }, { type: "forward", targetGroupArn: "tg" }] },
                    { port: 443, defaultActions: JSON.stringify([{ type: "forward", authenticateCognito: { userPoolArn: "arn:aws:cognito-idp:us-east-1:999999999999:userpool/p", userPoolClientId: "c", userPoolDomain: "d" } }]) },
                    { port: 443, defaultActions: [{ type: "jwt-validation" }] },
                    { port: 443, defaultActions: UNKNOWN },
                ],
            },
        ]),
    ),
    ...Object.fromEntries(
        ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"].map((t) => [
            t,
            {
                allowed: [{ listenerArn: "l", actions: [{ type: "forward", targetGroupArn: "tg" }], conditions: [{ pathPattern: { values: ["/api/*"] } }] }],
                denied: [{ listenerArn: "l", actions: [{ type: "authenticate-oidc", authenticateOidc: { issuer: "https://idp.example" } }, { type: "forward", targetGroupArn: "tg" }], conditions: [] }, { listenerArn: "l", actions: [{ type: UNKNOWN }] }],
            },
        ]),
    ),
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        allowed: [
            { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway" },
            { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.execute-api", vpcEndpointType: "Interface" },
        ],
        denied: [
            // An endpoint service of any account: the VPC reaches, and is reached through, whatever is behind it.
            { vpcId: "vpc-1", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", vpcEndpointType: "Interface" },
            { vpcId: "vpc-1", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", vpcEndpointType: "GatewayLoadBalancer" },
            { vpcId: "vpc-1", vpcEndpointType: "ServiceNetwork", serviceNetworkArn: "arn:aws:vpc-lattice:us-east-1:999999999999:servicenetwork/sn-1" },
            { vpcId: "vpc-1", vpcEndpointType: "Resource", resourceConfigurationArn: "arn:aws:vpc-lattice:us-east-1:999999999999:resourceconfiguration/rc-1" },
            { vpcId: "vpc-1", serviceName: UNKNOWN },
            { vpcId: "vpc-1", serviceName: "partner.example.service" },
        ],
    },
    "aws:pinpoint/eventStream:EventStream": {
        allowed: [{ applicationId: "a", roleArn: "r", destinationStreamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/events" }],
        denied: [{ applicationId: "a", roleArn: "r", destinationStreamArn: "arn:aws:firehose:us-east-1:999999999999:deliverystream/events" }],
    },
    "aws:memorydb/cluster:Cluster": {
        allowed: [{ name: "c", nodeType: "db.t4g.small", aclName: "app-users" }],
        denied: [{ name: "c", nodeType: "db.t4g.small", aclName: "open-access" }, { name: "c", nodeType: "db.t4g.small", aclName: UNKNOWN }],
    },
    // A fourth audit (inputs that name an S3 location): results, logs and exports a service writes there.
    "aws:athena/workgroup:Workgroup": {
        allowed: [
            { name: "w" },
            { name: "w", configuration: { enforceWorkgroupConfiguration: true, managedQueryResultsConfiguration: { enabled: true } } },
            // S3 refuses the write unless the provider's own account owns the bucket.
            { name: "w", configuration: { resultConfiguration: { outputLocation: "s3://athena-results/q/", expectedBucketOwner: "123456789012" } } },
        ],
        denied: [
            { name: "w", configuration: { resultConfiguration: { outputLocation: "s3://results-collector/q/" } } },
            { name: "w", configuration: { resultConfiguration: { outputLocation: "s3://results-collector/q/", expectedBucketOwner: "999999999999" } } },
            // An owner key where the type has none (the logging block) does not count.
            { name: "w", configuration: { monitoringConfiguration: { s3LoggingConfiguration: { enabled: true, logLocation: "s3://logs-collector/", expectedBucketOwner: "123456789012" } } } },
            { name: "w", configuration: { monitoringConfiguration: { s3LoggingConfiguration: { enabled: true, logLocation: "s3://logs-collector/" } } } },
            { name: "w", configuration: { resultConfiguration: { outputLocation: UNKNOWN } } },
        ],
    },
    ...Object.fromEntries(
        ["aws:cfg/conformancePack:ConformancePack", "aws:cfg/organizationConformancePack:OrganizationConformancePack"].map((t) => [
            t,
            { allowed: [{ name: "p", templateBody: "Resources: {}" }], denied: [{ name: "p", templateBody: "Resources: {}", deliveryS3Bucket: "results-collector" }] },
        ]),
    ),
    "aws:chime/sdkvoiceGlobalSettings:SdkvoiceGlobalSettings": { allowed: [{}], denied: [{ voiceConnector: { cdrBucket: "cdr-collector" } }] },
    "aws:chimesdkmediapipelines/mediaInsightsPipelineConfiguration:MediaInsightsPipelineConfiguration": {
        allowed: [{ name: "m", resourceAccessRoleArn: "r", elements: [{ type: "KinesisDataStreamSink", kinesisDataStreamSinkConfiguration: { insightsTarget: "arn:aws:kinesis:us-east-1:123456789012:stream/insights" } }] }],
        denied: [
            { name: "m", resourceAccessRoleArn: "r", elements: [{ type: "S3RecordingSink", s3RecordingSinkConfiguration: { destination: "arn:aws:s3:::recordings-collector", recordingFileFormat: "Wav" } }] },
            { name: "m", resourceAccessRoleArn: "r", elements: [{ type: "AmazonTranscribeCallAnalyticsProcessor", amazonTranscribeCallAnalyticsProcessorConfiguration: { languageCode: "en-US", postCallAnalyticsSettings: { dataAccessRoleArn: "r", outputLocation: "s3://calls-collector" } } }] },
            { name: "m", resourceAccessRoleArn: "r", elements: [{ type: "SqsQueueSink", sqsQueueSinkConfiguration: { insightsTarget: "arn:aws:sqs:us-east-1:999999999999:insights" } }] },
        ],
    },
    "aws:cloudwatch/internetMonitor:InternetMonitor": {
        allowed: [{ monitorName: "m" }],
        denied: [{ monitorName: "m", internetMeasurementsLogDelivery: { s3Config: { bucketName: "measurements-collector", logDeliveryStatus: "ENABLED" } } }],
    },
    "aws:codebuild/reportGroup:ReportGroup": {
        allowed: [{ name: "r", type: "TEST", exportConfig: { type: "NO_EXPORT" } }],
        denied: [{ name: "r", type: "TEST", exportConfig: { type: "S3", s3Destination: { bucket: "reports-collector", encryptionKey: "k" } } }],
    },
    "aws:comprehend/documentClassifier:DocumentClassifier": {
        allowed: [{ name: "c", dataAccessRoleArn: "r", languageCode: "en", inputDataConfig: { s3Uri: "s3://training/docs" } }],
        denied: [{ name: "c", dataAccessRoleArn: "r", languageCode: "en", inputDataConfig: { s3Uri: "s3://training/docs" }, outputDataConfig: { s3Uri: "s3://output-collector/" } }],
    },
    "aws:customerprofiles/domain:Domain": {
        allowed: [
            { domainName: "d", defaultExpirationDays: 365, matching: { enabled: true } },
            { domainName: "d", defaultExpirationDays: 365, deadLetterQueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/profiles-dlq" },
        ],
        denied: [
            { domainName: "d", defaultExpirationDays: 365, matching: { enabled: true, exportingConfig: { s3Exporting: { s3BucketName: "profiles-collector" } } } },
            { domainName: "d", defaultExpirationDays: 365, ruleBasedMatching: { enabled: true, exportingConfig: { s3Exporting: { s3BucketName: "profiles-collector" } } } },
            { domainName: "d", defaultExpirationDays: 365, deadLetterQueueUrl: "https://sqs.us-east-1.amazonaws.com/999999999999/profiles-dlq" },
            // A URL of another host names no queue, whatever account number its path carries.
            { domainName: "d", defaultExpirationDays: 365, deadLetterQueueUrl: "https://collector.example/123456789012/profiles-dlq" },
            { domainName: "d", defaultExpirationDays: 365, deadLetterQueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/..%2F999999999999%2Fevil" },
            { domainName: "d", defaultExpirationDays: 365, deadLetterQueueUrl: "https://sqs.s3.amazonaws.com/123456789012/q" },
        ],
    },
    "aws:emr/cluster:Cluster": { allowed: [{ name: "c", releaseLabel: "emr-7.0.0", serviceRole: "r" }], denied: [{ name: "c", releaseLabel: "emr-7.0.0", serviceRole: "r", logUri: "s3://logs-collector/emr/" }] },
    "aws:emrcontainers/jobTemplate:JobTemplate": {
        allowed: [{ name: "t", jobTemplateData: { executionRoleArn: "r", releaseLabel: "emr-7.0.0", jobDriver: {} } }],
        denied: [{ name: "t", jobTemplateData: { executionRoleArn: "r", releaseLabel: "emr-7.0.0", jobDriver: {}, configurationOverrides: { monitoringConfiguration: { s3MonitoringConfiguration: { logUri: "s3://logs-collector/" } } } } }],
    },
    "aws:emrserverless/application:Application": {
        allowed: [{ name: "a", releaseLabel: "emr-7.0.0", type: "spark", monitoringConfiguration: { cloudwatchLoggingConfiguration: { enabled: true, logGroupName: "emr" } } }],
        denied: [
            { name: "a", releaseLabel: "emr-7.0.0", type: "spark", monitoringConfiguration: { s3MonitoringConfiguration: { logUri: "s3://logs-collector/" } } },
            { name: "a", releaseLabel: "emr-7.0.0", type: "spark", monitoringConfiguration: { prometheusMonitoringConfiguration: { remoteWriteUrl: "https://prometheus.collector.example/api/v1/write" } } },
        ],
    },
    "aws:evidently/project:Project": {
        allowed: [{ name: "p", dataDelivery: { cloudwatchLogs: { logGroup: "evidently" } } }],
        denied: [{ name: "p", dataDelivery: { s3Destination: { bucket: "events-collector" } } }],
    },
    "aws:fis/experimentTemplate:ExperimentTemplate": {
        allowed: [
            { description: "d", roleArn: "r", actions: [], stopConditions: [{ source: "none" }] },
            { description: "d", roleArn: "r", actions: [], stopConditions: [{ source: "none" }], logConfiguration: { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:fis:*" } } },
        ],
        denied: [
            { description: "d", roleArn: "r", actions: [], stopConditions: [{ source: "none" }], logConfiguration: { logSchemaVersion: 2, s3Configuration: { bucketName: "logs-collector" } } },
            { description: "d", roleArn: "r", actions: [], stopConditions: [{ source: "none" }], logConfiguration: { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: "arn:aws:logs:us-east-1:999999999999:log-group:fis:*" } } },
            { description: "d", roleArn: "r", actions: [], stopConditions: [{ source: "none" }], experimentReportConfiguration: { outputs: { s3Configuration: { bucketName: "reports-collector" } } } },
        ],
    },
    ...Object.fromEntries(
        ["aws:globalaccelerator/accelerator:Accelerator", "aws:globalaccelerator/customRoutingAccelerator:CustomRoutingAccelerator"].map((t) => [
            t,
            {
                allowed: [{ name: "a" }, { name: "a", attributes: { flowLogsEnabled: false, flowLogsS3Bucket: "flow-logs" } }],
                denied: [{ name: "a", attributes: { flowLogsEnabled: true, flowLogsS3Bucket: "flows-collector" } }, { name: "a", attributes: { flowLogsEnabled: UNKNOWN, flowLogsS3Bucket: "flows-collector" } }],
            },
        ]),
    ),
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration": {
        allowed: [{ name: "i", instanceProfileName: "p" }],
        denied: [{ name: "i", instanceProfileName: "p", logging: { s3Logs: { s3BucketName: "logs-collector" } } }, { name: "i", instanceProfileName: "p", snsTopicArn: "arn:aws:sns:us-east-1:999999999999:builds" }],
    },
    "aws:ivschat/loggingConfiguration:LoggingConfiguration": {
        allowed: [{ destinationConfiguration: { cloudwatchLogs: { logGroupName: "chat" } } }],
        denied: [{ destinationConfiguration: { s3: { bucketName: "chat-collector" } } }],
    },
    "aws:msk/cluster:Cluster": {
        allowed: [
            { clusterName: "c", kafkaVersion: "3.6.0", numberOfBrokerNodes: 3, loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: "msk" } } } },
            { clusterName: "c", kafkaVersion: "3.6.0", numberOfBrokerNodes: 3, loggingInfo: { brokerLogs: { s3: { enabled: false, bucket: "broker-logs" } } } },
        ],
        denied: [{ clusterName: "c", kafkaVersion: "3.6.0", numberOfBrokerNodes: 3, loggingInfo: { brokerLogs: { s3: { enabled: true, bucket: "logs-collector" } } } }],
    },
    "aws:rekognition/streamProcessor:StreamProcessor": {
        allowed: [{ name: "s", roleArn: "r", output: { kinesisDataStream: { arn: "arn:aws:kinesis:us-east-1:123456789012:stream/faces" } } }],
        denied: [
            { name: "s", roleArn: "r", output: { s3Destination: { bucket: "faces-collector" } } },
            { name: "s", roleArn: "r", output: { kinesisDataStream: { arn: "arn:aws:kinesis:us-east-1:999999999999:stream/faces" } } },
            { name: "s", roleArn: "r", output: { s3Destination: { bucket: "own" } }, notificationChannel: { snsTopicArn: "arn:aws:sns:us-east-1:999999999999:t" } },
        ],
    },
    "aws:sns/smsPreferences:SmsPreferences": { allowed: [{ monthlySpendLimit: 10 }], denied: [{ monthlySpendLimit: 10, usageReportS3Bucket: "sms-collector" }] },
    "aws:timestreamwrite/table:Table": {
        allowed: [{ databaseName: "d", tableName: "t", magneticStoreWriteProperties: { enableMagneticStoreWrites: true } }],
        denied: [{ databaseName: "d", tableName: "t", magneticStoreWriteProperties: { enableMagneticStoreWrites: true, magneticStoreRejectedDataLocation: { s3Configuration: { bucketName: "rejected-collector" } } } }],
    },
    "aws:transfer/workflow:Workflow": {
        allowed: [
            { steps: [{ type: "DELETE", deleteStepDetails: { sourceFileLocation: "${original.file}" } }] },
            { steps: [{ type: "CUSTOM", customStepDetails: { target: "arn:aws:lambda:us-east-1:123456789012:function:scan" } }] },
        ],
        denied: [
            { steps: [{ type: "COPY", copyStepDetails: { destinationFileLocation: { s3FileLocation: { bucket: "uploads-collector", key: "k" } } } }] },
            { steps: [{ type: "TAG", tagStepDetails: {} }], onExceptionSteps: [{ type: "DECRYPT", decryptStepDetails: { type: "PGP", destinationFileLocation: { s3FileLocation: { bucket: "uploads-collector", key: "k" } } } }] },
            { steps: [{ type: "CUSTOM", customStepDetails: { target: "arn:aws:lambda:us-east-1:999999999999:function:scan" } }] },
        ],
    },
    "aws:workspacesweb/sessionLogger:SessionLogger": {
        allowed: [{ displayName: "l", eventFilter: { all: {} } }, { displayName: "l", eventFilter: { all: {} }, logConfiguration: { s3: { bucket: "session-logs", bucketOwner: "123456789012", folderStructure: "Flat", logFileFormat: "Json" } } }],
        denied: [{ displayName: "l", eventFilter: { all: {} }, logConfiguration: { s3: { bucket: "sessions-collector", folderStructure: "Flat", logFileFormat: "Json" } } }],
    },
    "aws:appfabric/ingestionDestination:IngestionDestination": {
        allowed: [{ appBundleArn: "a", ingestionArn: "i", destinationConfiguration: { auditLog: { destination: { firehoseStream: { streamName: "audit" } } } } }],
        denied: [{ appBundleArn: "a", ingestionArn: "i", destinationConfiguration: { auditLog: { destination: { s3Bucket: { bucketName: "audit-collector" } } } } }],
    },
    "aws:arcregionswitch/plan:Plan": {
        allowed: [{ name: "p", executionRole: "r", recoveryApproach: "activePassive", regions: ["us-east-1", "us-west-2"] }],
        denied: [{ name: "p", executionRole: "r", recoveryApproach: "activePassive", regions: ["us-east-1", "us-west-2"], reportConfigurations: [{ reportOutputs: [{ s3Configurations: [{ bucketPath: "s3://reports-collector/" }] }] }] }],
    },
    "aws:bedrock/agentcoreBrowser:AgentcoreBrowser": {
        allowed: [{ name: "b", networkConfiguration: { networkMode: "PUBLIC" } }],
        denied: [{ name: "b", networkConfiguration: { networkMode: "PUBLIC" }, recording: { enabled: true, s3Location: { bucket: "sessions-collector", prefix: "p" } } }],
    },
    "aws:bedrock/agentcoreMemoryStrategy:AgentcoreMemoryStrategy": {
        allowed: [{ name: "s", memoryId: "m", type: "SEMANTIC" }],
        denied: [
            { name: "s", memoryId: "m", type: "CUSTOM", configuration: { type: "SELF_MANAGED", selfManagedConfiguration: { invocationConfiguration: { payloadDeliveryBucketName: "payload-collector", topicArn: "arn:aws:sns:us-east-1:123456789012:t" } } } },
            { name: "s", memoryId: "m", type: "CUSTOM", configuration: { type: "SELF_MANAGED", selfManagedConfiguration: { invocationConfiguration: { topicArn: "arn:aws:sns:us-east-1:999999999999:t" } } } },
        ],
    },
    "aws:bedrock/agentFlow:AgentFlow": {
        allowed: [{ name: "f", executionRoleArn: "r", definition: { nodes: [{ name: "in", type: "Input" }] } }],
        denied: [
            { name: "f", executionRoleArn: "r", definition: { nodes: [{ name: "store", type: "Storage", configuration: { storage: { serviceConfiguration: { s3: { bucketName: "flow-collector" } } } } }] } },
            { name: "f", executionRoleArn: "r", definition: { nodes: [{ name: "fn", type: "LambdaFunction", configuration: { lambdaFunction: { lambdaArn: "arn:aws:lambda:us-east-1:999999999999:function:f" } } }] } },
        ],
    },
    "aws:sagemaker/domain:Domain": {
        allowed: [{ domainName: "d", authMode: "IAM", vpcId: "v", subnetIds: ["s"], defaultUserSettings: { executionRole: "r", sharingSettings: { notebookOutputOption: "Disabled" } } }],
        denied: [
            { domainName: "d", authMode: "IAM", vpcId: "v", subnetIds: ["s"], defaultUserSettings: { executionRole: "r", sharingSettings: { notebookOutputOption: "Allowed", s3OutputPath: "s3://notebooks-collector/" } } },
            { domainName: "d", authMode: "IAM", vpcId: "v", subnetIds: ["s"], defaultUserSettings: { executionRole: "r", canvasAppSettings: { workspaceSettings: { s3ArtifactPath: "s3://canvas-collector/" } } } },
            { domainName: "d", authMode: "IAM", vpcId: "v", subnetIds: ["s"], defaultUserSettings: { executionRole: "r", canvasAppSettings: { modelRegisterSettings: { status: "ENABLED", crossAccountModelRegisterRoleArn: "arn:aws:iam::999999999999:role/register" } } } },
        ],
    },
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": {
        allowed: [{ productionVariants: [{ variantName: "v", modelName: "m", initialInstanceCount: 1, instanceType: "ml.t2.medium" }] }],
        denied: [
            { productionVariants: [{ variantName: "v", modelName: "m" }], dataCaptureConfig: { initialSamplingPercentage: 100, destinationS3Uri: "s3://capture-collector/", captureOptions: [{ captureMode: "Input" }] } },
            { productionVariants: [{ variantName: "v", modelName: "m" }], asyncInferenceConfig: { outputConfig: { s3OutputPath: "s3://results-collector/" } } },
            { productionVariants: [{ variantName: "v", modelName: "m", coreDumpConfig: { destinationS3Uri: "s3://dumps-collector/" } }] },
        ],
    },
    "aws:sagemaker/featureGroup:FeatureGroup": {
        allowed: [{ featureGroupName: "f", recordIdentifierFeatureName: "id", eventTimeFeatureName: "t", roleArn: "r", featureDefinitions: [], onlineStoreConfig: { enableOnlineStore: true } }],
        denied: [{ featureGroupName: "f", recordIdentifierFeatureName: "id", eventTimeFeatureName: "t", roleArn: "r", featureDefinitions: [], offlineStoreConfig: { s3StorageConfig: { s3Uri: "s3://features-collector/" } } }],
    },
    "aws:sagemaker/hub:Hub": { allowed: [{ hubName: "h", hubDescription: "d" }], denied: [{ hubName: "h", hubDescription: "d", s3StorageConfig: { s3OutputPath: "s3://hub-collector/" } }] },
    "aws:sagemaker/monitoringSchedule:MonitoringSchedule": {
        allowed: [{ monitoringScheduleConfig: { monitoringJobDefinitionName: "j", monitoringType: "DataQuality" } }],
        denied: [{ monitoringScheduleConfig: { monitoringType: "DataQuality", monitoringJobDefinition: { roleArn: "r", monitoringOutputConfig: { monitoringOutputs: { s3Output: { s3Uri: "s3://monitoring-collector/", localPath: "/opt/ml/processing/output" } } } } } }],
    },
    // The same audit, inputs that name a stream, topic, log group or outside store.
    "aws:qldb/stream:Stream": {
        allowed: [{ ledgerName: "l", streamName: "s", roleArn: "r", inclusiveStartTime: "2026-01-01T00:00:00Z", kinesisConfiguration: { streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/journal" } }],
        denied: [{ ledgerName: "l", streamName: "s", roleArn: "r", inclusiveStartTime: "2026-01-01T00:00:00Z", kinesisConfiguration: { streamArn: "arn:aws:kinesis:us-east-1:999999999999:stream/journal" } }],
    },
    "aws:bedrock/agentcoreMemory:AgentcoreMemory": {
        allowed: [{ name: "m", eventExpiryDuration: 30 }, { name: "m", eventExpiryDuration: 30, streamDeliveryResources: { resource: [{ kinesis: { dataStreamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/memory" } }] } }],
        denied: [{ name: "m", eventExpiryDuration: 30, streamDeliveryResources: { resource: [{ kinesis: { dataStreamArn: "arn:aws:kinesis:us-east-1:999999999999:stream/memory" } }] } }],
    },
    "aws:lex/botAlias:BotAlias": {
        allowed: [
            { botName: "b", botVersion: "1", name: "live" },
            { botName: "b", botVersion: "1", name: "live", conversationLogs: { iamRoleArn: "r", logSettings: [{ destination: "CLOUDWATCH_LOGS", logType: "TEXT", resourceArn: "arn:aws:logs:us-east-1:123456789012:log-group:lex" }] } },
        ],
        denied: [
            { botName: "b", botVersion: "1", name: "live", conversationLogs: { iamRoleArn: "r", logSettings: [{ destination: "S3", logType: "AUDIO", resourceArn: "arn:aws:s3:::audio-collector" }] } },
            { botName: "b", botVersion: "1", name: "live", conversationLogs: { iamRoleArn: "r", logSettings: [{ destination: "CLOUDWATCH_LOGS", logType: "TEXT", resourceArn: "arn:aws:logs:us-east-1:999999999999:log-group:lex" }] } },
        ],
    },
    "aws:pinpoint/smsvoicev2EventDestination:Smsvoicev2EventDestination": {
        allowed: [{ configurationSetName: "c", eventDestinationName: "e", matchingEventTypes: ["ALL"], snsDestination: { topicArn: "arn:aws:sns:us-east-1:123456789012:sms" } }],
        denied: [
            { configurationSetName: "c", eventDestinationName: "e", matchingEventTypes: ["ALL"], kinesisFirehoseDestination: { deliveryStreamArn: "arn:aws:firehose:us-east-1:999999999999:deliverystream/sms", iamRoleArn: "r" } },
            { configurationSetName: "c", eventDestinationName: "e", matchingEventTypes: ["ALL"], cloudwatchLogsDestination: { logGroupArn: "arn:aws:logs:us-east-1:999999999999:log-group:sms", iamRoleArn: "r" } },
        ],
    },
    "aws:storagegateway/fileSystemAssociation:FileSystemAssociation": {
        allowed: [{ gatewayArn: "g", locationArn: "l", username: "u", password: "p" }],
        denied: [{ gatewayArn: "g", locationArn: "l", username: "u", password: "p", auditDestinationArn: "arn:aws:logs:us-east-1:999999999999:log-group:audit" }],
    },
    "aws:storagegateway/gateway:Gateway": {
        allowed: [{ gatewayName: "g", gatewayTimezone: "GMT", cloudwatchLogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:gateway" }],
        denied: [{ gatewayName: "g", gatewayTimezone: "GMT", cloudwatchLogGroupArn: "arn:aws:logs:us-east-1:999999999999:log-group:gateway" }, { gatewayName: "g", gatewayTimezone: "GMT", smbGuestPassword: "p" }],
    },
    "aws:fsx/windowsFileSystem:WindowsFileSystem": {
        allowed: [{ storageCapacity: 32, subnetIds: ["s"], throughputCapacity: 8, activeDirectoryId: "d-1", auditLogConfiguration: { fileAccessAuditLogLevel: "SUCCESS_AND_FAILURE" } }],
        denied: [
            { storageCapacity: 32, subnetIds: ["s"], throughputCapacity: 8, activeDirectoryId: "d-1", auditLogConfiguration: { fileAccessAuditLogLevel: "SUCCESS_AND_FAILURE", auditLogDestination: "arn:aws:firehose:us-east-1:999999999999:deliverystream/aws-fsx-audit" } },
            { storageCapacity: 32, subnetIds: ["s"], throughputCapacity: 8, selfManagedActiveDirectory: { dnsIps: ["203.0.113.1"], domainName: "corp.example", username: "u", password: "p" } },
        ],
    },
    "aws:workspacesweb/userAccessLoggingSettings:UserAccessLoggingSettings": {
        allowed: [{ kinesisStreamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/amazon-workspaces-web-access" }],
        denied: [{ kinesisStreamArn: "arn:aws:kinesis:us-east-1:999999999999:stream/amazon-workspaces-web-access" }],
    },
    "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase": {
        allowed: [
            { name: "k", roleArn: "r", knowledgeBaseConfiguration: { type: "VECTOR" }, storageConfiguration: { type: "OPENSEARCH_SERVERLESS", opensearchServerlessConfiguration: { collectionArn: "arn:aws:aoss:us-east-1:123456789012:collection/c", vectorIndexName: "i" } } },
            { name: "k", roleArn: "r", knowledgeBaseConfiguration: { type: "VECTOR" }, storageConfiguration: { type: "S3_VECTORS", s3VectorsConfiguration: { indexArn: "arn:aws:s3vectors:us-east-1:123456789012:bucket/v/index/i" } } },
        ],
        denied: [
            { name: "k", roleArn: "r", knowledgeBaseConfiguration: { type: "VECTOR" }, storageConfiguration: { type: "PINECONE", pineconeConfiguration: { connectionString: "https://index.svc.pinecone.example", credentialsSecretArn: "s" } } },
            { name: "k", roleArn: "r", knowledgeBaseConfiguration: { type: "VECTOR" }, storageConfiguration: { type: "MONGO_DB_ATLAS", mongoDbAtlasConfiguration: { endpoint: "cluster0.mongodb.example", credentialsSecretArn: "s", databaseName: "d", collectionName: "c", vectorIndexName: "i" } } },
            { name: "k", roleArn: "r", knowledgeBaseConfiguration: { type: "VECTOR" }, storageConfiguration: { type: "RDS", rdsConfiguration: { resourceArn: "arn:aws:rds:us-east-1:999999999999:cluster:kb", credentialsSecretArn: "s", databaseName: "d", tableName: "t" } } },
            {
                name: "k",
                roleArn: "r",
                knowledgeBaseConfiguration: { type: "VECTOR", vectorKnowledgeBaseConfiguration: { supplementalDataStorageConfiguration: { storageLocations: [{ type: "S3", s3Location: { uri: "s3://images-collector/" } }] } } },
                storageConfiguration: { type: "OPENSEARCH_SERVERLESS", opensearchServerlessConfiguration: { collectionArn: "arn:aws:aoss:us-east-1:123456789012:collection/c" } },
            },
            // The endpoint Bedrock writes to is not tied to the domain ARN beside it.
            { name: "k", roleArn: "r", knowledgeBaseConfiguration: { type: "VECTOR" }, storageConfiguration: { type: "OPENSEARCH_MANAGED_CLUSTER", opensearchManagedClusterConfiguration: { domainArn: "arn:aws:es:us-east-1:123456789012:domain/kb", domainEndpoint: "https://search-theirs-abc.us-east-1.es.amazonaws.com", vectorIndexName: "i" } } },
        ],
    },
    "aws:bedrock/agentcoreHarness:AgentcoreHarness": {
        allowed: [
            { name: "h" },
            { name: "h", model: { bedrockModelConfig: { modelId: "anthropic.claude" } }, tools: [{ type: "agentcoreGateway", name: "g", config: { agentcoreGateway: { gatewayArn: "arn:aws:bedrock-agentcore:us-east-1:123456789012:gateway/g" } } }] },
        ],
        denied: [
            { name: "h", tools: [{ type: "remote_mcp", name: "t", config: { remoteMcp: { url: "https://mcp.example/sse" } } }] },
            { name: "h", model: { litellmModelConfig: { modelId: "m", apiBase: "https://llm.collector.example" } } },
            { name: "h", model: { openaiModelConfig: { modelId: "m", apiKeyArn: "k" } } },
            { name: "h", tools: [{ type: "agentcoreGateway", name: "g", config: { agentcoreGateway: { gatewayArn: "arn:aws:bedrock-agentcore:us-east-1:999999999999:gateway/g" } } }] },
            { name: "h", memory: { agentcoreMemoryConfiguration: { arn: "arn:aws:bedrock-agentcore:us-east-1:999999999999:memory/m" } } },
            { name: "h", skills: [{ git: { url: "https://git.collector.example/x.git", auth: { credentialArn: "c" } } }] },
            { name: "h", authorizerConfiguration: { customJwtAuthorizer: { discoveryUrl: "https://idp.example" } } },
        ],
    },
    "aws:securitylake/subscriberNotification:SubscriberNotification": {
        allowed: [{ subscriberId: "s", configuration: { sqsNotificationConfiguration: {} } }],
        denied: [{ subscriberId: "s", configuration: { httpsNotificationConfiguration: { endpoint: "https://collector.example/notify", targetRoleArn: "r" } } }],
    },
    "aws:bedrock/agentDataSource:AgentDataSource": {
        allowed: [{ name: "d", knowledgeBaseId: "k", dataSourceConfiguration: { type: "S3", s3Configuration: { bucketArn: "arn:aws:s3:::docs" } } }],
        denied: [
            { name: "d", knowledgeBaseId: "k", vectorIngestionConfiguration: { customTransformationConfiguration: { intermediateStorage: { s3Location: { uri: "s3://chunks-collector/" } }, transformation: [] } } },
            { name: "d", knowledgeBaseId: "k", vectorIngestionConfiguration: { customTransformationConfiguration: { transformation: [{ stepToApply: "POST_CHUNKING", transformationFunction: { transformationLambdaConfiguration: { lambdaArn: "arn:aws:lambda:us-east-1:999999999999:function:t" } } }] } } },
        ],
    },
    "aws:kendra/dataSource:DataSource": {
        allowed: [{ indexId: "i", name: "d", type: "S3" }],
        denied: [
            { indexId: "i", name: "d", type: "S3", customDocumentEnrichmentConfiguration: { preExtractionHookConfiguration: { lambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:h", s3Bucket: "docs-collector" } } },
            { indexId: "i", name: "d", type: "S3", customDocumentEnrichmentConfiguration: { postExtractionHookConfiguration: { lambdaArn: "arn:aws:lambda:us-east-1:999999999999:function:h", s3Bucket: UNKNOWN } } },
        ],
    },
    "aws:sagemaker/algorithm:Algorithm": {
        allowed: [{ algorithmName: "a", trainingSpecification: { trainingImage: "i" } }],
        denied: [{ algorithmName: "a", trainingSpecification: { trainingImage: "i" }, validationSpecification: { validationRole: "r", validationProfiles: [{ profileName: "p", trainingJobDefinition: { outputDataConfig: { s3OutputPath: "s3://models-collector/" } } }] } }],
    },
    "aws:timestreamquery/scheduledQuery:ScheduledQuery": {
        allowed: [{ name: "q", queryString: "SELECT 1", executionRoleArn: "r", errorReportConfiguration: {}, notificationConfiguration: { snsConfiguration: { topicArn: "arn:aws:sns:us-east-1:123456789012:q" } } }],
        denied: [
            { name: "q", queryString: "SELECT 1", executionRoleArn: "r", errorReportConfiguration: { s3Configuration: { bucketName: "errors-collector" } }, notificationConfiguration: { snsConfiguration: { topicArn: "arn:aws:sns:us-east-1:123456789012:q" } } },
            { name: "q", queryString: "SELECT 1", executionRoleArn: "r", notificationConfiguration: { snsConfiguration: { topicArn: "arn:aws:sns:us-east-1:999999999999:q" } } },
        ],
    },
    "cloudflare:index/pipelineSink:PipelineSink": {
        allowed: [{ accountId: "a1", name: "s", type: "r2", config: { accountId: "a1", bucket: "events", credentials: { accessKeyId: "k", secretAccessKey: "s" } } }],
        denied: [
            { accountId: "a1", name: "s", type: "r2", config: { accountId: "a2", bucket: "events", credentials: { accessKeyId: "k", secretAccessKey: "s" } } },
            { accountId: "a1", name: "s", type: "r2", config: { bucket: "events" } },
            { accountId: "a1", name: "s", type: "r2", config: { accountId: UNKNOWN, bucket: "events" } },
        ],
    },
    "aws:eks/cluster:Cluster": {
        allowed: [
            { name: "c", roleArn: "r", vpcConfig: { subnetIds: ["s"], endpointPublicAccess: false, endpointPrivateAccess: true } },
            { name: "c", roleArn: "r", vpcConfig: { subnetIds: ["s"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } },
        ],
        denied: [
            // The endpoint is public to all of the internet by default.
            { name: "c", roleArn: "r", vpcConfig: { subnetIds: ["s"] } },
            { name: "c", roleArn: "r", vpcConfig: { subnetIds: ["s"], endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } },
            { name: "c", roleArn: "r", vpcConfig: { subnetIds: ["s"], publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/1"] } },
            { name: "c", roleArn: "r", vpcConfig: { subnetIds: ["s"], endpointPublicAccess: UNKNOWN } },
            { name: "c", roleArn: "r", vpcConfig: { subnetIds: ["s"], endpointPublicAccess: false }, accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true } },
        ],
    },
    // A third attacker's pass: values that open a resource (an access mode, an endpoint type, who signs in).
    "aws:mwaa/environment:Environment": {
        allowed: [{ name: "a", executionRoleArn: "r", sourceBucketArn: "b", dagS3Path: "dags" }, { name: "a", executionRoleArn: "r", webserverAccessMode: "PRIVATE_ONLY" }],
        denied: [{ name: "a", executionRoleArn: "r", webserverAccessMode: "PUBLIC_ONLY" }, { name: "a", executionRoleArn: "r", webserverAccessMode: "PUBLIC_AND_PRIVATE" }, { name: "a", executionRoleArn: "r", webserverAccessMode: UNKNOWN }],
    },
    "aws:transfer/server:Server": {
        allowed: [{ endpointType: "VPC", endpointDetails: { vpcId: "v", subnetIds: ["s"] } }],
        denied: [
            // PUBLIC is the default: SFTP open to the whole internet, with no security group to judge.
            {},
            { endpointType: "PUBLIC" },
            { endpointType: "VPC", identityProviderType: "API_GATEWAY", url: "https://idp.example" },
        ],
    },
    "aws:connect/instance:Instance": {
        allowed: [{ identityManagementType: "CONNECT_MANAGED", inboundCallsEnabled: true, outboundCallsEnabled: true }],
        denied: [
            { identityManagementType: "SAML", inboundCallsEnabled: true, outboundCallsEnabled: true },
            { identityManagementType: "EXISTING_DIRECTORY", directoryId: "d-1", inboundCallsEnabled: true, outboundCallsEnabled: true },
            { identityManagementType: "CONNECT_MANAGED", directoryId: "d-1", inboundCallsEnabled: true, outboundCallsEnabled: true },
        ],
    },
    "cloudflare:index/pipelineStream:PipelineStream": {
        allowed: [{ accountId: "a", name: "s", http: { enabled: false, authentication: false } }, { accountId: "a", name: "s", http: { enabled: true, authentication: true } }],
        denied: [{ accountId: "a", name: "s" }, { accountId: "a", name: "s", http: { enabled: true, authentication: false } }, { accountId: "a", name: "s", http: { enabled: true, authentication: UNKNOWN } }],
    },
    "aws:redshift/logging:Logging": {
        allowed: [{ clusterIdentifier: "c", logDestinationType: "cloudwatch", logExports: ["useractivitylog"] }],
        denied: [{ clusterIdentifier: "c", logDestinationType: "s3", bucketName: "audit-collector" }],
    },
    ...Object.fromEntries(
        ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"].map((t) => [
            t,
            {
                allowed: [
                    { name: "web" },
                    { name: "web", accessLogs: { bucket: "lb-logs", enabled: false } },
                    { name: "web", connectionLogs: { bucket: "lb-logs", enabled: "false" } },
                    // Logging is off unless enabled, even with a bucket named.
                    { name: "web", healthCheckLogs: { bucket: "lb-logs" } },
                ],
                denied: [
                    { name: "web", accessLogs: { bucket: "collector", enabled: true } },
                    { name: "web", healthCheckLogs: { bucket: "collector", enabled: "true" } },
                    { name: "web", accessLogs: { bucket: "collector", enabled: UNKNOWN } },
                    { name: "web", connectionLogs: UNKNOWN },
                ],
            },
        ]),
    ),
    "aws:elb/loadBalancer:LoadBalancer": {
        allowed: [{ listeners: [] }, { listeners: [], accessLogs: { bucket: "lb-logs", enabled: false } }],
        // Classic load balancers log when a bucket is given (enabled defaults to true).
        denied: [{ listeners: [], accessLogs: { bucket: "collector" } }],
    },
    "aws:cloudfront/distribution:Distribution": {
        allowed: [{ enabled: true }],
        denied: [{ enabled: true, loggingConfig: { bucket: "collector.s3.amazonaws.com", includeCookies: true } }],
    },
    ...Object.fromEntries(
        ["aws:apigateway/stage:Stage", "aws:apigatewayv2/stage:Stage"].map((t) => [
            t,
            {
                allowed: [{ stageName: "prod" }, { stageName: "prod", accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:123456789012:log-group:api", format: "$context.requestId" } }],
                denied: [{ stageName: "prod", accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:999999999999:log-group:api", format: "$context.requestId" } }, { stageName: "prod", accessLogSettings: { format: "$context.requestId" } }],
            },
        ]),
    ),
    "aws:sfn/stateMachine:StateMachine": {
        allowed: [{ definition: "{}", roleArn: "r" }, { definition: "{}", roleArn: "r", loggingConfiguration: { level: "OFF" } }, { definition: "{}", roleArn: "r", loggingConfiguration: { level: "ALL", logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*" } }],
        denied: [{ definition: "{}", roleArn: "r", loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: "arn:aws:logs:us-east-1:999999999999:log-group:sfn:*" } }],
    },
    "aws:ses/receiptRule:ReceiptRule": {
        allowed: [
            { name: "r", ruleSetName: "s", recipients: ["ops@example.com"], snsActions: [{ topicArn: "arn:aws:sns:us-east-1:123456789012:mail", position: 1 }] },
            { name: "r", ruleSetName: "s", bounceActions: [{ message: "m", sender: "a@example.com", smtpReplyCode: "550", position: 1 }] },
            // Optional topics left out send nothing.
            { name: "r", ruleSetName: "s", lambdaActions: [{ functionArn: "arn:aws:lambda:us-east-1:123456789012:function:read", position: 1 }], workmailActions: [{ organizationArn: "arn:aws:workmail:us-east-1:123456789012:organization/m-1", position: 2 }] },
        ],
        denied: [
            { name: "r", ruleSetName: "s", s3Actions: [{ bucketName: "collector", position: 1 }] },
            { name: "r", ruleSetName: "s", lambdaActions: [{ functionArn: "arn:aws:lambda:us-east-1:999999999999:function:read", position: 1 }] },
            { name: "r", ruleSetName: "s", snsActions: JSON.stringify([{ topicArn: "arn:aws:sns:us-east-1:999999999999:mail", position: 1 }]) },
            { name: "r", ruleSetName: "s", lambdaActions: [{ functionArn: "arn:aws:lambda:us-east-1:123456789012:function:read", topicArn: "arn:aws:sns:us-east-1:999999999999:mail", position: 1 }] },
        ],
    },
    "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination": {
        allowed: [{ configurationSetName: "c", eventDestinationName: "d", eventDestination: { matchingEventTypes: ["SEND"], snsDestination: { topicArn: "arn:aws:sns:us-east-1:123456789012:mail" } } }],
        denied: [
            { configurationSetName: "c", eventDestinationName: "d", eventDestination: { matchingEventTypes: ["SEND"], snsDestination: { topicArn: "arn:aws:sns:us-east-1:999999999999:mail" } } },
            { configurationSetName: "c", eventDestinationName: "d", eventDestination: { matchingEventTypes: ["SEND"], eventBridgeDestination: { eventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/default" } } },
        ],
    },
    "aws:iot/topicRule:TopicRule": {
        allowed: [
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, lambdas: [{ functionArn: UNKNOWN }], errorAction: { cloudwatchLogs: { logGroupName: "g", roleArn: "arn:aws:iam::123456789012:role/r" } } },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, https: [] },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, sqs: [{ queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", roleArn: "r", useBase64: false }], sns: [{ targetArn: "arn:aws:sns:us-east-1:123456789012:t", roleArn: "r" }] },
        ],
        denied: [
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, https: [{ url: "https://collector.example.com/" }] },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, kafkas: [{ destinationArn: "arn:aws:iot:us-east-1:123456789012:ruledestination/vpc/x", topic: "t", clientProperties: {} }] },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, errorAction: { http: { url: "https://collector.example.com/" } } },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, errorAction: JSON.stringify({ elasticsearch: { endpoint: "https://search-x.example.com" } }) },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, errorAction: UNKNOWN },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, https: UNKNOWN },
            // The error action in list form (or as JSON) is read too.
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, errorAction: [{ http: { url: "https://collector.example.com/" } }] },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, errorAction: JSON.stringify([{ kafka: { destinationArn: "x", topic: "t" } }]) },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, s3: [{ bucketName: "collector", key: "k", roleArn: "arn:aws:iam::123456789012:role/r" }] },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, sqs: [{ queueUrl: "https://sqs.us-east-1.amazonaws.com/999999999999/loot", roleArn: "arn:aws:iam::123456789012:role/r", useBase64: false }] },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, lambdas: [{ functionArn: "arn:aws:lambda:us-east-1:999999999999:function:f" }] },
            { name: "r", sql: "SELECT * FROM 't'", sqlVersion: "2016-03-23", enabled: true, errorAction: { sns: { targetArn: "arn:aws:sns:us-east-1:999999999999:t", roleArn: "r" } } },
        ],
    },
    "aws:sns/topicSubscription:TopicSubscription": {
        allowed: [
            { topic: UNKNOWN, protocol: "sqs", endpoint: UNKNOWN },
            { topic: "arn:aws:sns:us-east-1:123456789012:orders", protocol: "lambda", endpoint: "arn:aws:lambda:us-east-1:123456789012:function:ship" },
            { topic: "arn:aws:sns:us-east-1:123456789012:orders", protocol: "firehose", endpoint: UNKNOWN, subscriptionRoleArn: UNKNOWN },
        ],
        denied: [
            { topic: UNKNOWN, protocol: "https", endpoint: "https://collector.example.com/hook" },
            { topic: UNKNOWN, protocol: "email", endpoint: "someone@example.com" },
            { topic: UNKNOWN, protocol: "sms", endpoint: "+15555550100" },
            { topic: UNKNOWN, protocol: "application", endpoint: UNKNOWN },
            { topic: "arn:aws:sns:us-east-1:123456789012:orders", protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:999999999999:collect" },
            // The topic's account is not known: a literal queue is not shown to be its own.
            { topic: UNKNOWN, protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:999999999999:collect" },
            { topic: UNKNOWN, protocol: UNKNOWN, endpoint: UNKNOWN },
            { topic: UNKNOWN, protocol: "SQS", endpoint: UNKNOWN },
            { topic: UNKNOWN, endpoint: UNKNOWN },
            { protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:123456789012:collect" },
            { topic: "arn:aws:sns:us-east-1:123456789012:orders", protocol: "sqs", endpoint: "arn:aws-cn:sqs:us-east-1:123456789012:collect" },
        ],
    },
    "aws:ecs/service:Service": {
        allowed: [{ cluster: UNKNOWN, desiredCount: 1, launchType: "FARGATE" }, { cluster: UNKNOWN, enableExecuteCommand: false }],
        denied: [{ cluster: UNKNOWN, enableExecuteCommand: true }, { cluster: UNKNOWN, enableExecuteCommand: UNKNOWN }, { cluster: UNKNOWN, enableExecuteCommand: "yes" }],
    },
    "aws:vpclattice/service:Service": {
        allowed: [{ name: "orders", authType: "AWS_IAM" }],
        denied: [{ name: "orders" }, { name: "orders", authType: "NONE" }, { name: "orders", authType: UNKNOWN }, { name: "orders", authType: "aws_iam" }],
    },
    "aws:vpclattice/serviceNetwork:ServiceNetwork": {
        allowed: [{ name: "mesh", authType: "AWS_IAM" }],
        denied: [{ name: "mesh" }, { name: "mesh", authType: "NONE" }, { name: "mesh", authType: UNKNOWN }],
    },
    "aws:pipes/pipe:Pipe": {
        allowed: [
            { source: UNKNOWN, target: UNKNOWN },
            { source: "arn:aws:sqs:us-east-1:123456789012:in", target: "arn:aws:lambda:us-east-1:123456789012:function:work" },
            { source: "arn:aws:sqs:us-east-1:123456789012:in", target: UNKNOWN, enrichment: "arn:aws:lambda:us-east-1:123456789012:function:enrich" },
            { source: UNKNOWN, target: UNKNOWN, targetParameters: { ecsTaskParameters: { taskDefinitionArn: UNKNOWN, enableExecuteCommand: false } } },
        ],
        denied: [
            { source: "arn:aws:sqs:us-east-1:123456789012:in", target: "arn:aws:sqs:us-east-1:999999999999:exfil" },
            { source: UNKNOWN, target: "arn:aws:sqs:us-east-1:999999999999:exfil" },
            { source: "arn:aws:sqs:us-east-1:123456789012:in", target: "arn:aws-cn:sqs:us-east-1:123456789012:in" },
            { source: "arn:aws:sqs:us-east-1:123456789012:in", target: "arn:aws:events:us-east-1:123456789012:event-bus/default" },
            { source: UNKNOWN, target: UNKNOWN, enrichment: "arn:aws:events:us-east-1:123456789012:api-destination/hook/0f6c3c1e" },
            { source: "arn:aws:sqs:us-east-1:123456789012:in", target: UNKNOWN, enrichment: "arn:aws:lambda:us-east-1:999999999999:function:steal" },
            { source: UNKNOWN, target: UNKNOWN, targetParameters: { ecsTaskParameters: { enableExecuteCommand: true } } },
            { source: UNKNOWN, target: UNKNOWN, targetParameters: JSON.stringify({ ecsTaskParameters: { enableExecuteCommand: true } }) },
            { source: UNKNOWN, target: UNKNOWN, targetParameters: { ecsTaskParameters: [{ enableExecuteCommand: true }] } },
            { source: UNKNOWN, target: UNKNOWN, targetParameters: UNKNOWN },
            { source: UNKNOWN, target: UNKNOWN, targetParameters: [{ ecsTaskParameters: { enableExecuteCommand: true } }] },
            { source: UNKNOWN, target: "https://collector.example.com/" },
        ],
    },
    "aws:backup/plan:Plan": {
        allowed: [
            { name: "nightly", rules: [{ ruleName: "r", targetVaultName: UNKNOWN, schedule: "cron(0 5 * * ? *)" }] },
            { name: "nightly", rules: [{ ruleName: "r", targetVaultName: "v", copyActions: [] }] },
        ],
        denied: [
            { name: "nightly", rules: [{ ruleName: "r", targetVaultName: "v", copyActions: [{ destinationVaultArn: "arn:aws:backup:us-east-1:999999999999:backup-vault:collector" }] }] },
            { name: "nightly", rules: [{ ruleName: "r", targetVaultName: "v", copyActions: [{ destinationVaultArn: UNKNOWN }] }] },
            { name: "nightly", rules: [{ ruleName: "r", targetVaultName: "v", copyActions: UNKNOWN }] },
            { name: "nightly", rules: UNKNOWN },
            { name: "nightly", rules: JSON.stringify([{ ruleName: "r", copyActions: [{ destinationVaultArn: "arn:aws:backup:us-east-1:999999999999:backup-vault:c" }] }]) },
            { name: "nightly", rules: { ruleName: "r", copyActions: [{ destinationVaultArn: "arn:aws:backup:us-east-1:999999999999:backup-vault:c" }] } },
        ],
    },
    "aws:ecs/daemon:Daemon": {
        allowed: [{ clusterArn: UNKNOWN }, { clusterArn: UNKNOWN, enableExecuteCommand: false }],
        denied: [{ clusterArn: UNKNOWN, enableExecuteCommand: true }, { clusterArn: UNKNOWN, enableExecuteCommand: UNKNOWN }],
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        allowed: [
            { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "tcp", fromPort: 80, toPort: 80, ipv6CidrBlocks: ["::/0"] }] },
            { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
            { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["203.0.113.0/24", "172.16.0.0/12"], ipv6CidrBlocks: ["fd00::/8", "2001:db8::/48"] }] },
            { description: "no rules" },
        ],
        denied: [
            { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
            { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
            { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, prefixListIds: ["pl-0123456789abcdef0"] }] },
            { ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, ipv6CidrBlocks: ["::/0"] }] },
            { ingress: [{ protocol: "tcp", fromPort: 80, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] },
            { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: UNKNOWN }] },
            { ingress: UNKNOWN },
            // All of the internet in halves, or nearly all of it: as open as 0.0.0.0/0.
            { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }] },
            { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/1", "8000::/1"] }] },
            { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["8.0.0.0/7"] }] },
            { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["not-a-cidr"] }] },
        ],
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
        allowed: [{ ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] }],
        denied: [{ ingress: [{ protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }],
    },
    "aws:ec2/securityGroupRule:SecurityGroupRule": {
        allowed: [
            { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" },
            { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" },
            { type: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: "sg-2", securityGroupId: "sg-1" },
        ],
        denied: [
            { type: "ingress", protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" },
            { type: UNKNOWN, protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" },
            // A managed prefix list may hold 0.0.0.0/0 (its entries are another resource's).
            { type: "ingress", protocol: "-1", fromPort: 0, toPort: 0, prefixListIds: ["pl-0123456789abcdef0"], securityGroupId: "sg-1" },
            { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, prefixListIds: UNKNOWN, securityGroupId: "sg-1" },
        ],
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        allowed: [
            { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" },
            { ipProtocol: "-1", cidrIpv4: "10.0.0.0/16", securityGroupId: "sg-1" },
            { ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-0123456789abcdef0", securityGroupId: "sg-1" },
            { ipProtocol: "-1", referencedSecurityGroupId: "sg-2", securityGroupId: "sg-1" },
        ],
        denied: [
            { ipProtocol: "-1", prefixListId: "pl-0123456789abcdef0", securityGroupId: "sg-1" },
            { ipProtocol: "tcp", fromPort: 22, toPort: 22, prefixListId: UNKNOWN, securityGroupId: "sg-1" },
            { ipProtocol: "-1", prefixListId: { id: "pl-1" }, securityGroupId: "sg-1" },
            { ipProtocol: "-1", cidrIpv4: 0, securityGroupId: "sg-1" },
            { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" },
            { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv6: "::/0", securityGroupId: "sg-1" },
            { ipProtocol: "-1", cidrIpv4: "0.0.0.0/1", securityGroupId: "sg-1" },
        ],
    },
    "aws:ec2/networkAcl:NetworkAcl": {
        allowed: [{ ingress: [{ protocol: "tcp", ruleNo: 100, action: "allow", cidrBlock: "0.0.0.0/0", fromPort: 443, toPort: 443 }, { protocol: "-1", ruleNo: 200, action: "deny", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }] }],
        denied: [{ ingress: [{ protocol: "-1", ruleNo: 100, action: "allow", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }] }],
    },
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": {
        allowed: [{ ingress: [{ protocol: "tcp", ruleNo: 100, action: "allow", cidrBlock: "10.0.0.0/8", fromPort: 0, toPort: 65535 }] }],
        denied: [{ ingress: [{ protocol: "-1", ruleNo: 100, action: "allow", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }] }],
    },
    "aws:ec2/networkAclRule:NetworkAclRule": {
        allowed: [
            { networkAclId: "acl-1", ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 80, toPort: 80 },
            { networkAclId: "acl-1", ruleNumber: 100, egress: true, protocol: "-1", ruleAction: "allow", cidrBlock: "0.0.0.0/0" },
        ],
        denied: [{ networkAclId: "acl-1", ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 1024, toPort: 65535 }],
    },
};
