/**
 * The price snapshot shipped beside this file (`snapshot.json`, built by
 * `scripts/prices-update.ts` from public data with its provenance) and an index over it.
 * @internal
 */

/** Where a group of prices came from. */
export interface SnapshotSource {
    readonly title: string;
    readonly origin: string;
    readonly licence: string;
    /** Date of the data (YYYY-MM-DD). */
    readonly date: string;
    readonly url?: string;
    readonly note?: string;
}

/** One region of a table: prices aligned with the table's keys, all from `source`, plus a few from others. */
export interface SnapshotRegion {
    readonly source: string;
    readonly prices: readonly (number | null)[];
    readonly extra?: { readonly [source: string]: { readonly [key: string]: number } };
}

/** A price table: e.g. EC2 instance types → USD per hour, per region. */
export interface SnapshotTable {
    readonly title: string;
    readonly unit: string;
    readonly keys: readonly string[];
    readonly regions: { readonly [region: string]: SnapshotRegion };
    /** Remarks on single keys (e.g. a TLD that takes no new registrations). */
    readonly notes?: { readonly [key: string]: string };
}

/** The snapshot file. */
export interface SnapshotData {
    readonly schema: 1;
    readonly generated: { readonly by: string; readonly date: string };
    readonly hoursPerMonth: number;
    readonly defaultRegion: string;
    readonly sources: { readonly [id: string]: SnapshotSource };
    readonly tables: { readonly [id: string]: SnapshotTable };
}

/** Table of prices that are not regional. */
export const GLOBAL_REGION = "global";

/** One price with its provenance. */
export interface Price {
    readonly usd: number;
    /** The region whose price this is (`global` for non-regional tables). */
    readonly region: string;
    readonly sourceId: string;
    readonly source: SnapshotSource;
    readonly note?: string;
}

interface Entry {
    readonly usd: number;
    readonly sourceId: string;
}

const NO_SOURCE: SnapshotSource = { title: "unknown source", origin: "", licence: "", date: "" };

/** Looks prices up by table, region and key; indexes each table region on first use. */
export class PriceBook {
    private readonly index = new Map<string, Map<string, Entry>>();

    constructor(readonly data: SnapshotData) {}

    /** The exact price of `key` in `region` (or the table's `global` prices), if the snapshot has one. */
    get(tableId: string, region: string, key: string): Price | undefined {
        const table = Object.prototype.hasOwnProperty.call(this.data.tables, tableId) ? this.data.tables[tableId] : undefined;
        if (!table) {
            return undefined;
        }
        for (const r of [region, GLOBAL_REGION]) {
            const entry = this.region(tableId, table, r)?.get(key);
            if (entry) {
                return {
                    usd: entry.usd,
                    region: r,
                    sourceId: entry.sourceId,
                    source: this.data.sources[entry.sourceId] ?? NO_SOURCE,
                    note: table.notes && Object.prototype.hasOwnProperty.call(table.notes, key) ? table.notes[key] : undefined,
                };
            }
        }
        return undefined;
    }

    /** True when the table has any price for `region`. */
    hasRegion(tableId: string, region: string): boolean {
        const table = this.data.tables[tableId];
        return !!table && Object.prototype.hasOwnProperty.call(table.regions, region);
    }

    private region(tableId: string, table: SnapshotTable, region: string): Map<string, Entry> | undefined {
        if (!Object.prototype.hasOwnProperty.call(table.regions, region)) {
            return undefined;
        }
        const id = `${tableId}\u0000${region}`;
        let m = this.index.get(id);
        if (!m) {
            m = new Map();
            const block = table.regions[region];
            const prices = Array.isArray(block.prices) ? block.prices : [];
            for (let i = 0; i < prices.length && i < table.keys.length; i++) {
                const p = prices[i];
                if (typeof p === "number" && Number.isFinite(p)) {
                    m.set(table.keys[i], { usd: p, sourceId: block.source });
                }
            }
            for (const [sourceId, extra] of Object.entries(block.extra ?? {})) {
                for (const [k, usd] of Object.entries(extra)) {
                    if (typeof usd === "number" && Number.isFinite(usd)) {
                        m.set(k, { usd, sourceId });
                    }
                }
            }
            this.index.set(id, m);
        }
        return m;
    }
}

let shipped: PriceBook | undefined;

/** The snapshot that ships with the package, loaded once on first use. */
export function shippedPriceBook(): PriceBook {
    if (!shipped) {
        // Loaded lazily: the policy pack imports this module for every run, but only a resource
        // that needs a price pays for parsing the file. tsc copies the JSON into dist/.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        shipped = new PriceBook(require("./snapshot.json") as SnapshotData);
    }
    return shipped;
}
