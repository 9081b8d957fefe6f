/**
 * The workspaces one e2e test file creates (temporary directories with a local backend and
 * private keys), each removed once the file's tests have run.
 */
import { afterAll } from "vitest";
import { Workspace } from "./pulumi";

/** A list to push this file's workspaces to; they are removed after the file's tests. */
export function workspacesOfFile(): Workspace[] {
    const list: Workspace[] = [];
    afterAll(() => {
        for (const ws of list.splice(0)) {
            ws.cleanup();
        }
    });
    return list;
}
