/**
 * Gate `environment`: changes to production or staging need approval (how many: table.ts).
 *
 * The environment of a resource is the highest of: the stack name (globs, unlistedStacks, name
 * tokens); stack config `agentguard:environment` and stack tag `environment` (both can only
 * raise); the AWS account of its provider (`allowedAccountIds` or an assumed role's ARN) in
 * `productionAwsAccountIds`; its Cloudflare account/zone ids (`accountId`, `account.id`, `zoneId`,
 * `zone.id`, … at any depth) in the production lists; its Route 53 hosted zone in
 * `productionAwsHostedZoneIds`; its `Environment`/`environment`/`env` tag. An agent's run on a
 * production or staging stack also raises one stack-level item, even with no resources.
 * A value that is unknown at preview counts as production whenever it could decide that — and so
 * does an AWS provider that names no account at all once `productionAwsAccountIds` is configured,
 * since its account then comes from credentials the gate cannot see.
 */
import { GateConfig } from "./config";
import { ProviderFacts, ResourceFacts, RunFacts, StackRef, Value, isUnknown, packageOfType, stackSubject } from "../facts/facts";
import { anyGlob } from "./glob";
import { EnvironmentLevel, GateItem } from "./items";
import { asObject, asString, decodeJsonish, field } from "../facts/values";
import { accountClues } from "../facts/aws-account";
import { levelOfLabel, nameTokens } from "../facts/environments";

export type { EnvironmentLevel };

const RANK: Record<EnvironmentLevel, number> = { development: 0, staging: 1, production: 2 };

/** The stack config key that can raise the environment. */
export const ENVIRONMENT_CONFIG_KEY = "agentguard:environment";


/** A level with the reasons that put it there. */
export interface EnvironmentFinding {
    readonly level: EnvironmentLevel;
    readonly reasons: readonly string[];
}

class Finder {
    level: EnvironmentLevel = "development";
    reasons: string[] = [];
    raise(level: EnvironmentLevel, reason: string): void {
        if (RANK[level] > RANK[this.level]) {
            this.level = level;
            this.reasons = [reason];
        } else if (level !== "development" && level === this.level) {
            this.reasons.push(reason);
        }
    }
}


/**
 * The environment the stack itself is in; same for every resource. The highest of: the three
 * name glob lists (a name matching none of them is `unlistedStacks`), the name's tokens (a token
 * `prod`, `live`, … is production however the name is spelled around it), and stack config
 * `agentguard:environment` and stack tag `environment`, which can only raise.
 */
export function stackEnvironment(run: RunFacts, config: GateConfig): EnvironmentFinding {
    const f = new Finder();
    const name = run.stack.stack;
    const lists: [EnvironmentLevel, string, readonly string[]][] = [
        ["production", "productionStacks", config.productionStacks],
        ["staging", "stagingStacks", config.stagingStacks],
        ["development", "developmentStacks", config.developmentStacks],
    ];
    let listed = false;
    for (const [level, key, globs] of lists) {
        if (anyGlob(globs, name)) {
            listed = true;
            f.raise(level, `stack "${name}" matches ${key}`);
        }
    }
    if (!listed) {
        f.raise(config.unlistedStacks, `stack "${name}" matches none of productionStacks, stagingStacks, developmentStacks (unlistedStacks is "${config.unlistedStacks}")`);
    }
    for (const token of new Set(nameTokens(name))) {
        const l = levelOfLabel(token);
        if (l) {
            f.raise(l, `stack "${name}" has the name token "${token}"`);
        }
    }
    const fromConfig = run.stackConfig[ENVIRONMENT_CONFIG_KEY];
    if (fromConfig !== undefined) {
        const l = levelOfLabel(fromConfig);
        if (l) {
            f.raise(l, `stack config "${ENVIRONMENT_CONFIG_KEY}" is "${fromConfig}"`);
        }
    }
    for (const [k, v] of Object.entries(run.stackTags)) {
        if (k.toLowerCase() === "environment") {
            const l = levelOfLabel(v);
            if (l) {
                f.raise(l, `stack tag "${k}" is "${v}"`);
            }
        }
    }
    return { level: f.level, reasons: f.reasons };
}

