// The pipeline's diff and deploy scripts run for real: the cdktf CLI from node_modules and a terraform binary
// plan and apply a miniature of the project's two stacks (fixtures/two-stack-app.mjs) joined by a real
// cross-stack reference, on local state. Covers: diff before anything exists (the MLflow stack reported as
// "platform stack not deployed yet"), deploy of infra then mlflow from cdktf.out without synthesizing, the
// outputs file, no changes after deploy, and a new platform output the MLflow stack needs before it is deployed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, delimiter } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
let root;

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true", CHECKPOINT_DISABLE: "1", TF_STATE_STORAGE_ACCOUNT: "" },
    timeout: 180000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function synth(variant) {
  rmSync(join(root, "cdktf.out"), { recursive: true, force: true });
  const r = run(process.execPath, [join(root, "scripts", "ci", "tests", "fixtures", "two-stack-app.mjs"), join(root, "cdktf.out"), variant]);
  assert.equal(r.code, 0, r.err);
}

function diffStack(stack) {
  const r = run("bash", ["scripts/ci/diff-stack.sh", stack, "results"]);
  const recorded = JSON.parse(readFileSync(join(root, "results", `${stack}.json`), "utf8"));
  return { ...r, recorded };
}

before(() => {
  const onPath = (process.env.PATH ?? "").split(delimiter).some((d) => existsSync(join(d, "terraform")));
  assert.ok(onPath, "terraform is not on PATH: these machines ship it in /usr/local/bin; elsewhere install TERRAFORM_VERSION from scripts/versions.env");
  assert.ok(existsSync(join(repo, "node_modules", ".bin", "cdktf")), "the cdktf CLI is missing: run 'npm ci'");
  root = mkdtempSync(join(tmpdir(), "pipeline-"));
  cpSync(join(repo, "scripts"), join(root, "scripts"), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
  symlinkSync(join(repo, "package.json"), join(root, "package.json"));
  // The app command fails: any attempt to synthesize again would fail the test.
  writeFileSync(join(root, "cdktf.json"), JSON.stringify({ language: "typescript", app: "echo 'must not synthesize' >&2; exit 1" }));
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test("before the first deployment: the platform plans its resources, the MLflow stack waits for it", () => {
  synth("v1");
  const infra = diffStack("infra-dev");
  assert.equal(infra.code, 0, infra.err);
  assert.equal(infra.recorded.status, "changes");
  assert.deepEqual(infra.recorded.summary.counts, { create: 1, update: 0, replace: 0, delete: 0, move: 0, import: 0, forget: 0 });
  assert.deepEqual(
    infra.recorded.summary.resources.map((r) => r.address),
    ["terraform_data.registry"],
  );
  assert.match(infra.recorded.planText, /cross-stack-output-terraform_dataregistryoutput = \(sensitive value\)/);
  assert.ok(existsSync(join(root, "cdktf.out", "stacks", "infra-dev", "plan")), "diff leaves terraform's plan file");

  const mlflow = diffStack("mlflow-dev");
  assert.equal(mlflow.code, 0, mlflow.err);
  assert.equal(mlflow.recorded.status, "platform-not-deployed");
  assert.match(mlflow.err, /platform stack infra-dev not deployed yet/);
});

test("deploy.sh deploys infra then mlflow from cdktf.out, writes the outputs and never synthesizes", () => {
  const r = run("bash", ["scripts/deploy.sh", "dev"]);
  assert.equal(r.code, 0, `${r.out}\n${r.err}`);
  const log = r.out + r.err;
  assert.ok(log.indexOf("deploying infra-dev") < log.indexOf("deploying mlflow-dev"), "platform first");
  assert.doesNotMatch(log, /must not synthesize/);
  const outputs = JSON.parse(readFileSync(join(root, ".gen", "outputs", "dev", "infra-dev.json"), "utf8"));
  assert.deepEqual(outputs, { "infra-dev": { registry_login_server: "mlflowdev.azurecr.io" } }, "non-sensitive outputs only");
  // What deploy-environment.yml runs to find the registry to push the image to.
  const login = run("terraform", ["-chdir=cdktf.out/stacks/infra-dev", "output", "-raw", "registry_login_server"]);
  assert.equal(login.out, "mlflowdev.azurecr.io");
  const release = JSON.parse(readFileSync(join(root, "state", "mlflow-dev.tfstate"), "utf8"));
  const input = release.resources.find((x) => x.name === "release").instances[0].attributes.input.value;
  assert.deepEqual(input, { server: "mlflowdev.azurecr.io" }, "mlflow-dev read the platform's output");
});

test("after deployment both stacks show no changes", () => {
  for (const stack of ["infra-dev", "mlflow-dev"]) {
    const r = diffStack(stack);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.recorded.status, "no-changes", stack);
  }
});

test("a platform output the MLflow stack needs but the platform has not deployed yet is reported, not failed", () => {
  synth("v2");
  const infra = diffStack("infra-dev");
  assert.equal(infra.recorded.status, "changes");
  assert.equal(infra.recorded.summary.counts.create, 1);
  const mlflow = diffStack("mlflow-dev");
  assert.equal(mlflow.code, 0, mlflow.err);
  assert.equal(mlflow.recorded.status, "platform-outputs-pending");

  const comment = run(process.execPath, ["scripts/ci/diff-summary.mjs", "comment", "--dir", "results", "--commit", "a".repeat(40)]);
  assert.equal(comment.code, 0, comment.err);
  assert.match(comment.out, /\| `infra-dev` \| 🟡 1 to add, 0 to change, 0 to replace, 0 to destroy, 1 output changed \|/);
  assert.match(comment.out, /\| `mlflow-dev` \| ⚪ waits for infra-dev: it reads platform outputs that are not deployed yet \|/);
});

test("diff.sh fails with terraform's error when a plan fails for another reason", () => {
  const stackFile = join(root, "cdktf.out", "stacks", "infra-dev", "cdk.tf.json");
  const broken = JSON.parse(readFileSync(stackFile, "utf8"));
  broken.resource.terraform_data.registry.input = "${var.undeclared}";
  writeFileSync(stackFile, JSON.stringify(broken));
  const r = diffStack("infra-dev");
  assert.equal(r.code, 1);
  assert.equal(r.recorded.status, "failed");
  assert.match(r.recorded.logTail, /Reference to undeclared input variable/);
});
