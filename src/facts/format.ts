/**
 * Money and number formatting, for denials, the cost command and the estimator's basis texts; and
 * the one rule for showing text the agent's program chose.
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

/**
 * Characters that can rewrite a terminal line, reorder what a reader sees, or hide text from a
 * human reader while a machine still reads it: controls, bidi, invisible formatting, fillers,
 * variation selectors, Unicode tags and lone surrogates.
 */
export const UNSAFE_TEXT =
    /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}\ud800-\udfff]/gu;

/**
 * `s` as one line whose every character is seen: each {@link UNSAFE_TEXT} character as a visible
 * `\u{…}` escape (the closing brace ends it, so a short word after it still stands alone).
 * Denials quote resource names and inputs the agent's program chose; a newline in one would forge
 * a line of the denial, an escape sequence erase one. Backslashes stay as they are: the shell
 * quoting of the commands in a denial uses them.
 */
export function printable(s: string): string {
    return s.replace(UNSAFE_TEXT, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
