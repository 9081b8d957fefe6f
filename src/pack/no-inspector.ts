/**
 * Keeps Node's inspector shut. Node opens its debugger on 127.0.0.1:9229 when the process
 * receives SIGUSR1, and any process of the same user may send that signal — the agent's
 * program included, which could then run code inside the pack and answer the engine itself.
 * A listener of our own replaces Node's: the signal is ignored. Imported first by both entries,
 * so it is in place before the pack serves anything (the engine starts the program only after
 * the pack is configured). Node 22.14+ also has `--disable-sigusr1`; this works on Node 20.
 * @internal
 */
process.on("SIGUSR1", () => undefined);

export {};
