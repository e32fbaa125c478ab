// scripts/bootstrap-runner-network.sh against the project's real synthesized platform stacks, in a scratch copy of
// the repository (scripts copied, everything else linked), with a fake `terraform` first on PATH that records
// its working directory and arguments and answers `show -json` with a small state. Covers: the addresses of every
// environment (the runner subnet, its NSG link, then the rest of the runners' network: its NAT gateway is its only
// way out), init then apply of exactly those targets in infra-<env>'s directory, the next steps printed for
// GitHub's network settings (delegated subnet) and for self-hosted runners, and the refusals.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const ENVIRONMENTS = ["dev", "staging", "prod"];
const NOT_LINKED = new Set(["scripts", "cdktf.out", ".gen", ".git", ".tools", "coverage"]);
const SUBNET_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mlflow-dev/providers/Microsoft.Network/virtualNetworks/vnet-mlflow-dev/subnets/runners";
const STATE_BACKEND = { TF_STATE_RESOURCE_GROUP: "rg-tfstate", TF_STATE_STORAGE_ACCOUNT: "tfstatebootstrap", TF_STATE_CONTAINER: "tfstate" };
const LOCAL_STATE = { TF_STATE_RESOURCE_GROUP: "", TF_STATE_STORAGE_ACCOUNT: "", TF_STATE_CONTAINER: "" };

let root;
let fakeBin;
let callLog;
let stateFile;

