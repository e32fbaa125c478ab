// Removes the shared synth folder that global-setup.js made.
const fs = require("node:fs");

module.exports = function globalTeardown() {
  const dir = process.env.MLFLOW_TEST_SYNTH_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
