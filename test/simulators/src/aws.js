// Offline simulator for the `aws` provider (see ../README.md).
"use strict";

const core = require("./core");
const { UNKNOWN, isUnknown, containsSecret, secret, reveal, hash, parseToken } = core;

const VERSION = "7.48.0"; // the @pulumi/aws SDK this repository ships with
const DEFAULT_ACCOUNT = "123456789012";
const DEFAULT_REGION = "us-east-1";

const knownString = (v) => typeof v === "string" && !isUnknown(v);
const regionOf = (config) => (knownString(config.region) ? config.region : DEFAULT_REGION);
/** The account of the last role the provider assumes (`assumeRoles`, or v6's `assumeRole`), if any. */
function assumedAccount(config) {
    const roles = Array.isArray(config.assumeRoles) ? config.assumeRoles : config.assumeRole ? [config.assumeRole] : [];
    const last = roles[roles.length - 1];
    const m = last && knownString(last.roleArn) ? /^arn:[^:]+:iam::(\d{12}):role\//.exec(last.roleArn) : null;
    return m ? m[1] : undefined;
}
const accountOf = (config) =>
    Array.isArray(config.allowedAccountIds) && knownString(config.allowedAccountIds[0])
        ? config.allowedAccountIds[0]
        : assumedAccount(config) ?? DEFAULT_ACCOUNT;

// Inputs whose change makes the real provider replace the resource (a few well-known ones).
const REPLACE_KEYS = {
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
    "aws:s3/bucketV2:BucketV2": ["bucket", "bucketPrefix"],
    "aws:iam/role:Role": ["name", "namePrefix", "path"],
    "aws:iam/policy:Policy": ["name", "namePrefix", "path", "description"],
    "aws:iam/rolePolicy:RolePolicy": ["name", "namePrefix", "role"],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
    "aws:lambda/function:Function": ["name"],
    "aws:dynamodb/table:Table": ["name"],
    "aws:sqs/queue:Queue": ["name", "namePrefix", "fifoQueue"],
    "aws:sns/topic:Topic": ["name", "namePrefix", "fifoTopic"],
    "aws:organizations/account:Account": ["email"],
};

/**
 * Types whose id is not the generic `sim-<hash>`: an organizations Account's id is its 12-digit
 * account id (deterministic from the logical name and email), which programs use to reach it.
 */
const IDS = {
    "aws:organizations/account:Account": (digest) => String(parseInt(digest.slice(0, 12), 16) % 1e12).padStart(12, "0").replace(/^0/, "9"),
};

// Resource kinds (the member part of the token) that take no tags, so provider
// default tags do not apply to them. Anything given `tags` explicitly is taggable.
const UNTAGGABLE = /(Attachment|Association)$|^(rolePolicy|userPolicy|groupPolicy|bucketPolicy|bucketPublicAccessBlock|bucketVersioning(V2)?|bucketAcl(V2)?|bucketOwnershipControls|bucketServerSideEncryptionConfiguration(V2)?|bucketLifecycleConfiguration(V2)?|bucketNotification|bucketLogging(V2)?|bucketCorsConfiguration(V2)?|bucketWebsiteConfiguration(V2)?|permission|record|route|securityGroupRule|accessKey|userLoginProfile|groupMembership|accountPasswordPolicy|accountPublicAccessBlock)$/;

/** tagsAll = provider defaultTags.tags merged with the resource's own tags. */
function check({ config, type }, inputs) {
    const defaultTags = config.defaultTags;
    const defaults = defaultTags && !isUnknown(defaultTags) ? defaultTags.tags : defaultTags;
    const hasDefaults = defaults !== undefined && defaults !== null && (isUnknown(defaults) || Object.keys(defaults).length > 0);
    if (!("tags" in inputs) && !(hasDefaults && !UNTAGGABLE.test(parseToken(type).member))) return {};
    if (isUnknown(inputs.tags) || isUnknown(defaults)) return { tagsAll: UNKNOWN };
    const merged = { ...(reveal(defaults) || {}), ...(reveal(inputs.tags) || {}) };
    return { tagsAll: containsSecret(inputs.tags) ? secret(merged) : merged };
}

/**
 * The input a type is auto-named by when the program gives none (`name`, or `bucket` for S3
 * buckets), as the real provider does: `<logical name>-<7 hex>`, deterministic here.
 */
