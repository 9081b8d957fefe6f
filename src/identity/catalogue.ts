/**
 * What a registry scope may name, as data: the AWS services an agent can be scoped to (with the
 * actions "read" and "write" expand to) and the Cloudflare permission groups an agent token can
 * hold. A scope that names something outside these tables is an "unknown scope" registry error.
 * Nothing here imports Pulumi.
 */

/**
 * An access level of an AWS scope: `read`; `write` (creates, updates, deletes of the service's
 * resources); `permissions` (who else may reach them: resource policies, public access, ACLs,
 * credentials), granted only when the registry names the service under `aws.grantSensitive`.
 */
export type ScopeAccess = "read" | "write" | "permissions";

/** The actions one AWS service grants at each level. */
export interface AwsServiceActions {
    /** Actions a `read` scope grants on its listed resources. */
    readonly read: readonly string[];
    /** Actions a `write` scope grants on its listed resources, in addition to `read`. */
    readonly write: readonly string[];
    /**
     * Actions that change who else may reach a resource (resource policies, public access, ACLs,
     * permissions for other accounts or the public) or that mint credentials. Only a `permissions`
     * scope grants them (in addition to `read` and `write`), and only with `aws.grantSensitive`.
     */
    readonly permissions: readonly string[];
    /**
     * How the permissions boundary keeps the agent's cost tag on what it owns: `create` actions
     * must carry `aws:RequestTag/agentguard:agent` = the agent; `tag` actions may not set that key
     * to anything else; `untag` actions may not remove it. Every action here supports those
     * condition keys (checked against AWS's service reference in the tests).
     */
    readonly tagging: { readonly create: readonly string[]; readonly tag: readonly string[]; readonly untag: readonly string[] };
    /**
     * Read-only actions that AWS does not scope to a resource (listing, change status). They are
     * granted on `"*"` to any agent with a scope in the service: each is a named action, never a
     * service or global wildcard.
     */
    readonly accountLevel: readonly string[];
}

/**
 * AWS services a scope may name. Keys are the IAM service prefixes, which are also the service
 * part of the resources' ARNs.
 */