function awsProviderAccounts(f: Finder, provider: ProviderFacts, config: GateConfig): void {
    if (config.productionAwsAccountIds.length === 0) {
        return;
    }
    const prod = new Set(config.productionAwsAccountIds);
    const where = `AWS provider "${provider.name}"`;
    const clues = accountClues(provider);
    for (const c of clues) {
        if (c.kind === "unreadable") {
            f.raise("production", `${where} ${c.why}`);
        } else if (prod.has(c.account)) {
            f.raise("production", c.kind === "allowed" ? `${where} targets production AWS account "${c.account}"` : `${where} assumes role "${c.arn}" in production AWS account "${c.account}"`);
        }
    }
    if (clues.length === 0) {
        // The account then comes from ambient credentials the gate cannot see: fail closed.
        f.raise("production", `${where} names no AWS account (set allowedAccountIds or assumeRole so the gate can tell it is not production)`);
    }
}

/** Keys whose value is a Cloudflare account or zone id, at any depth of a resource's inputs. */
const CLOUDFLARE_ID_KEYS: Readonly<Record<string, "account" | "zone">> = { accountId: "account", accountTag: "account", zoneId: "zone", zoneTag: "zone" };
/** Keys whose value is an object naming an account or zone by `id` (v6: `account.id`, `zone.id`). */
const CLOUDFLARE_REF_KEYS: Readonly<Record<string, "account" | "zone">> = { account: "account", zone: "zone" };
const MAX_DEPTH = 32;

/**
 * Cloudflare account and zone ids wherever the provider version puts them: `accountId`/`zoneId`
 * (v5 and most v6 types), `account.id`/`zone.id` (v6 `Zone`), `accountTag`/`zoneTag`, also nested
 * inside blocks and JSON-encoded values. An unknown id (or an unknown `account`/`zone` object)
 * counts as production.
 */
function cloudflareIds(f: Finder, r: ResourceFacts, config: GateConfig): void {
    const lists = { account: config.productionCloudflareAccountIds, zone: config.productionCloudflareZoneIds };
    if (lists.account.length === 0 && lists.zone.length === 0) {
        return;
    }
    const check = (v: Value | undefined, kind: "account" | "zone", where: string) => {
        if (lists[kind].length === 0) {
            return;
        }
        const s = asString(v);
        if (isUnknown(s)) {
            f.raise("production", `its Cloudflare ${where} is unknown at preview`);
        } else if (s !== undefined && lists[kind].includes(s)) {
            f.raise("production", `its Cloudflare ${where} "${s}" is production`);
        }
    };
    const walk = (v: Value | undefined, at: string, depth: number): void => {
        const d = decodeJsonish(v);
        if (depth > MAX_DEPTH || d === undefined || d === null || typeof d !== "object" || isUnknown(d)) {
            return;
        }
        const entries: [string, Value][] = Array.isArray(d) ? d.map((x, i) => [`[${i}]`, x]) : Object.entries(d);
        for (const [k, x] of entries) {
            const where = Array.isArray(d) ? `${at}${k}` : at === "" ? k : `${at}.${k}`;
            if (!Array.isArray(d) && Object.prototype.hasOwnProperty.call(CLOUDFLARE_ID_KEYS, k)) {
                check(x, CLOUDFLARE_ID_KEYS[k], where);
            } else if (!Array.isArray(d) && Object.prototype.hasOwnProperty.call(CLOUDFLARE_REF_KEYS, k)) {
                const ref = asObject(x);
                check(isUnknown(ref) ? ref : field(ref, "id"), CLOUDFLARE_REF_KEYS[k], `${where}.id`);
            }
            walk(x, where, depth + 1);
        }
    };
    walk(r.props, "", 0);
}

