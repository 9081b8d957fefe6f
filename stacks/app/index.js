// What an agent deploys: a static site in an S3 bucket (website config and a public-read bucket
// policy — an access change), Cloudflare DNS records for it, and optionally a domain purchase
// (shop:buyDomain) and a Node.js dynamic resource (shop:dynamic, provider package
// "pulumi-nodejs"). Every AWS resource is tagged with the stack as its Environment and with the
// agent's cost-allocation tag, so the agent's budget sees what it spends.
//
// Config (all optional):
//   shop:agent       agent id for the cost-allocation tag          (default deploy-bot)
//   shop:siteName    bucket name                                   (default acme-site-<stack>)
//   shop:domain      the site's domain                             (default acme.example)
//   shop:zoneId      Cloudflare zone id of the domain              (default the registry's zone)
//   shop:buyDomain   true: register the domain with Route 53       (a purchase)
//   shop:dynamic     true: add a dynamic resource (a build stamp)  (an unallowlisted provider)
//   shop:database    true: an orders table (DynamoDB)              (holds data: removing it is destructive)
"use strict";
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");
const cloudflare = require("@pulumi/cloudflare");

const config = new pulumi.Config("shop");
const stack = pulumi.getStack();
const agent = config.get("agent") || "deploy-bot";
const siteName = config.get("siteName") || `acme-site-${stack}`;
const domain = config.get("domain") || "acme.example";
const zoneId = config.get("zoneId") || "023e105f4ecef8ad9ca31a8372d0c353";
const host = stack === "prod" || stack === "production" ? `www.${domain}` : `${stack}.${domain}`;

const tags = { Environment: stack, "agentguard:agent": agent };

if (config.getBoolean("database")) {
    new aws.dynamodb.Table("orders", { billingMode: "PAY_PER_REQUEST", hashKey: "id", attributes: [{ name: "id", type: "S" }], tags });
}

const bucket = new aws.s3.Bucket("site", { bucket: siteName, tags });
const website = new aws.s3.BucketWebsiteConfiguration("site", {
    bucket: bucket.id,
    indexDocument: { suffix: "index.html" },
    errorDocument: { key: "404.html" },
});
const publicAccess = new aws.s3.BucketPublicAccessBlock("site", {
    bucket: bucket.id,
    blockPublicAcls: true,
    ignorePublicAcls: true,
    blockPublicPolicy: false,
    restrictPublicBuckets: false,
});
new aws.s3.BucketPolicy(
    "site-public-read",
    {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${arn}/*` }],
            }),
        ),
    },
    { dependsOn: [publicAccess] },
);
new aws.s3.BucketObject("index", {
    bucket: bucket.id,
    key: "index.html",
    content: `<!doctype html><title>${domain}</title><h1>${domain}</h1><p>Deployed by ${agent} to ${stack}.</p>`,
    contentType: "text/html",
    tags,
});

const region = aws.getRegionOutput().region;
const endpoint = pulumi.interpolate`${bucket.bucket}.s3-website-${region}.amazonaws.com`;
new cloudflare.DnsRecord("site", { zoneId, name: host, type: "CNAME", content: endpoint, ttl: 1, proxied: true, comment: `site of ${stack}, deployed by ${agent}` });
new cloudflare.DnsRecord("site-verification", { zoneId, name: `_site.${host}`, type: "TXT", content: `"agent=${agent}"`, ttl: 3600 });

if (config.getBoolean("buyDomain")) {
    // Registers (buys) the domain for a year: a purchase the agent's boundary denies and the gate
    // holds for two approvals with purchases: true.
    const contact = {
        contactType: "COMPANY",
        organizationName: "Acme Corp",
        firstName: "Alice",
        lastName: "Example",
        email: "alice@example.com",
        phoneNumber: "+1.4155550100",
        addressLine1: "1 Example Way",
        city: "San Francisco",
        state: "CA",
        countryCode: "US",
        zipCode: "94105",
    };
    new aws.route53domains.Domain("domain", {
        domainName: domain,
        durationInYears: 1,
        autoRenew: false,
        adminContact: contact,
        registrantContact: contact,
        techContact: contact,
        tags,
    });
}

if (config.getBoolean("dynamic")) {
    // A Node.js dynamic provider: its package ("pulumi-nodejs") is not on any agent's allowlist.
    const stampProvider = {
        async create(inputs) {
            return { id: `stamp-${inputs.site}`, outs: inputs };
        },
    };
    new pulumi.dynamic.Resource(stampProvider, "build-stamp", { site: siteName, builtBy: agent });
}

exports.bucketName = bucket.bucket;
exports.websiteEndpoint = endpoint;
exports.url = `https://${host}`;
