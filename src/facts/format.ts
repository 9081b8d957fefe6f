/**
 * Money and number formatting, for denials, the cost command and the estimator's basis texts.
 */

// One formatter per style, built on first use: toLocaleString builds a new one on every call,
// which showed up in the per-resource cost of the pack, and building the first loads ICU's data
// (~9 ms), which the pack's start-up need not pay (docs/performance.md).
const STYLES = {
    cents: { minimumFractionDigits: 2, maximumFractionDigits: 2 },
    whole: { minimumFractionDigits: 0, maximumFractionDigits: 0 },
    upTo4: { maximumFractionDigits: 4 },
} as const;
const built: { -readonly [K in keyof typeof STYLES]?: Intl.NumberFormat } = {};

/** `n` in one of the styles (`cents`: `1,234.50`; `whole`: `1,235`; `upTo4`). */
export function format(style: keyof typeof STYLES, n: number): string {
    return (built[style] ??= new Intl.NumberFormat("en-US", STYLES[style])).format(n);
}

/** `$1,234.56`. */
export function money(n: number): string {
    return `$${format("cents", n)}`;
}

/** `$23,922` (≥ 100) or `$0.85`: how denials show dollar amounts. */
export function dollars(n: number): string {
    return `$${format(n >= 100 ? "whole" : "cents", n)}`;
}

/** A unit rate as listed: `$0.096`, `$0.0045`, `$3,000`. */
export function rate(n: number): string {
    if (n >= 1000) {
        return `$${format("upTo4", n)}`;
    }
    return `$${Number(n.toPrecision(8))}`;
}

/** `3`, `1.5`, `10,000`. */
export function num(n: number): string {
    return format("upTo4", n);
}
