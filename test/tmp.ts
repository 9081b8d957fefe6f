/**
 * Temporary directories for tests, removed when the test file ends: some hold private keys.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";

const made: string[] = [];

/** A new empty directory under the system's temporary directory, deleted after this file's tests. */
export function tempDir(prefix: string): string {
    const d = mkdtempSync(path.join(tmpdir(), prefix));
    made.push(d);
    return d;
}

afterAll(() => {
    for (const d of made.splice(0)) {
        rmSync(d, { recursive: true, force: true });
    }
});
