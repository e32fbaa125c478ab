import { App } from "cdktf";
import { ConfigValidationError, loadConfig } from "./config";
import { CHART_PATH, chartDigest } from "./config/chart-source";
import { buildStacks } from "./stacks/build-app";

// Composition root: validate every environment first, then build its stacks.
// The only place besides config/ that reads the process environment.
function main(): void {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\nNothing was synthesized.\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = new App();
  buildStacks(app, config, { path: CHART_PATH, digest: chartDigest(__dirname) });
  app.synth();
}

main();
