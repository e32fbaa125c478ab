// Transpile-only (swc): type checking is `npm run typecheck`, a separate step.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
  // Synthesizing AKS stacks is CPU-heavy; two workers fit the 2-core machines.
  maxWorkers: 2,
  testTimeout: 120000,
};
