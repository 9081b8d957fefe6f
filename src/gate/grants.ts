/**
 * Judges that read what a resource grants, for the type-table rows marked `judge`
 * (src/cost/catalog/row.ts). Each returns `undefined` when the resource matches a reviewed benign
 * pattern, else the reason it changes access. Anything unknown, malformed or unrecognised is
 * access (fail closed).
 * @internal
 */
import type { Delivery, JudgeId } from "../cost/catalog/row";
import { Value, isUnknown } from "../facts/facts";
import { asList, decodeJsonish, field } from "../facts/values";
import { arnAccount, sameAccount } from "../facts/aws-account";

/**
 * The AWS account the resource's provider is pinned to (src/facts/aws-account.ts), undefined when
 * it pins none; read only by the judges that compare a target with it.
 */
export type Home = () => string | undefined;

/** A judge: `undefined` = reviewed benign, a string = why it is access. `to`: a `delivery` row's places. */
export type Judge = (props: { readonly [key: string]: Value }, home: Home, to?: Delivery) => string | undefined;

/**
 * AWS-managed policies reviewed as execution-only: they let a service write its own logs and
 * traces, pull container images and manage the network interfaces of VPC functions, nothing more.
 */
export const REVIEWED_EXECUTION_POLICIES: readonly string[] = [
    "service-role/AWSLambdaBasicExecutionRole",
    "service-role/AWSLambdaVPCAccessExecutionRole",
    "service-role/AmazonECSTaskExecutionRolePolicy",
    "AWSXRayDaemonWriteAccess",
    "CloudWatchLambdaInsightsExecutionRolePolicy",
];