before(() => {
  assert.ok(existsSync(join(repo, "node_modules", ".bin", "cdktf")), "npm packages are missing: run 'npm ci'");
  assert.equal(spawnSync("jq", ["--version"]).status, 0, "jq is missing: apt-get install jq");
  root = mkdtempSync(join(tmpdir(), "bootstrap-runners-"));
  for (const entry of readdirSync(repo)) {
    if (!NOT_LINKED.has(entry)) symlinkSync(join(repo, entry), join(root, entry));
  }
  cpSync(join(repo, "scripts"), join(root, "scripts"), { recursive: true });

  fakeBin = join(root, "fake-bin");
  callLog = join(root, "terraform-calls.jsonl");
  stateFile = join(root, "fake-state.json");
  mkdirSync(fakeBin);
  writeFileSync(
    join(fakeBin, "terraform"),
    [
      `#!${process.execPath}`,
      "// Fake terraform: one JSON line per call (working directory, arguments, Azure AD switch); `show` prints a state.",
      'const fs = require("node:fs");',
      "const args = process.argv.slice(2);",
      "const call = { cwd: process.cwd(), azuread: process.env.ARM_USE_AZUREAD ?? \"\", args };",
      'fs.appendFileSync(process.env.FAKE_TERRAFORM_LOG, JSON.stringify(call) + "\\n");',
      'if (args[0] === "show") process.stdout.write(fs.readFileSync(process.env.FAKE_TERRAFORM_STATE));',
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function bootstrap(args, env = {}) {
  rmSync(callLog, { force: true });
  const r = spawnSync("bash", [join(root, "scripts", "bootstrap-runner-network.sh"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120000,
    env: {
      ...process.env,
      ...LOCAL_STATE,
      ARM_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000000",
      ...env,
      PATH: `${fakeBin}:${process.env.PATH}`,
      FAKE_TERRAFORM_LOG: callLog,
      FAKE_TERRAFORM_STATE: stateFile,
    },
  });
  const calls = existsSync(callLog) ? readFileSync(callLog, "utf8").trim().split("\n").map((l) => JSON.parse(l)) : [];
  return { code: r.status, out: r.stdout, err: r.stderr, calls };
}

const stackFile = (env) => join(root, "cdktf.out", "stacks", `infra-${env}`, "cdk.tf.json");
const readStack = (env) => JSON.parse(readFileSync(stackFile(env), "utf8"));

/** The resource of a synthesized stack at a Terraform address `<type>.<uniqueId>`. */
function resourceAt(stack, address) {
  const dot = address.indexOf(".");
  return stack.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)];
}

/** Addresses of every resource whose construct path starts with the prefix, read straight from the JSON. */
function addressesUnder(stack, prefix) {
  const found = [];
  for (const [type, resources] of Object.entries(stack.resource ?? {})) {
    for (const [name, resource] of Object.entries(resources)) {
      if (resource["//"]?.metadata?.path?.startsWith(prefix)) found.push(`${type}.${name}`);
    }
  }
  return found.sort();
}

test("--print-targets: the runner subnet, its NSG link and the rest of the runners' network of dev, staging and prod", () => {
  for (const [i, env] of ENVIRONMENTS.entries()) {
    // The first run synthesizes (npm run synth), the others read that cdktf.out.
    const r = bootstrap(i === 0 ? ["--print-targets", env] : ["--no-synth", "--print-targets", env]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split("\n");
    const [subnet, link] = lines;
    assert.match(subnet, /^azurerm_subnet\.[A-Za-z0-9_-]+$/);
    assert.match(link, /^azurerm_subnet_network_security_group_association\.[A-Za-z0-9_-]+$/);
    const stack = readStack(env);
    assert.equal(resourceAt(stack, subnet)?.["//"]?.metadata?.path, `infra-${env}/network/runners-subnet`);
    assert.equal(resourceAt(stack, link)?.["//"]?.metadata?.path, `infra-${env}/network/runners-nsg-link`);
    assert.deepEqual([...lines].sort(), addressesUnder(stack, `infra-${env}/network/runners-`), "every runners- resource, once");
    const egress = lines.filter((a) => a.startsWith("azurerm_subnet_nat_gateway_association."));
    assert.equal(egress.length, 1, "the subnet's NAT gateway link: runners have no other way out");
    assert.deepEqual(r.calls, [], "--print-targets runs no terraform");
  }
});

test("bootstrap: terraform init in infra-dev's directory, then apply of exactly those targets", () => {
  let r = bootstrap(["--print-targets", "dev"], STATE_BACKEND);
  assert.equal(r.code, 0, r.err);
  const targets = r.out.trim().split("\n");
  const [subnet] = targets;
  assert.ok(readStack("dev").terraform.backend.azurerm, "synthesized with the azurerm state backend");
  writeFileSync(stateFile, JSON.stringify({ values: { root_module: { resources: [{ address: subnet, values: { id: SUBNET_ID } }] } } }));

  r = bootstrap(["--no-synth", "dev"], STATE_BACKEND);
  assert.equal(r.code, 0, r.err);
  const stackDir = join(root, "cdktf.out", "stacks", "infra-dev");
  assert.deepEqual(r.calls.map((c) => c.args[0]), ["init", "apply", "show"]);
  for (const call of r.calls) {
    assert.equal(call.cwd, stackDir, `${call.args[0]} runs in the stack directory`);
    assert.equal(call.azuread, "true", "state and Azure through Entra ID");
  }
  assert.deepEqual(r.calls[0].args, ["init", "-input=false"], "the backend is the synthesized one, as cdktf deploy uses it");
  assert.deepEqual(r.calls[1].args, ["apply", ...targets.map((t) => `-target=${t}`)], "exactly the printed targets");
  assert.ok(targets.length >= 2);

  assert.ok(r.out.includes(`runner_subnet_id (platform output of infra-dev): ${SUBNET_ID}`), r.out);
  const delegation = resourceAt(readStack("dev"), subnet).delegation;
  assert.match(JSON.stringify(delegation), /GitHub\.Network\/networkSettings/, "dev's runner subnet is delegated to GitHub");
  assert.match(r.out, /az provider register --namespace GitHub\.Network/);
  assert.match(r.out, /az resource create --resource-group 'rg-mlflow-dev' --name 'mlflow-dev-runners'/);
  assert.match(r.out, /--resource-type GitHub\.Network\/networkSettings/);
  assert.ok(r.out.includes(`SUBNET_ID='${SUBNET_ID}'`));
  assert.match(r.out, /New runner group 'mlflow-dev'/);
  assert.match(r.out, /runs-on: \{ group: mlflow-dev \}/);
});

test("bootstrap of a subnet without GitHub's delegation prints the self-hosted runner steps", () => {
  let r = bootstrap(["--print-targets", "staging"], STATE_BACKEND);
  assert.equal(r.code, 0, r.err);
  const [subnet] = r.out.trim().split("\n");
  const stack = readStack("staging");
  delete resourceAt(stack, subnet).delegation;
  writeFileSync(stackFile("staging"), JSON.stringify(stack));
  writeFileSync(stateFile, JSON.stringify({ values: { root_module: { resources: [{ address: subnet, values: { id: SUBNET_ID } }] } } }));

  r = bootstrap(["--no-synth", "staging"], STATE_BACKEND);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /not delegated to GitHub \(config: network\.runnerSubnetDelegation "none"\): self-hosted runners/);
  assert.match(r.out, /self-hosted runner group 'mlflow-staging'/);
  assert.doesNotMatch(r.out, /az resource create/);
});

test("bad arguments are refused with the rule, before anything runs", () => {
  const cases = [
    [[], /usage: scripts\/bootstrap-runner-network\.sh \[--no-synth\] \[--print-targets\] <dev\|staging\|prod>/],
    [["qa"], /environment 'qa' is unknown: expected dev, staging or prod/],
    [["--apply", "dev"], /unknown option '--apply'; usage:/],
    [["dev", "prod"], /one environment at a time \(got 'dev' and 'prod'\)/],
  ];
  for (const [args, message] of cases) {
    const r = bootstrap(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, message);
    assert.deepEqual(r.calls, []);
  }
});

test("--no-synth without cdktf.out says how to get it", () => {
  rmSync(join(root, "cdktf.out"), { recursive: true, force: true });
  const r = bootstrap(["--no-synth", "--print-targets", "prod"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cdktf\.out\/stacks\/infra-prod\/cdk\.tf\.json is missing: run without --no-synth, or 'npm run synth' first/);
});

test("a stack without the runner NSG link is refused, naming the construct path", () => {
  let r = bootstrap(["--print-targets", "prod"]);
  assert.equal(r.code, 0, r.err);
  const [, link] = r.out.trim().split("\n");
  const stack = readStack("prod");
  const dot = link.indexOf(".");
  delete stack.resource[link.slice(0, dot)][link.slice(dot + 1)];
  writeFileSync(stackFile("prod"), JSON.stringify(stack));
  r = bootstrap(["--no-synth", "prod"], STATE_BACKEND);
  assert.equal(r.code, 2);
  assert.match(r.err, /has no resource at construct path 'infra-prod\/network\/runners-nsg-link' \(expected type azurerm_subnet_network_security_group_association\)/);
  assert.deepEqual(r.calls, []);
});

test("apply refuses local state and a missing subscription, before terraform runs", () => {
  let r = bootstrap(["dev"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /infra-dev was synthesized for local state: export TF_STATE_RESOURCE_GROUP, TF_STATE_STORAGE_ACCOUNT and TF_STATE_CONTAINER/);
  assert.deepEqual(r.calls, []);
  r = bootstrap(["dev"], { ...STATE_BACKEND, ARM_SUBSCRIPTION_ID: "" });
  assert.equal(r.code, 2);
  assert.match(r.err, /ARM_SUBSCRIPTION_ID is not set: the azurerm provider needs it/);
  assert.deepEqual(r.calls, []);
});
