// Behaviour of the pipeline's shell scripts that need no cloud: argument checks of diff.sh and deploy.sh,
// when diff-stack.sh counts a dependency as deployed (local backend), and the diff of an mlflow stack whose
// platform stack has no state yet. Each test runs the scripts inside a scratch copy of the repository
// layout, so a real cdktf.out in the working tree cannot change the outcome.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const scratchRoots = [];
after(() => scratchRoots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A scratch repository holding the project's scripts/ (and nothing synthesized). */
function scratchRepo() {
  const root = mkdtempSync(join(tmpdir(), "ci-scripts-"));
  scratchRoots.push(root);
  cpSync(join(repo, "scripts"), join(root, "scripts"), { recursive: true });
  return root;
}

/** Writes cdktf.out/stacks/<stack>/cdk.tf.json with the given terraform block, and lists it in manifest.json as cdktf does. */
function synthesize(root, stack, terraformBlock = {}, dependencies = []) {
  const dir = join(root, "cdktf.out", "stacks", stack);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ terraform: terraformBlock }));
  listInManifest(root, stack, dependencies);
  return dir;
}

function listInManifest(root, stack, dependencies = []) {
  const file = join(root, "cdktf.out", "manifest.json");
  const manifest = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { version: "0.21.0", stacks: {} };
  manifest.stacks[stack] = { name: stack, dependencies, synthesizedStackPath: `stacks/${stack}/cdk.tf.json`, workingDirectory: `stacks/${stack}` };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(manifest));
}

/**
 * Stand-ins for the cdktf CLI (node_modules/.bin/cdktf) and terraform: they record their arguments in
 * <root>/calls and succeed (cdktf writing an outputs file when asked), so a test sees exactly what deploy.sh
 * would have run. FAKE_CDKTF_FAIL=1 makes cdktf fail.
 */
function fakeTools(root) {
  const bin = join(root, "node_modules", ".bin");
  mkdirSync(bin, { recursive: true });
  const record = `#!/usr/bin/env bash\nprintf '%s\\n' "$(basename "$0") $*" >>"${join(root, "calls")}"\n`;
  // FAKE_CDKTF_FAIL: fails after writing the outputs file, as a deploy that fails late may.
  const outputs = `while [[ $# -gt 0 ]]; do [[ "$1" == --outputs-file ]] && echo '{}' >"$2"; shift; done\n[[ -z "\${FAKE_CDKTF_FAIL:-}" ]] || exit 1\n`;
  writeFileSync(join(bin, "cdktf"), record + outputs, { mode: 0o755 });
  const toolDir = join(root, "tools");
  mkdirSync(toolDir, { recursive: true });
  writeFileSync(join(toolDir, "terraform"), record, { mode: 0o755 });
  return { PATH: `${toolDir}:${process.env.PATH}` };
}

const calls = (root) => (existsSync(join(root, "calls")) ? readFileSync(join(root, "calls"), "utf8") : "");

