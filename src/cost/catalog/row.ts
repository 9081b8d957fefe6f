/**
 * One row of the reviewed type table: how a resource type is priced and whether it changes
 * access. Every type token of the pinned SDKs has exactly one row (test/cost/catalog.test.ts);
 * a type without a row is an unknown price, so the spend gate holds it (fail closed).
 *
 * Cost classes:
 * - `priced`: a cost rule in src/cost/rules/ (data, evaluated by src/cost/pricer.ts) prices it from its inputs;
 * - `free`: no charge of its own (a route, a tag, an IAM role); reviewed-free groups say why in `note`;
 * - `usage`: billed only by use, with no baseline (`note` says what is billed); counts as $0;
 * - `unpriced`: it has a charge of its own that the snapshot does not price: an unknown price;
 * - `purchase`: creating it buys something (a subscription, a reservation, a licence);
 * - `meta`: a meta-provisioner that can create arbitrary resources (Cloud Control, CloudFormation):
 *   an unknown price *and* an access change.
 *
 * Access: `access` (always, with the reason), `accessWhen` (only when one of the inputs is set or
 * unknown), or `judge` (the grant is judged from the inputs by the named judge in
 * src/gate/grants.ts: network exposure, service roles, source-scoped invoke permissions).
 * @internal
 */

/** How a type is priced. */
export type CostClass = "priced" | "free" | "usage" | "unpriced" | "purchase" | "meta";

/** Judges that decide from a resource's inputs whether it grants access (src/gate/grants.ts). */
export type JudgeId =
    | "exposure"
    | "serviceRole"
    | "rolePolicyAttachment"
    | "invokePermission"
    | "eventTarget"
    | "bucketNotification"
    | "delivery"
    | "sesv2Destination"
    | "receiptRule"
    | "topicRule"
    | "publicAddress"
    | "execCommand"
    | "latticeAuth"
    | "snsSubscription"
    | "pipeTarget"
    | "backupCopy"
    | "zoneSetting"
    | "rulesetPhase"
    | "pageRule"
    | "zonePaused"
    | "listenerAuth"
    | "endpointService"
    | "memorydbAcl"
    | "pipelineSink"
    | "eksEndpoint"
    | "mwaaWebserver"
    | "transferEndpoint"
    | "connectIdentity"
    | "pipelineStreamHttp";

/**
 * Where a `delivery` row's resource sends data (logs, records, events, results), as paths of its
 * inputs (`a.b.c`, read through objects, JSON strings and lists by src/gate/grants.ts).
 */
export interface Delivery {
    /** ARNs that must be in the resource's own AWS account (its provider's); a trailing `?` marks one that may be left out. */
    readonly arns?: readonly string[];
    /** S3 buckets it writes to: any set one is access (a bucket's name or ARN names no account). */
    readonly buckets?: readonly string[];
    /**
     * Inputs beside a bucket that name the account S3 must find owning it (Athena's
     * `configuration.resultConfiguration.expectedBucketOwner`): a bucket whose block names the
     * provider's own account there is not access. Each applies only to the bucket in its block.
     */
    readonly owners?: readonly string[];
    /** Places that name no AWS account (an endpoint URL, a third-party service's block): any set one is access. */
    readonly outside?: readonly string[];
    /**
     * The switch of each bucket's block (a load balancer's `accessLogs.enabled`) and whether the
     * block delivers when it is left out; a block without such a switch always delivers.
     */
    readonly switch?: { readonly key: string; readonly byDefault: boolean };
}

/** A row of the type table. */
export interface CatalogRow {
    readonly cost: CostClass;
    /** `usage`: what is billed; `purchase`/`meta`/`unpriced`/reviewed `free`: what it is or why. */
    readonly note?: string;
    /** Why this type changes access control; set for every `access` and `meta` row. */
    readonly access?: string;
    /** The type changes access only when one of these inputs is set (or unknown). */
    readonly accessWhen?: { readonly inputs: readonly string[]; readonly why: string };
    /** The grant is judged from the inputs (benign patterns pass; the rest is access). */
    readonly judge?: { readonly id: JudgeId; readonly why: string; readonly to?: Delivery };
}

/** A family's rows by exact type token. */
export type Rows = { readonly [type: string]: CatalogRow };

export const PRICED: CatalogRow = { cost: "priced" };
export const FREE: CatalogRow = { cost: "free" };
export const UNPRICED: CatalogRow = { cost: "unpriced" };

/** Reviewed free: no charge of its own, for the reason given (shown in the estimate's basis). */
export function reviewedFree(why: string): CatalogRow {
    return { cost: "free", note: why };
}

/* Groups moved from `unpriced` after review: no charge of their own, no access or capacity change. */

/** Event notifications sent to an SNS topic. */
export const FREE_NOTIFICATIONS = reviewedFree("event notifications: delivery is billed on the SNS topic they publish to");
/** Log deliveries: the logs are billed where they land (CloudWatch Logs, S3, Firehose). */
export const FREE_LOG_DELIVERY = reviewedFree("log delivery: the logs are billed where they land (CloudWatch Logs, S3, Firehose)");
/** Metadata: documentation, tag options, labels. */
export const FREE_METADATA = reviewedFree("metadata (documentation, tag options, labels, stored configuration)");
/** An attachment of something priced on its own. */
export const FREE_ATTACHMENT = reviewedFree("attachment: the attached resource is priced on its own");

/** Billed only by use: `what` is billed. */
export function usage(what: string): CatalogRow {
    return { cost: "usage", note: what };
}

/** Creating it buys `what`. */
export function purchase(what: string): CatalogRow {
    return { cost: "purchase", note: what };
}

/** Can create arbitrary resources: unknown price and an access change. */
export function meta(why: string): CatalogRow {
    return { cost: "meta", note: why, access: `can create arbitrary resources: ${why}` };
}

/** Always changes access control (`why`); priced as `base` (free by default). */
export function access(why: string, base: CatalogRow = FREE): CatalogRow {
    return { ...base, access: why };
}

/** Changes access only when one of `inputs` is set or unknown. */
export function accessWhen(why: string, inputs: readonly string[], base: CatalogRow): CatalogRow {
    return { ...base, accessWhen: { inputs, why } };
}

/** Network exposure, judged from its rules: ingress from anywhere beyond ports 80/443 is access. */
export function exposure(base: CatalogRow = FREE): CatalogRow {
    return { ...base, judge: { id: "exposure", why: "network exposure: ingress from the internet (any public range wider than /16, or /32 for IPv6) beyond ports 80 and 443" } };
}

/** A database, broker or warehouse that can be given a public address (`publiclyAccessible`: true is access). */
export function publicAddress(base: CatalogRow): CatalogRow {
    return judged("publicAddress", "a public address: reachable from the internet, filtered only by its security groups", base);
}

/**
 * Sends data to the places `to` names: access unless each ARN is shown to be in the resource's
 * own account and no bucket (but one its owner key shows to be the account's) or place outside
 * AWS is named (judge `delivery`).
 */
export function delivers(why: string, to: Delivery, base: CatalogRow = FREE): CatalogRow {
    return { ...base, judge: { id: "delivery", why, to } };
}

/** Access judged by `id` from the inputs: reviewed benign patterns pass, anything else is access. */
export function judged(id: JudgeId, why: string, base: CatalogRow = FREE): CatalogRow {
    return { ...base, judge: { id, why } };
}
