import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const E2E = ["test/e2e/**/*.test.ts", "test/cli/set-config.test.ts"];
const PROCESSES = ["test/pack/**/*.test.ts", "test/simulators/**/*.test.ts", "test/report/**/*.test.ts"];

export default defineConfig({
    test: {
        testTimeout: 20_000,
        hookTimeout: 600_000,
        pool: "forks",
        // Test files wait on child processes (the pulumi CLI, its plugins, the program, Chromium)
        // as much as they compute: at least two at a time, even on two cores (vitest's default
        // there is one), which halves the e2e suite's time.
        maxWorkers: Math.max(2, availableParallelism() - 1),
        projects: [
            // Plain functions, milliseconds each: `npm run test:unit`.
            { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...E2E, ...PROCESSES] } },
            // The pack and the simulators as processes over gRPC, and headless Chromium, without the pulumi CLI.
            { extends: true, test: { name: "protocol", include: PROCESSES, testTimeout: 120_000 } },
            // The real pulumi CLI (provisioned once by the global setup; missing is a failure). A
            // preview takes seconds, many more on a loaded machine: speed is for the benchmarks.
            { extends: true, test: { name: "e2e", include: E2E, globalSetup: ["test/e2e/global-setup.ts"], testTimeout: 300_000 } },
        ],
    },
});