function autonameKey(type) {
    const keys = REPLACE_KEYS[type] || [];
    return keys.includes("name") ? "name" : keys.includes("bucket") ? "bucket" : undefined;
}

/** arn:aws:<service>:<region>:<account>:<resource>/<name>, and the auto-name when none was given. */
function outputs({ config, type, name }, inputs) {
    const { module, member } = parseToken(type);
    const key = autonameKey(type);
    const given = reveal(inputs.name ?? inputs.bucket);
    const auto = key && inputs[key] === undefined && inputs[`${key}Prefix`] === undefined ? `${name}-${hash(type, name).slice(0, 7)}` : undefined;
    const resName = knownString(given) ? given : auto ?? name;
    return { arn: `arn:aws:${module}:${regionOf(config)}:${accountOf(config)}:${member}/${resName}`, ...(auto ? { [key]: auto } : {}) };
}

/** The aws:iam/getPolicyDocument data source: statements → IAM JSON, like the real one. */
function policyDocument(args) {
    const list = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
    // The real data source collapses one-element lists to a string and reverse-sorts the rest.
    const collapse = (xs) => (xs.length === 1 ? xs[0] : [...xs].sort().reverse());
    const principals = (ps) => {
        if (ps.some((p) => p.type === "*")) return "*";
        const byType = {};
        for (const p of ps) (byType[p.type] ??= []).push(...list(p.identifiers));
        return Object.fromEntries(Object.entries(byType).map(([t, ids]) => [t, collapse(ids)]));
    };
    const statement = (s) => {
        const out = {};
        if (s.sid) out.Sid = s.sid;
        out.Effect = s.effect || "Allow";
        const put = (key, v) => list(v).length && (out[key] = collapse(list(v)));
        put("Action", s.actions);
        put("NotAction", s.notActions);
        put("Resource", s.resources);
        put("NotResource", s.notResources);
        if (list(s.principals).length) out.Principal = principals(list(s.principals));
        if (list(s.notPrincipals).length) out.NotPrincipal = principals(list(s.notPrincipals));
        if (list(s.conditions).length) {
            const cond = {};
            for (const c of list(s.conditions)) {
                const prev = list(cond[c.test]?.[c.variable]);
                (cond[c.test] ??= {})[c.variable] = collapse([...prev, ...list(c.values)]);
            }
            out.Condition = cond;
        }
        return out;
    };
    // Source documents first; statements (then override documents) replace same-Sid statements.
    const statements = [];
    const merge = (st) => {
        const i = st.Sid ? statements.findIndex((x) => x.Sid === st.Sid) : -1;
        if (i >= 0) statements[i] = st;
        else statements.push(st);
    };
    for (const d of list(args.sourcePolicyDocuments)) statements.push(...list(JSON.parse(d).Statement));
    list(args.statements).map(statement).forEach(merge);
    for (const d of list(args.overridePolicyDocuments)) list(JSON.parse(d).Statement).forEach(merge);

    const doc = { Version: args.version || "2012-10-17" };
    if (args.policyId) doc.Id = args.policyId;
    doc.Statement = statements;
    const json = JSON.stringify(doc, null, 2);
    return { ...args, id: hash(json).slice(0, 10), json, minifiedJson: JSON.stringify(doc) };
}

const functions = {
    "aws:index/getCallerIdentity:getCallerIdentity": (_args, { config }) => {
        const account = accountOf(config);
        return {
            id: account,
            accountId: account,
            arn: `arn:aws:iam::${account}:user/agentguard-simulator`,
            userId: `AIDA${hash("user", account).slice(0, 17).toUpperCase()}`,
        };
    },
    "aws:index/getPartition:getPartition": () => ({
        id: "aws",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:index/getRegion:getRegion": (args, { config }) => {
        const region = args.region || args.name || regionOf(config);
        return { id: region, name: region, region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
    },
    "aws:iam/getPolicyDocument:getPolicyDocument": (args) => policyDocument(args),
};

function main(args) {
    return core.serve(
        {
            pkg: "aws",
            version: VERSION,
            id: (type, digest) => (IDS[type] ? IDS[type](digest) : undefined),
            check,
            outputs,
            computedKeys: ["id", "arn", "name", "bucket"],
            replaceKeys: (type) => REPLACE_KEYS[type] || [],
            functions,
        },
        args,
    );
}

module.exports = { main, check, outputs, policyDocument, functions, accountOf, IDS };
