// Small program for e2e.sh: aws + cloudflare resources through the simulators.
"use strict";
const pulumi = require("@pulumi/pulumi");

const stage = new pulumi.Config().get("stage") || "v1";
const invoke = (tok, args, opts) => pulumi.output(pulumi.runtime.invoke(tok, args, opts));

// An explicit provider for another account and region, used by the role.
const prod = new pulumi.ProviderResource("aws", "prod-acct", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });

// Default aws provider (stack config sets aws:region and aws:defaultTags).
const bucket = new pulumi.CustomResource(
    "aws:s3/bucket:Bucket",
    "logs",
    { bucket: "acme-logs", tags: { env: "dev", stage }, arn: undefined, tagsAll: undefined },
    { version: "7.48.0" },
);

const trust = invoke("aws:iam/getPolicyDocument:getPolicyDocument", {
    statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }],
});
const role = new pulumi.CustomResource(
    "aws:iam/role:Role",
    "deployer",
    { name: `deployer-${stage}`, assumeRolePolicy: trust.json, arn: undefined, tagsAll: undefined },
    { provider: prod },
);

const zone = invoke("cloudflare:index/getZone:getZone", { name: "example.com" });
const record = new pulumi.CustomResource("cloudflare:index/dnsRecord:DnsRecord", "www", {
    zoneId: zone.zoneId,
    name: "www",
    type: "CNAME",
    content: pulumi.interpolate`${bucket.id}.s3.amazonaws.com`, // unknown during the first preview
    ttl: 1,
});
const token = new pulumi.CustomResource("cloudflare:index/apiToken:ApiToken", "ci", { name: "ci", value: undefined });

const me = invoke("aws:index/getCallerIdentity:getCallerIdentity", {});
const prodMe = invoke("aws:index/getCallerIdentity:getCallerIdentity", {}, { provider: prod });

module.exports = {
    bucketId: bucket.id,
    bucketArn: bucket.arn,
    bucketTagsAll: bucket.tagsAll,
    roleArn: role.arn,
    roleTagsAll: role.tagsAll.apply((t) => t ?? "none"), // the explicit provider has no default tags
    zoneId: zone.zoneId,
    recordZoneId: record.zoneId,
    recordContent: record.content,
    tokenValue: token.value,
    account: me.accountId,
    prodAccount: prodMe.accountId,
};