export const AWS_SERVICES: Readonly<Record<string, AwsServiceActions>> = Object.freeze({
    s3: {
        read: ["s3:GetBucket*", "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetAccelerateConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket", "s3:ListBucketVersions"],
        write: [
            "s3:CreateBucket",
            "s3:DeleteBucket",
            "s3:PutObject",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "s3:PutObjectTagging",
            "s3:PutBucketWebsite",
            "s3:DeleteBucketWebsite",
            "s3:PutBucketVersioning",
            "s3:PutBucketCORS",
            "s3:PutEncryptionConfiguration",
            "s3:PutLifecycleConfiguration",
        ],
        permissions: ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls", "s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
        accountLevel: ["s3:ListAllMyBuckets"],
        tagging: { create: ["s3:CreateBucket"], tag: [], untag: [] },
    },
    cloudfront: {
        read: ["cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:GetInvalidation", "cloudfront:ListTagsForResource"],
        // Not CreateDistribution: AWS scopes it to no resource, and a scope always names one.
        write: ["cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution", "cloudfront:CreateInvalidation", "cloudfront:TagResource", "cloudfront:UntagResource"],
        permissions: [],
        accountLevel: ["cloudfront:ListDistributions", "cloudfront:ListCachePolicies", "cloudfront:ListOriginAccessControls"],
        tagging: { create: [], tag: ["cloudfront:TagResource"], untag: ["cloudfront:UntagResource"] },
    },
    route53: {
        read: ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource"],
        write: ["route53:ChangeResourceRecordSets"],
        permissions: [],
        accountLevel: ["route53:ListHostedZones", "route53:ListHostedZonesByName", "route53:GetChange"],
        tagging: { create: [], tag: [], untag: [] },
    },
    acm: {
        read: ["acm:DescribeCertificate", "acm:GetCertificate", "acm:ListTagsForCertificate"],
        // Not RequestCertificate: AWS scopes it to no resource, and a scope always names one.
        write: ["acm:DeleteCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
        permissions: ["acm:ExportCertificate"],
        accountLevel: ["acm:ListCertificates"],
        tagging: { create: [], tag: ["acm:AddTagsToCertificate"], untag: ["acm:RemoveTagsFromCertificate"] },
    },
    lambda: {
        read: ["lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:ListVersionsByFunction", "lambda:ListTags"],
        // Not CreateFunction: it passes an execution role, and the boundary denies every IAM action.
        write: ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:DeleteFunction", "lambda:PublishVersion", "lambda:TagResource", "lambda:UntagResource"],
        permissions: ["lambda:AddPermission", "lambda:RemovePermission", "lambda:CreateFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig", "lambda:DeleteFunctionUrlConfig"],
        // Not lambda:ListFunctions: it returns every function's configuration, environment variables included.
        accountLevel: [],
        tagging: { create: [], tag: ["lambda:TagResource"], untag: ["lambda:UntagResource"] },
    },
    dynamodb: {
        read: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ListTagsOfResource"],
        write: ["dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:TagResource", "dynamodb:UntagResource"],
        permissions: ["dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy"],
        accountLevel: ["dynamodb:ListTables"],
        tagging: { create: ["dynamodb:CreateTable"], tag: ["dynamodb:TagResource"], untag: ["dynamodb:UntagResource"] },
    },
    sqs: {
        read: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags", "sqs:ReceiveMessage"],
        write: ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:SendMessage", "sqs:DeleteMessage", "sqs:TagQueue", "sqs:UntagQueue"],
        permissions: ["sqs:AddPermission", "sqs:RemovePermission", "sqs:SetQueueAttributes"],
        accountLevel: ["sqs:ListQueues"],
        tagging: { create: ["sqs:CreateQueue"], tag: ["sqs:TagQueue"], untag: ["sqs:UntagQueue"] },
    },
    sns: {
        read: ["sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource"],
        write: ["sns:CreateTopic", "sns:DeleteTopic", "sns:Publish", "sns:Unsubscribe", "sns:TagResource", "sns:UntagResource"],
        // Subscribe sends the topic's messages to any endpoint: a URL, a phone, another account's queue.
        permissions: ["sns:AddPermission", "sns:RemovePermission", "sns:SetTopicAttributes", "sns:Subscribe"],
        accountLevel: ["sns:ListTopics"],
        tagging: { create: ["sns:CreateTopic"], tag: ["sns:TagResource"], untag: ["sns:UntagResource"] },
    },
    logs: {
        read: ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:ListTagsForResource"],
        write: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:CreateLogStream", "logs:PutLogEvents", "logs:TagResource", "logs:UntagResource"],
        permissions: ["logs:PutResourcePolicy", "logs:DeleteResourcePolicy"],
        accountLevel: ["logs:DescribeLogGroups"],
        tagging: { create: ["logs:CreateLogGroup"], tag: ["logs:TagResource"], untag: ["logs:UntagResource"] },
    },
    cloudwatch: {
        read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
        write: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
        permissions: [],
        accountLevel: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"],
        tagging: { create: ["cloudwatch:PutMetricAlarm"], tag: ["cloudwatch:TagResource"], untag: ["cloudwatch:UntagResource"] },
    },
    ecr: {
        read: ["ecr:DescribeRepositories", "ecr:DescribeImages", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:ListTagsForResource"],
        write: ["ecr:CreateRepository", "ecr:DeleteRepository", "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:TagResource", "ecr:UntagResource"],
        permissions: ["ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:GetAuthorizationToken"],
        accountLevel: [],
        tagging: { create: ["ecr:CreateRepository"], tag: ["ecr:TagResource"], untag: ["ecr:UntagResource"] },
    },
    ssm: {
        read: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:ListTagsForResource"],
        write: ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"],
        permissions: ["ssm:PutResourcePolicy", "ssm:DeleteResourcePolicy"],
        accountLevel: ["ssm:DescribeParameters"],
        tagging: { create: ["ssm:PutParameter"], tag: ["ssm:AddTagsToResource"], untag: ["ssm:RemoveTagsFromResource"] },
    },
});

/** Permission actions that AWS does not scope to a resource; a `permissions` scope grants them on `"*"`. */
export const ACCOUNT_LEVEL_PERMISSIONS: readonly string[] = ["ecr:GetAuthorizationToken"];

/** The services a scope may name, sorted. */
export const AWS_SERVICE_NAMES: readonly string[] = Object.keys(AWS_SERVICES).sort();

/** Action-name prefixes that make an action read-only; an explicit action list of a `read` scope may use only these. */
export const READ_ONLY_ACTION_PREFIXES: readonly string[] = ["Get", "List", "Describe", "Head", "Query", "Scan", "Search", "BatchGet", "Select", "Read", "Filter"];

/**
 * Actions that no agent may perform whatever its scopes; the permissions boundary denies them.
 * Grouped by the reason, which is also the boundary statement's `Sid`.
 */
export const BOUNDARY_DENIES: Readonly<
    Record<"DenyIdentityOrganizationsAndBilling" | "DenyRoleChaining" | "DenyDomainRegistrationAndTransfer" | "DenyCommitmentPurchases" | "DenyAuditTrailTampering" | "DenyTagChangesAwsCannotCondition", readonly string[]>
> =
    Object.freeze({
        /** IAM, Identity Center, Organizations, account settings, billing and the agent's own budget. */
        DenyIdentityOrganizationsAndBilling: [
            "iam:*",
            "sso:*",
            "sso-directory:*",
            "identitystore:*",
            "organizations:*",
            "account:*",
            "aws-portal:*",
            "billing:*",
            "payments:*",
            "tax:*",
            "invoicing:*",
            "purchase-orders:*",
            "budgets:*",
        ],
        /**
         * Becoming another principal: a role whose trust policy names the agent's session would
         * otherwise let it in past the boundary (a resource policy naming a session is not capped
         * by that session's boundary), with that role's permissions and none of the agent's caps.
         */
        // (AssumeRoleWithWebIdentity and AssumeRoleWithSAML are unsigned calls: no boundary applies to them.)
        DenyRoleChaining: ["sts:AssumeRole", "sts:GetFederationToken"],
        /** Buying or moving domains (each a purchase that cannot be undone by deleting a resource). */
        DenyDomainRegistrationAndTransfer: [
            "route53domains:RegisterDomain",
            "route53domains:TransferDomain",
            "route53domains:RenewDomain",
            "route53domains:TransferDomainToAnotherAwsAccount",
            "route53domains:AcceptDomainTransferFromAnotherAwsAccount",
        ],
        /** Subscriptions, reserved capacity and savings plans: commitments of a year or more. */
        DenyCommitmentPurchases: [
            "shield:CreateSubscription",
            "ec2:PurchaseReservedInstancesOffering",
            "ec2:PurchaseHostReservation",
            "ec2:PurchaseScheduledInstances",
            "ec2:PurchaseCapacityBlock",
            "ec2:AcceptReservedInstancesExchangeQuote",
            "rds:PurchaseReservedDBInstancesOffering",
            "elasticache:PurchaseReservedCacheNodesOffering",
            "redshift:PurchaseReservedNodeOffering",
            "es:PurchaseReservedInstanceOffering",
            "es:PurchaseReservedElasticsearchInstanceOffering",
            "dynamodb:PurchaseReservedCapacityOfferings",
            "memorydb:PurchaseReservedNodesOffering",
            "savingsplans:CreateSavingsPlan",
        ],
        /** Stopping, deleting or redirecting the audit trail that attributes actions to agents. */
        DenyAuditTrailTampering: [
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:DeleteEventDataStore",
            "cloudtrail:StopEventDataStoreIngestion",
        ],
        /**
         * Tag writes whose request AWS does not expose to conditions (`aws:TagKeys`): each could
         * strip the agent's cost tag, so the budget would stop seeing the resource. S3 buckets
         * take their tags at `CreateBucket`; hosted zones are not the agent's to re-tag.
         */
        DenyTagChangesAwsCannotCondition: ["s3:PutBucketTagging", "route53:ChangeTagsForResource"],
    });

/**
 * Global services (and global actions of regional ones) that the region allowlist does not
 * apply to: their requests are made to us-east-1 whatever region the agent works in.
 */
export const GLOBAL_ACTIONS: readonly string[] = [
    "iam:*",
    "organizations:*",
    "account:*",
    "sts:*",
    "route53:*",
    "route53domains:*",
    "cloudfront:*",
    "globalaccelerator:*",
    "shield:*",
    "waf:*",
    "health:*",
    "support:*",
    "trustedadvisor:*",
    "budgets:*",
    "ce:*",
    "aws-portal:*",
    "billing:*",
    "s3:ListAllMyBuckets",
    "s3:GetAccountPublicAccessBlock",
];

/** The kind of resource a Cloudflare permission group applies to. */
export type CloudflareGroupKind = "zone" | "account" | "user";

/** One Cloudflare API token permission group. */
export interface CloudflareGroup {
    readonly kind: CloudflareGroupKind;
    /**
     * Billing, registrar, member, token, access-policy, firewall, zone-protection (zone, zone
     * settings, SSL, page rules) and account-settings permissions (what changes who may reach the
     * account or its zones, or mints credentials): granted only when the registry lists the group
     * under the agent's `cloudflare.grantSensitive` as well.
     */
    readonly sensitive: boolean;
}

const zone = (sensitive = false): CloudflareGroup => ({ kind: "zone", sensitive });
const account = (sensitive = false): CloudflareGroup => ({ kind: "account", sensitive });

/** Cloudflare permission groups a scope may name, by their name in the Cloudflare API. */
export const CLOUDFLARE_GROUPS: Readonly<Record<string, CloudflareGroup>> = Object.freeze({
    "Zone Read": zone(),
    // Zone Write can pause the zone: traffic then reaches the origin past every Cloudflare protection.
    "Zone Write": zone(true),
    "DNS Read": zone(),
    "DNS Write": zone(),
    "Zone Settings Read": zone(),
    // Security level, SSL mode, browser checks: as much protection as Firewall Services Write.
    "Zone Settings Write": zone(true),
    "Cache Purge": zone(),
    "SSL and Certificates Read": zone(),
    "SSL and Certificates Write": zone(true),
    "Page Rules Read": zone(),
    // A page rule can "Disable Security" or turn SSL off for any URL.
    "Page Rules Write": zone(true),
    "Firewall Services Read": zone(),
    "Firewall Services Write": zone(true),
    "Workers Routes Read": zone(),
    "Workers Routes Write": zone(),
    "Analytics Read": zone(),
    "Account Settings Read": account(),
    "Account Settings Write": account(true),
    "Account Analytics Read": account(),
    "Workers Scripts Read": account(),
    "Workers Scripts Write": account(),
    "Workers KV Storage Read": account(),
    "Workers KV Storage Write": account(),
    "Cloudflare Pages Read": account(),
    "Cloudflare Pages Write": account(),
    "R2 Storage Read": account(),
    "R2 Storage Write": account(),
    "Access: Apps and Policies Read": account(),
    "Access: Apps and Policies Write": account(true),
    "Logs Read": account(),
    "Billing Read": account(true),
    "Billing Write": account(true),
    "Registrar Domains Read": account(true),
    "Registrar Domains Write": account(true),
    "Account API Tokens Read": account(true),
    "Account API Tokens Write": account(true),
    "Account Members Read": account(true),
    "Account Members Write": account(true),
    "User Details Read": { kind: "user", sensitive: false },
    "API Tokens Read": { kind: "user", sensitive: true },
    "API Tokens Write": { kind: "user", sensitive: true },
});

/** The resource key of a zone in a Cloudflare token policy. */
export function cloudflareZoneResource(zoneId: string): string {
    return `com.cloudflare.api.account.zone.${zoneId}`;
}

/** The resource key of an account in a Cloudflare token policy. */
export function cloudflareAccountResource(accountId: string): string {
    return `com.cloudflare.api.account.${accountId}`;
}
