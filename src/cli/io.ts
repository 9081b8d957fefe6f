/**
 * What commands write to, so tests can capture it.
 */

/** Output streams of a command. */
export interface Io {
    stdout(s: string): void;
    stderr(s: string): void;
}

/** A mistake in how a command was called; printed as one sentence, exit code 2. */
export class UsageError extends Error {
    override readonly name = "UsageError";
}

/** The process's own streams. */
export const processIo: Io = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
};

/** Why a file could not be read, in words. */
export function unreadable(e: unknown): string {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a directory, not a file" : code === "EACCES" ? "is not readable by you" : `cannot be read (${code ?? String(e)})`;
}
