/**
 * Denials tell approvers a command to paste, and parts of it (URNs, package names) come from the
 * agent's program. Every such part is quoted for a POSIX shell so nothing in it can run.
 * @internal
 */

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `s` as one shell word: unchanged when plain, else single-quoted with embedded quotes escaped. */
export function shellArg(s: string): string {
    return PLAIN.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
