/**
 * The cost rules, by exact type token, from the family files. A rule is data (./rule.ts) that
 * the one pricer (src/cost/pricer.ts) evaluates; every `priced` row of the type table
 * (src/cost/catalog) has exactly one rule (test/cost/catalog.test.ts).
 * @internal
 */
import { COMPUTE } from "./compute";
import { DATABASE } from "./database";
import { CLOUDFLARE } from "./cloudflare";
import { FIXED_RATES } from "./fixed";
import { NETWORK } from "./network";
import { PURCHASES } from "./purchases";
import { Rule, Rules } from "./rule";
import { STORAGE } from "./storage";

export { LinkedResourceFacts } from "./readers";
export { Rule, Rules } from "./rule";

/** The family files, by name (docs and tests list them). */
export const RULE_FAMILIES: { readonly [family: string]: Rules } = {
    compute: COMPUTE,
    storage: STORAGE,
    database: DATABASE,
    network: NETWORK,
    fixed: FIXED_RATES,
    purchases: PURCHASES,
    cloudflare: CLOUDFLARE,
};

function merge(families: { readonly [family: string]: Rules }): Rules {
    const all: { [type: string]: Rule } = {};
    for (const [family, rules] of Object.entries(families)) {
        for (const [type, rule] of Object.entries(rules)) {
            if (Object.prototype.hasOwnProperty.call(all, type)) {
                throw new Error(`cost rules: "${type}" has a rule in two families (second: ${family})`);
            }
            all[type] = rule;
        }
    }
    return all;
}

/** Rules by exact type token. */
export const RULES: Rules = merge(RULE_FAMILIES);
