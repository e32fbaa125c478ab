#!/usr/bin/env node
// Checks where every job of the workflows runs (docs/ci.md, "Where jobs run"): a job that plans, deploys or pushes the
// image (PRIVATE_SCRIPTS) must reach private endpoints, so it runs on `runs-on: { group: mlflow-<env> }`, <env> being
// the very expression its ENVIRONMENT (what those scripts are given) comes from; every other job runs on a pinned
// GitHub-hosted image (never *-latest), never on a private group. Jobs calling a reusable workflow are judged there.
//   node scripts/ci/runner-placement.mjs <workflow.yml>...   one "PASS/FAIL  runner placement ..." line a job; exit 1 on any FAIL
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";

const PRIVATE_SCRIPTS = ["scripts/deploy.sh", "scripts/diff.sh", "scripts/ci/diff-stack.sh", "scripts/ci/push-image.sh"];
const PINNED_HOSTED = /^(ubuntu-\d+\.\d+(-arm)?|windows-\d{4}|macos-\d+)$/;
// `${{ inputs.environment }}` and `${{inputs.environment}}` are the same expression.
const normalize = (value) => String(value).replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr) => "${{ " + expr + " }}");

/** One job's placement: [ok, message]. */
function judge(job, workflow) {
  const runsOn = job["runs-on"];
  const group = runsOn && typeof runsOn === "object" && !Array.isArray(runsOn) ? runsOn.group : undefined;
  const scripts = PRIVATE_SCRIPTS.filter((script) => (job.steps ?? []).some((step) => typeof step?.run === "string" && step.run.includes(script))).join(", ");
  if (!scripts) {
    if (group !== undefined)
      return [false, `runs on runner group '${group}' but plans, deploys and pushes nothing: use a pinned GitHub-hosted image such as ubuntu-24.04`];
    if (typeof runsOn === "string" && PINNED_HOSTED.test(runsOn)) return [true, `hosted ${runsOn}`];
    return [false, `runs-on ${JSON.stringify(runsOn)} is not a pinned GitHub-hosted image (e.g. ubuntu-24.04; never *-latest)`];
  }
  const environment = job.env?.ENVIRONMENT ?? workflow.env?.ENVIRONMENT;
  if (environment === undefined) return [false, `runs ${scripts} but sets no ENVIRONMENT, so its runner group cannot be tied to the environment it deploys`];
  const expected = normalize(`mlflow-${environment}`);
  if (group === undefined)
    return [false, `runs ${scripts} on ${JSON.stringify(runsOn)}: it must run in the environment's network, runs-on: { group: ${expected} }`];
  if (normalize(group) !== expected) {
    return [false, `runs ${scripts} on runner group '${group}', expected '${expected}' (the group of the environment it deploys, ENVIRONMENT=${environment})`];
  }
  return [true, `runner group ${expected} (runs ${scripts})`];
}

/** Judges every job of one workflow (file: the name used in the messages): [{ job, ok, message }]. */
export function checkWorkflow(file, text) {
  const workflow = parse(text) ?? {};
  return Object.entries(workflow.jobs ?? {})
    .filter(([, job]) => typeof job?.uses !== "string")
    .map(([id, job]) => {
      const [ok, message] = judge(job ?? {}, workflow);
      return { job: id, ok, message: `${file} job '${id}': ${message}` };
    });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node scripts/ci/runner-placement.mjs <workflow.yml>...");
    process.exit(2);
  }
  const results = files.flatMap((file) => checkWorkflow(basename(file), readFileSync(file, "utf8")));
  for (const { ok, message } of results) console.log(`${ok ? "PASS" : "FAIL"}  runner placement ${message}`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}
