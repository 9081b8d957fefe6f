/**
 * Case-insensitive globs for stack names: `*` matches any run of characters, `?` one character.
 * @internal
 */
export function globMatch(pattern: string, name: string): boolean {
    let re = "^";
    for (const ch of pattern.toLowerCase()) {
        re += ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    return new RegExp(re + "$", "s").test(name.toLowerCase());
}

/** True when any of `patterns` matches `name`. */
export function anyGlob(patterns: readonly string[], name: string): boolean {
    return patterns.some((p) => globMatch(p, name));
}