/** `/hostedzone/Z123` and `Z123` name the same hosted zone. */
function hostedZoneId(id: string): string {
    return id.trim().replace(/^\/?hostedzone\//i, "");
}

/**
 * Route 53: a record (or any AWS type naming a hosted zone by `zoneId`/`hostedZoneId`) on a
 * zone in `productionAwsHostedZoneIds` is production, whatever stack writes it.
 */
function awsHostedZones(f: Finder, r: ResourceFacts, config: GateConfig): void {
    if (config.productionAwsHostedZoneIds.length === 0) {
        return;
    }
    const prod = new Set(config.productionAwsHostedZoneIds.map(hostedZoneId));
    for (const key of ["zoneId", "hostedZoneId"]) {
        const v = asString(field(r.props, key));
        if (isUnknown(v)) {
            f.raise("production", `its Route 53 hosted zone (${key}) is unknown at preview`);
        } else if (v !== undefined && prod.has(hostedZoneId(v))) {
            f.raise("production", `its Route 53 hosted zone "${hostedZoneId(v)}" is production`);
        }
    }
}

const ENV_TAG_KEYS = new Set(["Environment", "environment", "env"]);

function tagsOf(f: Finder, tags: Value | undefined, where: string): void {
    const obj = asObject(tags);
    if (isUnknown(obj)) {
        f.raise("production", `its ${where} are unknown at preview`);
        return;
    }
    for (const [k, v] of Object.entries(obj ?? {})) {
        if (!ENV_TAG_KEYS.has(k)) {
            continue;
        }
        const s = asString(v);
        if (isUnknown(s)) {
            f.raise("production", `its ${where} "${k}" is unknown at preview`);
        } else if (s !== undefined) {
            const l = levelOfLabel(s);
            if (l) {
                f.raise(l, `its ${where} "${k}" is "${s}"`);
            }
        }
    }
}

function resourceTags(f: Finder, r: ResourceFacts): void {
    const all = field(r.props, "tagsAll");
    if (all !== undefined && !isUnknown(all)) {
        tagsOf(f, all, "tag");
        return;
    }
    // tagsAll is computed by the provider; when it is missing or unknown, read its parts.
    tagsOf(f, field(r.props, "tags"), "tag");
    if (r.provider) {
        const defaults = asObject(field(r.provider.props, "defaultTags"));
        tagsOf(f, isUnknown(defaults) ? defaults : field(defaults, "tags"), "provider default tag");
    }
}

/** The environment of one resource, given the stack's own. */
export function resourceEnvironment(r: ResourceFacts, stackEnv: EnvironmentFinding, config: GateConfig): EnvironmentFinding {
    const f = new Finder();
    f.level = stackEnv.level;
    f.reasons = [...stackEnv.reasons];
    const provider = r.kind === "provider" ? { urn: r.urn, type: r.type, name: r.name, props: r.props } : r.provider;
    if (provider && packageOfType(provider.type) === "aws") {
        awsProviderAccounts(f, provider, config);
    }
    if (r.kind === "custom") {
        if (packageOfType(r.type) === "cloudflare") {
            cloudflareIds(f, r, config);
        }
        if (packageOfType(r.type) === "aws") {
            awsHostedZones(f, r, config);
        }
        resourceTags(f, r);
    }
    return { level: f.level, reasons: f.reasons };
}

/** Raises the environment item of a custom resource, if its environment is gated. */
export function detectEnvironment(r: ResourceFacts, agent: string, stackEnv: EnvironmentFinding, config: GateConfig): GateItem[] {
    if (r.kind !== "custom") {
        return [];
    }
    const env = resourceEnvironment(r, stackEnv, config);
    if (env.level === "development") {
        return [];
    }
    return [
        {
            level: "resource",
            resource: r.urn,
            need: { gate: "environment", environment: env.level },
            observed: `agent "${agent}" declares "${r.urn}" in ${env.level} (${env.reasons.join("; ")})`,
        },
    ];
}

/**
 * Raises the stack-level environment item of an agent's run on a production or staging stack:
 * present even when the program declares no resource, since a run that declares fewer resources
 * deletes the rest.
 */
export function detectEnvironmentStack(stack: StackRef, agent: string, stackEnv: EnvironmentFinding): GateItem[] {
    if (stackEnv.level === "development") {
        return [];
    }
    return [
        {
            level: "stack",
            need: { gate: "environment", environment: stackEnv.level },
            observed: `agent "${agent}" would change stack "${stackSubject(stack)}" in ${stackEnv.level} (${stackEnv.reasons.join("; ")})`,
        },
    ];
}