function bash(root, script, args, env = {}) {
  const result = spawnSync("bash", [join(root, script), ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "", NO_COLOR: "", ...env },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test("diff.sh names the rule a bad stack breaks and never synthesizes", () => {
  const root = scratchRepo();
  let r = bash(root, "scripts/diff.sh", []);
  assert.equal(r.code, 2);
  assert.match(r.err, /usage: scripts\/diff\.sh <stack>/);
  r = bash(root, "scripts/diff.sh", ["infra_qa"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /stack 'infra_qa' is not a stack name: expected <kind>-<env> in lower case, e\.g\. infra-dev/);
  r = bash(root, "scripts/diff.sh", ["mlflow-staging"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cdktf\.out\/manifest\.json is missing: run 'npm run synth' first/);
  synthesize(root, "infra-staging");
  r = bash(root, "scripts/diff.sh", ["infra-qa"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /stack 'infra-qa' was not synthesized \(cdktf\.out has: infra-staging\)/);
  listInManifest(root, "mlflow-staging", ["infra-staging"]);
  r = bash(root, "scripts/diff.sh", ["mlflow-staging"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cdktf\.out\/stacks\/mlflow-staging\/cdk\.tf\.json is missing: run 'npm run synth' first/);
  synthesize(root, "mlflow-staging", {}, ["infra-staging"]);
  r = bash(root, "scripts/diff.sh", ["mlflow-staging"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /diff: mlflow-staging: state in the local file .*\/cdktf\.out\/stacks\/mlflow-staging\/terraform\.tfstate/);
  assert.match(r.err, /cdktf CLI not found in node_modules: run 'npm ci'/);
});

test("deploy.sh takes its environments and stacks from cdktf.out and checks each was synthesized", () => {
  const root = scratchRepo();
  let r = bash(root, "scripts/deploy.sh", []);
  assert.equal(r.code, 2);
  assert.match(r.err, /usage: scripts\/deploy\.sh \[--auto-approve\] <env> \[all\|<kind>\]/);
  r = bash(root, "scripts/deploy.sh", ["Prod!"]);
  assert.match(r.err, /environment 'Prod!' is not an environment name/);
  r = bash(root, "scripts/deploy.sh", ["qa"]);
  assert.match(r.err, /manifest\.json is missing: run 'npm run synth' first/);
  synthesize(root, "infra-prod");
  r = bash(root, "scripts/deploy.sh", ["qa"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /environment 'qa' has no stacks in cdktf\.out \(synthesized: prod\): add it in config\/environments\/ and run 'npm run synth'/);
  listInManifest(root, "mlflow-prod", ["infra-prod"]);
  r = bash(root, "scripts/deploy.sh", ["prod", "everything"]);
  assert.match(r.err, /part 'everything' is unknown: expected all or one of infra mlflow/);
  r = bash(root, "scripts/deploy.sh", ["prod"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cdktf\.out\/stacks\/mlflow-prod\/cdk\.tf\.json is missing/, "all = every stack of the environment");
  r = bash(root, "scripts/deploy.sh", ["--auto-approve", "prod", "infra"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cdktf CLI not found in node_modules: run 'npm ci'/, "infra alone needs only infra-prod");
});

test("deploy.sh deploys every stack of the environment in dependency order", () => {
  const root = scratchRepo();
  const env = fakeTools(root);
  // Names chosen so that alphabetical order is wrong: the manifest's dependencies decide.
  synthesize(root, "mlflow-qa", {}, ["infra-qa"]);
  synthesize(root, "infra-qa", {}, ["base-qa"]);
  synthesize(root, "base-qa");
  synthesize(root, "infra-dev");
  const r = bash(root, "scripts/deploy.sh", ["qa"], { ...env, CI: "true" });
  assert.equal(r.code, 0, r.err);
  const deployed = calls(root)
    .trim()
    .split("\n")
    .map((line) => line.split(" ")[2]);
  assert.deepEqual(deployed, ["base-qa", "infra-qa", "mlflow-qa"]);
});

test("deploy.sh uses the state backend the stack was synthesized with, and says which", () => {
  const root = scratchRepo();
  const env = fakeTools(root);
  const azurerm = { resource_group_name: "rg-tfstate", storage_account_name: "sttfstate", container_name: "tfstate", key: "infra-dev.tfstate" };

  // Synthesized for local state: a storage account in the environment is a mistake, not a silent local deploy.
  synthesize(root, "infra-dev", { backend: { local: { path: "../../../state/infra-dev.tfstate" } } });
  let r = bash(root, "scripts/deploy.sh", ["--auto-approve", "dev"], { ...env, TF_STATE_STORAGE_ACCOUNT: "sttfstate" });
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /infra-dev was synthesized for local state, but TF_STATE_STORAGE_ACCOUNT=sttfstate asks for the azurerm backend: run 'npm run synth' with the TF_STATE_\* variables set, or unset them/,
  );
  assert.equal(calls(root), "", "nothing deployed");
  r = bash(root, "scripts/deploy.sh", ["--auto-approve", "dev"], env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /deploy: infra-dev: state in the local file .*\/state\/infra-dev\.tfstate/);
  assert.match(calls(root), /^cdktf deploy infra-dev --skip-synth --ignore-missing-stack-dependencies --auto-approve --outputs-file /m);

  // Synthesized for the azurerm backend: it is used as synthesized, with or without the variables, unless they disagree.
  rmSync(join(root, "calls"), { force: true });
  synthesize(root, "infra-dev", { backend: { azurerm } });
  r = bash(root, "scripts/deploy.sh", ["--auto-approve", "dev"], env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /deploy: infra-dev: state in Azure storage account sttfstate, container tfstate, blob infra-dev\.tfstate \(resource group rg-tfstate\)/);
  assert.match(calls(root), /^cdktf deploy infra-dev /m);
  rmSync(join(root, "calls"), { force: true });
  r = bash(root, "scripts/deploy.sh", ["--auto-approve", "dev"], {
    ...env,
    TF_STATE_RESOURCE_GROUP: "rg-tfstate",
    TF_STATE_STORAGE_ACCOUNT: "stother",
    TF_STATE_CONTAINER: "tfstate",
  });
  assert.equal(r.code, 2);
  assert.match(r.err, /infra-dev was synthesized with TF_STATE_STORAGE_ACCOUNT=sttfstate, but TF_STATE_STORAGE_ACCOUNT=stother now/);
  assert.equal(calls(root), "", "nothing deployed");

  synthesize(root, "infra-dev", { backend: { azurerm: { ...azurerm, key: "" } } });
  r = bash(root, "scripts/deploy.sh", ["--auto-approve", "dev"], env);
  assert.equal(r.code, 2);
  assert.match(r.err, /infra-dev: the azurerm backend lacks key/);
});

test("diff.sh plans against the state the stack was synthesized with, and refuses settings that disagree", () => {
  const root = scratchRepo();
  const env = fakeTools(root);
  synthesize(root, "infra-dev", {
    backend: { azurerm: { resource_group_name: "rg-tfstate", storage_account_name: "sttfstate", container_name: "tfstate", key: "infra-dev.tfstate" } },
  });
  let r = bash(root, "scripts/diff.sh", ["infra-dev"], { ...env, TF_STATE_CONTAINER: "other" });
  assert.equal(r.code, 2);
  assert.match(r.err, /infra-dev was synthesized with TF_STATE_CONTAINER=tfstate, but TF_STATE_CONTAINER=other now/);
  assert.equal(calls(root), "", "nothing planned");
  r = bash(root, "scripts/diff.sh", ["infra-dev"], env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /diff: infra-dev: state in Azure storage account sttfstate, container tfstate, blob infra-dev\.tfstate \(resource group rg-tfstate\)/);
  assert.match(calls(root), /^cdktf diff infra-dev --skip-synth$/m);
});

test("deploy.sh asks a person at a terminal and approves by itself only in CI or with --auto-approve", () => {
  const root = scratchRepo();
  const env = fakeTools(root);
  synthesize(root, "infra-dev");
  synthesize(root, "mlflow-dev", {}, ["infra-dev"]);

  // No terminal and no approval: refused before anything runs.
  let r = bash(root, "scripts/deploy.sh", ["dev"], env);
  assert.equal(r.code, 2);
  assert.match(r.err, /no terminal to confirm at: pass --auto-approve to deploy without asking \(CI=true does the same in the pipeline\)/);
  assert.equal(calls(root), "");

  // At a terminal (a real pseudo-terminal through script(1)): the answer decides; cdktf then asks for each plan.
  const atTerminal = (answer) => {
    const command = `bash ${join(root, "scripts", "deploy.sh")} dev`;
    const result = spawnSync("script", ["-qec", command, "/dev/null"], {
      input: `${answer}\n`,
      encoding: "utf8",
      env: { ...process.env, ...env, CI: "", NO_COLOR: "" },
    });
    return { code: result.status, out: result.stdout + result.stderr };
  };
  r = atTerminal("no");
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /Type the environment name \(dev\) to go on/);
  assert.match(r.out, /not confirmed: nothing was deployed/);
  assert.equal(calls(root), "");
  r = atTerminal("dev");
  assert.equal(r.code, 0, r.out);
  const deployed = calls(root).trim().split("\n");
  assert.deepEqual(
    deployed.map((line) => line.split(" ")[2]),
    ["infra-dev", "mlflow-dev"],
  );
  for (const line of deployed) assert.doesNotMatch(line, /--auto-approve/, "a person approves each plan in cdktf");

  // CI=true or the flag: no question, every plan approved.
  for (const [args, extra] of [
    [["dev"], { CI: "true" }],
    [["--auto-approve", "dev"], {}],
  ]) {
    rmSync(join(root, "calls"), { force: true });
    r = bash(root, "scripts/deploy.sh", args, { ...env, ...extra });
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /Type the environment name/);
    for (const line of calls(root).trim().split("\n")) assert.match(line, /--auto-approve/);
  }
});

test("diff-stack.sh waits for a dependency until its state holds outputs", () => {
  const root = scratchRepo();
  synthesize(root, "infra-dev", { backend: { local: { path: "../../../state/infra-dev.tfstate" } } });
  synthesize(root, "mlflow-dev", {}, ["infra-dev"]);
  const results = join(root, "results");
  const diffMlflow = () => {
    const r = bash(root, "scripts/ci/diff-stack.sh", ["mlflow-dev", results]);
    return { ...r, recorded: JSON.parse(readFileSync(join(results, "mlflow-dev.json"), "utf8")) };
  };
  let r = diffMlflow();
  assert.equal(r.code, 0, r.err);
  assert.equal(r.recorded.status, "platform-not-deployed", "no state file");

  const stateFile = join(root, "state", "infra-dev.tfstate");
  const state = (outputs) => JSON.stringify({ version: 4, terraform_version: "1.0.0", serial: 1, lineage: "test", outputs, resources: [] });
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, state({}));
  r = diffMlflow();
  assert.equal(r.recorded.status, "platform-not-deployed", "state without outputs (never applied, or destroyed)");

  writeFileSync(stateFile, state({ registry_login_server: { value: "x", type: "string" } }));
  r = diffMlflow();
  // Deployed: the diff runs, and fails here because the scratch copy has no cdktf CLI.
  assert.equal(r.recorded.status, "failed", r.err);
  assert.match(r.recorded.logTail, /cdktf CLI not found in node_modules/);
});

test("diff-stack.sh reports an mlflow stack whose platform has no state, without failing or planning", () => {
  const root = scratchRepo();
  synthesize(root, "network-dev", { backend: { local: { path: "network-dev.tfstate" } } });
  synthesize(root, "infra-dev", { backend: { local: { path: "infra-dev.tfstate" } } }, ["network-dev"]);
  synthesize(root, "mlflow-dev", {}, ["infra-dev"]);
  const results = join(root, "results");
  let r = bash(root, "scripts/ci/diff-stack.sh", ["mlflow-dev", results]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /mlflow-dev: platform stack infra-dev not deployed yet, nothing to diff/);
  let recorded = JSON.parse(readFileSync(join(results, "mlflow-dev.json"), "utf8"));
  assert.equal(recorded.status, "platform-not-deployed");
  assert.equal(recorded.platformStack, "infra-dev");

  // The same one level down: infra-dev reads the outputs of network-dev, the stack it depends on in the manifest.
  r = bash(root, "scripts/ci/diff-stack.sh", ["infra-dev", results]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /infra-dev: platform stack network-dev not deployed yet, nothing to diff/);
  recorded = JSON.parse(readFileSync(join(results, "infra-dev.json"), "utf8"));
  assert.equal(recorded.status, "platform-not-deployed");
  assert.equal(recorded.platformStack, "network-dev");
  const comment = spawnSync(
    process.execPath,
    [join(root, "scripts", "ci", "diff-summary.mjs"), "comment", "--dir", results, "--commit", "a".repeat(40), "--stacks", "network-dev infra-dev mlflow-dev"],
    { encoding: "utf8" },
  );
  assert.match(comment.stdout, /\| `infra-dev` \| ⚪ platform stack not deployed yet \(network-dev has no state\): nothing to diff \|/);
  assert.match(comment.stdout, /No result for: `network-dev`/);
});

test("diff-stack.sh records a failed diff and exits non-zero", () => {
  const root = scratchRepo();
  const results = join(root, "results");
  // No cdktf.out at all: diff.sh stops before planning, like any other failure.
  const r = bash(root, "scripts/ci/diff-stack.sh", ["infra-prod", results]);
  assert.equal(r.code, 1);
  const recorded = JSON.parse(readFileSync(join(results, "infra-prod.json"), "utf8"));
  assert.equal(recorded.status, "failed");
  assert.match(recorded.logTail, /run 'npm run synth' first/);
});

test("check-image-pin.sh accepts stacks that pin the release's image and names those that do not", () => {
  const root = scratchRepo();
  const digest = `sha256:${"ab".repeat(32)}`;
  // The shape config/ synthesizes: chart values with image.repository, image.tag and image.digest.
  const pinned = (stack, image) => {
    const dir = synthesize(root, stack);
    const values = JSON.stringify({ image: { repository: "mlflow-tracking-server", ...image } }, null, 2);
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ resource: { helm_release: { m: { values: [values] } } } }));
  };
  pinned("mlflow-dev", { tag: "3.6.0-1", digest });
  pinned("mlflow-prod", { tag: "3.6.0-1", digest: "" });
  let r = bash(root, "scripts/ci/check-image-pin.sh", [digest, "mlflow-dev"]);
  assert.equal(r.code, 0, r.err);
  r = bash(root, "scripts/ci/check-image-pin.sh", [digest, "mlflow-dev", "mlflow-prod"]);
  assert.equal(r.code, 2);
  assert.match(r.err, new RegExp(`mlflow-prod does not pin the image ${digest}: synthesize with MLFLOW_IMAGE_DIGEST=`));
  r = bash(root, "scripts/ci/check-image-pin.sh", ["latest", "mlflow-dev"]);
  assert.match(r.err, /image digest 'latest' is not sha256:<64 hex>/);
  r = bash(root, "scripts/ci/check-image-pin.sh", [digest, "mlflow-staging"]);
  assert.match(r.err, /mlflow-staging\/cdk\.tf\.json is missing/);
});

test("hostile stack and environment names are refused by name and rule before anything is written", () => {
  const root = scratchRepo();
  synthesize(root, "infra-dev");
  const results = join(root, "results");
  for (const stack of ["../x", "", "infra dev", "Infra-Dev", "infra-dev/../../x", "-infra-dev"]) {
    let r = bash(root, "scripts/ci/diff-stack.sh", [stack, results]);
    assert.equal(r.code, 2, `diff-stack.sh '${stack}': ${r.err}`);
    assert.match(r.err, /diff-stack: ERROR: stack '.*' is not a stack name: expected <kind>-<env> in lower case, e\.g\. infra-dev/);
    r = bash(root, "scripts/diff.sh", [stack]);
    assert.equal(r.code, 2, `diff.sh '${stack}'`);
    assert.match(r.err, /is not a stack name: expected <kind>-<env>/);
    r = bash(root, "scripts/ci/check-image-pin.sh", [`sha256:${"a".repeat(64)}`, stack]);
    assert.equal(r.code, 2, `check-image-pin.sh '${stack}'`);
    assert.match(r.err, /check-image-pin: ERROR: stack '.*' is not a stack name: expected <kind>-<env>/);
  }
  const empty = bash(root, "scripts/ci/diff-stack.sh", ["infra-dev", ""]);
  assert.equal(empty.code, 2);
  assert.match(empty.err, /diff-stack: ERROR: results-dir is empty/);
  assert.ok(!existsSync(results), "nothing written for a refused name");
  assert.ok(!existsSync(join(root, "x.log")) && !existsSync(join(root, "x.json")), "nothing written outside the results folder");
  for (const env of ["../x", "", "dev prod", "DEV", "d"]) {
    const r = bash(root, "scripts/deploy.sh", ["--auto-approve", env]);
    assert.equal(r.code, 2, `deploy.sh '${env}'`);
    assert.match(r.err, /environment '.*' is not an environment name: expected 2-10 lower-case letters and digits, starting with a letter/);
  }
  const r = bash(root, "scripts/deploy.sh", ["--auto-approve", "dev", "../infra"]);
  assert.match(r.err, /part '\.\.\/infra' is not all or a stack kind such as infra/);
});

test("diff-stack.sh: one run of a stack per results folder, and an unfinished run leaves no result, not an old one", () => {
  const root = scratchRepo();
  const env = fakeTools(root);
  synthesize(root, "infra-dev");
  const results = join(root, "results");
  mkdirSync(results);
  // A second run while the first holds the lock (flock(1) stands in for the first run).
  const holder = spawnSync("flock", [join(results, ".infra-dev.lock"), "bash", join(root, "scripts/ci/diff-stack.sh"), "infra-dev", results], {
    encoding: "utf8",
    env: { ...process.env, ...env, CI: "" },
  });
  assert.equal(holder.status, 2);
  assert.match(holder.stderr, /another diff of infra-dev is writing .*results \(it holds .*\.infra-dev\.lock\)/);

  // A result from an earlier run, then a run that stops after planning (terraform show prints no JSON here).
  writeFileSync(join(results, "infra-dev.json"), JSON.stringify({ stack: "infra-dev", env: "dev", status: "no-changes" }));
  writeFileSync(join(results, "infra-dev.plan.txt"), "old plan");
  const r = bash(root, "scripts/ci/diff-stack.sh", ["infra-dev", results], env);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /plan\.json is not JSON/);
  assert.deepEqual(readdirSync(results).sort(), [".infra-dev.lock", "infra-dev.log", "infra-dev.plan.txt"], "no result, no temporary files");
  assert.equal(readFileSync(join(results, "infra-dev.plan.txt"), "utf8"), "", "the old plan text is gone");
});

test("deploy.sh: one deploy per outputs folder, and a failed deploy leaves no stale outputs", () => {
  const root = scratchRepo();
  const env = { ...fakeTools(root), OUTPUTS_DIR: join(root, "outputs") };
  synthesize(root, "infra-dev");
  let r = bash(root, "scripts/deploy.sh", ["--auto-approve", "dev"], env);
  assert.equal(r.code, 0, r.err);
  const outputs = join(root, "outputs", "dev");
  assert.deepEqual(readdirSync(outputs).sort(), [".deploy.lock", "infra-dev.json"]);

  const second = spawnSync("flock", [join(outputs, ".deploy.lock"), "bash", join(root, "scripts/deploy.sh"), "--auto-approve", "dev"], {
    encoding: "utf8",
    env: { ...process.env, ...env, CI: "" },
  });
  assert.equal(second.status, 2);
  assert.match(second.stderr, /another deploy of dev is writing .*outputs\/dev \(it holds .*\.deploy\.lock\)/);

  r = bash(root, "scripts/deploy.sh", ["--auto-approve", "dev"], { ...env, FAKE_CDKTF_FAIL: "1" });
  assert.notEqual(r.code, 0);
  assert.deepEqual(readdirSync(outputs), [".deploy.lock"], "neither the earlier outputs nor the cut-short file");
});

test("a cut-short cdk.tf.json or manifest.json stops diff.sh and deploy.sh with the file named", () => {
  const root = scratchRepo();
  const env = fakeTools(root);
  const dir = synthesize(root, "infra-dev");
  writeFileSync(join(dir, "cdk.tf.json"), '{"terraform": {"backend": {"azurerm": {"key": "x');
  for (const [script, args] of [
    ["scripts/diff.sh", ["infra-dev"]],
    ["scripts/deploy.sh", ["--auto-approve", "dev"]],
  ]) {
    const r = bash(root, script, args, env);
    assert.equal(r.code, 2, `${script}: ${r.err}`);
    assert.match(r.err, /stacks: ERROR: .*cdktf\.out\/stacks\/infra-dev\/cdk\.tf\.json is not JSON \(cut short\?\): run 'npm run synth' again/);
  }
  writeFileSync(join(root, "cdktf.out", "manifest.json"), '{"stacks": {"infra-d');
  const r = bash(root, "scripts/deploy.sh", ["--auto-approve", "dev"], env);
  assert.equal(r.code, 2);
  assert.match(r.err, /manifest\.json is not JSON/);
  assert.equal(calls(root), "", "nothing planned or deployed");
});