const POLICY_ARN = /^arn:aws(-cn|-us-gov)?:iam::aws:policy\/(.+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;

/** Private and shared address space: a range inside one of these is not reachable from the internet. */
const PRIVATE_V4: readonly [number, number][] = [
    [0x0a000000, 8], // 10.0.0.0/8
    [0xac100000, 12], // 172.16.0.0/12
    [0xc0a80000, 16], // 192.168.0.0/16
    [0x64400000, 10], // 100.64.0.0/10 (carrier-grade NAT)
    [0x7f000000, 8], // 127.0.0.0/8
];

/** Ranges narrower than these are one network's; wider ones are treated as the internet. */
const NARROWEST_WIDE_V4 = 16;
const NARROWEST_WIDE_V6 = 32;

/**
 * Whether an ingress CIDR opens to the internet: any range wider than a /16 (IPv4) or /32 (IPv6)
 * that is not private space — so `0.0.0.0/1` + `128.0.0.0/1` is as open as `0.0.0.0/0` — and
 * anything that is not a CIDR at all (fail closed).
 */
export function isWideCidr(cidr: string): boolean {
    const s = cidr.trim();
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
    if (v4) {
        const octets = v4.slice(1, 5).map(Number);
        const bits = Number(v4[5]);
        if (octets.some((o) => o > 255) || bits > 32) {
            return true;
        }
        const addr = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
        const inside = PRIVATE_V4.some(([net, len]) => bits >= len && (addr >>> (32 - len)) === (net >>> (32 - len)));
        return bits < NARROWEST_WIDE_V4 && !inside;
    }
    const v6 = /^([0-9a-f:.]+)\/(\d{1,3})$/i.exec(s);
    if (v6 && v6[1].includes(":") && Number(v6[2]) <= 128) {
        // Unique local addresses (fc00::/7) are private.
        const bits = Number(v6[2]);
        const first = v6[1].startsWith("::") ? 0 : parseInt(v6[1].split(":")[0] || "0", 16);
        const ula = bits >= 7 && (first & 0xfe00) === 0xfc00;
        return bits < NARROWEST_WIDE_V6 && !ula;
    }
    return true;
}

function isReviewedPolicy(v: Value | undefined): boolean {
    const m = typeof v === "string" ? POLICY_ARN.exec(v) : null;
    return m !== null && REVIEWED_EXECUTION_POLICIES.includes(m[2] ?? "");
}

function strings(v: Value | undefined): string[] | undefined {
    if (typeof v === "string") {
        return [v];
    }
    if (Array.isArray(v) && v.every((x): x is string => typeof x === "string")) {
        return v;
    }
    return undefined;
}

/** True when a trust policy lets only AWS service principals assume the role. */
function trustsOnlyServices(doc: Value | undefined): boolean {
    const d = decodeJsonish(doc);
    const statements = field(d, "Statement");
    const list = Array.isArray(statements) ? statements : statements !== undefined && !isUnknown(statements) && typeof statements === "object" ? [statements] : undefined;
    if (!list || list.length === 0) {
        return false;
    }
    return list.every((s) => {
        if (s === null || typeof s !== "object" || Array.isArray(s) || isUnknown(s)) {
            return false;
        }
        const keys = Object.keys(s);
        if (keys.some((k) => !["Sid", "Effect", "Action", "Principal", "Condition"].includes(k))) {
            return false; // NotPrincipal, NotAction, … are not reviewed
        }
        if (s["Effect"] === "Deny") {
            return true;
        }
        const actions = strings(s["Action"]);
        const principal = s["Principal"];
        if (s["Effect"] !== "Allow" || !actions || !actions.every((a) => a === "sts:AssumeRole")) {
            return false;
        }
        if (principal === null || typeof principal !== "object" || Array.isArray(principal) || isUnknown(principal)) {
            return false;
        }
        const pk = Object.keys(principal);
        const services = strings(principal["Service"]);
        return pk.length === 1 && pk[0] === "Service" && services !== undefined && services.length > 0 && services.every((x) => SERVICE_PRINCIPAL.test(x));
    });
}

/** `aws:iam/role:Role`: benign when only services may assume it and it carries only reviewed managed policies. */
const serviceRole: Judge = (p) => {
    if (!trustsOnlyServices(field(p, "assumeRolePolicy"))) {
        return "its trust policy lets more than AWS service principals assume it (or is unknown at preview)";
    }
    const managed = field(p, "managedPolicyArns");
    if (managed !== undefined && managed !== null && !(Array.isArray(managed) && managed.every(isReviewedPolicy))) {
        return "it carries managed policies beyond the reviewed execution policies (or they are unknown at preview)";
    }
    const inline = field(p, "inlinePolicies");
    if (inline !== undefined && inline !== null && !(Array.isArray(inline) && inline.every((x) => field(x, "policy") === undefined || field(x, "policy") === ""))) {
        return "it carries inline policies";
    }
    return undefined;
};

/** `aws:iam/rolePolicyAttachment:RolePolicyAttachment`: benign when it attaches a reviewed execution policy. */
const rolePolicyAttachment: Judge = (p) =>
    isReviewedPolicy(field(p, "policyArn")) ? undefined : "it attaches a policy that is not a reviewed AWS-managed execution policy (or it is unknown at preview)";

/**
 * `aws:lambda/permission:Permission`: benign when an AWS service may invoke the function only
 * from one resource of this stack: `sourceArn` unknown at preview is an output of a resource this
 * run creates or changes; a known `sourceArn` must name the function's own account.
 */
const invokePermission: Judge = (p) => {
    const action = field(p, "action");
    const principal = field(p, "principal");
    if (action !== "lambda:InvokeFunction" || typeof principal !== "string" || !SERVICE_PRINCIPAL.test(principal)) {
        return "it lets a principal other than an AWS service invoke the function, or grants more than lambda:InvokeFunction";
    }
    for (const k of ["eventSourceToken", "principalOrgId", "functionUrlAuthType"]) {
        if (field(p, k) !== undefined && field(p, k) !== null) {
            return `it sets "${k}"`;
        }
    }
    const source = field(p, "sourceArn");
    if (isUnknown(source)) {
        return undefined;
    }
    if (typeof source !== "string" || source === "") {
        return "it is not scoped by sourceArn";
    }
    if (!sameAccount(source, field(p, "function")) || source.split(":").slice(0, 5).some((part) => part.includes("*"))) {
        return "its sourceArn is not shown to be a resource of the function's own account";
    }
    return undefined;
};

/**
 * Why a switch among `keys` of `v` (an object, JSON-encoded or not, or a list of them) is on:
 * true, unknown at preview, or anything but a boolean (fail closed); undefined when every one is
 * absent or false.
 */
function switchedOn(v: Value | undefined, keys: readonly string[]): string | undefined {
    const d = decodeJsonish(v);
    if (Array.isArray(d)) {
        return d.map((x) => switchedOn(x, keys)).find((why) => why !== undefined);
    }
    for (const k of keys) {
        const x = field(d, k);
        if (isUnknown(x)) {
            return `"${k}" is unknown at preview`;
        }
        const flag = typeof x === "string" ? x.trim().toLowerCase() : x;
        if (flag === true || flag === "true") {
            return `"${k}" is true`;
        }
        if (flag !== undefined && flag !== null && flag !== false && flag !== "false") {
            return `"${k}" is not a boolean`;
        }
    }
    return undefined;
}

/**
 * Why input `key` of `v` opens the resource: unless its value is one of the reviewed closed
 * `values` (or it is left out and `closedByDefault`), it is open; the program's value is not quoted.
 */
function notClosed(v: Value | undefined, key: string, values: readonly string[], closedByDefault: boolean): string | undefined {
    const x = field(decodeJsonish(v), key);
    if (isUnknown(x)) {
        return `"${key}" is unknown at preview`;
    }
    if (x === undefined || x === null) {
        return closedByDefault ? undefined : `"${key}" is not set (open by default)`;
    }
    return typeof x === "string" && values.includes(x) ? undefined : `"${key}" is not ${values.join(" or ")}`;
}

/** `key` of `v` (an object, JSON-encoded or not), or of each of a list of them. */
function inside(v: Value | undefined, key: string): Value | undefined {
    const d = decodeJsonish(v);
    return Array.isArray(d) ? d.map((x) => inside(x, key) ?? null) : field(d, key);
}

/**
 * Why the ARN a resource sends data to is access by what it is: not an ARN, an event bus (the
 * way events cross to another account) or an API destination (an HTTP endpoint outside AWS).
 * Undefined when it is unknown at preview: an output of a resource this run creates or changes,
 * judged again with the real value in the update.
 */
function sendsOut(to: Value | undefined, what: string): string | undefined {
    if (isUnknown(to)) {
        return undefined;
    }
    if (typeof to !== "string" || !/^arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/.test(to)) {
        return `its ${what} is not an ARN`;
    }
    const resource = to.split(":").slice(5).join(":");
    if (resource.startsWith("event-bus/")) {
        return "it sends to an event bus, which may be another account's";
    }
    if (resource.startsWith("api-destination/")) {
        return "it sends to an API destination, an HTTP endpoint outside AWS";
    }
    return undefined;
}

/** Why a known ARN `to` is not shown to be in the account of the ARN `from` (`whose`: what `from` is). */
function otherAccount(to: Value | undefined, from: Value | undefined, what: string, whose: string): string | undefined {
    if (isUnknown(to)) {
        return undefined;
    }
    return sameAccount(to, from) ? undefined : `its ${what} is not shown to be in ${whose}'s account`;
}

/** An SQS queue URL on one of SQS's own hosts, with a valid queue name (letters, digits, `-`, `_`, an optional `.fifo`). */
const QUEUE_URL = /^https:\/\/(?:sqs\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com(?:\.cn)?|[a-z]{2}(?:-[a-z]+)+-\d\.queue\.amazonaws\.com(?:\.cn)?|sqs\.[a-z]{2}(?:-[a-z]+)+-\d\.api\.aws)\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

/**
 * An SQS queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`, or the legacy
 * `<region>.queue.amazonaws.com` and dual-stack `sqs.<region>.api.aws` hosts) as the ARN it stands
 * for; anything else, a URL of another host or a name SQS would refuse included, as it is (never
 * shown to be in an account).
 */
function queueUrlArn(v: Value | undefined): Value | undefined {
    const m = typeof v === "string" ? QUEUE_URL.exec(v) : null;
    return m ? `arn:aws:sqs::${m[1]}:${m[2]}` : v;
}

/**
 * Why a known ARN `to` is not shown to be in `home`, the account the resource's provider is
 * pinned to. Undefined when `to` is unknown at preview: an output of a resource this run creates
 * or changes, judged again with the real value in the update.
 */
function atHome(to: Value | undefined, home: Home, what: string): string | undefined {
    if (isUnknown(to)) {
        return undefined;
    }
    const account = home();
    if (account === undefined) {
        return `its ${what} cannot be compared with its own AWS account: its provider does not pin one account (allowedAccountIds or an assumed role)`;
    }
    return arnAccount(queueUrlArn(to)) === account ? undefined : `its ${what} is not shown to be in its provider's AWS account`;
}

/** Whether a block or list of blocks is there: anything but absent, null or an empty list. */
function present(v: Value | undefined): boolean {
    return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

/** `v` decoded, with lists (of lists, JSON-encoded or not) flattened into their entries. */
function entries(v: Value | undefined): (Value | undefined)[] {
    const d = decodeJsonish(v);
    return Array.isArray(d) ? d.flatMap(entries) : [d];
}

/** A value read at the end of a path, with a list of values (`logDestinationConfigs`) as its entries; an absent one kept. */
function leaves(v: Value | undefined): (Value | undefined)[] {
    return v === undefined ? [undefined] : entries(v);
}

/**
 * The values at a dotted path of `v`, through objects, JSON strings and lists
 * (`destinationConfig.onFailure.destination`, `queues.queueArn`). A part that is absent is
 * skipped, except the last key of an entry that is there (an entry without its ARN is read as
 * `undefined`, never shown to be anywhere); a part that is no object (a string where a list of
 * entries belongs) is returned as it is, so it is not shown to be anywhere either.
 */
function valuesAt(v: Value | undefined, path: string): (Value | undefined)[] {
    const keys = path.split(".");
    let level: (Value | undefined)[] = [v];
    keys.forEach((key, i) => {
        const next: (Value | undefined)[] = [];
        for (const x of level) {
            for (const e of entries(x)) {
                if (e === undefined || e === null) {
                    continue;
                }
                if (isUnknown(e) || typeof e !== "object") {
                    next.push(e as Value);
                } else {
                    const f = field(e, key);
                    if (i === keys.length - 1 || (f !== undefined && f !== null)) {
                        next.push(f);
                    }
                }
            }
        }
        level = next;
    });
    return level;
}

/**
 * Why an ARN at one of `paths` (see {@link valuesAt}) is not shown to be in `home`. A path ending
 * in `?` names an optional ARN: an entry without it sends nothing there.
 */
function allAtHome(p: Value, home: Home, what: string, paths: readonly string[]): string | undefined {
    for (const path of paths) {
        const optional = path.endsWith("?");
        for (const v of valuesAt(p, optional ? path.slice(0, -1) : path).flatMap(leaves)) {
            if (optional && (v === undefined || v === null)) {
                continue;
            }
            const why = atHome(v, home, what);
            if (why !== undefined) {
                return why;
            }
        }
    }
    return undefined;
}

/**
 * `aws:cloudwatch/eventTarget:EventTarget`: a target that is an event bus or an API destination
 * (see {@link sendsOut}), a target not shown to be in the provider's own account (the rule is
 * always in that account; another account's queue or function that accepts the events receives
 * them), or an ECS task started with ECS Exec.
 */
const eventTarget: Judge = (p, home) => {
    const target = field(p, "arn");
    return (
        sendsOut(target, "target") ??
        atHome(target, home, "target") ??
        allAtHome(p, home, "dead-letter queue", ["deadLetterConfig.arn?"]) ??
        switchedOn(field(p, "ecsTarget"), ["enableExecuteCommand"])
    );
};

/**
 * `aws:s3/bucketNotification:BucketNotification`: S3 sends the bucket's object events (keys,
 * sizes, who wrote them) to each queue, topic and function, which must be in the provider's own
 * account. `eventbridge: true` sends them to the account's own default bus.
 */
const bucketNotification: Judge = (p, home) => {
    const unknown = ["queues", "topics", "lambdaFunctions"].find((k) => isUnknown(field(p, k)));
    return unknown !== undefined ? `its ${unknown} are unknown at preview` : allAtHome(p, home, "target", ["queues.queueArn", "topics.topicArn", "lambdaFunctions.lambdaFunctionArn"]);
};

/**
 * The S3 buckets at a dotted path (its last key in each block the rest of the path reaches). With
 * a `switch`, a block that turns it off (false, or left out when off is its default) delivers
 * nothing; any other value of it (unknown, not a boolean) delivers. A block whose owner input
 * (`owners`) names the provider's own account delivers nothing outside it (S3 refuses the write
 * to a bucket another account owns).
 */
function bucketsAt(p: Value, path: string, to: Delivery, home: Home): (Value | undefined)[] {
    const sw = to.switch;
    const keys = path.split(".");
    const key = keys.pop() as string;
    const owner = to.owners?.find((o) => o.split(".").slice(0, -1).join(".") === keys.join("."))?.split(".").pop();
    const blocks = keys.length === 0 ? [p] : valuesAt(p, keys.join(".")).flatMap(leaves);
    return blocks.flatMap((b): (Value | undefined)[] => {
        if (b === undefined || b === null) {
            return [];
        }
        if (isUnknown(b) || typeof b !== "object" || Array.isArray(b)) {
            return [b as Value];
        }
        const flag = sw === undefined ? true : field(b, sw.key);
        const off = flag === false || flag === "false" || ((flag === undefined || flag === null) && sw?.byDefault === false);
        const owned = owner !== undefined && typeof field(b, owner) === "string" && field(b, owner) === home();
        return off || owned ? [] : [field(b, key)];
    });
}

/**
 * A `delivery` row (src/cost/catalog/row.ts): the resource sends data to each ARN its row names,
 * which must be in the provider's account, and to each bucket, which names no account (so a
 * bucket set at all, or unknown at preview, is access).
 */
const delivery: Judge = (p, home, to) => {
    if (to === undefined) {
        return "its row names no places it sends to";
    }
    for (const path of to.buckets ?? []) {
        if (bucketsAt(p, path, to, home).some((b) => b !== undefined && b !== null && b !== "")) {
            return "it writes to an S3 bucket, which may be another account's (a bucket's name or ARN names no account)";
        }
    }
    for (const path of to.outside ?? []) {
        if (valuesAt(p, path).flatMap(leaves).some((v) => isUnknown(v) || present(v))) {
            return `it sends data to \`${path}\`, which names no AWS account (a place outside AWS, or anyone's)`;
        }
    }
    return allAtHome(p, home, "destination", to.arns ?? []);
};

/**
 * `aws:ses/receiptRule:ReceiptRule`: received mail goes to its S3 actions' buckets (a bucket name
 * names no account), and to topics and functions that must be in the provider's account.
 */
const receiptRule: Judge = (p, home) => {
    const buckets = valuesAt(p, "s3Actions.bucketName").filter((b) => b !== undefined && b !== null);
    return buckets.length > 0
        ? "it stores received mail in an S3 bucket, which may be another account's (a bucket name names no account)"
        : allAtHome(p, home, "target", ["snsActions.topicArn", "lambdaActions.functionArn", "lambdaActions.topicArn?", "workmailActions.topicArn?"]);
};

/** `aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination`: the same, and an event bus (another account's, or routed on) is access. */
const sesv2Destination: Judge = (p, home) => {
    const bus = valuesAt(p, "eventDestination.eventBridgeDestination.eventBusArn");
    return (
        bus.map((b) => sendsOut(b, "event bus")).find((why) => why !== undefined) ??
        allAtHome(p, home, "destination", ["eventDestination.snsDestination.topicArn", "eventDestination.kinesisFirehoseDestination.deliveryStreamArn", "eventDestination.eventBridgeDestination.eventBusArn"])
    );
};

/** IoT rule actions that deliver outside AWS, to a search domain anywhere, or to a bucket of any account: the rule's list, the error action's block, where it sends. */
const IOT_OUTSIDE: readonly (readonly [string, string, string])[] = [
    ["https", "http", "an HTTPS endpoint"],
    ["kafkas", "kafka", "a Kafka cluster"],
    ["elasticsearch", "elasticsearch", "an OpenSearch endpoint"],
    ["s3", "s3", "an S3 bucket (a bucket name names no account)"],
];

/**
 * `aws:iot/topicRule:TopicRule`: an HTTPS, Kafka, OpenSearch or S3 action sends every matched
 * message out of the account's view, and a function, topic or queue it names must be in the
 * provider's account; the error action can do the same with messages whose delivery failed.
 */
const topicRule: Judge = (p, home) => {
    for (const [list, one, where] of IOT_OUTSIDE) {
        for (const v of [...valuesAt(p, list), ...valuesAt(p, `errorAction.${one}`)]) {
            if (isUnknown(v)) {
                return `its ${list} actions are unknown at preview`;
            }
            if (present(v)) {
                return `it sends messages out through ${where}, which may be outside the account`;
            }
        }
    }
    return (
        allAtHome(p, home, "target", ["lambdas.functionArn", "sns.targetArn", "errorAction.lambda.functionArn", "errorAction.sns.targetArn"]) ??
        allAtHome(p, home, "queue", ["sqs.queueUrl", "errorAction.sqs.queueUrl"])
    );
};

/** A database, broker or warehouse given a public address: `publiclyAccessible` (Neptune Analytics: `publicConnectivity`) on. */
const publicAddress: Judge = (p) => switchedOn(p, ["publiclyAccessible", "publicConnectivity"]);

/**
 * `aws:eks/cluster:Cluster`: the Kubernetes API server is reachable from the internet unless
 * `vpcConfig.endpointPublicAccess` is false (it is on by default) or every range in
 * `publicAccessCidrs` (all of the internet by default) is narrow (see {@link isWideCidr}).
 */
const eksEndpoint: Judge = (p) => {
    const vpc = valuesAt(p, "vpcConfig").flatMap(leaves)[0];
    if (isUnknown(vpc)) {
        return "its endpoint access is unknown at preview";
    }
    const on = field(vpc, "endpointPublicAccess");
    if (on === false || on === "false") {
        return undefined;
    }
    const cidrs = field(vpc, "publicAccessCidrs");
    if (isUnknown(on) || isUnknown(cidrs)) {
        return "its endpoint access is unknown at preview";
    }
    const list = entries(cidrs).filter((c) => c !== undefined && c !== null);
    const wide = list.length === 0 || list.some((c) => isUnknown(c) || typeof c !== "string" || isWideCidr(c));
    return wide ? "its API server's public endpoint is open to the internet (a wide range, or all of it by default)" : undefined;
};

/** `aws:mwaa/environment:Environment`: the Airflow web server is on the internet unless it is `PRIVATE_ONLY` (the default). */
const mwaaWebserver: Judge = (p) => notClosed(p, "webserverAccessMode", ["PRIVATE_ONLY"], true);

/** `aws:transfer/server:Server`: an SFTP/FTPS endpoint on the internet unless it is in a VPC (`PUBLIC` is the default). */
const transferEndpoint: Judge = (p) => notClosed(p, "endpointType", ["VPC", "VPC_ENDPOINT"], false);

/**
 * `aws:connect/instance:Instance`: who signs in as a contact centre user is decided in the
 * account (`CONNECT_MANAGED`) or by an outside identity provider or directory (`SAML`,
 * `EXISTING_DIRECTORY`, a `directoryId`).
 */
const connectIdentity: Judge = (p) => notClosed(p, "identityManagementType", ["CONNECT_MANAGED"], false) ?? (present(field(p, "directoryId")) || isUnknown(field(p, "directoryId")) ? "it names a directory whose users sign in" : undefined);

/**
 * `cloudflare:index/pipelineStream:PipelineStream`: anyone on the internet may send records
 * into the stream (and on to its sinks) unless its HTTP endpoint is off or requires
 * authentication; Cloudflare's defaults are on and off.
 */
const pipelineStreamHttp: Judge = (p) => {
    const http = decodeJsonish(field(p, "http"));
    if (isUnknown(http)) {
        return "its HTTP endpoint is unknown at preview";
    }
    const enabled = field(http, "enabled");
    const authentication = field(http, "authentication");
    if (isUnknown(enabled) || isUnknown(authentication)) {
        return "its HTTP endpoint is unknown at preview";
    }
    return enabled === false || authentication === true ? undefined : "its HTTP endpoint takes records from anyone (on, without authentication)";
};

/** An ECS service or daemon with ECS Exec (`enableExecuteCommand`) on: a shell in its running containers. */
const execCommand: Judge = (p) => switchedOn(p, ["enableExecuteCommand"]);

/**
 * VPC Lattice services and service networks: anyone who can reach one may call it unless
 * `authType` is `AWS_IAM` (its auth policy then decides); absent means `NONE`, the default.
 */
const latticeAuth: Judge = (p) => notClosed(p, "authType", ["AWS_IAM"], false);

/** SNS protocols whose endpoint is an AWS resource, by ARN. */
const ARN_PROTOCOLS: readonly string[] = ["sqs", "lambda", "firehose"];
/** SNS protocols that deliver outside AWS. */
const OUTSIDE_PROTOCOLS: readonly string[] = ["http", "https", "email", "email-json", "sms", "application"];

/**
 * `aws:sns/topicSubscription:TopicSubscription`: the topic's messages go to the endpoint. An
 * endpoint outside AWS (HTTP(S), email, SMS, a mobile application) is access; so is a queue,
 * function or stream not shown to be in the topic's account.
 */
const snsSubscription: Judge = (p) => {
    const protocol = field(p, "protocol");
    if (isUnknown(protocol)) {
        return '"protocol" is unknown at preview';
    }
    if (typeof protocol === "string" && OUTSIDE_PROTOCOLS.includes(protocol)) {
        return `it delivers the topic's messages outside AWS (protocol "${protocol}")`;
    }
    if (typeof protocol !== "string" || !ARN_PROTOCOLS.includes(protocol)) {
        return "its protocol is not one the gate knows"; // not quoted: the program's value may be a secret
    }
    const endpoint = field(p, "endpoint");
    return sendsOut(endpoint, "endpoint") ?? otherAccount(endpoint, field(p, "topic"), "endpoint", "the topic");
};

/**
 * `aws:pipes/pipe:Pipe`: records read from `source` go to `target` (and to `enrichment` on the
 * way): each must be in the source's account and be no event bus or API destination; ECS Exec on
 * a task it starts is a shell in it.
 */
const pipeTarget: Judge = (p) => {
    const source = field(p, "source");
    const target = field(p, "target");
    const enrichment = field(p, "enrichment");
    const enriched = enrichment !== undefined && enrichment !== null && enrichment !== "";
    return (
        sendsOut(target, "target") ??
        otherAccount(target, source, "target", "its source") ??
        (enriched ? (sendsOut(enrichment, "enrichment") ?? otherAccount(enrichment, source, "enrichment", "its source")) : undefined) ??
        switchedOn(inside(field(p, "targetParameters"), "ecsTaskParameters"), ["enableExecuteCommand"])
    );
};

/**
 * `aws:backup/plan:Plan`: a rule with copy actions copies its recovery points to the vault each
 * names; the plan names no account to compare with, so any copy action (or rules unknown at
 * preview) is access.
 */
const backupCopy: Judge = (p) => {
    const raw = field(p, "rules");
    const rules = asList(raw);
    if (isUnknown(rules)) {
        return "its rules are unknown at preview";
    }
    if (rules === undefined && raw !== undefined && raw !== null) {
        return "its rules could not be read";
    }
    const copies = (rules ?? []).map((r) => decodeJsonish(field(decodeJsonish(r), "copyActions")));
    if (copies.some(isUnknown)) {
        return "a rule's copy actions are unknown at preview";
    }
    return copies.some(present) ? "a rule copies its recovery points to another vault" : undefined;
};

function num(v: Value | undefined): number | undefined {
    if (typeof v === "number") {
        return v;
    }
    if (typeof v === "string" && /^-?\d+$/.test(v)) {
        return Number(v);
    }
    return undefined;
}

/** Inputs that name managed prefix lists: their entries live elsewhere (and may be 0.0.0.0/0), so a reference counts as from anywhere. */
const PREFIX_LIST_KEYS: readonly string[] = ["prefixListIds", "prefixListId"];

/** One ingress entry: open beyond 80/443 from anywhere (or from a prefix list) → the reason, else undefined. */
function openEntry(e: Value | undefined, cidrKeys: readonly string[], protocolKey: string): string | undefined {
    if (isUnknown(e) || e === null || typeof e !== "object" || Array.isArray(e)) {
        return isUnknown(e) ? "an ingress rule is unknown at preview" : undefined;
    }
    const action = field(e, "action") ?? field(e, "ruleAction");
    if (typeof action === "string" && action.toLowerCase() === "deny") {
        return undefined;
    }
    if (isUnknown(action)) {
        return "an ingress rule's action is unknown at preview";
    }
    for (const k of [...cidrKeys, ...PREFIX_LIST_KEYS]) {
        const v = field(e, k);
        if (isUnknown(v) || (Array.isArray(v) && v.some(isUnknown))) {
            return `an ingress rule's "${k}" is unknown at preview`;
        }
    }
    // Anything but a string or a list of them (an object, a number) counts as set and unreadable.
    const listed = (k: string): Value[] => {
        const v = field(e, k);
        return typeof v === "string" ? [v] : Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    };
    const from = cidrKeys.some((k) => listed(k).some((x) => typeof x !== "string" || (x.trim() !== "" && isWideCidr(x))))
        ? "anywhere"
        : PREFIX_LIST_KEYS.some((k) => listed(k).some((x) => typeof x !== "string" || x.trim() !== ""))
          ? "a managed prefix list (whose entries the pack does not see)"
          : undefined;
    if (from === undefined) {
        return undefined;
    }
    const protocol = field(e, protocolKey);
    const low = num(field(e, "fromPort"));
    const high = num(field(e, "toPort"));
    const proto = typeof protocol === "string" ? protocol.toLowerCase() : typeof protocol === "number" ? String(protocol) : undefined;
    if (proto === undefined) {
        return `an ingress rule from ${from} has an unknown protocol`;
    }
    if (proto === "-1" || proto === "all") {
        return `ingress from ${from} on all protocols and ports`;
    }
    if ((proto === "tcp" || proto === "6") && low !== undefined && high !== undefined && low === high && (low === 80 || low === 443)) {
        return undefined;
    }
    return `ingress from ${from} on ${proto} ports ${low ?? "?"}-${high ?? "?"}`;
}

/** Security groups, their rules and network ACLs: ingress from anywhere beyond 80/443 is access. */
const exposure: Judge = (p) => {
    // Standalone rules: aws:ec2/securityGroupRule (type), aws:vpc/securityGroupIngressRule, aws:ec2/networkAclRule (egress).
    const type = field(p, "type");
    const egress = field(p, "egress");
    const isRule = ["type", "ipProtocol", "cidrIpv4", "cidrIpv6", "prefixListId", "ruleNumber"].some((k) => field(p, k) !== undefined);
    if (isRule) {
        if (type === "egress" || egress === true) {
            return undefined;
        }
        if (isUnknown(type) || isUnknown(egress)) {
            return "whether the rule is ingress is unknown at preview";
        }
        const protocolKey = field(p, "ipProtocol") !== undefined ? "ipProtocol" : "protocol";
        return openEntry(p, ["cidrBlocks", "ipv6CidrBlocks", "cidrIpv4", "cidrIpv6", "cidrBlock", "ipv6CidrBlock"], protocolKey);
    }
    const ingress = field(p, "ingress");
    if (ingress === undefined || ingress === null) {
        return undefined;
    }
    const list = asList(ingress);
    if (isUnknown(list)) {
        return "its ingress rules are unknown at preview";
    }
    for (const e of list ?? []) {
        const why = openEntry(e, ["cidrBlocks", "ipv6CidrBlocks", "cidrBlock", "ipv6CidrBlock"], "protocol");
        if (why) {
            return why;
        }
    }
    return undefined;
};

/** Cloudflare names a setting or phase in snake_case (the API) or camelCase (the SDK's docs): compared without either. */
function flat(v: string): string {
    return v.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
}

/**
 * Zone settings reviewed as performance, caching or feature switches that leave who may reach the
 * zone, and how safely, alone. Everything else (security level, SSL mode, WAF, TLS versions and
 * ciphers, browser and hotlink checks, client authentication, scripts injected into pages, content
 * exposed to crawlers, and any setting added after the review) is access.
 */
const BENIGN_ZONE_SETTINGS: ReadonlySet<string> = new Set(
    [
        "0rtt", "always_online", "brotli", "browser_cache_ttl", "cache_level", "cname_flattening", "development_mode", "early_hints", "edge_cache_ttl",
        "h2_prioritization", "http2", "http3", "image_resizing", "ip_geolocation", "ipv6", "max_upload", "mirage", "origin_error_page_pass_thru",
        "origin_h2_max_streams", "origin_max_http_version", "polish", "prefetch_preload", "proxy_read_timeout", "pseudo_ipv4", "response_buffering",
        "rocket_loader", "sort_query_string_for_cache",
    ].map(flat),
);

/** Protection settings, by id, and the values reviewed as the protective side of each (turning it on, the strict mode). */
const PROTECTIVE_VALUES: ReadonlyMap<string, readonly string[]> = new Map(
    (
        [
            ["always_use_https", ["on"]],
            ["automatic_https_rewrites", ["on"]],
            ["browser_check", ["on"]],
            ["email_obfuscation", ["on"]],
            ["hotlink_protection", ["on"]],
            ["min_tls_version", ["1.2", "1.3"]],
            ["opportunistic_encryption", ["on"]],
            ["security_level", ["medium", "high", "under_attack"]],
            ["server_side_exclude", ["on"]],
            ["ssl", ["strict"]],
            ["tls_1_3", ["on", "zrt"]],
            ["waf", ["on"]],
        ] as const
    ).map(([id, values]) => [flat(id), values.map(flat)]),
);

/**
 * `cloudflare:index/zoneSetting:ZoneSetting`: benign when `settingId` is a reviewed performance or
 * caching setting, or a protection setting set to its protective side (`ssl: strict`, `waf: on`).
 */
const zoneSetting: Judge = (p) => {
    const id = field(p, "settingId");
    const value = field(p, "value");
    if (isUnknown(id) || isUnknown(value)) {
        return "its setting or value is unknown at preview";
    }
    if (typeof id === "string" && BENIGN_ZONE_SETTINGS.has(flat(id))) {
        return undefined;
    }
    const protective = typeof id === "string" ? PROTECTIVE_VALUES.get(flat(id)) : undefined;
    return protective !== undefined && typeof value === "string" && protective.includes(flat(value))
        ? undefined
        : "it changes a zone setting that is not a reviewed performance or caching setting, nor a protection turned to its protective side (security level, SSL, WAF, TLS and the like)";
};

/**
 * Ruleset phases reviewed as routing-neutral: redirects, header and URL transforms, cache and
 * compression rules, custom error pages, logged fields. Firewall, rate limiting, DDoS,
 * configuration (which can switch security off per request), origin and sanitising phases — and
 * any phase added after the review — decide who reaches the origin, or where requests go.
 */
const BENIGN_PHASES: ReadonlySet<string> = new Set(
    [
        "http_request_dynamic_redirect", "http_request_redirect", "http_request_transform", "http_request_late_transform", "http_response_headers_transform",
        "http_request_cache_settings", "http_response_cache_settings", "http_response_compression", "http_custom_errors", "http_log_custom_fields",
    ].map(flat),
);

/** `cloudflare:index/ruleset:Ruleset`: benign when its phase is a reviewed routing-neutral one. */
const rulesetPhase: Judge = (p) => {
    const phase = field(p, "phase");
    if (isUnknown(phase)) {
        return "its phase is unknown at preview";
    }
    return typeof phase === "string" && BENIGN_PHASES.has(flat(phase)) ? undefined : "its phase decides who reaches the zone (firewall, rate limiting, DDoS, per-request configuration) or where requests go";
};

/** Page rule actions reviewed as caching, redirects and performance; any other set action is access. */
const BENIGN_PAGE_ACTIONS: ReadonlySet<string> = new Set([
    "alwaysUseHttps", "browserCacheTtl", "bypassCacheOnCookie", "cacheByDeviceType", "cacheDeceptionArmor", "cacheKeyFields", "cacheLevel", "cacheOnCookie",
    "cacheTtlByStatus", "disablePerformance", "disableZaraz", "edgeCacheTtl", "explicitCacheControl", "forwardingUrl", "ipGeolocation", "mirage",
    "originErrorPagePassThru", "polish", "respectStrongEtag", "responseBuffering", "rocketLoader", "sortQueryStringForCache",
].map(flat));

/** `cloudflare:index/pageRule:PageRule`: benign when every action it sets is a reviewed caching, redirect or performance one. */
const pageRule: Judge = (p) => {
    const actions = decodeJsonish(field(p, "actions"));
    if (isUnknown(actions)) {
        return "its actions are unknown at preview";
    }
    if (actions === undefined || actions === null) {
        return undefined;
    }
    if (typeof actions !== "object" || Array.isArray(actions)) {
        return "its actions could not be read";
    }
    const other = Object.keys(actions).some((k) => actions[k] !== null && actions[k] !== undefined && !BENIGN_PAGE_ACTIONS.has(flat(k)));
    return other ? "it sets an action that is not a reviewed caching, redirect or performance one (security level, SSL, WAF, disabling security, another origin)" : undefined;
};

/** `cloudflare:index/zone:Zone`: a paused zone sends its traffic to the origin past every Cloudflare protection. */
const zonePaused: Judge = (p) => switchedOn(p, ["paused"]);

/** Listener actions that hand the decision of who gets in to an identity provider or a token signer. */
const AUTH_ACTIONS: readonly string[] = ["authenticateOidc", "authenticateCognito", "jwtValidation"];

/**
 * Load balancer listeners and rules: an action that authenticates (OIDC, a Cognito pool, JWT
 * validation) lets its issuer, pool or key decide who reaches the targets — any of them may be
 * outside the account.
 */
const listenerAuth: Judge = (p) => {
    for (const list of ["defaultActions", "actions"]) {
        for (const action of valuesAt(p, list).flatMap(leaves)) {
            if (isUnknown(action)) {
                return `its ${list} are unknown at preview`;
            }
            const type = field(action, "type");
            if (isUnknown(type)) {
                return "an action's type is unknown at preview";
            }
            if (typeof type === "string" && /^(authenticate-|jwt-)/.test(type)) {
                return `an action of type "${type}" lets an identity provider or token signer decide who gets in`;
            }
            const auth = AUTH_ACTIONS.find((k) => present(field(action, k)));
            if (auth !== undefined) {
                return `an action sets "${auth}", which lets an identity provider or token signer decide who gets in`;
            }
        }
    }
    return undefined;
};

/** An AWS service's own endpoint (`com.amazonaws.<region>.s3`), not an endpoint service of some account (`com.amazonaws.vpce.<region>.vpce-svc-…`). */
const AWS_SERVICE_ENDPOINT = /^(com\.amazonaws|aws\.[a-z0-9-]+)\.[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/**
 * `aws:ec2/vpcEndpoint:VpcEndpoint`: an endpoint to an AWS service is reviewed; one to an
 * endpoint service, a service network or a resource configuration (any account's) joins the VPC
 * to whatever is behind it.
 */
const endpointService: Judge = (p) => {
    for (const k of ["serviceNetworkArn", "resourceConfigurationArn"]) {
        const v = field(p, k);
        if (v !== undefined && v !== null && v !== "") {
            return `it sets "${k}", which may be another account's`;
        }
    }
    const name = field(p, "serviceName");
    if (isUnknown(name)) {
        return "its service is unknown at preview";
    }
    return typeof name === "string" && AWS_SERVICE_ENDPOINT.test(name) && !name.startsWith("com.amazonaws.vpce.")
        ? undefined
        : "it connects to an endpoint service, which may be another account's (not an AWS service's own endpoint)";
};

/** `aws:memorydb/cluster:Cluster`: the `open-access` ACL lets any client that reaches the cluster in, without a user or password. */
const memorydbAcl: Judge = (p) => {
    const acl = field(p, "aclName");
    if (isUnknown(acl)) {
        return "its ACL is unknown at preview";
    }
    return typeof acl === "string" && acl.trim().toLowerCase() === "open-access" ? 'it uses the "open-access" ACL: any client that reaches it gets in without a user or password' : undefined;
};

/**
 * `cloudflare:index/pipelineSink:PipelineSink`: the sink writes the pipeline's records to an R2
 * bucket of the account its `config.accountId` names, with the credentials it is given; a sink
 * whose config names its own account (both known) keeps them there.
 */
const pipelineSink: Judge = (p) => {
    const own = field(p, "accountId");
    const targets = valuesAt(p, "config.accountId").flatMap(leaves);
    if ([own, ...targets].some(isUnknown)) {
        return "its accounts are unknown at preview";
    }
    return targets.every((t) => typeof t === "string" && t === own) ? undefined : "it writes to an R2 bucket of another Cloudflare account, or one it does not name";
};

/** The judges by id. */
export const JUDGES: { readonly [id in JudgeId]: Judge } = {
    exposure,
    serviceRole,
    rolePolicyAttachment,
    invokePermission,
    eventTarget,
    bucketNotification,
    delivery,
    sesv2Destination,
    receiptRule,
    topicRule,
    publicAddress,
    execCommand,
    latticeAuth,
    snsSubscription,
    pipeTarget,
    backupCopy,
    zoneSetting,
    rulesetPhase,
    pageRule,
    zonePaused,
    listenerAuth,
    endpointService,
    memorydbAcl,
    pipelineSink,
    eksEndpoint,
    mwaaWebserver,
    transferEndpoint,
    connectIdentity,
    pipelineStreamHttp,
};
