import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        globalSetup: ["test/e2e/global-setup.ts"],
        // Real-pulumi e2e cases take 10–40 s each on a loaded 2-core machine; a timeout is not a speed test (bench/ is).
        testTimeout: 180_000,
        hookTimeout: 600_000,
        pool: "forks",
    },
});
