// Offline simulator for the `cloudflare` provider (see ../README.md).
"use strict";

const core = require("./core");
const { secret, hash, parseToken } = core;

const VERSION = "6.22.1"; // the @pulumi/cloudflare SDK this repository ships with
const ZONE = "com.cloudflare.api.account.zone";
const ACCOUNT = "com.cloudflare.api.account";
const USER = "com.cloudflare.api.user";

// A fixed catalogue of API token permission groups with deterministic ids.
const PERMISSION_GROUPS = [
    ["Zone Read", ZONE], ["Zone Write", ZONE], ["DNS Read", ZONE], ["DNS Write", ZONE],
    ["Zone Settings Read", ZONE], ["Zone Settings Write", ZONE], ["Cache Purge", ZONE],
    ["SSL and Certificates Write", ZONE], ["Page Rules Write", ZONE], ["Firewall Services Write", ZONE],
    ["Account Settings Read", ACCOUNT], ["Account Settings Write", ACCOUNT],
    ["Billing Read", ACCOUNT], ["Billing Write", ACCOUNT], ["Registrar Domains Write", ACCOUNT],
    ["Account API Tokens Read", ACCOUNT], ["Account API Tokens Write", ACCOUNT],
    ["Account Members Read", ACCOUNT], ["Account Members Write", ACCOUNT],
    ["Workers Scripts Read", ACCOUNT], ["Workers Scripts Write", ACCOUNT], ["Workers KV Storage Write", ACCOUNT],
    ["Cloudflare Pages Read", ACCOUNT], ["Cloudflare Pages Write", ACCOUNT],
    ["R2 Storage Read", ACCOUNT], ["R2 Storage Write", ACCOUNT],
    ["Access: Apps and Policies Write", ACCOUNT], ["Logs Read", ACCOUNT],
    ["User Details Read", USER], ["API Tokens Write", USER],
].map(([name, scope]) => ({ id: hash("permission-group", name).slice(0, 32), name, scopes: [scope] }));

const DEFAULT_ACCOUNT_ID = hash("account").slice(0, 32);

function permissionGroups(args) {
    const results = PERMISSION_GROUPS.filter(
        (g) => (!args.name || g.name === args.name) && (!args.scope || g.scopes.includes(args.scope)),
    );
    return { ...args, results };
}

const functions = {
    "cloudflare:index/getApiTokenPermissionGroupsList:getApiTokenPermissionGroupsList": permissionGroups,
    "cloudflare:index/getAccountApiTokenPermissionGroupsList:getAccountApiTokenPermissionGroupsList": permissionGroups,
    // v4 takes `name`/`accountId`, v5+ takes `filter: { name, account: { id } }` or `zoneId`.
    "cloudflare:index/getZone:getZone": (args, { config }) => {
        const name = args.name ?? args.filter?.name ?? null;
        if (!name && !args.zoneId) throw new Error("cloudflare simulator: getZone needs a name or a zoneId");
        const zoneId = args.zoneId || hash("zone", name).slice(0, 32);
        const accountId = args.accountId || args.filter?.account?.id || config.accountId || DEFAULT_ACCOUNT_ID;
        return {
            ...args,
            id: zoneId,
            zoneId,
            name,
            accountId,
            account: { id: accountId },
            status: "active",
            paused: false,
            type: "full",
            nameServers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
        };
    },
};

/** API tokens get a fake (secret) token `value`, like the real provider. */
function outputs({ type, name }, _inputs, id) {
    return /Token$/.test(parseToken(type).kind) ? { value: secret(`sim-cf-token-${hash(type, name, id).slice(0, 40)}`) } : {};
}

function main(args) {
    return core.serve(
        {
            pkg: "cloudflare",
            version: VERSION,
            outputs,
            computedKeys: ["id", "value"],
            // Almost every cloudflare resource is replaced when its zone or account changes.
            replaceKeys: () => ["zoneId", "accountId"],
            functions,
        },
        args,
    );
}

module.exports = { main, outputs, functions, PERMISSION_GROUPS };
