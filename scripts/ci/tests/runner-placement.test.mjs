// The runner-placement check (scripts/ci/runner-placement.mjs): the project's workflows place every job where
// docs/ci.md says, and each way of getting it wrong is reported, naming the job and the rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { checkWorkflow } from "../runner-placement.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const workflowsDir = join(repo, ".github", "workflows");

/** A workflow with one job, written the way the project's workflows are. */
function workflow(job) {
  return JSON.stringify({ on: { workflow_call: {} }, jobs: { job } });
}
const deployJob = (runsOn, env = { ENVIRONMENT: "${{ inputs.environment }}" }) => ({
  "runs-on": runsOn,
  env,
  steps: [{ run: 'bash scripts/deploy.sh "${ENVIRONMENT}" infra' }],
});
const only = (results) => {
  assert.equal(results.length, 1);
  return results[0];
};

test("the project's workflows: plans, deploys and pushes on the environment's group, the rest on ubuntu-24.04", () => {
  const placed = {};
  for (const file of readdirSync(workflowsDir).filter((f) => f.endsWith(".yml"))) {
    for (const r of checkWorkflow(file, readFileSync(join(workflowsDir, file), "utf8"))) {
      assert.ok(r.ok, r.message);
      placed[`${file}/${r.job}`] = r.message;
    }
  }
  assert.match(
    placed["deploy-environment.yml/deploy"],
    /runner group mlflow-\$\{\{ inputs\.environment \}\} \(runs scripts\/deploy\.sh, scripts\/ci\/push-image\.sh\)/,
  );
  assert.match(placed["diff.yml/diff"], /runner group mlflow-\$\{\{ matrix\.environment \}\} \(runs scripts\/ci\/diff-stack\.sh\)/);
  for (const hosted of ["diff.yml/synth", "diff.yml/comment", "deploy.yml/build", "deploy.yml/release", "test.yml/test"]) {
    assert.match(placed[hosted], /hosted ubuntu-24\.04$/, hosted);
  }
});

test("a deploy job on a hosted runner is refused, naming the group it needs", () => {
  const r = only(checkWorkflow("w.yml", workflow(deployJob("ubuntu-24.04"))));
  assert.equal(r.ok, false);
  assert.match(
    r.message,
    /w\.yml job 'job': runs scripts\/deploy\.sh on "ubuntu-24\.04": it must run in the environment's network, runs-on: \{ group: mlflow-\$\{\{ inputs\.environment \}\} \}/,
  );
});

test("a deploy job on another environment's group is refused", () => {
  let r = only(checkWorkflow("w.yml", workflow(deployJob({ group: "mlflow-dev" }))));
  assert.equal(r.ok, false);
  assert.match(r.message, /runner group 'mlflow-dev', expected 'mlflow-\$\{\{ inputs\.environment \}\}'/);
  r = only(checkWorkflow("w.yml", workflow(deployJob({ group: "mlflow-${{ matrix.environment }}" }))));
  assert.equal(r.ok, false, "group from a different expression than ENVIRONMENT");
  r = only(checkWorkflow("w.yml", workflow(deployJob({ group: "mlflow-${{inputs.environment}}" }))));
  assert.equal(r.ok, true, "spacing inside the expression does not matter");
});

test("a deploy job that sets no ENVIRONMENT cannot be judged and is refused", () => {
  const r = only(checkWorkflow("w.yml", workflow(deployJob({ group: "mlflow-${{ inputs.environment }}" }, {}))));
  assert.equal(r.ok, false);
  assert.match(r.message, /sets no ENVIRONMENT/);
});

test("a plan or an image push counts like a deploy", () => {
  for (const run of ["bash scripts/ci/diff-stack.sh infra-dev out", "bash scripts/diff.sh infra-dev", "bash scripts/ci/push-image.sh l r c d"]) {
    const r = only(checkWorkflow("w.yml", workflow({ "runs-on": "ubuntu-24.04", env: { ENVIRONMENT: "dev" }, steps: [{ run }] })));
    assert.equal(r.ok, false, run);
    assert.match(r.message, /runs-on: \{ group: mlflow-dev \}/);
  }
});

test("other jobs: pinned hosted image only, never *-latest, never a private group", () => {
  const plain = (runsOn) => only(checkWorkflow("w.yml", workflow({ "runs-on": runsOn, steps: [{ run: "npm run synth" }] })));
  assert.equal(plain("ubuntu-24.04").ok, true);
  let r = plain("ubuntu-latest");
  assert.equal(r.ok, false);
  assert.match(r.message, /runs-on "ubuntu-latest" is not a pinned GitHub-hosted image/);
  r = plain({ group: "mlflow-prod" });
  assert.equal(r.ok, false);
  assert.match(r.message, /runner group 'mlflow-prod' but plans, deploys and pushes nothing/);
  assert.equal(plain(["self-hosted", "linux"]).ok, false);
  assert.equal(plain("${{ inputs.runner }}").ok, false);
});

test("jobs that call a reusable workflow are judged in that workflow", () => {
  const text = JSON.stringify({ on: { push: {} }, jobs: { dev: { uses: "./.github/workflows/deploy-environment.yml" } } });
  assert.deepEqual(checkWorkflow("w.yml", text), []);
});
