/**
 * Money and number formatting, for denials, the cost command and the estimator's basis texts.
 */

// One formatter per style, built once: toLocaleString builds a new one on every call, which
// showed up in the per-resource cost of the pack (docs/performance.md).
const CENTS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const WHOLE = new Intl.NumberFormat("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 0 });
const UP_TO_4 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

/** `$1,234.56`. */
export function money(n: number): string {
    return `$${CENTS.format(n)}`;
}

/** `$23,922` (≥ 100) or `$0.85`: how denials show dollar amounts. */
export function dollars(n: number): string {
    return `$${(n >= 100 ? WHOLE : CENTS).format(n)}`;
}

/** A unit rate as listed: `$0.096`, `$0.0045`, `$3,000`. */
export function rate(n: number): string {
    if (n >= 1000) {
        return `$${UP_TO_4.format(n)}`;
    }
    return `$${Number(n.toPrecision(8))}`;
}

/** `3`, `1.5`, `10,000`. */
export function num(n: number): string {
    return UP_TO_4.format(n);
}
