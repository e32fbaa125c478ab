// Environments are data: a scratch copy of the project gets a `qa` environment in config/environments only, and
// everything that deals with environments takes it without another edit: synth, the argument checks of diff.sh
// and deploy.sh, the list the workflows build their matrix from, and the config tests. The workflows and
// pipeline scripts hold no environment list of their own.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const COPIED = [
  "main.ts",
  "cdktf.json",
  "package.json",
  "tsconfig.json",
  "jest.config.js",
  "config",
  "stacks",
  "helm_charts",
  "scripts",
  "__tests__",
  ".github",
  "docker/tracking-server/VERSION",
];
let root;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", timeout: 300000, env: { ...process.env, CI: "", ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  assert.ok(existsSync(join(repo, "node_modules", ".bin", "jest")), "node_modules is missing: run 'npm ci'");
  root = mkdtempSync(join(tmpdir(), "new-environment-"));
  for (const entry of COPIED) cpSync(join(repo, entry), join(root, entry), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
  // helm and the other pinned tools (npm run tools) that the values script's tests use.
  symlinkSync(join(repo, ".tools"), join(root, ".tools"));
  // The whole change: one file and one line in config/environments (docs/environments.md, "Add an environment").
  writeFileSync(
    join(root, "config", "environments", "qa.ts"),
    `import type { EnvironmentOverrides } from "../merge";

export const qa: EnvironmentOverrides = {
  name: "qa",
  tags: { environment: "qa" },
  network: { addressSpace: "10.23.0.0/16", nodesSubnet: "10.23.0.0/22", endpointsSubnet: "10.23.4.0/24", runnersSubnet: "10.23.5.0/24" },
};
`,
  );
  const index = join(root, "config", "environments", "index.ts");
  const source = readFileSync(index, "utf8");
  const listed = source.replace(/export const environments = \[(.*)\];/, 'import { qa } from "./qa";\nexport const environments = [$1, qa];');
  assert.notEqual(listed, source, "config/environments/index.ts exports the list as `export const environments = [...]`");
  writeFileSync(index, listed);
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test("synth builds the new environment's stacks next to the others", () => {
  const r = run(process.execPath, ["scripts/synth.mjs"]);
  assert.equal(r.code, 0, r.err);
  for (const stack of ["infra-qa", "mlflow-qa", "infra-prod", "mlflow-dev"]) {
    assert.ok(existsSync(join(root, "cdktf.out", "stacks", stack, "cdk.tf.json")), `${stack} synthesized`);
  }
  const stacks = run(process.execPath, ["scripts/ci/stacks.mjs", "stacks", "qa"]).out.trim().split("\n");
  assert.ok(
    stacks.every((stack) => stack.endsWith("-qa")),
    stacks.join(" "),
  );
  assert.deepEqual(stacks.slice(-2), ["infra-qa", "mlflow-qa"], "in deploy order: the MLflow stack last, after its platform");
});

test("the list the workflows build their matrix from has the new environment, last in promotion order", () => {
  const r = run(process.execPath, ["--import", "tsx", "scripts/ci/environments.ts", "--json"]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), ["dev", "staging", "prod", "qa"]);
  const diff = readFileSync(join(root, ".github", "workflows", "diff.yml"), "utf8");
  assert.match(diff, /environment: \$\{\{ fromJSON\(needs\.synth\.outputs\.environments\) \}\}/);
  const deploy = readFileSync(join(root, ".github", "workflows", "deploy.yml"), "utf8");
  assert.match(deploy, /environment: \$\{\{ fromJSON\(needs\.release\.outputs\.environments\) \}\}/);
});

test("diff.sh and deploy.sh accept the new environment's stacks", () => {
  // Without terraform on PATH both stop right after their argument and state checks.
  const env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };
  assert.equal(run("bash", ["-c", "command -v terraform"], env).code, 1, "terraform must be off this PATH");
  let r = run("bash", ["scripts/diff.sh", "mlflow-qa"], env);
  assert.match(r.err, /diff: mlflow-qa: state in the local file /);
  assert.match(r.err, /terraform is not on PATH/);
  r = run("bash", ["scripts/deploy.sh", "--auto-approve", "qa"], env);
  assert.match(r.err, /deploy: infra-qa: state in the local file [\s\S]*deploy: mlflow-qa: state in the local file /, "every stack of qa, in deploy order");
  assert.match(r.err, /terraform is not on PATH/);
  r = run("bash", ["scripts/deploy.sh", "--auto-approve", "qa", "mlflow"], env);
  assert.doesNotMatch(r.err, /infra-qa/);
  assert.match(r.err, /terraform is not on PATH/);
});

test("the config tests and the values script's tests pass with the new environment", () => {
  const r = run(join(root, "node_modules", ".bin", "jest"), ["__tests__/config", "__tests__/mlflow/values-file.test.ts", "--maxWorkers=1"]);
  assert.equal(r.code, 0, `${r.out}\n${r.err}`);
  assert.match(r.err, /Tests:\s+\d+ passed, \d+ total/);
});

test("no workflow or pipeline script lists the environments itself", () => {
  const files = [
    ...readdirSync(join(repo, ".github", "workflows")).map((f) => join(".github", "workflows", f)),
    ...readdirSync(join(repo, "scripts", "ci"))
      .filter((f) => /\.(sh|mjs|ts)$/.test(f))
      .map((f) => join("scripts", "ci", f)),
    "scripts/diff.sh",
    "scripts/deploy.sh",
  ];
  for (const file of files) {
    const code = readFileSync(join(repo, file), "utf8")
      .split("\n")
      .filter((line) => !/^\s*(#|\/\/|\*|\/\*\*)/.test(line));
    const listing = code.filter((line) => /\bstaging\b/.test(line));
    assert.deepEqual(listing, [], `${file} names an environment outside its comments`);
  }
});
