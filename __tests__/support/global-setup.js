// Once before the test run:
// - the synth's type check (scripts/synth.mjs --check-types). Its pass is remembered by the sources' content in
//   node_modules/.cache, which the tests' project copies share, so their synths skip tsc instead of each running it;
// - a folder where each variant of the app is synthesized once for all test files (support/stacks.ts), removed by
//   global-teardown.js. Test workers start after this and inherit the variable.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = function globalSetup() {
  const root = path.resolve(__dirname, "..", "..");
  execFileSync(process.execPath, [path.join(root, "scripts", "synth.mjs"), "--check-types"], { cwd: root, stdio: "inherit" });
  process.env.MLFLOW_TEST_SYNTH_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-aks-test-synth-"));
};
