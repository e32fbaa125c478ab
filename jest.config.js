// Transpile-only (swc): type checking is `npm run typecheck`, a separate step.
//
// Two projects: "unit" tests the TypeScript alone (config, stacks, synthesized JSON) and is the inner loop;
// "integration" runs real tools (helm, kubeconform, terraform, subprocess synths, the values script) against it, and holds the
// generative hostile-input tests (thousands of cases each, plus synths of what they accept): not the inner loop.
const integrationTests = [
  "/__tests__/config/hostile-config\\.test\\.ts$",
  "/__tests__/chart/[^/]+\\.test\\.ts$",
  "/__tests__/contract/[^/]+\\.test\\.ts$",
  "/__tests__/app/(synth|lint|tools)[^/]*\\.test\\.ts$",
  "/__tests__/mlflow/values-file\\.test\\.ts$",
  "/__tests__/security/(bad-input|secrets|data-safety)\\.test\\.ts$",
  "/__tests__/platform/deploy-guard\\.test\\.ts$",
];

// Suites with their own runner (a control plane, private network namespaces, pytest): npm run test:cluster, test:signin, test:e2e.
const ownRunners = ["/__tests__/(cluster|signin|e2e)/"];

const common = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["**/*.test.ts"], testPathIgnorePatterns: [...integrationTests, ...ownRunners] },
    { ...common, displayName: "integration", testRegex: integrationTests },
  ],
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
  globalSetup: "<rootDir>/__tests__/support/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.js",
  // Synthesizing AKS stacks is CPU-heavy; two workers fit the 2-core machines.
  maxWorkers: 2,
  testTimeout: 120000,
};
