import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        globalSetup: ["test/e2e/global-setup.ts"],
        testTimeout: 20_000,
        hookTimeout: 600_000,
        pool: "forks",
    },
});
