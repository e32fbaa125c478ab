// Once before the test run: the synth's type check (scripts/synth.mjs --check-types). Its pass is remembered by the
// sources' content in node_modules/.cache, which the tests' project copies share, so their synths skip tsc instead
// of each running it at once.
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = function checkSynthTypes() {
  const root = path.resolve(__dirname, "..", "..");
  execFileSync(process.execPath, [path.join(root, "scripts", "synth.mjs"), "--check-types"], { cwd: root, stdio: "inherit" });
};
