/**
 * Gate `access`: a resource that changes who can do what needs 2 approvals with `access: true`.
 *
 * The catalogue below is the whole definition: resource types matched by type token, resources
 * that carry an access policy as an input (a queue with `policy`, a bucket with `policy`/`acl`),
 * and — failing closed — any AWS type named like a resource policy or permission, and any AWS
 * resource with an inline policy input. docs/policies.md is generated from it.
 */
import { ResourceFacts, isUnknown } from "./facts";
import { GateItem } from "./items";
import { field } from "./values";

/** One row of the catalogue. */
export interface AccessRule {
    /** Type tokens this row matches: exact tokens, `pkg:module/*` for a whole module, `pkg:*` for a package. */
    readonly types: readonly string[];
    /** When set, only types whose name (after the last `:`) matches. */
    readonly typeNames?: RegExp;
    /** Types whose name matches are left out of this row. */
    readonly exceptTypeNames?: RegExp;
    /** When set, the type changes access only when one of these inputs is set (or unknown). */
    readonly whenInputs?: readonly string[];
    /** Why this changes access, for the docs and the denial. */
    readonly why: string;
}

/** The catalogue of access-changing resource types for AWS and Cloudflare. */
export const ACCESS_CATALOGUE: readonly AccessRule[] = [
    // AWS identity and organisation.
    { types: ["aws:iam/*"], why: "IAM users, roles, groups, policies, keys and identity providers" },
    { types: ["aws:identitystore/*", "aws:ssoadmin/*"], why: "IAM Identity Center users, groups, permission sets and assignments" },
    { types: ["aws:organizations/*"], why: "AWS Organizations accounts, policies and delegated administrators" },
    { types: ["aws:ram/*"], why: "resource shares with other accounts" },
    { types: ["aws:cognito/*"], why: "Cognito user pools, identity pools and their roles" },
    { types: ["aws:lakeformation/permissions:Permissions", "aws:lakeformation/dataLakeSettings:DataLakeSettings"], why: "Lake Formation grants" },
    // Resource policies.
    {
        types: [
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketAcl:BucketAcl",
            "aws:s3/bucketAclV2:BucketAclV2",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/accessPoint:AccessPoint",
            "aws:s3control/*",
        ],
        why: "S3 bucket and access-point policies, ACLs and public-access settings",
    },
    { types: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"], whenInputs: ["policy", "acl", "grants"], why: "an S3 bucket with an inline policy, ACL or grants" },
    { types: ["aws:sqs/queuePolicy:QueuePolicy"], why: "SQS queue policies" },
    { types: ["aws:sqs/queue:Queue"], whenInputs: ["policy"], why: "an SQS queue with an inline policy" },
    { types: ["aws:sns/topicPolicy:TopicPolicy"], why: "SNS topic policies" },
    { types: ["aws:sns/topic:Topic"], whenInputs: ["policy"], why: "an SNS topic with an inline policy" },
    { types: ["aws:kms/keyPolicy:KeyPolicy", "aws:kms/grant:Grant"], why: "KMS key policies and grants" },
    { types: ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"], whenInputs: ["policy"], why: "a KMS key with an inline key policy" },
    { types: ["aws:ecr/repositoryPolicy:RepositoryPolicy", "aws:ecr/registryPolicy:RegistryPolicy", "aws:ecrpublic/repositoryPolicy:RepositoryPolicy"], why: "ECR repository and registry policies" },
    { types: ["aws:secretsmanager/secretPolicy:SecretPolicy"], why: "Secrets Manager resource policies" },
    { types: ["aws:secretsmanager/secret:Secret"], whenInputs: ["policy"], why: "a secret with an inline resource policy" },
    { types: ["aws:lambda/permission:Permission", "aws:lambda/layerVersionPermission:LayerVersionPermission"], why: "Lambda invoke permissions" },
    { types: ["aws:lambda/functionUrl:FunctionUrl"], why: "Lambda function URLs (authorization type)" },
    { types: ["aws:apigateway/restApiPolicy:RestApiPolicy"], why: "API Gateway resource policies" },
    { types: ["aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "aws:cloudwatch/eventBusPolicy:EventBusPolicy", "aws:cloudwatch/eventPermission:EventPermission"], why: "CloudWatch Logs and EventBridge resource policies" },
    { types: ["aws:efs/fileSystemPolicy:FileSystemPolicy", "aws:backup/vaultPolicy:VaultPolicy", "aws:glue/resourcePolicy:ResourcePolicy"], why: "EFS, Backup vault and Glue resource policies" },
    { types: ["aws:opensearch/domainPolicy:DomainPolicy", "aws:elasticsearch/domainPolicy:DomainPolicy"], why: "OpenSearch domain access policies" },
    { types: ["aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission", "aws:ec2/amiLaunchPermission:AmiLaunchPermission"], why: "sharing snapshots and AMIs with other accounts" },
    {
        types: [
            "aws:dynamodb/resourcePolicy:ResourcePolicy",
            "aws:kinesis/resourcePolicy:ResourcePolicy",
            "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
            "aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy",
            "aws:codeartifact/domainPermissions:DomainPermissions",
            "aws:iot/policy:Policy",
            "aws:iot/policyAttachment:PolicyAttachment",
            "aws:acmpca/permission:Permission",
            "aws:acmpca/policy:Policy",
            "aws:ssm/resourcePolicy:ResourcePolicy",
            "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
        ],
        why: "resource policies and permissions of DynamoDB, Kinesis, VPC endpoints, CodeArtifact, IoT, Private CA and SSM",
    },
    {
        // Fail closed on names: any AWS type whose name says it is a resource policy or a permission.
        types: ["aws:*"],
        typeNames: /(ResourcePolicy|PermissionsPolicy|AccessPolicy|Permission|Permissions)$/,
        why: "an AWS type whose name says it is a resource policy or a permission",
    },
    {
        // Fail closed on inputs: any AWS resource carrying an inline access policy or sharing list
        // (API Gateway, OpenSearch, VPC endpoints, Glacier vaults, SSM documents, snapshots, …).
        types: ["aws:*"],
        whenInputs: ["policy", "accessPolicy", "accessPolicies", "resourcePolicy", "permissions", "sharedAccounts", "createVolumePermissions", "launchPermissions"],
        exceptTypeNames: /Lifecycle/,
        why: "an AWS resource with an inline access policy, permissions or accounts it is shared with",
    },
    // Cloudflare.
    {
        types: [
            "cloudflare:index/apiToken:ApiToken",
            "cloudflare:index/accountToken:AccountToken",
            "cloudflare:index/userToken:UserToken",
            "cloudflare:index/accountMember:AccountMember",
            "cloudflare:index/userGroup:UserGroup",
        ],
        why: "Cloudflare API and account tokens and account members",
    },
    {
        types: [
            "cloudflare:index/accessPolicy:AccessPolicy",
            "cloudflare:index/accessApplication:AccessApplication",
            "cloudflare:index/accessGroup:AccessGroup",
            "cloudflare:index/accessServiceToken:AccessServiceToken",
            "cloudflare:index/accessIdentityProvider:AccessIdentityProvider",
            "cloudflare:index/accessOrganization:AccessOrganization",
            "cloudflare:index/accessMutualTlsCertificate:AccessMutualTlsCertificate",
            "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy",
            "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
            "cloudflare:index/zeroTrustAccessGroup:ZeroTrustAccessGroup",
            "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken",
            "cloudflare:index/zeroTrustAccessIdentityProvider:ZeroTrustAccessIdentityProvider",
            "cloudflare:index/zeroTrustOrganization:ZeroTrustOrganization",
            "cloudflare:index/zeroTrustAccessMtlsCertificate:ZeroTrustAccessMtlsCertificate",
            "cloudflare:index/accessCaCertificate:AccessCaCertificate",
            "cloudflare:index/zeroTrustAccessShortLivedCertificate:ZeroTrustAccessShortLivedCertificate",
        ],
        why: "Cloudflare Access / Zero Trust applications, policies, groups, identity providers and service tokens",
    },
];

function typeMatches(pattern: string, type: string): boolean {
    return pattern.endsWith("*") ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

function nameOf(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/** The catalogue row that makes `r` access-changing, or undefined. Unknown trigger inputs count as set. */
export function accessRuleFor(r: Pick<ResourceFacts, "type" | "props">): { rule: AccessRule; input?: string } | undefined {
    for (const rule of ACCESS_CATALOGUE) {
        if (!rule.types.some((t) => typeMatches(t, r.type))) {
            continue;
        }
        if ((rule.typeNames && !rule.typeNames.test(nameOf(r.type))) || rule.exceptTypeNames?.test(nameOf(r.type))) {
            continue;
        }
        if (!rule.whenInputs) {
            return { rule };
        }
        for (const input of rule.whenInputs) {
            const v = field(r.props, input);
            if (isUnknown(v) || (v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0))) {
                return { rule, input };
            }
        }
    }
    return undefined;
}

/** Raises the access item of a custom resource that changes access control. */
export function detectAccess(r: ResourceFacts, agent: string): GateItem[] {
    if (r.kind !== "custom") {
        return [];
    }
    const hit = accessRuleFor(r);
    if (!hit) {
        return [];
    }
    const via = hit.input ? ` through its "${hit.input}" input` : "";
    return [
        {
            gate: "access",
            level: "resource",
            resource: r.urn,
            required: 2,
            need: { gate: "access" },
            observed: `agent "${agent}" would change access control with "${r.urn}"${via} (${hit.rule.why})`,
        },
    ];
}
