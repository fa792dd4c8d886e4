import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // One copy of graphql: without this, vite loads both the ESM and CJS builds and
    // type-graphql's custom scalars fail with "Cannot determine GraphQL output type".
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files share one database; each file uses its own data (fresh cases) so they may run in parallel.
    fileParallelism: true,
    pool: "forks",
  },
});
