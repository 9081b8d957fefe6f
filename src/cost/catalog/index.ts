/**
 * The reviewed type table: one row per exact type token of @pulumi/aws, @pulumi/cloudflare and
 * random, split by family. The pack, `agentguard cost` and the access gate all read this map; a
 * type with no row is an unknown price (fail closed).
 * @internal
 */
import { ROWS as AWS_COMPUTE } from "./aws-compute";
import { ROWS as AWS_DATABASE } from "./aws-database";
import { ROWS as AWS_IDENTITY } from "./aws-identity";
import { ROWS as AWS_NETWORK } from "./aws-network";
import { ROWS as AWS_SERVICES } from "./aws-services";
import { ROWS as AWS_STORAGE } from "./aws-storage";
import { ROWS as CLOUDFLARE } from "./cloudflare";
import { ROWS as OTHER } from "./other";
import { CatalogRow, Rows } from "./row";

export { CatalogRow, CostClass, JudgeId, Rows } from "./row";

/** The family files, by name (docs and tests list them). */
export const FAMILIES: { readonly [family: string]: Rows } = {
    "aws-compute": AWS_COMPUTE,
    "aws-database": AWS_DATABASE,
    "aws-identity": AWS_IDENTITY,
    "aws-network": AWS_NETWORK,
    "aws-services": AWS_SERVICES,
    "aws-storage": AWS_STORAGE,
    cloudflare: CLOUDFLARE,
    other: OTHER,
};

/** Builds the lookup map; throws when a type has rows in two families (a test proves none does). */
export function buildTable(families: { readonly [family: string]: Rows }): ReadonlyMap<string, CatalogRow> {
    const table = new Map<string, CatalogRow>();
    for (const [family, rows] of Object.entries(families)) {
        for (const [type, row] of Object.entries(rows)) {
            if (table.has(type)) {
                throw new Error(`type table: "${type}" has a row in two families (second: ${family})`);
            }
            table.set(type, row);
        }
    }
    return table;
}

/** The table: exact type token → row. */
export const TYPE_TABLE: ReadonlyMap<string, CatalogRow> = buildTable(FAMILIES);

/** The row of `type`, or undefined when the table has none (an unknown price). */
export function rowOf(type: string): CatalogRow | undefined {
    return TYPE_TABLE.get(type);
}
