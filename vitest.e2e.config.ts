import { defineConfig } from "vitest/config";

/** Browser tests (`npm run test:e2e`): need Debian's chromium (/usr/bin/chromium or CHROMIUM_PATH). */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    include: ["test/e2e/**/*.e2e.ts"],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    pool: "forks",
  },
});
