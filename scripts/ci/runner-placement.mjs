#!/usr/bin/env node
// Checks where every job of the workflows runs (docs/ci.md, "Where jobs run"):
//   - a job that plans or deploys an environment (scripts/deploy.sh, scripts/diff.sh, scripts/ci/diff-stack.sh)
//     or pushes the image into its registry (scripts/ci/push-image.sh) must reach private endpoints, so it runs
//     on that environment's runner group: `runs-on: { group: mlflow-<env> }`, where <env> is the very
//     expression the job's ENVIRONMENT variable (what those scripts are given) comes from;
//   - every other job runs on a pinned GitHub-hosted image (ubuntu-24.04, never ubuntu-latest), and never on a
//     private group: those runners cost more and sit inside an environment's network.
// Jobs that call a reusable workflow are judged in that workflow's file.
//
//   node scripts/ci/runner-placement.mjs <workflow.yml>...
// Prints one line per job, "PASS  runner placement <text>" or "FAIL  ..."; exits 1 when any job fails.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";

const PRIVATE_SCRIPTS = ["scripts/deploy.sh", "scripts/diff.sh", "scripts/ci/diff-stack.sh", "scripts/ci/push-image.sh"];
const PINNED_HOSTED = /^(ubuntu-\d+\.\d+(-arm)?|windows-\d{4}|macos-\d+)$/;
const GROUP_PREFIX = "mlflow-";

/** `${{ inputs.environment }}` and `${{inputs.environment}}` are the same expression. */
const normalize = (value) => String(value).replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr) => "${{ " + expr + " }}");

/** The pipeline scripts a job runs that need the environment's private network. */
function privateScriptsOf(job) {
  const runs = (job.steps ?? []).map((step) => (typeof step?.run === "string" ? step.run : ""));
  return PRIVATE_SCRIPTS.filter((script) => runs.some((run) => run.includes(script)));
}

/**
 * Judges every job of one workflow.
 * @param {string} file name used in the messages
 * @param {string} text the workflow's YAML
 * @returns {{ job: string, ok: boolean, message: string }[]}
 */
export function checkWorkflow(file, text) {
  const workflow = parse(text) ?? {};
  const results = [];
  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    if (typeof job?.uses === "string") continue;
    const where = `${file} job '${id}'`;
    const result = (ok, message) => results.push({ job: id, ok, message: `${where}: ${message}` });
    const runsOn = job?.["runs-on"];
    const group = runsOn && typeof runsOn === "object" && !Array.isArray(runsOn) ? runsOn.group : undefined;
    const scripts = privateScriptsOf(job ?? {});

    if (scripts.length > 0) {
      const environment = job.env?.ENVIRONMENT ?? workflow.env?.ENVIRONMENT;
      if (environment === undefined) {
        result(false, `runs ${scripts.join(", ")} but sets no ENVIRONMENT, so its runner group cannot be tied to the environment it deploys`);
        continue;
      }
      const expected = normalize(`${GROUP_PREFIX}${environment}`);
      if (group === undefined) {
        result(false, `runs ${scripts.join(", ")} on ${JSON.stringify(runsOn)}: it must run in the environment's network, runs-on: { group: ${expected} }`);
      } else if (normalize(group) !== expected) {
        result(
          false,
          `runs ${scripts.join(", ")} on runner group '${group}', expected '${expected}' (the group of the environment it deploys, ENVIRONMENT=${environment})`,
        );
      } else {
        result(true, `runner group ${expected} (runs ${scripts.join(", ")})`);
      }
      continue;
    }

    if (group !== undefined) {
      result(false, `runs on runner group '${group}' but plans, deploys and pushes nothing: use a pinned GitHub-hosted image such as ubuntu-24.04`);
    } else if (typeof runsOn === "string" && PINNED_HOSTED.test(runsOn)) {
      result(true, `hosted ${runsOn}`);
    } else {
      result(false, `runs-on ${JSON.stringify(runsOn)} is not a pinned GitHub-hosted image (e.g. ubuntu-24.04; never *-latest)`);
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node scripts/ci/runner-placement.mjs <workflow.yml>...");
    process.exit(2);
  }
  let failed = false;
  for (const file of files) {
    for (const { ok, message } of checkWorkflow(basename(file), readFileSync(file, "utf8"))) {
      console.log(`${ok ? "PASS" : "FAIL"}  runner placement ${message}`);
      failed ||= !ok;
    }
  }
  process.exit(failed ? 1 : 0);
}
